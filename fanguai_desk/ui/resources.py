"""Where the shipped resources are, and loading them: the CJK font, the icon, the translations.

The font is the copy in ``resources/fonts/`` (the same file the PDF reports embed), registered with Qt and
made the application font, so Chinese renders on a laptop that has no CJK font installed.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

FONT_FILE = Path("fonts") / "wqy-microhei.ttc"
FONT_POINT_SIZE = 10


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:  # PyInstaller
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return _root() / "resources"


def i18n_dir() -> Path:
    return _root() / "i18n"


def install_font(app: QApplication) -> str | None:
    """Register the shipped CJK font and make it the application font; returns its family name."""
    path = resources_dir() / FONT_FILE
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
    if font_id < 0:
        log.warning("shipped font not found or not loadable: %s", path.name)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]  # face 0 of the collection: "WenQuanYi Micro Hei"
    font = QFont(family, FONT_POINT_SIZE)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return family


def app_icon() -> QIcon:
    path = resources_dir() / "icons" / "fanguai_desk.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def load_translators(app: QApplication, lang: str, qm_dir: Path | None = None) -> list[QTranslator]:
    """Install the app's translation (and Qt's own, for standard buttons) for ``lang``.

    English is the source language: nothing to load.  Returns the installed translators (keep them alive).
    """
    installed: list[QTranslator] = []
    # Qt's own texts that are not translations but locale data — month and day names in the calendar,
    # number formats — follow the default QLocale, not the system's (a Chinese UI on an English Windows).
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates) if lang.startswith("en")
                       else QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if lang.startswith("en"):
        return installed
    qm_dir = qm_dir or i18n_dir()
    ours = QTranslator(app)
    if ours.load(str(qm_dir / f"fanguai_desk_{lang}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("translation %s not compiled (run python -m fanguai_desk.i18n_build)", lang)
    qt = QTranslator(app)
    if qt.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def ensure_compiled_translations(qm_dir: Path | None = None) -> None:
    """Developer convenience: compile ``i18n/*.ts`` if a ``.qm`` is missing or older than its source.

    The build (``python -m fanguai_desk.i18n_build``) is the normal way; a PyInstaller bundle ships .qm only.
    """
    directory = qm_dir or i18n_dir()
    stale = [ts for ts in directory.glob("*.ts")
             if not ts.with_suffix(".qm").exists() or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]
    if not stale:
        return
    try:
        from fanguai_desk.i18n_build import compile_all

        compile_all(directory)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:  # no lrelease here: run with the source language
        log.warning("could not compile translations: %s", type(exc).__name__)
