"""Date grammar for Chinese news: Gregorian and ROC (民國) calendars, metadata timestamps.

Only what the text supports is returned; nothing is guessed. ROC year N is Gregorian N + 1911.
Taipei has kept UTC+8 without daylight saving since 1979, so a fixed offset is exact for news.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

TAIPEI = dt.timezone(dt.timedelta(hours=8))
ROC_OFFSET = 1911

# Full-width digits and date separators to ASCII: same length, so offsets survive.
_DIGITS = str.maketrans("０１２３４５６７８９／－．：", "0123456789/-.:")

# 2024-02-07, 2024/2/7, 2024.02.07 (optionally followed by a time); also ROC 113-05-16, 113/5/16.
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<y>\d{4}|\d{2,3})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?![\d/.-]*\d)"
)
# 2024年2月7日, 民國113年2月7日, 113 年 2 月 7 日
CHINESE_DATE = re.compile(
    r"(?P<roc>(?:中華)?民國\s*)?(?P<y>\d{2,4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日號]"
)
# CNA's edit code at the end of an article: ROC yyyMMdd (1130207), sometimes followed by a time.
CNA_EDIT_CODE = re.compile(r"(?:^|[）)\s])(?P<y>\d{2,3})(?P<m>\d{2})(?P<d>\d{2})(?:\s*\d{4})?\s*$")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    iso: str  # YYYY-MM-DD


def normalize_digits(text: str) -> str:
    """Full-width digits and separators to ASCII, one character for one."""
    return text.translate(_DIGITS)


def gregorian_year(year: int, roc: bool = False) -> int | None:
    """A year as written (4-digit Gregorian, or 2–3 digit ROC) to a Gregorian year."""
    if roc or year < 1000:
        year += ROC_OFFSET
    return year if 1900 <= year <= 2100 else None


def make_iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_full_dates(text: str) -> list[DateMatch]:
    """Every complete (year, month, day) date written in the text, in order."""
    text = normalize_digits(text)
    found: list[DateMatch] = []
    for m in CHINESE_DATE.finditer(text):
        iso = make_iso(gregorian_year(int(m["y"]), bool(m["roc"])), int(m["m"]), int(m["d"]))
        if iso:
            found.append(DateMatch(m.start(), m.end(), iso))
    for m in NUMERIC_DATE.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        iso = make_iso(gregorian_year(int(m["y"])), int(m["m"]), int(m["d"]))
        if iso:
            found.append(DateMatch(m.start(), m.end(), iso))
    return sorted(found, key=lambda f: f.start)


def cna_edit_code(text: str) -> str | None:
    """The ROC yyyMMdd code CNA appends to the last paragraph (…（編輯：某某）1130207)."""
    tail = normalize_digits(text.rstrip()[-40:])
    m = CNA_EDIT_CODE.search(tail)
    if not m:
        return None
    return make_iso(gregorian_year(int(m["y"]), roc=True), int(m["m"]), int(m["d"]))


def to_taipei_date(value: object) -> str | None:
    """A metadata timestamp (ISO 8601 string, datetime, date, or a written date) as a Taipei date."""
    if isinstance(value, dt.datetime):
        return _datetime_to_taipei(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    raw = normalize_digits(value.strip())
    parsed = _parse_iso_datetime(raw)
    if parsed is not None:
        return _datetime_to_taipei(parsed)
    dates = find_full_dates(raw)
    return dates[0].iso if dates else None


def _parse_iso_datetime(raw: str) -> dt.datetime | None:
    """ISO 8601 and the forms blogs write: `2024-05-16 10:00:00 +0800`, `…Z`, `…+08:00`."""
    if not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", raw):
        return None
    candidate = raw.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    candidate = re.sub(r"\s*([+-])(\d{2}):?(\d{2})$", r"\1\2:\3", candidate)  # " +0800" → "+08:00"
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _datetime_to_taipei(value: dt.datetime) -> str:
    """A timezone-aware timestamp is converted; a naive one is taken as written (local time)."""
    if value.tzinfo is not None:
        value = value.astimezone(TAIPEI)
    return value.date().isoformat()
