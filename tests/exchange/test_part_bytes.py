"""Bundle-set parts bounded by bytes as well as by files (exchange/exporter.plan_parts, exchange/bundle_set.py).

A township whose files carry very long notes: the export cuts parts at the byte budget (a file larger than it
alone in a part), the SQL estimate the plan cuts by is never below a part's real size, each part is an ordinary
CMS that `openssl cms` opens, the set round-trips record for record, and the memory either end holds follows the
part, not the export.  An importer refuses a part (or a single bundle) declared larger than it accepts before
decrypting anything, and an exporter refuses a file that could never fit — each with nothing written.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import subprocess
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.exporter import ExportSelection, plan_parts
from fanguai_desk.exchange.payload import read_lines
from fanguai_desk.store.models import FollowUp, SentBundle, ServiceRecord, Victim
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.test_bundle_sets import (
    export_set,
    files_at,
    import_path,
    refused,
    write_list_signed_by_author,
)
from tests.exchange.test_delivery import assert_county_equals_township

BUDGET = 1024**2  # inflated bytes per part in these tests (PART_BYTES is 64 MiB)
NO_LIMIT = 10**12
# Plain CJK without any DNA marker (基因, 分型, 等位, 亲子鉴定 …), and the characters JSON escapes or that take four
# bytes: quotes, backslashes, line breaks, tabs, an emoji.
_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就对成会可主发年动同工也能下过说产种面而方后多" \
         "行学法所民得经十三之进着部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还由" \
         '其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"\\\n\t😀'


def long_text(n_chars: int, seed: int) -> str:
    return "".join(random.Random(seed).choices(_CHARS, k=n_chars))


VISIT_TEXTS = ("notes", "living_situation", "schooling", "work", "health", "psychological", "needs", "difficulties")
TEXT_MAX = 20_000  # characters of one free-text field, as on entry (services/fields.py)


def fill_visits(s: Any, visits: list[str], chars: int, seed: int) -> None:
    """Spread ``chars`` characters of text over the visits' free-text fields, none longer than on entry."""
    per_visit = -(-chars // len(visits))
    for j, visit in enumerate(visits):
        values, left = {}, per_visit
        for k, name in enumerate(VISIT_TEXTS):
            if left <= 0:
                break
            values[name] = long_text(min(left, TEXT_MAX), seed * 1000 + j * 10 + k)
            left -= TEXT_MAX
        assert left <= 0, "more text than a visit's fields hold"
        s.execute(update(FollowUp).where(FollowUp.id == visit).values(**values))


@pytest.fixture(scope="module")
def heavy_town(templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """青龙镇 with ~11 MB of long visit texts among its 60 files: in 20 files the visits share ~0.5 MB of text
    (two such files fit a part), one file's visits hold ~1.5 MB (more than a part's budget on its own), and one
    file's own notes and one service's notes are long too.  No text is longer than entry allows (20,000
    characters); these are written directly, as a township's years of visits would have written them."""
    town = templates.copy("town_a", tmp_path_factory.mktemp("heavy"))
    d = open_desk(town)
    try:
        with d.uow.tx() as s:
            ids = list(s.scalars(select(Victim.id).order_by(Victim.id)))
            visits = {vid: list(s.scalars(select(FollowUp.id).where(FollowUp.victim_id == vid))) for vid in ids}
            heavy = [vid for vid in ids if len(visits[vid]) >= 4]
            assert len(heavy) >= 22
            for k, vid in enumerate(heavy[:20]):
                fill_visits(s, visits[vid], 170_000, k)
            big = max(heavy[20:], key=lambda vid: len(visits[vid]))
            assert len(visits[big]) >= 4
            fill_visits(s, visits[big], 520_000, 99)
            s.execute(update(Victim).where(Victim.id == heavy[21]).values(notes=long_text(TEXT_MAX, 1)))
            # Any one service: which files have services depends on the demo's draw (its ids are random), so the
            # test must not name a file by its place in id order.
            service = s.scalar(select(ServiceRecord.id).order_by(ServiceRecord.id).limit(1))
            assert service is not None, "the township template has no service record"
            s.execute(update(ServiceRecord).where(ServiceRecord.id == service).values(notes=long_text(TEXT_MAX, 8)))
    finally:
        d.close()
    return town


@pytest.fixture
def town(heavy_town: Path, tmp_path: Path) -> Path:
    target = tmp_path / "town"
    shutil.copytree(heavy_town, target)
    return target


def _folder(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


def list_lines(sup: Path, bundle: Path) -> list[dict[str, Any]]:
    d = open_desk(sup)
    try:
        return [line for line in read_lines(d.exchange._open(bundle)[0]) if line["t"] == "part"]
    finally:
        d.close()


def traced_peak(run: Callable[[], Any]) -> int:
    """What ``run`` allocated at its peak beyond what was allocated before (Python's allocator: the bundle's and
    payload's buffers, rows, lines) — a size check of the buffers, not a timing."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        run()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_long_notes_make_more_parts_each_within_the_budget_and_the_set_round_trips(
        templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    usb = _folder(tmp_path, "usb")
    d = open_desk(town)
    try:  # the plan the export will follow, with its estimates
        with d.uow.read() as s:
            plan = plan_parts(s, ExportSelection(d.uow.visible_township_ids()), part_bytes=BUDGET)
    finally:
        d.close()
    out = export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    lines = list_lines(sup, usb / "B.p7m")
    assert len(out.parts) == len(lines) == len(plan) >= 12, "60 files are one part by count; ~10 MB of notes are not"
    for spec, line in zip(plan, lines, strict=True):
        files = line["counts"].get("victim", 0)
        assert files == spec.file_count
        assert line["inflated_bytes"] <= spec.estimated_bytes, "the plan's estimate is an upper bound"
        assert line["inflated_bytes"] <= BUDGET or files == 1, "over the budget only a file alone"
    assert any(line["inflated_bytes"] > BUDGET and line["counts"]["victim"] == 1 for line in lines)
    assert sum(line["counts"].get("victim", 0) for line in lines) == 60
    result = import_path(sup, usb / "B.p7m")
    assert result.report.added["victim"] == 60
    assert_county_equals_township(sup, town)


def test_openssl_opens_every_part_of_a_byte_cut_set(templates: Templates, sup: Path, town: Path,
                                                    tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    usb = _folder(tmp_path, "usb")
    out = export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    (usb / "sup.crt").write_bytes(templates.sup_cert)
    (usb / "county.crt").write_bytes(templates.county_ca)
    d = open_desk(sup)
    key, _cert = d.pki.encryption_material()
    d.close()
    (usb / "sup.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    for number, name in enumerate(out.parts, 1):
        proc = subprocess.run(
            f"openssl cms -decrypt -recip sup.crt -inkey sup.key -in {name} | openssl cms -verify -CAfile county.crt",
            shell=True, cwd=usb, capture_output=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert b"Verification successful" in proc.stderr
        payload = gzip.decompress(proc.stdout).split(b"\n", 1)
        header = json.loads(payload[0])
        assert header["set"] == {"set_id": out.bundle_id, "part": number, "parts": len(out.parts)}
        assert header["inflated_bytes"] == len(payload[1])


def test_memory_follows_the_part_not_the_export(templates: Templates, sup: Path, town: Path, tmp_path: Path) -> None:
    """The same ~12 MB of records as one bundle and as a set of ≤ 1 MiB parts (one part of 1.5 MB: a file alone):
    export and import of the set peak at a fraction of the single bundle's buffers and within a few times its
    largest part (measured: ~8 / ~9 MB against ~38 / ~45 MB for the single bundle)."""
    single, parts = _folder(tmp_path, "single"), _folder(tmp_path, "parts")
    whole = export_set(town, templates.sup_cert, single / "B.p7m", part_files=5000, part_bytes=NO_LIMIT)
    assert whole.parts == ()
    d = open_desk(town)
    try:
        peak_set_export = traced_peak(lambda: d.exchange.export(templates.sup_cert, out=parts / "B.p7m",
                                                                part_bytes=BUDGET, catch_up=True))
        peak_single_export = traced_peak(lambda: d.exchange.export(templates.sup_cert, out=single / "C.p7m",
                                                                   part_bytes=NO_LIMIT, catch_up=True))
    finally:
        d.close()
    inflated = sum(line["inflated_bytes"] for line in list_lines(sup, parts / "B.p7m"))
    assert inflated > 10 * BUDGET
    sup2 = templates.copy("sup", tmp_path / "other")
    peaks = {}
    for name, registry, bundle in (("set", sup, parts / "B.p7m"), ("single", sup2, single / "C.p7m")):
        d = open_desk(registry)
        try:
            peaks[name] = traced_peak(lambda: d.exchange.import_bundle(bundle))  # noqa: B023 (called at once)
        finally:
            d.close()
    assert_county_equals_township(sup, town)
    assert_county_equals_township(sup2, town)
    largest = max(line["inflated_bytes"] for line in list_lines(sup, parts / "B.p7m"))
    assert peak_single_export > 2 * inflated / 3 and peaks["single"] > inflated
    assert peak_set_export < peak_single_export / 2 and peak_set_export < 10 * largest
    assert peaks["set"] < peaks["single"] / 2 and peaks["set"] < 10 * largest


def test_a_truncated_or_missing_part_of_a_byte_cut_set_is_refused_whole(templates: Templates, sup: Path, town: Path,
                                                                        tmp_path: Path) -> None:
    usb = _folder(tmp_path, "usb")
    out = export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    last = usb / out.parts[-1]
    kept = last.read_bytes()
    last.write_bytes(kept[: len(kept) // 2])
    err = refused(sup, usb / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == len(out.parts)
    last.unlink()
    err = refused(sup, usb / "B.p7m")
    assert err.code == "bundle_set_incomplete" and err.params["parts"] == str(len(out.parts))
    last.write_bytes(kept)
    assert import_path(sup, usb / "B.p7m").report.added["victim"] == 60


def test_a_part_larger_than_the_importer_accepts_is_refused_before_decrypting(
        templates: Templates, sup: Path, town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The signed list declares each part's inflated size; a part above the importer's limit is refused by number
    before any part is opened (a valid signature is no licence to fill the county laptop's memory)."""
    usb = _folder(tmp_path, "usb")
    export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    biggest = max(list_lines(sup, usb / "B.p7m"), key=lambda line: line["inflated_bytes"])
    monkeypatch.setattr("fanguai_desk.exchange.bundle_set.MAX_PART_INFLATED", biggest["inflated_bytes"] - 1)
    opened: list[Path] = []
    d = open_desk(sup)
    real_open = type(d.exchange)._open
    d.close()
    monkeypatch.setattr(type(d.exchange), "_open", lambda self, b: opened.append(b) or real_open(self, b))
    err = refused(sup, usb / "B.p7m")
    assert err.code == "bundle_part_too_large" and err.params["part"] == biggest["part"]
    assert err.params["limit_mb"] == (biggest["inflated_bytes"] - 1) // 2**20
    assert opened == [usb / "B.p7m"], "only the list was decrypted"


def test_a_single_bundle_larger_than_the_importer_accepts_is_refused(
        templates: Templates, sup: Path, town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usb = _folder(tmp_path, "usb")
    out = export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=NO_LIMIT)
    assert out.parts == ()
    monkeypatch.setattr("fanguai_desk.services.exchange.MAX_PART_INFLATED", 4 * BUDGET)
    err = refused(sup, usb / "B.p7m")
    assert err.code == "bundle_part_too_large" and err.params["part"] == 1 and err.params["total"] == 1
    assert err.params["mb"] > 4


def test_a_list_that_understates_a_part_is_refused_at_that_part(templates: Templates, sup: Path, town: Path,
                                                               tmp_path: Path) -> None:
    """Even a list signed by the author's own key cannot make a part look smaller than its own signed header
    declares (and the bounded reader enforces): the part is refused and nothing of the earlier parts stays."""
    usb = _folder(tmp_path, "usb")
    export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    d = open_desk(sup)
    try:
        lines = list(read_lines(d.exchange._open(usb / "B.p7m")[0]))
    finally:
        d.close()
    header, entries = lines[0], [line for line in lines if line["t"] == "part"]
    entries[2]["inflated_bytes"] = BUDGET // 2
    write_list_signed_by_author(templates, town, usb / "B.p7m", header, entries)
    err = refused(sup, usb / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 3
    assert files_at(sup) == 0


def test_an_export_with_a_file_too_large_for_any_part_is_refused_with_nothing_written(
        templates: Templates, town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usb = _folder(tmp_path, "usb")
    monkeypatch.setattr("fanguai_desk.exchange.exporter.MAX_PART_INFLATED", BUDGET)
    with pytest.raises(ExchangeError) as err:
        export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET)
    assert err.value.code == "export_file_too_large" and err.value.params["limit_mb"] == 1
    assert err.value.params["mb"] >= 1
    assert list(usb.iterdir()) == []
    d = open_desk(town)
    try:
        with d.read() as s:
            assert [b.state for b in s.scalars(select(SentBundle))] == ["failed"]
    finally:
        d.close()


def noise_png(seed: int, size: tuple[int, int] = (420, 400)) -> bytes:
    """A PNG of random pixels: ~500 KB that no compression shrinks (a scanned form, as far as size goes)."""
    import io

    from PIL import Image

    pixels = random.Random(seed).randbytes(size[0] * size[1] * 3)
    buf = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buf, "PNG")
    return buf.getvalue()


def test_attachments_count_towards_the_budget(templates: Templates, sup: Path, tmp_path: Path) -> None:
    """Four files with a ~0.5 MB scan each, sent with their attachments: the plan counts each scan as base64
    chunk lines (never below the real size), two scans never share a 1 MiB part, and every scan arrives."""
    import io

    from fanguai_desk.domain.enums import FileStatus

    town = templates.copy("town_a", tmp_path)
    d = open_desk(town)
    try:
        with d.read() as s:
            open_files = list(s.scalars(select(Victim.id).where(Victim.status == FileStatus.OPEN).order_by(Victim.id)))
        scans = {vid: noise_png(k) for k, vid in enumerate(open_files[2:40:10])}
        ids = {vid: d.attachments.add(vid, io.BytesIO(data), filename="scan.png", title="知情同意书扫描件").id
               for vid, data in scans.items()}
        with d.uow.read() as s:
            plan = plan_parts(s, ExportSelection(d.uow.visible_township_ids(), include_attachments=True),
                              part_bytes=BUDGET)
    finally:
        d.close()
    assert all(len(data) > 400_000 for data in scans.values())
    usb = _folder(tmp_path, "usb")
    out = export_set(town, templates.sup_cert, usb / "B.p7m", part_files=5000, part_bytes=BUDGET,
                     include_attachments=True)
    lines = list_lines(sup, usb / "B.p7m")
    assert len(out.parts) == len(lines) == len(plan) >= 4
    for spec, line in zip(plan, lines, strict=True):
        assert line["inflated_bytes"] <= spec.estimated_bytes
        assert line["inflated_bytes"] <= BUDGET or line["counts"].get("victim") == 1
        assert line["counts"].get("attachment", 0) <= 1
    result = import_path(sup, usb / "B.p7m")
    assert result.report.added["attachment"] == 4
    d = open_desk(sup)
    try:
        for vid, data in scans.items():
            assert d.attachments.content(ids[vid])[1] == data
    finally:
        d.close()


def test_an_incremental_export_of_long_notes_is_cut_by_bytes_too(templates: Templates, sup: Path, town: Path,
                                                                 tmp_path: Path) -> None:
    """After a first set, three files get the longest notes entry allows (~60 KB): the next export carries only
    them, cut at a 100 KB budget one file a part, and the county ends equal to the township."""
    from fanguai_desk.domain.enums import FileStatus

    first = _folder(tmp_path, "first")
    export_set(town, templates.sup_cert, first / "B.p7m", part_files=5000, part_bytes=BUDGET)
    import_path(sup, first / "B.p7m")
    d = open_desk(town)
    try:
        with d.read() as s:
            chosen = list(s.scalars(select(Victim.id).where(Victim.status == FileStatus.OPEN).order_by(Victim.id)
                                    .limit(3)))
        for k, vid in enumerate(chosen):
            d.victims.edit(vid, {"notes": long_text(TEXT_MAX, 500 + k)})
    finally:
        d.close()
    second = _folder(tmp_path, "second")
    out = export_set(town, templates.sup_cert, second / "B.p7m", part_files=5000, part_bytes=100_000)
    lines = list_lines(sup, second / "B.p7m")
    assert out.counts["victim"] == 3 and len(lines) == 3
    assert all(line["counts"]["victim"] == 1 and 50_000 < line["inflated_bytes"] <= 100_000 for line in lines)
    import_path(sup, second / "B.p7m")
    assert_county_equals_township(sup, town)
