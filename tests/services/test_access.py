"""Role and township scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import AccessDenied, NotFound
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from tests.conftest import USER_PASSWORD
from tests.helpers import content_fingerprint


def test_caseworker_sees_and_writes_only_their_own_township(desk: Desk, caseworker: Desk) -> None:
    desk.users.township_by_name("白马镇", create=True)
    other, _ = desk.victims.register({"alias": "外镇人员", "estimated_birth_year": 2000, "township": "白马镇"})
    mine, _ = caseworker.victims.register({"alias": "本镇人员", "estimated_birth_year": 2001})
    assert [r.id for r in caseworker.victims.list_rows()] == [mine]
    assert caseworker.victims.count() == 1 and desk.victims.count() == 2
    before = content_fingerprint(desk)
    with pytest.raises(NotFound):
        caseworker.victims.open_file(other)
    with pytest.raises(NotFound):
        caseworker.followups.plan(other, local_today() + timedelta(days=30))  # a fixed day turns "in the past"
    with pytest.raises(AccessDenied):
        caseworker.victims.register({"alias": "越权", "estimated_birth_year": 2000, "township": "白马镇"})
    assert content_fingerprint(desk) == before


def test_only_an_administrator_manages_users(desk: Desk, caseworker: Desk) -> None:
    before = content_fingerprint(desk)
    with pytest.raises(AccessDenied):
        caseworker.users.add("cw2", USER_PASSWORD, Role.CASEWORKER, "青龙镇")
    with pytest.raises(AccessDenied):
        caseworker.users.reset_password("admin", USER_PASSWORD)
    with pytest.raises(AccessDenied):
        caseworker.users.list()
    assert content_fingerprint(desk) == before


def test_weak_passwords_are_refused_for_new_users(desk: Desk) -> None:
    from fanguai_desk.domain.errors import ValidationError

    for weak, code in (("short1!", "password_too_short"), ("1234567890", "password_too_common"),
                       ("cw9-secret-pass", "password_contains_login"), ("abcdefghijkl", "password_too_simple")):
        with pytest.raises(ValidationError) as err:
            desk.users.add("cw9", weak, Role.CASEWORKER, "青龙镇")
        assert err.value.code == code


def test_administrator_reset_gives_access_back_with_a_new_user_key(desk: Desk, caseworker: Desk) -> None:
    old_user_key = caseworker.user_key
    caseworker.close()
    desk.users.reset_password("cw1", "Reset-pass-2026#")
    again = Desk.unlock(desk.registry.data_dir, "cw1", "Reset-pass-2026#")
    assert again.database_key == desk.database_key and again.user_key != old_user_key
    again.close()


def test_listing_shows_masked_names_and_hidden_names_as_stars(desk: Desk) -> None:
    desk.victims.register({"name": "张三华", "sex": "F", "birth_date": "2010-01-02"})
    desk.victims.register({"name": "刘美玲", "sex": "F", "birth_date": "2009-01-02", "hidden_name": True})
    names = sorted(r.display_name for r in desk.victims.list_rows())
    assert names == ["*******", "张**"]


def test_reveal_is_audited(desk: Desk) -> None:
    from sqlalchemy import select

    from fanguai_desk.store.models import AuditEntry

    vid, _ = desk.victims.register({"name": "张三华", "sex": "F", "birth_date": "2010-01-02"})
    assert desk.victims.reveal(vid)["name"] == "张三华"
    with desk.read() as s:
        entries = [e.action.value for e in s.scalars(select(AuditEntry).where(AuditEntry.record_id == vid))]
    assert "reveal" in entries


def test_search_by_pinyin_initials_full_pinyin_file_number_and_id_tail(desk: Desk) -> None:
    import random
    from datetime import date

    from fanguai_desk.domain.enums import Sex
    from fanguai_desk.domain.idnumber import synthetic_id_number

    number = synthetic_id_number(random.Random(5), date(2010, 1, 2), Sex.FEMALE)
    vid, _ = desk.victims.register({"name": "张三华", "id_number": number})
    desk.victims.register({"name": "李四", "sex": "M", "birth_date": "2001-01-01"})
    fn = desk.victims.open_file(vid).victim.file_number
    for query in ("zsh", "zhangsanhua", "zhangsan", "张三", fn, number[-4:]):
        assert [r.id for r in desk.victims.search(query)] == [vid], query
