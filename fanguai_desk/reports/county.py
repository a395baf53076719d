"""The county statistical tables (年度 / 阶段 统计表) as a :class:`~fanguai_desk.reports.disclosure.StatBook`.

Input: per reporting unit (a township) a flat map of counts, ``measure → int`` — computed from this
registry, or received from a township's statistics-only bundle, where a value may
be "<5" or "×" (unknown here; ``services.statistics.township_cells`` makes the former).  Output: the protected tables that the PDF, the spreadsheet, the bundle and
the dashboard publish.  Core module: no Qt, no database.

Measures of one township and year (``open_end`` = files open at the end of the period, etc.):

* files: ``new``, ``closed``, ``open_end``, ``open_year``;
* files open at the end by ``sex.F/M/U``, ``age.minor/adult/unknown`` (age on 31 December),
  ``nat.cn/foreign``, ``id.known/unknown``, placement ``pl.<state>`` / ``pl.none``;
* services running in the year ``svc.<type>``, ``svc_total``, ``persons_assisted``;
* legal-aid referrals made in the year by outcome ``ref.<outcome>``, ``ref_total``, ``ref_green``,
  ``ref_overdue``;
* follow-up visits ``fu.due``, ``fu.done``, ``fu.overdue``; files visited ``fu.visited``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from fanguai_desk.reports.disclosure import (
    HIDDEN,
    SMALL,
    ChartSpec,
    Key,
    ProtectedBook,
    Rate,
    StatBook,
    TableSpec,
)

TOTAL = "*"  # the county-total "township" of a key
TOWNSHIP_HEADER = "乡镇（街道）"
YEAR_HEADER = "年度"
TOTAL_LABEL = "合计"

SEX = (("sex.F", "女"), ("sex.M", "男"), ("sex.U", "性别不详"))
AGE = (("age.minor", "未成年人"), ("age.adult", "成年人"), ("age.unknown", "年龄不详"))
NATIONALITY = (("nat.cn", "中国籍"), ("nat.foreign", "外国籍"))
IDENTITY = (("id.known", "身份明确"), ("id.unknown", "身份信息不明确"))
FILES = (("new", "本年新建档案"), ("closed", "本年结档"), ("open_end", "年末在档"), ("open_year", "本年内在档"))
FOLLOWUP = (("fu.due", "应回访（次）"), ("fu.done", "已回访（次）"), ("fu.overdue", "逾期未回访（次）"))
REFERRAL_EXTRA = (("ref_green", "其中：绿色通道"), ("ref_overdue", "其中：超期未答复"))


@dataclass(frozen=True)
class Labels:
    """Chinese labels of the enum-valued measures, in report order (filled by the service layer)."""

    services: tuple[tuple[str, str], ...]  # (measure, label)
    placements: tuple[tuple[str, str], ...]
    outcomes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Unit:
    """One reporting unit (a township) of one year.  ``cells`` values: int, or "<5" / "×" when received."""

    code: str
    name: str
    cells: Mapping[str, int | str]
    source: str = ""  # "" = this registry's own files; else who sent the statistics and when


@dataclass(frozen=True)
class YearData:
    year: int
    units: tuple[Unit, ...]


@dataclass
class _Builder:
    labels: Labels
    book: StatBook = field(default_factory=StatBook)

    # --------------------------------------------------------------- cells
    def unit_cells(self, year: int, unit: Unit, measures: Sequence[str]) -> None:
        for m in measures:
            v = unit.cells.get(m, 0)
            key = (str(year), m, unit.code)
            if isinstance(v, int) and not isinstance(v, bool):
                self.book.put(key, v)
            else:
                self.book.put(key, None, v if v in (SMALL, HIDDEN) else HIDDEN)

    def measures(self) -> list[str]:
        lab = self.labels
        return [m for m, _ in (*FILES, *SEX, *AGE, *NATIONALITY, *IDENTITY, *lab.services, *lab.placements,
                               *lab.outcomes, *REFERRAL_EXTRA, *FOLLOWUP)] + [
            "svc_total", "persons_assisted", "ref_total", "fu.visited"]

    def relations(self, year: int, code: str) -> None:
        """The arithmetic a reader knows about one unit's cells (declared only where it holds)."""
        b, lab = self.book, self.labels

        def k(m: str) -> Key:
            return (str(year), m, code)

        for group in (SEX, AGE, NATIONALITY, IDENTITY, lab.placements):
            b.relate(k("open_end"), [k(m) for m, _ in group])
        b.relate(k("open_year"), [k("open_end"), k("closed")])
        b.subset(k("new"), k("open_year"), k("new.rest"))
        b.relate(k("svc_total"), [k(m) for m, _ in lab.services])
        b.subset(k("persons_assisted"), k("svc_total"), k("persons.rest"))
        b.relate(k("ref_total"), [k(m) for m, _ in lab.outcomes])
        b.subset(k("ref_green"), k("ref_total"), k("ref_green.rest"))
        b.subset(k("ref_overdue"), k("ref_total"), k("ref_overdue.rest"))
        done, late, due = b.get(k("fu.done")), b.get(k("fu.overdue")), b.get(k("fu.due"))
        rest = None if None in (done, late, due) else max(0, (due or 0) - (done or 0) - (late or 0))
        b.put(k("fu.rest"), rest, HIDDEN)
        b.relate(k("fu.due"), [k("fu.done"), k("fu.overdue"), k("fu.rest")])
        b.subset(k("fu.visited"), k("open_year"), k("fu.visited.rest"))

    # --------------------------------------------------------------- tables
    def grid(self, tid: str, title: str, header: str, rows: Sequence[tuple[str, str, str]],
             columns: Sequence[tuple[str, str]], *, total: str | None = None, extra: Sequence[tuple[str, str]] = (),
             rates: Sequence[tuple[str, str, str]] = (), unit: str = "", chart: ChartSpec | None = None,
             total_rows: tuple[int, ...] = ()) -> None:
        """A table: ``rows`` = (label, year, code); ``columns`` = (measure, label), then the ``total`` column,
        then ``extra`` columns, then ``rates`` (label, numerator, denominator)."""
        labels = [lab for _, lab in columns]
        if total:
            labels.append(TOTAL_LABEL)
        labels += [lab for _, lab in extra]
        labels += [lab for lab, _, _ in rates]
        cells = []
        for _label, year, code in rows:
            row: list[Key | Rate | None] = [(year, m, code) for m, _ in columns]
            if total:
                row.append((year, total, code))
            row += [(year, m, code) for m, _ in extra]
            row += [Rate((year, n, code), (year, d, code)) for _, n, d in rates]
            cells.append(tuple(row))
        self.book.table(TableSpec(id=tid, title=title, row_header=header, columns=tuple(labels),
                                  rows=tuple(r[0] for r in rows), cells=tuple(cells), unit=unit, chart=chart,
                                  total_rows=total_rows))

    def tables(self, rows: Sequence[tuple[str, str, str]], header: str, total_rows: tuple[int, ...],
               period: bool) -> None:
        lab = self.labels
        n = len(rows)
        all_rows = tuple(range(n))
        body_rows = tuple(i for i in all_rows if i not in total_rows) or all_rows
        files_chart = (ChartSpec("line", "档案数变化趋势", all_rows, (0, 1, 2)) if period
                       else ChartSpec("bar", "各乡镇年末在档档案数", body_rows, (2,)))
        self.grid("files", "一、建档与结档情况（份）", header, rows, FILES, chart=files_chart,
                  total_rows=total_rows)
        last = (total_rows[-1],) if total_rows else (n - 1,) if n else ()
        people_rows = all_rows if period else last
        self.grid("sex", "二、年末在档人员：按性别（人）", header, rows, SEX, total="open_end",
                  total_rows=total_rows,
                  chart=ChartSpec("line" if period else "bar", "年末在档人员性别构成", people_rows, (0, 1),
                                  by_row=not period))
        self.grid("age", "三、年末在档人员：按年末年龄（人）", header, rows, AGE, total="open_end",
                  total_rows=total_rows)
        self.grid("nationality", "四、年末在档人员：按国籍（人）", header, rows, NATIONALITY, total="open_end",
                  total_rows=total_rows)
        self.grid("identity", "五、年末在档人员：按身份是否明确（人）", header, rows, IDENTITY, total="open_end",
                  total_rows=total_rows)
        svc_cols = tuple(range(len(lab.services)))
        self.grid("services", "六、救助帮扶服务（按服务类型，件）", header, rows, lab.services, total="svc_total",
                  extra=(("persons_assisted", "接受帮扶人数（人）"),), total_rows=total_rows,
                  chart=ChartSpec("line", "救助帮扶服务件数与人数", all_rows, (len(svc_cols), len(svc_cols) + 1))
                  if period else ChartSpec("bar", "救助帮扶服务（按类型，全县合计）", last, svc_cols, by_row=True))
        self.grid("placements", "七、安置状况（年末，人）", header, rows, lab.placements, total="open_end",
                  total_rows=total_rows,
                  chart=None if period else ChartSpec("bar", "年末安置状况（全县合计）", last,
                                                      tuple(range(len(lab.placements))), by_row=True))
        self.grid("legal_aid", "八、法律援助转介及办理结果（按法定期限，件）", header, rows, lab.outcomes,
                  total="ref_total", extra=REFERRAL_EXTRA, total_rows=total_rows)
        self.grid("followups", "九、跟踪回访覆盖情况", header, rows, FOLLOWUP,
                  extra=(("open_year", "本年内在档人数"), ("fu.visited", "已回访人数")),
                  rates=(("回访完成率", "fu.done", "fu.due"), ("回访覆盖率", "fu.visited", "open_year")),
                  total_rows=total_rows,
                  chart=ChartSpec("line", "跟踪回访（次）", all_rows, (0, 1, 2)) if period else None)


OUTCOME_LABELS = {
    "accepted_in_time": "7日内决定受理",
    "accepted_late": "超过7日决定受理",
    "declined": "不予援助",
    "revoked": "已撤回",
    "pending": "期末尚未决定",
}
NO_PLACEMENT_LABEL = "未登记安置"


def default_labels() -> Labels:
    """The labels of this version's enums (the service, CLI and tests use these)."""
    from fanguai_desk.domain.enums import PlacementState, ServiceType
    from fanguai_desk.domain.labels import label

    return Labels(
        services=tuple((f"svc.{t.value}", label(t)) for t in ServiceType),
        placements=(*((f"pl.{p.value}", label(p)) for p in PlacementState), ("pl.none", NO_PLACEMENT_LABEL)),
        outcomes=tuple((f"ref.{k}", v) for k, v in OUTCOME_LABELS.items()),
    )


def annual_book(year: int, units: Sequence[Unit], labels: Labels) -> ProtectedBook:
    """The annual tables: a row per township and the county total, protected."""
    b = _Builder(labels)
    measures = b.measures()
    y = str(year)
    for u in units:
        b.unit_cells(year, u, measures)
        b.relations(year, u.code)
    for m in measures:
        b.book.sum((y, m, TOTAL), [(y, m, u.code) for u in units])
    for extra in ("new.rest", "persons.rest", "ref_green.rest", "ref_overdue.rest", "fu.rest", "fu.visited.rest"):
        parts = [(y, extra, u.code) for u in units]
        b.book.sum((y, extra, TOTAL), parts)
    b.relations(year, TOTAL)
    rows = [(u.name, y, u.code) for u in units] + [(TOTAL_LABEL, y, TOTAL)]
    b.tables(rows, TOWNSHIP_HEADER, (len(rows) - 1,), period=False)
    return b.book.protect()


def period_book(years: Sequence[YearData], labels: Labels) -> ProtectedBook:
    """The period tables (阶段性 / 终期评估): a row per year of county totals, protected."""
    b = _Builder(labels)
    measures = b.measures()
    for yd in years:
        b.unit_cells(yd.year, Unit(TOTAL, TOTAL_LABEL, county_totals(yd.units, measures)), measures)
        b.relations(yd.year, TOTAL)
    # stock and flow between consecutive years: open at the end = open a year before + new − closed
    for prev, cur in pairwise(years):
        if cur.year == prev.year + 1:
            p, c = str(prev.year), str(cur.year)
            b.book.relate((c, "open_end", TOTAL), [(p, "open_end", TOTAL), (c, "new", TOTAL)],
                          minus=[(c, "closed", TOTAL)])
    rows = [(f"{yd.year}年", str(yd.year), TOTAL) for yd in years]
    b.tables(rows, YEAR_HEADER, (), period=True)
    return b.book.protect()


def county_totals(units: Sequence[Unit], measures: Sequence[str]) -> dict[str, int | str]:
    """Each measure summed over the units; "×" where a unit's value is not known here."""
    out: dict[str, int | str] = {}
    for m in measures:
        vals = [u.cells.get(m, 0) for u in units]
        out[m] = sum(v for v in vals if isinstance(v, int)) if all(isinstance(v, int) for v in vals) else HIDDEN
    return out


def unit_from_book(book: ProtectedBook, year: int, code: str, name: str, source: str) -> Unit:
    """A township's published cells (as a statistics-only bundle carries them) back into a :class:`Unit`."""
    cells: dict[str, int | str] = {}
    for (y, m, c), mark in book.marks.items():
        if y == str(year) and c == code:
            cells[m] = int(mark) if mark.isdigit() else mark
    return Unit(code=code, name=name, cells=cells, source=source)


__all__ = [
    "OUTCOME_LABELS",
    "TOTAL",
    "Labels",
    "Unit",
    "YearData",
    "annual_book",
    "default_labels",
    "period_book",
    "unit_from_book",
]
