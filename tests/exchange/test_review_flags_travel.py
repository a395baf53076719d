"""Review flags reach the county (issue 11): a flag raised at the township arrives with its bundle; closed at
the township (with who, when and the note), it closes at the county on the next import; re-imports and
resends change nothing; the county cannot close a township's flag, and its own duplicate gives way; a
forged flag — another township's file, or the county's own flag — refuses the whole bundle, nothing written.

Real SQLCipher registries and real CMS bundles (tests/exchange/conftest.py); forgeries are re-signed with
the township's genuine key (tests/exchange/test_trust.py's helpers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fanguai_desk.cli import main
from fanguai_desk.domain.errors import AccessDenied
from fanguai_desk.services.desk import Desk
from fanguai_desk.store.models import ReviewFlag, new_uuid
from tests.conftest import ADMIN_PASSWORD
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.test_trust import _genuine_lines, _refused, _resign
from tests.helpers import AUDIT_TABLES, content_fingerprint

NOTE = "已与乡镇核实：出生日期更正有据，培训记录保留备查。"


def _flags(d: Desk, victim_id: str) -> list[tuple[str, str, str, str]]:
    with d.read() as s:
        return [(f.id, f.rule, f.source, f.status) for f in s.scalars(
            select(ReviewFlag).where(ReviewFlag.victim_id == victim_id).order_by(ReviewFlag.created_at))]


def _broken_file(town: Path) -> tuple[str, str]:
    """An adult's training record, then the birth date corrected to 2015: the laptop flags the record."""
    d = open_desk(town)
    try:
        vid, _ = d.victims.register({"alias": "己", "birth_date": "1990-03-01"})
        d.assistance.add(vid, {"service_type": "vocational_training", "start_date": "2025-09-01", "willing": True})
        d.victims.edit(vid, {"birth_date": "2015-03-01"})
        [flag] = d.review.open_flags(vid)
        assert flag.can_close and flag.raised_at == "" and flag.source == "local"
        return vid, flag.id
    finally:
        d.close()


def _export(town: Path, templates: Templates, **kw: Any) -> bytes:
    d = open_desk(town)
    try:
        return d.exchange.export(templates.sup_cert, **kw).bundle
    finally:
        d.close()


def _import(sup: Path, bundle: bytes) -> dict[str, Any]:
    import json

    from fanguai_desk.store.models import ImportedBundle

    d = open_desk(sup)
    try:
        outcome = d.exchange.import_bundle(bundle)
        with d.read() as s:
            row = s.get(ImportedBundle, outcome.preview.bundle_id)
            assert row is not None
            return dict(json.loads(row.report)["review_flags"])
    finally:
        d.close()


def test_a_township_flag_and_its_closure_reach_the_supervisor(templates: Templates, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    vid, fid = _broken_file(town)
    assert _import(sup, _export(town, templates)) == {"received": 1, "closed_at_township": 0, "superseded": 0,
                                                      "raised_here": 0}
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "open")]  # one flag, the township's
        [view] = d.review.open_flags(vid)
        assert (view.can_close, view.raised_at, view.status) == (False, "白马镇", "open")
        assert d.dashboard.compute().files_flagged_for_review == 1
        # the county sees it but cannot close it (for no role): it closes at the township; nothing written
        before = content_fingerprint(d)
        with pytest.raises(AccessDenied) as err:
            d.review.mark_reviewed(fid, "看过了")
        assert err.value.code == "review_flag_at_township"
    finally:
        d.close()
    # the CLI gives the same answer, and says where the flag closes
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    assert main(["--data", str(sup), "victim", "flags", vid]) == 0
    assert "由白马镇提出：只能在乡镇复核关闭" in capsys.readouterr().out
    assert main(["--data", str(sup), "victim", "flag-reviewed", fid, "--note", "看过了"]) == 1
    assert "只能在乡镇复核关闭" in capsys.readouterr().err
    d = open_desk(sup)
    try:
        after = content_fingerprint(d)
        assert [t for t in after if t[0] not in AUDIT_TABLES] == [t for t in before if t[0] not in AUDIT_TABLES]
    finally:
        d.close()

    t = open_desk(town)
    try:
        t.review.mark_reviewed(fid, NOTE)
        [closed] = t.review.flags(vid, include_closed=True)
        assert (closed.status, closed.note, closed.resolved_by) == ("resolved", NOTE, "白马镇管理员")
    finally:
        t.close()
    assert _import(sup, _export(town, templates))["closed_at_township"] == 1
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "resolved")]
        assert d.review.open_flags(vid) == [] and d.dashboard.compute().files_flagged_for_review == 0
        [view] = d.review.flags(vid, include_closed=True)
        assert (view.status, view.note, view.resolved_by, view.can_close) == ("resolved", NOTE, "白马镇管理员", False)
        assert view.resolved_at == closed.resolved_at
        before = content_fingerprint(d)
    finally:
        d.close()

    # a resend of the first bundle (now carrying the closed flag) changes nothing; nor does an older state
    # (the flag still open) arriving later: a flag never reopens, and no second flag appears
    assert _import(sup, _export(town, templates, resend=1)) == {"received": 0, "closed_at_township": 0,
                                                                "superseded": 0, "raised_here": 0}
    lines = _genuine_lines(sup, town, templates.sup_cert, catch_up=True)  # everything again
    flag_line = next(ln for ln in lines if ln["t"] == "review_flag")
    flag_line["data"].update(status="open", resolved_at=None, resolved_by=None, resolution_note=None)
    _import(sup, _resign(town, templates.sup_cert, lines))
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "resolved")]
        after = content_fingerprint(d)
        assert [t for t in after if t[0] == "review_flags"] == [t for t in before if t[0] == "review_flags"]
    finally:
        d.close()


def test_the_supervisors_own_flag_gives_way_to_the_townships(templates: Templates, tmp_path: Path) -> None:
    """A bundle without flags (as from an older laptop): the county's re-check raises its own flag.  When the
    township's flag for the same record and rule arrives (here already closed), the county's own goes."""
    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    vid, fid = _broken_file(town)
    lines = [ln for ln in _genuine_lines(sup, town, templates.sup_cert) if ln["t"] != "review_flag"]
    assert _import(sup, _resign(town, templates.sup_cert, lines))["raised_here"] == 1
    d = open_desk(sup)
    try:
        [(_own, rule, source, status)] = _flags(d, vid)
        assert (rule, source, status) == ("training_under_16", "import", "open")
        assert d.review.open_flags(vid)[0].can_close  # the county's own flag: its own to close
    finally:
        d.close()
    t = open_desk(town)
    try:
        t.review.mark_reviewed(fid)
    finally:
        t.close()
    report = _import(sup, _export(town, templates))
    assert report["superseded"] == 1 and report["closed_at_township"] == 1
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "resolved")]
        assert d.dashboard.compute().files_flagged_for_review == 0
    finally:
        d.close()


def _flag_line(data: dict[str, Any]) -> dict[str, Any]:
    base = {"id": new_uuid(), "record_type": "victim", "rule": "training_under_16", "status": "open",
            "created_at": "2026-11-01T08:00:00", "resolved_at": None, "resolved_by": None, "resolution_note": None}
    return {"t": "review_flag", "data": {**base, **data}}


def _installation(path: Path) -> str:
    d = open_desk(path)
    try:
        return d.registry.installation_id
    finally:
        d.close()


def test_a_flag_for_another_townships_file_is_refused_with_nothing_written(templates: Templates,
                                                                          tmp_path: Path) -> None:
    """青龙镇 signs (with its genuine key) a flag — and a closure — on a 白马镇 file the county holds."""
    town_b, town_a = templates.copy("town_b", tmp_path), templates.copy("town_a", tmp_path)
    sup = templates.copy("sup", tmp_path)
    vid, fid = _broken_file(town_b)
    _import(sup, _export(town_b, templates))
    a_installation = _installation(town_a)
    for forged in (
        _flag_line({"victim_id": vid, "record_id": vid, "origin_installation": a_installation}),
        _flag_line({"id": fid, "victim_id": vid, "record_id": vid, "status": "resolved",
                    "resolved_at": "2026-11-20T08:00:00", "resolved_by": new_uuid(),
                    "origin_installation": a_installation}),
    ):
        lines = _genuine_lines(sup, town_a, templates.sup_cert)
        lines.insert(-1, forged)
        err = _refused(sup, _resign(town_a, templates.sup_cert, lines), "bundle_not_authorised", accept_gap=True)
        assert err.params == {"record_type": "review_flag", "record_id": forged["data"]["id"],
                              "reason": "other_township"}
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "open")]
    finally:
        d.close()


def test_a_township_cannot_close_the_countys_flag_or_send_a_bad_note(templates: Templates,
                                                                      tmp_path: Path) -> None:
    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    vid, _fid = _broken_file(town)
    lines = [ln for ln in _genuine_lines(sup, town, templates.sup_cert) if ln["t"] != "review_flag"]
    _import(sup, _resign(town, templates.sup_cert, lines))
    d = open_desk(sup)
    try:
        [(own, *_rest)] = _flags(d, vid)
    finally:
        d.close()
    me = _installation(town)
    t = open_desk(town)
    try:
        author = t.actor.user_id
    finally:
        t.close()
    closing = {"victim_id": vid, "record_id": vid, "origin_installation": me, "status": "resolved",
               "resolved_at": "2026-11-20T08:00:00", "resolved_by": author}
    cases = [
        (_flag_line({**closing, "id": own}), "bundle_not_authorised"),  # the county's own flag
        (_flag_line({**closing, "resolution_note": "已核实\u202e"}), "bundle_rule_violation"),
        (_flag_line({**closing, "resolution_note": "D1S80: 18,24; TH01: 6,9.3; D3S1358: 15,17 亲子比对"}),
         "bundle_rule_violation"),
        (_flag_line({**closing, "resolved_by": new_uuid()}), "bundle_not_authorised"),  # a made-up closer
        (_flag_line({**closing, "origin_installation": new_uuid()}), "bundle_not_authorised"),
        (_flag_line({**closing, "status": "gone"}), "bundle_malformed"),
    ]
    for line, code in cases:
        lines = _genuine_lines(sup, town, templates.sup_cert)
        lines.insert(-1, line)
        _refused(sup, _resign(town, templates.sup_cert, lines), code, accept_gap=True)


def test_migration_0011_sends_a_flag_raised_before_it_with_the_next_bundle(templates: Templates,
                                                                          tmp_path: Path) -> None:
    """A township laptop from before 0011 raised a flag and sent its files (without flags, as it could not).
    Upgraded, it sends that flag — and its closure — with its next bundle: 0011 gives every existing flag a
    change number, and the county's own flag for the same record gives way."""
    from alembic import command
    from sqlalchemy import inspect

    from fanguai_desk.store.schema import alembic_config, current_revision, head_revision

    town, sup = templates.copy("town_b", tmp_path), templates.copy("sup", tmp_path)
    vid, fid = _broken_file(town)
    lines = [ln for ln in _genuine_lines(sup, town, templates.sup_cert) if ln["t"] != "review_flag"]
    assert _import(sup, _resign(town, templates.sup_cert, lines))["raised_here"] == 1
    d = open_desk(town)
    engine = d.registry.engine
    with engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0010")
    assert current_revision(engine) == "0010"
    assert "resolution_note" not in {c["name"] for c in inspect(engine).get_columns("review_flags")}
    d.close()
    t = open_desk(town)  # upgraded at this unlock
    try:
        assert current_revision(t.registry.engine) == head_revision()
        assert [f.id for f in t.review.open_flags(vid)] == [fid]
    finally:
        t.close()
    assert _import(sup, _export(town, templates)) == {"received": 1, "closed_at_township": 0, "superseded": 1,
                                                      "raised_here": 0}
    d = open_desk(sup)
    try:
        assert _flags(d, vid) == [(fid, "training_under_16", "township", "open")]
    finally:
        d.close()
