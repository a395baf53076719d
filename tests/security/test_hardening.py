"""No core dumps, keys wiped (issue 12): checked in a child process started like the real program."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fanguai_desk.hardening import lock_in_memory, wipe

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, resource, sys
from fanguai_desk.cli import main
try:
    main(["--version"])
except SystemExit:
    pass
from fanguai_desk.hardening import is_dumpable
status = {}
with open("/proc/self/status") as f:
    for line in f:
        k, _, v = line.partition(":")
        status[k] = v.strip()
print(json.dumps({"dumpable": is_dumpable(), "rlimit_core": resource.getrlimit(resource.RLIMIT_CORE),
                  "status_keys": sorted(status)[:3]}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and /proc are Linux")
def test_the_cli_starts_undumpable_without_core_files() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, cwd=ROOT, check=True,
                         timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["dumpable"] is False
    assert result["rlimit_core"] == [0, 0]


def test_wipe_zeroes_the_buffer_and_mlock_is_best_effort() -> None:
    key = bytearray(b"\x5a" * 32)
    lock_in_memory(key)  # may be refused (RLIMIT_MEMLOCK): never an error
    wipe(key)
    assert key == bytearray(32)


def test_closing_a_desk_wipes_its_keys(tmp_path: Path) -> None:
    from fanguai_desk.services.desk import Desk
    from tests.conftest import ADMIN_PASSWORD, CHEAP

    d = Desk.create(tmp_path / "r", admin_login="admin", admin_password=ADMIN_PASSWORD, township_name="青龙镇",
                    kdf=CHEAP)
    assert any(d.database_key) and any(d.user_key)
    d.close()
    assert d.database_key == bytes(32) and d.user_key == bytes(32)
