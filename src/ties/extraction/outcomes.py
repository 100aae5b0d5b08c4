"""Outcomes: the clause stating an agreement, commitment, plan or expectation (盼…, 同意…,
達成共識…, 將…), cut from its cue to the end of the clause, attached to the nearest event."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache

from ..knowledge import load
from ..model import Event, Span


@cache
def _rules() -> tuple[re.Pattern, str, int]:
    data = load("outcomes")
    cues = sorted(set(data.get("cues", [])), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, cues))), data.get("clause_end", "。；;"), int(data.get("comma_cut_after", 28))


def find_outcomes(text: str) -> list[tuple[str, Span]]:
    """Outcome clauses in order. When the document has a results section (會議成果, 成果重點,
    結論), outcomes are taken from that section: what precedes it is speeches and background."""
    cue_re, ends, cut_after = _rules()
    found: list[tuple[str, Span]] = []
    last_end = _results_section_start(text) - 1
    for m in cue_re.finditer(text):
        if m.start() < last_end:
            continue
        end = m.start()
        while end < len(text) and text[end] not in ends:
            if text[end] in "，," and (end - m.start() >= cut_after or text.startswith(("並", "也", "以及"), end + 1)):
                break  # a long clause, or the next one starts another commitment (…，並研議…)
            end += 1
        clause = text[m.start():end].rstrip("，, 」")
        if len(clause) - len(m.group()) >= 4:
            found.append((clause, Span(m.start(), m.start() + len(clause))))
            last_end = end
    return found


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
    return re.compile("|".join(map(re.escape, load("outcomes").get("results_headings", []))) or "$^")


def attach_outcomes(events: list[Event], outcomes: list[tuple[str, Span]]) -> None:
    """Each outcome about the partnership (it names cooperation, exchange, both sides …) goes to
    the event whose evidence precedes it most closely, or the first; at most MAX_PER_EVENT each."""
    if not events:
        return
    bilateral = _bilateral()
    for clause, span in outcomes:
        if not bilateral.search(clause):
            continue
        # The sentence's own event, else the story's main (first) event.
        best = next((ev for ev in events if any(e.start <= span.start < e.end for e in ev.evidence)), events[0])
        if len(best.outcomes) < MAX_PER_EVENT and not any(_restates(clause, c) for c, _ in best.outcomes):
            best.outcomes.append((clause, span))


def _restates(a: str, b: str) -> bool:
    """The same hope said twice in one story (lead and body) is one outcome."""
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


MAX_PER_EVENT = 8


@cache
def _bilateral() -> re.Pattern:
    words = load("outcomes").get("partnership_words", [])
    return re.compile("|".join(map(re.escape, words)))
