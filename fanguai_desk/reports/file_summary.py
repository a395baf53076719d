"""专门档案摘要 — the dedicated file summarised for a handover or transfer."""

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
    grid_table,
    meta_table,
    notes,
    or_dash,
    para,
    report_styles,
    section,
    signature_block,
    underline,
)
from fanguai_desk.reports.papercode import PaperMark
from fanguai_desk.reports.views import FileSummaryView

TITLE = "专门档案摘要"


def render_file_summary(view: FileSummaryView, paper: PaperMark | None = None) -> bytes:
    """The file summary as PDF bytes, with an empty signature field in the signature block."""
    st = report_styles()
    width = content_width()
    slot = SignatureSlot()
    story: list[Flowable] = [
        para(TITLE, st.title),
        para("被拐卖受害人专门档案（移交、转递用）", st.subtitle),
        Spacer(1, 4 * mm),
        meta_table(
            [("县（区）", view.county), ("乡镇（街道）", view.township), ("档案编号", view.file_number)],
            width,
        ),
        Spacer(1, 1 * mm),
        section("一、基本情况"),
    ]
    profile: list[FormRow] = [
        ("姓名", view.display_name, "别名", view.alias),
        ("性别", view.sex, "出生日期", view.birth),
        ("年龄", view.age, "公民身份号码", view.id_number),
        ("身份状况", view.identity_status, "民族", view.ethnicity),
        ("国籍", view.nationality, "档案状态", view.file_status),
        ("户籍地", view.hukou_place),
        ("现住址", view.residence),
        ("监护人", view.guardians),
        ("残疾情况及等级", view.disability),
        ("公安案件编号", view.case_reference, "办案单位", view.case_unit),
    ]
    if view.exploitation_type:
        profile.append(("被拐卖（剥削）类型", view.exploitation_type))
    profile += [
        ("解救日期", fmt_date(view.rescue_date), "解救单位", view.rescuing_unit),
        ("建档日期", fmt_date(view.opened_date), "责任社工", view.caseworker_name),
    ]
    if view.closure:
        profile.append(("结案情况", view.closure))
    profile.append(("知情同意情况", view.consents))
    if view.alerts:
        profile.append(("需关注事项", "\n".join(f"• {a}" for a in view.alerts)))
    story += form_table(profile, width, label_width=28 * mm)

    story.append(section("二、救助帮扶服务"))
    story.append(
        grid_table(
            ["服务类型", "负责单位", "配合单位", "开始日期", "结束日期", "状态", "备注"],
            [
                [
                    s.service_type,
                    s.responsible_unit,
                    s.cooperating_units,
                    fmt_date(s.start_date),
                    fmt_date(s.end_date),
                    s.status,
                    or_dash(s.notes),
                ]
                for s in view.services
            ],
            [w * mm for w in (24, 28, 28, 19, 19, 16, 36)],
            centered_cols=(3, 4, 5),
        )
    )

    story.append(section("三、跟踪回访"))
    story.append(
        grid_table(
            ["计划日期", "实际日期", "方式", "回访人员", "情况摘要", "状态"],
            [
                [
                    fmt_date(f.planned_date),
                    fmt_date(f.actual_date),
                    f.method,
                    f.visitors,
                    or_dash(f.summary),
                    f.status,
                ]
                for f in view.follow_ups
            ],
            [w * mm for w in (19, 19, 18, 26, 70, 18)],
            centered_cols=(0, 1, 5),
        )
    )

    story.append(section("四、法律援助转介"))
    story.append(
        grid_table(
            [
                "法律援助机构",
                "事项",
                "转介日期",
                "绿色通道",
                "状态",
                "决定日期",
                "答复期限",
                "结果",
                "同意情况",
            ],
            [
                [
                    r.institution,
                    r.matter,
                    fmt_date(r.referral_date),
                    "是" if r.green_channel else "否",
                    r.status,
                    fmt_date(r.decision_date),
                    fmt_date(r.deadline),
                    or_dash(r.outcome),
                    or_dash(r.consent),
                ]
                for r in view.referrals
            ],
            [w * mm for w in (22, 16, 19, 15, 15, 19, 19, 26, 19)],
            centered_cols=(2, 3, 5, 6),
        )
    )

    story.append(section("五、安置状况（时间线）"))
    story.append(
        grid_table(
            ["开始日期", "结束日期", "安置状况", "安置地点（机构）", "备注"],
            [
                [
                    fmt_date(p.start_date),
                    fmt_date(p.end_date) if p.end_date else "至今",
                    p.state,
                    or_dash(p.place),
                    or_dash(p.notes),
                ]
                for p in view.placements
            ],
            [w * mm for w in (19, 19, 32, 50, 50)],
            centered_cols=(0, 1),
        )
    )

    footnotes = [f"打印用途：{or_dash(view.purpose)}"]
    if view.handover_to:
        footnotes.append(f"接收单位（人）：{view.handover_to}")
    if view.full_name_shown:
        footnotes.append("本打印件按经办人选择显示完整姓名及身份信息，请妥善保管，移交后按规定归档或销毁。")
    else:
        footnotes.append("为保护被拐卖受害人隐私，本摘要姓名、身份号码已作脱敏处理。")
    story.append(Spacer(1, 3 * mm))
    story += notes(footnotes)
    story.append(
        signature_block(
            [underline("移交人（签名）："), underline("接收人（签名）："), underline("日　　期：")],
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
