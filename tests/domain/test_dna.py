"""The DNA detector: only the police may collect DNA data (000 §9, 002, 003, 004)."""

from __future__ import annotations

import pytest

from fanguai_desk.domain.dna import DnaFinding, ensure_no_dna, ensure_no_dna_filename, find_dna_content
from fanguai_desk.domain.errors import RuleViolation

STR_PROFILES = [
    "D8S1179: 12,14",
    "D8S1179 12/14",
    "TH01=9.3",
    "FGA 22 24",
    "Locus\tAllele 1\tAllele 2\nD21S11\t29\t30\nD7S820\t10\t11",
    "THO1 6,9.3",
    "vWA 16 18",
    "Penta D 9,12",
    "PentaE: 11/14",
    "Amelogenin X,Y",
    "AMEL: X",
    "d3s1358：15，16",
    "ｄ８ｓ１１７９：１２，１４",
    "D13S317\t11\t12\nD16S539\t9\t13",
    "D2S1338 17, 23",
    "D19S433 13 14.2",
    "SE33: 19.2, 28.2",
    "D6S1043 11 19",
    "D10S1248 13 15",
    "D22S1045=11,16",
    "D1S1656 12 17.3",
    "D12S391 18/20",
    "D2S441 10 11",
    "D18S51:13",
    "CSF1PO 10 12",
    "TPOX 8",
    "D5S818 11",
    "鉴定记录：D8S1179 12/14，D21S11 29/30，其余见附表",
    "   vwa=17   ",
]
BARE_LOCUS_LISTS = [
    "D8S1179 D21S11 D7S820",
    "CSF1PO、TPOX、FGA",
    "D8S1179\tD21S11\tD7S820\tCSF1PO\n12,14\t29,30\t10,11\t10,12",
]
Y_STR = [
    "DYS19 14",
    "DYS385a/b 13,17",
    "DYS389I 13 DYS389II 29",
    "DYS456 15\nDYS390 24",
]
DNA_RESULTS = [
    "ＤＮＡ比对结果：与其母亲存在亲缘关系",
    "DNA比对结果：一致",
    "dna比对结果为一致",
    "经公安机关DNA比中其亲生父母",
    "经DNA鉴定，系王某亲生女儿",
    "亲子鉴定结论：支持被鉴定人为其生物学母亲",
    "亲子鉴定结论为排除",
    "累计亲权指数CPI为1.2×10^8",
    "亲子鉴定：CPI=3.5",  # "CPI=3.5" alone may be a price index: CPI/PI count only beside kinship words
    "支持王某某与孩子之间存在生物学父亲关系",
    "排除其与该儿童存在生物学母亲关系",
    "生物学父子关系成立",
    "已完成基因分型",
    "STR分型数据已录入",
    "基因型数据见附件",
    "DNA检测结果显示二人为亲子关系",
    "经DNA比对，确认二人系母女关系，血缘关系成立",
    "DNA鉴定结论为存在亲生关系",
    "Y-STR 单倍型相同",
    "DNA profile attached",
    "dna profiling done by the county lab",
    "DNA match with mother confirmed",
    "DNA results received from the lab",
    "paternity index 1.5e6",
    "Probability of paternity 99.99%",
    "allele 12 and 14",
    "Genotype: 12/14",
    "等位基因数据",
    "民警告知DNA比对结果为亲生",
]

ORDINARY_NOTES = [
    "家属已到公安机关采血",
    "民警告知将进行DNA比对",
    "民警告知将进行DNA比对，以确认是否系亲生",
    "需要做DNA比对确认是否亲生",
    "已告知家属DNA比对由公安机关负责，本单位不收集",
    "了解到DNA采集由公安机关负责",
    "等待公安机关DNA比对结果",
    "DNA比对结果尚未返回",
    "DNA比对结果是否一致尚不清楚",
    "家属已到公安机关采集DNA，寻找亲生父母",
    "采集DNA为寻找亲生父母",
    "DNA采集工作得到家属支持",
    "住址：XX村8组",
    "身高158cm，体重45kg",
    "电话19900001234",
    "D8 大巴车",
    "房号D21",
    "FGA公司",
    "FGA 22",
    "FGA 12月15日",
    "TH01房间",
    "TPOX公司",
    "vWA 2026年",
    "SE33路公交车",
    "维生素D3",
    "D3S路线",
    "地址：幸福路D8S栋",
    "Penta Energy Ltd",
    "Pamela X visited",
    "2026-03-05回访",
    "身份证号51019920100101002X",
    "儿童情绪稳定，已返校上课",
    "编号A-12/14",
    "12,14,15岁的三个孩子",
    "第5组第12户",
    "Main Street 12, No. 14",
    "学生成绩：语文85，数学90",
    "当地CPI上涨2.1%",
    "CPI 3.2%",
    "儿童福利机构D区3号床",
    "支持其返校就读",
    "排除安全隐患",
    "与父母关系融洽",
    "孩子与养父母关系一般",
    "她说希望找到亲生父母",
    "复印件共12页，14份",
    "VW汽车维修",
    "",
]


@pytest.mark.parametrize("text", STR_PROFILES + BARE_LOCUS_LISTS)
def test_str_profile_is_detected(text: str) -> None:
    finding = find_dna_content(text)
    assert finding is not None
    assert finding.kind == "str_profile"


@pytest.mark.parametrize("text", Y_STR)
def test_y_str_profile_is_detected(text: str) -> None:
    finding = find_dna_content(text)
    assert finding is not None
    assert finding.kind == "y_str"
    assert finding.marker.startswith("DYS")


@pytest.mark.parametrize("text", DNA_RESULTS)
def test_dna_comparison_result_wording_is_detected(text: str) -> None:
    finding = find_dna_content(text)
    assert finding is not None
    assert finding.kind == "dna_result"


@pytest.mark.parametrize("text", ORDINARY_NOTES)
def test_ordinary_caseworker_note_is_not_dna(text: str) -> None:
    assert find_dna_content(text) is None


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("D8S1179: 12,14", "D8S1179"),
        ("tho1 6,9.3", "TH01"),
        ("vwa 16 18", "vWA"),
        ("penta e: 11/14", "Penta E"),
        ("amel x y", "Amelogenin"),
        ("dys385a/b 13,17", "DYS385a/b"),
    ],
)
def test_finding_marker_is_the_canonical_locus_name(text: str, marker: str) -> None:
    assert find_dna_content(text) == DnaFinding(
        "y_str" if marker.startswith("DYS") else "str_profile", marker
    )


def test_finding_marker_never_contains_the_note_text() -> None:
    finding = find_dna_content("经DNA鉴定，系王某某亲生女儿")
    assert finding is not None
    assert "王" not in finding.marker


def test_ensure_no_dna_raises_rule_violation_with_field_kind_and_marker() -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_no_dna("note", "回访记录 D8S1179: 12,14")
    assert e.value.code == "dna_data"
    assert e.value.params == {"field": "note", "kind": "str_profile", "marker": "D8S1179"}


@pytest.mark.parametrize("text", [None, "", "今日入户走访，本人情绪稳定。"])
def test_ensure_no_dna_accepts_empty_and_ordinary_text(text: str | None) -> None:
    ensure_no_dna("note", text)


@pytest.mark.parametrize(
    "filename",
    [
        "DNA比对结果.pdf",
        "ystr.xlsx",
        "Y-STR_profile.csv",
        "亲子鉴定书.jpg",
        "genotype_export.csv",
        "D8S1179_D21S11_D7S820.txt",
        "str-table.xlsx",
        "C:\\Users\\someone\\Desktop\\ＤＮＡ报告.PDF",
        "/media/usb/基因分型.png",
        "paternity-report.docx",
    ],
)
def test_attachment_named_as_dna_data_is_refused(filename: str) -> None:
    with pytest.raises(RuleViolation) as e:
        ensure_no_dna_filename(filename)
    assert e.value.code == "dna_data"
    assert e.value.params["field"] == "filename"
    assert e.value.params["kind"] == "filename"


@pytest.mark.parametrize(
    "filename",
    [
        "回访记录表.pdf",
        "照片.jpg",
        "户口本扫描.png",
        "street_map.png",
        "instructions.docx",
        "structure.pdf",
        "D8.jpg",
    ],
)
def test_ordinary_attachment_name_is_accepted(filename: str) -> None:
    ensure_no_dna_filename(filename)


@pytest.mark.parametrize(
    "text",
    [
        "D8S1179 1" + " " * 50_000 + "x",
        "dna" + " \n" * 50_000 + "x",
        "经DNA鉴定" + "，" * 50_000,
        "支持" + "的" * 50_000,
        "D8S1179 " * 5_000,
        "FGA" + " 1," * 20_000,
    ],
)
def test_detector_finishes_on_pathological_input(text: str) -> None:
    """Finishes (no catastrophic backtracking); how fast is measured by ``fanguai-desk bench``."""
    find_dna_content(text)


# --- the quick normalisation equals the plain one --------------------------------------------------------

def _plain_normalize(text: str) -> str:
    """The normalisation spelled out step by step, every step always run: the reference for the quick one."""
    import unicodedata

    from fanguai_desk.domain import dna

    folded = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    folded = dna._PUNCTUATION.sub(" ", folded.casefold().translate(dna._CONFUSABLES))
    collapsed = dna._NEWLINES.sub("\n", dna._HSPACE.sub(" ", folded))
    return dna._SPLIT_LOCUS.sub(r"\1\2", dna._SPACED_DNA.sub("dna", collapsed))


def test_quick_normalisation_equals_the_plain_one_on_generated_text() -> None:
    """Skipped steps (already NFKC, no look-alike, no newline) and the format characters removed by one
    character class must give exactly the text the plain normalisation gives, for every kind of character."""
    import random
    import sys
    import unicodedata

    from fanguai_desk.domain import dna

    rng = random.Random(20261201)
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    pools = [
        "回访本人情绪稳定已返回原籍与父母同住基因亲子鉴定结论",
        "DNA dna D8S1179 TH01 vWA FGA amelogenin rs1234567 16223T :=,/-._ \n\t\u3000",
        "аеорсухіјԁαεορτυχ АЕОРСУХ ΑΕΟΡ",  # look-alikes, upper case too (folded first)
        "ＤＮＡ：１２，１４①²𝐃𝐍𝐀ﬁ\u212a",  # NFKC changes these
        "".join(format_chars),
        "\"'`[]{}()<>|_",
    ]
    samples = [
        "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 60))) for _ in range(4000)
    ] + ["D\u200bN\u00adA 比\u2060中", "d n a profile", "D8S\n1179 12,14", "ＤＮＡ比中", "рrofile dnа", ""]
    for text in samples:
        assert dna._normalize(text) == _plain_normalize(text), repr(text)
    assert len(format_chars) > 100 and all(not dna._strip_format(ch) for ch in format_chars)
