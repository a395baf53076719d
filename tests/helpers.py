"""Small test helpers shared across test packages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, func, select

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


AUDIT_TABLES = ("audit_log", "registry_meta")


def assert_only_refusal_audited(desk: Desk, before: list[tuple[str, list[tuple[object, ...]]]],
                                code: str | None = None) -> None:
    """A refused import writes nothing but audit entries saying so (code, bundle id, signer; no personal data)."""
    import json

    from fanguai_desk.store.models import AuditEntry

    after = content_fingerprint(desk)
    assert [t for t in after if t[0] not in AUDIT_TABLES] == [t for t in before if t[0] not in AUDIT_TABLES], \
        "a refused import changed the registry"
    old = {r[0] for t in before if t[0] == "audit_log" for r in t[1]}
    with desk.read() as s:
        new = [e for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq)) if e.seq not in old]
    assert new, "the refusal was not audited"
    for e in new:
        detail = json.loads(e.detail)
        assert e.action.value == "import" and "refused" in detail, (e.action, detail)
        if code is not None:
            assert detail["refused"] == code


def files_due_for_purge(desk: Desk, names: list[str]) -> list[str]:
    """One file per name, visited and closed in January 2014, long past its retention: ready to purge."""
    ids = []
    for name in names:
        vid, _ = desk.victims.register({"name": name, "sex": "F", "birth_date": "1980-01-01"})
        desk.followups.record({"actual_date": "2014-01-02", "method": "home_visit", "living_situation": "稳定"},
                              victim_id=vid)
        desk.lifecycle.close(vid, "returned_home", closed_on="2014-01-10")
        closed_long_ago(desk, vid, date(2014, 1, 10))
        ids.append(vid)
    return ids


def closed_long_ago(desk: Desk, victim_id: str, closed_on: date) -> None:
    """Make a closed file look as one whose close was *recorded* on ``closed_on`` (a registry in use for
    years).  Retention counts from the recorded close (a back-dated ``closed_on`` no longer shortens it),
    so the service cannot make such a file; this writes the dates a years-old registry would hold."""
    from fanguai_desk.domain.clocks import retention_until
    from fanguai_desk.store.closed_files import LIFECYCLE_WRITE
    from fanguai_desk.store.models import Victim

    years = desk.settings().retention_years
    with desk.tx() as s:
        s.info[LIFECYCLE_WRITE] = True
        victim = s.get(Victim, victim_id)
        assert victim is not None
        victim.closed_on = closed_on
        victim.retention_until = retention_until(closed_on, years)


class ProgressLog:
    """A real reporter for fanguai_desk/progress.py that records every call and checks the protocol."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _d, _t in self.calls))

    def last(self, stage: str) -> tuple[int, int]:
        _s, done, total = [c for c in self.calls if c[0] == stage][-1]
        return done, total

    def assert_protocol(self, operation: str) -> None:
        """Stages in the operation's order, each reported as one run; within a stage ``done`` never goes back,
        stays within ``total`` (which does not change), and the stage ends at its total."""
        from fanguai_desk.progress import STAGES

        order = STAGES[operation]
        stages = self.stages()
        assert stages, "no progress reported"
        assert all(s in order for s in stages), stages
        assert stages == sorted(stages, key=order.index), stages
        runs = [s for i, (s, _d, _t) in enumerate(self.calls) if i == 0 or self.calls[i - 1][0] != s]
        assert runs == stages, f"a stage came back after another: {runs}"
        for stage in stages:
            calls = [(d, t) for s, d, t in self.calls if s == stage]
            totals = {t for _d, t in calls}
            assert len(totals) == 1, (stage, totals)
            dones = [d for d, _t in calls]
            assert dones == sorted(dones), (stage, dones)
            assert all(0 <= d <= t for d, t in calls), (stage, calls)
            assert calls[-1][0] == calls[-1][1], (stage, calls[-1])


@contextmanager
def select_statements(desk: Desk) -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT the registry's engine runs inside the block, with its parameters (for plan tests)."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(desk.registry.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(desk.registry.engine, "before_cursor_execute", capture)



@contextmanager
def in_zone(zone: str) -> Iterator[None]:
    """Run the block in the time zone ``zone`` (``Asia/Shanghai``, ``America/Los_Angeles`` …): the process's
    TZ, read again by the C library (``time.tzset``), so Python's local dates and SQLite's ``'localtime'`` both
    follow it; the original zone is back afterwards.  Its own MonkeyPatch: leaving the block undoes only this."""
    import time

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", zone)
        time.tzset()
        try:
            yield
        finally:
            mp.undo()
            time.tzset()
