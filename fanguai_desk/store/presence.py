"""Is there a registry in a folder?  Answered from file names alone, without SQLAlchemy or the schema, so the
app can decide between the first-run wizard and the sign-in window before loading anything heavy."""

from __future__ import annotations

from pathlib import Path

DB_FILE = "registry.db"
CREATING_MARKER = ".creating"  # written first by Registry.create, removed last
# The key slots' file names (``store/keyslots.py`` defines them; that module loads cryptography, this one must not).
SLOTS_FILE = "keyslots.json"
SLOTS_BACKUP_FILE = "keyslots.json.bak"


def default_data_dir() -> Path:
    """Where the registry lives unless ``--data`` says otherwise (the user's data folder)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("fanguai_desk", appauthor=False))


def slots_exist(data_dir: Path) -> bool:
    """``KeySlotStore(data_dir).exists()``, from the file names alone."""
    return (data_dir / SLOTS_FILE).exists() or (data_dir / SLOTS_BACKUP_FILE).exists()


def creation_died(data_dir: Path) -> bool:
    return (data_dir / CREATING_MARKER).exists() and not slots_exist(data_dir)


def registry_present(data_dir: Path) -> bool:
    if creation_died(data_dir):
        return False
    return (data_dir / DB_FILE).exists() or slots_exist(data_dir)
