"""The CLI's command groups: one module per group, each exposing ``register(subparsers)``; ``fanguai_desk.cli``
lists them in ``COMMAND_MODULES`` and builds the parser.  Shared helpers: ``commands/common.py``."""
