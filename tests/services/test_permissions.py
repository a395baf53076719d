"""Named permissions in one table; settings typed and validated in one place."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from fanguai_desk.domain.enums import Installation, Role
from fanguai_desk.domain.errors import AccessDenied, ValidationError
from fanguai_desk.domain.permissions import PERMISSIONS, Permission, allowed
from fanguai_desk.domain.settings import SETTINGS, RegistrySettings, read_settings
from fanguai_desk.services.audit_view import verify_audit
from fanguai_desk.services.desk import Desk
from tests.conftest import USER_PASSWORD
from tests.helpers import content_fingerprint


def test_every_permission_names_its_roles_and_the_desk_answers_from_the_table(desk: Desk, caseworker: Desk) -> None:
    assert set(PERMISSIONS) == set(Permission)
    for permission in Permission:
        assert desk.can(permission) is allowed(Role.ADMIN, permission, Installation.TOWNSHIP)
        assert caseworker.can(permission) is allowed(Role.CASEWORKER, permission, Installation.TOWNSHIP)


def test_caseworker_gets_the_same_answer_for_audit_verify_from_service_cli_and_ui(
        desk: Desk, caseworker: Desk, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from fanguai_desk.cli import main

    with pytest.raises(AccessDenied) as err:
        verify_audit(caseworker)
    assert err.value.code == "role_required"
    monkeypatch.setenv("FANGUAI_PASSWORD", USER_PASSWORD)
    data = str(desk.registry.data_dir)
    caseworker.registry.close()
    desk.registry.close()
    capsys.readouterr()
    assert main(["--data", data, "--user", "cw1", "audit", "verify"]) == 1
    assert "角色" in capsys.readouterr().err
    assert not allowed(Role.CASEWORKER, Permission.AUDIT_VERIFY, Installation.TOWNSHIP)  # the UI's audit page asks the same table


@pytest.mark.parametrize(("key", "value"), [("retention_years", -5), ("retention_years", 0), ("retention_years", "x"),
                                            ("idle_lock_minutes", 100000), ("county_name", ""),
                                            ("county_name", "某县\u202e"), ("referral_wait_days", True)])
def test_a_bad_setting_is_refused_and_nothing_is_stored(desk: Desk, key: str, value: Any) -> None:
    before = content_fingerprint(desk)
    with pytest.raises(ValidationError) as err:
        desk.update_settings({"referral_wait_days": 9, key: value})
    assert err.value.code == "setting_invalid" and err.value.params["setting"] == key
    assert content_fingerprint(desk) == before
    assert desk.settings().referral_wait_days == 7


def test_settings_are_typed_and_a_good_value_is_stored(desk: Desk) -> None:
    desk.update_settings({"retention_years": "8", "county_name": " 青禾县 "})
    settings = desk.settings()
    assert settings.retention_years == 8 and settings.county_name == "青禾县"
    with pytest.raises(AccessDenied):
        desk.update_settings({"county_code": "9999"})


def test_every_default_is_written_once_in_the_settings_table(desk: Desk) -> None:
    """``SETTINGS`` holds each default; the typed settings and a new registry take theirs from it (no copy)."""
    settings = desk.settings()
    for f in dataclasses.fields(RegistrySettings):
        assert f.default is dataclasses.MISSING  # RegistrySettings has no defaults of its own
        if f.name not in ("county_code", "county_name"):
            assert getattr(settings, f.name) == SETTINGS[f.name].default, f.name
    assert read_settings({}) == dataclasses.replace(settings, county_code=SETTINGS["county_code"].default,
                                                    county_name=SETTINGS["county_name"].default)


def test_caseworker_may_not_change_settings(caseworker: Desk) -> None:
    with pytest.raises(AccessDenied):
        caseworker.update_settings({"retention_years": 6})


def test_backup_settings_go_through_the_same_validation(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        desk.maintenance.set_backup_settings(keep=0)
    assert err.value.code == "setting_invalid"
