"""Masked views of a file's records, and the one way to clear values: :func:`reveal_file`.

Every personal field that identifies someone — the person's names, ID number, birth date (year only),
phone and addresses; guardians' names, phones, addresses and ID numbers; buyer households' heads, addresses
and members' ID numbers; placement households' heads, addresses and caregivers' ID numbers; consent givers'
names — is masked by the one table ``domain.masking.IDENTITY_MASKS``.  The CLI (text and ``--json``), the
UI and the reports show these views; clear values come only from ``reveal_file``, which writes the REVEAL
audit entry naming the fields it showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fanguai_desk.domain.masking import HIDDEN_NAME, IDENTITY_MASKS, mask_field

__all__ = ["FILE_RECORDS", "list_id_number", "list_name", "masked_record", "masked_row", "revealed_record"]

#: The records of a file whose identifying fields a view masks (VictimFile attribute → record type).
FILE_RECORDS = ("guardians", "buyer_households", "placements", "consents")


def _columns(row: Any) -> list[str]:
    return [c.key for c in row.__table__.columns]


def masked_row(values: Mapping[str, Any]) -> dict[str, Any]:
    """Plain values (a Core row's mapping: the list and search paths read no ORM objects), identifying fields
    masked; a hidden name (``hidden_name`` true) shows as ``*******``."""
    out = {key: mask_field(key, value) for key, value in values.items()}
    if values.get("hidden_name"):
        out["name"] = out["alias"] = HIDDEN_NAME
    return out


_MASK_NAME = IDENTITY_MASKS["name"]
_MASK_ID_NUMBER = IDENTITY_MASKS["id_number"]


def list_name(name: str | None, alias: str | None, hidden_name: bool) -> str:
    """What a list or a search result shows for a person: the masked name, else the masked alias; a hidden
    name as ``*******`` (the same masks as :func:`masked_row`, for the list's hot path: one call per row)."""
    if hidden_name:
        return HIDDEN_NAME
    return str(_MASK_NAME(name or alias) if (name or alias) else "")


def list_id_number(number: str | None) -> str:
    return str(_MASK_ID_NUMBER(number)) if number else ""


def masked_record(row: Any) -> dict[str, Any]:
    """Every column of an ORM row, its identifying fields masked (a hidden name shows as ``*******``)."""
    return masked_row({key: getattr(row, key) for key in _columns(row)})


def revealed_record(row: Any) -> dict[str, Any]:
    """The clear identifying fields of a row (for ``reveal_file``, which audits them)."""
    return {"id": row.id, **{key: getattr(row, key) for key in _columns(row)
                             if key in IDENTITY_MASKS and key not in ("name_pinyin", "name_initials", "id_tail")}}
