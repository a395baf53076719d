"""The desktop app never tells its user to type a command; the command line still names its commands.

A message that says what to do has an ``{action}`` placeholder; ``messages.ACTIONS`` words the action for each
front end (a command for the CLI, a page or button for the app), and the one message stays in one place.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET

from fanguai_desk.domain.errors import FanguaiError
from fanguai_desk.messages import ACTIONS, MESSAGES, render
from fanguai_desk.ui.jobs import core_text
from fanguai_desk.ui.messages import error_text
from fanguai_desk.ui.resources import i18n_dir

#: What a text that tells someone to type a command looks like, in either language.
COMMAND = re.compile(
    r"(?<![\w-])--[a-z]"  # an option
    r"|fanguai-desk|命令|command line|command-line|`"  # the program, "command (line)", a quoted command
    r"|[“（(]\s*(restore|doctor|enrol|export|import|recover|recovery-key|ca|exchange|init)\b"  # “restore …”, (doctor)
)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sample(code: str) -> FanguaiError:
    """The error with every parameter its message and actions use."""
    zh, en = MESSAGES[code]
    names = _placeholders(zh) | _placeholders(en)
    for fronts in ACTIONS.get(code, {}).values():
        for text in fronts:
            names |= _placeholders(text)
    return FanguaiError(code, **{n: "2" for n in names if n != "action"})


def test_no_core_message_shown_in_the_app_tells_the_user_to_type_a_command(zh_app) -> None:
    for code in MESSAGES:
        shown = error_text(_sample(code))
        assert not COMMAND.search(shown), (code, shown)
        assert "{action}" not in shown and shown.strip(), code
        assert not COMMAND.search(core_text(code, dict(_sample(code).params))), code  # doctor lines, banners


def test_no_text_of_the_app_in_either_language_names_a_command() -> None:
    """Every string the app can show: the Linguist file holds each source (English) and its Chinese."""
    root = ET.parse(i18n_dir() / "fanguai_desk_zh_CN.ts").getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            texts = [source, translation.text or ""] + [f.text or "" for f in translation.findall("numerusform")]
            for text in texts:
                assert not COMMAND.search(text), (context.findtext("name"), text)


def test_the_app_names_its_own_page_or_button_where_the_command_line_names_a_command(zh_app) -> None:
    visit = FanguaiError("visit_planned_in_past", planned_date="2020-01-01")
    assert "--confirm-past" in render(visit) and "--confirm-past" in render(visit, "en")
    assert "点“是”" in error_text(visit)
    revoked = FanguaiError("signing_certificate_revoked")
    assert "enrol --replace" in render(revoked)
    assert "“设置 / 用户 → 证书”" in error_text(revoked) and "申请证书…" in error_text(revoked)
    gap = FanguaiError("bundle_gap", missing=1, sequences="2", laptop="青龙镇", changes="5–9", first="2")
    assert "export --resend 2" in render(gap) and "export --catch-up" in render(gap)
    assert "数据交换 → 导出" in error_text(gap) and "补发督导尚未确认收到的全部变更" in error_text(gap)
    assert "青龙镇" in error_text(gap)
    disk = FanguaiError("disk_io_error")
    assert "doctor" in render(disk) and "开始体检" in error_text(disk)


def test_every_action_belongs_to_a_message_that_has_its_place_and_both_fronts() -> None:
    with_action = {code for code, (zh, en) in MESSAGES.items() if "action" in _placeholders(zh)}
    assert with_action == set(ACTIONS)
    for code in with_action:
        assert "action" in _placeholders(MESSAGES[code][1]), code
        assert set(ACTIONS[code]) == {"cli", "gui"}, code
        cli_zh, cli_en = ACTIONS[code]["cli"]
        assert cli_zh and cli_en, code
        for front in ("cli", "gui"):
            zh, en = ACTIONS[code][front]
            assert _placeholders(zh) == _placeholders(en), code
            assert not COMMAND.search(zh + en) or front == "cli", code


def test_a_refused_record_is_named_in_words_not_by_its_id_or_codes(zh_app) -> None:
    """Import screen: a refusal names the record's type and why in words; the CLI adds the id for support."""
    refusal = FanguaiError("bundle_not_authorised", record_type="followup",
                           record_id="5c965414-1111-4222-8333-944445555666", reason="other_township")
    shown = error_text(refusal)
    assert "回访记录" in shown and "它属于其他乡镇" in shown
    assert "5c965414" not in shown and "followup" not in shown and "other_township" not in shown
    cli = render(refusal)
    assert "回访记录 5c965414-1111-4222-8333-944445555666" in cli and "other_township" not in cli
    assert "it belongs to another township" in render(refusal, "en")
    for reason in ("certificate_unbound", "author_not_signer", "author_not_township", "installation_not_signer",
                   "other_installation", "file_not_in_bundle"):
        assert reason not in error_text(FanguaiError("bundle_not_authorised", record_type="bundle",
                                                     record_id="x", reason=reason)), reason


def test_every_refusal_reason_raised_has_words() -> None:
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "fanguai_desk"
    reasons: set[str] = set()
    for path in package.rglob("*.py"):
        text = path.read_text("utf-8")
        reasons |= set(re.findall(r'_refuse\([^()]*(?:\([^()]*\)[^()]*)*,\s*"([a-z_]+)"\)', text))
        reasons |= set(re.findall(r'"bundle_not_authorised"[^)]*?reason="([a-z_]+)"', text, flags=re.S))
    assert {"other_township", "installation_not_signer", "file_not_in_bundle"} <= reasons
    assert not {r for r in reasons if f"refusal_reason_{r}" not in MESSAGES}
