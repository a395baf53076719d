"""Chinese everywhere: walk every page and every tab of a file in a populated registry and fail on any visible
Latin-letter word that is not a file number, code, unit or proper name on the allow-list.

Pages walked: 工作台 (dashboard), 受害人档案 (file list), one file's tabs — 基本信息, 案件, 救助服务, 跟踪回访,
法律援助, 安置, 知情同意, 附件, 审计记录 —, 案件, 跟踪回访, 法律援助, 安置, 报表, 数据交换, 审计日志, 设置 / 用户 — and every tab of each page (数据交换: 导出, 送达与回执 on the
demo, a township laptop; 导入, 冲突, 疑似重复, 导入记录, 送达与回执 and the county authority on a county registry; 设置 /
用户: each of its tabs).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)

from fanguai_desk.ui.main_window import NAV_KEYS
from tests.ui.conftest import TIMEOUT_MS

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z]+")
#: Words that are right in a Chinese UI: shortcuts, units, file formats, standards, proper names.
ALLOWED = {"Ctrl", "Alt", "Shift", "PDF", "MB", "KB", "GB", "ID", "DNA", "CA", "USB", "Excel", "xlsx", "csv",
           "SHA", "PAdES", "CMS", "SQLCipher", "admin", "PNG", "JPEG", "JPG", "QR", "CRL", "PEM", "req", "pem",
           "crl", "certs", "p7b", "crt", "WenQuanYi", "Micro", "Hei", "tmp", "pytest", "of", "root", "reg", "demo",
           "registry", "usb", "TIFF",
           "zsh",  # the search box's example of pinyin initials (张书华 → zsh)
           "FG", "XXXXXXXX"}  # the format of a printout's verification code


def visible_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QLineEdit):
            texts += [w.text(), w.placeholderText()]
        elif isinstance(w, QComboBox):
            texts.append(w.currentText())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            root_index = QModelIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # a list model (private columnCount in Qt): one column
                columns = 1
            for c in range(columns):
                texts.append(str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
            for r in range(min(model.rowCount(root_index), 40)):
                for c in range(columns):
                    texts.append(str(model.index(r, c).data() or ""))
        texts.append(w.toolTip())
    return texts


def latin_words(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        plain = re.sub(r"<[^>]+>", " ", text)  # rich-text tags are not shown
        plain = re.sub(r"&[a-z]+;", " ", plain)
        plain = re.sub(r"(?:[A-Za-z]:)?[/\\]\S+", " ", plain)  # folder paths (the registry's, in a tooltip)
        words |= {w for w in LATIN_WORD.findall(plain) if w not in ALLOWED}
    return words


def _walk(qtbot, o, keys) -> tuple[dict[str, set[str]], list[str]]:
    """Each page of ``keys`` and each of its tabs: the Latin words found, and the tabs walked."""
    found: dict[str, set[str]] = {}
    walked: list[str] = []
    for key in keys:
        o.window.navigate(key)
        o.wait()
        qtbot.wait(50)
        o.wait()
        words = latin_words(visible_texts(o.window))
        if words:
            found[key] = words
        # the page's own tabs too (数据交换: 导出, 送达与回执, 导入, 冲突…; 设置 / 用户: its tabs)
        for tabs in o.window.pages[key].findChildren(QTabWidget):
            for i in range(tabs.count()):
                if not tabs.isVisible():
                    break
                tabs.setCurrentIndex(i)
                o.wait()
                qtbot.wait(30)
                walked.append(tabs.tabText(i))
                words = latin_words(visible_texts(o.window))
                if words:
                    found[f"{key}:{tabs.tabText(i)}"] = words
    return found, walked


def test_no_untranslated_word_on_the_countys_exchange_and_settings(qtbot, open_window, tmp_path) -> None:
    """The county's laptop shows tabs a township's does not (导入, 冲突, 疑似重复, 导入记录; the county
    authority): walked on a county registry (the demo is a township laptop)."""
    from fanguai_desk.domain.enums import Installation
    from fanguai_desk.services.demo import DemoSpec
    from fanguai_desk.services.desk import Desk
    from tests.conftest import ADMIN_PASSWORD, CHEAP

    desk = Desk.create(tmp_path / "county", admin_login="admin", admin_password=ADMIN_PASSWORD,
                       township_name="县民政局", township_code="510100", kdf=CHEAP, installation=Installation.COUNTY)
    desk.demo.run(DemoSpec(victims=20, townships=2, seed=5))
    o = open_window(desk)
    found, walked = _walk(qtbot, o, ["exchange", "settings"])
    assert {"导入", "导入记录", "送达与回执"} <= set(walked) and "导出" not in walked, walked
    assert not found, found


def test_no_untranslated_word_on_any_page_or_tab(qtbot, demo_desk, open_window) -> None:
    o = open_window(demo_desk)
    found, walked = _walk(qtbot, o, NAV_KEYS)
    assert {"导出", "送达与回执", "用户与设置"} <= set(walked), walked
    victims = o.window.pages["victims"]
    row = victims.list.model.row(0)
    o.window.open_file(row.id)
    view = victims.file_views()[0]
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        o.wait()
        qtbot.wait(30)
        words = latin_words(visible_texts(o.window))
        if words:
            found[f"file:{view.tabs.tabText(i)}"] = words
    assert not found, found
