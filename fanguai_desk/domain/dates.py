"""Dates as people type them: 2011-03-15, 2011/3/15, 2011.3.15, 20110315, 2011年3月15日 (full-width digits too).

One parser for every entry path — the form's date fields, the CLI's ``--date`` options and JSON files —
so a date the form accepts the command line accepts as well.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_typed_date(text: str) -> date | None:
    """The date ``text`` means, None for blank; ValueError if it is not a real calendar date."""
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    m = _SEPARATED.match(s) or _COMPACT.match(s)
    if m is None:
        raise ValueError("not a date")
    year, month, day = (int(g) for g in m.groups())
    return date(year, month, day)  # ValueError for 2011-02-30
