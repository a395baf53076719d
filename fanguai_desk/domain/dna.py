"""The DNA detector: the registry refuses any input that carries DNA data.

"禁止除公安机关以外的任何组织或者个人收集被拐卖儿童、父母和疑似被拐卖人员的DNA数据信息"
(Sichuan plan 000 §9; 002, 003, 004 say the same).  Only the police may collect DNA data, so a
civil-affairs registry must not hold an STR profile, a comparison result or a file of either.

What counts as DNA data here:

* an STR profile: a locus name (CODIS core and extended loci, the loci of the kits used in China,
  Amelogenin, Y-STR ``DYS…``) followed by allele values — ``D8S1179: 12,14``, ``TH01=9.3``,
  ``FGA 22 24``, ``Amelogenin X,Y``, tab-separated tables;  three or more distinct locus names are a
  profile even without values (a table whose values sit on another row);
* the wording of a comparison result, Chinese or English: ``DNA比对结果：…``, ``DNA比中``,
  ``经DNA鉴定…系亲生``, ``亲子鉴定结论：…``, ``累计亲权指数``, ``支持/排除…生物学父(母)亲关系``,
  ``基因分型``, ``STR分型``, ``DNA profile``, ``DNA match``, ``paternity index``, ``allele``, ``genotype``.

* SNP genotypes (``rs1234567 AG``, three or more rs ids) and mtDNA variants (``16223T`` beside
  "mtDNA"/线粒体/单倍型, or three variants one of them in the control region 16024–16569).

Before matching, text is normalised against evasion: NFKC, invisible format characters dropped
(zero-width space, soft hyphen, word joiner), Cyrillic/Greek look-alike letters mapped to Latin, JSON/CSV
punctuation and underscores read as spaces, "D N A" read as "dna", a locus name split over two lines
joined (and the whole text is tried once more with its lines joined); base64 runs that decode to text are
checked like the note itself.  Single words are not enough any more: "等位基因", "基因型", "genotype",
"allele" need values or data after them, CPI/PI need kinship words beside them (or a ×10^n value), and a
"DNA比对结果：" followed by 尚未/还没/待… is a wait, not a result.

What does not: saying that the police will take blood or run a comparison ("民警告知将进行DNA比对"),
and the many short codes of ordinary notes that look like locus fragments ("D8 大巴车", "房号D21",
"FGA公司", "维生素D3").  Text is NFKC-normalized (full-width ``ＤＮＡ``/``：`` become ASCII) and
compared case-insensitively.

A finding carries only the kind and the locus name or keyword that triggered it, never the text.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import sys
import unicodedata
from dataclasses import dataclass

from fanguai_desk.domain.errors import RuleViolation

__all__ = ["DnaFinding", "ensure_no_dna", "ensure_no_dna_filename", "find_dna_content"]

KIND_STR_PROFILE = "str_profile"
KIND_DNA_RESULT = "dna_result"
KIND_Y_STR = "y_str"
KIND_FILENAME = "filename"


@dataclass(frozen=True)
class DnaFinding:
    kind: str  # "str_profile" | "dna_result" | "y_str" | "filename"
    marker: str  # non-personal: the locus name or keyword that triggered


# --- STR loci -------------------------------------------------------------------------------------
# Names with a chromosome-position form (D8S1179, DXS10135, DYS385a/b) are unambiguous: any number
# after them is an allele.  Short names (FGA, vWA, TPOX, TH01, SE33, Penta D/E) also occur in ordinary
# words and codes, so they need a stronger signal: a ':'/'=' before the values, or two values.

_NOT_ALNUM_BEFORE = r"(?<![a-z0-9])"
_NOT_ALNUM_AFTER = r"(?![a-z0-9])"

_Y_LOCUS = r"dys\d{2,4}(?:[a-z](?:/[a-z])?|i{1,2}(?:/i{1,2})?)?|dyf\d{3}s\d|y-?gata-?h4"
_CHROMOSOME_LOCUS = r"d(?:[1-9]|1\d|2[0-2]|x)[ \-.]?s\d{2,5}"
_NAMED_LOCUS = r"csf1po|tpox|th-?01|tho1|vwa|fga|se33|penta\s?[de]|hprtb"

_LOCUS = re.compile(
    _NOT_ALNUM_BEFORE + rf"(?P<locus>{_Y_LOCUS}|{_CHROMOSOME_LOCUS}|{_NAMED_LOCUS})" + _NOT_ALNUM_AFTER
)
_AMELOGENIN = re.compile(_NOT_ALNUM_BEFORE + r"(?P<locus>amelogenin|amelo|amel)" + _NOT_ALNUM_AFTER)

_ALLELE = r"\d{1,2}(?:\.\d)?(?!\d)"
_SEP = r"\s*[,/;、\-]?\s*"
# Values right after a locus name: optional ':'/'=', then one or more alleles.
_VALUES = re.compile(rf"\s*(?P<assign>[:=])?\s*(?P<first>{_ALLELE})(?P<more>(?:{_SEP}{_ALLELE})*)")
_AMEL_VALUES = re.compile(r"\s*[:=]?\s*[xy](?:\s*[,/、]?\s*[xy])?(?![a-z0-9])")
# After a single value of an ambiguous locus these units mean an ordinary quantity, not an allele.
_UNIT_AFTER = re.compile(r"\s*(?:[年月日号岁点时分元人个组户楼层室栋米次天周万%]|cm|kg|km)")

_CANONICAL = {
    "th01": "TH01",
    "th-01": "TH01",
    "tho1": "TH01",
    "vwa": "vWA",
    "csf1po": "CSF1PO",
    "tpox": "TPOX",
    "fga": "FGA",
    "se33": "SE33",
    "hprtb": "HPRTB",
    "pentad": "Penta D",
    "pentae": "Penta E",
}


def _canonical_locus(raw: str) -> str:
    key = "".join(raw.split())
    if key.startswith("d") and not key.startswith("dy"):
        key = key.replace("-", "").replace(".", "")
    if key in _CANONICAL:
        return _CANONICAL[key]
    if key.startswith("dys"):
        return "DYS" + key[3:]
    return key.upper()


def _is_ambiguous(canonical: str) -> bool:
    return canonical in {"TH01", "vWA", "FGA", "SE33", "Penta D", "Penta E"}


def _is_y(canonical: str) -> bool:
    return canonical.startswith(("DYS", "DYF", "Y-")) or canonical.startswith("YGATA")


def _str_profile(text: str) -> DnaFinding | None:
    names: set[str] = set()
    for m in _LOCUS.finditer(text):
        canonical = _canonical_locus(m.group("locus"))
        names.add(canonical)
        values = _VALUES.match(text, m.end())
        if values is None:
            continue
        if _is_ambiguous(canonical):
            two_or_more = bool(values.group("more"))
            if not (values.group("assign") or two_or_more):
                continue
            if not two_or_more and _UNIT_AFTER.match(text, values.end()):
                continue
        return DnaFinding(KIND_Y_STR if _is_y(canonical) else KIND_STR_PROFILE, canonical)
    for m in _AMELOGENIN.finditer(text):
        names.add("Amelogenin")
        if _AMEL_VALUES.match(text, m.end()):
            return DnaFinding(KIND_STR_PROFILE, "Amelogenin")
    if len(names) >= 3:
        kind = KIND_Y_STR if all(_is_y(n) for n in names) else KIND_STR_PROFILE
        return DnaFinding(kind, sorted(names)[0])
    return None


# --- comparison results ---------------------------------------------------------------------------
# Each pattern: (compiled regex on normalized lowercase text, marker).  These are results whatever
# the surrounding sentence says.
_STRONG: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), marker)
    for p, marker in (
        (r"dna\s*(?:比对|检验|检测)?\s*比中", "DNA比中"),
        (
            r"(?:dna|亲子鉴定|str|基因)\s*(?:比对|鉴定|检验|检测|分型)?\s*(?:结果|结论|意见)\s*[:：]\s*"
            r"(?!\s*(?:尚未|还未|还没|未出|没出|没有|待|等待|暂无|无|不详|未知|pending|not yet))[^\s]",
            "DNA结果",
        ),
        (r"亲子鉴定\s*(?:结论|意见)\s*(?:[:：]|为|是|显示|表明)", "亲子鉴定结论"),
        (r"累计亲权指数|亲权指数|亲权概率|父权指数|父权概率", "亲权指数"),
        (r"(?:亲子|亲缘|亲权|父权|鉴定|dna|str|基因|locus|基因座)[^。\n]{0,60}(?<![a-z])c?pi\s*值?\s*"
         r"(?:[:=为是≥>≈]|大于|等于)?\s*\d+(?:\.\d+)?(?![\d.]|\s*%)", "CPI"),
        (r"(?<![a-z])(?:c?pi|rcp)\s*值?\s*(?:[:=为是≥>≈]|大于|等于)?\s*\d+(?:\.\d+)?\s*(?:×|x|\*)\s*10\s*\^?\s*-?\d",
         "CPI"),
        (
            r"(?:支持|排除|不支持|存在|不存在|符合)[^。；;\n]{0,40}?生物学(?:上的)?\s*(?:父|母)亲?(?:子|女)?关系",
            "生物学父母关系",
        ),
        (
            r"生物学(?:上的)?\s*(?:父|母)亲?(?:子|女)?关系\s*(?:成立|不成立|存在|不存在|被排除)",
            "生物学父母关系",
        ),
        (r"基因分型|str\s*分型|dna\s*分型|y-?str\s*分型|dna\s*图谱|str\s*图谱", "基因分型"),
        (r"基因型\s*(?:数据|结果|资料|信息|[:：=]|为|见|如下)", "基因型"),
        (r"(?<![a-z])y-?str(?![a-z])", "Y-STR"),
        (r"(?<![a-z])dna\s*[- ]?\s*profil", "DNA profile"),
        (r"(?<![a-z])dna\s*[- ]?\s*match(?:ed|es)?(?![a-z])", "DNA match"),
        (r"(?<![a-z])dna\s*[- ]?\s*(?:test(?:ing)?\s*)?results?(?![a-z])", "DNA result"),
        (r"paternity\s*(?:index|probability|test\s*result)|probability\s*of\s*paternity", "paternity index"),
        (r"(?<![a-z])(?:combined\s*(?:cpi|paternity)|paternity)\s*(?:index|=)", "paternity index"),
        (r"(?<![a-z])alleles?\s*(?:[:=]|\d|values?|calls?|data)|等位基因\s*(?:数据|值|分型|结果|[:：=]|\d)",
         "allele"),
        (r"(?<![a-z])genotyp(?:e|es)\s*(?:[:=]|\d|data|results?)|(?<![a-z])genotyp(?:ed|ing)(?![a-z])", "genotype"),
        (r"(?<![a-z])codis(?![a-z])", "CODIS"),
    )
)

# A DNA word followed, in the same sentence, by an outcome: "经DNA鉴定，系亲生", "DNA比对结果为一致".
_CONTEXT = re.compile(r"dna|亲子鉴定|亲缘鉴定|基因")
_OUTCOME = re.compile(
    r"(?:系|为|是)(?![否寻找查帮联])[^，,。；;\n]{0,8}?亲生"
    r"|亲缘关系|亲子关系|血缘关系"
    r"|一致|吻合|匹配|相符|同一认定|认定同一"
    r"|(?:结果|结论)\s*(?:显示|表明|证实|确认|为|是|系)(?!否)"
)
# Words that make the sentence a plan, a wait or a question rather than a result.
_PENDING = re.compile(r"将|待|尚未|还未|准备|计划|拟|是否|能否|可否|如果|若|需要|需|申请|建议|以便|用于|可以")
_SENTENCE_END = re.compile(r"[。；;!?！？\n]")
_OUTCOME_WINDOW = 40


def _outcome_marker(outcome: str) -> str:
    """A fixed keyword for an outcome match (the match itself may hold a name: "系张某亲生")."""
    if outcome.endswith("亲生"):
        return "亲生"
    if outcome.startswith(("结果", "结论")):
        return outcome[:2]
    return outcome


def _dna_result(text: str) -> DnaFinding | None:
    for pattern, marker in _STRONG:
        if pattern.search(text):
            return DnaFinding(KIND_DNA_RESULT, marker)
    for sentence in _SENTENCE_END.split(text):
        for ctx in _CONTEXT.finditer(sentence):
            window_end = min(len(sentence), ctx.end() + _OUTCOME_WINDOW)
            outcome = _OUTCOME.search(sentence, ctx.end(), window_end)
            if outcome is None:
                continue
            if _PENDING.search(sentence, 0, outcome.end()):
                continue
            return DnaFinding(KIND_DNA_RESULT, f"{ctx.group(0).upper()}+{_outcome_marker(outcome.group(0))}")
    return None


_HSPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r" ?\n[\s]*")
# Look-alike letters (Cyrillic, Greek; lower case, after case folding) read as the Latin letter they imitate.
_CONFUSABLES_FROM: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l",
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ѵ": "v", "ԍ": "g", "ɡ": "g", "ı": "i",
}
_CONFUSABLES = str.maketrans(_CONFUSABLES_FROM)
# JSON, CSV and spreadsheet punctuation around a locus and its values reads as a space.
_PUNCTUATION = re.compile(r"[\"'`\[\]{}()<>|_]+")
_SPACED_DNA = re.compile(r"(?<![a-z])d[\s.\-·]{1,3}n[\s.\-·]{1,3}a(?![a-z])")
_SPLIT_LOCUS = re.compile(r"(d(?:[1-9]|1\d|2[0-2]|x)[ \-.]?s\d{0,4})\n(\d{1,5})")


@functools.cache
def _format_characters() -> re.Pattern[str]:
    """Every character of Unicode category Cf, as one character class: built from ``unicodedata`` on first use
    (≈0.1 s, once per process), so it is exact for the running Python's Unicode version, and then removed by
    the regular expression engine instead of a Python loop over every character (an import checks hundreds
    of thousands of notes)."""
    codes = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]+")


def _strip_format(text: str) -> str:
    """Drop invisible format characters (zero-width space, soft hyphen, word joiner, BOM, bidi marks)."""
    return _format_characters().sub("", text)


_CONFUSABLE_LETTERS = re.compile("[" + "".join(sorted(_CONFUSABLES_FROM)) + "]")


def _normalize(text: str) -> str:
    """NFKC, format characters dropped, case-folded, look-alikes mapped, punctuation of JSON/CSV read as
    space, "D N A" read as "dna", every whitespace run collapsed to one space or one newline.

    Collapsing keeps every ``\\s*`` in the patterns down to one character, so no input can make the
    regular expressions backtrack for long (a note may be pasted from anywhere).  Steps that cannot change
    the text are skipped after a quick test (already NFKC, no look-alike letter, no newline): the same result,
    at half the cost on an ordinary note.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = _strip_format(text).casefold()
    if _CONFUSABLE_LETTERS.search(folded):
        folded = folded.translate(_CONFUSABLES)
    folded = _PUNCTUATION.sub(" ", folded)
    collapsed = _NEWLINES.sub("\n", _HSPACE.sub(" ", folded))
    collapsed = _SPACED_DNA.sub("dna", collapsed)
    return _SPLIT_LOCUS.sub(r"\1\2", collapsed) if "\n" in collapsed else collapsed


# Every pattern above needs one of these words or a locus name: a text with none of them is ordinary,
# and two quick searches say so (an import checks hundreds of thousands of notes).
_ANY_TRIGGER = re.compile(r"dna|str|基因|亲子|亲缘|亲权|父权|生物学|cpi|pi|rcp|paternity|probab|allele|genotyp|codis"
                          r"|amel|locus")


# --- SNP and mtDNA -------------------------------------------------------------------------------
KIND_SNP = "snp"
KIND_MTDNA = "mtdna"
_GENOTYPE = r"[acgt](?:\s*[/|,]?\s*[acgt])?"
_SNP = re.compile(rf"(?<![a-z0-9])rs\d{{3,10}}\s*[:=]?\s*{_GENOTYPE}(?![a-z0-9])")
_RS_ID = re.compile(r"(?<![a-z0-9])rs\d{3,10}(?![0-9])")
_MT_CONTEXT = re.compile(r"mtdna|mt-dna|线粒体|hvs-?i|hvr|hv1|hv2|rcrs|单倍型|单倍群|haplogroup|haplotype")
_MT_VARIANT = re.compile(r"(?<![a-z0-9.])(?:[acgt]?(?:\d{2,5})(?:\.\d)?[acgt](?:>[acgt])?|[acgt]\d{2,5}[acgt])(?![a-z0-9])")


def _mt_position(token: str) -> int:
    digits = re.search(r"\d+", token)
    return int(digits.group(0)) if digits else 0


_SNP_OR_MT_TRIGGER = re.compile(r"rs\d|\d[acgt]|[acgt]\d")


def _snp_or_mtdna(text: str) -> DnaFinding | None:
    if not _SNP_OR_MT_TRIGGER.search(text):
        return None
    if _SNP.search(text) or len(set(_RS_ID.findall(text))) >= 3:
        return DnaFinding(KIND_SNP, "rs")
    variants = [m.group(0) for m in _MT_VARIANT.finditer(text) if 0 < _mt_position(m.group(0)) <= 16569]
    if variants and _MT_CONTEXT.search(text):
        return DnaFinding(KIND_MTDNA, "mtDNA")
    if len(variants) >= 3 and any(16024 <= _mt_position(v) <= 16569 for v in variants):
        return DnaFinding(KIND_MTDNA, "mtDNA")
    return None


_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{12,}={0,2}")


def _decoded_base64(text: str) -> list[str]:
    """Texts hidden as base64 (≥ 12 characters that decode to UTF-8 text): checked like the note itself."""
    out = []
    for m in _BASE64_RUN.finditer(text):
        run = m.group(0)
        try:
            raw = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
            decoded = raw.decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if decoded and sum(ch.isprintable() or ch in "\t\n\r" for ch in decoded) >= 0.9 * len(decoded):
            out.append(decoded)
    return out


def _find(normalized: str) -> DnaFinding | None:
    if _ANY_TRIGGER.search(normalized) or _LOCUS.search(normalized):
        finding = _str_profile(normalized) or _dna_result(normalized)
        if finding is not None:
            return finding
    return _snp_or_mtdna(normalized)


def find_dna_content(text: str, _depth: int = 0) -> DnaFinding | None:
    """The first DNA finding in ``text``, or ``None``."""
    if not text:
        return None
    normalized = _normalize(text)
    finding = _find(normalized)
    if finding is None and "\n" in normalized:  # a locus or a word split over two lines
        finding = _find(normalized.replace("\n", ""))
    if finding is None and _depth == 0:
        for hidden in _decoded_base64(text):
            finding = find_dna_content(hidden, _depth + 1)
            if finding is not None:
                break
    return finding


def ensure_no_dna(field: str, text: str | None) -> None:
    """Refuse ``text`` (the value of ``field``) when it carries DNA data.

    Raises ``RuleViolation("dna_data", field=..., kind=..., marker=...)``.
    """
    if text is None:
        return
    finding = find_dna_content(text)
    if finding is not None:
        raise RuleViolation("dna_data", field=field, kind=finding.kind, marker=finding.marker)


# --- attachments ----------------------------------------------------------------------------------
_FILENAME_KEYWORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), marker)
    for p, marker in (
        (r"dna", "DNA"),
        (r"(?<![a-z])y?-?str(?![a-z])|(?<![a-z])(?:y|x)str(?![a-z])", "STR"),
        (r"亲子鉴定|亲缘鉴定|亲权", "亲子鉴定"),
        (r"基因|分型|等位", "基因"),
        (r"paternity|maternity|kinship", "paternity"),
        (r"genotyp|allele|codis|amelogenin", "genotype"),
    )
)


def ensure_no_dna_filename(filename: str) -> None:
    """Refuse an attachment whose name says it holds DNA data (``DNA比对.pdf``, ``Y-STR.xlsx``…).

    Raises ``RuleViolation("dna_data", field="filename", kind="filename", marker=...)``.
    """
    name = _normalize(filename.replace("\\", "/"))
    base = os.path.basename(name)
    for pattern, marker in _FILENAME_KEYWORDS:
        if pattern.search(base):
            raise RuleViolation("dna_data", field="filename", kind=KIND_FILENAME, marker=marker)
    # Separators in file names are often "_" or "-": read them as spaces for the content detector.
    finding = find_dna_content(re.sub(r"[_]+", " ", base))
    if finding is not None:
        raise RuleViolation("dna_data", field="filename", kind=KIND_FILENAME, marker=finding.marker)
