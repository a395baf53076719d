"""A file's search keys are made by this program on every path it is written — never taken from a sender — and
they are the sound the duplicate rule compares (traditional characters read as simplified)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanguai_desk.domain.duplicates import Person, duplicate_reason, name_key
from fanguai_desk.domain.search_keys import name_search_keys, search_columns
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import Victim
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.test_trust import _first, _mutate


def test_traditional_characters_have_the_keys_of_their_simplified_forms() -> None:
    for traditional, simplified in [("王曉紅", "王晓红"), ("區小紅", "区小红"), ("長海", "长海"), ("闞紅", "阚红")]:
        assert name_search_keys(traditional) == name_search_keys(simplified), traditional
        assert name_key(traditional) == name_search_keys(simplified)[0]
    assert name_search_keys("區小紅")[0] == "ouxiaohong"  # the surname 区, as the surname table reads it
    assert search_columns(None, "小紅", None) == {"name_pinyin": "xiaohong", "name_initials": "xh", "id_tail": None}


def test_a_stored_sound_is_the_name_key_the_rule_would_compute() -> None:
    a = Person(None, "區小紅", "F", None, 2001)
    b = Person(None, "区小红", "F", None, 2002)
    assert duplicate_reason(a, b) == "same_name_birth_sex"
    stored = Person(None, "区小红", "F", None, 2002, sound=search_columns("区小红", None, None)["name_pinyin"])
    assert duplicate_reason(a, stored) == "same_name_birth_sex"


def test_an_import_makes_the_search_keys_itself_and_a_forged_key_hides_nothing(templates: Templates, sup: Path,
                                                                            town_a: Path) -> None:
    """An insider re-signs a bundle whose file carries another file's search keys: the county stores the keys
    of the file's own name and ID number, and finds the file by them."""
    forged: dict[str, Any] = {}

    def change(lines: list[dict[str, Any]]) -> None:
        data = _first(lines, "victim")["data"]
        forged.update(id=data["id"], name=data["name"], alias=data["alias"], id_number=data["id_number"])
        data.update(name_pinyin="zzzz", name_initials="zz", id_tail="0000")

    bundle = _mutate(sup, town_a, templates, change)
    d: Desk = open_desk(sup)
    try:
        d.exchange.import_bundle(bundle)
        with d.read() as s:
            v = s.get(Victim, forged["id"])
            assert v is not None
            stored = {"name_pinyin": v.name_pinyin, "name_initials": v.name_initials, "id_tail": v.id_tail}
        assert stored == search_columns(forged["name"], forged["alias"], forged["id_number"])
        assert stored["name_pinyin"] not in (None, "zzzz")
        assert forged["id"] in {r.id for r in d.victims.search(str(stored["name_pinyin"]), limit=500)}
        assert forged["id"] not in {r.id for r in d.victims.search("zzzz", limit=500)}
    finally:
        d.close()


def test_migration_0024_makes_every_files_keys_again_and_resends_nothing(demo_desk: Desk) -> None:
    from alembic import command

    from fanguai_desk.store import journal
    from fanguai_desk.store.schema import alembic_config, current_revision, head_revision
    from tests.conftest import ADMIN_PASSWORD

    engine = demo_desk.registry.engine
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0023")
        forged, traditional = [r[0] for r in conn.exec_driver_sql(
            "SELECT id FROM victims WHERE name IS NOT NULL AND id_number IS NOT NULL LIMIT 2")]
        # as an older program kept them: a sender's forged keys, and a traditional name read as it stands
        conn.exec_driver_sql("UPDATE victims SET name_pinyin = 'zzzz', name_initials = 'zz', id_tail = '0000' "
                             "WHERE id = ?", (forged,))
        conn.exec_driver_sql("UPDATE victims SET name = '區小紅', name_pinyin = 'quxiaohong', name_initials = 'qxh' "
                             "WHERE id = ?", (traditional,))
        kept = {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(
            "SELECT id, name_pinyin, name_initials, id_tail FROM victims WHERE id NOT IN (?, ?)", (forged, traditional))}
        journal_before = conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar()
    path = demo_desk.registry.data_dir
    demo_desk.registry.close()
    d = Desk.unlock(path, "admin", ADMIN_PASSWORD)
    try:
        assert current_revision(d.registry.engine) == head_revision()
        with d.registry.engine.connect() as conn:
            rows = {r[0]: r[1:] for r in conn.exec_driver_sql(
                "SELECT id, name, alias, id_number, name_pinyin, name_initials, id_tail FROM victims")}
            for vid in (forged, traditional):
                name, alias, number, *keys = rows[vid]
                assert tuple(keys) == tuple(search_columns(name, alias, number).values())
            assert rows[traditional][3:5] == ("ouxiaohong", "oxh")
            assert {vid: tuple(r[3:]) for vid, r in rows.items() if vid not in (forged, traditional)} == kept
            assert conn.exec_driver_sql("SELECT max(seq) FROM change_journal").scalar() == journal_before
            assert journal.missing_triggers(conn) == []
    finally:
        d.close()
