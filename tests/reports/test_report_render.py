"""The three reports: Chinese text extractable, fonts embedded, page numbers, wrapping, tidy pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from fanguai_desk.reports.file_summary import render_file_summary
from fanguai_desk.reports.followup import render_followup_record
from fanguai_desk.reports.fonts import FONT_PATH, resources_dir
from fanguai_desk.reports.layout import MARGIN, SIGNATURE_BOX_HEIGHT, SIGNATURE_BOX_WIDTH, para, report_styles

Poppler = Callable[..., str]

EXPECTED_TEXT = {
    "followup": [
        "回访记录表",
        "内部资料 注意保密",
        "张*华",
        "5101-2026-0001",
        "生活状况",
        "心理状况",
        "回访人（签名）",
    ],
    "file_summary": [
        "专门档案摘要",
        "内部资料 注意保密",
        "安置状况",
        "法律援助转介",
        "法律援助",
        "移交人（签名）",
    ],
    "annual": ["年度工作情况统计表", "内部资料 注意保密", "城关镇", "<5", "合计", "回访覆盖率"],
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_font_is_the_shipped_copy_with_its_licence() -> None:
    assert FONT_PATH.is_file()
    assert FONT_PATH.parent == resources_dir() / "fonts"
    assert (FONT_PATH.parent / "LICENSE-wqy-microhei.txt").read_text(encoding="utf-8").count(
        "Apache License"
    ) >= 1
    assert "/usr/share" not in str(FONT_PATH)


@pytest.mark.parametrize("kind", sorted(EXPECTED_TEXT))
def test_pdftotext_finds_the_chinese_text(
    kind: str, signed_reports: dict[str, bytes], poppler: Poppler
) -> None:
    text = poppler("pdftotext", signed_reports[kind], "-layout")
    for expected in EXPECTED_TEXT[kind]:
        assert expected in text, expected


@pytest.mark.parametrize("kind", sorted(EXPECTED_TEXT))
def test_every_page_says_page_n_of_m(kind: str, signed_reports: dict[str, bytes], poppler: Poppler) -> None:
    pages = poppler("pdftotext", signed_reports[kind], "-layout").split("\f")
    pages = [p for p in pages if p.strip()]
    total = len(pypdf.PdfReader(io.BytesIO(signed_reports[kind])).pages)
    assert len(pages) == total
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in _squash(page)


def _pdffonts_rows(output: str) -> list[list[str]]:
    lines = output.strip().splitlines()
    assert lines[1].startswith("---"), output
    return [line.split() for line in lines[2:]]


@pytest.mark.parametrize("kind", sorted(EXPECTED_TEXT))
def test_pdffonts_shows_only_embedded_fonts(
    kind: str, signed_reports: dict[str, bytes], unsigned_reports: dict[str, bytes], poppler: Poppler
) -> None:
    signed_rows = _pdffonts_rows(poppler("pdffonts", signed_reports[kind]))
    unsigned_rows = _pdffonts_rows(poppler("pdffonts", unsigned_reports[kind]))
    assert signed_rows
    for row in signed_rows:
        # name type encoding emb sub uni object ID — columns counted from the right
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "WenQuanYiMicroHei" in row[0], row
    # the visible signature stamp brings its own (embedded) font
    assert len(signed_rows) > len(unsigned_rows)


def _fonts_in(obj: Any, seen: set[int] | None = None) -> list[Any]:
    """Fonts used by a form XObject / appearance stream, recursively."""
    seen = seen if seen is not None else set()
    found = []
    resources = obj.get("/Resources")
    if resources is None:
        return found
    resources = resources.get_object()
    # Either dictionary may itself be an indirect object (pyHanko 0.25 writes /Font that way).
    fonts = resources.get("/Font")
    for font in (fonts.get_object() if fonts is not None else {}).values():
        found.append(font.get_object())
    xobjects = resources.get("/XObject")
    for xobj in (xobjects.get_object() if xobjects is not None else {}).values():
        target = xobj.get_object()
        if id(target) not in seen:
            seen.add(id(target))
            found += _fonts_in(target, seen)
    return found


def test_signature_stamp_font_is_embedded(signed_reports: dict[str, bytes]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(signed_reports["followup"]))
    widgets = [
        annot.get_object()
        for page in reader.pages
        for annot in (page.get("/Annots") or [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    appearance = widgets[0]["/AP"]["/N"].get_object()
    fonts = _fonts_in(appearance)
    assert fonts, "the stamp draws text, so it must use a font"
    for font in fonts:
        assert "WenQuanYiMicroHei" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_unsigned_report_reserves_an_empty_signature_field(unsigned_reports: dict[str, bytes]) -> None:
    pdf = unsigned_reports["followup"]
    reader = PdfFileReader(io.BytesIO(pdf))
    found = list(fields.enumerate_sig_fields(reader))
    assert [(name, value) for name, value, _ref in found] == [("Signature1", None)]
    widget = found[0][2].get_object()
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    assert x1 - x0 == pytest.approx(SIGNATURE_BOX_WIDTH + 2, abs=2)
    assert y1 - y0 == pytest.approx(SIGNATURE_BOX_HEIGHT + 2, abs=2)
    last_page = reader.root["/Pages"]["/Kids"][-1].get_object()
    assert widget["/P"].get_object() == last_page


def test_masked_name_unless_the_full_name_was_chosen(make_followup: Any, poppler: Poppler) -> None:
    masked = poppler("pdftotext", render_followup_record(make_followup()))
    assert "张*华" in masked and "张晓华" not in masked
    assert "脱敏" in masked
    full = poppler(
        "pdftotext", render_followup_record(make_followup(display_name="张晓华", full_name_shown=True))
    )
    assert "张晓华" in full and "完整姓名" in full


def _words_with_boxes(bbox_html: str) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page_w, page_h, xMin, yMin, xMax, yMax, word) from ``pdftotext -bbox``."""
    out = []
    page_no, page_w, page_h = 0, 0.0, 0.0
    for line in bbox_html.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            page_no += 1
            page_w, page_h = float(page.group(1)), float(page.group(2))
            continue
        word = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        )
        if word:
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            out.append((page_no, page_w, page_h, x0, y0, x1, y1, word.group(5)))
    return out


HANGING = "，；：！？）》〉】』」、。．”’…%"


def _assert_inside_frame(pdf: bytes, poppler: Poppler) -> int:
    """Every word lies within the page's margins (hanging punctuation may use the cell padding)."""
    words = _words_with_boxes(poppler("pdftotext", pdf, "-bbox"))
    assert words
    for page, width, height, x0, y0, x1, y1, word in words:
        slack = 10.5 if word and word[-1] in HANGING else 0.5
        assert x0 >= MARGIN - 0.5, (page, word, x0)
        assert x1 <= width - MARGIN + slack, (page, word, x1, width - MARGIN)
        assert y0 >= 8 * mm and y1 <= height - 8 * mm, (page, word, y0, y1)
    return max(w[0] for w in words)


def test_long_text_wraps_inside_its_cell(make_followup: Any, poppler: Poppler) -> None:
    view = make_followup()
    assert len(view.living_situation) >= 300
    pdf = render_followup_record(view)
    assert _assert_inside_frame(pdf, poppler) <= 2
    assert _squash(view.living_situation) in _squash(poppler("pdftotext", pdf, "-raw"))
    # the value column starts after the label column: the long text never runs under the label
    words = _words_with_boxes(poppler("pdftotext", pdf, "-bbox"))
    lines = [w for w in words if w[7] and w[7] in view.living_situation and len(w[7]) > 20]
    assert len(lines) >= 6  # ~330 characters wrap onto several lines
    assert min(w[3] for w in lines) >= MARGIN + 30 * mm


def test_very_long_text_continues_on_following_pages(make_followup: Any, poppler: Poppler) -> None:
    phrase = "经与村委会、学校沟通"
    note = make_followup().living_situation * 10  # ~3 300 characters
    pdf = render_followup_record(make_followup(notes=note))
    pages = _assert_inside_frame(pdf, poppler)
    assert 3 <= pages <= 4
    text = _squash(poppler("pdftotext", pdf, "-raw"))
    assert text.count(phrase) == note.count(phrase) + 1  # + the living-situation cell
    assert f"第{pages}页共{pages}页" in text


def test_file_summary_stays_inside_the_page(summary_view: Any, poppler: Poppler) -> None:
    _assert_inside_frame(render_file_summary(summary_view), poppler)


def test_chinese_punctuation_never_starts_a_line() -> None:
    style = report_styles().value
    paragraph: Paragraph = para("受害人目前与祖母共同生活，居住在两间平房内。" * 30, style)
    for width in (200.0, 301.0, 333.0, 401.0):
        paragraph.wrap(width, 10_000)
        for line in paragraph.blPara.lines[1:]:
            first = line.words[0].text[0] if hasattr(line, "words") else line[1][0][0]
            assert first not in "，。、；：", (width, first)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", sorted(EXPECTED_TEXT))
def test_pages_render_with_clean_edges(kind: str, signed_reports: dict[str, bytes], tmp_path: Path) -> None:
    """Rasterise every page: something is drawn, and nothing in the outer 8 mm band (no overflow)."""
    image_module = pytest.importorskip("PIL.Image")
    pdf_path = tmp_path / f"{kind}.pdf"
    pdf_path.write_bytes(signed_reports[kind])
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_path), str(tmp_path / kind)], check=True, timeout=60
    )
    pngs = sorted(tmp_path.glob(f"{kind}-*.png"))
    assert pngs
    for png in pngs:
        image = image_module.open(png).convert("L")
        w, h = image.size
        band = round(8 / 25.4 * 50)
        assert image.getextrema()[0] < 100, f"{png.name} is blank"
        for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
            assert image.crop(box).getextrema()[0] >= 250, f"{png.name}: ink in the page edge {box}"
