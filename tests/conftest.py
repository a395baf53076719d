"""Shared fixtures.  Real parts only: real SQLCipher files in tmp_path, real Qt widgets offscreen.

Registries in tests use cheap Argon2id parameters (``KdfParams.cheap_for_tests``), except the tests of
the KDF and key slots themselves, which use the production parameters.
"""

from __future__ import annotations

import os

# Set before anything imports Qt: the whole suite runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FANGUAI_LANG", "zh_CN")

import atexit
import gc
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanguai_desk.domain.enums import Role
from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.services.desk import Desk
from fanguai_desk.store import keyslots
from fanguai_desk.store.keyslots import KdfParams

ADMIN_PASSWORD = "Qinglong-2026!key"
USER_PASSWORD = "Worker-pass-2026!"
CHEAP = KdfParams.cheap_for_tests()


@pytest.fixture(autouse=True)
def _cheap_kdf_by_default(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Make every registry created in a test cheap to open, unless the test is marked ``production_kdf``."""
    if request.node.get_closest_marker("production_kdf"):
        return
    monkeypatch.setattr(keyslots.KdfParams, "production", classmethod(lambda cls: CHEAP))


def make_desk(path: Path, *, township: str = "青龙镇") -> Desk:
    return Desk.create(path, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name=township,
                       admin_display_name="测试管理员", kdf=CHEAP)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    """A fresh empty registry with one township (青龙镇) and its administrator signed in."""
    d = make_desk(tmp_path / "registry")
    yield d
    d.registry.close()


@pytest.fixture
def caseworker(desk: Desk) -> Iterator[Desk]:
    """A caseworker of 青龙镇 signed in to the same registry as ``desk``."""
    desk.users.add("cw1", USER_PASSWORD, Role.CASEWORKER, "青龙镇", display_name="社工一")
    d = Desk.unlock(desk.registry.data_dir, "cw1", USER_PASSWORD)
    yield d
    d.registry.close()


@pytest.fixture(scope="session")
def demo_registry_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-file synthetic registry built once per session; copy it with ``demo_desk``."""
    path = tmp_path_factory.mktemp("demo-template") / "registry"
    d = Desk.create(path, admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                    admin_display_name="测试管理员", kdf=CHEAP)
    d.demo.run(DemoSpec(victims=300, townships=3, seed=7))
    d.registry.close_connections()
    return path


@pytest.fixture
def demo_desk(demo_registry_template: Path, tmp_path: Path) -> Iterator[Desk]:
    """A private copy of the session's synthetic registry, admin signed in."""
    target = tmp_path / "demo"
    shutil.copytree(demo_registry_template, target)
    d = Desk.unlock(target, "admin", ADMIN_PASSWORD)
    yield d
    d.registry.close()


# --------------------------------------------------------------------------------------------- Qt teardown
# Python's automatic cycle collector runs in whichever thread allocates: on the UI's worker thread it can
# destroy a widget that a cycle kept alive, off the UI thread, and Qt crashes (intermittently, at the end of
# the session).  The app itself collects on the UI thread on a timer (ui/tasks.py, as Anki does); the tests
# do the same deterministically: automatic collection off for the UI tests, a collection on the UI thread
# after each one, while the QApplication is alive.


@pytest.fixture
def today_read_per_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test module's ``TODAY`` read again from the clock before each test (``pytestmark =
    pytest.mark.usefixtures("today_read_per_test")``): read once at import, it was the day before for the tests
    of a run that crossed midnight, while the code under test reads the clock when it runs."""
    from fanguai_desk.store.clock import local_today

    monkeypatch.setattr(request.module, "TODAY", local_today())


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_ui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    if "ui" not in request.node.path.parts:
        yield
        return
    gc.disable()
    yield
    qt_widgets = sys.modules.get("PySide6.QtWidgets")
    app = qt_widgets.QApplication.instance() if qt_widgets else None
    if app is not None:
        app.processEvents()
    gc.collect()
    if app is not None:
        app.processEvents()
    # Survivors of this collection are the session's (modules, fixtures, the QApplication): freeze them so
    # the next test's collection scans only its own objects — a full-heap pass took 0.5–0.7 s per test.
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Once pytest has reported and returned its status, leave without the interpreter's final teardown of
    whatever Qt objects are left: destroying them after the QApplication is a known source of exit-time
    crashes that say nothing about the code under test.  Only when Qt was loaded; the status is pytest's."""
    if "PySide6.QtWidgets" not in sys.modules:
        return

    def leave_now() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(session.exitstatus))

    atexit.register(leave_now)
