"""Bundle sets (exchange/bundle_set.py): a large export as several complete CMS bundles bound by a signed list.

Real registries, real bundles, the real import: a set round-trips record for record; every way of losing,
damaging, mixing or reordering a part refuses the whole set with its own message and nothing written; each part
and the list are ordinary CMS that `openssl cms` opens; progress is reported part by part.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from fanguai_desk.exchange.bundle_set import part_file_name
from fanguai_desk.exchange.envelope import ExchangeError, sign_and_encrypt
from fanguai_desk.exchange.payload import FORMAT, FORMAT_VERSION, PayloadWriter, read_lines
from fanguai_desk.services.pki import load_certificate
from fanguai_desk.store.models import ImportedBundle, Victim
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.test_delivery import add_visit_and_file, assert_county_equals_township
from tests.helpers import ProgressLog, assert_only_refusal_audited, content_fingerprint

PART = 16  # files per part: the 60-file township makes a set of 4


def export_set(town: Path, recipient: bytes, out: Path, part_files: int = PART, **kw: Any) -> Any:
    d = open_desk(town)
    try:
        return d.exchange.export(recipient, out=out, part_files=part_files, **kw)
    finally:
        d.close()


def import_path(sup: Path, path: Path | bytes, **kw: Any) -> Any:
    d = open_desk(sup)
    try:
        return d.exchange.import_bundle(path, **kw)
    finally:
        d.close()


def refused(sup: Path, path: Path | bytes) -> ExchangeError:
    """The import is refused, and nothing but the refusal's audit entry is written."""
    d = open_desk(sup)
    try:
        before = content_fingerprint(d)
        with pytest.raises(ExchangeError) as err:
            d.exchange.import_bundle(path)
        assert_only_refusal_audited(d, before, err.value.code)
    finally:
        d.close()
    return err.value

def write_list_signed_by_author(templates: Templates, town: Path, path: Path, header: dict[str, Any],
                                entries: list[dict[str, Any]]) -> None:
    """A bundle set's list rewritten with ``entries`` and signed with the township's own key (a forgery every
    file of which still matches its hash), encrypted to the supervisor."""
    writer = PayloadWriter()
    writer.line({k: v for k, v in header.items() if k != "inflated_bytes"})
    for entry in entries:
        writer.line(entry)
    d = open_desk(town)
    try:
        material = d.pki.signing_material()
        path.write_bytes(sign_and_encrypt(writer.finish(), material.key, material.cert,
                                          load_certificate(templates.sup_cert)))
    finally:
        d.close()


def files_at(registry: Path) -> int:
    d = open_desk(registry)
    try:
        with d.read() as s:
            return int(s.scalar(select(func.count()).select_from(Victim)) or 0)
    finally:
        d.close()


def test_a_set_round_trips_record_for_record_and_counts_once(templates: Templates, sup: Path, town: Path,
                                                             bundle_dir: Path) -> None:
    out = export_set(town, templates.sup_cert, bundle_dir / "B.p7m")
    assert out.parts == tuple(part_file_name(bundle_dir / "B.p7m", k) for k in (1, 2, 3, 4))
    assert all((bundle_dir / name).is_file() for name in out.parts)
    assert (bundle_dir / "B.p7m").read_bytes() == out.bundle
    d = open_desk(sup)
    try:
        preview = d.exchange.preview(bundle_dir / "B.p7m")
    finally:
        d.close()
    assert preview.counts == {k: v for k, v in out.counts.items() if k not in ("print", "attachment", "review_flag")}
    assert preview.counts["victim"] == 60 and preview.sequence == out.sequence
    result = import_path(sup, bundle_dir / "B.p7m")
    assert result.report.added["victim"] == 60
    assert_county_equals_township(sup, town)
    d = open_desk(sup)
    try:
        with d.read() as s:
            (row,) = s.scalars(select(ImportedBundle))
            assert row.bundle_id == out.bundle_id and row.sequence == out.sequence and '"parts": 4' in row.report
    finally:
        d.close()
    # the same set again is a replay, refused whole
    assert refused(sup, bundle_dir / "B.p7m").code == "bundle_replayed"


def test_an_incremental_set_carries_only_the_changed_files(templates: Templates, sup: Path, town: Path,
                                                          bundle_dir: Path) -> None:
    export_set(town, templates.sup_cert, bundle_dir / "1.p7m")
    import_path(sup, bundle_dir / "1.p7m")
    add_visit_and_file(town, "分卷之后")
    out = export_set(town, templates.sup_cert, bundle_dir / "2.p7m", part_files=1)
    assert len(out.parts) == 2, "two files changed: one part each"
    assert out.counts["victim"] == 1 and out.counts["followup"] == 1  # the new file; the visit of an old one
    import_path(sup, bundle_dir / "2.p7m")
    assert_county_equals_township(sup, town)


def test_cases_travel_once_before_their_files(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    single = export_set(town, templates.sup_cert, bundle_dir / "all.p7m", part_files=10_000)
    assert single.parts == ()
    many = export_set(town, templates.sup_cert, bundle_dir / "parts.p7m", part_files=3, catch_up=True)  # all again
    assert len(many.parts) == 20
    assert many.counts == single.counts and many.tombstones == single.tombstones
    import_path(sup, bundle_dir / "parts.p7m")
    assert_county_equals_township(sup, town)


def _set(templates: Templates, town: Path, folder: Path, name: str = "B.p7m") -> Any:
    return export_set(town, templates.sup_cert, folder / name)


def test_a_missing_part_refuses_the_whole_set(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    out = _set(templates, town, bundle_dir)
    (bundle_dir / out.parts[2]).unlink()
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_incomplete" and err.params["parts"] == "3" and err.params["total"] == 4


def test_a_truncated_part_refuses_the_whole_set(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    out = _set(templates, town, bundle_dir)
    last = bundle_dir / out.parts[-1]
    last.write_bytes(last.read_bytes()[:-100])
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 4


def test_reordered_parts_refuse_the_whole_set(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    out = _set(templates, town, bundle_dir)
    one, two = bundle_dir / out.parts[0], bundle_dir / out.parts[1]
    data_one, data_two = one.read_bytes(), two.read_bytes()
    one.write_bytes(data_two)
    two.write_bytes(data_one)
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 1


def test_a_duplicated_part_refuses_the_whole_set(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    out = _set(templates, town, bundle_dir)
    shutil.copyfile(bundle_dir / out.parts[0], bundle_dir / out.parts[1])
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 2


def test_a_part_of_another_export_refuses_the_whole_set(templates: Templates, sup: Path, town: Path,
                                                        bundle_dir: Path, tmp_path: Path) -> None:
    out = _set(templates, town, bundle_dir)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = export_set(town, templates.sup_cert, other_dir / "B.p7m", catch_up=True)  # same files, another set
    shutil.copyfile(other_dir / other.parts[1], bundle_dir / out.parts[1])
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 2


def test_a_part_alone_or_a_list_without_its_files_is_refused(templates: Templates, sup: Path, town: Path,
                                                             bundle_dir: Path) -> None:
    out = _set(templates, town, bundle_dir)
    err = refused(sup, bundle_dir / out.parts[0])
    assert err.code == "bundle_set_part" and err.params["part"] == 1 and err.params["total"] == 4
    assert refused(sup, (bundle_dir / "B.p7m").read_bytes()).code == "bundle_set_needs_files"
    d = open_desk(sup)
    try:
        with pytest.raises(ExchangeError) as err2:
            d.exchange.preview(bundle_dir / out.parts[3])
        assert err2.value.code == "bundle_set_part"
    finally:
        d.close()


def test_a_list_signed_by_the_author_but_in_another_order_is_refused_after_a_part_was_merged(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    """Defence in depth: even a list the author's own key signed (so every file matches its hash) cannot make the
    importer take part 3 as part 2 — each part's signed header names its place.  Part 1 is merged first, inside
    the transaction, and the refusal leaves nothing of it behind."""
    _set(templates, town, bundle_dir)
    d = open_desk(sup)
    try:
        opened = d.exchange._open(bundle_dir / "B.p7m")[0]
    finally:
        d.close()
    lines = list(read_lines(opened))
    header, entries = lines[0], [line for line in lines if line["t"] == "part"]
    entries = [entries[0], entries[2], entries[1], entries[3]]
    for number, entry in enumerate(entries, 1):
        entry["part"] = number
    write_list_signed_by_author(templates, town, bundle_dir / "B.p7m", header, entries)
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "bundle_set_mismatch" and err.params["part"] == 2
    assert files_at(sup) == 0
    assert header["format"] == FORMAT and header["format_version"] == FORMAT_VERSION


def test_openssl_opens_a_part_and_the_list(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    import gzip
    import json

    from cryptography.hazmat.primitives import serialization

    out = _set(templates, town, bundle_dir)
    (bundle_dir / "sup.crt").write_bytes(templates.sup_cert)
    (bundle_dir / "county.crt").write_bytes(templates.county_ca)
    d = open_desk(sup)
    key, _cert = d.pki.encryption_material()
    d.close()
    (bundle_dir / "sup.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    seen = []
    for name in ("B.p7m", out.parts[1]):
        proc = subprocess.run(
            f"openssl cms -decrypt -recip sup.crt -inkey sup.key -in {name} | openssl cms -verify -CAfile county.crt",
            shell=True, cwd=bundle_dir, capture_output=True, timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        assert b"Verification successful" in proc.stderr
        seen.append(json.loads(gzip.decompress(proc.stdout).splitlines()[0])["set"])
    assert seen[0]["part"] == 0 and seen[1]["part"] == 2 and seen[0]["set_id"] == seen[1]["set_id"] == out.bundle_id
    assert seen[0]["parts"] == seen[1]["parts"] == 4


def test_progress_is_reported_part_by_part(templates: Templates, sup: Path, town: Path, bundle_dir: Path) -> None:
    log = ProgressLog()
    d = open_desk(town)
    try:
        d.exchange.export(templates.sup_cert, out=bundle_dir / "B.p7m", part_files=PART, progress=log)
    finally:
        d.close()
    log.assert_protocol("export")
    assert log.stages() == ["export_parts", "export_sign", "export_write"]
    assert [c for c in log.calls if c[0] == "export_parts"] == [("export_parts", k, 4) for k in range(5)]
    log = ProgressLog()
    d = open_desk(sup)
    try:
        d.exchange.import_bundle(bundle_dir / "B.p7m", progress=log)
    finally:
        d.close()
    log.assert_protocol("import")
    assert log.stages() == ["import_open", "import_parts", "import_check", "import_save"]
    assert [c for c in log.calls if c[0] == "import_parts"] == [("import_parts", k, 4) for k in range(5)]


def test_cli_exports_and_imports_a_set_and_names_a_missing_part(templates: Templates, sup: Path, town: Path,
                                                                bundle_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from fanguai_desk.cli import main
    from tests.conftest import ADMIN_PASSWORD

    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setattr("fanguai_desk.services.exchange.PART_FILES", PART)
    cert = bundle_dir / "sup.crt"
    cert.write_bytes(templates.sup_cert)

    def run(*argv: str) -> int:
        return main(["--user", "admin", *argv])

    assert run("--data", str(town), "export", "--to", str(cert), "--out", str(bundle_dir / "B.p7m")) == 0
    out = capsys.readouterr().out
    assert "4 个分卷" in out and "B.part001.p7m" in out
    moved = bundle_dir / "B.part004.p7m"
    kept = moved.read_bytes()
    moved.unlink()
    assert run("--data", str(sup), "import", str(bundle_dir / "B.p7m")) == 1
    err = capsys.readouterr().err
    assert "分卷数据包不完整" in err and "第 4 卷" in err and "什么也没有写入" in err
    moved.write_bytes(kept)
    assert run("--data", str(sup), "import", str(bundle_dir / "B.p7m")) == 0
    captured = capsys.readouterr()
    assert "导入约需" in captured.err and "MB 可用磁盘空间" in captured.err  # said before the import started
    assert captured.out.startswith("已导入")
    assert_county_equals_township(sup, town)


def test_an_import_says_before_starting_that_the_disk_is_too_small(templates: Templates, town: Path,
                                                                  bundle_dir: Path, tmp_path: Path) -> None:
    """A real 8 MB tmpfs holding the supervisor's registry, filled to leave 1 MB: the import needs its write-ahead
    log's room and says so before writing anything."""
    import contextlib
    import os

    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True, timeout=20, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    try:
        sup = templates.copy("sup", mount_point)
        out = export_set(town, templates.sup_cert, bundle_dir / "B.p7m")
        d = open_desk(sup)
        try:
            need = d.exchange.preview(bundle_dir / "B.p7m").disk_needed
        finally:
            d.close()
        assert need > 4 * 1024**2 and out.parts
        stat = os.statvfs(mount_point)
        with (mount_point / "filler.bin").open("wb") as fh, contextlib.suppress(OSError):
            fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - 1024**2))
        err = refused(sup, bundle_dir / "B.p7m")
        assert err.code == "import_disk_space" and err.params["needed_mb"] * 2**20 >= need
        assert err.params["free_mb"] <= 1
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=20, check=False)


@pytest.mark.parametrize("as_set", [True, False])
def test_an_import_refuses_before_writing_when_the_disk_lacks_what_it_needs(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path, monkeypatch: pytest.MonkeyPatch,
        as_set: bool) -> None:
    """The need is worked out from the bundle's declared sizes (a set's list, or the single bundle's header)
    and held against the free space before anything is written: one byte short is refused, with both figures
    in the message, and only the refusal is audited; with the space it needs the same import goes through."""
    from fanguai_desk.services import exchange as service

    out = export_set(town, templates.sup_cert, bundle_dir / "B.p7m", part_files=PART if as_set else 1000)
    assert bool(out.parts) is as_set
    d = open_desk(sup)
    try:
        preview = d.exchange.preview(bundle_dir / "B.p7m")
    finally:
        d.close()
    need = preview.disk_needed
    assert need == service.import_disk_need(sum(line["inflated_bytes"] for line in _list_lines(sup, bundle_dir))
                                            if as_set else _inflated(sup, bundle_dir))
    monkeypatch.setattr(service, "free_disk", lambda folder: need - 1)
    err = refused(sup, bundle_dir / "B.p7m")
    assert err.code == "import_disk_space"
    assert err.params["needed_mb"] == -(-need // 2**20) and err.params["free_mb"] == (need - 1) // 2**20
    heard: list[Any] = []
    monkeypatch.setattr(service, "free_disk", lambda folder: need)
    result = import_path(sup, bundle_dir / "B.p7m", before_start=heard.append)
    assert result.report.added["victim"] == 60
    assert [(p.disk_needed, p.disk_free) for p in heard] == [(need, need)]


def _list_lines(sup: Path, bundle_dir: Path) -> list[dict[str, Any]]:
    d = open_desk(sup)
    try:
        return [line for line in read_lines(d.exchange._open(bundle_dir / "B.p7m")[0]) if line["t"] == "part"]
    finally:
        d.close()


def _inflated(sup: Path, bundle_dir: Path) -> int:
    d = open_desk(sup)
    try:
        return int(next(iter(read_lines(d.exchange._open(bundle_dir / "B.p7m")[0])))["inflated_bytes"])
    finally:
        d.close()
