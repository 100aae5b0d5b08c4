"""Partial dates as ties writes them: YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD (month and day known,
year not), or ---DD (a day of the month alone: used only to compare reports, never stored as a date). One place for their precision, sort key and compatibility, instead of string slicing
in every module."""
from __future__ import annotations

import datetime as dt

PRECISIONS = {10: "day", 7: "month", 4: "year"}


def is_month_day(value: str) -> bool:
    return value.startswith("--") and not is_day_alone(value)


def is_day_alone(value: str | None) -> bool:
    return bool(value) and value.startswith("---")


def day_alone(day: int | None) -> str | None:
    """---05 for the 5th of an unknown month and year (None for no day)."""
    return f"---{day:02d}" if day and 1 <= day <= 31 else None


def day_of_month(value: str | None) -> int | None:
    """The day of a full, month-day or day-alone date."""
    if value and (len(value) == 10 or value.startswith("--")):
        return int(value[-2:])
    return None


def precision(value: str) -> str:
    """day, month, year or month-day."""
    if is_day_alone(value):
        return "day-alone"
    return "month-day" if is_month_day(value) else PRECISIONS[len(value)]


def year(value: str | None) -> int | None:
    return int(value[:4]) if value and not value.startswith("--") else None


def month(value: str | None) -> str | None:
    """YYYY-MM of a date known at least to the month."""
    return value[:7] if value and not value.startswith("--") and len(value) >= 7 else None


def month_day(value: str) -> str | None:
    """MM-DD of a day or month-day date."""
    return value[-5:] if is_month_day(value) or len(value) == 10 else None


def sort_key(value: str | None) -> str | None:
    """A sortable day for a date of any precision (partial dates at their first day); a date with
    no year has none."""
    if not value or value.startswith("--"):
        return None
    return (value + "-01-01")[:10] if len(value) < 10 else value


def as_date(value: str | None) -> dt.date | None:
    """The day of a full date, else None."""
    if not value or len(value) != 10 or value.startswith("--"):
        return None
    return dt.date.fromisoformat(value)


def span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date with a year may name (a day, a month, a year)."""
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return day, day
    if len(value) == 7:
        first = dt.date.fromisoformat(value + "-01")
        return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)


def compatible(a: str | None, b: str | None, day_tolerance: int = 0) -> bool:
    """Could A and B name the same day? 2024-02-07 ~ 2024-02 ~ 2024 ~ --02-07; two full dates
    within DAY_TOLERANCE days (reports relative to different publication days); None fits nothing."""
    if not a or not b:
        return False
    if is_day_alone(a) or is_day_alone(b):  # only the day can be compared, where both give one
        day_a, day_b = day_of_month(a), day_of_month(b)
        return day_a is None or day_b is None or abs(day_a - day_b) <= day_tolerance
    if is_month_day(a) or is_month_day(b):
        return month_day(a) is not None and month_day(a) == month_day(b)
    day_a, day_b = as_date(a), as_date(b)
    if day_a and day_b:
        return abs((day_a - day_b).days) <= day_tolerance
    short, long = sorted((a, b), key=len)
    return long.startswith(short)


def coarser(value: str) -> list[str]:
    """The partial dates a full or month date fits: 2024-02-07 → [2024-02, 2024, --02-07]."""
    if value.startswith("--") or len(value) == 4:
        return []
    out = [value[:7]] if len(value) == 10 else []
    out.append(value[:4])
    if len(value) == 10:
        out.append("--" + value[5:])
    return out
