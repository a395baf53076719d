"""CLI subcommands of the later features; each module exposes ``register(subparsers)`` (see cli.py)."""
