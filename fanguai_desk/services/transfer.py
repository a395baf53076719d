"""Transfer a file to another installation (another township laptop, another county), and trust a peer county.

Sending (``send``): the whole file with its history goes into a signed, encrypted transfer bundle addressed
to the receiving user's encryption certificate (``exchange/transfer.py``); once the bundle is written, the
sender's file is closed with reason ``transferred`` (转出至其他地区) and the destination recorded.

Receiving: through the normal import (``ExchangeService.import_bundle`` hands transfer bundles here), with the
same checks — addressed to us, intact, signed by a certificate that is valid, not revoked and issued by a CA
this installation trusts (its own county's, or a **peer county** an administrator trusted explicitly by its
fingerprint), format and schema known, not replayed, every record passing the core's rules (the importer's
``Merger``).  The file then belongs to the receiving user's township and caseworker; its history comes along.

Peer counties: ``trust_peer(cert, fingerprint)`` stores another county's CA certificate after comparing its
SHA-256 fingerprint with the one read out by that county (phone, letter): nothing signed under a CA that is
not trusted this way is accepted, and no bundle is addressed to a certificate from such a CA.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from sqlalchemy import delete, select

from fanguai_desk.domain.enums import AuditAction, ClosureReason, FileStatus, FollowUpStatus, Role
from fanguai_desk.domain.errors import RuleViolation, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.exchange.authorisation import Authoriser
from fanguai_desk.exchange.envelope import (
    ExchangeError,
    fingerprint,
    open_enveloped,
    recipients_in,
    sign_and_encrypt,
    unwrap,
)
from fanguai_desk.exchange.importer import Merger
from fanguai_desk.exchange.payload import read_lines
from fanguai_desk.exchange.transfer import KIND, build_transfer_payload, history_entry, pem_list, sender_ca
from fanguai_desk.pki.binding import binding_of
from fanguai_desk.pki.ca import CertUsage, is_ca_certificate, load_crl
from fanguai_desk.pki.enrolment import certificate_usage
from fanguai_desk.pki.validation import CertStatus, certificate_status, crl_from_ca
from fanguai_desk.services import fields
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.services.lifecycle import CloseResult, LifecycleService
from fanguai_desk.services.pki import PkiService, cert_fingerprint, load_certificate, pem
from fanguai_desk.services.unit_of_work import UnitOfWork
from fanguai_desk.store.clock import utcnow
from fanguai_desk.store.models import FollowUp, ImportedBundle, PkiObject, Township, Victim, new_uuid

if TYPE_CHECKING:
    from fanguai_desk.services.exchange import ImportOutcome

PEER_CA = "peer_ca"


@dataclass(frozen=True)
class PeerCounty:
    fingerprint: str
    subject: str
    not_after: datetime


@dataclass(frozen=True)
class TransferOut:
    bundle: bytes
    bundle_id: str
    counts: dict[str, int]
    history: int
    destination: str
    closed: CloseResult


@dataclass
class TransferIn:
    bundle_id: str
    victim_id: str
    file_number: str
    township: str
    records: int
    history: int
    dry_run: bool
    outcome: ImportOutcome | None = field(default=None, repr=False)


def normalize_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


class TransferService(ServiceBase):
    def __init__(self, desk: UnitOfWork, *, pki: PkiService, lifecycle: LifecycleService) -> None:
        super().__init__(desk)
        self.pki = pki
        self.lifecycle = lifecycle

    # ------------------------------------------------------------------ peer counties

    def trust_peer(self, cert_pem: bytes, expected_fingerprint: str) -> PeerCounty:
        """Trust another county's CA, after the fingerprint read out by that county matches.  On any laptop
        that sends or receives a transferred file (a township's too): not the county authority's act."""
        self.uow.require(Permission.PEER_TRUST)
        cert = load_certificate(cert_pem)
        if not is_ca_certificate(cert):
            raise ValidationError("peer_ca_not_ca")
        fp = cert_fingerprint(cert)
        if normalize_fingerprint(expected_fingerprint) != fp:
            raise ValidationError("peer_ca_fingerprint_mismatch", fingerprint=fp)
        own = self.pki.trusted_ca()
        if own is not None and cert_fingerprint(own) == fp:
            raise ValidationError("peer_ca_is_own")
        with self.uow.tx() as s:
            if s.scalar(select(PkiObject).where(PkiObject.kind == PEER_CA, PkiObject.fingerprint == fp)) is None:
                s.add(PkiObject(kind=PEER_CA, fingerprint=fp, data=pem(cert)))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "peer_ca", None, op="trust_peer", fingerprint=fp)
        return PeerCounty(fp, cert.subject.rfc4514_string(), cert.not_valid_after_utc)

    def untrust_peer(self, fp: str) -> None:
        self.uow.require(Permission.PEER_TRUST)
        key = normalize_fingerprint(fp)
        with self.uow.tx() as s:
            result: Any = s.execute(delete(PkiObject).where(PkiObject.kind == PEER_CA, PkiObject.fingerprint == key))
            if not result.rowcount:
                raise ValidationError("peer_ca_unknown")
            self.uow.audit(s, AuditAction.KEY_ADMIN, "peer_ca", None, op="untrust_peer", fingerprint=key)

    def peers(self) -> list[PeerCounty]:
        return [PeerCounty(cert_fingerprint(c), c.subject.rfc4514_string(), c.not_valid_after_utc)
                for c in self._peer_cas()]

    def _peer_cas(self) -> list[x509.Certificate]:
        with self.uow.read() as s:
            return [load_certificate(r.data) for r in s.scalars(
                select(PkiObject).where(PkiObject.kind == PEER_CA).order_by(PkiObject.created_at))]

    def _issuer_of(self, cert: x509.Certificate, extra_crls: list[bytes] | None = None) -> x509.Certificate:
        """The trusted CA (own county or a peer) under which ``cert`` is valid now; else a refusal."""
        pki = self.pki
        own = pki.trusted_ca()
        now = datetime.now(UTC)
        candidates = ([(own, pki.crls())] if own is not None else []) + [
            (ca, [c for c in extra_crls or [] if crl_from_ca(load_crl(c), ca)]) for ca in self._peer_cas()]
        for ca, crls in candidates:
            status = certificate_status(cert, ca, crls, now)
            if status is CertStatus.VALID:
                return ca
            if status is not CertStatus.UNTRUSTED:
                raise ExchangeError(f"author_{status.value}")
        raise ExchangeError("transfer_untrusted_county")

    # ------------------------------------------------------------------ sending

    def send(self, victim_id: str, recipient_cert_pem: bytes, destination: str, *,
             write: Callable[[bytes], None] | None = None) -> TransferOut:
        """Build the transfer bundle of one file for the receiving user; once written, close the file here
        with reason 转出 and the destination recorded.  Not an export to the county (``Permission.EXPORT``): a
        file leaves whichever laptop holds it, the county's own included."""
        self.uow.require(Permission.FILE_WRITE)
        where = fields.NOTE("destination", destination)
        if not where:
            raise ValidationError("field_required", field="destination")
        recipient = load_certificate(recipient_cert_pem)
        if certificate_usage(recipient) is not CertUsage.ENCRYPTION:
            raise ValidationError("certificate_usage_mismatch")
        self._issuer_of(recipient)  # own county or a trusted peer county, valid, not revoked
        pki = self.pki
        own_ca = pki.trusted_ca()
        if own_ca is None:
            raise ExchangeError("no_trusted_ca")
        material = pki.signing_material()
        bundle_id = new_uuid()
        receiver = recipient.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        receiver_name = str(receiver[0].value) if receiver else ""
        with self.uow.read() as s:
            victim = self._victim(s, victim_id)
            if victim.status is FileStatus.CLOSED:
                raise RuleViolation("file_closed")
            header: dict[str, Any] = {
                "bundle_id": bundle_id, "created_at": utcnow().isoformat(),
                "schema_revision": self.uow.registry.schema_revision, "registry_id": self.uow.registry.registry_id,
                "installation_id": self.uow.registry.installation_id, "author_user_id": self.uow.actor.user_id,
                "author_cert_sha256": fingerprint(material.cert), "recipient_cert_sha256": fingerprint(recipient),
                "sequence": 1, "scope": "selection",
                "transfer": {"victim_id": victim.id, "from_township": victim.township.name, "destination": where,
                             "ca_cert": pem(own_ca).decode("ascii"), "crls": pem_list(pki.crls())},
            }
            built = build_transfer_payload(s, victim.id, self.uow.visible_township_ids(), header)
        bundle = sign_and_encrypt(built.payload, material.key, material.cert, recipient)
        if write is not None:
            write(bundle)  # if the file cannot be written, the file here stays open
        recorded = f"{where}（{receiver_name}）" if receiver_name else where
        closed = self.lifecycle.close(victim_id, ClosureReason.TRANSFERRED, f"移交至 {recorded}",
                                           transferred_to=recorded[:300])
        with self.uow.tx() as s:
            self.uow.audit(s, AuditAction.EXPORT, "bundle", bundle_id, kind=KIND, victim=victim_id,
                            recipient=fingerprint(recipient)[:16], records=sum(built.counts.values()),
                            history=built.history)
        return TransferOut(bundle, bundle_id, built.counts, built.history, recorded, closed)

    # ------------------------------------------------------------------ receiving (through the normal import)

    def receive(self, bundle: bytes | Path, *, dry_run: bool = False) -> TransferIn:
        """Open a bundle whose author may be from a trusted peer county, and import it if it is a transfer."""
        from fanguai_desk.services.exchange import read_bundle

        self.uow.require(Permission.FILE_WRITE)
        pki = self.pki
        enveloped = unwrap(read_bundle(bundle) if isinstance(bundle, Path) else bundle)
        serials = {serial for _issuer, serial in recipients_in(enveloped)}
        match = next(((c, k) for c, k in pki.decryption_candidates() if c.serial_number in serials), None)
        if match is None:
            raise ExchangeError("bundle_not_for_us")
        cert, get_key = match
        now = datetime.now(UTC)
        cas = [c for c in (pki.trusted_ca(),) if c is not None] + self._peer_cas()
        opened = None
        for ca in cas:
            try:
                opened = open_enveloped(enveloped, get_key(), cert, ca, pki.crls() if ca is cas[0] else [], now)
                break
            except ExchangeError as exc:
                if exc.code != "author_untrusted":
                    raise
        if opened is None:
            raise ExchangeError("transfer_untrusted_county")
        return self.receive_opened(opened.payload, opened.signer_cert, opened.recipient_fingerprint,
                                   dry_run=dry_run)

    def receive_opened(self, payload: bytes, signer: x509.Certificate, recipient_fp: str, *,
                       header: dict[str, Any] | None = None, dry_run: bool = False) -> TransferIn:
        from fanguai_desk.services.exchange import BundlePreview, ExchangeService, ImportOutcome

        self.uow.require(Permission.FILE_WRITE)
        header = header or ExchangeService._header(payload, signer, recipient_fp)
        if header.get("kind") != KIND:
            self.uow.require(Permission.IMPORT)  # a records bundle: the county's import, not a transfer
            raise ExchangeError("bundle_format_unknown", found=str(header.get("kind")))
        _ca, crls = sender_ca(header)
        self._issuer_of(signer, crls)  # revocation by the sending county's own CRL, when it sent one
        info = header["transfer"]
        victim_id = info.get("victim_id")
        if not isinstance(victim_id, str):
            raise ExchangeError("bundle_malformed", part="header")
        try:
            created = datetime.fromisoformat(header["created_at"])
        except ValueError:
            raise ExchangeError("bundle_malformed", part="header") from None
        with self.uow.read() as s:
            if s.get(ImportedBundle, header["bundle_id"]) is not None:
                raise ExchangeError("bundle_replayed", sequence=1, last=1)
        with self.uow.tx_or_dry_run(dry_run) as s:
            # The same authorisation as any bundle (exchange/authorisation.py): every record must be the signer's
            # township's to send.
            merger = Merger(s, bundle_id=header["bundle_id"], origin_installation=header["installation_id"],
                            local_installation=self.uow.registry.installation_id, user_id=self.uow.actor.user_id,
                            authoriser=Authoriser(s, binding_of(signer), header))
            history = []
            for line in read_lines(payload):
                t = line.get("t")
                if t == "record":
                    merger.add_record(str(line.get("type")), line.get("data") or {})
                elif t == "tombstone":
                    merger.add_tombstone(str(line.get("type")), str(line.get("id")), str(line.get("reason")))
                elif t == "history":
                    history.append(history_entry(line.get("data")))
                elif t not in ("header", "end"):
                    raise ExchangeError("bundle_malformed", part="payload")
            report = merger.finish()
            s.add_all(history)
            s.flush()
            victim = s.get(Victim, victim_id)
            if victim is None:
                raise ExchangeError("bundle_incomplete", record_type="victim")
            # The file now belongs here: the receiving user's township and caseworker (history keeps the rest).
            if self.uow.actor.township_id is not None and victim.township_id != self.uow.actor.township_id:
                victim.township_id = self.uow.actor.township_id
            if self.uow.actor.role is Role.CASEWORKER:
                victim.caseworker_id = self.uow.actor.user_id
                for visit in s.scalars(select(FollowUp).where(FollowUp.victim_id == victim.id,
                                                              FollowUp.status == FollowUpStatus.PLANNED)):
                    visit.caseworker_id = self.uow.actor.user_id
            s.flush()
            township = s.get(Township, victim.township_id)
            s.add(ImportedBundle(bundle_id=header["bundle_id"], kind=KIND,
                                 origin_installation=header["installation_id"], origin_registry=header["registry_id"],
                                 author_fingerprint=header["author_cert_sha256"], recipient_fingerprint=recipient_fp,
                                 sequence=0, created_at=created.replace(tzinfo=None),
                                 imported_by=self.uow.actor.user_id, report=report.to_json()))
            self.uow.audit(s, AuditAction.IMPORT, "bundle", header["bundle_id"], kind=KIND, victim=victim.id,
                            added=sum(report.added.values()), updated=sum(report.updated.values()),
                            conflicts=report.conflicts, history=len(history), dry_run=dry_run)
            result = TransferIn(header["bundle_id"], victim.id, victim.file_number, township.name if township else "",
                                sum(report.added.values()) + sum(report.updated.values()), len(history), dry_run)
        preview = BundlePreview(header["bundle_id"], KIND, 1, created, signer.subject.rfc4514_string(),
                                header["installation_id"], counts=dict(report.added))
        result.outcome = ImportOutcome(preview, report, dry_run)
        return result
