"""Re-checking many files at once (issue 16: the importer re-checks every file of a bundle): the batch gives
exactly the per-file flags, in a fixed number of statements however many files, and raises each flag once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from fanguai_desk.domain.enums import ServiceType
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import ServiceRecord, Victim
from fanguai_desk.store.review import flag_file_for_review, flag_files_for_review


def _break_rules(desk: Desk, n: int) -> set[str]:
    """``n`` files whose stored records now break a file rule: a training record on a file made a child's
    (written behind the services' backs, as a bundle or an old version could have left it)."""
    with desk.tx() as s:
        vids = list(s.scalars(select(ServiceRecord.victim_id).distinct().order_by(ServiceRecord.victim_id).limit(n)))
        for vid in vids:
            s.execute(update(ServiceRecord).where(ServiceRecord.victim_id == vid)
                      .values(service_type=ServiceType.VOCATIONAL_TRAINING))
        s.execute(update(Victim).where(Victim.id.in_(vids)).values(birth_date=date(2016, 5, 1),
                                                                    estimated_birth_year=None))
    return set(vids)


def _keys(flags: list[Any]) -> set[tuple[str, str, str]]:
    return {(f.victim_id, f.record_id, f.rule) for f in flags}


def test_the_batch_flags_what_each_file_alone_would_in_seven_statements(demo_desk: Desk) -> None:
    broken = _break_rules(demo_desk, 3)
    with Session(demo_desk.registry.engine) as s:
        ids = list(s.scalars(select(Victim.id)))
        one_by_one: list[Any] = []
        for vid in ids:
            one_by_one += flag_file_for_review(s, s.get(Victim, vid) or Victim(id=vid))
        s.rollback()
    selects: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    with Session(demo_desk.registry.engine) as s:
        event.listen(demo_desk.registry.engine, "before_cursor_execute", count)
        try:
            batch = flag_files_for_review(s, ids + ids[:5], source="import")  # repeats are checked once
        finally:
            event.remove(demo_desk.registry.engine, "before_cursor_execute", count)
        assert len(ids) <= 500 and len(selects) == 7  # one statement per table, not seven per file
        assert _keys(batch) == _keys(one_by_one)
        assert {f.victim_id for f in batch} >= broken and all(f.source == "import" for f in batch)
        s.flush()
        assert flag_files_for_review(s, ids) == []  # once per record and rule: the open flags stand
        assert flag_files_for_review(s, ["no-such-file"]) == []
