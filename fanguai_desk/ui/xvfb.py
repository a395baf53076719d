"""A private X server (Xvfb) for the real-display test and the manual's screenshots.  No Qt here.

    with xvfb_display(1366, 768) as display:   # ":42"
        subprocess.run([...], env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})

Xvfb picks a free display number itself (``-displayfd``), so parallel runs never collide.  Xvfb is a
system package: ``scripts/dev.sh`` installs it (``xvfb`` on Debian); :class:`XvfbMissing` says so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator

INSTALL_HINT = "Xvfb is not installed: run scripts/dev.sh test (it installs it) or apt-get install xvfb"


class XvfbMissing(RuntimeError):
    pass


@contextlib.contextmanager
def xvfb_display(width: int = 1366, height: int = 768, timeout: float = 20.0) -> Iterator[str]:
    exe = shutil.which("Xvfb")
    if exe is None:
        raise XvfbMissing(INSTALL_HINT)
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            number = pipe.readline().strip().decode()  # Xvfb writes the number once it accepts clients
        if not number.isdigit():
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
