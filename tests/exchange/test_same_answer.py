"""One set of entry rules: the same good and bad inputs through the service, the CLI and an import bundle
give the same answer (accepted, or refused with the same code), and a refusal writes nothing.

For the import path the bad record is written straight into a township registry (as a tampered or buggy
laptop would), exported, and imported at the supervisor.  Then: a record that was valid when written and
broke because of a later change elsewhere in the file is flagged for review, not refused.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text

from fanguai_desk.cli import main
from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.domain.idnumber import synthetic_id_number
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.messages import render
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.clock import local_today
from fanguai_desk.store.models import ReviewFlag, ServiceRecord, Victim
from tests.conftest import ADMIN_PASSWORD, make_desk
from tests.exchange.conftest import Templates, open_desk
from tests.helpers import assert_only_refusal_audited, content_fingerprint

ID_2001 = synthetic_id_number(random.Random(3), date(2001, 4, 5), Sex.FEMALE)


@dataclass(frozen=True)
class Case:
    name: str
    victim: dict[str, Any]  # what the form/CLI/JSON gives
    stored: dict[str, Any]  # the same bad values as stored columns (for the import path)
    service: dict[str, Any] | None = None  # a service added to the file (file rules)
    code: str | None = None  # None: accepted
    good_victim: dict[str, Any] = field(default_factory=dict)  # what the township really registered
    visit: dict[str, Any] | None = None  # a visit recorded on the file (another record type)
    stored_visit: dict[str, Any] = field(default_factory=dict)  # the visit's bad values as stored columns
    # another record type on the file: ("case" | "placement" | "consent" | "referral", what the form gives);
    # a referral's {"consent": {...}} is a consent recorded first, which the referral then cites
    record: tuple[str, dict[str, Any]] | None = None
    good_record: dict[str, Any] = field(default_factory=dict)  # what the township really entered instead
    # bad values as stored columns of a record of the file: (table, columns), written past the services
    stored_in: tuple[str, dict[str, Any]] | None = None


MINOR = {"alias": "庚", "birth_date": "2016-05-01"}
BUYER = {"head_name": "石大山", "address": "青龙乡石门村3组"}
MINOR_BOUGHT = {**MINOR, "buyer_households": [BUYER]}
CONSENT = {"scope": "referral", "given_by": "guardian", "guardian_name": "李芳", "given_on": "2026-01-05"}
REFERRAL = {"institution": "县法律援助中心", "matter": "custody", "referral_date": "2026-01-06"}
BUYER_HOME = {"household_head": BUYER["head_name"], "address": BUYER["address"]}
PLACEMENT = {"state": "welfare_institution", "start_date": "2026-01-05", "institution": "县儿童福利院"}


CASES = [
    Case("good child", {"alias": "乙", "birth_date": "2014-01-01", "rescue_date": "2020-01-01"}, {}),
    Case("birth date in the future", {"alias": "甲", "birth_date": "2099-01-01"},
         {"birth_date": "2099-01-01"}, code="birth_date_future"),
    Case("birth date before 1900", {"alias": "甲", "birth_date": "1899-12-31"},
         {"birth_date": "1899-12-31"}, code="date_before_1900"),
    Case("rescue before birth", {"alias": "甲", "birth_date": "2010-01-01", "rescue_date": "2009-05-01"},
         {"birth_date": "2010-01-01", "rescue_date": "2009-05-01"}, code="rescue_before_birth"),
    Case("rescue in the future", {"alias": "甲", "rescue_date": "2099-05-01"},
         {"rescue_date": "2099-05-01"}, code="date_in_future"),
    Case("bidi override in a name", {"name": "王\u202e红"}, {"name": "王\u202e红"},
         code="text_control_characters"),
    Case("NUL in notes", {"alias": "甲", "notes": "住在\x00姑姑家"}, {"notes": "住在\x00姑姑家"},
         code="text_control_characters"),
    Case("name longer than its field", {"name": "王" * 101}, {"name": "王" * 101}, code="field_too_long"),
    Case("estimated year against the ID number", {"name": "王小梅", "id_number": ID_2001,
                                                 "estimated_birth_year": 1995},
         {"estimated_birth_year": 1995}, code="estimated_year_contradicts_id",
         good_victim={"name": "王小梅", "id_number": ID_2001}),
    Case("adult returned to school", {"alias": "丙", "birth_date": "1990-03-01"}, {},
         service={"service_type": "return_to_school", "start_date": "2025-09-01"},
         code="school_service_not_school_age"),
    Case("child in vocational training", {"alias": "丁", "birth_date": "2016-03-01"}, {},
         service={"service_type": "vocational_training", "start_date": "2025-09-01", "willing": True},
         code="training_under_16"),
    Case("NUL in a visit's notes", {"alias": "己"}, {},
         visit={"actual_date": "2025-06-01", "method": "home_visit", "notes": "住在\x00姑姑家"},
         stored_visit={"notes": "住在\x00姑姑家"}, code="text_control_characters"),
    Case("visitors longer than their field", {"alias": "己"}, {},
         visit={"actual_date": "2025-06-01", "method": "phone", "visitors": "王" * 301},
         stored_visit={"visitors": "王" * 301}, code="field_too_long"),
    Case("a visit's notes longer than entry allows", {"alias": "己"}, {},
         visit={"actual_date": "2025-06-01", "method": "home_visit", "notes": "记" * 20001},
         stored_visit={"notes": "记" * 20001}, code="field_too_long"),
    Case("a victim's notes longer than entry allows", {"alias": "甲", "notes": "记" * 20001},
         {"notes": "记" * 20001}, code="field_too_long"),
    Case("a good visit", {"alias": "己"}, {},
         visit={"actual_date": "2025-06-01", "method": "phone", "visitors": "李社工"}),
    Case("school-age child returned to school", {"alias": "戊", "birth_date": "2015-03-01"}, {},
         service={"service_type": "return_to_school", "start_date": "2025-09-01"}),
    # guardians: entered with the file (victim add / edit; the CLI's `victim add --from-json`)
    Case("a good guardian", {**MINOR_BOUGHT, "guardians": [{"name": "李芳", "relation": "母亲"}]}, {}),
    Case("the buyer as a minor's guardian", {**MINOR_BOUGHT, "guardians": [{"name": "石大山", "relation": "养父"}]},
         {}, good_victim={**MINOR_BOUGHT, "guardians": [{"name": "李芳", "relation": "养父"}]},
         stored_in=("guardians", {"name": "石大山"}), code="buyer_as_guardian"),
    Case("bidi override in a guardian's name", {**MINOR, "guardians": [{"name": "李\u202e芳"}]}, {},
         good_victim={**MINOR, "guardians": [{"name": "李芳"}]}, stored_in=("guardians", {"name": "李\u202e芳"}),
         code="text_control_characters"),
    # buyer households: entered with the file too
    Case("a good buyer household", MINOR_BOUGHT, {}),
    Case("NUL in a buyer household's address", {**MINOR, "buyer_households": [{**BUYER, "address": "石门\x00村"}]},
         {}, good_victim=MINOR_BOUGHT, stored_in=("buyer_households", {"address": "石门\x00村"}),
         code="text_control_characters"),
    Case("buyer head's name longer than its field",
         {**MINOR, "buyer_households": [{**BUYER, "head_name": "石" * 101}]}, {}, good_victim=MINOR_BOUGHT,
         stored_in=("buyer_households", {"head_name": "石" * 101}), code="field_too_long"),
    # cases (`case add --from-json`)
    Case("a good case", {"alias": "辛"}, {}, record=("case", {"police_case_ref": "川公刑2026-17",
                                                              "handling_unit": "县公安局刑侦大队"})),
    Case("handling unit longer than its field", {"alias": "辛"}, {},
         record=("case", {"handling_unit": "刑" * 201}), good_record={"handling_unit": "县公安局"},
         stored_in=("cases", {"handling_unit": "刑" * 201}), code="field_too_long"),
    Case("bidi override in a case's place", {"alias": "辛"}, {},
         record=("case", {"place": "石门\u202e村"}), good_record={"place": "石门村"},
         stored_in=("cases", {"place": "石门\u202e村"}), code="text_control_characters"),
    # consents (`consent add`)
    Case("a guardian's consent for a child", MINOR_BOUGHT, {}, record=("consent", CONSENT)),
    Case("a child consenting for herself", MINOR, {}, record=("consent", {**CONSENT, "given_by": "self",
                                                                            "guardian_name": None}),
         good_record=CONSENT, stored_in=("consents", {"given_by": "self", "guardian_name": None}),
         code="minor_consent_needs_guardian"),
    Case("the buyer giving a child's consent", MINOR_BOUGHT, {},
         record=("consent", {**CONSENT, "guardian_name": "石大山"}), good_record=CONSENT,
         stored_in=("consents", {"guardian_name": "石大山"}), code="buyer_as_consent_giver"),
    # referrals (`referral add --from-json`)
    Case("a referral citing its consent", MINOR, {}, record=("referral", {**REFERRAL, "consent": CONSENT})),
    Case("a referral without consent", MINOR, {}, record=("referral", REFERRAL),
         good_record={"consent": CONSENT}, stored_in=("referrals", {"consent_id": None}),
         code="referral_consent_required"),
    Case("referral institution longer than its field", MINOR, {},
         record=("referral", {**REFERRAL, "consent": CONSENT, "institution": "援" * 201}),
         good_record={"institution": "县法律援助中心"}, stored_in=("referrals", {"institution": "援" * 201}),
         code="field_too_long"),
    # placements (`placement add --from-json`)
    Case("a child placed in a welfare institution", MINOR_BOUGHT, {}, record=("placement", PLACEMENT)),
    Case("a child placed with the buyer household", MINOR_BOUGHT, {},
         record=("placement", {"state": "returned_home", "start_date": "2026-01-05", **BUYER_HOME}),
         good_record={"household_head": "李芳", "address": "青龙乡李家村1组"},
         stored_in=("placements", BUYER_HOME), code="minor_with_buyer_household"),
    Case("NUL in a placement's notes", MINOR, {}, record=("placement", {**PLACEMENT, "notes": "福利院\x00"}),
         good_record={"notes": "福利院"}, stored_in=("placements", {"notes": "福利院\x00"}),
         code="text_control_characters"),
]


def through_service(desk: Desk, case: Case) -> str | None:
    before = content_fingerprint(desk)
    try:
        vid, _ = desk.victims.register(case.victim)
        if case.service:
            before = content_fingerprint(desk)
            desk.assistance.add(vid, case.service)
        if case.visit:
            before = content_fingerprint(desk)
            desk.followups.record(case.visit, victim_id=vid)
        if case.record:
            kind, data = case.record
            data = dict(data)
            if "consent" in data:  # the consent on record that the referral then cites
                desk.consents.add(vid, data.pop("consent"))
            before = content_fingerprint(desk)
            add_record(desk, vid, kind, data)
    except FanguaiError as exc:
        assert content_fingerprint(desk) == before, "a refused entry wrote something"
        assert exc.code == case.code, (case.name, exc.code)
        return render(exc)
    return None


TABLES = {"case": "cases", "consent": "consents", "placement": "placements", "referral": "referrals"}


def add_record(desk: Desk, vid: str, kind: str, data: dict[str, Any]) -> str:
    if kind == "case":
        return desk.cases.add(data)
    if kind == "consent":
        return desk.consents.add(vid, data)
    if kind == "placement":
        return desk.placements.add(vid, data)
    assert kind == "referral"
    return desk.referrals.add(vid, data)


def cli_consent(data: Path, vid: str, consent: dict[str, Any]) -> list[str]:
    """`consent add` takes flags, not JSON."""
    args = ["--json", "--data", str(data), "consent", "add", vid, "--scope", consent["scope"],
            "--by", consent["given_by"], "--date", consent["given_on"]]
    return args + (["--guardian-name", consent["guardian_name"]] if consent.get("guardian_name") else [])


def through_cli(data: Path, tmp_path: Path, case: Case, capsys: pytest.CaptureFixture[str]) -> str | None:
    payload = tmp_path / "victim.json"
    payload.write_text(json.dumps(case.victim, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    if main(["--json", "--data", str(data), "victim", "add", "--from-json", str(payload)]) != 0:
        return json.loads(capsys.readouterr().err)["error"]["message"]  # --json: errors are JSON objects too
    vid = json.loads(capsys.readouterr().out)["id"]
    if case.service:
        service = tmp_path / "service.json"
        service.write_text(json.dumps(case.service), "utf-8")
        if main(["--data", str(data), "service", "add", vid, "--from-json", str(service)]) != 0:
            return capsys.readouterr().err.strip()
    if case.visit:
        visit = tmp_path / "visit.json"
        visit.write_text(json.dumps(case.visit, ensure_ascii=False), "utf-8")
        if main(["--data", str(data), "followup", "record", "--victim", vid, "--from-json", str(visit)]) != 0:
            return capsys.readouterr().err.strip()
    if case.record:
        kind, record = case.record
        record = dict(record)
        if kind == "consent":
            if main(cli_consent(data, vid, record)) != 0:
                return json.loads(capsys.readouterr().err)["error"]["message"]
            return None
        if "consent" in record:
            assert main(cli_consent(data, vid, record.pop("consent"))) == 0
        payload = tmp_path / f"{kind}.json"
        payload.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        where = [] if kind == "case" else [vid]
        if main(["--data", str(data), kind, "add", *where, "--from-json", str(payload)]) != 0:
            return capsys.readouterr().err.strip()
    return None


def through_import(templates: Templates, root: Path, case: Case) -> str | None:
    town, sup = templates.copy("town_b", root), templates.copy("sup", root)
    d = open_desk(town)
    try:
        good = case.good_victim or {k: v for k, v in case.victim.items() if k not in case.stored} or {"alias": "甲"}
        if "name" in case.stored and "alias" not in good:
            good = {**good, "alias": "甲"}
        vid, _ = d.victims.register(good)
        rid = None
        if case.service:
            sid = d.assistance.add(vid, {"service_type": "medical", "start_date": case.service["start_date"]})
            with d.tx() as s:  # bypass the services, as a tampered or buggy laptop would
                s.execute(text("UPDATE services SET service_type = :t, willing = :w WHERE id = :i"),
                          {"t": case.service["service_type"], "w": bool(case.service.get("willing")), "i": sid})
        if case.visit:
            good_visit = {k: v for k, v in case.visit.items() if k not in case.stored_visit}
            fid, _next = d.followups.record(good_visit, victim_id=vid)
            if case.stored_visit:
                with d.tx() as s:  # bypass the services, as a tampered or buggy laptop would
                    sets = ", ".join(f"{k} = :{k}" for k in case.stored_visit)
                    s.execute(text(f"UPDATE followups SET {sets} WHERE id = :i"), {**case.stored_visit, "i": fid})
        if case.record:
            kind, record = case.record
            good_record = {**record, **case.good_record}
            if "consent" in good_record:
                d.consents.add(vid, good_record.pop("consent"))
            rid = add_record(d, vid, kind, good_record)
        if case.stored_in:  # bypass the services, as a tampered or buggy laptop would (written last)
            table, columns = case.stored_in
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
            with d.tx() as s:
                sets = ", ".join(f"{k} = :{k}" for k in columns)
                key = "id = :rid" if table == "cases" else "victim_id = :vid"
                s.execute(text(f"UPDATE {table} SET {sets}, updated_at = :stamp WHERE {key}"),
                          {**columns, "stamp": stamp, "vid": vid, "rid": rid})
        if case.stored:
            with d.tx() as s:
                sets = ", ".join(f"{k} = :{k}" for k in case.stored)
                s.execute(text(f"UPDATE victims SET {sets} WHERE id = :i"), {**case.stored, "i": vid})
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    s_desk = open_desk(sup)
    before = content_fingerprint(s_desk)
    try:
        s_desk.exchange.import_bundle(bundle)
        if case.record:  # an accepted record arrived
            with s_desk.read() as s:
                assert s.scalar(text(f"SELECT count(*) FROM {TABLES[case.record[0]]} WHERE id = :i"),
                                {"i": rid}) == 1, case.name
    except ExchangeError as exc:
        assert_only_refusal_audited(s_desk, before, exc.code)  # nothing but the refusal's audit entry
        return str(exc.params.get("rule"))
    finally:
        s_desk.close()
    return None


def test_the_same_inputs_get_the_same_answer_from_service_cli_and_import(
        templates: Templates, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    service_desk = make_desk(tmp_path / "service")
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    cli_data = tmp_path / "cli"
    assert main(["--data", str(cli_data), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    try:
        for i, case in enumerate(CASES):
            by_service = through_service(service_desk, case)
            expected = None if case.code is None else by_service
            assert (by_service is None) is (case.code is None), (case.name, by_service)
            if case.code is not None:
                assert by_service is not None
            by_cli = through_cli(cli_data, tmp_path, case, capsys)
            assert by_cli == expected, (case.name, by_cli, expected)
            by_import = through_import(templates, tmp_path / f"imp{i}", case)
            assert by_import == case.code, (case.name, by_import)
    finally:
        service_desk.close()


def _trained_adult_corrected_to_a_child(d: Desk, also: dict[str, Any] | None = None) -> tuple[str, str]:
    """An adult's file with a training record (and ``also``, a service that breaks no rule), then the birth
    date corrected to 2015: every step legal on the laptop.  Returns (file id, training record id)."""
    vid, _ = d.victims.register({"alias": "己", "birth_date": "1990-03-01"})
    sid = d.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01",
                                 "willing": True})
    if also is not None:
        d.assistance.add(vid, also)
    d.victims.edit(vid, {"birth_date": "2015-03-01"})
    return vid, sid


def test_a_record_broken_by_a_later_correction_is_flagged_not_refused(templates: Templates,
                                                                      tmp_path: Path) -> None:
    """An adult's training record, then the birth date corrected to 2015: every step legal on the laptop.
    The laptop flags the training record; the county imports the bundle and holds that flag too."""
    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    d = open_desk(town)
    try:
        vid, sid = _trained_adult_corrected_to_a_child(d)
        with d.read() as s:
            flags = list(s.scalars(select(ReviewFlag).where(ReviewFlag.victim_id == vid)))
        assert [(f.record_id, f.rule, f.source) for f in flags] == [(sid, "training_under_16", "local")]
        town_flag = flags[0].id
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    s_desk = open_desk(sup)
    try:
        outcome = s_desk.exchange.import_bundle(bundle)
        assert outcome is not None
        with s_desk.read() as s:
            assert s.get(ServiceRecord, sid) is not None and s.get(Victim, vid) is not None
            flags = list(s.scalars(select(ReviewFlag).where(ReviewFlag.victim_id == vid)))
        # the township's own flag (the county's re-check finds the same and does not raise a second)
        assert [(f.id, f.record_id, f.rule, f.source) for f in flags] == \
            [(town_flag, sid, "training_under_16", "township")]
    finally:
        s_desk.close()


def test_a_new_file_with_a_record_broken_by_a_later_correction_is_flagged_by_the_county_itself(
        templates: Templates, tmp_path: Path) -> None:
    """The same file as above, but the township's flag never came (a laptop that lost it): the county's own
    re-check of a file new to it flags the record; the file's other record, which breaks no rule, is not."""
    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    d = open_desk(town)
    try:
        vid, sid = _trained_adult_corrected_to_a_child(d, also={"service_type": "medical",
                                                                 "start_date": "2025-09-01"})
        with d.tx() as s:
            s.execute(delete(ReviewFlag).where(ReviewFlag.victim_id == vid))
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    s_desk = open_desk(sup)
    try:
        outcome = s_desk.exchange.import_bundle(bundle)
        assert outcome is not None and outcome.report.review_flags == 1
        with s_desk.read() as s:
            flags = list(s.scalars(select(ReviewFlag).where(ReviewFlag.victim_id == vid)))
        assert [(f.record_id, f.rule, f.source) for f in flags] == [(sid, "training_under_16", "import")]
    finally:
        s_desk.close()


def test_buyer_recorded_later_flags_the_guardian_and_a_buyer_is_never_a_guardian(desk: Desk) -> None:
    from fanguai_desk.domain.errors import RuleViolation

    vid, _ = desk.victims.register({"alias": "庚", "birth_date": "2016-05-01",
                                    "guardians": [{"name": "石大山", "relation": "养父"}]})
    desk.victims.edit(vid, {"buyer_households": [{"head_name": "石大山", "address": "青龙乡石门村3组"}]})
    with desk.read() as s:
        assert [f.rule for f in s.scalars(select(ReviewFlag).where(ReviewFlag.victim_id == vid))] == [
            "buyer_as_guardian"]
    before = content_fingerprint(desk)
    with pytest.raises(RuleViolation) as err:
        desk.victims.register({"alias": "辛", "estimated_birth_year": None,
                               "buyer_households": [{"head_name": "石大山", "address": "青龙乡石门村3组"}],
                               "guardians": [{"name": "石 大山", "relation": "养父"}]})
    assert err.value.code == "buyer_as_guardian"  # unknown age: treated as a minor
    with pytest.raises(RuleViolation) as err:
        desk.consents.add(vid, {"scope": "referral", "given_by": "guardian", "guardian_name": "石大山",
                                "given_on": "2026-01-05"})
    assert err.value.code == "buyer_as_consent_giver"
    assert content_fingerprint(desk) == before


def test_township_code_collision_is_refused_and_a_colliding_file_number_is_flagged(templates: Templates,
                                                                                   tmp_path: Path) -> None:
    from fanguai_desk.store.models import Township
    from tests.helpers import assert_only_refusal_audited

    town = templates.copy("town_a", tmp_path)
    d = open_desk(town)
    try:
        bundle = d.exchange.export(templates.sup_cert).bundle
        first_number = d.victims.list_rows(limit=1)[0].file_number
    finally:
        d.close()
    clash = templates.copy("sup", tmp_path / "clash")
    s_desk = open_desk(clash)
    try:
        with s_desk.tx() as s:  # another township here already uses 青龙镇's code
            s.execute(text("UPDATE townships SET code = '510101'"))
        before = content_fingerprint(s_desk)
        with pytest.raises(ExchangeError) as err:
            s_desk.exchange.import_bundle(bundle)
        assert err.value.code == "township_code_collision"
        assert_only_refusal_audited(s_desk, before, err.value.code)
    finally:
        s_desk.close()
    sup = templates.copy("sup", tmp_path / "ok")
    s_desk = open_desk(sup)
    try:
        local_id, _ = s_desk.victims.register({"alias": "壬", "file_number": first_number})
        s_desk.exchange.import_bundle(bundle)
        with s_desk.read() as s:
            imported = s.scalar(select(Victim).where(Victim.file_number == first_number, Victim.id != local_id))
            assert imported is not None
            flags = list(s.scalars(select(ReviewFlag).where(ReviewFlag.rule == "file_number_collision")))
            assert [(f.victim_id, f.record_type) for f in flags] == [(imported.id, "victim")]
            assert s.get(Township, imported.township_id).name == "青龙镇"  # shown with its township
        [flag] = s_desk.review.open_flags(imported.id)  # shown on the file with its township and the other's
        assert f"导入的档案编号 {first_number}（青龙镇）与本机已有档案重复" in flag.text
        assert s_desk.dashboard.compute().files_flagged_for_review == 1
    finally:
        s_desk.close()


def test_likely_duplicates_are_what_a_caseworker_would_call_duplicates(desk: Desk) -> None:
    vid, _ = desk.victims.register({"name": "王小红", "sex": "F", "estimated_birth_year": 2010})
    for other, expected in [({"name": "王晓红", "sex": "F", "estimated_birth_year": 2011}, True),
                            ({"name": "王曉紅", "estimated_birth_year": 2012}, True),
                            ({"name": "王 小红", "sex": "U"}, True),
                            ({"name": "王小红", "sex": "M", "estimated_birth_year": 2010}, False),
                            ({"name": "王小红", "sex": "F", "estimated_birth_year": 2013}, False),
                            ({"name": "汪小洪", "sex": "F", "estimated_birth_year": 2010}, True),
                            ({"name": "王大红", "sex": "F", "estimated_birth_year": 2010}, False)]:
        _, hints = desk.victims.register(other)
        assert any(h.victim_id == vid for h in hints) is expected, other


def test_supervisor_reads_imported_files_but_changes_only_records_made_on_this_installation(
        templates: Templates, tmp_path: Path) -> None:
    from fanguai_desk.domain.enums import Role
    from fanguai_desk.domain.errors import AccessDenied
    from tests.conftest import USER_PASSWORD

    town, sup = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path)
    d = open_desk(town)
    try:
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    admin = open_desk(sup)
    try:
        admin.exchange.import_bundle(bundle)
        admin.users.add("sup1", USER_PASSWORD, Role.SUPERVISOR, None, display_name="督导")
    finally:
        admin.close()
    supervisor = Desk.unlock(sup, "sup1", USER_PASSWORD)
    try:
        imported = supervisor.victims.list_rows(limit=1)[0]
        assert supervisor.victims.open_file(imported.id).victim.id == imported.id  # reads the whole county
        before = content_fingerprint(supervisor)
        for attempt in (lambda: supervisor.victims.edit(imported.id, {"notes": "督导修改"}),
                        lambda: supervisor.assistance.add(imported.id, {"service_type": "medical",
                                                                        "start_date": "2026-01-05"}),
                        lambda: supervisor.followups.plan(imported.id, local_today() + timedelta(days=30))):
            with pytest.raises(AccessDenied) as err:
                attempt()
            assert err.value.code == "edit_at_origin"
        assert content_fingerprint(supervisor) == before
        own, _ = supervisor.victims.register({"alias": "癸", "township": "县民政局"})
        supervisor.victims.edit(own, {"notes": "本机建立的档案可以修改"})
    finally:
        supervisor.close()


def test_the_field_bounds_on_entry_are_the_columns_bounds_the_import_checks() -> None:
    """services/fields.py bounds a text field on add and edit; the importer bounds the same field by its
    column: the two must be one number, or a record accepted on the laptop is refused at the county."""
    from sqlalchemy import String, Text

    from fanguai_desk.exchange.importer import codec_for
    from fanguai_desk.services import fields as f
    from fanguai_desk.store import models as m

    pairs = [(f.VICTIM, m.Victim), (f.GUARDIAN, m.Guardian), (f.BUYER, m.BuyerHousehold), (f.CASE, m.Case),
             (f.SERVICE, m.ServiceRecord), (f.FOLLOWUP_RECORD, m.FollowUp), (f.REFERRAL, m.LegalAidReferral),
             (f.PLACEMENT, m.Placement), (f.CONSENT, m.Consent)]
    checked = texts = 0
    for spec, model in pairs:
        for key, column in model.__table__.columns.items():
            parse = spec.fields.get(key)
            if (isinstance(column.type, String) and column.type.length and parse is not None
                    and parse.__qualname__.startswith("text.")):  # a free-text field of the form
                assert parse(key, "x" * column.type.length) == "x" * column.type.length
                with pytest.raises(FanguaiError) as err:
                    parse(key, "x" * (column.type.length + 1))
                assert err.value.code == "field_too_long", key
                checked += 1
            if parse is not None and parse.__qualname__.startswith("text.") and key in codec_for(model).free_text:
                bound = codec_for(model).bounds[key]  # the importer's bound of this field, checked first
                assert parse(key, "x" * bound) == "x" * bound, key
                with pytest.raises(FanguaiError):
                    parse(key, "x" * (bound + 1))
                texts += isinstance(column.type, Text)
    assert checked >= 20
    assert texts >= 15  # notes, observations, summaries, reasons: FREE_TEXT_MAX on entry and in a bundle
