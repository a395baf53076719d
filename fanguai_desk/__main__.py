"""``python -m fanguai_desk`` — the same entry point as the ``fanguai-desk`` command."""

from fanguai_desk.cli import main

raise SystemExit(main())
