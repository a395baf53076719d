"""One calm look for every window: light neutral background, white panels, one blue accent,
red only for what is overdue or refused.  Sizes are chosen for 1366×768 laptops."""

from __future__ import annotations

from fanguai_desk.ui.resources import resources_dir

ACCENT = "#1f5f99"


def stylesheet() -> str:
    icons = (resources_dir() / "icons").as_posix()
    return _STYLESHEET.replace("@ICONS@", icons)


_STYLESHEET = f"""
QMainWindow, QDialog, QWidget#Page, QWidget#StartWindow {{ background: #f4f6f8; }}
QWidget {{ color: #1d2939; }}
QLabel#PageTitle {{ font-size: 15pt; font-weight: 600; color: #101828; padding: 2px 0 6px 0; }}
QLabel#SectionTitle {{ font-size: 12pt; font-weight: 600; color: #344054; padding: 6px 0 2px 0; }}
QLabel#Muted, QLabel#CardCaption {{ color: #667085; }}
QLabel#FieldLabel {{ color: #475467; }}
QLabel#FieldError {{ color: #b42318; }}
QLabel#HeaderName {{ font-size: 15pt; font-weight: 600; }}
QLabel#Warning {{ color: #93370d; background: #fef0c7; border-radius: 4px; padding: 8px; }}
QLabel#Placeholder {{ color: #475467; background: #ffffff; border: 1px dashed #d0d5dd; border-radius: 6px;
                      padding: 24px; font-size: 11pt; }}

QListWidget#Nav {{ background: #1d2939; color: #e4e7ec; border: none; padding-top: 8px; font-size: 11pt; }}
QListWidget#Nav::item {{ padding: 9px 14px; border-left: 3px solid transparent; }}
QListWidget#Nav::item:selected {{ background: #344054; color: #ffffff; border-left: 3px solid #84caff; }}
QListWidget#Nav::item:hover:!selected {{ background: #2b3648; }}

QFrame#Panel, QFrame#FileHeader {{ background: #ffffff; border: 1px solid #e4e7ec; border-radius: 6px; }}

QFrame#Banner {{ border-radius: 6px; border: 1px solid #b2ddff; background: #eff8ff; }}
QFrame#Banner[kind="success"] {{ border-color: #abefc6; background: #ecfdf3; }}
QFrame#Banner[kind="warning"] {{ border-color: #fedf89; background: #fffaeb; }}
QFrame#Banner[kind="error"] {{ border-color: #fecdca; background: #fef3f2; }}
QFrame#Banner[kind="error"] QLabel {{ color: #912018; }}

QPushButton {{ background: #ffffff; border: 1px solid #d0d5dd; border-radius: 5px; padding: 5px 14px; }}
QPushButton:hover {{ background: #f2f4f7; }}
QPushButton:focus {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #98a2b3; background: #f2f4f7; }}
QPushButton#Primary {{ background: {ACCENT}; color: #ffffff; border-color: {ACCENT}; font-weight: 600; }}
QPushButton#Primary:hover {{ background: #194d7d; }}
QPushButton#Primary:disabled {{ background: #98a2b3; border-color: #98a2b3; }}
QPushButton#Danger {{ color: #b42318; border-color: #fda29b; }}
QPushButton#Link {{ border: none; background: transparent; color: {ACCENT}; padding: 2px 4px; text-align: left; }}
QPushButton#Link:hover {{ text-decoration: underline; }}
QPushButton#BannerClose {{ border: none; background: transparent; font-size: 13pt; }}

QPushButton#CountCard {{ background: #ffffff; border: 1px solid #e4e7ec; border-radius: 8px; text-align: left; }}
QPushButton#CountCard:hover {{ border-color: {ACCENT}; background: #f5faff; }}
QPushButton#CountCard[alert="true"] {{ border-color: #fda29b; }}
QLabel#CardNumber {{ font-size: 22pt; font-weight: 600; color: #101828; }}
QPushButton#CountCard[alert="true"] QLabel#CardNumber {{ color: #b42318; }}

QLineEdit, QDateEdit, QSpinBox, QComboBox {{
    background: #ffffff; border: 1px solid #d0d5dd; border-radius: 4px; padding: 4px 6px; min-height: 20px; }}
QPlainTextEdit {{ background: #ffffff; border: 1px solid #d0d5dd; border-radius: 4px; padding: 2px 4px; }}
QLineEdit:focus, QPlainTextEdit:focus, QDateEdit:focus, QSpinBox:focus, QComboBox:focus {{ border-color: {ACCENT}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QDateEdit[invalid="true"], QComboBox[invalid="true"],
QCheckBox[invalid="true"] {{ border: 1px solid #f04438; background: #fffbfa; }}
QLineEdit:read-only {{ background: #f9fafb; color: #475467; }}
QLineEdit#Search {{ padding: 6px 8px; font-size: 11pt; }}
QLabel#DateHint {{ color: #667085; }}
QLabel#DateHint[bad="true"] {{ color: #b42318; }}
QToolButton#DatePick {{ border: 1px solid #d0d5dd; border-radius: 4px; background: #ffffff; padding: 3px 6px; }}
QToolButton#DatePick::menu-indicator {{ image: none; width: 0; }}
QToolButton#DatePick:disabled {{ background: #f9fafb; color: #d0d5dd; }}

QTableView {{ background: #ffffff; alternate-background-color: #f9fafb; border: 1px solid #e4e7ec;
              selection-background-color: #d1e9ff; selection-color: #101828; gridline-color: #eaecf0; }}
QHeaderView::section {{ background: #f2f4f7; border: none; border-bottom: 1px solid #e4e7ec;
                        padding: 6px 8px; color: #475467; font-weight: 600; }}

QTabWidget::pane {{ border: 1px solid #e4e7ec; background: #ffffff; border-radius: 4px; top: -1px; }}
QTabBar::tab {{ background: #eaecf0; padding: 6px 14px; border: 1px solid #e4e7ec; border-bottom: none;
                border-top-left-radius: 4px; border-top-right-radius: 4px; margin-right: 2px; color: #475467; }}
QTabBar::tab:selected {{ background: #ffffff; color: #101828; font-weight: 600; }}

QProgressBar {{ border: 1px solid #d0d5dd; border-radius: 4px; background: #ffffff; text-align: center; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QProgressBar[score="0"]::chunk, QProgressBar[score="1"]::chunk {{ background: #f04438; }}
QProgressBar[score="2"]::chunk {{ background: #f79009; }}
QProgressBar[score="3"]::chunk, QProgressBar[score="4"]::chunk {{ background: #12b76a; }}

QComboBox::drop-down, QDateEdit::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
    width: 22px; border: none; }}
QComboBox::down-arrow, QDateEdit::down-arrow {{ image: url(@ICONS@/chevron-down.svg); width: 12px; height: 12px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: 18px; border: none; background: transparent; }}
QSpinBox::up-arrow {{ image: url(@ICONS@/chevron-up.svg); width: 10px; height: 10px; }}
QSpinBox::down-arrow {{ image: url(@ICONS@/chevron-down.svg); width: 10px; height: 10px; }}
QComboBox QAbstractItemView {{ background: #ffffff; selection-background-color: #d1e9ff; selection-color: #101828; }}
QTabBar::close-button {{ image: url(@ICONS@/close.svg); subcontrol-position: right; }}
QTabBar::close-button:hover {{ background: #fee4e2; border-radius: 3px; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar::handle:vertical {{ background: #d0d5dd; border-radius: 5px; min-height: 30px; }}
QScrollBar::handle:vertical:hover {{ background: #98a2b3; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle:horizontal {{ background: #d0d5dd; border-radius: 5px; min-width: 30px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QPushButton#Segment {{ border-radius: 0; padding: 5px 16px; }}
QPushButton#Segment:checked {{ background: #d1e9ff; border-color: {ACCENT}; color: #101828; font-weight: 600; }}
QStatusBar {{ background: #eaecf0; color: #344054; }}
QStatusBar QLabel {{ padding: 0 10px; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QFrame#LockCard {{ background: #ffffff; border: 1px solid #e4e7ec; border-radius: 10px; }}
QWidget#LockScreen {{ background: #1d2939; }}
"""
