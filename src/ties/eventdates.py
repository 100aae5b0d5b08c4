"""Event dates as the text writes them: absolute, ROC, relative to the publication date, partial.

Every date keeps its span and its precision. A relative date needs an anchor (the publication
date); without one it is dropped, and a month-day with no year stays partial (`--12-08`).
Nothing is guessed: dateparser is not used because it answers wrongly (1919 for `105 年`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from .dates import ROC_OFFSET, gregorian_year, make_iso, normalize_digits
from .extraction.text import Gated
from .knowledge import alternation, load
from .types import date as partial_date

PAREN = r"\s*[（(]\s*"
CLOSE = r"\s*[）)]\s*"


@dataclass(frozen=True)
class EventDate:
    start: int
    end: int
    value: str  # YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD, or ---DD (a day alone, no publication date)
    relative: bool = False
    until: str | None = None  # the last day of a range (9日至11日): the event is dated by its first

    @property
    def month(self) -> str | None:
        """The month the date falls in (an engagement inside a range is dated by its month)."""
        return partial_date.month(self.value)

    @property
    def precision(self) -> str:
        return partial_date.precision(self.value)


def _month_day(m: int, d: int) -> str | None:
    try:
        dt.date(2000, m, d)  # a leap year accepts 02-29
    except ValueError:
        return None
    return f"--{m:02d}-{d:02d}"


def _year_of_month_day(m: int, d: int, anchor: dt.date) -> int:
    """A month-day without a year in a news story: the anchor's year, or the year before when
    that would put the day more than two months after publication."""
    try:
        candidate = dt.date(anchor.year, m, d)
    except ValueError:
        return anchor.year
    return anchor.year - 1 if (candidate - anchor).days > 62 else anchor.year


def _day_in_anchor_month(day: int, anchor: dt.date, forward: bool) -> str | None:
    """`今(4)日`, `當地時間11日`: the day in the anchor's month, or the month before (after, for
    future words) when the day is past (before) the anchor's day."""
    year, month = anchor.year, anchor.month
    if not forward and day > anchor.day + 1:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    elif forward and day < anchor.day - 1:
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return make_iso(year, month, day)


# Patterns are tried in order; a later pattern never overlaps an earlier match. They are assembled
# from the words of data/dates.yaml. For speed a pattern opens with the character class of its
# first character, so the engine skips straight to the positions that can start a match; a
# condition on the character before it is then written as a lookbehind over both
# (\d(?<![\d年]\d): a digit not after a digit or 年), and an alternative that needs a given first
# character checks it with (?<=…). A leading lookahead (?=…) remains where no such form exists.
@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    g = load("dates")
    year, month, day = (re.escape(g[k]) for k in ("year_mark", "month_mark", "day_mark"))
    days = f"[{_chars(g['day_mark'] + g['day_mark_also'])}]"
    era_starts = _chars(sorted({w[0] for w in g["roc_era"]}))
    y = rf"(?=[{era_starts}\d])(?P<roc>(?:{_any(g['roc_era'])})\s*)?(?P<y>\d{{4}}|\d{{2,3}})\s*{year}"
    day_range = rf"(?:\s*(?:{_any(g['range_links'])})\s*(?P<d2>[1-9]|[12]\d|3[01]))?"  # 13到14日: from the 13th
    numerals = _numerals(g)
    cn = _chars(numerals)
    cn9 = _chars("".join(g["cn_digits"]) + g["cn_ten"])  # years are counted without 廿
    month_day = rf"(?:\s*(?P<m>\d{{1,2}})\s*{month}(?:\s*(?P<d>\d{{1,2}})\s*{days})?)?"
    patterns = [
        ("ymd", y + rf"\s*(?P<m>\d{{1,2}})\s*{month}\s*(?P<d>\d{{1,2}})\s*{days}"),
        ("ymd_num", r"(?P<y>\d(?<![\d/.:-]\d)(?:\d{3}|(?<=1)\d{2}))[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.-]*\d)"),
        ("rel_day", rf"(?P<w>{_any(g['day_heads'])})" + PAREN + r"(?:(?P<m>\d{1,2})/)?(?P<d>\d{1,2})" + CLOSE + days),
        ("rel_month_day", rf"(?P<w>{_any(g['month_heads'])})" + PAREN + r"(?P<m>\d{1,2})" + CLOSE
         + rf"{month}\s*(?P<d>\d{{1,2}})\s*{days}"),
        ("rel_year", rf"(?P<w>{_any(g['year_heads'])})" + PAREN + r"(?P<y>\d{2,4})" + CLOSE + year + month_day),
        ("ym", y + rf"\s*(?P<m>\d{{1,2}})\s*{month}(?!\s*\d{{0,2}}\s*{days})"),
        ("md", rf"(?P<m>\d(?<![\d{year}]\d)\d?)\s*{month}\s*(?P<d>\d{{1,2}})" + day_range + rf"\s*{days}"),
        ("md_slash", r"(?P<m>\d(?<![\d/.:]\d)(?:(?<=1)[0-2]|(?<=0)[1-9]|(?<=[1-9])))/(?P<d>[12]\d|3[01]|0?[1-9])(?![\d/%])"),
        # 當地時間11日, 華府時間12日, 紐約时间3日: a day of the publication month, in a place's time
        ("local_day", rf"[\u4e00-\u9fff][\u4e00-\u9fff](?:{_any(g['local_time_words'])})\s*(?P<d>\d{{1,2}})\s*{days}"),
        # 外交部8日宣布: a day alone is a day of the publication month (or the month before)
        ("day_only", rf"(?P<d>\d(?<![\d{month}{year}/.\-]\d)(?:(?<=[1-9])|(?<=[12])\d|(?<=3)[01]))" + day_range
         + rf"\s*{day}(?![\d{_chars(g['day_not_before'])}])"),
        # 十三日特地於東京舉辦, 七日透過視訊: a day in Chinese numerals (not 同一日, 第三日, 三日內)
        ("cn_day", rf"(?P<cn>[{cn}](?<![{cn}{_chars(g['cn_day_not_after'])}].)[{cn}]{{0,2}}){day}"
                   rf"(?![{_chars(g['cn_day_not_before'])}])"),
        ("word_day", rf"(?P<w>{_any(g['day_words'])})"),
        # 日前, 近日: recently, a day the text does not give: the publication month (not 節日前)
        ("recent", "(?P<w>" + _opening(g["recent_words"], _chars(g["recent_not_after"]) + r"\d") + ")"),
        ("word_month_day", rf"(?P<w>{_any(g['month_words'])})\s*(?P<d>\d{{1,2}})\s*{days}"),
        ("word_period", rf"(?P<w>{_any([*g['week_words'], *g['month_words']])})"),
        ("word_year", rf"(?P<w>{_any(g['year_words'])})" + month_day),
        # 20年前, 十餘年前: a year counted back (at least that many)
        ("years_ago", rf"(?P<n>[\d{cn9}](?:(?<=\d)\d?|(?<=[{cn9}])[{cn9}]{{0,2}}))"
                      rf"\s*(?:{_any(g['years_ago_approx'])})?\s*(?:{_any(g['years_ago_marks'])})"),
        # 5月，總統率團訪台; 他7月訪台時: a month alone, of the story's year (not 1至5月, 前5月, 5個月)
        # (the digit first, then what stands before it: the engine skips to digits)
        ("month_alone", rf"(?P<m>[1-9](?<![\d{_chars(g['month_alone_not_after'])}][1-9])(?:(?<=1)[0-2])?){month}"
                        rf"(?![\d{_chars(g['month_alone_not_before'])}])"),
        ("year", y),
    ]
    return [(kind, re.compile(pattern)) for kind, pattern in patterns]


def _any(words) -> str:
    return alternation(words, "date words")


def _chars(chars) -> str:
    """Characters for a character class."""
    return "".join(map(re.escape, chars))


def _numerals(g) -> str:
    """The Chinese numerals of a day: the digits, ten, then the contracted tens (廿)."""
    return "".join(g["cn_digits"]) + g["cn_ten"] + "".join(g["cn_contractions"])


def _opening(words: list[str], not_after: str) -> str:
    """WORDS not after a character of NOT_AFTER, opening with the class of their first characters
    (the engine skips to them): [日近](?<![…].)(?:(?<=日)前|(?<=近)日)."""
    firsts = _chars(sorted({w[0] for w in words}))
    rests = "|".join(f"(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in sorted(set(words), key=len, reverse=True))
    return f"[{firsts}](?<![{not_after}].)(?:{rests})"


@cache
def _patterns_by_kind() -> dict[str, re.Pattern]:
    return dict(_patterns())


@cache
def _ascii_patterns() -> list[tuple[str, re.Pattern]]:
    r"""With re.ASCII the engine tests \d and \s faster; on a text with no digit or space outside
    ASCII (the usual case, checked once per text) they match exactly as without it."""
    return [(kind, re.compile(p.pattern, p.flags & ~re.UNICODE | re.ASCII)) for kind, p in _patterns()]


# the kinds (by prefix) resolved against the publication date rather than written whole
RELATIVE_KINDS = ("rel", "word", "local", "day", "recent", "years", "cn", "month_alone")


@cache
def _gated(ascii_only: bool) -> list[tuple[str, Gated]]:
    """The patterns, each tried only on a text that holds the characters its matches need (年 and
    月 for 2024年5月; 時間 or 时间 for 當地時間11日)."""
    return [(kind, Gated(p)) for kind, p in (_ascii_patterns() if ascii_only else _patterns())]


_WIDE_DIGIT_OR_SPACE = re.compile(r"[^\x00-\x1b\x20-\x7f\u4e00-\u9fff\u3001-\u3011\uff01-\uff5e](?:(?<=\d)|(?<=\s))")


@cache
def _offsets(key: str) -> dict[str, int]:
    return dict(load("dates")[key])


def _year_offset(word: str) -> int:
    heads = _offsets("year_heads")
    return heads[word] if word in heads else _offsets("year_words")[word]


def find_event_dates(text: str, anchor: dt.date | None, month: str | None = None) -> list[EventDate]:
    """All dates in `text` (in order), resolved against the publication date `anchor`, or with no
    anchor against the publication `month` (YYYY-MM) when the metadata gives only that."""
    month = month if anchor is None and month and len(month) == 7 else None
    norm = normalize_digits(text)
    taken: list[tuple[int, int]] = []
    found: list[EventDate] = []
    months_alone: set[int] = set()
    for kind, pattern in _gated(ascii_only=not _WIDE_DIGIT_OR_SPACE.search(norm)):
        for m in pattern.finditer(norm):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _resolve_in_month(kind, m, month) if month else _resolve(kind, m, anchor)
            if value:
                if kind == "month_alone":
                    months_alone.add(m.start())
                taken.append((m.start(), m.end()))
                found.append(EventDate(m.start(), m.end(), value, relative=kind.startswith(RELATIVE_KINDS),
                                       until=_range_end(value, m.groupdict().get("d2"))))
    joined = _join_ranges(norm, sorted(found, key=lambda f: f.start))
    if months_alone:
        joined = _carry_into_months_alone(norm, joined, months_alone)
    return joined if anchor or month else _carry_years(joined, _story_year(norm))


def _carry_into_months_alone(text: str, found: list[EventDate], alone: set[int]) -> list[EventDate]:
    """去年5月訪台；8月，部長回訪: a month alone takes the year of the date written before it in
    its paragraph, when that one has a year of its own."""
    out: list[EventDate] = []
    before = None  # the last date so far with a year
    for d in found:
        if d.start in alone and before and "\n" not in text[before.end:d.start] \
                and d.value[:4] != before.value[:4]:
            d = EventDate(d.start, d.end, before.value[:4] + d.value[4:], d.relative, d.until)
        if partial_date.year(d.value):
            before = d
        out.append(d)
    return out


def _resolve_in_month(kind: str, m: re.Match, month: str) -> str | None:
    """Published in a known month on an unknown day (front matter `date: "2025-06"`): 今(2)日 and
    20日 are days of that month; 今天 and 昨日 stay unresolved (their day is not known, and the
    month alone would split them from the engagement they tell); the rest (去年12月, 5月16日,
    上個月) need no day and resolve from mid-month."""
    year, month_number = int(month[:4]), int(month[5:7])
    day = _day_alone(kind, m.groupdict())
    if day:
        return make_iso(year, month_number, int(day[-2:]))
    if kind == "word_day":
        return None
    return _resolve(kind, m, dt.date(year, month_number, 15))


def _story_year(text: str) -> str | None:
    """明(2019)年, 今(107)年: a relative year with its number written tells the year of the story."""
    m = _patterns_by_kind()["rel_year"].search(text)
    return str(_written_or_relative_year(m.groupdict(), None) - _year_offset(m["w"])) if m else None


def _carry_years(found: list[EventDate], year: str | None = None) -> list[EventDate]:
    """Without a publication date, `5月16日` takes the year of the full date written before it
    (本(2025)年5月17日 … 5月16日), else the story's year (明(2019)年): the text itself gives it."""
    out = []
    for d in found:
        if year and partial_date.is_month_day(d.value):
            d = EventDate(d.start, d.end, year + d.value[1:], d.relative,
                          until=year + d.until[1:] if d.until and d.until.startswith("--") else d.until)
        elif len(d.value) == 10:
            year = d.value[:4]
        out.append(d)
    return out


@cache
def _range_link() -> re.Pattern:
    return re.compile(rf"\s*(?:{_any(load('dates')['range_joiners'])})\s*")


def _range_end(value: str, last_day: str | None) -> str | None:
    return f"{value[:-2]}{int(last_day):02d}" if last_day and (len(value) == 10 or value.startswith("--")) else None


def _join_ranges(text: str, found: list[EventDate]) -> list[EventDate]:
    """`12月18日至21日`, `13到14日`: one date, the first day, that knows its last."""
    out: list[EventDate] = []
    for d in found:
        prev = out[-1] if out else None
        if prev and prev.until is None and _range_link().fullmatch(text[prev.end:d.start]):
            out[-1] = EventDate(prev.start, d.end, prev.value, prev.relative, until=d.value)
            continue
        out.append(d)
    return out


def _resolve(kind: str, m: re.Match, anchor: dt.date | None) -> str | None:
    g = m.groupdict()
    if kind in ("ymd", "ymd_num"):
        return make_iso(_year(g), int(g["m"]), int(g["d"]))
    if kind == "ym":
        y = _year(g)
        return f"{y}-{int(g['m']):02d}" if y and 1 <= int(g["m"]) <= 12 else None
    if kind == "year":
        y = _year(g)
        return str(y) if y else None
    if kind in ("md", "md_slash"):
        mo, d = int(g["m"]), int(g["d"])
        if anchor is None:
            return _month_day(mo, d)
        return make_iso(_year_of_month_day(mo, d, anchor), mo, d)
    if kind == "rel_year":  # 本(106)年7月26日: the year is written, no anchor needed
        return _year_month_day(_written_or_relative_year(g, anchor), g)
    if anchor is None:
        return _day_alone(kind, g)
    if kind == "rel_day" and g.get("m"):  # 今（1/26）日
        return make_iso(_year_of_month_day(int(g["m"]), int(g["d"]), anchor), int(g["m"]), int(g["d"]))
    if kind == "rel_day":
        day, offset = int(g["d"]), _offsets("day_heads")[g["w"]]
        expected = anchor + dt.timedelta(days=offset)
        if expected.day == day:
            return expected.isoformat()
        return _day_in_anchor_month(day, anchor, forward=offset > 0)
    if kind == "rel_month_day":
        month = (anchor.month - 1 + _offsets("month_heads")[g["w"]]) % 12 + 1
        if int(g["m"]) != month and _offsets("month_heads")[g["w"]] == 0:
            month = int(g["m"])  # 本(1)月: the number written wins
        return make_iso(anchor.year, month, int(g["d"]))
    if kind == "cn_day":
        day = _chinese_number(g["cn"])
        return _day_in_anchor_month(day, anchor, forward=False) if day and 1 <= day <= 31 else None
    if kind in ("local_day", "day_only"):
        return _day_in_anchor_month(int(g["d"]), anchor, forward=False)
    if kind == "word_day":
        return (anchor + dt.timedelta(days=_offsets("day_words")[g["w"]])).isoformat()
    if kind == "years_ago":
        n = int(g["n"]) if g["n"].isdigit() else _chinese_number(g["n"])
        return str(anchor.year - n) if n else None
    if kind == "recent":
        return f"{anchor.year}-{anchor.month:02d}"
    if kind == "word_month_day":
        month = _period(g["w"], anchor)
        return make_iso(int(month[:4]), int(month[5:]), int(g["d"]))
    if kind == "word_period":
        return _period(g["w"], anchor)
    if kind == "word_year":
        return _year_month_day(_written_or_relative_year(g, anchor), g)
    if kind == "month_alone":
        return f"{_year_of_month_day(int(g['m']), 1, anchor)}-{int(g['m']):02d}"
    return None


def _day_alone(kind: str, g: dict) -> str | None:
    """今(5)日, 5日 in a document with no publication date: the day of the month, month and year
    unknown (`---05`). Not a date of the record; reports of one occasion compare it."""
    if kind in ("rel_day", "local_day", "day_only") and not g.get("m"):
        day = int(g["d"])
    elif kind == "cn_day":
        day = _chinese_number(g["cn"]) or 0
    else:
        return None
    return partial_date.day_alone(day)


def _year_month_day(y: int, g: dict) -> str | None:
    if g.get("m") and g.get("d"):
        return make_iso(y, int(g["m"]), int(g["d"]))
    if g.get("m"):
        return f"{y}-{int(g['m']):02d}" if 1 <= int(g["m"]) <= 12 else None
    return str(y)


def _chinese_number(text: str) -> int | None:
    """一 … 三十一 (十三, 二十, 廿五): the small numbers that name a day."""
    g = load("dates")
    digits, ten = g["cn_digits"], g["cn_ten"]
    for short, long in g["cn_contractions"].items():
        text = text.replace(short, long)
    if ten not in text:
        return digits.get(text) if len(text) == 1 else None
    tens, _, units = text.partition(ten)
    if len(tens) > 1 or len(units) > 1:
        return None
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)


def _period(word: str, anchor: dt.date) -> str:
    """上週 / 上個月: the month it falls in (a week is not a date we can pin to a day)."""
    weeks = _offsets("week_words")
    if word in weeks:
        day = anchor + dt.timedelta(days=weeks[word])
        return f"{day.year}-{day.month:02d}"
    months = anchor.year * 12 + anchor.month - 1 + _offsets("month_words")[word]
    return f"{months // 12}-{months % 12 + 1:02d}"


def _written_or_relative_year(g: dict, anchor: dt.date | None) -> int:
    written = g.get("y")
    if written:
        year = int(written)
        return year + ROC_OFFSET if year < 1000 else year
    if anchor is None:
        raise ValueError("a relative year without its number needs the publication date")
    return anchor.year + _year_offset(g["w"])


def _year(g: dict) -> int | None:
    """A written year; a bare 2–3 digit number before 年 is an ROC year only in a plausible range
    (民國60–130), since `30年` is usually a duration."""
    raw = int(g["y"])
    if g.get("roc"):
        return gregorian_year(raw, roc=True)
    if raw < 1000 and not 60 <= raw <= 130:
        return None
    return gregorian_year(raw)
