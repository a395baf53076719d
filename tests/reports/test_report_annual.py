"""The yearly report: no names or ID numbers, small-cell suppression everywhere."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from fanguai_desk.domain.errors import ValidationError
from fanguai_desk.reports.annual import render_annual_report, suppress_small, suppressed_rate
from fanguai_desk.reports.views import AnnualReportView, AnnualTownshipRow

Poppler = Callable[..., str]


def test_suppress_small() -> None:
    assert suppress_small(0) == "0"
    assert [suppress_small(n) for n in (1, 2, 3, 4)] == ["<5"] * 4
    assert suppress_small(5) == "5"
    assert suppress_small(273) == "273"
    with pytest.raises(ValidationError):
        suppress_small(-1)


def test_rates_that_would_reveal_a_small_count_are_hidden() -> None:
    assert suppressed_rate(10, 20) == "50.0%"
    assert suppressed_rate(0, 20) == "0.0%"
    assert suppressed_rate(3, 20) == "—"  # numerator suppressed
    assert suppressed_rate(3, 3) == "—"  # denominator suppressed
    assert suppressed_rate(0, 0) == "—"


def test_annual_report_has_no_victim_names_or_id_numbers(
    victims: list[Any], signed_reports: dict[str, bytes], poppler: Poppler
) -> None:
    text = poppler("pdftotext", signed_reports["annual"], "-layout")
    squashed = re.sub(r"\s+", "", text)
    assert len(victims) > 40
    for person in victims:
        assert person.name not in squashed
        assert person.id_number not in squashed
        assert person.id_number[6:14] not in squashed  # not even a birth date
    assert not re.search(r"(?<![\d-])\d{15}(?:\d{2}[\dXx])?(?![\d-])", text)  # nothing shaped like an ID
    assert "<5" in text


def _first_row(text: str, township: str) -> list[str]:
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] == township:
            return cells[1:]
    raise AssertionError(township)


def test_small_township_counts_and_totals_show_as_less_than_five(
    victims: list[Any], signed_reports: dict[str, bytes], poppler: Poppler
) -> None:
    text = poppler("pdftotext", signed_reports["annual"], "-layout")
    small = [p for p in victims if p.township == "龙泉乡"]
    assert 0 < len(small) < 5
    # table 一: files at year end, new files, persons assisted — all between 1 and 4
    assert _first_row(text, "龙泉乡") == ["<5", "<5", "<5"]
    big = [p for p in victims if p.township == "城关镇"]
    assert _first_row(text, "城关镇")[0] == str(len(big))
    total_row = _first_row(text, "合计")
    assert total_row[0] == str(len(victims))


def _view(rows: tuple[AnnualTownshipRow, ...]) -> AnnualReportView:
    return AnnualReportView(
        year=2026,
        county="某某县",
        reporting_unit="某某县民政局",
        generated_at=datetime(2027, 1, 20, 10, 0),
        service_labels=("寻亲", "医疗"),
        placement_labels=("返乡",),
        referral_status_labels=("已转介", "已办结"),
        referral_outcome_labels=("获得赔偿",),
        townships=rows,
    )


def _row(township: str, n: int) -> AnnualTownshipRow:
    return AnnualTownshipRow(
        township=township,
        files_total=n,
        files_new=n,
        persons_assisted=n,
        services=(n, n),
        placements=(n,),
        referrals=(n, 0),
        referral_outcomes=(n,),
        green_channel=n,
        referrals_overdue=0,
        followups_planned=n,
        followups_done=n,
        followups_overdue=0,
        persons_due=n,
        persons_followed_up=n,
    )


def test_every_count_cell_of_a_tiny_county_is_suppressed(poppler: Poppler) -> None:
    pdf = render_annual_report(_view((_row("甲乡", 1), _row("乙镇", 2))))
    text = poppler("pdftotext", pdf, "-layout")
    for township in ("甲乡", "乙镇"):
        for cell in _first_row(text, township):
            assert cell in {"<5", "0", "—"}, (township, cell)
    # 1 + 2 = 3: the column totals are small too …
    totals = _first_row(text, "合计")
    assert totals == ["<5", "<5", "<5"]
    # … but the services grand total is 2 + 4 = 6: 寻亲 <5, 医疗 <5, 合计 6
    assert re.search(r"合计\s+<5\s+<5\s+6\s*$", text, re.MULTILINE)


def test_mismatched_columns_are_refused() -> None:
    bad = dataclasses.replace(_row("甲乡", 7), services=(1, 2, 3))
    with pytest.raises(ValidationError) as err:
        render_annual_report(_view((bad,)))
    assert err.value.code == "report_columns_mismatch"


def test_empty_year_still_renders(poppler: Poppler) -> None:
    text = poppler("pdftotext", render_annual_report(_view(())), "-layout")
    assert "年度工作情况统计表" in text and "合计" in text
