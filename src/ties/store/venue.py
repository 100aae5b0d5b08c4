"""The place of an engagement, for the event record: extraction finds places but leaves an event's
location empty, so the store takes the first place in the clause of the event's trigger that the
text introduces as a venue (knowledge in data/venues.yaml). `ties extract` output is unchanged."""
from __future__ import annotations

import re
from functools import cache

from ..extraction.text import after_last, first_from
from ..knowledge import alternation, load
from ..model import Event, Place


@cache
def _rules() -> tuple[re.Pattern, re.Pattern, re.Pattern, str]:
    """(a venue word ending the text before a place, maybe with a country name between; a word
    that is no venue; a hosting verb after a place; the clause marks)."""
    from ..filters import partner_names  # country names in Chinese: 在日本東京

    known = load("venues")
    names = alternation([n for n in partner_names() if len(n) > 1 and not n.isascii()], "country names")
    before = re.compile(rf"(?:{alternation(known['before_words'], 'venue words')})(?:{names})?$")
    not_before = re.compile(rf"(?:{alternation(known['not_before_words'], 'non-venue words')})(?:{names})?$")
    after = re.compile(alternation(known["after_words"], "hosting verbs"))
    return before, not_before, after, known["clause_marks"]


def venue(event: Event, places: list[Place], text: str) -> str | None:
    """The first place of the trigger's clause written as the venue, or None."""
    at = _trigger_at(event, text)
    if at is None or not places:
        return None
    before, not_before, after, marks = _rules()
    start, end = after_last(text, marks, at), first_from(text, marks, at)
    spans = sorted((s.start, s.end, p.name) for p in places for s in p.spans if start <= s.start and s.end <= end)
    for s, e, name in spans:
        lead = text[start:s]
        if (before.search(lead) and not not_before.search(lead)) or after.match(text, e):
            return name
    return None


def _trigger_at(event: Event, text: str) -> int | None:
    """Where the trigger word stands in the event's evidence (its first occurrence)."""
    if not event.trigger:
        return None
    for span in event.evidence:
        at = text.find(event.trigger, span.start, span.end)
        if at >= 0:
            return at
    return None
