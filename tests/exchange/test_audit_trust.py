"""An audit log a key holder cannot quietly rewrite (issue 12, docs/security-model.md).

The insider: a caseworker who signs in with their own password, opens the database like plain sqlcipher3
would, deletes their reveal entries and recomputes the SHA-256 chain (and the stored head).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select

from fanguai_desk.domain.enums import AuditAction, Role
from fanguai_desk.domain.errors import RegistryError
from fanguai_desk.services.audit_view import verify_audit
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import audit, audit_head
from fanguai_desk.store.models import AuditEntry, RegistryMeta
from tests.exchange.conftest import Templates, open_desk

CW_PASSWORD = "Caseworker-pass-2026"


def _rewrite_without(desk: Desk, drop: Any, *, and_the_head_file: bool = True) -> int:
    """Delete the entries ``drop`` selects, renumber, recompute every hash and the head (signatures kept as
    they were: the insider cannot make new ones for others).  Returns how many were removed.

    A careful insider holds the database key, so they can also re-authenticate the audit head kept outside
    the database (store/audit_head.py); only the signatures then remain to give them away.  Without that
    step the next open already refuses the shortened chain as an older copy."""
    with desk.tx() as s:
        rows = [dict(r._mapping) for r in s.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq))]
        kept = [r for r in rows if not drop(r)]
        prev = audit.GENESIS
        for i, r in enumerate(kept, start=1):
            r["seq"], r["prev_hash"] = i, prev
            r["hash"] = audit.entry_digest(prev, i, r["id"], r["at"], r["user_id"], r["installation_id"],
                                           r["action"].value if hasattr(r["action"], "value") else r["action"],
                                           r["record_type"], r["record_id"], r["detail"])
            prev = r["hash"]
        s.execute(delete(AuditEntry))
        s.execute(insert(AuditEntry.__table__), kept)
        s.merge(RegistryMeta(key=audit.HEAD_KEY, value=f"{len(kept)}:{prev}"))
        audit.forget_cached_head(s)
    keeper = desk.registry._head
    if and_the_head_file and keeper is not None:
        keeper.write_now(audit_head.Head(keeper.registry_id, len(kept), prev))
    return len(rows) - len(kept)


def test_a_rewrite_that_leaves_the_head_file_is_refused_at_the_next_open(templates: Templates,
                                                                         tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    _caseworker(town)
    cw = _reveals(town)
    insider = Desk.unlock(town, "cw01", CW_PASSWORD)
    try:
        assert _rewrite_without(insider, lambda r: r["user_id"] == cw and r["action"] == AuditAction.REVEAL,
                                and_the_head_file=False) == 3
    finally:
        insider.registry.close()
    with pytest.raises(RegistryError) as err:
        open_desk(town)
    assert err.value.code == "registry_rolled_back_behind"


def _caseworker(path: Path) -> str:
    d = open_desk(path)
    try:
        with d.read() as s:
            from fanguai_desk.store.models import Township

            township = s.query(Township).one().name
        d.users.add("cw01", CW_PASSWORD, Role.CASEWORKER, township)
        with d.read() as s:
            return str(s.scalars(select(AuditEntry.user_id).order_by(AuditEntry.seq.desc())).first())
    finally:
        d.close()


def _reveals(path: Path, n: int = 3) -> str:
    d = Desk.unlock(path, "cw01", CW_PASSWORD)
    try:
        vid = d.victims.list_rows(limit=1)[0].id
        for _ in range(n):
            d.victims.reveal(vid)
        return d.actor.user_id
    finally:
        d.close()


def test_entries_of_a_user_with_a_certificate_are_signed(templates: Templates, tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    d = open_desk(town)
    try:
        d.victims.reveal(d.victims.list_rows(limit=1)[0].id)
        with d.read() as s:
            last = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.REVEAL)).all()[-1]
        assert last.signature and last.signer_cert_sha256
        result = verify_audit(d)
        assert result.ok, result
    finally:
        d.close()


def test_rewriting_ones_own_entries_before_another_users_signed_entry_is_detected(templates: Templates,
                                                                                  tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    _caseworker(town)
    cw = _reveals(town)
    d = open_desk(town)  # the admin (enrolled) works afterwards: signed entries
    d.victims.reveal(d.victims.list_rows(limit=1)[0].id)
    d.close()
    insider = Desk.unlock(town, "cw01", CW_PASSWORD)
    try:
        removed = _rewrite_without(insider, lambda r: r["user_id"] == cw and r["action"] == AuditAction.REVEAL)
        assert removed == 3
        with insider.read() as s:
            assert audit.verify_chain(s).ok  # the plain chain is whole again: this was the attack
    finally:
        insider.registry.close()  # as plain sqlcipher would: no logout entry
    d = open_desk(town)
    try:
        result = verify_audit(d)
        assert not result.ok and result.problem == "signature_invalid"

        chain = next(c for c in d.maintenance.doctor().checks if c.code == "audit_chain")
        assert chain.status.value == "fail" and chain.params["problem"] == "signature_invalid"
    finally:
        d.close()


def test_stripping_signatures_one_by_one_is_detected(templates: Templates, tmp_path: Path) -> None:
    town = templates.copy("town_a", tmp_path)
    d = open_desk(town)
    vid = d.victims.list_rows(limit=1)[0].id
    for _ in range(3):
        d.victims.reveal(vid)
    with d.tx() as s:
        target = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.REVEAL)
                           .order_by(AuditEntry.seq.desc())).first()
        assert target is not None
        target.signature = None
        target.signer_cert_sha256 = None
    try:
        result = verify_audit(d)
        assert not result.ok and result.problem == "signature_missing"
    finally:
        d.registry.close()


def _export(path: Path, cert: bytes) -> bytes:
    d = open_desk(path)
    try:
        return d.exchange.export(cert).bundle
    finally:
        d.close()


def _import(path: Path, bundle: bytes) -> str:
    d = open_desk(path)
    try:
        return d.exchange.import_bundle(bundle).audit_chain
    finally:
        d.close()


def test_the_supervisor_flags_a_chain_that_does_not_extend_the_last_head(templates: Templates,
                                                                         tmp_path: Path) -> None:
    town, sup = templates.copy("town_a", tmp_path), templates.copy("sup", tmp_path)
    _caseworker(town)
    cw = _reveals(town)
    assert _import(sup, _export(town, templates.sup_cert)) == "first"
    _reveals(town, 1)
    assert _import(sup, _export(town, templates.sup_cert)) == "extends"
    # The caseworker deletes reveals that the supervisor's last head already covers, and recomputes.
    insider = Desk.unlock(town, "cw01", CW_PASSWORD)
    try:
        assert _rewrite_without(insider, lambda r: r["user_id"] == cw and r["action"] == AuditAction.REVEAL) == 4
    finally:
        insider.registry.close()
    d = open_desk(sup)
    try:
        outcome = d.exchange.import_bundle(_export(town, templates.sup_cert))
        assert outcome.audit_chain == "rewritten"
        with d.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.IMPORT)
                              .order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and '"audit_chain": "rewritten"' in entry.detail
    finally:
        d.close()
