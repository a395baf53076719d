"""The shipped CJK font (WenQuanYi Micro Hei, Apache-2.0) and where resources live.

Every PDF uses the copy in ``resources/fonts/`` — never a system font — so a report looks the same
on every laptop and the font is always embedded (ReportLab embeds TrueType fonts as subsets).
The UI registers the same file with Qt (``QFontDatabase.addApplicationFont(str(FONT_PATH))``).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WenQuanYiMicroHei"  # ReportLab's name for face 0 of the collection
FONT_FILE_NAME = "wqy-microhei.ttc"
FONT_SUBFONT_INDEX = 0  # 0: WenQuanYi Micro Hei, 1: WenQuanYi Micro Hei Mono


def resources_dir() -> Path:
    """The ``resources/`` directory: inside a PyInstaller bundle, or next to the package."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


FONT_PATH: Path = resources_dir() / "fonts" / FONT_FILE_NAME

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the shipped font with ReportLab (once per process); returns the font name.

    ``<b>``/``<i>`` in paragraphs map to the same face (the font has no bold or italic).
    """
    global _registered
    with _lock:
        if not _registered:
            if not FONT_PATH.is_file():
                raise FileNotFoundError(FONT_PATH)
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=FONT_SUBFONT_INDEX))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _registered = True
    return FONT_NAME
