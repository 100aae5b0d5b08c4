"""The extraction orchestrator: clean text → entities, events, topics, outcomes, initiatives."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from itertools import accumulate

from ..eventdates import find_event_dates
from ..model import Document, Extraction
from ..types import date as partial_date
from . import ner
from .events import find_events
from .gazetteer import gazetteer, leftmost_longest, of_kind
from .initiatives import find_figures, find_initiatives
from .organizations import find_organizations
from .outcomes import attach_outcomes, find_outcomes
from .persons import find_caption_persons, find_persons
from .places import country_mentions, find_places
from .text import sentences
from .topics import find_topics


def extract(doc: Document) -> Extraction:
    ner.new_document()
    text = doc.text
    anchor = dt.date.fromisoformat(doc.published) if doc.published else None
    sents = sentences(text)
    hits = gazetteer().hits(text)
    spans = _ner_where_useful(text, sents, hits)
    persons = find_persons(text, hits, spans, anchor)
    persons += find_caption_persons(doc.captions, persons, anchor)
    orgs = find_organizations(text, hits, spans)
    places = find_places(text, hits)
    dates = find_event_dates(text, anchor, doc.published_partial)
    # a country inside an organisation's or a person's name (駐歐盟兼駐比利時代表處, 韓國瑜) is not a party
    name_spans = [(sp.start, sp.end) for o in orgs + persons for sp in o.spans]
    inside = _Inside(name_spans)
    country_hits = [(h.start, h.end, h.entry.name) for h in leftmost_longest(hits, "country")
                    if not inside(h.start, h.end)]
    events = find_events(sents, persons, orgs, places, dates, country_hits, anchor)
    _keep_days_alone(events)
    attach_outcomes(events, find_outcomes(text))
    countries = _countries(events, persons, country_mentions(text, hits, name_spans))
    return Extraction(persons=persons, organizations=orgs, places=places, countries=countries,
                      topics=find_topics(text), events=events, initiatives=find_initiatives(text),
                      figures=find_figures(text))


class _Inside:
    """Whether [start, end) lies inside one of SPANS other than itself: by bisection on the
    spans' starts, with the longest reach of those starting before, rather than a scan of all."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(accumulate((e for _, e in self.spans), max))

    def __call__(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, start)  # spans starting before START
        if before and self.reach[before - 1] >= end:
            return True
        same = bisect_right(self.starts, start)  # spans starting at START hold it when longer
        return same > before and self.spans[same - 1][1] > end


def _ner_where_useful(text: str, sents, hits) -> list:
    """The model runs only on sentences where it can change the answer: those with a title (names
    stand next to titles; elsewhere the rules and the gazetteer find them). Measured on seeds and
    samples: the same scores as running it on every trigger sentence, 30% faster."""
    if not ner.enabled():
        return []
    title_starts = {h.start for h in of_kind(hits, "title")}
    spans = []
    for s in sents:
        if any(s.start <= t < s.end for t in title_starts):
            spans.extend(ner.tag(s.text, s.start))
    return spans


def _countries(events, persons, mentions) -> list[str]:
    """Parties to the engagements: Taiwan and every partner of an event (XX, a multinational body,
    is no country). With no event found, an article that names no foreign country is domestic and
    has no party (SCHEMA); one that does stands in its most-named countries for engagements the
    event rules may have missed (measured on dev: dropping them loses more than it saves)."""
    codes = ["TW"]
    for ev in events:
        codes.extend(c for c in ev.partner_countries if c not in codes and c != "XX")
    if events:
        return codes
    foreign = [c for c, _ in mentions.most_common(3) if c not in ("TW", "CN", "XX")]
    return codes + foreign if foreign else []


def _keep_days_alone(events) -> None:
    """A day with no month or year (---05) is no date for the record; the event keeps the day
    for the merge across outlets."""
    for ev in events:
        if partial_date.is_day_alone(ev.date):
            ev.date, ev.day_of_month = None, partial_date.day_of_month(ev.date)
