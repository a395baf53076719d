"""A synthetic township ledger (台账) with the awkward cases real ones have.  Every person is synthetic: names
from the synthetic generator, ID numbers from its generator (region 510199, valid check digits).

    python -m tests.ledger.sample_ledger OUT.xlsx     (also OUT.csv in GB18030 next to it)

``write_sample(path, bad=True)`` writes the ledger with its bad rows; ``bad=False`` the same ledger with the bad
rows corrected (what an office sends back after fixing them).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from fanguai_desk.domain.enums import Sex
from fanguai_desk.domain.synthetic import SyntheticPeople

HEADERS = ["序号", "姓名", "性别", "出生日期", "身份证号码", "民族", "户籍地", "现居住地", "解救日期", "解救单位",
           "乡镇", "监护人", "安置情况", "备注"]
TITLE = "青龙镇被拐卖受害人帮扶台账（2025年）"


@dataclass
class Person:
    name: str
    sex: Sex
    birth: date
    id_number: str


def people(n: int = 8, seed: int = 2025) -> list[Person]:
    gen = SyntheticPeople(seed)
    out = []
    for i in range(n):
        sex = Sex.FEMALE if i % 3 else Sex.MALE
        birth = gen.birth_date(8, 50, date(2025, 1, 1))
        out.append(Person(gen.full_name(sex), sex, birth, gen.id_number(birth, sex)))
    return out


def rows(bad: bool) -> tuple[list[list[Any]], dict[str, int]]:
    """The data rows, and the spreadsheet row number of each awkward case (the title is row 1, headers row 2)."""
    p = people()
    sx = {Sex.FEMALE: "女", Sex.MALE: "男"}
    data: list[list[Any]] = []
    where: dict[str, int] = {}

    def add(case: str, row: list[Any]) -> None:
        data.append(row)
        where[case] = len(data) + 2

    # Excel date cells (datetime), plain text ID
    add("date_cells", [1, p[0].name, sx[p[0].sex], datetime.combine(p[0].birth, datetime.min.time()), p[0].id_number,
                       "汉族", "四川省某县某乡", "青龙镇某村", datetime(2023, 5, 4), "某县公安局", "青龙镇", "赵某某",
                       "返回原籍", "按月回访"])
    # text dates the way offices type them
    add("text_dates", [2, p[1].name, sx[p[1].sex], f"{p[1].birth.year}年{p[1].birth.month}月{p[1].birth.day}日",
                       p[1].id_number, "彝族", "", "", "2022.11.3", "某市公安局", "青龙镇", "", "家庭寄养", ""])
    # 出生年月 only a month; lower-case x in the ID is fine if it is the check digit
    add("compact_date", [3, p[2].name, sx[p[2].sex], p[2].birth.strftime("%Y%m%d"), p[2].id_number.lower(), "汉族",
                         "", "", "", "", "", "", "", ""])
    # the same person as a file already in the registry (the test registers it first)
    add("existing", [4, p[3].name, sx[p[3].sex], p[3].birth.isoformat(), p[3].id_number, "汉族", "", "", "", "", "青龙镇",
                     "", "", ""])
    # no ID number, a wide spreadsheet row with spaces around values
    add("no_id", [5, f" {p[4].name} ", sx[p[4].sex], p[4].birth.isoformat(), "", "", "", "", "", "", "青龙镇", "", "",
                  ""])
    if bad:
        # an ID number stored as a NUMBER: Excel keeps 15 digits, the rest are lost
        add("id_as_number", [6, p[5].name, sx[p[5].sex], p[5].birth.isoformat(), int(p[5].id_number[:15]) * 1000,
                             "", "", "", "", "", "青龙镇", "", "", ""])
        # a wrong check digit
        wrong = p[6].id_number[:17] + ("1" if p[6].id_number[17] != "1" else "2")
        add("bad_checksum", [7, p[6].name, sx[p[6].sex], p[6].birth.isoformat(), wrong, "", "", "", "", "", "青龙镇",
                             "", "", ""])
        # DNA data in the notes (only the police may hold it)
        add("dna_note", [8, p[7].name, sx[p[7].sex], p[7].birth.isoformat(), p[7].id_number, "", "", "", "", "",
                         "青龙镇", "", "", "DNA比对结果：D8S1179 12,14 D21S11 28,30 TH01 9.3 FGA 22,24"])
        # an impossible date, an unknown sex, an unknown township
        add("bad_date", [9, "某甲", "女", "2019-02-30", "", "", "", "", "", "", "青龙镇", "", "", ""])
        add("bad_sex", [10, "某乙", "妇", "", "", "", "", "", "", "", "青龙镇", "", "", ""])
        add("bad_township", [11, "某丙", "女", "", "", "", "", "", "", "", "白云乡", "", "", ""])
        # the same ID number twice in the sheet
        add("twice", [12, p[0].name, sx[p[0].sex], p[0].birth.isoformat(), p[0].id_number, "", "", "", "", "", "青龙镇",
                      "", "", ""])
    else:
        for i, person in enumerate(p[5:8], start=6):
            add(f"fixed_{i}", [i, person.name, sx[person.sex], person.birth.isoformat(), person.id_number, "", "", "",
                               "", "", "青龙镇", "", "", ""])
    return data, where


def write_sample(path: Path, *, bad: bool = True) -> dict[str, int]:
    data, where = rows(bad)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    ws.append([TITLE])
    ws.append(HEADERS)
    for row in data:
        ws.append(row)
    for cell in ws["D"][2:] + ws["I"][2:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy/m/d"
    wb.save(path)
    return where


def write_csv(path: Path, *, bad: bool = False, encoding: str = "gb18030") -> dict[str, int]:
    data, where = rows(bad)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow([TITLE])
        w.writerow(HEADERS)
        for row in data:
            w.writerow(["" if v is None else (v.date().isoformat() if isinstance(v, datetime) else v) for v in row])
    return where


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "sample-ledger.xlsx")
    write_sample(out)
    write_csv(out.with_suffix(".csv"), bad=True)
    print(out, out.with_suffix(".csv"))
