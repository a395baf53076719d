"""Is there a registry in a folder?  Answered from file names alone, without SQLAlchemy or the schema, so the
app can decide between the first-run wizard and the sign-in window before loading anything heavy."""

from __future__ import annotations

from pathlib import Path

from fanguai_desk.store.keyslots import KeySlotStore

DB_FILE = "registry.db"
CREATING_MARKER = ".creating"  # written first by Registry.create, removed last


def creation_died(data_dir: Path) -> bool:
    return (data_dir / CREATING_MARKER).exists() and not KeySlotStore(data_dir).exists()


def registry_present(data_dir: Path) -> bool:
    if creation_died(data_dir):
        return False
    return (data_dir / DB_FILE).exists() or KeySlotStore(data_dir).exists()
