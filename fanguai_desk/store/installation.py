"""What this registry is in the exchange — a township laptop or the county's — kept in the encrypted database.

The installation kind (``domain/enums.Installation``) is a fact about the registry, decided once by whoever
creates it (``Desk.create(installation=…)``: the CLI's ``init --county``, the first-run wizard's choice) and
stored in ``registry_meta`` under ``installation``.  Nothing in the program changes it afterwards: it is not
a setting (``UnitOfWork.update_settings`` refuses unknown keys), no service writes it, and bundles never
carry ``registry_meta``.  The permission table combines it with the user's role (``domain/permissions.py``).

Why a stored fact and not derived from what the registry holds (e.g. the county CA's key): the county's
laptop exists before its CA does (the CA is created on it), a second county laptop may import without
holding the CA key, and a township administrator could otherwise turn their laptop into "the county" by
creating a CA of their own.  What it holds is used once, to decide for registries made before the fact
existed (``decide_existing``, migration 0022).

A registry with no stored fact is treated as a township laptop (the narrower one).
"""

from __future__ import annotations

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import Installation
from fanguai_desk.store.models import RegistryMeta

__all__ = ["KEY", "decide_existing", "read", "record"]

KEY = "installation"


def read(s: Session) -> Installation:
    value = s.scalar(select(RegistryMeta.value).where(RegistryMeta.key == KEY))
    try:
        return Installation(value) if value is not None else Installation.TOWNSHIP
    except ValueError:  # a value no version of the program writes: the narrower kind
        return Installation.TOWNSHIP


def record(s: Session, installation: Installation) -> None:
    """At creation only (``Desk.create``)."""
    s.add(RegistryMeta(key=KEY, value=installation.value))


def decide_existing(conn: Connection) -> Installation | None:
    """For a registry created before the fact was stored: the county's laptop if it holds the county CA's key
    or has imported records or statistics bundles (a transfer of one file is received by townships too);
    otherwise a township laptop.  None: no registry in this database yet (being created: ``record`` decides),
    or the fact is stored already — so running it again changes nothing."""
    if conn.execute(text("SELECT 1 FROM registry_meta WHERE key = :k"), {"k": KEY}).first() is not None:
        return None
    if conn.execute(text("SELECT 1 FROM users LIMIT 1")).first() is None:
        return None
    holds_ca = conn.execute(text("SELECT 1 FROM pki_objects WHERE kind = 'ca_pkcs12' LIMIT 1")).first()
    imported = conn.execute(text("SELECT 1 FROM imported_bundles WHERE kind <> 'transfer' "
                                 "LIMIT 1")).first()
    return Installation.COUNTY if holds_ca is not None or imported is not None else Installation.TOWNSHIP


def backfill(conn: Connection) -> None:
    """Migration 0022: store the decided kind on an existing registry (re-runnable)."""
    decided = decide_existing(conn)
    if decided is not None:
        conn.execute(text("INSERT OR IGNORE INTO registry_meta (key, value) VALUES (:k, :v)"),
                     {"k": KEY, "v": decided.value})
