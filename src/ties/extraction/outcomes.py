"""Outcomes: the clause stating an agreement, commitment, plan or expectation (盼…, 同意…,
達成…共識, 將…), cut from its cue to the end of the clause, attached to the event it belongs to
(the event of its sentence, or of the person who voices it, or the story's main event)."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from typing import NamedTuple

from ..knowledge import alternation, load
from ..model import Event, Span
from .text import Gated, after_last


class Outcome(NamedTuple):
    clause: str
    span: Span
    lead: str  # its sentence up to the clause: who voiced it (唐鳳表示，…)
    paragraph: Span


_OUTCOME_START = "o"  # the group of a cue pattern where the outcome starts (else at the match)


@cache
def _cues() -> tuple[Gated, ...]:
    """Literal cues as one pattern, then each regex cue (data/outcomes.yaml)."""
    data = load("outcomes")
    patterns = [alternation(data["cues"], "outcome cues"), *data["cue_patterns"]]
    return tuple(Gated(re.compile(p)) for p in patterns)


@cache
def _whole_clauses() -> tuple[Gated, ...]:
    """Patterns that match a whole outcome, ending with its key phrase (…奠定基礎)."""
    return tuple(Gated(re.compile(p)) for p in load("outcomes")["clause_patterns"])


@cache
def _cut_rules() -> tuple[str, int, tuple[str, ...], tuple[str, ...]]:
    data = load("outcomes")
    return (data["clause_end"], int(data["comma_cut_after"]), tuple(data["next_commitment"]),
            tuple(data["hoped_result"]))


def _cue_starts(text: str) -> list[tuple[int, int | None]]:
    """(where an outcome starts, where it ends when the pattern says so), in text order."""
    starts = set()
    for pattern in _cues():
        for m in pattern.finditer(text):
            starts.add((_start(m), None))
    for pattern in _whole_clauses():
        starts.update((_start(m), m.end()) for m in pattern.finditer(text))
    return sorted(starts, key=lambda s: (s[0], s[1] is None))


def _start(m: re.Match) -> int:
    return m.start(_OUTCOME_START) if _OUTCOME_START in m.re.groupindex else m.start()


def find_outcomes(text: str) -> list[Outcome]:
    """Outcome clauses in order. When the document has a results section (會議成果, 成果重點,
    結論), outcomes are taken from that section: what precedes it is speeches and background."""
    found: list[Outcome] = []
    last_end = _results_section_start(text) - 1
    for begin, end in _cue_starts(text):
        if begin < last_end or (end is None and _no_outcome_here(text, begin)):
            continue
        end = end or _clause_end(text, begin)
        clause = text[begin:end].rstrip("，, 」")
        if len(clause) >= MIN_CHARS:
            found.append(Outcome(clause, Span(begin, begin + len(clause)), _sentence_lead(text, begin),
                                 _paragraph(text, begin)))
            last_end = end
    return found


def _no_outcome_here(text: str, begin: int) -> bool:
    """What starts at this cue is no outcome: the cue closes the clause before it, or the clause
    brings in a speaker (簽署…備忘錄，部長表示，…: speech follows, not the signing's purpose)."""
    return _cue_ends_its_clause(text, begin) or _speaker_next(text, begin)


def _cue_ends_its_clause(text: str, begin: int) -> bool:
    """A cue with a comma within a few characters closes the clause before it (…重申對友邦的承諾，;
    兩國友誼將持續深化，): its object or subject stands before it, and what follows is another
    clause, not the outcome it states. A hope verb alone before the comma opens the next one."""
    stop = _stops().search(text, begin, begin + MIN_CHARS)
    return stop is not None and stop.group() in "，," and text[begin:stop.start()] not in _introducing_cues()


@cache
def _introducing_cues() -> frozenset[str]:
    """Hope verbs that open the clause after their comma (部長期待，未來…)."""
    return frozenset(load("outcomes")["introducing_cues"])


def _sentence_lead(text: str, begin: int) -> str:
    return text[after_last(text, "。！？!?\n", begin):begin]


def _paragraph(text: str, at: int) -> Span:
    end = text.find("\n", at)
    return Span(text.rfind("\n", 0, at) + 1, len(text) if end < 0 else end)


MIN_CHARS = 6  # a cue and a few words: shorter is a fragment (盼望, 同意書)


def _clause_end(text: str, begin: int) -> int:
    """The end of the clause: a full stop, or a comma where the outcome ends (_ends_at_comma)."""
    ends = _cut_rules()[0]
    for m in _stops().finditer(text, begin):
        if m.group() in ends or _ends_at_comma(text, begin, m.start()):
            return m.start()
    return len(text)


@cache
def _stops() -> re.Pattern:
    """The marks where a clause may end: its end marks and the commas."""
    return re.compile(f"[{re.escape(_cut_rules()[0])}，,]")


def _ends_at_comma(text: str, begin: int, comma: int) -> bool:
    """Once the outcome is long (unless the next clause states the result hoped for: 盼藉由…，
    讓…), or when the next clause starts another commitment (…，並研議…) or brings in a speaker."""
    _, cut_after, next_commitment, hoped_result = _cut_rules()
    nxt = comma + 1
    if comma - begin >= cut_after and not text.startswith(hoped_result, nxt):
        return True
    return text.startswith(next_commitment, nxt) or _speaker_next(text, nxt)


def _speaker_next(text: str, start: int) -> bool:
    """The next clause brings in a speaker (…，市長黃偉哲表示，): the outcome has ended."""
    return bool(_speech().match(text, start))


@cache
def _speech() -> re.Pattern:
    verbs = load("events")["speech_verbs"]
    return re.compile(f"[^，,。；]{{1,{SPEAKER_WITHIN}}}?(?:{'|'.join(map(re.escape, verbs))})")


SPEAKER_WITHIN = 10  # characters of name and title before the speech verb


def _results_section_start(text: str) -> int:
    heading = _results_heading()
    offset = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and len(line) <= 40 and heading.search(line):
            return offset
        offset += len(line) + 1
    return 0


@cache
def _results_heading() -> re.Pattern:
    return re.compile(alternation(load("outcomes")["results_headings"], "results headings"))


def attach_outcomes(events: list[Event], outcomes: list[Outcome]) -> None:
    """Each outcome about the partnership (it names cooperation, exchange, both sides …) goes to
    its event (see _owner); at most MAX_PER_EVENT each."""
    if not events:
        return
    bilateral = _bilateral()
    for clause, span, lead, paragraph in outcomes:
        if not bilateral.search(clause):
            continue
        best = _owner(events, span, lead, paragraph)
        if len(best.outcomes) < MAX_PER_EVENT and not any(_restates(clause, c) for c, _ in best.outcomes):
            best.outcomes.append((clause, span))


def _owner(events: list[Event], span: Span, lead: str, paragraph: Span) -> Event:
    """The event reported in the outcome's own sentence; else the one reported last before it in
    its paragraph (one paragraph, one meeting); else the first event of the person who voices
    it (…表示，期盼…); else the story's main (first) event."""
    own = next((ev for ev in events if any(e.start <= span.start < e.end for e in ev.evidence)), None)
    if own:
        return own
    before = [(e.end, ev) for ev in events for e in ev.evidence if paragraph.start <= e.start and e.end <= span.start]
    if before:
        return max(before, key=lambda pair: pair[0])[1]  # the first event wins a tie
    voiced = (ev for ev in events if any(name in lead for name in ev.taiwan_side + ev.counterparts))
    return next(voiced, events[0])


def _restates(a: str, b: str) -> bool:
    """The same hope said twice in one story (lead and body) is one outcome."""
    if a == b:
        return True
    # ratio() counts matched characters, never more than the two share: a cheap exact bound first
    common = set(a).intersection(b)
    shared = sum(map(min, map(a.count, common), map(b.count, common)))  # as Counter(a) & Counter(b), faster
    if 2.0 * shared / (len(a) + len(b)) < 0.5:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


MAX_PER_EVENT = 5  # dev gold events carry at most 3 (samples 4); 5 measured better than 4 or 6 on dev, seeds and samples


@cache
def _bilateral() -> re.Pattern:
    data = load("outcomes")
    return re.compile("|".join([alternation(data["partnership_words"], "partnership words"),
                                *data["partnership_patterns"]]))
