"""Filter values as people type them, made exact: a partner as 日本, Japan, JP or 臺日; a topic id in
any case; a date as YYYY, YYYY-MM or YYYY-MM-DD. A value that matches nothing known is an error
that names the closest known values, never an empty result."""
from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import asdict, dataclass, fields
from functools import cache, partial

from babel import Locale

from .errors import TiesError
from .knowledge import load

TAIWAN_PREFIXES = ("中華民國", "臺灣", "台灣", "我國", "臺", "台")
DATE_FORMS = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


EVENT_TYPES = ("CONSULT", "AGREE", "COOPERATE", "AID", "SUPPORT", "REQUEST")  # PLOVER, as in the gold schema


class FilterError(TiesError):
    """A filter value that matches nothing known; the message suggests the closest values. FIELD
    names the filter (partner, since…) once Filters.typed knows it."""
    field: str | None = None


def _suggest(value: str, known, what: str) -> FilterError:
    close = difflib.get_close_matches(value, list(known), n=4, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return FilterError(f"unknown {what} {value!r}{hint}")


@cache
def partner_names() -> dict[str, str]:
    """Every written form of a country or economy → its ISO code (EU included): CLDR names in
    Chinese and English, our own names and short forms."""
    from .extraction.gazetteer import country_names  # Babel and countries.yaml, no gazetteer build

    table: dict[str, str] = {}
    for code, names in country_names().items():
        for name in names:
            table[name.casefold()] = code
    for code, name in Locale.parse("en").territories.items():
        if len(code) == 2 and code.isalpha():
            table.setdefault(name.casefold(), code)
    for short, code in load("countries")["short_forms"].items():
        table.setdefault(short, code)
    return table


def partner_code(value: str) -> str:
    """The ISO code of a partner as typed: JP, jp, 日本, Japan, 臺日, 台美."""
    text = value.strip()
    table = partner_names()
    if text.upper() in table.values():
        return text.upper()
    if code := table.get(text.casefold()):
        return code
    for prefix in TAIWAN_PREFIXES:  # 臺日, 台美: Taiwan and the partner
        rest = text[len(prefix):]
        if text.startswith(prefix) and rest and (code := table.get(rest.casefold())) and code != "TW":
            return code
    raise _suggest(text, [k for k in table if len(k) > 1], "partner")


@cache
def topic_ids() -> tuple[str, ...]:
    return tuple(load("topics")["topics"])


def topic_id(value: str) -> str:
    """A topic id in any case (AI → ai); an unknown one suggests the closest ids."""
    wanted = value.strip().lower()
    if wanted in topic_ids():
        return wanted
    raise _suggest(wanted, topic_ids(), "topic")


def date_bound(value: str, end: bool = False) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD as a day: the first day of the period, or its last with END."""
    m = DATE_FORMS.match(value.strip())
    if not m:
        raise FilterError(f"date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    if not 1 <= month <= 12:
        raise FilterError(f"date {value!r}: no month {month}")
    last = calendar.monthrange(year, month)[1]
    day = int(day) if day else (last if end else 1)
    if not 1 <= day <= last:
        raise FilterError(f"date {value!r}: no day {day} in {year}-{month:02d}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def event_type(value: str) -> str:
    """An event type in any case (agree → AGREE); an unknown one suggests the closest types."""
    wanted = value.strip().upper()
    if wanted in EVENT_TYPES:
        return wanted
    raise _suggest(wanted, EVENT_TYPES, "type")


@dataclass(frozen=True)
class Filters:
    """What the event list and the search are narrowed to, with exact values (JP, ai, AGREE,
    2024-01-01). The CLI, the pages and the API build it with typed() from what people type, the
    query layer reads it, and links (export these, facets) carry it as params()."""
    partner: str | None = None
    person: str | None = None
    topic: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    site: str | None = None  # search only
    q: str | None = None  # search only

    @classmethod
    def typed(cls, **given: str | None) -> "Filters":
        """Filters from values as typed; an empty value is no filter. A value matching nothing
        known raises FilterError with its field set."""
        exact = {}
        for name, value in given.items():
            text = (value or "").strip()
            if not text:
                continue
            try:
                exact[name] = EXACT[name](text)
            except FilterError as exc:
                exc.field = name
                raise
        return cls(**exact)

    def params(self, *names: str) -> dict[str, str]:
        """The filters set (or those of NAMES) as URL query parameters."""
        wanted = names or [f.name for f in fields(self)]
        return {k: v for k, v in asdict(self).items() if v and k in wanted}

    def events(self) -> "Filters":
        """Only what narrows the event list (search's q and site dropped)."""
        return Filters(**self.params(*EVENT_FIELDS))

    def within(self) -> dict[str, str | None]:
        """What narrows a search besides its words: published dates and site."""
        return {"since": self.since, "until": self.until, "site": self.site}


EVENT_FIELDS = ("partner", "person", "topic", "type", "since", "until")
EXACT = {"partner": partner_code, "person": str, "topic": topic_id, "type": event_type, "since": date_bound,
         "until": partial(date_bound, end=True), "site": str, "q": str}
