"""Shared body of the PySide6 hooks in this folder: PyInstaller's own Qt collection, minus what we drop.

PyInstaller's stock hooks (``add_qt6_dependencies``) collect every plugin of every type a Qt module may
use — on Linux that includes the PDF image plugin (→ QtPdf, QtNetwork, Kerberos), the GTK3 theme (→ half of
GTK from the build machine), eglfs, and ~25 platform plugins.  Filtering the result *after* Analysis is too
late (their dependencies are already collected), so these hooks override the stock ones and filter before
the dependency scan.  The policy (what to keep) is in the spec's ``hooksconfig["fanguai_qt"]``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PyInstaller.utils.hooks import get_hook_config
from PyInstaller.utils.hooks.qt import add_qt6_dependencies


def _plugin_name(path: str) -> str:
    """``libqxcb.so`` / ``qwindows.dll`` → ``xcb`` / ``windows``."""
    stem = os.path.basename(path).split(".")[0]
    for prefix in ("libq", "lib", "q"):
        if stem.startswith(prefix):
            return stem[len(prefix):]
    return stem


def keeper(cfg: dict[str, Any]) -> Callable[[tuple[str, str]], bool]:
    platforms = set(cfg.get("platforms") or ())
    drop_types = set(cfg.get("drop_plugin_types") or ())
    imageformats = set(cfg.get("imageformats") or ())
    drop_themes = set(cfg.get("drop_platformthemes") or ())
    translations = tuple(cfg.get("qt_translations") or ())

    def keep(entry: tuple[str, str]) -> bool:
        src, dest = entry
        parts = dest.replace("\\", "/").split("/")
        if "plugins" in parts:
            kind = parts[parts.index("plugins") + 1] if parts.index("plugins") + 1 < len(parts) else ""
            name = _plugin_name(src)
            if kind in drop_types:
                return False
            if kind == "platforms":
                return name in platforms
            if kind == "imageformats":
                return name in imageformats
            if kind == "platformthemes":
                return name not in drop_themes
        if "translations" in parts and src.endswith(".qm"):
            return os.path.basename(src).startswith(translations)
        return True

    return keep


def trimmed_hook(hook_file: str) -> Callable[[Any], None]:
    """A ``hook(hook_api)`` doing what the stock hook for this module does, filtered by the policy."""

    def hook(hook_api: Any) -> None:
        cfg = {key: get_hook_config(hook_api, "fanguai_qt", key)
               for key in ("platforms", "drop_plugin_types", "imageformats", "drop_platformthemes",
                           "qt_translations")}
        hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
        keep = keeper(cfg)
        hook_api.add_imports(*hiddenimports)
        hook_api.add_binaries([b for b in binaries if keep(b)])
        hook_api.add_datas([d for d in datas if keep(d)])

    return hook
