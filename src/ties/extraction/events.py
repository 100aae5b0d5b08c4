"""Events: one per engagement. A sentence with a trigger word (接見, 簽署, 捐贈 …) and at least one
named participant gives an event candidate: PLOVER type and mode from the trigger, participants
split into the Taiwan side and counterparts by their country, the date written in the sentence
(or the one in force in its paragraph), partner countries from the counterparts and the sentence.
Candidates of the same engagement (same date, shared participants) merge; planned or hoped-for
engagements are left to the outcomes."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from ..eventdates import EventDate
from ..errors import KnowledgeError
from ..knowledge import alternation, load
from ..model import Event, Organization, Person, Place, Span
from .text import Sentence, after_last, first_from

GUEST_SENTENCES = 2  # how far after a delegation's reception its guests are looked for
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


@cache
def _marker_patterns() -> tuple[re.Pattern | None, re.Pattern | None]:
    """markers() as patterns: one search finds whether any of the words occurs."""
    return tuple(re.compile("|".join(map(re.escape, words))) if words else None for words in markers())


def find_events(sentences: list[Sentence], persons: list[Person], orgs: list[Organization],
                places: list[Place], dates: list[EventDate], country_hits: list[tuple[int, int, str]],
                published: dt.date | None) -> list[Event]:
    candidates: list[Event] = []
    sentences = _split_dated_clauses(_join_photo_lineups(sentences), [d.start for d in dates])
    at = _SentenceIndex(sentences)
    dates = [d for d, sent in ((d, at(d.start)) for d in dates)
             if not (_since(sent, d) or _dateline(sent, d) or _in_a_name(sent, d))]
    date_starts = [d.start for d in dates]
    triggered: list[tuple[Sentence, Trigger, str | None]] = []
    ranged: set[int] = set()  # triggers dated by a range (9日至11日)
    previous_date: str | None = None
    for sent in sentences:
        sent_dates = dates[bisect_left(date_starts, sent.start):bisect_left(date_starts, sent.end)]
        same_day = previous_date if not sent_dates and _says_same_day(sent.text) else None
        for trigger in _triggers(sent.text):
            if not _not_reported(sent.text, trigger):
                listed = _respective_dates(sent, sent_dates)
                if len(listed) > 1:  # 分別在今(22)日與明(23)日舉行
                    triggered += [(sent, trigger, d.value) for d in listed]
                else:
                    chosen = _date_for(sent, trigger, sent_dates)
                    trip = any(t.mode == "visit" for t in _triggers(sent.text))
                    triggered.append((sent, trigger, same_day or _date_value(chosen, trigger, trip)))
                    ranged |= {len(triggered) - 1} if chosen and chosen.until else set()
                if _after(triggered[-1][2], published):
                    triggered.pop()  # 明(5)日將簽署: dated after the story, so not yet an event
        previous_date = sent_dates[-1].value if sent_dates else previous_date
    named = _Named(persons, orgs, places, country_hits)
    lead: Event | None = None
    hosts: list[Event] = []  # Taiwan's side of a session whose guests are named elsewhere (a schedule)
    ranged_events: list[Event] = []
    once: list[Event] = []
    for i, (sent, trigger, date) in enumerate(triggered):
        event = _candidate(sent, trigger, named, date)
        if event and i in ranged:
            ranged_events.append(event)
        if event is None and lead and _both_sides_act(sent.text, trigger) and _compatible(date, lead.date):
            # 會談結束後，雙方共同簽署聯合公報: "both sides" are the lead engagement's parties
            event = Event(type=trigger.type, mode=trigger.mode, date=date or lead.date,
                          taiwan_side=list(lead.taiwan_side), counterparts=list(lead.counterparts),
                          partner_countries=list(lead.partner_countries), evidence=[Span(sent.start, sent.end)],
                          trigger=trigger.word)
        if event and lead and not event.counterparts and _words("delegation_words").search(sent.text):
            # 訪團昨日已先與唐鳳會面: "the delegation" is the lead engagement's visitors
            event.counterparts = list(lead.counterparts)
            event.partner_countries = sorted(set(event.partner_countries) | set(lead.partner_countries))
        if event and not (event.counterparts or event.partner_countries) and trigger.type == "CONSULT" \
                and _words("delegation_words").search(sent.text):
            _join_guests_named_next(event, sent, at, persons)  # 總統接見「某基金會訪團」。…歡迎澳洲前總理某某
        if event and event.date is None and _told_once(sent.text, trigger):
            once.append(event)  # 她曾赴台拜會: once before, on a day the text does not give
        if event and event.counterparts and not event.taiwan_side:
            _join_attendees(event, sent, sentences, persons)
        if event and (event.counterparts or event.partner_countries):
            candidates.append(event)
            lead = lead or (event if event.counterparts else None)
        elif event:
            hosts.append(event)
    person_names = {p.name for p in persons}
    sessions: dict[str, str] = {}  # 代表大會13到14日召開 … 大會以…為號召: a session named again, even with no party named
    for _, trigger, date in triggered:
        if date and _current(date, published) and trigger.mode != "visit":
            sessions.setdefault(trigger.word, date)
    _date_undated([e for e in candidates + hosts if not any(e is o for o in once)], ranged_events, published,
                  person_names, sessions)
    rows = _schedule_rows(sentences, dates, places, orgs, country_hits)
    for row in rows:
        for host in (h for h in hosts if h.date == row.date and h.type == row.type):
            row.taiwan_side += [n for n in host.taiwan_side if n not in row.taiwan_side]
            row.evidence = host.evidence + row.evidence
    person_names = {p.name for p in persons}
    merged = _merge(_drop_passing_mentions(candidates + rows, person_names, published), person_names)
    merged = _fold_meetings_into_trips(_guest_stays_met(merged, sentences), sentences, dates, person_names)
    # in story order; a meeting before the signing or gift told in the same sentence
    return sorted(merged, key=lambda e: (min(s.start for s in e.evidence), e.type != "CONSULT"))


def _not_reported(text: str, trigger: Trigger) -> bool:
    """The trigger tells no engagement of its own here (the cheap tests first)."""
    return _attributive(text, trigger) or _reported_thanks(text, trigger) or _invitation(text, trigger) \
        or _described(text, trigger) or _interview(text, trigger) or _planned(text, trigger) \
        or _habitual(text, trigger) or _since_then(text, trigger.word)


def _join_attendees(event: Event, sent: Sentence, sentences: list[Sentence], persons: list[Person]) -> None:
    """比利時辦事處昨晚舉辦國慶酒會。外交部次長王大明與會致詞: a gathering told with its foreign host
    only, and the next sentence naming who attended from Taiwan (with no engagement of its own)."""
    following = next((s for s in sentences if s.start >= sent.end), None)
    attended = _words("attendance_words").search(following.text) if following else None
    if not attended or any(0 <= following.text.find(t.word) < attended.start() for t in _triggers(following.text)):
        return  # the attendees' clause tells an engagement of its own
    before = following.start + attended.start()
    names = [p.name for p in persons if p.country == "TW"
             and any(following.start <= s.start < before for s in p.spans)]
    if names:
        event.taiwan_side = names
        event.evidence = event.evidence + [Span(following.start, following.end)]


def _join_guests_named_next(event: Event, sent: Sentence, at: _SentenceIndex, persons: list[Person]) -> None:
    """總統今日接見「某某基金會訪團」。總統致詞時歡迎澳洲前總理某某…: a delegation received, named
    by its body only, whose foreign members are named in one of the next two sentences."""
    first = bisect_left(at.starts, sent.end)
    following = at.sentences[first:first + GUEST_SENTENCES]
    for later in following:
        guests = [p for p in persons if p.country and p.country != "TW"
                  and any(later.start <= sp.start < later.end for sp in p.spans)]
        if guests:
            event.counterparts = [p.name for p in guests]
            countries = {p.country for p in guests}
            event.partner_countries = sorted(countries - {"XX"} or countries)
            event.evidence = event.evidence + [Span(later.start, later.end)]
            return


def _fold_meetings_into_trips(events: list[Event], sentences: list[Sentence], dates: list[EventDate],
                              person_names: set[str]) -> list[Event]:
    """率團赴檳城，與當地議員進行交流與討論: a meeting told in the sentence of a trip abroad, with no
    time of its own (當日下午, 21日), is what the trip did: one engagement, the trip."""
    out = []
    for ev in events:
        trip = next((t for t in out if _trip_abroad(t, person_names) and ev.type == "CONSULT" and ev.mode != "visit"
                     and t.date == ev.date and t.evidence[0].start == ev.evidence[0].start), None)
        if trip is None or _own_time(ev, sentences, dates) or _told_as_next_step(trip, ev, sentences):
            out.append(ev)
            continue
        trip.taiwan_side += [n for n in ev.taiwan_side if n not in trip.taiwan_side]
        trip.counterparts += [n for n in ev.counterparts if n not in trip.counterparts]
        trip.partner_countries = sorted(set(trip.partner_countries) | set(ev.partner_countries))
    return out


def _told_as_next_step(trip: Event, ev: Event, sentences: list[Sentence]) -> bool:
    """抵達帛琉後，首站即前往…晉見總統: a step after the arrival is an engagement of its own."""
    sent = next((s for s in sentences if s.start == ev.evidence[0].start), None)
    if sent is None:
        return True
    between = sent.text[sent.text.find(trip.trigger):sent.text.find(ev.trigger)]
    return bool(_words("sequence_words").search(between))


def _own_time(ev: Event, sentences: list[Sentence], dates: list[EventDate]) -> bool:
    """The trigger's clause says when (當日下午赴外交部拜會, 當地時間21日拜會)."""
    sent = next((s for s in sentences if s.start == ev.evidence[0].start and ev.trigger in s.text), None)
    if sent is None:
        return True
    start, end = _clause_bounds(sent.text, sent.text.find(ev.trigger))
    return any(sent.start + start <= d.start < sent.start + end for d in dates) \
        or bool(_words("time_of_day_words").search(sent.text, start, end))


def _guest_stays_met(events: list[Event], sentences: list[Sentence]) -> list[Event]:
    """德魯22日率團來台，25日與市長會面: a guest's stay here told in one sentence with a meeting with
    the guest is one engagement (SCHEMA): the meeting, unless only the stay has a day of its own
    (代表團19日至21日訪台，並與總統會晤)."""
    drop = []
    for visit in events:
        meeting = _meeting_with_guest(visit, events, sentences)
        if meeting is not None:
            gone, kept = (meeting, visit) if len(meeting.date or "") < len(visit.date or "") else (visit, meeting)
            kept.taiwan_side += [n for n in gone.taiwan_side if n not in kept.taiwan_side]
            drop.append(gone)
    return [e for e in events if not any(e is d for d in drop)]


def _meeting_with_guest(visit: Event, events: list[Event], sentences: list[Sentence]) -> Event | None:
    if visit.mode != "visit" or not visit.counterparts:
        return None
    starts = {s.start for s in visit.evidence}
    told = [t for t in sentences if t.start in starts]
    if not any(_words("inbound_visit_words").search(t.text, *_clause_bounds(t.text, t.text.find(visit.trigger)))
               for t in told if visit.trigger in t.text):
        return None
    return next((e for e in events if e.type == "CONSULT" and e.mode != "visit"
                 and set(e.counterparts) & set(visit.counterparts) and starts & {s.start for s in e.evidence}), None)


def _split_dated_clauses(sentences: list[Sentence], date_starts: list[int]) -> list[Sentence]:
    """今年1月，部長率團出訪帛琉；今年3月，總統則聘任某某為顧問: after a semicolon, a clause with a date of
    its own tells another occasion, read as a sentence of its own (its people are not the first
    one's). A clause whose only engagement words are thanks or an invitation stays in its sentence,
    where those count only when nothing else happens."""
    out: list[Sentence] = []
    for sent in sentences:
        start = 0
        for cut in _semicolon_cuts(sent.text):
            rest = sent.text[cut:]
            if _has_date(date_starts, sent.start + cut, sent.end) and not _only_thanks_or_appeals(rest):
                out.append(Sentence(sent.start + start, sent.start + cut, sent.text[start:cut], sent.paragraph))
                start = cut
        out.append(sent if start == 0 else
                   Sentence(sent.start + start, sent.end, sent.text[start:], sent.paragraph))
    return out


def _semicolon_cuts(text: str) -> list[int]:
    """Just after each semicolon of TEXT (none in most sentences)."""
    return [i + 1 for i, ch in enumerate(text) if ch in "；;"] if "；" in text or ";" in text else []


def _has_date(date_starts: list[int], start: int, end: int) -> bool:
    i = bisect_left(date_starts, start)
    return i < len(date_starts) and date_starts[i] < end


def _only_thanks_or_appeals(text: str) -> bool:
    found = _triggers(text)
    return bool(found) and all(_voiced(t.type) for t in found)


def _join_photo_lineups(sentences: list[Sentence]) -> list[Sentence]:
    """圖說：某某舉辦慶祝會。左起為甲、乙: the people lined up in a photo are at the engagement the
    sentence before tells, so the two are read as one."""
    out: list[Sentence] = []
    for sent in sentences:
        prev = out[-1] if out else None
        if prev and prev.paragraph == sent.paragraph and _words("lineup_words").match(sent.text.lstrip()):
            gap = " " * (sent.start - prev.end)
            out[-1] = Sentence(prev.start, sent.end, prev.text + gap + sent.text, prev.paragraph)
        else:
            out.append(sent)
    return out


def _schedule_rows(sentences: list[Sentence], dates: list[EventDate], places: list[Place],
                   orgs: list[Organization], country_hits: list[tuple[int, int, str]]) -> list[Event]:
    """Schedules and tables (each cell a line): a short line naming a summit or meeting, a date
    line within the next few lines, then a list of the cities, bodies or countries taking part."""
    found = []
    for i, head in enumerate(sentences):
        if len(head.text) > 24 or "。" in head.text or not _triggers(head.text):
            continue
        trigger = _triggers(head.text)[0]
        for j in range(i + 1, min(i + 5, len(sentences))):
            line = sentences[j]
            line_dates = [d for d in dates if line.start <= d.start < line.end]
            if not (line_dates and len(line.text.strip()) <= 24):
                continue
            for k in range(j + 1, min(j + 3, len(sentences))):
                listed = _listed_parties(sentences[k], places, orgs, country_hits)
                if listed:
                    names, partners = listed
                    found.append(Event(type=trigger.type, mode=trigger.mode, date=line_dates[0].value,
                                       counterparts=names, partner_countries=sorted(partners),
                                       evidence=[Span(head.start, sentences[k].end)], trigger=trigger.word,
                                       from_row=True))
                    break
            break
    return found


def _listed_parties(line: Sentence, places: list[Place], orgs: list[Organization],
                    country_hits: list[tuple[int, int, str]]) -> tuple[list[str], set[str]] | None:
    """The foreign places, bodies or countries a list line names, in order (none if it is prose)."""
    if "。" in line.text or "，" in line.text:
        return None
    inside = lambda spans: [s for s in spans if line.start <= s.start < line.end]  # noqa: E731
    items: list[tuple[int, str, str | None]] = []
    for p in places:
        items += [(s.start, p.name, p.country) for s in inside(p.spans) if p.country != "TW"]
    for o in orgs:
        items += [(s.start, o.name, o.country) for s in inside(o.spans) if o.country not in (None, "TW")]
    covered = [(s, s + len(n)) for s, n, _ in items]
    for start, end, code in country_hits:
        if line.start <= start < line.end and code != "TW" and not any(a <= start < b for a, b in covered):
            # a country standing alone (貝里斯、聖露西亞), not the prefix of a listed city
            if not any(start <= a < end + 2 for a, _ in covered):
                items.append((start, line.text[start - line.start:end - line.start], code))
    if len(items) < 1:
        return None
    items.sort()
    return [n for _, n, _ in items], {c for _, _, c in items if c}


def _drop_passing_mentions(candidates: list[Event], person_names: set[str], published: dt.date | None) -> list[Event]:
    """An engagement on another date than the story's own counts only with a named person."""
    dates = [e.date for e in candidates if e.date]
    main = published.isoformat() if published else (max(dict.fromkeys(dates), key=dates.count) if dates else None)
    own = {main, None}  # undated background told beside the news is kept (SCHEMA: date null)
    if main and len(main) == 10 and not any(_current(d, published) for d in dates):
        # no engagement of the publication week: the story's news is the one it tells first
        # (今年6月進行聯合演練), or, undated, dated by its publication month
        own |= {main[:7], _lead(candidates).date} if candidates else {main[:7]}
    return [e for e in candidates
            if e.date in own or e.from_row or any(n in person_names for n in e.taiwan_side + e.counterparts)]


def _lead(events: list[Event]) -> Event:
    """The engagement told first: the news the story reports."""
    return min(events, key=lambda e: min(s.start for s in e.evidence))


def _in_a_name(sent: Sentence | None, d: EventDate) -> bool:
    """《2017至2020年合作備忘錄》, 「2025臺灣形象展」: a date inside a quoted name names it."""
    if sent is None:
        return False
    before = sent.text[:d.start - sent.start]
    return any(before.rfind(o) > before.rfind(c) for o, c in map(tuple, _words_list("name_quotes")))


class _SentenceIndex:
    """The sentence holding a position, by bisection (the sentences are in order, disjoint)."""

    def __init__(self, sentences: list[Sentence]):
        self.sentences = sentences
        self.starts = [s.start for s in sentences]

    def __call__(self, pos: int) -> Sentence | None:
        i = bisect_right(self.starts, pos) - 1
        return self.sentences[i] if i >= 0 and pos < self.sentences[i].end else None


@cache
def _words_list(key: str) -> list[str]:
    return list(load("events").get(key, []))


@cache
def _words_tuple(key: str) -> tuple[str, ...]:
    """For startswith/endswith, built once rather than at each test."""
    return tuple(_words_list(key))


def _dateline(sent: Sentence | None, d: EventDate) -> bool:
    """（中央社記者王大明台北26日電）: the day the story was filed, not an engagement's."""
    return sent is not None and sent.text.startswith(_words_tuple("dateline_marks"), d.end - sent.start)


def _since(sent: Sentence | None, d: EventDate) -> bool:
    """`自 105 年起`, `2019年以來`, `展開至10月11日`, `從2016年到現在`: the start or end of a period, not
    the date of an engagement."""
    if sent is None:
        return False
    before = sent.text[max(0, d.start - sent.start - 2):d.start - sent.start].rstrip()
    after = sent.text[d.end - sent.start:d.end - sent.start + 4].lstrip()
    return before.endswith(_words_tuple("period_openers")) \
        or after.startswith(_words_tuple("period_closers"))


def _voiced(event_type: str) -> bool:
    """Thanks and appeals (data/events.yaml `voiced_types`): they count only when nothing else happens."""
    return event_type in _voiced_types()


@cache
def _voiced_types() -> frozenset[str]:
    data = load("events")
    voiced = frozenset(data["voiced_types"])
    unknown = voiced - {t["type"] for t in data["triggers"]}
    if unknown:  # a misspelt type would silently switch the rule off
        raise KnowledgeError(f"knowledge file events.yaml: voiced_types names no trigger type: {sorted(unknown)}")
    return voiced


@cache
def _words(key: str) -> re.Pattern:
    """A pattern of the reference words listed under `key` in data/events.yaml."""
    return re.compile(alternation(load("events")[key], key))


def _compatible(date: str | None, other: str | None) -> bool:
    """Two dates that may be the same day (雙方於十餘年前簽署 is not the signing of today's lead)."""
    if not date or not other:
        return True
    n = min(len(date), len(other))
    return date[:n] == other[:n]


def _both_sides_act(text: str, trigger: Trigger) -> bool:
    """雙方共同簽署聯合公報: both sides, named before, sign or act together (not a speaker's
    remark about both sides)."""
    at = text.find(trigger.word)
    m = _words("both_sides_words").search(text, 0, at)
    return trigger.type in ("AGREE", "COOPERATE") and m is not None \
        and not any(verb in text[:m.start()] for verb in _speech()[1])


def _respective_dates(sent: Sentence, sent_dates: list[EventDate]) -> list[EventDate]:
    """The dates written after 分別 (分別在今(22)日與明(23)日舉行): one engagement each."""
    m = _words("respectively_words").search(sent.text)
    return [d for d in sent_dates if d.start >= sent.start + m.start()] if m else []


def _date_value(chosen: EventDate | None, trigger: Trigger, trip: bool) -> str | None:
    """A trip's range (9日至11日率團訪問) dates the trip by its first day; what happened during it,
    on a day the text does not give, only by its month."""
    if chosen is None:
        return None
    return (chosen.month or chosen.value) if chosen.until and trip and trigger.mode != "visit" else chosen.value


def _date_undated(events: list[Event], ranged: list[Event], published: dt.date | None,
                  person_names: set[str], sessions: dict[str, str]) -> None:
    """An undated sentence that names a party of the story's current engagement reports on it and
    takes its date (its month if that was a range); any other undated engagement is dated as
    precisely as the story allows: its publication month."""
    current = [e for e in events if e.date and _current(e.date, published)]
    dated = bool(events) and _lead(events).date is not None  # the story's news has its own date
    for ev in events:
        if ev.date:
            continue
        names = set(ev.taiwan_side) | set(ev.counterparts)
        host = next((c for c in current if names & (set(c.taiwan_side) | set(c.counterparts))), None) \
            or next((c for c in current if c.trigger == ev.trigger and c.mode != "visit"), None) \
            or next((c for c in current if c.type == ev.type == "AGREE"), None) \
            or next((c for c in current if _next_to(c, ev)), None) \
            or (current[0] if current else None)  # 會後，X與Y簽署: the session just told, else the story's own
        if host is not None and host.date:
            # a day inside a range the text does not give: its month; the same session named again: its first day
            by_month = (any(host is r for r in ranged) and not _named_again(host, ev)) \
                or (_trip_abroad(ev, person_names) and host.mode != "visit")
            ev.date = host.date[:7] if by_month and host.date[0] != "-" else host.date
        elif ev.trigger in sessions:
            ev.date = sessions[ev.trigger]
        elif published and not dated:
            ev.date = published.isoformat()[:7]  # the story's news, undated: its publication month
        else:
            ev.date = None  # background told after a dated lead: the text does not date it (SCHEMA)


def _named_again(host: Event, ev: Event) -> bool:
    """年會…年會由某某主持, 率團訪台…訪團成員包括: the same session or trip told again."""
    return host.trigger == ev.trigger or host.mode == ev.mode == "visit"


def _next_to(before: Event, ev: Event) -> bool:
    """`ev` is told in the sentence right after the one of `before` (or in the same one)."""
    start = min(s.start for s in ev.evidence)
    return any(0 <= start - s.end <= 2 or s.start == start for s in before.evidence)


def _current(date: str, published: dt.date | None) -> bool:
    """A day in the week up to publication (any day, when the story has no date)."""
    if published is None:
        return len(date) == 10 or date.startswith("--")
    if len(date) != 10:
        return False
    return 0 <= (published - dt.date.fromisoformat(date)).days <= 7


def _after(date: str | None, published: dt.date | None) -> bool:
    """A day after publication: the engagement has not happened when the story is written."""
    return bool(date and published and len(date) == 10 and date > published.isoformat())


def _interview(text: str, trigger: Trigger) -> bool:
    """接受中央社訪問表示: an interview given is not an engagement."""
    if trigger.word not in _words_list("interview_words"):
        return False
    at = text.find(trigger.word)
    start, _ = _clause_bounds(text, at)
    return bool(_words("interview_leads").search(text, start, at))


def _habitual(text: str, trigger: Trigger) -> bool:
    """歷年來雙方共同主辦, 每年均會輪流舉辦: what is done over the years is no one engagement."""
    at = text.find(trigger.word)
    start, _ = _clause_bounds(text, at)
    return bool(_words("habitual_markers").search(text, start, at))


def _described(text: str, trigger: Trigger) -> bool:
    """APEC峰會是我國能參加的國際組織: a gathering said to be something is described, not reported
    (峰會是在慶州舉行 still reports it)."""
    if trigger.mode not in ("summit", "conference", "other"):
        return False
    rest = text[text.find(trigger.word) + len(trigger.word):]
    return rest.startswith(_words_tuple("copula_words")) and not rest.startswith(_words_tuple("copula_reports"))


def _invitation(text: str, trigger: Trigger) -> bool:
    """邀請市長明年到台南, 邀請對方一同加入: an invitation to what is still to come, not an event."""
    if trigger.type != "REQUEST":
        return False
    at = text.find(trigger.word) + len(trigger.word)
    _, end = _clause_bounds(text, at)
    return bool(_words("invited_actions").search(text, at, end))


def _attributive(text: str, trigger: Trigger) -> bool:
    """隨同出訪的外交部長, 來台訪問的議員: the trip describes a person (…的); the clause reports
    something else. (A signing described, 今天簽署的備忘錄, still reports the signing.)"""
    at = text.find(trigger.word) + len(trigger.word)
    return trigger.mode == "visit" and text.startswith(_words_tuple("attributive_marks"), at)


def _since_then(text: str, word: str) -> bool:
    """自2011年締結姊妹市以來: the trigger opens a period (history), it is not reported as news."""
    at = text.find(word)
    start, end = _clause_bounds(text, at)
    return bool(_words("history_openers").search(text, start, at)) \
        and bool(_words("history_closers").search(text, at + len(word), end))


def _says_same_day(text: str) -> bool:
    """當天下午, 同日: the date of the sentence before."""
    return bool(_words("same_day_words").search(text))


def _date_for(sent: Sentence, trigger: Trigger, sent_dates: list[EventDate]) -> EventDate | None:
    """The date of the trigger's own clause, else the one written nearest before the trigger in
    its sentence, else the first after it unless its clause reports another kind of engagement
    (率多位立委訪問巴拉圭，當地時間21日拜會外長: the 21st is the meeting's, not the trip's)."""
    at = sent.text.find(trigger.word)
    start, end = _clause_bounds(sent.text, at)
    own = [d for d in sent_dates if sent.start + start <= d.start < sent.start + end]
    before = [d for d in (own or sent_dates) if d.start < sent.start + at and (own or not _told_as_past(sent, d))]
    if before:
        return before[-1]
    after = next((d for d in own or sent_dates if d.start >= sent.start + at), None)
    if after is None or own:
        return after
    if len(after.value) < 10 and not after.value.startswith("--"):
        return None  # 尽管2021年历经疫情: a year in another clause is background, not the day
    clause = sent.text[slice(*_clause_bounds(sent.text, after.start - sent.start))]
    others = [t for t in _trigger_automaton_words(clause) if _kind(t) != _kind(trigger)]
    return None if others else after


def _told_once(text: str, trigger: Trigger) -> bool:
    """她曾在就職前赴台拜會: the trigger's clause tells what happened once before."""
    at = text.find(trigger.word)
    start, _ = _clause_bounds(text, at)
    return bool(_words("once_markers").search(text, start, at))


def _told_as_past(sent: Sentence, d: EventDate) -> bool:
    """古蕾露曾於2025年率團訪高，這次…完成簽署: a date in a clause told as once-before."""
    start, end = _clause_bounds(sent.text, d.start - sent.start)
    return bool(_words("once_markers").search(sent.text, start, end))


def _trigger_automaton_words(text: str) -> list[Trigger]:
    return [t for _, t in _trigger_automaton().iter(text)]


def _kind(trigger: Trigger) -> tuple[str, str]:
    return trigger.type, _kind_of_consult(trigger)


@lru_cache(maxsize=4096)  # asked again for each trigger and party of a sentence
def _clause_bounds(text: str, at: int) -> tuple[int, int]:
    """The clause around position `at`: between commas, semicolons and full stops."""
    marks = "，,；;。"
    return after_last(text, marks, at), first_from(text, marks, at)


def _reported_thanks(text: str, trigger: Trigger) -> bool:
    """Thanks or appeals voiced in a speech (X指出，感謝…) are not engagements of their own."""
    if not _voiced(trigger.type):
        return False
    at = text.find(trigger.word)
    return any(verb in text[:at] for verb in _speech()[1])


@lru_cache(maxsize=4096)
def _triggers(text: str) -> tuple[Trigger, ...]:
    """The first trigger of each type in the sentence (the longest where two start together): a
    meeting at which an MOU is signed is a CONSULT and an AGREE; a trip and a meeting during it
    are two CONSULTs. Thanks and appeals count only when nothing else happens."""
    firsts: dict[tuple[str, str], tuple[int, int, Trigger]] = {}
    for end, trigger in _trigger_automaton().iter(text):
        start = end - len(trigger.word) + 1
        if _inside_another_word(text, start, trigger) or _gift_of_no_aid(text, start, trigger) \
                or (text[:start].endswith(_words_tuple("means_words")) and trigger.mode != "call"):
            continue  # 透過簽署協定等作為: a means named, not an engagement reported (透過視訊會議 is a call)
        if _witness_of_no_signing(text, trigger):
            if not text[:start].endswith(_words_tuple("joint_words")):
                continue
            trigger = Trigger(trigger.word, "COOPERATE", "other")  # 共同見證大樓啟用: a joint ceremony
        key = _kind(trigger)
        best = firsts.get(key)
        if best is None or (start, -len(trigger.word)) < (best[0], -best[1]):
            firsts[key] = (start, len(trigger.word), trigger)
    kinds = [k for k in firsts if not _voiced(k[0])] or sorted(firsts, key=lambda k: firsts[k][0])[:1]
    return tuple(firsts[k][2] for k in sorted(kinds, key=lambda k: (EVENT_PRIORITY[k[0]], firsts[k][0])))


def _gift_of_no_aid(text: str, start: int, trigger: Trigger) -> bool:
    """致贈紀念品 is a courtesy; 致贈50萬美元 is aid: the clause after the trigger names an amount or goods."""
    if trigger.word not in _words_list("amount_triggers"):
        return False
    _, end = _clause_bounds(text, start)
    return not _words("amount_words").search(text, start + len(trigger.word), end)


def _witness_of_no_signing(text: str, trigger: Trigger) -> bool:
    """見證兩國情誼, 在企業見證下揭牌: a witness in a sentence with no signing tells none, unless it is
    在處長的見證下 with no other act named (the witnesses of the signing just told)."""
    if trigger.word not in _words_list("witness_words") or _words("signing_words").search(text):
        return False
    under = text.startswith(_words_tuple("witness_under_marks"), text.find(trigger.word) + len(trigger.word))
    return not under or bool(_words("witnessed_acts").search(text))


def _inside_another_word(text: str, start: int, trigger: Trigger) -> bool:
    """近兩年來台灣…, 未來台灣…: 來 ends another word (年來, 未來), there is no 來台; nor 年會 in
    青年會議所 or 每年會舉辦."""
    before = text[start - 1] if start > 0 else ""
    return bool(before) and before in load("events")["word_heads"].get(trigger.word, "")


def _kind_of_consult(trigger: Trigger) -> str:
    """A trip and what happens during it are engagements of their own (率團訪問波蘭，出席論壇)."""
    return "visit" if trigger.type == "CONSULT" and trigger.mode == "visit" else ""


@cache
def _trigger_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for trigger in triggers():
        if trigger.word not in automaton:
            automaton.add_word(trigger.word, trigger)
    automaton.make_automaton()
    return automaton


def _planned(text: str, trigger: Trigger) -> bool:
    """The trigger's own clause speaks of the future (將於…舉行, 盼…訪問, 宣布秋季訪台)."""
    at = text.find(trigger.word)
    clause_start = after_last(text, "，,；;：:", at)
    if text[clause_start:clause_start + 1] in _words_list("continuation_heads") and clause_start > 1:
        # 將赴總統府，並共同見證簽署: a clause opened by 並 goes on with the tense of the one before
        clause_start = after_last(text, "，,；;：:", clause_start - 1)
    clause = text[clause_start:at]
    future, past = _marker_patterns()
    if _words("announcement_words").search(clause):
        # 宣布將捐贈: an announced gift or decision is the engagement itself; an announced visit is a plan
        return trigger.type == "CONSULT"
    whole = text[clause_start:first_from(text, "，,；;。", at)]  # 訪團將訪臺: a noun trigger's verb follows it
    if _words("future_auxiliaries").search(whole):
        return not _words("done_markers").search(whole)
    return bool(future and future.search(clause)) and not (past and past.search(clause))


class _ByStart:
    """Items with spans (persons, bodies, places) found by where a span starts: all in a range,
    in their own order, by bisection rather than a scan of every span for each sentence."""

    def __init__(self, items: list):
        pairs = sorted((sp.start, i) for i, item in enumerate(items) for sp in item.spans)
        self.items = items
        self.starts = [start for start, _ in pairs]
        self.index = [i for _, i in pairs]

    def within(self, start: int, end: int) -> list:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [self.items[i] for i in sorted(set(self.index[lo:hi]))] if hi - lo > 1 \
            else [self.items[i] for i in self.index[lo:hi]]


class _Named:
    """The persons, bodies, places and countries named in a document, by position."""

    def __init__(self, persons: list[Person], orgs: list[Organization], places: list[Place],
                 country_hits: list[tuple[int, int, str]]):
        self.persons, self.orgs, self.places = _ByStart(persons), _ByStart(orgs), _ByStart(places)
        self.country_hits = sorted(country_hits)
        self.country_starts = [start for start, _, _ in self.country_hits]

    def countries(self, start: int, end: int) -> set[str]:
        lo, hi = bisect_left(self.country_starts, start), bisect_left(self.country_starts, end)
        return {code for _, _, code in self.country_hits[lo:hi]}


def _candidate(sent: Sentence, trigger: Trigger, named: _Named, date: str | None) -> Event | None:
    trigger_at = sent.start + sent.text.find(trigger.word)
    people = [p for p in named.persons.within(sent.start, sent.end) if not _only_speaker(p, sent, trigger_at)
              and not _reporter(p, sent) and not _on_behalf_of(p, sent)]
    bodies = _clause_first(named.orgs.within(sent.start, sent.end), sent, trigger_at)
    taiwan = [p.name for p in people if p.country == "TW"]
    foreign = [p for p in people if p.country and p.country != "TW"]
    unknown = [p for p in people if not p.country]
    counterparts = [p.name for p in foreign] + [p.name for p in unknown]
    partner = {p.country for p in foreign}
    foreign_orgs = [o for o in bodies if o.country and o.country not in ("TW",)]
    if not counterparts:
        counterparts = [o.name for o in foreign_orgs]
    foreign_places = [p for p in named.places.within(sent.start, sent.end) if p.country and p.country != "TW"]
    if not counterparts and (trigger.mode == "summit" or len(foreign_places) > 1):
        # a summit's or forum's list of cities are its parties; a lone city is a venue
        counterparts = [p.name for p in foreign_places]
    partner |= {p.country for p in foreign_places}
    if not taiwan:
        taiwan = [o.name for o in bodies if o.country == "TW"][:2]
    if not (taiwan or counterparts):
        taiwan, counterparts = _paired_cities(sent, trigger_at, named.places.items)
    partner |= {o.country for o in foreign_orgs if o.country != "XX"}
    partner |= named.countries(sent.start, sent.end) - {"TW"}
    partner.discard(None)
    if not (taiwan or counterparts):
        return None
    return Event(type=trigger.type, mode=_mode(sent.text, trigger), date=date, taiwan_side=taiwan, counterparts=counterparts,
                 partner_countries=sorted(partner - {"CN"} if partner - {"CN"} else partner),
                 evidence=[Span(sent.start, sent.end)], trigger=trigger.word)


def _paired_cities(sent: Sentence, trigger_at: int, places: list[Place]) -> tuple[list[str], list[str]]:
    """高雄市與布里斯本市共同辦理週年活動: a home and a foreign place joined by 與 in the trigger's
    clause are its parties."""
    start, end = _clause_bounds(sent.text, trigger_at - sent.start)
    spans = sorted((sp.start, sp.end, p) for p in places for sp in p.spans
                   if sent.start + start <= sp.start < sent.start + end)
    for (_, a_end, a), (b_start, _, b) in zip(spans, spans[1:]):
        between = sent.text[a_end - sent.start:b_start - sent.start]  # 與, 與日本 (the city's country)
        if between[:1] in _words_list("pair_conjunctions") and len(between) <= 5 and between[1:].isalpha() \
                and {a.country, b.country} & {"TW"} and len({a.country, b.country}) == 2 and None not in (a.country, b.country):
            home, away = (a, b) if a.country == "TW" else (b, a)
            return [home.name], [away.name]
    return [], []


def _clause_first(bodies: list[Organization], sent: Sentence, trigger_at: int) -> list[Organization]:
    """…處長說明，2023年促成甲商會與乙商會締結: the bodies of the trigger's own clause, when it names any."""
    if len(bodies) < 2:
        return bodies  # one body is kept on its side either way
    start, end = _clause_bounds(sent.text, trigger_at - sent.start)
    own = [o for o in bodies if any(sent.start + start <= s.start < sent.start + end for s in o.spans)]
    taiwan = [o for o in own if o.country == "TW"] or [o for o in bodies if o.country == "TW"]
    foreign = [o for o in own if o.country != "TW"] or [o for o in bodies if o.country != "TW"]
    kept = {id(o) for o in taiwan + foreign}  # by identity: comparing the dataclasses field by field is slow
    return [o for o in bodies if id(o) in kept]  # each side from the clause, else the sentence


def _mode(text: str, trigger: Trigger) -> str:
    """透過視訊與市長會面, 以視訊方式召開: a meeting held by video or phone is a call."""
    if trigger.type != "CONSULT" or trigger.mode not in ("meeting", "dialogue"):
        return trigger.mode
    at = text.find(trigger.word)
    start, _ = _clause_bounds(text, at)
    return "call" if _words("remote_words").search(text, start, at) else trigger.mode


@cache
def _speech() -> tuple[re.Pattern, tuple[str, ...]]:
    """(pattern of a speech verb right after a name, the speech verbs) from data/events.yaml."""
    data = load("events")
    verbs = tuple(data.get("speech_verbs", []))
    lead = "|".join(map(re.escape, data.get("speech_leads", [])))
    return re.compile(f"^(?:{lead})?(?:{'|'.join(map(re.escape, verbs))})"), verbs


def _reporter(person: Person, sent: Sentence) -> bool:
    """總統府發言人林某表示: a spokesperson or reporter tells of the engagement, not in it."""
    spans = [s for s in person.spans if sent.start <= s.start < sent.end]
    return bool(spans) and all(sent.text[:s.start - sent.start].endswith(_reporter_titles()) for s in spans)


def _on_behalf_of(person: Person, sent: Sentence) -> bool:
    """我代表蔡總統率團訪問: the one on whose behalf the trip is made, named by title, is not on it
    (駐美代表蕭美琴 names the envoy by name, and is)."""
    spans = [s for s in person.spans if sent.start <= s.start < sent.end]
    return bool(spans) and all(sent.text[:s.start - sent.start].endswith(_words_tuple("behalf_words"))
                               and sent.text[s.start - sent.start:s.end - sent.start] != person.name for s in spans)


@cache
def _reporter_titles() -> tuple[str, ...]:
    return tuple(load("events").get("reporter_titles", []))


def _only_speaker(person: Person, sent: Sentence, trigger_at: int) -> bool:
    """卓院長指出，去年日本來臺觀光…: the speaker of a reported clause is not its participant."""
    for span in person.spans:
        if sent.start <= span.start < sent.end:
            m = _speech()[0].match(sent.text[span.end - sent.start:])
            if not m or span.end + m.end() > trigger_at:
                return False
    return True


def _merge(candidates: list[Event], person_names: set[str]) -> list[Event]:
    merged: list[Event] = []
    for ev in candidates:
        same = next((m for m in merged if _same_engagement(m, ev, person_names)), None)
        if same is None:
            merged.append(ev)
            continue
        for side, extra in ((same.taiwan_side, ev.taiwan_side), (same.counterparts, ev.counterparts)):
            has_person = any(n in person_names for n in side)
            side.extend(n for n in extra if n not in side and (n in person_names or not has_person))
        same.partner_countries = sorted(set(same.partner_countries) | set(ev.partner_countries))
        same.evidence.extend(ev.evidence)
        if _voiced(same.type) and not _voiced(ev.type):
            same.type, same.mode, same.trigger = ev.type, ev.mode, ev.trigger
    for ev in merged:
        if ev.type != "AGREE":  # a meeting's parties are its people; a signing's, also the bodies signing
            ev.taiwan_side[:] = _people_first(ev.taiwan_side, person_names)
            ev.counterparts[:] = _people_first(ev.counterparts, person_names)
    return merged


def _people_first(side: list[str], person_names: set[str]) -> list[str]:
    """The named people of a side, or its bodies when no one is named."""
    people = [n for n in side if n in person_names]
    return people or side


def _same_engagement(a: Event, b: Event, person_names: set[str]) -> bool:
    """Same date, and: a shared Taiwanese participant; or a shared counterpart when one side is
    unnamed; or a shared partner when either lacks named people on both sides (a report of the
    meeting's delegations); or a thanks / appeal voiced at it."""
    if a.date != b.date:
        return False
    if (a.type == "AGREE") != (b.type == "AGREE"):
        return False  # a signing at a meeting is an engagement of its own (AGREE beside CONSULT)
    if a.from_row and b.from_row:
        return False  # two rows of a schedule are two sessions
    if a.from_row or b.from_row:
        # a row and a sentence about the same session: the same parties
        row, other = (a, b) if a.from_row else (b, a)
        return a.date == b.date and (bool(set(row.counterparts) & set(other.counterparts))
                                     or bool(row.partner_countries) and set(row.partner_countries) <= set(other.partner_countries))
    if "SUPPORT" in (a.type, b.type) or "REQUEST" in (a.type, b.type):
        if set(a.counterparts) & set(b.counterparts):
            return True  # 總統參訪議會 … 感謝議會通過決議: thanks voiced at the engagement, also on a trip
    if (_trip_abroad(a, person_names) and b.mode != "visit") or (_trip_abroad(b, person_names) and a.mode != "visit"):
        return False  # a Taiwanese trip abroad and a meeting during it are two engagements (SCHEMA)
    foreign_people = lambda e: {n for n in e.counterparts if n in person_names}  # noqa: E731
    if a.trigger == b.trigger and a.mode in ("other", "conference", "summit") and set(a.counterparts) & set(b.counterparts):
        return True  # 今午宴款待總統 … 午宴也邀請署長: the same gathering with the same guest, named again
    if a.mode == b.mode == "visit" and b.trigger in _words_list("delegation_words"):
        return True  # 率團訪台 … 訪團成員另包括: the members of the visit just told
    if set(a.taiwan_side) & set(b.taiwan_side):
        # the same host meeting two named foreign guests separately is two meetings (a dialogue
        # or summit with several foreign speakers is still one)
        separate = "meeting" in (a.mode, b.mode) and {a.mode, b.mode} <= {"meeting", "visit"} \
            and foreign_people(a) and foreign_people(b) and not foreign_people(a) & foreign_people(b)
        # 出席論壇 … 拜會副議長某某: a courtesy call on a named guest is not the forum attended
        call = lambda m, o: m.mode == "meeting" and foreign_people(m) and o.mode in ("conference", "summit") \
            and not foreign_people(o)  # noqa: E731
        return not (separate or call(a, b) or call(b, a))
    shared_counterpart = bool(set(a.counterparts) & set(b.counterparts))
    if shared_counterpart and (not a.taiwan_side or not b.taiwan_side or _voiced(b.type)):
        return True
    both_named = lambda e: any(n in person_names for n in e.taiwan_side) and any(n in person_names for n in e.counterparts)  # noqa: E731
    if a.type == b.type == "AGREE" and not (_names_person(a, person_names) and _names_person(b, person_names)):
        return True  # 市議會與町議會簽署協定 … 由議長某某簽署: one signing told by its bodies and its signers
    if a.type == b.type == "AGREE" and (shared_counterpart or _words("ceremony_words").search(a.trigger + " " + b.trigger)):
        return True  # 在某某見證下簽署: the witnesses of the signing just told
    return bool(set(a.partner_countries) & set(b.partner_countries)) and not (both_named(a) and both_named(b))


def _trip_abroad(e: Event, person_names: set[str]) -> bool:
    """A Taiwanese delegation's trip abroad: a visit led by a named Taiwanese, not a guest's here."""
    return e.mode == "visit" and any(n in person_names for n in e.taiwan_side) \
        and e.trigger not in _words_list("inbound_visit_words")


def _names_person(e: Event, person_names: set[str]) -> bool:
    return any(n in person_names for n in e.taiwan_side + e.counterparts)

