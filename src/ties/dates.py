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
_DIGITS_STR = {chr(k): chr(v) for k, v in _DIGITS.items()}
_FULL_WIDTH = re.compile("[\uff0d-\uff1a]")  # exactly the keys of _DIGITS

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
    # as text.translate(_DIGITS), touching only the characters to replace (translate looks up every one)
    return _FULL_WIDTH.sub(lambda m: _DIGITS_STR[m.group()], text)


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


DATE_LINE_MAX_CHARS = 40  # a line this short with a full date in it stands for a date (a timestamp line)


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
    return dates[0].iso if dates else us_date(raw)


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


# A date in a URL path: /2024/05/16/, /2024-05-16, /20240516 (an id may follow the digits).
URL_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<sep>[/-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:\d{0,8})(?![\d])"
)
URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0[1-9]|1[0-2])/")
# An id that opens with a Republic-of-China date, as Taiwanese broadcasters and agencies number
# stories: /news/11110250001600W is ROC 111-10-25, then a serial of at least four digits.
URL_ROC_DATE = re.compile(r"/(?P<y>1[01]\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])\d{4,}[A-Za-z]?(?=[/.?#]|$)")
# A news dateline in brackets: (中央社記者某某台北2024年5月16日電), 【某報2024年5月16日訊】,
# or with the day only: (中央社記者某某台北16日電), whose year and month come from elsewhere.
_OPEN, _CLOSE = r"[（(【〔\[]", r"[）)】〕\]]"
DATELINE_FULL = re.compile(_OPEN + r"[^（()）【】〔〕]{0,40}?(?P<date>\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                           r"[^（()）【】〔〕]{0,12}?[電电訊讯]" + _CLOSE)
DATELINE_DAY = re.compile(_OPEN + r"[^（()）【】〔〕\d]{0,40}?(?P<d>\d{1,2})\s*日[^（()）【】〔〕]{0,6}?[電电訊讯]" + _CLOSE
                          + r"|^[^\d\n（()）]{0,16}?(?P<line_d>\d{1,2})\s*日\s*專?[電电]\s*$", re.M)  # 中央社／ 台北10日電
# 今(16)日 / 今（16日）in the lead: "today" is the day of publication.
TODAY_DAY = re.compile(r"今\s*[（(]\s*(?P<d>\d{1,2})\s*日?\s*[)）]")
LEAD_CHARS = 300
# US-style M/D/YYYY, as some content systems print a posting date.
US_DATE = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b")


def url_date(url: str | None) -> str | None:
    """The full date written in a URL's path, if any (never one after today: an id, not a date)."""
    path = _url_path(url)
    for m in URL_DATE.finditer(path):
        iso = make_iso(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            return iso
    for m in URL_ROC_DATE.finditer(path):
        iso = make_iso(int(m["y"]) + ROC_OFFSET, int(m["m"]), int(m["d"]))
        if iso and iso <= dt.date.today().isoformat():
            return iso
    return None


def url_month(url: str | None) -> str | None:
    """`YYYY-MM` from an archive path such as /2024/05/."""
    m = URL_MONTH.search(_url_path(url))
    return f"{m['y']}-{m['m']}" if m else None


def dateline_date(text: str, month: str | None = None) -> str | None:
    """The date in a bracketed dateline near the start of the text; a day-only dateline, or
    the lead's 今(16)日, needs the year and month (YYYY-MM) known from the metadata or the URL."""
    head = normalize_digits(text[:600])
    m = DATELINE_FULL.search(head)
    if m:
        found = find_full_dates(m["date"])
        if found:
            return found[0].iso
    if not month:
        return None
    m = DATELINE_DAY.search(head)
    if m:
        return make_iso(int(month[:4]), int(month[5:7]), int(m["d"] or m["line_d"]))
    m = TODAY_DAY.search(head[:LEAD_CHARS])
    return make_iso(int(month[:4]), int(month[5:7]), int(m["d"])) if m else None


def us_date(value: str) -> str | None:
    """`4/16/2025` as month/day/year (day/month when the first number cannot be a month)."""
    m = US_DATE.match(normalize_digits(value.strip()))
    if not m:
        return None
    month, day = int(m["m"]), int(m["d"])
    if month > 12:
        month, day = day, month
    return make_iso(int(m["y"]), month, day)


def _url_path(url: str | None) -> str:
    if not url or not isinstance(url, str):
        return ""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else ""
