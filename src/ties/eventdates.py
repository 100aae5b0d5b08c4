"""Event dates as the text writes them: absolute, ROC, relative to the publication date, partial.

Every date keeps its span and its precision. A relative date needs an anchor (the publication
date); without one it is dropped, and a month-day with no year stays partial (`--12-08`).
Nothing is guessed: dateparser is not used because it answers wrongly (1919 for `105 年`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import ROC_OFFSET, gregorian_year, make_iso, normalize_digits

PAREN = r"\s*[（(]\s*"
CLOSE = r"\s*[）)]\s*"
DAY_RANGE = r"(?:\s*(?:至|到|~|～)\s*(?P<d2>[1-9]|[12]\d|3[01]))?"  # 13到14日: from the 13th


@dataclass(frozen=True)
class EventDate:
    start: int
    end: int
    value: str  # YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD
    relative: bool = False
    until: str | None = None  # the last day of a range (9日至11日): the event is dated by its first

    @property
    def month(self) -> str | None:
        """The month the date falls in (an engagement inside a range is dated by its month)."""
        return self.value[:7] if len(self.value) >= 7 and not self.value.startswith("--") else None

    @property
    def precision(self) -> str:
        if self.value.startswith("--"):
            return "month-day"
        return {10: "day", 7: "month", 4: "year"}[len(self.value)]


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


# Patterns are tried in order; a later pattern never overlaps an earlier match. For speed a pattern
# opens with the character class of its first character, so the engine skips straight to the
# positions that can start a match; a condition on the character before it is then written as a
# lookbehind over both (\d(?<![\d年]\d): a digit not after a digit or 年), and an alternative
# that needs a given first character checks it with (?<=…). A leading lookahead (?=…) remains
# where no such form exists.
_Y = r"(?=[中民\d])(?P<roc>(?:中華)?民國\s*)?(?P<y>\d{4}|\d{2,3})\s*年"
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ymd", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日號]")),
    ("ymd_num", re.compile(r"(?P<y>\d(?<![\d/.:-]\d)(?:\d{3}|(?<=1)\d{2}))[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.-]*\d)")),
    ("rel_day", re.compile(r"(?P<w>今|昨|明|前|後|本)" + PAREN + r"(?:(?P<m>\d{1,2})/)?(?P<d>\d{1,2})" + CLOSE + r"[日號]")),
    ("rel_month_day", re.compile(r"(?P<w>本|上|下|今)" + PAREN + r"(?P<m>\d{1,2})" + CLOSE + r"月\s*(?P<d>\d{1,2})\s*[日號]")),
    ("rel_year", re.compile(r"(?P<w>去|今|明|前|本|上)" + PAREN + r"(?P<y>\d{2,4})" + CLOSE + r"年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日號])?)?")),
    ("ym", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月(?!\s*\d{0,2}\s*[日號])")),
    ("md", re.compile(r"(?P<m>\d(?<![\d年]\d)\d?)\s*月\s*(?P<d>\d{1,2})" + DAY_RANGE + r"\s*[日號]")),
    ("md_slash", re.compile(r"(?P<m>\d(?<![\d/.:]\d)(?:(?<=1)[0-2]|(?<=0)[1-9]|(?<=[1-9])))/(?P<d>[12]\d|3[01]|0?[1-9])(?![\d/%])")),
    # 當地時間11日, 華府時間12日, 紐約时间3日: a day of the publication month, in a place's time
    ("local_day", re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff](?:時間|时间)\s*(?P<d>\d{1,2})\s*[日號]")),
    # 外交部8日宣布: a day alone is a day of the publication month (or the month before)
    ("day_only", re.compile(r"(?P<d>\d(?<![\d月年/.\-]\d)(?:(?<=[1-9])|(?<=[12])\d|(?<=3)[01]))" + DAY_RANGE + r"\s*日(?![\d本圓元])")),
    # 十三日特地於東京舉辦, 七日透過視訊: a day in Chinese numerals (not 同一日, 第三日, 三日內)
    ("cn_day", re.compile(r"(?P<cn>[一二三四五六七八九十廿](?<![一二三四五六七八九十廿〇零百千萬万幾几第週周期拜同每數数個个].)"
                          r"[一二三四五六七八九十廿]{0,2})日(?![內内間间遊游之來来以後后前本圓元])")),
    ("word_day", re.compile(r"(?P<w>今天|今日|昨天|昨日|明天|明日|前天|前日|後天|昨晚|今晚|今晨|昨晨|今早|昨夜|今天|昨天|明天|后天)")),
    # 日前, 近日: recently, a day the text does not give: the publication month
    ("recent", re.compile(r"(?P<w>[日近](?<![生節节假止期平當当每週周末念\d].)(?:(?<=日)前|(?<=近)日))")),  # not 節日前
    ("word_month_day", re.compile(r"(?P<w>上個月|上月|本月|下個月|下月)\s*(?P<d>\d{1,2})\s*[日號]")),
    ("word_period", re.compile(r"(?P<w>上週|上周|上星期|上個月|上月|本週|本周|這週|本月|下週|下周|下個月|下月)")),
    ("word_year", re.compile(r"(?P<w>去年|今年|明年|前年)(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日號])?)?")),
    # 20年前, 十餘年前: a year counted back (at least that many)
    ("years_ago", re.compile(r"(?P<n>[\d一二三四五六七八九十](?:(?<=\d)\d?|(?<=[一二三四五六七八九十])[一二三四五六七八九十]{0,2}))\s*(?:餘|多|余)?\s*年前")),
    ("year", re.compile(_Y)),
]
PATTERNS_BY_KIND = dict(PATTERNS)
# With re.ASCII the engine tests \d and \s faster; on a text with no digit or space outside ASCII
# (the usual case, checked once per text) they match exactly as without it.
_ASCII_PATTERNS = [(kind, re.compile(p.pattern, p.flags & ~re.UNICODE | re.ASCII)) for kind, p in PATTERNS]
_WIDE_DIGIT_OR_SPACE = re.compile(r"[^\x00-\x1b\x20-\x7f\u4e00-\u9fff\u3001-\u3011\uff01-\uff5e](?:(?<=\d)|(?<=\s))")
_DAY_OFFSETS = {"今": 0, "本": 0, "昨": -1, "明": 1, "前": -2, "後": 2, "昨晚": -1, "今晚": 0, "今晨": 0,
                "昨晨": -1, "今早": 0, "昨夜": -1, "后天": 2,
                "今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "明天": 1, "明日": 1, "前天": -2, "前日": -2, "後天": 2}
_YEAR_OFFSETS = {"去": -1, "今": 0, "本": 0, "上": -1, "明": 1, "前": -2, "去年": -1, "今年": 0, "明年": 1, "前年": -2}
_MONTH_OFFSETS = {"本": 0, "今": 0, "上": -1, "下": 1}


def find_event_dates(text: str, anchor: dt.date | None) -> list[EventDate]:
    """All dates in `text` (in order), resolved against the publication date `anchor`."""
    norm = normalize_digits(text)
    taken: list[tuple[int, int]] = []
    found: list[EventDate] = []
    for kind, pattern in PATTERNS if _WIDE_DIGIT_OR_SPACE.search(norm) else _ASCII_PATTERNS:
        for m in pattern.finditer(norm):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _resolve(kind, m, anchor)
            if value:
                taken.append((m.start(), m.end()))
                found.append(EventDate(m.start(), m.end(), value, relative=kind.startswith(("rel", "word", "local", "day", "recent", "years", "cn")),
                                       until=_range_end(value, m.groupdict().get("d2"))))
    joined = _join_ranges(norm, sorted(found, key=lambda f: f.start))
    return joined if anchor else _carry_years(joined, _story_year(norm))


def _story_year(text: str) -> str | None:
    """明(2019)年, 今(107)年: a relative year with its number written tells the year of the story."""
    m = PATTERNS_BY_KIND["rel_year"].search(text)
    return str(_written_or_relative_year(m.groupdict(), None) - _YEAR_OFFSETS[m["w"]]) if m else None


def _carry_years(found: list[EventDate], year: str | None = None) -> list[EventDate]:
    """Without a publication date, `5月16日` takes the year of the full date written before it
    (本(2025)年5月17日 … 5月16日), else the story's year (明(2019)年): the text itself gives it."""
    out = []
    for d in found:
        if year and d.value.startswith("--"):
            d = EventDate(d.start, d.end, year + d.value[1:], d.relative,
                          until=year + d.until[1:] if d.until and d.until.startswith("--") else d.until)
        elif len(d.value) == 10:
            year = d.value[:4]
        out.append(d)
    return out


RANGE_LINK = re.compile(r"\s*(?:至|到|~|～|－|-|—|–)\s*")


def _range_end(value: str, last_day: str | None) -> str | None:
    return f"{value[:-2]}{int(last_day):02d}" if last_day and (len(value) == 10 or value.startswith("--")) else None


def _join_ranges(text: str, found: list[EventDate]) -> list[EventDate]:
    """`12月18日至21日`, `13到14日`: one date, the first day, that knows its last."""
    out: list[EventDate] = []
    for d in found:
        prev = out[-1] if out else None
        if prev and prev.until is None and RANGE_LINK.fullmatch(text[prev.end:d.start]):
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
        return None
    if kind == "rel_day" and g.get("m"):  # 今（1/26）日
        return make_iso(_year_of_month_day(int(g["m"]), int(g["d"]), anchor), int(g["m"]), int(g["d"]))
    if kind == "rel_day":
        day, offset = int(g["d"]), _DAY_OFFSETS[g["w"]]
        expected = anchor + dt.timedelta(days=offset)
        if expected.day == day:
            return expected.isoformat()
        return _day_in_anchor_month(day, anchor, forward=offset > 0)
    if kind == "rel_month_day":
        month = (anchor.month - 1 + _MONTH_OFFSETS[g["w"]]) % 12 + 1
        if int(g["m"]) != month and g["w"] in ("本", "今"):
            month = int(g["m"])  # 本(1)月: the number written wins
        return make_iso(anchor.year, month, int(g["d"]))
    if kind == "cn_day":
        day = _chinese_number(g["cn"])
        return _day_in_anchor_month(day, anchor, forward=False) if day and 1 <= day <= 31 else None
    if kind in ("local_day", "day_only"):
        return _day_in_anchor_month(int(g["d"]), anchor, forward=False)
    if kind == "word_day":
        return (anchor + dt.timedelta(days=_DAY_OFFSETS[g["w"]])).isoformat()
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
    return None


def _year_month_day(y: int, g: dict) -> str | None:
    if g.get("m") and g.get("d"):
        return make_iso(y, int(g["m"]), int(g["d"]))
    if g.get("m"):
        return f"{y}-{int(g['m']):02d}" if 1 <= int(g["m"]) <= 12 else None
    return str(y)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> int | None:
    """一 … 三十一 (十三, 二十, 廿五): the small numbers that name a day."""
    text = text.replace("廿", "二十")
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


_PERIOD_DAYS = {"上週": -7, "上周": -7, "上星期": -7, "本週": 0, "本周": 0, "這週": 0, "下週": 7, "下周": 7}
_PERIOD_MONTHS = {"上個月": -1, "上月": -1, "本月": 0, "下個月": 1, "下月": 1}


def _period(word: str, anchor: dt.date) -> str:
    """上週 / 上個月: the month it falls in (a week is not a date we can pin to a day)."""
    if word in _PERIOD_DAYS:
        day = anchor + dt.timedelta(days=_PERIOD_DAYS[word])
        return f"{day.year}-{day.month:02d}"
    months = anchor.year * 12 + anchor.month - 1 + _PERIOD_MONTHS[word]
    return f"{months // 12}-{months % 12 + 1:02d}"


def _written_or_relative_year(g: dict, anchor: dt.date | None) -> int:
    written = g.get("y")
    if written:
        year = int(written)
        return year + ROC_OFFSET if year < 1000 else year
    if anchor is None:
        raise ValueError("a relative year without its number needs the publication date")
    return anchor.year + _YEAR_OFFSETS[g["w"]]


def _year(g: dict) -> int | None:
    """A written year; a bare 2–3 digit number before 年 is an ROC year only in a plausible range
    (民國60–130), since `30年` is usually a duration."""
    raw = int(g["y"])
    if g.get("roc"):
        return gregorian_year(raw, roc=True)
    if raw < 1000 and not 60 <= raw <= 130:
        return None
    return gregorian_year(raw)
