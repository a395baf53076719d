"""Alembic schema at open, newer-schema refusal, and the hash-chained audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import audit
from fanguai_desk.store.models import AuditEntry
from fanguai_desk.store.schema import head_revision, known_revisions
from tests.conftest import ADMIN_PASSWORD, make_desk


def test_new_registry_is_at_the_head_revision_with_a_single_head() -> None:
    from alembic.script import ScriptDirectory

    from fanguai_desk.store.schema import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    assert head_revision() in known_revisions()


def test_registry_made_by_a_newer_program_is_refused(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "r")
    with desk.registry.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    desk.registry.close()
    with pytest.raises(RegistryError) as err:
        Desk.unlock(tmp_path / "r", "admin", ADMIN_PASSWORD)
    assert err.value.code == "schema_newer"


def test_audit_chain_verifies_and_detects_an_edited_entry(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小红", "estimated_birth_year": 2010})
    desk.victims.reveal(vid)
    with desk.read() as s:
        assert audit.verify_chain(s).ok
    with desk.tx() as s:
        s.execute(update(AuditEntry).where(AuditEntry.action == "reveal").values(detail=json.dumps({})))
    with desk.read() as s:
        result = audit.verify_chain(s)
    assert not result.ok and result.problem == "hash_mismatch"


def test_audit_chain_detects_a_deleted_entry_in_the_middle_and_at_the_end(desk: Desk) -> None:
    for i in range(4):
        desk.victims.register({"alias": f"化名{i}", "estimated_birth_year": 2000})
    with desk.tx() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with desk.read() as s:
        assert audit.verify_chain(s).problem == "sequence_gap"


def test_audit_chain_detects_entries_cut_off_the_end(desk: Desk) -> None:
    for i in range(3):
        desk.victims.register({"alias": f"化名{i}", "estimated_birth_year": 2000})
    with desk.read() as s:
        last = s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    with desk.tx() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = :n"), {"n": last})
    with desk.read() as s:
        assert audit.verify_chain(s).problem == "head_mismatch"


def test_audit_entries_never_contain_personal_data(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "林秀英", "sex": "F", "birth_date": "1990-02-03",
                                    "notes": "家住柳河镇", "id_number": None})
    desk.victims.edit(vid, {"notes": "搬到白马镇", "alias": "阿英"})
    desk.victims.reveal(vid)
    with desk.read() as s:
        dump = " ".join(f"{e.detail} {e.record_type} {e.record_id}" for e in s.scalars(select(AuditEntry)))
    for needle in ("林秀英", "柳河镇", "白马镇", "阿英", "1990-02-03"):
        assert needle not in dump


def test_field_level_history_keeps_from_and_to(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小兰", "estimated_birth_year": 2009})
    desk.victims.edit(vid, {"alias": "小兰花", "ethnicity": "苗族"})
    changes = {(c.field, c.old_value, c.new_value) for c in desk.victims.history(vid)}
    assert ("alias", "小兰", "小兰花") in changes
    assert ("ethnicity", None, "苗族") in changes
    assert ("*", None, "created") in changes


def test_every_record_carries_uuid_author_laptop_and_version(desk: Desk) -> None:
    vid, _ = desk.victims.register({"alias": "小兰", "estimated_birth_year": 2009})
    v1 = desk.victims.open_file(vid).victim
    assert len(v1.id) == 36 and v1.created_by == desk.actor.user_id
    assert v1.origin_installation == desk.registry.installation_id and v1.version == 1
    desk.victims.edit(vid, {"alias": "小兰花"})
    assert desk.victims.open_file(vid).victim.version == 2


def test_the_fast_revision_reader_agrees_with_alembic() -> None:
    from fanguai_desk.store.schema import alembic_head_and_known, head_revision, known_revisions

    head, known = alembic_head_and_known()
    assert head_revision() == head
    assert known_revisions() == known


def test_migration_0010_adds_received_statistics_to_a_registry_with_data(desk) -> None:  # type: ignore[no-untyped-def]
    """0010 (issue 14) on an existing registry: downgraded to 0009 with files in it, reopened → upgraded,
    files intact, the new table there and usable."""
    from alembic import command
    from sqlalchemy import func, inspect, select

    from fanguai_desk.services.desk import Desk
    from fanguai_desk.store.models import ReceivedStatistics, Victim
    from fanguai_desk.store.schema import alembic_config, current_revision
    from tests.conftest import ADMIN_PASSWORD

    desk.victims.register({"alias": "小花", "estimated_birth_year": 2010, "rescue_date": "2025-03-01"})
    engine = desk.registry.engine
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0009")
    assert current_revision(engine) == "0009"
    assert "received_statistics" not in inspect(engine).get_table_names()
    path = desk.registry.data_dir
    desk.registry.close()
    d = Desk.unlock(path, "admin", ADMIN_PASSWORD)
    try:
        assert current_revision(d.registry.engine) == head_revision()
        with d.read() as s:
            assert s.scalar(select(func.count(Victim.id))) == 1
            assert s.scalar(select(func.count(ReceivedStatistics.id))) == 0
    finally:
        d.registry.close()
