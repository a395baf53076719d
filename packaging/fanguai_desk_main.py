"""The bundle's entry point (PyInstaller needs a script): the same ``main()`` as the ``fanguai-desk`` command."""

import multiprocessing

from fanguai_desk.cli import main

if __name__ == "__main__":
    # A large import reads its bundle in a helper process started with ``spawn`` (exchange/preparing.py): in
    # the frozen app that process is this executable again, and freeze_support turns it into the helper.
    multiprocessing.freeze_support()
    raise SystemExit(main())
