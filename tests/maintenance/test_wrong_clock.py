"""A clock that is not trusted blindly (issue 19): the registry keeps the highest time it has seen
(store/high_water.py); a clock behind it is shown and audited; retention counts from the recorded close
and purge needs both the clock and the mark from before the sign-in past the retention date; a clock that
jumped ahead must be confirmed before a purge.  The clock is played by replacing ``store.clock.wall_clock``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from fanguai_desk.cli import main
from fanguai_desk.domain.clocks import retention_until
from fanguai_desk.domain.enums import AuditAction, PurgeReason
from fanguai_desk.domain.errors import RuleViolation
from fanguai_desk.messages import render
from fanguai_desk.services.desk import Desk, clock_warning
from fanguai_desk.store import clock, high_water
from fanguai_desk.store.models import AuditEntry, RegistryMeta, Victim
from tests.conftest import ADMIN_PASSWORD
from tests.helpers import closed_long_ago, content_fingerprint

REAL = datetime.now(UTC)


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Set the laptop clock to the real time plus an offset (every service reads it through store.clock)."""
    def set_to(offset: timedelta) -> None:
        monkeypatch.setattr(clock, "wall_clock", lambda: datetime.now(UTC) + offset)
    return set_to


def sign_in(desk: Desk, set_clock: Callable[[timedelta], None] | None = None, offset: timedelta = timedelta(0)
            ) -> Desk:
    """Sign out, (the clock changes while the laptop is off,) sign in again."""
    desk.close()
    if set_clock is not None:
        set_clock(offset)
    return Desk.unlock(desk.registry.data_dir, "admin", ADMIN_PASSWORD)


def new_file(desk: Desk, name: str = "时钟测试甲") -> str:
    vid, _ = desk.victims.register({"name": name, "sex": "F", "birth_date": "1990-02-03"})
    return vid


def last_login_detail(desk: Desk) -> dict[str, object]:
    with desk.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.LOGIN)
                          .order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        return dict(json.loads(entry.detail))


def test_every_write_raises_the_mark_and_it_never_goes_down(desk: Desk, set_clock: Callable[[timedelta], None]
                                                           ) -> None:
    with desk.read() as s:
        first = high_water.recorded(s)
    # Only that the mark exists and is no earlier than this module began: how far the machine's clock moves
    # while the suite runs is the machine's business (a 60-second bound failed a loaded run).
    assert first is not None and first >= REAL.replace(tzinfo=None) - timedelta(minutes=1)
    set_clock(timedelta(days=3))
    new_file(desk)
    with desk.read() as s:
        ahead = high_water.recorded(s)
    assert ahead is not None and ahead > first + timedelta(days=2)
    set_clock(timedelta(0))
    new_file(desk, "时钟测试乙")
    with desk.read() as s:
        assert high_water.recorded(s) == ahead  # a clock set back never lowers it


def test_clock_behind_at_sign_in_is_shown_and_audited(desk: Desk, set_clock: Callable[[timedelta], None]) -> None:
    set_clock(timedelta(days=30))  # the clock was ahead while working …
    new_file(desk)
    # … and has been corrected: it is now behind what the registry has seen.
    desk = sign_in(desk, set_clock, timedelta(0))
    try:
        assert desk.clock_check.behind and not desk.clock_check.jumped_ahead
        warning = clock_warning(desk.clock_check)
        assert warning is not None and warning.code == "clock_behind"
        assert "早于登记库已记录到的时间" in render(warning) and "behind" in render(warning, "en")
        assert last_login_detail(desk) == {"clock": "behind"}  # a code only, nothing personal
    finally:
        desk.close()


def test_a_right_clock_says_nothing(desk: Desk) -> None:
    desk = sign_in(desk)
    try:
        assert clock_warning(desk.clock_check) is None and last_login_detail(desk) == {}
    finally:
        desk.close()


def test_a_back_dated_close_does_not_shorten_retention(desk: Desk) -> None:
    vid = new_file(desk)
    result = desk.lifecycle.close(vid, "returned_home", closed_on="2001-03-04")
    today = clock.local_today()
    assert result.retention_until == retention_until(today, 5)  # from when the close was recorded
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None and v.closed_on == date(2001, 3, 4)  # the date typed in stays on the file
    purge = desk.purge
    assert purge.due() == []
    before = content_fingerprint(desk)
    with pytest.raises(RuleViolation) as refused:
        purge.purge([vid], PurgeReason.RETENTION_EXPIRED)
    assert refused.value.code == "purge_not_due"
    assert content_fingerprint(desk) == before  # nothing deleted, nothing written


def test_a_close_with_the_clock_set_back_counts_from_the_mark(desk: Desk,
                                                              set_clock: Callable[[timedelta], None]) -> None:
    vid = new_file(desk)
    set_clock(timedelta(days=-400))  # the clock goes back more than a year after the file was made
    result = desk.lifecycle.close(vid, "returned_home")
    assert result.retention_until == retention_until(REAL.date(), 5) or \
        result.retention_until == retention_until(datetime.now().date(), 5)


def test_a_file_closed_today_is_not_purged_with_the_clock_ahead(desk: Desk,
                                                                set_clock: Callable[[timedelta], None]) -> None:
    vid = new_file(desk)
    desk.lifecycle.close(vid, "returned_home")
    # Six years ahead: by the clock alone the retention has passed.
    desk = sign_in(desk, set_clock, timedelta(days=6 * 366))
    try:
        assert desk.clock_check.jumped_ahead
        warning = clock_warning(desk.clock_check)
        assert warning is not None and warning.code == "clock_jumped"
        assert last_login_detail(desk) == {"clock": "ahead"}
        purge = desk.purge
        assert purge.due() == []  # the mark from before this sign-in is today, not six years on
        before = content_fingerprint(desk)
        with pytest.raises(RuleViolation) as unconfirmed:
            purge.purge([vid], PurgeReason.RETENTION_EXPIRED)
        assert unconfirmed.value.code == "purge_clock_unconfirmed"
        assert "--confirm-clock" in render(unconfirmed.value) and "Nothing was deleted" in render(
            unconfirmed.value, "en")
        assert content_fingerprint(desk) == before
        desk = sign_in(desk)  # signing in again with the same clock does not make the jump go away
        purge = desk.purge
        assert desk.clock_check.jumped_ahead and purge.due() == []
        with pytest.raises(RuleViolation) as again:
            purge.purge([vid], PurgeReason.RETENTION_EXPIRED)
        assert again.value.code == "purge_clock_unconfirmed"
        before = content_fingerprint(desk)
        with pytest.raises(RuleViolation) as not_due:
            purge.purge([vid], PurgeReason.RETENTION_EXPIRED, confirm_clock=True)
        assert not_due.value.code == "purge_not_due"  # confirmed, still not due by the mark before sign-in
        after = content_fingerprint(desk)
        kept = ("audit_log", "registry_meta")  # only the confirmation itself was recorded
        assert [t for t in after if t[0] not in kept] == [t for t in before if t[0] not in kept]
        with desk.read() as s:
            assert s.get(Victim, vid) is not None
            newest = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert newest is not None and json.loads(newest.detail) == {"op": "clock_confirmed"}
    finally:
        desk.close()


def test_a_jump_must_be_confirmed_even_for_a_file_that_is_due(desk: Desk,
                                                              set_clock: Callable[[timedelta], None]) -> None:
    vid = new_file(desk)
    desk.lifecycle.close(vid, "returned_home")
    closed_long_ago(desk, vid, date(2015, 3, 1))
    desk = sign_in(desk, set_clock, timedelta(days=2))
    try:
        purge = desk.purge
        assert [d.id for d in purge.due()] == [vid]  # shown as due …
        before = content_fingerprint(desk)
        with pytest.raises(RuleViolation) as refused:
            purge.purge([vid], PurgeReason.RETENTION_EXPIRED)  # … but not deleted without confirming the clock
        assert refused.value.code == "purge_clock_unconfirmed"
        assert content_fingerprint(desk) == before
        assert purge.purge([vid], PurgeReason.RETENTION_EXPIRED, confirm_clock=True).files == [vid]
    finally:
        desk.close()


def test_a_clock_moved_during_the_session_is_confirmed_too(desk: Desk,
                                                           set_clock: Callable[[timedelta], None]) -> None:
    vid = new_file(desk)
    desk.lifecycle.close(vid, "returned_home")
    closed_long_ago(desk, vid, date(2015, 3, 1))
    desk = sign_in(desk)
    try:
        set_clock(timedelta(days=2))  # moved forward while signed in (writes now raise the mark with it)
        new_file(desk, "时钟测试丙")
        before = content_fingerprint(desk)
        with pytest.raises(RuleViolation) as refused:
            desk.purge.purge([vid], PurgeReason.RETENTION_EXPIRED)
        assert refused.value.code == "purge_clock_unconfirmed"
        assert content_fingerprint(desk) == before
    finally:
        desk.close()


def test_a_registry_from_before_the_mark_starts_from_its_newest_audit_entry(desk: Desk) -> None:
    with desk.tx() as s:
        s.execute(delete(RegistryMeta).where(RegistryMeta.key == high_water.HIGH_WATER_KEY))
    with desk.read() as s:
        # The delete above is itself audited, and that raised the mark again: drop it once more, read only.
        s.execute(delete(RegistryMeta).where(RegistryMeta.key == high_water.HIGH_WATER_KEY))
        newest = s.scalar(select(AuditEntry.at).order_by(AuditEntry.seq.desc()).limit(1))
        assert high_water.recorded(s) == newest


def test_cli_purge_refuses_a_jumped_clock_until_confirmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str],
                                                          set_clock: Callable[[timedelta], None]) -> None:
    monkeypatch.setenv("FANGUAI_PASSWORD", ADMIN_PASSWORD)
    reg = tmp_path / "reg"
    assert main(["--data", str(reg), "init", "--admin", "admin", "--township", "青龙镇"]) == 0
    desk = Desk.unlock(reg, "admin", ADMIN_PASSWORD)
    vid = new_file(desk)
    desk.lifecycle.close(vid, "returned_home")
    closed_long_ago(desk, vid, date(2015, 3, 1))
    with desk.read() as s:
        v = s.get(Victim, vid)
        assert v is not None
        number = v.file_number
    desk.close()
    set_clock(timedelta(days=3))
    capsys.readouterr()
    argv = ["--data", str(reg), "purge", "run", number, "--reason", "retention_expired", "--confirm"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "晚了一天以上" in err and "--confirm-clock" in err and "Traceback" not in err
    assert main(["--lang", "en", *argv]) == 1
    assert "Nothing was deleted" in capsys.readouterr().err
    desk = Desk.unlock(reg, "admin", ADMIN_PASSWORD)
    with desk.read() as s:
        assert s.get(Victim, vid) is not None  # nothing deleted
    desk.close()
    assert main([*argv, "--confirm-clock"]) == 0
    assert "已永久删除 1 份档案" in capsys.readouterr().out


def test_moving_the_clock_forward_does_not_skip_a_throttle_wait(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from fanguai_desk.domain.errors import UnlockError
    from fanguai_desk.store.keyslots import SLOTS_FILE, THROTTLE_FILE, KeySlotStore, UnlockThrottle
    from tests.conftest import make_desk

    path = tmp_path / "r"
    make_desk(path).close()
    for _ in range(UnlockThrottle.FREE_ATTEMPTS + 1):  # four wrong passwords: the fourth starts a wait
        with pytest.raises(UnlockError):
            KeySlotStore(path).unlock("admin", "wrong")
    throttle_before = (path / THROTTLE_FILE).read_bytes()
    slots_before = (path / SLOTS_FILE).read_bytes()
    year_ahead = time.time() + 365 * 86400
    with pytest.raises(UnlockError) as err:  # the clock set a year forward: the wait still stands
        KeySlotStore(path).unlock("admin", ADMIN_PASSWORD, now=year_ahead)
    assert err.value.code == "unlock_throttled" and 1 <= err.value.params["seconds"] <= 2
    assert (path / THROTTLE_FILE).read_bytes() == throttle_before  # the refusal wrote nothing
    assert (path / SLOTS_FILE).read_bytes() == slots_before
    real_mono = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: real_mono + 5)  # the wait has really passed
    assert KeySlotStore(path).unlock("admin", ADMIN_PASSWORD, now=year_ahead).user_id
