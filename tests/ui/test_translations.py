"""The Chinese translation is complete and faithful: every entry finished, placeholders kept, every core
message and enum label present with the core's own Chinese, and nothing English left on the screens."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QListWidget, QTabBar, QTableView

from fanguai_desk.domain.labels import LABELS, label_en
from fanguai_desk.messages import MESSAGES
from fanguai_desk.services import fields
from fanguai_desk.ui import i18n
from fanguai_desk.ui.labels import FIELD_LABELS
from fanguai_desk.ui.resources import i18n_dir
from tests.ui.conftest import TIMEOUT_MS, register

TS = i18n_dir() / "fanguai_desk_zh_CN.ts"
PLACEHOLDER = re.compile(r"%n|%L?\d+|\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Entry:
    context: str
    source: str
    translations: tuple[str, ...]
    unfinished: bool
    kind: str | None


def entries() -> list[Entry]:
    out = []
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            forms = tuple(f.text or "" for f in tr.findall("numerusform")) if msg.get("numerus") == "yes" \
                else (tr.text or "",)
            out.append(Entry(name, msg.findtext("source") or "", forms, tr.get("type") == "unfinished",
                             tr.get("type")))
    return out


def by_context() -> dict[tuple[str, str], Entry]:
    return {(e.context, e.source): e for e in entries()}


def test_every_entry_is_finished() -> None:
    bad = [f"[{e.context}] {e.source}" for e in entries()
           if e.unfinished or e.kind in ("vanished", "obsolete") or not all(t.strip() for t in e.translations)]
    assert not bad, "unfinished translations:\n" + "\n".join(bad)


def test_placeholders_are_the_same_in_source_and_translation() -> None:
    bad = []
    for e in entries():
        want = sorted(PLACEHOLDER.findall(e.source))
        for t in e.translations:
            if sorted(PLACEHOLDER.findall(t)) != want:
                bad.append(f"[{e.context}] {e.source!r} → {t!r}")
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


def test_every_core_message_is_in_the_ts_with_the_cores_chinese() -> None:
    table = by_context()
    for code, (zh, en) in MESSAGES.items():
        entry = table.get(("CoreMessages", en))
        assert entry is not None, f"core message {code!r} is missing: run i18n/sync_core_texts.py"
        assert entry.translations == (zh,), f"core message {code!r} differs from messages.py"


def test_every_enum_label_is_in_the_ts_with_the_cores_chinese() -> None:
    table = by_context()
    for enum_cls, labels in LABELS.items():
        for member in enum_cls:
            entry = table.get((f"Enum.{enum_cls.__name__}", label_en(member)))
            assert entry is not None, f"{enum_cls.__name__}.{member.name} is missing"
            assert entry.translations == (labels[member],)


def test_every_core_field_has_a_label() -> None:
    keys = set()
    for spec in vars(fields).values():
        if isinstance(spec, fields.Spec):
            keys |= set(spec.fields)
    missing = sorted(keys - set(FIELD_LABELS))
    assert not missing, f"fields without a label (ui/labels.py): {missing}"


def test_no_string_in_the_code_is_missing_from_the_ts(tmp_path) -> None:
    """lupdate over the UI code finds nothing that the committed .ts lacks (run i18n/sync_core_texts.py)."""
    root = Path(__file__).resolve().parents[2]
    exe = shutil.which("pyside6-lupdate") or str(Path(sys.executable).with_name("pyside6-lupdate"))
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (root / "fanguai_desk" / "ui").rglob("*.py"))
    subprocess.run([exe, *files, "-no-obsolete", "-locations", "none", "-ts", str(fresh)], check=True,
                   capture_output=True, cwd=root)
    in_code = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(fresh).getroot().iter("context")
               for m in c.iter("message")}
    in_ts = {(e.context, e.source) for e in entries()}
    missing = sorted(in_code - in_ts)
    assert not missing, "strings missing from the .ts (run i18n/sync_core_texts.py):\n" + "\n".join(map(str, missing))


def test_generated_core_texts_are_up_to_date() -> None:
    path = Path(__file__).resolve().parents[2] / "i18n" / "sync_core_texts.py"
    spec = importlib.util.spec_from_file_location("sync_core_texts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.GENERATED.read_text("utf-8") == module.generated_text(), "run i18n/sync_core_texts.py"


def test_dates_are_shown_the_chinese_way() -> None:
    i18n.set_current_language("zh_CN")
    assert i18n.format_date(date(2026, 11, 22)) == "2026年11月22日"
    assert i18n.format_date(date(2026, 1, 5)) == "2026年1月5日"
    i18n.set_current_language("en")
    try:
        assert i18n.format_date(date(2026, 11, 22)) == "2026-11-22"
    finally:
        i18n.set_current_language("zh_CN")


def _visible_texts(root) -> list[str]:
    texts: list[str] = []
    for w in root.findChildren(QLabel):
        texts.append(w.text())
    for w in root.findChildren(QAbstractButton):
        texts.append(w.text())
    for w in root.findChildren(QLineEdit):
        texts.append(w.placeholderText())
    for w in root.findChildren(QTabBar):
        texts += [w.tabText(i) for i in range(w.count())]
    for w in root.findChildren(QComboBox):
        texts += [w.itemText(i) for i in range(w.count())]
    for w in root.findChildren(QListWidget):
        texts += [w.item(i).text() for i in range(w.count())]
    for w in root.findChildren(QTableView):
        model = w.model()
        if model is not None:
            texts += [str(model.headerData(c, _horizontal()) or "") for c in range(model.columnCount())]
    return [t for t in texts if t]


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


@pytest.mark.parametrize("role", ["admin"])
def test_no_english_is_left_on_the_screens(qtbot, desk, open_window, role) -> None:
    """Catches a ``tr()`` whose context differs at run time from the .ts (e.g. inherited methods)."""
    english = {e.source for e in entries() if e.translations[0] != e.source and re.search("[A-Za-z]{3}", e.source)}
    victim_id = register(desk)
    o = open_window(desk)
    for key in ("dashboard", "victims", "cases", "followups", "legal_aid", "placements", "reports", "exchange",
                "audit", "settings", "services"):
        o.window.navigate(key)
        o.wait()
    o.window.open_file(victim_id)
    view = o.window.pages["victims"].file_views()[0]
    qtbot.waitUntil(lambda: view.loaded_once, timeout=TIMEOUT_MS)
    for key in ("profile", "case", "services", "followups", "legal_aid", "placement", "consents", "audit"):
        view.show_tab(key)
    o.window.lock()
    o.wait()
    texts = set(_visible_texts(o.window))
    assert {"工作台", "受害人档案", "跟踪回访", "基本信息", "审计记录", "解锁"} <= texts  # the walk sees the screens
    left = sorted(t for t in texts if t in english)
    assert not left, f"untranslated on screen: {left}"
