"""Events: one per engagement. A sentence with a trigger word (接見, 簽署, 捐贈 …) and at least one
named participant gives an event candidate: PLOVER type and mode from the trigger, participants
split into the Taiwan side and counterparts by their country, the date written in the sentence
(or the one in force in its paragraph), partner countries from the counterparts and the sentence.
Candidates of the same engagement (same date, shared participants) merge; planned or hoped-for
engagements are left to the outcomes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from ..eventdates import EventDate
from ..knowledge import load
from ..model import Event, Organization, Person, Span
from .gazetteer import fold
from .text import Sentence

EVENT_PRIORITY = {"AGREE": 0, "AID": 1, "CONSULT": 2, "COOPERATE": 3, "SUPPORT": 4, "REQUEST": 5}


@dataclass(frozen=True)
class Trigger:
    word: str
    type: str
    mode: str


@cache
def triggers() -> list[Trigger]:
    data = load("events")
    out = [Trigger(w, t["type"], t["mode"]) for t in data.get("triggers", []) for w in t.get("words", [])]
    return sorted(out, key=lambda t: -len(t.word))


@cache
def markers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = load("events")
    return tuple(data.get("future_markers", [])), tuple(data.get("past_markers", []))


def find_events(sentences: list[Sentence], persons: list[Person], orgs: list[Organization],
                dates: list[EventDate], country_hits: list[tuple[int, int, str]],
                published: dt.date | None) -> list[Event]:
    candidates: list[Event] = []
    paragraph_date: dict[int, str] = {}
    lead_date = None
    for sent in sentences:
        sent_dates = [d for d in dates if sent.start <= d.start < sent.end]
        date = sent_dates[0].value if sent_dates else paragraph_date.get(sent.paragraph)
        if sent_dates:
            paragraph_date[sent.paragraph] = sent_dates[0].value
            lead_date = lead_date or sent_dates[0].value
        trigger = _trigger(sent.text)
        if trigger is None or _planned(sent.text, trigger.word):
            continue
        event = _candidate(sent, trigger, persons, orgs, country_hits, date or lead_date)
        if event:
            candidates.append(event)
    return _merge(candidates)


def _trigger(text: str) -> Trigger | None:
    found = [(text.find(t.word), t) for t in triggers() if t.word in text]
    if not found:
        return None
    # The most specific engagement in the sentence: signings and donations over meetings.
    return min(found, key=lambda ft: (EVENT_PRIORITY[ft[1].type], ft[0]))[1]


def _planned(text: str, word: str) -> bool:
    """The trigger's own clause speaks of the future (將於…舉行, 盼…訪問)."""
    at = text.find(word)
    clause_start = max(text.rfind(c, 0, at) for c in "，,；;：:") + 1
    clause = text[clause_start:at]
    future, past = markers()
    return any(f in clause for f in future) and not any(p in clause for p in past)


def _candidate(sent: Sentence, trigger: Trigger, persons: list[Person], orgs: list[Organization],
               country_hits: list[tuple[int, int, str]], date: str | None) -> Event | None:
    inside = lambda spans: any(sent.start <= s.start < sent.end for s in spans)  # noqa: E731
    people = [p for p in persons if inside(p.spans)]
    bodies = [o for o in orgs if inside(o.spans)]
    taiwan = [p.name for p in people if p.country == "TW"]
    foreign = [p for p in people if p.country and p.country != "TW"]
    unknown = [p for p in people if not p.country]
    counterparts = [p.name for p in foreign] + [p.name for p in unknown]
    partner = {p.country for p in foreign}
    foreign_orgs = [o for o in bodies if o.country and o.country not in ("TW",)]
    if not counterparts:
        counterparts = [o.name for o in foreign_orgs]
    if not taiwan:
        taiwan = [o.name for o in bodies if o.country == "TW"][:2]
    partner |= {o.country for o in foreign_orgs if o.country != "XX"}
    partner |= {code for s, _, code in country_hits if sent.start <= s < sent.end and code != "TW"}
    partner.discard(None)
    if not (taiwan or counterparts) or not (partner or counterparts):
        return None
    return Event(type=trigger.type, mode=trigger.mode, date=date, taiwan_side=taiwan, counterparts=counterparts,
                 partner_countries=sorted(partner - {"CN"} if partner - {"CN"} else partner),
                 evidence=[Span(sent.start, sent.end)], trigger=trigger.word)


def _merge(candidates: list[Event]) -> list[Event]:
    merged: list[Event] = []
    for ev in candidates:
        same = next((m for m in merged if _same_engagement(m, ev)), None)
        if same is None:
            merged.append(ev)
            continue
        for name in ev.taiwan_side:
            if name not in same.taiwan_side:
                same.taiwan_side.append(name)
        for name in ev.counterparts:
            if name not in same.counterparts:
                same.counterparts.append(name)
        same.partner_countries = sorted(set(same.partner_countries) | set(ev.partner_countries))
        same.evidence.extend(ev.evidence)
        if EVENT_PRIORITY[ev.type] < EVENT_PRIORITY[same.type] and ev.type == "AGREE" and same.type != "CONSULT":
            same.type, same.mode = ev.type, ev.mode
    return merged


def _same_engagement(a: Event, b: Event) -> bool:
    if a.date != b.date:
        return False
    if set(a.taiwan_side) & set(b.taiwan_side):
        return True
    if not (a.taiwan_side and b.taiwan_side) and set(a.counterparts) & set(b.counterparts):
        return True
    return False


def normalise_name(name: str) -> str:
    return fold("".join(name.split()))
