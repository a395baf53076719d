"""``python -m fanguai_desk`` — the same entry point as the ``fanguai-desk`` command."""

from fanguai_desk.cli import main

# Guarded: a helper process (exchange/preparing.py, started with ``spawn``) imports this module again under
# another name, and must not start the program a second time.
if __name__ == "__main__":
    raise SystemExit(main())
