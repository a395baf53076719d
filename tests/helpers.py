"""Small test helpers shared across test packages."""

from __future__ import annotations

from sqlalchemy import func, select

from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import Base


def table_counts(desk: Desk) -> dict[str, int]:
    """Row count of every table — equal before and after a refused operation means nothing was written."""
    with desk.read() as s:
        return {t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in Base.metadata.sorted_tables}


def content_fingerprint(desk: Desk) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, sorted: a refusal must leave this identical."""
    out = []
    with desk.read() as s:
        for t in Base.metadata.sorted_tables:
            rows = [tuple(r) for r in s.execute(select(t))]
            out.append((t.name, sorted(rows, key=repr)))
    return out
