"""The bundle's entry point (PyInstaller needs a script): the same ``main()`` as the ``fanguai-desk`` command."""

from fanguai_desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
