"""Who may do what, and where: the one table of named permissions.

The services check these names (``desk.require(Permission.AUDIT_VERIFY)``); the UI shows or hides its
buttons and pages from the same table (``allowed(actor.role, permission, installation)``), and the CLI goes
through the services, so the command line and the desktop give the same answer for the same user.

Two facts decide: the signed-in user's role (``PERMISSIONS``) and what this laptop is (``INSTALLATIONS``:
``Installation.TOWNSHIP`` or ``COUNTY``, decided once when the registry is created — store/installation.py).
On a township laptop nobody, its administrator included, imports the townships' bundles, reviews their
conflicts and duplicates, writes receipts or acts as the county authority; on the county's laptop nobody
exports bundles to the county or takes in the county's receipt.  The laptop is checked first, so the
refusal says what is wrong (``county_installation_only`` / ``township_installation_only``).

Scope is a second, separate rule (``UnitOfWork.can_see_township``): caseworkers see their own township's files;
supervisors and administrators see the whole county.  A supervisor edits only records created on their own
installation (imported township files change at the township: ``ensure_editable_here``).

DOMAIN.md: "a caseworker sees the files of their own township; a supervisor sees the imported ones; only an
administrator manages users and keys."  The administrator of a township laptop is its first user and works
files too (the registry is created with an administrator and no other user).
"""

from __future__ import annotations

from enum import StrEnum

from fanguai_desk.domain.enums import Installation, Role

__all__ = ["INSTALLATIONS", "PERMISSIONS", "Permission", "allowed", "installation_refusal", "roles_for"]


class Permission(StrEnum):
    FILE_WRITE = "file.write"  # register, edit, services, visits, referrals, placements, consents, attachments
    FILE_DELETE = "file.delete"  # delete a file registered by mistake
    FILE_PURGE = "file.purge"  # purge files past their retention date
    PURGE_TOMBSTONES = "file.tombstones"  # list what was purged (ids and dates only)
    ATTACHMENT_REMOVE = "attachment.remove"
    USERS_LIST = "users.list"
    USERS_MANAGE = "users.manage"  # add, reset password, remove; create townships
    SETTINGS_EDIT = "settings.edit"
    MAINTENANCE = "maintenance"  # backup settings, recovery key
    AUDIT_READ_ALL = "audit.read_all"  # the whole log (a file's own trail: whoever may see the file)
    AUDIT_VERIFY = "audit.verify"  # check the hash chain
    EXPORT = "exchange.export"  # bundles to the county (records, statistics) and taking in its receipt
    IMPORT = "exchange.import"  # preview, import, conflicts, duplicates, imported bundles, writing receipts
    COUNTY_CA = "pki.county_ca"  # the county certificate authority
    PEER_TRUST = "pki.peer_trust"  # trust another county's CA, to receive and send transferred files
    DEMO = "demo"
    SEE_ALL_TOWNSHIPS = "scope.county"  # lists and counts of every township
    EDIT_IMPORTED = "file.edit_imported"  # change records created on another installation


_ALL = frozenset(Role)
_COUNTY = frozenset({Role.ADMIN, Role.SUPERVISOR})
_ADMIN = frozenset({Role.ADMIN})

#: permission → the roles that hold it.  The only place a role is compared with an action.
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.FILE_WRITE: _ALL,
    Permission.FILE_DELETE: _ADMIN,
    Permission.FILE_PURGE: _ADMIN,
    Permission.PURGE_TOMBSTONES: _COUNTY,
    Permission.ATTACHMENT_REMOVE: _ADMIN,
    Permission.USERS_LIST: _COUNTY,
    Permission.USERS_MANAGE: _ADMIN,
    Permission.SETTINGS_EDIT: _ADMIN,
    Permission.MAINTENANCE: _ADMIN,
    Permission.AUDIT_READ_ALL: _COUNTY,
    Permission.AUDIT_VERIFY: _COUNTY,
    Permission.EXPORT: _ALL,
    Permission.IMPORT: _COUNTY,
    Permission.COUNTY_CA: _COUNTY,
    Permission.PEER_TRUST: _COUNTY,
    Permission.DEMO: _ADMIN,
    Permission.SEE_ALL_TOWNSHIPS: _COUNTY,
    # Supervisors read the whole county and change only what their own installation created: an imported
    # township file changes at the township and comes back in its next bundle.
    Permission.EDIT_IMPORTED: frozenset({Role.ADMIN, Role.CASEWORKER}),
}


_ANYWHERE = frozenset(Installation)

#: permission → the installations where it means something (every other permission: anywhere).  The only
#: place an installation is compared with an action.
INSTALLATIONS: dict[Permission, frozenset[Installation]] = {
    # The county's side of the exchange: bundles are encrypted to the county supervisor, and the county
    # authority's key lives only on the county's laptop.
    Permission.IMPORT: frozenset({Installation.COUNTY}),
    Permission.COUNTY_CA: frozenset({Installation.COUNTY}),
    # The township's side: the county sends no bundles to a county, and takes in no receipt of its own.
    Permission.EXPORT: frozenset({Installation.TOWNSHIP}),
}


def installation_refusal(permission: Permission, installation: Installation) -> str | None:
    """The refusal code when ``permission`` does not apply on this kind of laptop, else None."""
    if installation in INSTALLATIONS.get(permission, _ANYWHERE):
        return None
    return "county_installation_only" if installation is Installation.TOWNSHIP else "township_installation_only"


def allowed(role: Role, permission: Permission, installation: Installation) -> bool:
    """May a user of ``role`` do this on a laptop of kind ``installation``?  Both must allow it."""
    return role in PERMISSIONS[permission] and installation_refusal(permission, installation) is None


def roles_for(permission: Permission) -> frozenset[Role]:
    return PERMISSIONS[permission]
