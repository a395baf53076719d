"""Receipts proportional to what differs (exchange/digest.py): the county's signed receipt carries a digest of
what it holds from each laptop — about a byte per record instead of every id — and the township still learns
exactly which records are missing or older at the county and which deletions it has not received."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fanguai_desk.exchange.digest import Table, cells_for, difference, id_key
from fanguai_desk.exchange.envelope import fingerprint, open_signed, sign_only
from fanguai_desk.exchange.receipts import encode_receipt
from fanguai_desk.services.pki import load_certificate
from fanguai_desk.store import clock
from tests.exchange.conftest import Templates, first_victim, open_desk, table_rows
from tests.exchange.conftest import export_outcome as export
from tests.exchange.conftest import import_bundle as import_
from tests.exchange.test_delivery import add_visit_and_file


def records(path: Path) -> dict[str, dict[str, tuple[object, ...]]]:
    return table_rows(path, townships=False)



def test_the_digest_names_exactly_what_differs_and_stays_small() -> None:
    ids = [str(uuid.UUID(int=i)) for i in range(1, 20_001)]
    county = {rid: 1 + i % 4 for i, rid in enumerate(ids)}
    town = dict(county)
    missing, newer, deleted = ids[:150], ids[150:250], ids[250:300]
    for rid in missing:
        del county[rid]
    for rid in newer:
        town[rid] += 2
    for rid in deleted:
        del town[rid]
    cells = cells_for(len(county))
    table = Table(cells).add_all(county.items())
    text = table.encode()
    assert len(text) < 30 * len(county) / 20, "about a byte and a half per record, base64 included"
    diff = difference(Table.decode(cells, text), Table(cells).add_all(town.items()))
    assert diff.complete
    keys = {id_key(r): r for r in ids}
    ours, theirs = {keys[k]: v for k, v in diff.ours}, {keys[k]: v for k, v in diff.theirs}
    assert set(ours) == set(missing) | set(newer)
    assert all(ours[r] == town[r] for r in ours)
    assert set(theirs) == set(newer) | set(deleted) and all(theirs[r] == county[r] for r in theirs)


def test_too_many_differences_are_reported_as_at_least_not_listed() -> None:
    ids = [str(uuid.UUID(int=i)) for i in range(1, 3001)]
    cells = cells_for(100)
    diff = difference(Table(cells).add_all((r, 1) for r in ids[:100]), Table(cells).add_all((r, 1) for r in ids))
    assert not diff.complete and 0 < diff.at_least <= 2900


def test_receipt_v2_is_digests_and_status_lists_exactly_what_is_missing_or_older(
        templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    victim = first_victim(town)  # a file the county holds: picked before the new file exists (ids are random,
    # and the new one came first by id in about one run in sixty, which made it "missing", not "older")
    visit, new = add_visit_and_file(town, "回执摘要")
    d = open_desk(town)
    try:
        d.victims.edit(victim, {"ethnicity": "傣族"})
    finally:
        d.close()
    d = open_desk(sup)
    try:
        data = d.exchange.receipt()
        county = d.pki.trusted_ca()
        assert county is not None
        content = json.loads(gzip.decompress(open_signed(data, county, [], datetime.now(UTC))[0]))
    finally:
        d.close()
    assert content["format_version"] == 2
    (inst,) = content["installations"]
    held = sum(len(v) for v in records(sup).values())
    assert inst["records"]["n"] >= held - 5 and "table" in inst["records"]
    assert len(json.dumps(inst)) < 32 * held + 20_000
    d = open_desk(town)
    try:
        svc = d.exchange
        svc.import_receipt(data)
        (peer,) = svc.status().peers
    finally:
        d.close()
    assert peer.digest_complete
    assert {rid for _t, rid in peer.missing_at_county} == {visit, new}
    assert [(t, rid) for t, rid, _mine, _theirs in peer.outdated_at_county] == [("victim", victim)]
    (_t, _rid, mine, theirs) = peer.outdated_at_county[0]
    assert mine > theirs


def test_a_version_1_receipt_is_still_read(templates: Templates, sup: Path, town: Path) -> None:
    import_(sup, export(town, templates.sup_cert).bundle)
    visit, new = add_visit_and_file(town, "旧回执")
    d = open_desk(town)
    try:
        installation = d.registry.installation_id
    finally:
        d.close()
    held = [[rid, row_version] for rows in records(sup).values() for rid, row in rows.items()
            for row_version in [row[-1] if isinstance(row[-1], int) else 1]]
    d = open_desk(sup)
    try:
        material = d.pki.signing_material()
        content = {"format": "fanguai-receipt", "format_version": 1, "receipt_id": str(uuid.uuid4()),
                   "created_at": clock.utcnow().isoformat(),
                   "supervisor_certs": [fingerprint(load_certificate(templates.sup_cert))],
                   "installations": [{"installation_id": installation, "epochs": [], "records": held,
                                      "tombstones": []}]}
        data = sign_only(encode_receipt(content), material.key, material.cert)
    finally:
        d.close()
    d = open_desk(town)
    try:
        svc = d.exchange
        svc.import_receipt(data)
        (peer,) = svc.status().peers
    finally:
        d.close()
    assert {visit, new} <= {rid for _t, rid in peer.missing_at_county}


