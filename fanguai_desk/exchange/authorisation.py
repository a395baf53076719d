"""Is every record in a bundle its signer's to send?  (docs/security-model.md, "malicious caseworker")

The signer's certificate binds them to a township and a role (``pki/binding.py``).  A county-wide
supervisor may send anything.  Anyone else may add, change or delete only their own township's records:

* ``township`` — only the bound township (by id, or by name: the supervisor matches townships by name);
* ``user`` stubs — only users of that township (or the signer themselves);
* ``case``/``victim`` — ``township_id`` of that township, and if the record exists here, it must be
  there too (no moving a 白马镇 file into 青龙镇 by overwriting it); a victim's case must be its own;
* records of a file (guardian, consent, service …) — the file must be the township's (in this bundle
  or here); ``referral_event`` — its referral must be;
* tombstones — only for records here that are the township's (an unknown id is harmless: nothing to
  delete, and a UUID cannot be guessed);
* ``created_by``/``updated_by`` — users of the township (in the bundle or here), never someone else;
  ``updated_installation`` — the exporting laptop; ``origin_installation`` — the exporting laptop for
  new records, unchanged for existing ones;
* the header's ``author_user_id`` — the user the certificate was issued to;
* review flags (``exchange/review_flags.py``) — only on the township's files, closed by its users.

The first record that fails refuses the whole bundle (``bundle_not_authorised`` with the record type,
id and a reason code); the caller rolls the transaction back, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanguai_desk.exchange.envelope import ExchangeError
from fanguai_desk.pki.binding import Binding
from fanguai_desk.store.models import (
    MODEL_BY_RECORD_TYPE,
    Case,
    LegalAidReferral,
    ReferralEvent,
    Township,
    User,
    Victim,
)

TOWNSHIP_SCOPED = frozenset({"case", "victim"})


class NotAuthorised(ExchangeError):
    code = "bundle_not_authorised"


def _chunks(items: Sequence[str], n: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


class Authoriser:
    """Checks batches of decoded rows (the merger calls :meth:`check_rows` before it writes them)."""

    def __init__(self, s: Session, binding: Binding | None, header: Mapping[str, Any]) -> None:
        self.s = s
        self.binding = binding
        self.installation = str(header.get("installation_id"))
        self.author = header.get("author_user_id")
        self.county_wide = binding is not None and binding.county_wide
        if binding is None:
            self._refuse("bundle", str(header.get("bundle_id")), "certificate_unbound")
        assert binding is not None
        if binding.user_id and self.author != binding.user_id:
            self._refuse("bundle", str(header.get("bundle_id")), "author_not_signer")
        self.townships: set[str] = set()
        if binding.township_id:
            self.townships.add(binding.township_id)
        self.townships.update(s.scalars(select(Township.id).where(Township.name == binding.township_name)))
        self.users: set[str] = {str(self.author)} if self.author else set()
        self._known_users: dict[str, bool] = {}
        self.victims: dict[str, bool] = {}
        self.cases: dict[str, bool] = {}
        self.referrals: dict[str, bool] = {}

    def forget(self) -> None:
        """Drop what was looked up about files, cases and referrals (between the parts of a bundle set): the
        registry answers again, with the earlier parts already in it."""
        self.victims.clear()
        self.cases.clear()
        self.referrals.clear()

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _refuse(record_type: str, record_id: str, reason: str) -> None:
        raise NotAuthorised(record_type=record_type, record_id=record_id, reason=reason)

    def _owned_township(self, township_id: Any) -> bool:
        return isinstance(township_id, str) and township_id in self.townships

    def _lookup(self, cache: dict[str, bool], model: Any, ids: Iterable[Any]) -> None:
        missing = sorted({i for i in ids if isinstance(i, str) and i not in cache})
        for chunk in _chunks(missing):
            found = {k: v for k, v in self.s.execute(
                select(model.id, model.township_id).where(model.id.in_(chunk))).tuples()}
            for i in chunk:
                cache[i] = i in found and self._owned_township(found[i])

    def _lookup_users(self, ids: Iterable[Any]) -> None:
        missing = sorted({i for i in ids if isinstance(i, str) and i not in self.users and i not in self._known_users})
        for chunk in _chunks(missing):
            found = {k: v for k, v in self.s.execute(
                select(User.id, User.township_id).where(User.id.in_(chunk))).tuples()}
            for i in chunk:
                self._known_users[i] = i in found and self._owned_township(found[i])

    def _local(self, model: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            for row in self.s.execute(select(model.__table__).where(model.id.in_(chunk))).mappings():
                out[row["id"]] = dict(row)
        return out

    # ------------------------------------------------------------------ records

    def check_rows(self, record_type: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if self.county_wide:
            return
        model = MODEL_BY_RECORD_TYPE[record_type]
        ids = [str(r["id"]) for r in rows]
        local = self._local(model, ids)
        if record_type == "township":
            assert self.binding is not None
            for r in rows:
                if r["id"] in self.townships or r.get("name") == self.binding.township_name:
                    self.townships.add(r["id"])
                else:
                    self._refuse(record_type, r["id"], "other_township")
        elif record_type == "user":
            for r in rows:
                if not (self._owned_township(r.get("township_id")) or r["id"] == self.author):
                    self._refuse(record_type, r["id"], "other_township")
                old = local.get(r["id"])
                if old is not None and not (self._owned_township(old.get("township_id")) or r["id"] == self.author):
                    self._refuse(record_type, r["id"], "other_township")
                self.users.add(r["id"])
        elif record_type in TOWNSHIP_SCOPED:
            cache = self.victims if record_type == "victim" else self.cases
            if record_type == "victim":
                self._lookup(self.cases, Case, [r.get("case_id") for r in rows if r.get("case_id")])
            for r in rows:
                old = local.get(r["id"])
                if not self._owned_township(r.get("township_id")) or \
                        (old is not None and not self._owned_township(old.get("township_id"))):
                    self._refuse(record_type, r["id"], "other_township")
                if record_type == "victim" and r.get("case_id") and not self.cases.get(r["case_id"]):
                    self._refuse(record_type, r["id"], "other_township")
                cache[r["id"]] = True
        elif record_type == "referral_event":
            self._lookup_referrals([r.get("referral_id") for r in rows] + [o.get("referral_id") for o in local.values()])
            for r in rows:
                old = local.get(r["id"])
                if not self.referrals.get(str(r.get("referral_id"))) or \
                        (old is not None and not self.referrals.get(str(old.get("referral_id")))):
                    self._refuse(record_type, r["id"], "other_township")
        else:  # records of a file
            self._lookup(self.victims, Victim, [r.get("victim_id") for r in rows] +
                         [o.get("victim_id") for o in local.values()])
            for r in rows:
                old = local.get(r["id"])
                if not self.victims.get(str(r.get("victim_id"))) or \
                        (old is not None and not self.victims.get(str(old.get("victim_id")))):
                    self._refuse(record_type, r["id"], "other_township")
                if record_type == "referral":
                    self.referrals[r["id"]] = True
        self._check_authors(record_type, rows, local)

    def _lookup_referrals(self, ids: Iterable[Any]) -> None:
        missing = sorted({i for i in ids if isinstance(i, str) and i not in self.referrals})
        for chunk in _chunks(missing):
            found = {k: v for k, v in self.s.execute(select(LegalAidReferral.id, LegalAidReferral.victim_id)
                                                     .where(LegalAidReferral.id.in_(chunk))).tuples()}
            self._lookup(self.victims, Victim, found.values())
            for i in chunk:
                self.referrals[i] = i in found and self.victims.get(found[i], False)

    def _check_authors(self, record_type: str, rows: Sequence[Mapping[str, Any]],
                       local: Mapping[str, Mapping[str, Any]]) -> None:
        self._lookup_users([r.get(k) for r in rows for k in ("created_by", "updated_by") if r.get(k)])
        for r in rows:
            for key in ("created_by", "updated_by"):
                who = r.get(key)
                if who is not None and who not in self.users and not self._known_users.get(who):
                    self._refuse(record_type, r["id"], "author_not_township")
            if r.get("updated_installation") != self.installation:
                self._refuse(record_type, r["id"], "installation_not_signer")
            old = local.get(r["id"])
            expected_origin = old.get("origin_installation") if old is not None else self.installation
            if r.get("origin_installation") != expected_origin:
                self._refuse(record_type, r["id"], "installation_not_signer")

    def check_author(self, record_type: str, record_id: str, user_id: str) -> None:
        """Someone named as having done something in the bundle (who closed a review flag) must be a user of
        the signer's township, as ``created_by``/``updated_by`` must."""
        if self.county_wide:
            return
        self._lookup_users([user_id])
        if user_id not in self.users and not self._known_users.get(user_id):
            self._refuse(record_type, record_id, "author_not_township")

    # ------------------------------------------------------------------ tombstones

    def check_file_part(self, record_type: str, record_id: str, victim_id: str) -> None:
        """Something that hangs off a file and is not a record (an attachment): the file must be the signer's."""
        if self.county_wide:
            return
        self._lookup(self.victims, Victim, [victim_id])
        if not self.victims.get(victim_id):
            self._refuse(record_type, record_id, "other_township")

    def check_tombstone(self, record_type: str, record_id: str) -> None:
        if self.county_wide:
            return
        model = MODEL_BY_RECORD_TYPE.get(record_type)
        if model is None:
            return  # the merger refuses it as malformed
        if model is Township:
            if self.s.get(Township, record_id) is not None:
                self._refuse(record_type, record_id, "other_township")
            return
        local = self._local(model, [record_id]).get(record_id)
        if local is None:
            return
        if model in (Victim, Case, User):
            ok = self._owned_township(local.get("township_id"))
        elif model is ReferralEvent:
            self._lookup_referrals([local.get("referral_id")])
            ok = bool(self.referrals.get(str(local.get("referral_id"))))
        else:
            self._lookup(self.victims, Victim, [local.get("victim_id")])
            ok = bool(self.victims.get(str(local.get("victim_id"))))
        if not ok:
            self._refuse(record_type, record_id, "other_township")
