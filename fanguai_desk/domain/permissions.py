"""Who may do what: the one table of named permissions.

The services check these names (``desk.require(Permission.AUDIT_VERIFY)``); the UI shows or hides its
buttons and pages from the same table (``allowed(actor.role, …)``), and the CLI goes through the services,
so the command line and the desktop give the same answer for the same user.

Scope is a second, separate rule (``UnitOfWork.can_see_township``): caseworkers see their own township's files;
supervisors and administrators see the whole county.  A supervisor edits only records created on their own
installation (imported township files change at the township: ``ensure_editable_here``).

DOMAIN.md: "a caseworker sees the files of their own township; a supervisor sees the imported ones; only an
administrator manages users and keys."  The administrator of a township laptop is its first user and works
files too (the registry is created with an administrator and no other user).
"""

from __future__ import annotations

from enum import StrEnum

from fanguai_desk.domain.enums import Role

__all__ = ["PERMISSIONS", "Permission", "allowed", "roles_for"]


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
    EXPORT = "exchange.export"
    IMPORT = "exchange.import"  # preview, import, conflicts, duplicates, imported bundles
    COUNTY_CA = "pki.county_ca"  # the county certificate authority
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
    Permission.DEMO: _ADMIN,
    Permission.SEE_ALL_TOWNSHIPS: _COUNTY,
    # Supervisors read the whole county and change only what their own installation created: an imported
    # township file changes at the township and comes back in its next bundle.
    Permission.EDIT_IMPORTED: frozenset({Role.ADMIN, Role.CASEWORKER}),
}


def allowed(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]


def roles_for(permission: Permission) -> frozenset[Role]:
    return PERMISSIONS[permission]
