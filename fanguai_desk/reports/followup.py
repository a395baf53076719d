"""回访记录表 — the record of one follow-up visit, printed and signed by the caseworker."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from fanguai_desk.reports.layout import (
    FormRow,
    PageDecoration,
    SignatureSlot,
    build_pdf,
    content_width,
    fmt_date,
    fmt_datetime,
    form_table,
    meta_table,
    notes,
    or_dash,
    para,
    report_styles,
    signature_block,
    underline,
)
from fanguai_desk.reports.papercode import PaperMark
from fanguai_desk.reports.views import FollowUpRecordView

TITLE = "回访记录表"


def render_followup_record(view: FollowUpRecordView, paper: PaperMark | None = None) -> bytes:
    """The follow-up record as PDF bytes, with an empty signature field in the signature block."""
    st = report_styles()
    width = content_width()
    slot = SignatureSlot()
    visit_no = f"第 {view.visit_number} 次" if view.visit_number else ""
    story: list[Flowable] = [
        para(TITLE, st.title),
        para("被拐卖受害人跟踪回访", st.subtitle),
        Spacer(1, 4 * mm),
        meta_table(
            [("县（区）", view.county), ("乡镇（街道）", view.township), ("档案编号", view.file_number)],
            width,
        ),
        Spacer(1, 2.5 * mm),
    ]
    rows: list[FormRow] = [
        ("姓名", view.display_name, "性别", view.sex),
        ("年龄", view.age, "回访次数", visit_no),
        ("计划回访日期", fmt_date(view.planned_date), "实际回访日期", fmt_date(view.actual_date)),
        ("回访方式", view.method, "回访人员", view.visitors),
    ]
    if view.location or view.interviewees:
        rows.append(("回访地点", view.location, "受访人", view.interviewees))
    rows += [
        ("生活状况", view.living_situation),
        ("就学情况", view.schooling),
        ("就业情况", view.work),
        ("身体健康状况", view.health),
        ("心理状况", view.psychological_state),
        ("发现的需求", view.needs_found),
        ("需协调解决的困难", view.difficulties_referred),
        ("转介（协调）单位", view.referred_to_unit),
        ("下次回访日期", fmt_date(view.next_visit_date), "记录人", view.caseworker_name),
        ("备注", view.notes),
    ]
    story += form_table(rows, width)
    footnotes = [f"打印用途：{or_dash(view.purpose)}"]
    if view.full_name_shown:
        footnotes.append("本打印件按经办人选择显示完整姓名，请妥善保管，用后按规定销毁或归档。")
    else:
        footnotes.append("为保护被拐卖受害人隐私，本表姓名已作脱敏处理。")
    if view.record_ref:
        footnotes.append(f"记录编号：{view.record_ref}")
    story.append(Spacer(1, 2 * mm))
    story += notes(footnotes)
    story.append(
        signature_block(
            [underline("回访人（签名）："), underline("日　　期："), underline("审核人（签名）：")],
            slot,
            width,
        )
    )
    decoration = PageDecoration(
        doc_title=TITLE,
        header_right=f"档案编号：{or_dash(view.file_number)}",
        footer_left=f"打印时间：{fmt_datetime(view.printed_at)}",
        paper=paper,
    )
    return build_pdf(story, title=TITLE, decoration=decoration, slot=slot)
