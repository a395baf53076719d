"""The print log travels to the supervisor in exports: a paper copy printed at the township verifies at the
county after the import; a bundle cannot vouch for another laptop's prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.reports.papercode import check_value, format_code
from fanguai_desk.services.exchange import store_print_log
from fanguai_desk.services.paper import GENUINE, UNKNOWN
from fanguai_desk.store.models import FollowUp, PrintLog
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.conftest import export_bundle as export
from tests.exchange.conftest import import_bundle as import_
from tests.helpers import closed_long_ago


def test_a_township_print_verifies_at_the_county_after_import(templates: Templates, sup: Path,
                                                              town_a: Path) -> None:
    d = open_desk(town_a)
    try:
        with d.read() as s:
            visit = s.scalars(select(FollowUp).where(FollowUp.actual_date.is_not(None)).limit(1)).one()
        d.reports.followup_record(visit.id)
        with d.read() as s:
            row = s.scalars(select(PrintLog)).one()
        code = format_code(row.doc_id, 1, check_value(row.secret, row.doc_id, 1, row.pages, row.signer_fingerprint))
        assert d.paper.verify(code).status == GENUINE
    finally:
        d.close()

    s_desk = open_desk(sup)
    try:
        assert s_desk.paper.verify(code).status == UNKNOWN  # before the import: not known here
    finally:
        s_desk.close()
    outcome = import_(sup, export(town_a, templates.sup_cert))
    assert outcome.report.added.get("print") == 1
    s_desk = open_desk(sup)
    try:
        verdict = s_desk.paper.verify(code)
        assert verdict.status == GENUINE and verdict.pdf_sha256 == row.pdf_sha256 and verdict.pages == row.pages
    finally:
        s_desk.close()


def test_print_rows_from_another_laptop_or_malformed_refuse_the_bundle(sup: Path) -> None:
    good = {"doc_id": "ABCDEFGH", "secret": "00" * 32, "report": "file_summary", "record_type": "victim",
            "record_id": "r", "victim_id": None, "file_number": None, "pages": 1, "signer_fingerprint": "ab" * 32,
            "signer_name": "x", "signed_at": "2026-01-01T00:00:00", "pdf_sha256": "cd" * 32, "printed_by": None,
            "installation_id": "laptop-a"}
    d = open_desk(sup)
    try:
        with d.tx() as s:
            with pytest.raises(ExchangeError) as err:
                store_print_log(s, [good], "laptop-b")
            assert err.value.code == "bundle_not_authorised"
            for bad in ({**good, "pages": "1"}, {**good, "secret": "zz"}, {**good, "doc_id": "A"},
                        {k: v for k, v in good.items() if k != "secret"}, "not a dict"):
                with pytest.raises(ExchangeError) as err:
                    store_print_log(s, [bad], "laptop-a")
                assert err.value.code == "bundle_malformed"
            assert store_print_log(s, [good], "laptop-a") == 1
            assert store_print_log(s, [good], "laptop-a") == 0  # known already: kept as it is
    finally:
        d.close()


def test_attachments_travel_only_when_chosen(templates: Templates, sup: Path, town_a: Path, tmp_path: Path) -> None:
    from fanguai_desk.domain.enums import FileStatus
    from fanguai_desk.store.models import Attachment, Victim
    from tests.services.test_attachments import png_bytes

    d = open_desk(town_a)
    try:
        with d.read() as s:
            # An open file: the demo data closes some, at random positions by id (a closed file takes no attachment).
            vid = s.scalars(select(Victim.id).where(Victim.status == FileStatus.OPEN).limit(1)).one()
        data = png_bytes("TRAVELLING-ATTACHMENT")
        info = d.attachments.add(vid, __import__("io").BytesIO(data), filename="consent.png", title="知情同意书")
    finally:
        d.close()
    without = import_(sup, export(town_a, templates.sup_cert, victim_ids=[vid]))
    assert "attachment" not in without.report.added
    with_them = import_(sup, export(town_a, templates.sup_cert, victim_ids=[vid], include_attachments=True))
    assert with_them.report.added.get("attachment") == 1
    s_desk = open_desk(sup)
    try:
        got_info, got = s_desk.attachments.content(info.id)
        assert got == data and got_info.title == "知情同意书"
        with s_desk.read() as s:
            assert s.get(Attachment, info.id) is not None
    finally:
        s_desk.close()


def test_a_bad_attachment_in_a_bundle_refuses_it(sup: Path) -> None:
    import hashlib

    from fanguai_desk.domain.errors import RuleViolation
    from fanguai_desk.services.exchange import store_attachments
    from tests.services.test_attachments import png_bytes

    d = open_desk(sup)
    try:
        vid, _ = d.victims.register({"name": "附件导入", "sex": "F"})
        data = png_bytes()
        good = {"id": "att-1", "victim_id": vid, "parent_type": None, "parent_id": None, "title": "t",
                "filename": "a.png", "media_type": "image/png", "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "chunk_count": 1, "created_at": "2026-01-01T00:00:00",
                "created_by": None, "origin_installation": "laptop-a"}
        with d.tx() as s:
            cases: list[tuple[dict[str, object], list[bytes], str, type[Exception]]] = [
                ({**good, "sha256": "0" * 64}, [data], "bundle_malformed", ExchangeError),
                ({**good, "media_type": "application/pdf"}, [data], "bundle_malformed", ExchangeError),
                ({**good, "victim_id": "not-here"}, [data], "bundle_not_authorised", ExchangeError),
                ({**good, "filename": "DNA比对.png"}, [data], "dna_data", RuleViolation),
                ({**good, "chunk_count": 2}, [data], "bundle_malformed", ExchangeError),
            ]
            for raw, chunks, code, exc in cases:
                with pytest.raises(exc) as err:
                    store_attachments(s, [(raw, chunks)], "laptop-a")
                assert err.value.code == code
            with pytest.raises(ExchangeError):
                store_attachments(s, [(good, [data])], "laptop-b")
            assert store_attachments(s, [(good, [data])], "laptop-a") == 1
    finally:
        d.close()


def test_removed_and_purged_attachments_go_at_the_county_too(templates: Templates, sup: Path, town_a: Path) -> None:
    import io

    from fanguai_desk.store.models import Attachment
    from tests.services.test_attachments import png_bytes

    d = open_desk(town_a)
    try:
        kept, _ = d.victims.register({"name": "附件留存", "sex": "F"})
        gone, _ = d.victims.register({"name": "附件销毁", "sex": "F"})
        removed = d.attachments.add(kept, io.BytesIO(png_bytes()), filename="a.png").id
        purged = d.attachments.add(gone, io.BytesIO(png_bytes()), filename="b.png").id
    finally:
        d.close()
    import_(sup, export(town_a, templates.sup_cert, include_attachments=True))
    d = open_desk(town_a)
    try:
        d.attachments.remove(removed)
        d.lifecycle.close(gone, "returned_home", closed_on="2010-01-10")
        closed_long_ago(d, gone, date(2010, 1, 10))
        d.purge.purge([gone], "retention_expired")
    finally:
        d.close()
    outcome = import_(sup, export(town_a, templates.sup_cert))  # the chunks' own tombstones do not travel
    assert outcome.report.deleted >= 2
    s_desk = open_desk(sup)
    try:
        with s_desk.read() as s:
            assert s.get(Attachment, removed) is None and s.get(Attachment, purged) is None
    finally:
        s_desk.close()
