"""Keys and certificates of the people using this registry, and (on the supervisor's laptop) the county CA.

Enrolment, by hand, with no network:
1. the user generates keys here (``enrol``): two RSA key pairs (signing, encryption) stored in the
   registry PKCS#8-encrypted under *their own* user key (from their key slot), and a request file;
2. the supervisor's laptop (``ca issue``) turns the request file into a certificate file;
3. the user installs it (``install``) together with the county CA certificate.
The CA's private key is kept as a PKCS#12 under the CA password (never plaintext), inside the
encrypted registry; ``ca export`` writes that PKCS#12 out for an offline safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import delete, select, update

from fanguai_desk.domain.enums import AuditAction
from fanguai_desk.domain.errors import NotFound, ValidationError
from fanguai_desk.domain.permissions import Permission
from fanguai_desk.pki.binding import Binding, confirm_binding, requested_binding
from fanguai_desk.pki.ca import (
    CertUsage,
    CountyCA,
    create_county_ca,
    issue_certificate,
    load_ca_pkcs12,
    load_crl,
    load_csr,
    save_ca_pkcs12,
)
from fanguai_desk.pki.ca import build_crl as make_crl
from fanguai_desk.pki.enrolment import EnrolmentRequest, IssuedBundle, build_enrolment, check_installable
from fanguai_desk.pki.keys import (
    decrypt_private_key,
    encrypt_private_key,
    generate_encryption_key,
    generate_signing_key,
)
from fanguai_desk.pki.validation import crl_from_ca
from fanguai_desk.services.base import ServiceBase
from fanguai_desk.store.audit import Signer
from fanguai_desk.store.models import PkiObject

# PkiObject.kind values
PRIVATE_KEY = "private_key"
CERTIFICATE = "certificate"
TRUSTED_CA = "trusted_ca"
CA_PKCS12 = "ca_pkcs12"
ISSUED = "issued_certificate"
CRL = "crl"
_CRL_BLOCK = re.compile(rb"-----BEGIN X509 CRL-----[A-Za-z0-9+/=\s]+-----END X509 CRL-----")
RETIRED_KEY = "retired_private_key"
RETIRED_CERT = "retired_certificate"
AUDIT_CERT = "audit_certificate"  # signing certificates the audit log's signatures name (never deleted)


@dataclass(frozen=True)
class SigningMaterial:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]


@dataclass(frozen=True)
class CertificateInfo:
    purpose: str
    subject: str
    serial: str  # hex, as ``ca revoke`` takes it
    not_after: datetime
    fingerprint: str
    revoked_at: datetime | None = None  # issued certificates only (the CA's own list)


def spki_sha256(public_key: Any) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def cert_fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    try:
        return int(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    except x509.ExtensionNotFound:
        return 0


def load_certificate(data: bytes) -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationError("certificate_file_invalid") from None


class PkiService(ServiceBase):
    # ------------------------------------------------------------------ the user's own keys

    def enrol(self, common_name: str | None = None) -> bytes:
        """New key pairs for the signed-in user and the request file to take to the county CA.

        The user's previous keys are replaced, and with them the certificates issued for those keys
        (useless without them): until the new certificates are installed the user cannot sign."""
        signing, encryption = generate_signing_key(), generate_encryption_key()
        actor = self.uow.actor
        settings = self.uow.settings()
        request = build_enrolment(signing, encryption, common_name or actor.display_name,
                                  actor.township_name or settings.county_name, actor.role.value,
                                  county=settings.county_name, township_id=actor.township_id or "",
                                  user_id=actor.user_id)
        with self.uow.tx() as s:
            # An installed encryption key pair is retired, not deleted: bundles already on their way,
            # encrypted to it, must still open on this laptop.
            mine = PkiObject.owner_user_id == actor.user_id
            has_cert = s.scalar(select(PkiObject.id).where(mine, PkiObject.kind == CERTIFICATE,
                                                           PkiObject.purpose == "encryption"))
            if has_cert:
                s.execute(update(PkiObject).where(mine, PkiObject.purpose == "encryption",
                                                  PkiObject.kind == PRIVATE_KEY).values(kind=RETIRED_KEY))
                s.execute(update(PkiObject).where(mine, PkiObject.purpose == "encryption",
                                                  PkiObject.kind == CERTIFICATE).values(kind=RETIRED_CERT))
            s.execute(delete(PkiObject).where(mine, PkiObject.kind.in_([PRIVATE_KEY, CERTIFICATE])))
            for purpose, key in (("signing", signing), ("encryption", encryption)):
                s.add(PkiObject(kind=PRIVATE_KEY, owner_user_id=actor.user_id, purpose=purpose,
                                fingerprint=spki_sha256(key.public_key()),
                                data=encrypt_private_key(key, self.uow.user_key)))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "user", actor.user_id, op="enrol")
        self.uow.forget_audit_signer()
        return request.to_file_bytes()

    def _private_key(self, purpose: str) -> rsa.RSAPrivateKey:
        """The signed-in user's private key.  Decrypting the PKCS#8 costs ~0.3 s (its KDF), so the key is
        kept in the unit of work (``UnitOfWork.private_keys``, wiped with its keys) — which holds the user key
        that decrypts it anyway — and only there: another user signed in on the same laptop gets their own
        unit of work and cannot reach it."""
        with self.uow.read() as s:
            row = s.scalar(select(PkiObject).where(PkiObject.owner_user_id == self.uow.actor.user_id,
                                                   PkiObject.kind == PRIVATE_KEY, PkiObject.purpose == purpose))
        if row is None:
            raise NotFound("keys_not_enrolled")
        cache = self.uow.private_keys
        tag = (purpose, hashlib.sha256(row.data).digest())  # a new enrolment changes the blob: a miss
        key = cache.get(tag)
        if key is None:
            key = decrypt_private_key(row.data, self.uow.user_key)
            for old in [k for k in cache if k[0] == purpose]:
                del cache[old]
            cache[tag] = key
        return key

    def signing_certificate_fingerprint(self) -> str | None:
        """SHA-256 of the signed-in user's installed signing certificate (None: not installed)."""
        with self.uow.read() as s:
            return s.scalar(select(PkiObject.fingerprint).where(
                PkiObject.owner_user_id == self.uow.actor.user_id, PkiObject.kind == CERTIFICATE,
                PkiObject.purpose == "signing"))

    def signing_key(self) -> rsa.RSAPrivateKey:
        return self._private_key("signing")

    def audit_signer(self) -> Signer | None:
        """What signs the signed-in user's audit entries (``UnitOfWork.audit_signer`` asks here once):
        their signing key, if a certificate is installed; None leaves entries unsigned."""
        try:
            cert_fp = self.signing_certificate_fingerprint()
        except Exception:  # no certificate (or none readable): entries stay unsigned, as before enrolment
            return None
        if cert_fp is None:
            return None

        def sign(digest: str) -> tuple[str, str] | None:
            from fanguai_desk.store.audit_signing import sign_hash

            try:
                return cert_fp, sign_hash(self.signing_key(), digest)
            except Exception:  # the key cannot be unlocked (e.g. after a password recovery): unsigned
                return None

        return sign

    def install(self, bundle_file: bytes) -> None:
        """Install the certificates the county CA issued for this user's keys, and trust that CA."""
        bundle = IssuedBundle.from_file_bytes(bundle_file)
        trusted = self.trusted_ca()
        check_installable(bundle, self._private_key("signing"), self._private_key("encryption"),
                          expected_ca=trusted)
        uid = self.uow.actor.user_id
        with self.uow.tx() as s:
            s.execute(delete(PkiObject).where(PkiObject.owner_user_id == uid, PkiObject.kind == CERTIFICATE))
            for purpose, cert in (("signing", bundle.signing_cert), ("encryption", bundle.encryption_cert)):
                s.add(PkiObject(kind=CERTIFICATE, owner_user_id=uid, purpose=purpose, serial=str(cert.serial_number),
                                fingerprint=cert_fingerprint(cert), data=pem(cert)))
            # A copy the audit log keeps for good: its signatures must stay checkable after a re-enrolment.
            if not s.scalar(select(PkiObject.id).where(PkiObject.kind == AUDIT_CERT, PkiObject.fingerprint ==
                                                       cert_fingerprint(bundle.signing_cert))):
                s.add(PkiObject(kind=AUDIT_CERT, owner_user_id=uid, purpose="signing",
                                serial=str(bundle.signing_cert.serial_number),
                                fingerprint=cert_fingerprint(bundle.signing_cert), data=pem(bundle.signing_cert)))
            if trusted is None:
                s.add(PkiObject(kind=TRUSTED_CA, fingerprint=cert_fingerprint(bundle.ca_cert), data=pem(bundle.ca_cert)))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "user", uid, op="install_certificates")
        self.uow.forget_audit_signer()  # from now on this user's audit entries are signed
        for block in _CRL_BLOCK.findall(bundle_file):  # the county CRL issued with the certificates
            try:
                self.install_crl(block)
            except ValidationError as exc:
                if exc.code != "crl_older":  # a newer list is already installed: keep it
                    raise

    def _certificate(self, purpose: str) -> x509.Certificate:
        with self.uow.read() as s:
            row = s.scalar(select(PkiObject).where(PkiObject.owner_user_id == self.uow.actor.user_id,
                                                   PkiObject.kind == CERTIFICATE, PkiObject.purpose == purpose))
        if row is None:
            raise NotFound("certificate_not_installed")
        return load_certificate(row.data)

    def signing_material(self) -> SigningMaterial:
        ca = self.trusted_ca()
        return SigningMaterial(self._private_key("signing"), self._certificate("signing"), (ca,) if ca else ())

    def encryption_material(self) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        return self._private_key("encryption"), self._certificate("encryption")

    def decryption_candidates(self) -> list[tuple[x509.Certificate, Callable[[], rsa.RSAPrivateKey]]]:
        """The current encryption certificate and every retired one, each with a way to get its key
        (decrypting a key costs ~0.3 s, so only the one a bundle names is decrypted)."""
        uid = self.uow.actor.user_id
        out: list[tuple[x509.Certificate, Callable[[], rsa.RSAPrivateKey]]] = []
        with contextlib.suppress(NotFound):
            out.append((self._certificate("encryption"), lambda: self._private_key("encryption")))
        with self.uow.read() as s:
            certs = list(s.scalars(select(PkiObject).where(PkiObject.owner_user_id == uid,
                                                           PkiObject.kind == RETIRED_CERT)
                                   .order_by(PkiObject.created_at.desc())))
            keys = list(s.scalars(select(PkiObject).where(PkiObject.owner_user_id == uid,
                                                          PkiObject.kind == RETIRED_KEY)))
        by_public_key = {k.fingerprint: k.data for k in keys if k.fingerprint}
        for row in certs:
            cert = load_certificate(row.data)
            blob = by_public_key.get(spki_sha256(cert.public_key()))
            if blob is not None:
                def unlock(blob: bytes = blob) -> rsa.RSAPrivateKey:
                    return decrypt_private_key(blob, self.uow.user_key)
                out.append((cert, unlock))
        return out

    def my_certificates(self) -> list[CertificateInfo]:
        out = []
        for purpose in ("signing", "encryption"):
            try:
                cert = self._certificate(purpose)
            except NotFound:
                continue
            out.append(CertificateInfo(purpose, cert.subject.rfc4514_string(), format(cert.serial_number, "x"),
                                       cert.not_valid_after_utc, cert_fingerprint(cert)))
        return out

    def export_encryption_certificate(self) -> bytes:
        """The file a township needs to export *to* this user (a supervisor)."""
        return pem(self._certificate("encryption"))

    # ------------------------------------------------------------------ trust

    def trusted_ca(self) -> x509.Certificate | None:
        with self.uow.read() as s:
            row = s.scalar(select(PkiObject).where(PkiObject.kind == TRUSTED_CA))
        return load_certificate(row.data) if row else None

    def crls(self) -> list[bytes]:
        with self.uow.read() as s:
            return [r.data for r in s.scalars(select(PkiObject).where(PkiObject.kind == CRL))]

    def install_crl(self, data: bytes) -> None:
        """Install the county CA's revocation list (replacing the one installed before).

        Refused: a CRL not signed by the trusted CA (``crl_not_from_ca``), and one older than the
        installed CRL (``crl_older``) — installing an old list would silently un-revoke certificates."""
        crl = load_crl(data)
        ca = self.trusted_ca()
        if ca is None or not crl_from_ca(crl, ca):
            raise ValidationError("crl_not_from_ca")
        der = crl.public_bytes(serialization.Encoding.DER)
        with self.uow.tx() as s:
            for old in s.scalars(select(PkiObject).where(PkiObject.kind == CRL)):
                if _crl_number(load_crl(old.data)) > _crl_number(crl):
                    raise ValidationError("crl_older")
            s.execute(delete(PkiObject).where(PkiObject.kind == CRL))
            s.add(PkiObject(kind=CRL, data=der))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "crl", None, op="install_crl",
                            revoked=len(list(crl)))

    # ------------------------------------------------------------------ the county CA (supervisor laptop)

    def ca_init(self, name: str, organization: str, password: str) -> x509.Certificate:
        self.uow.require(Permission.COUNTY_CA)
        if len(password) < 10:
            raise ValidationError("password_too_short", min=10)
        with self.uow.read() as s:
            if s.scalar(select(PkiObject.id).where(PkiObject.kind == CA_PKCS12)):
                raise ValidationError("ca_exists")
        ca = create_county_ca(name, organization)
        with self.uow.tx() as s:
            s.add(PkiObject(kind=CA_PKCS12, data=save_ca_pkcs12(ca, password.encode("utf-8"))))
            s.execute(delete(PkiObject).where(PkiObject.kind == TRUSTED_CA))
            s.add(PkiObject(kind=TRUSTED_CA, fingerprint=cert_fingerprint(ca.cert), data=pem(ca.cert)))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "ca", None, op="ca_init")
        return ca.cert

    def _ca(self, password: str) -> CountyCA:
        self.uow.require(Permission.COUNTY_CA)
        with self.uow.read() as s:
            row = s.scalar(select(PkiObject).where(PkiObject.kind == CA_PKCS12))
        if row is None:
            raise NotFound("ca_missing")
        return load_ca_pkcs12(row.data, password.encode("utf-8"))

    def ca_pkcs12(self) -> bytes:
        """The CA's PKCS#12 (still encrypted under the CA password), for an offline backup."""
        self.uow.require(Permission.COUNTY_CA)
        with self.uow.read() as s:
            row = s.scalar(select(PkiObject).where(PkiObject.kind == CA_PKCS12))
        if row is None:
            raise NotFound("ca_missing")
        return row.data

    def request_binding(self, request_file: bytes) -> Binding | None:
        """The township and role a request file asks to be bound to (shown before ``ca issue``)."""
        return requested_binding(load_csr(EnrolmentRequest.from_file_bytes(request_file).signing_csr))

    def ca_issue(self, request_file: bytes, password: str, validity_days: int = 730, *,
                 confirm_township: str | None = None) -> bytes:
        """Issue both certificates, carrying the township/role binding the request asks for.
        ``confirm_township`` is the supervisor's confirmation (``*`` for a county-wide supervisor): it must
        name the requested township, else ``binding_not_confirmed``."""
        ca = self._ca(password)
        request = EnrolmentRequest.from_file_bytes(request_file)
        binding = confirm_binding(load_csr(request.signing_csr), confirm_township)
        ext = binding.extension() if binding is not None else None
        signing = issue_certificate(ca, request.signing_csr, CertUsage.SIGNING, validity_days, binding=ext)
        encryption = issue_certificate(ca, request.encryption_csr, CertUsage.ENCRYPTION, validity_days, binding=ext)
        with self.uow.tx() as s:
            for cert in (signing, encryption):
                s.add(PkiObject(kind=ISSUED, serial=str(cert.serial_number), fingerprint=cert_fingerprint(cert),
                                data=pem(cert)))
            self.uow.audit(s, AuditAction.KEY_ADMIN, "ca", None, op="issue",
                            bound_role=binding.role if binding else None,
                            serials=[format(signing.serial_number, "x"), format(encryption.serial_number, "x")])
        # The CRL current now travels with the certificates, so the laptop can sign PAdES-B-LT from day one.
        crl = x509.load_der_x509_crl(self.ca_crl(password)).public_bytes(serialization.Encoding.PEM)
        return IssuedBundle(signing, encryption, ca.cert).to_file_bytes() + b"\n# county CRL\n" + crl

    def issued(self) -> list[CertificateInfo]:
        """The certificates this laptop's CA issued (supervisor/administrator), with revocation times."""
        self.uow.require(Permission.COUNTY_CA)
        with self.uow.read() as s:
            rows = list(s.scalars(select(PkiObject).where(PkiObject.kind == ISSUED).order_by(PkiObject.created_at)))
        out = []
        for r in rows:
            cert = load_certificate(r.data)
            purpose = "signing" if cert.extensions.get_extension_for_class(
                x509.KeyUsage).value.digital_signature else "encryption"
            out.append(CertificateInfo(purpose, cert.subject.rfc4514_string(), format(cert.serial_number, "x"),
                                       cert.not_valid_after_utc, cert_fingerprint(cert),
                                       r.revoked_at.replace(tzinfo=UTC) if r.revoked_at else None))
        return out

    def ca_revoke(self, serials_hex: Sequence[str], password: str) -> bytes:
        """Revoke certificates (by serial, hex) and return the new CRL, which is also installed here."""
        ca = self._ca(password)
        now = datetime.now(UTC)
        with self.uow.tx() as s:
            known = {int(r.serial): r for r in s.scalars(select(PkiObject).where(PkiObject.kind == ISSUED))
                     if r.serial}
            for text in serials_hex:
                try:
                    serial = int(text, 16)
                except ValueError:
                    raise ValidationError("serial_invalid") from None
                if serial not in known:
                    raise NotFound("certificate_unknown")
                known[serial].revoked_at = known[serial].revoked_at or now.replace(tzinfo=None)
            revoked = [(serial, r.revoked_at.replace(tzinfo=UTC)) for serial, r in known.items() if r.revoked_at]
            self.uow.audit(s, AuditAction.KEY_ADMIN, "ca", None, op="revoke" if serials_hex else "crl",
                            serials=list(serials_hex))
        crl = make_crl(ca, revoked)
        self.install_crl(crl)
        return crl

    def ca_crl(self, password: str) -> bytes:
        return self.ca_revoke([], password)


def request_check_code(request: bytes) -> str:
    """A request file's check code: the first 16 hex digits of its SHA-256, in groups of four.  Both sides
    read it aloud on the phone (caseworker at enrolment, supervisor at issue) so a swapped file is caught."""
    import hashlib

    digest = hashlib.sha256(request).hexdigest().upper()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))
