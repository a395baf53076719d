"""Chinese in Qt's own parts too: the app sets QLocale zh_CN and loads Qt's zh_CN translations, so calendars,
standard dialogs and context menus are not English in the Chinese UI (issue 15); nationality by its name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QFileDialog, QLabel

from fanguai_desk.domain.nationality import NATIONALITIES, nationality_name


def test_qt_locale_and_qts_own_translations_are_chinese(qtbot, zh_app) -> None:
    assert QLocale().name() == "zh_CN"
    assert QLocale().monthName(11) == "十一月" and QLocale().dayName(1, QLocale.FormatType.ShortFormat) == "周一"
    # Qt's own strings (qtbase_zh_CN): the file dialog and the standard buttons
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    dialog = QFileDialog(None, "选择")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
    assert texts and not any(t in ("Look in:", "File name:", "Files of type:") for t in texts), texts
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().name() == "zh_CN"


def test_nationality_is_shown_by_its_chinese_name() -> None:
    assert nationality_name("CN", "zh_CN") == "中国"
    assert all(not nationality_name(code, "zh_CN").isascii() for code in NATIONALITIES)
