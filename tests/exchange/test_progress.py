"""Export and import report their progress through fanguai_desk/progress.py (real registries, real bundles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.exporter import EXPORT_ORDER
from fanguai_desk.exchange.payload import read_lines
from tests.exchange.conftest import Templates, open_desk
from tests.helpers import ProgressLog


def test_export_reports_rows_then_signing_then_writing(templates: Templates, tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    log = ProgressLog()
    written: list[bytes] = []
    d = open_desk(town)
    try:
        out = d.exchange.export(templates.sup_cert, write=written.append, include_attachments=True,
                                        progress=log)
    finally:
        d.close()
    log.assert_protocol("export")
    assert log.stages() == ["export_records", "export_attachments", "export_sign", "export_write"]
    rows = sum(out.counts[m.RECORD_TYPE] for m in EXPORT_ORDER)
    assert rows > 100
    assert log.last("export_records") == (rows, rows)
    # thinned out, yet more than a start and an end: a bar that moves
    reports = [c for c in log.calls if c[0] == "export_records"]
    assert 3 < len(reports) < 120
    assert written == [out.bundle]


def test_statistics_export_and_export_without_a_writer(templates: Templates, tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    d = open_desk(town)
    try:
        log = ProgressLog()
        d.exchange.export(templates.sup_cert, statistics_only=True, year=2025, progress=log)
        log.assert_protocol("export")
        assert log.stages() == ["export_records", "export_sign"]
        log = ProgressLog()
        d.exchange.export(templates.sup_cert, progress=log)
        assert log.stages() == ["export_records", "export_sign"]
    finally:
        d.close()


def test_import_reports_the_inflated_bytes_it_merged(templates: Templates, tmp_path: Path) -> None:
    town, sup = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path)
    d = open_desk(town)
    try:
        bundle = d.exchange.export(templates.sup_cert).bundle
    finally:
        d.close()
    log = ProgressLog()
    d = open_desk(sup)
    try:
        outcome = d.exchange.import_bundle(bundle, progress=log)
        payload = d.exchange._open(bundle)[0]
    finally:
        d.close()
    assert sum(outcome.report.added.values()) > 100
    log.assert_protocol("import")
    assert log.stages() == ["import_open", "import_merge", "import_check", "import_save"]
    declared = next(read_lines(payload))["inflated_bytes"]
    assert declared > 0
    assert log.last("import_merge") == (declared, declared)


def test_a_refused_import_stops_where_it_was_refused(templates: Templates, tmp_path: Path) -> None:
    town, sup = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path)
    d = open_desk(town)
    try:
        bundle = d.exchange.export(templates.sup2_cert).bundle  # for another supervisor
    finally:
        d.close()
    log = ProgressLog()
    d = open_desk(sup)
    try:
        with pytest.raises(ExchangeError) as err:
            d.exchange.import_bundle(bundle, progress=log)
        assert err.value.code == "bundle_not_for_us"
    finally:
        d.close()
    assert log.calls == [("import_open", 0, 1)]  # never claims to have finished
