"""Typed errors with stable codes.

The core never builds a user-facing sentence: it raises an error carrying a ``code`` and parameters,
and the CLI and UI turn that into a message in the user's language (see ``messages.py`` and
``ui/messages.py``).  Parameters must never contain personal data (names, ID numbers, addresses,
notes): they may reach logs.
"""

from __future__ import annotations

from typing import Any


class FanguaiError(Exception):
    """Base of every error a user can cause.  ``code`` selects the message; ``params`` fill it."""

    code: str = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.code)

    def __str__(self) -> str:  # never includes params: they could be shown in a traceback/log
        return self.code

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its code and parameters (``Exception`` would keep only ``args``): a refusal found by the
        import's helper process (``exchange/preparing.py``) is raised here as the same error."""
        return (_rebuilt, (type(self), self.code, self.params))


def _rebuilt(kind: type[FanguaiError], code: str, params: dict[str, Any]) -> FanguaiError:
    error = kind.__new__(kind)
    FanguaiError.__init__(error, code, **params)
    return error


class RuleViolation(FanguaiError):
    """A rule of the plans (or of the law) refuses the input: DNA data, under-16 training, …"""

    code = "rule_violation"


class ValidationError(FanguaiError):
    """Malformed input: a bad date, an unknown enum value, a missing required field."""

    code = "invalid_input"


class AccessDenied(FanguaiError):
    code = "access_denied"


class NotFound(FanguaiError):
    code = "not_found"


class ConflictError(FanguaiError):
    """The record changed since it was read (another window, another import)."""

    code = "concurrent_change"


class UnlockError(FanguaiError):
    """Wrong user or password, throttled, or an unreadable slots file."""

    code = "unlock_failed"


class RegistryError(FanguaiError):
    """The registry cannot be opened/used: missing, newer schema, corrupt, locked by another instance."""

    code = "registry_error"
