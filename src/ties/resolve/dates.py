"""Date compatibility between reports of one occasion, at any precision."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..types import date as partial_date


def date_sort(date: str | None) -> str | None:
    """A sortable day for a date of any precision (partial dates at their first day)."""
    return partial_date.sort_key(date)


def dates_compatible(a: str | None, b: str | None) -> bool:
    """2024-02-07 ~ 2024-02 ~ 2024 ~ --02-07; None is compatible with nothing."""
    return partial_date.compatible(a, b)


def year(date: str | None) -> str:
    return date[:4] if date and not date.startswith("--") else ""


@lru_cache(maxsize=65_536)  # pure, and the same few dates are compared again and again
def date_fit(a: str | None, b: str | None) -> tuple[str, str] | None:
    """How two reports' dates fit: ('same'|'adjacent'|'partial'|'day_alone'|'vague'|'unknown', note), or None when they
    cannot be one occasion. Adjacent days fit because outlets resolve 今日/昨日 against different
    publication days."""
    if not a or not b:
        return "unknown", "undated"
    if partial_date.is_day_alone(a) or partial_date.is_day_alone(b):
        # 今(5)日 in a report with no publication date: the day of the month, compared within a day
        if not partial_date.compatible(a, b, day_tolerance=1):
            return None
        return "day_alone", f"{a} ~ {b} (day of the month only)"
    if dates_compatible(a, b):
        if min(len(a), len(b)) == 4:
            return "vague", f"{a} ~ {b}"
        return ("same", a) if a == b and len(a) == 10 else ("partial", f"{a} ~ {b}")
    days = _day_gap(a, b)
    if days == 1:
        return "adjacent", f"{a} ~ {b} (one day apart)"
    return None


def _day_gap(a: str, b: str) -> int | None:
    if any(len(d) != (7 if d.startswith("--") else 10) for d in (a, b)):
        return None
    if a.startswith("--") or b.startswith("--"):
        a, b = "2000" + a[-6:], "2000" + b[-6:]
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return None
