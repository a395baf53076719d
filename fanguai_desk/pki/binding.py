"""The binding of a certificate's holder to a township and a role (docs/security-model.md).

Carried in the certificate in two standard ways, both set from the enrolment request and confirmed by
the supervisor at ``ca issue``:

* **subject attributes** (RFC 5280 / X.520): ``organizationalUnitName`` = the township's name,
  ``title`` = the role (``caseworker``, ``admin``, ``supervisor``) — what a person reads in any
  certificate viewer, and what certificates issued before this binding already carried;
* a **non-critical extension** for machines, under an OID from the UUID arc (ITU-T X.667, ``2.25.…``;
  no registration needed):

      FanguaiBinding ::= SEQUENCE {
          version       INTEGER (1),
          townshipId    UTF8String,   -- UUID of the township on the enrolling laptop, "" for county-wide
          townshipName  UTF8String,
          role          UTF8String,
          userId        UTF8String }  -- UUID of the user on the enrolling laptop

A supervisor's certificate (role ``supervisor``) is county-wide.  A certificate with neither the
extension nor an ``OU``/``title`` pair is *unbound*: it may sign PDFs, but bundles signed with it carry
nothing (every record is refused as not authorised) until it is re-issued (``enrol`` → ``ca issue
--township`` → ``install``).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import core as asn1_core
from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier

from fanguai_desk.domain.enums import Role
from fanguai_desk.domain.errors import ValidationError

#: 2.25 + the decimal value of UUID 5f0a8c3e-6b1d-4f0e-9a7c-2d3b1e4f5a60 (X.667)
BINDING_OID = ObjectIdentifier("2.25.126331427050793271556386391549241416288")


class _BindingAsn1(asn1_core.Sequence):
    _fields = [  # noqa: RUF012  (asn1crypto reads this class attribute)
        ("version", asn1_core.Integer),
        ("township_id", asn1_core.UTF8String),
        ("township_name", asn1_core.UTF8String),
        ("role", asn1_core.UTF8String),
        ("user_id", asn1_core.UTF8String),
    ]


@dataclass(frozen=True)
class Binding:
    township_name: str
    role: str
    township_id: str = ""
    user_id: str = ""
    from_extension: bool = True

    @property
    def county_wide(self) -> bool:
        return self.role == Role.SUPERVISOR.value

    def extension(self) -> x509.UnrecognizedExtension:
        der = _BindingAsn1({"version": 1, "township_id": self.township_id, "township_name": self.township_name,
                            "role": self.role, "user_id": self.user_id}).dump()
        return x509.UnrecognizedExtension(BINDING_OID, der)

    def label(self) -> str:
        return f"{self.township_name} / {self.role}"


def _parse_extension(value: bytes) -> Binding | None:
    try:
        parsed = _BindingAsn1.load(value, strict=True)
        native = parsed.native
    except (ValueError, TypeError):
        return None
    if native.get("version") != 1:
        return None
    try:
        Role(native["role"])
    except ValueError:
        return None
    return Binding(native["township_name"], native["role"], native["township_id"], native["user_id"])


def _from_extensions(extensions: x509.Extensions) -> Binding | None:
    try:
        ext = extensions.get_extension_for_oid(BINDING_OID).value
    except x509.ExtensionNotFound:
        return None
    if not isinstance(ext, x509.UnrecognizedExtension):
        return None
    return _parse_extension(ext.value)


def _from_subject(name: x509.Name) -> Binding | None:
    ou = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    title = name.get_attributes_for_oid(NameOID.TITLE)
    if len(ou) != 1 or len(title) != 1:
        return None
    township, role = str(ou[0].value), str(title[0].value)
    try:
        Role(role)
    except ValueError:
        return None
    return Binding(township, role, from_extension=False)


def binding_of(cert: x509.Certificate) -> Binding | None:
    """The certificate's binding: the extension if present (it must agree with the subject), else the
    subject's ``OU``/``title`` (certificates issued before the extension existed), else ``None``."""
    from_ext = _from_extensions(cert.extensions)
    from_subject = _from_subject(cert.subject)
    if from_ext is not None:
        if from_subject is not None and (from_subject.township_name, from_subject.role) != \
                (from_ext.township_name, from_ext.role):
            return None  # contradictory: trust neither
        return from_ext
    return from_subject


def requested_binding(csr: x509.CertificateSigningRequest) -> Binding | None:
    """The binding an enrolment request asks for (extension request, else subject)."""
    from_ext = _from_extensions(csr.extensions)
    return from_ext if from_ext is not None else _from_subject(csr.subject)


def confirm_binding(csr: x509.CertificateSigningRequest, township: str | None) -> Binding | None:
    """The supervisor's confirmation at ``ca issue``: ``township`` must name the township the request
    asks for (or ``*`` for a county-wide supervisor).  ``None`` = issue what the request asks for (the
    caller has shown it and the supervisor agreed).  ``ValidationError("binding_not_confirmed")``."""
    wanted = requested_binding(csr)
    if township is None:
        return wanted
    if wanted is None:
        raise ValidationError("binding_not_confirmed")
    expected = "*" if wanted.county_wide else wanted.township_name
    if township.strip() != expected:
        raise ValidationError("binding_not_confirmed")
    return wanted
