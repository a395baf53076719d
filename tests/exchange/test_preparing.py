"""The import's helper process (exchange/preparing.py): a large import reads and checks its records in a second
process while this one merges; the registry it leaves, the first refusal it gives and the nothing-written after
a refusal are the same as reading in-process.

Real registries, real bundle sets, the real import with the helper forced on (its threshold set to 0) or off; a
helper that dies half-way; a stream broken inside a part; the helper gone once the import ends either way.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import text

from fanguai_desk.exchange import preparing
from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.exchange.importer import RuleRefusal
from fanguai_desk.exchange.payload import PayloadWriter
from fanguai_desk.exchange.preparing import PREPARED, Preparer
from fanguai_desk.services import exchange as exchange_service
from tests.exchange import test_bundle_sets as sets
from tests.exchange.conftest import Templates, open_desk
from tests.exchange.test_delivery import assert_county_equals_township

DNA_NOTE = "DNA比对结果：D8S1179 12,14; TH01 9,9.3"


class HelperSpy:
    def __init__(self) -> None:
        self.used: list[bool] = []
        self.pids: list[int] = []


@pytest.fixture
def helper(monkeypatch: pytest.MonkeyPatch) -> HelperSpy:
    """Every bundle set imported with the helper; what each import used, and the helpers' process ids."""
    return _spy(monkeypatch, threshold=0)


@pytest.fixture
def no_helper(monkeypatch: pytest.MonkeyPatch) -> HelperSpy:
    return _spy(monkeypatch, threshold=10**12)


def _spy(monkeypatch: pytest.MonkeyPatch, threshold: int) -> HelperSpy:
    spy = HelperSpy()
    monkeypatch.setattr(exchange_service, "HELPER_FROM_RECORDS", threshold)
    enter = Preparer.__enter__

    def spied(self: Preparer) -> Preparer:
        out = enter(self)
        spy.used.append(self.uses_helper)
        if self._process is not None:
            spy.pids.append(self._process.pid)
        return out

    monkeypatch.setattr(Preparer, "__enter__", spied)
    return spy


def assert_helpers_gone(spy: HelperSpy) -> None:
    for pid in spy.pids:
        if psutil.pid_exists(pid):
            assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, "the helper outlived its import"


def test_a_set_read_by_the_helper_round_trips_record_for_record(templates: Templates, sup: Path, town: Path,
                                                                bundle_dir: Path, helper: HelperSpy) -> None:
    sets.test_a_set_round_trips_record_for_record_and_counts_once(templates, sup, town, bundle_dir)
    assert helper.used[0] is True and len(helper.pids) >= 1
    assert_helpers_gone(helper)


def test_twenty_parts_through_the_helper_equal_the_township(templates: Templates, sup: Path, town: Path,
                                                           bundle_dir: Path, helper: HelperSpy) -> None:
    many = sets.export_set(town, templates.sup_cert, bundle_dir / "parts.p7m", part_files=3)
    assert len(many.parts) == 20
    sets.import_path(sup, bundle_dir / "parts.p7m")
    assert_county_equals_township(sup, town)
    assert helper.used == [True]
    assert_helpers_gone(helper)


@pytest.mark.parametrize("use_helper", [True, False], ids=["helper", "in-process"])
def test_a_rule_broken_in_the_last_part_gives_the_same_refusal_and_nothing_written(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path, monkeypatch: pytest.MonkeyPatch,
        use_helper: bool) -> None:
    """DNA data in a note of the file that travels last (parts hold files in id order): parts 1–3 are merged
    first, then the refusal — the same code, rule and record either way, the registry as it was."""
    spy = _spy(monkeypatch, threshold=0 if use_helper else 10**12)
    d = open_desk(town)
    try:
        with d.tx() as s:  # bypass the services, as a tampered or buggy laptop would
            vid = s.execute(text("SELECT max(id) FROM victims")).scalar()
            s.execute(text("UPDATE victims SET notes = :n WHERE id = :i"), {"n": DNA_NOTE, "i": vid})
    finally:
        d.close()
    sets._set(templates, town, bundle_dir)
    err = sets.refused(sup, bundle_dir / "B.p7m")
    assert (err.code, err.params["rule"], err.params["record_id"], err.params["field"]) == \
        ("bundle_rule_violation", "dna_data", vid, "notes")
    assert type(err) is RuleRefusal
    assert spy.used == [use_helper]
    assert sets.files_at(sup) == 0
    assert_helpers_gone(spy)


def test_a_helper_that_dies_half_way_refuses_the_import_and_nothing_is_written(
        templates: Templates, sup: Path, town: Path, bundle_dir: Path, helper: HelperSpy,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sets._set(templates, town, bundle_dir)
    ahead = Preparer.ahead
    parts: list[int] = []

    def dies_before_part_two(self: Preparer, payload: bytes) -> None:
        parts.append(1)
        if len(parts) == 2:  # as if the system had killed it (out of memory)
            self._process.kill()
            self._process.join()
        ahead(self, payload)

    monkeypatch.setattr(Preparer, "ahead", dies_before_part_two)
    err = sets.refused(sup, bundle_dir / "B.p7m")
    assert err.code == "import_helper_failed"
    assert len(parts) == 2 and sets.files_at(sup) == 0


def _payload(broken_after: int) -> bytes:
    """A payload whose body has ``broken_after`` good lines (tombstones: no registry needed), then one that is
    not JSON."""
    writer = PayloadWriter()
    writer.line({"t": "header", "format": "test"})
    for k in range(broken_after):
        writer.line({"t": "tombstone", "type": "victim", "id": f"id-{k}", "reason": "deleted"})
    broken = b"{not json\n"
    writer._gzip.write(broken)
    writer._inflated += len(broken)
    return writer.finish()


def _read_until_refused(preparer: Preparer, payload: bytes) -> tuple[list[Any], ExchangeError]:
    seen: list[Any] = []
    with pytest.raises(ExchangeError) as err:
        for item in preparer.lines(payload):
            seen.append(item)
    return seen, err.value


def test_a_broken_stream_is_refused_at_the_same_line_by_the_helper_as_in_process() -> None:
    payload = _payload(broken_after=2500)  # past two of the helper's messages
    with Preparer(helper=False) as here:
        seen_here, err_here = _read_until_refused(here, payload)
    with Preparer(helper=True) as there:
        assert there.uses_helper
        seen_there, err_there = _read_until_refused(there, payload)
        process = there._process
    assert seen_there == seen_here and len(seen_here) == 2501  # the header and every good line
    assert (err_there.code, err_there.params) == (err_here.code, err_here.params) == \
        ("bundle_malformed", {"part": "payload"})
    assert process is not None and not process.is_alive()


def test_a_record_refused_by_its_own_checks_comes_back_as_that_refusal() -> None:
    """Records checked in the helper: the good one's values in the table's column order, the broken ones with
    the refusal ``decode_record`` raises, pickled with its code and parameters."""
    writer = PayloadWriter()
    writer.line({"t": "header", "format": "test"})
    writer.line({"t": "record", "type": "referral_event", "data": {"id": "e1"}})  # columns missing
    writer.line({"t": "record", "type": "no_such_table", "data": {}})  # left to the merge to refuse
    with Preparer(helper=True) as there:
        items = list(there.lines(writer.finish()))
    assert items[0]["t"] == "header" and items[2]["type"] == "no_such_table"
    kind, record_type, values, _base, refusal = items[1]
    assert (kind, record_type, values) == (PREPARED, "referral_event", None)
    assert isinstance(refusal, ExchangeError)
    assert (refusal.code, refusal.params) == ("bundle_schema_mismatch", {"record_type": "referral_event"})


def test_a_refusal_survives_pickling_with_its_code_and_parameters() -> None:
    err = pickle.loads(pickle.dumps(RuleRefusal(rule="dna_data", record_type="victim", record_id="v1",
                                                field="notes")))
    assert type(err) is RuleRefusal and err.code == "bundle_rule_violation"
    assert err.params == {"rule": "dna_data", "record_type": "victim", "record_id": "v1", "field": "notes"}
    assert str(err) == "bundle_rule_violation"  # never the parameters


def test_small_imports_are_read_in_process() -> None:
    assert preparing.HELPER_FROM_RECORDS >= 10_000  # a second interpreter costs about half a second


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc (Linux)")
def test_the_helper_is_hardened_like_the_program_no_core_dump() -> None:
    """It holds decrypted records: core dumps off in the helper itself (an exec does not keep the dumpable flag,
    so it hardens itself; the core limit is checked from outside)."""
    with Preparer(helper=True) as there:
        list(there.lines(_header_only()))  # one part round trip: it is up and past its start
        limits = Path(f"/proc/{there._process.pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core


def _header_only() -> bytes:
    writer = PayloadWriter()
    writer.line({"t": "header", "format": "test"})
    return writer.finish()
