"""Outcomes: the clause stating an agreement, commitment, plan or expectation (盼…, 同意…,
達成共識…, 將…), cut from its cue to the end of the clause, attached to the nearest event."""
from __future__ import annotations

import re
from functools import cache

from ..knowledge import load
from ..model import Event, Span


@cache
def _rules() -> tuple[re.Pattern, str, int]:
    data = load("outcomes")
    cues = sorted(set(data.get("cues", [])), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, cues))), data.get("clause_end", "。；;"), int(data.get("comma_cut_after", 28))


def find_outcomes(text: str) -> list[tuple[str, Span]]:
    cue_re, ends, cut_after = _rules()
    found: list[tuple[str, Span]] = []
    last_end = -1
    for m in cue_re.finditer(text):
        if m.start() < last_end:
            continue
        end = m.start()
        while end < len(text) and text[end] not in ends:
            if text[end] in "，," and end - m.start() >= cut_after:
                break
            end += 1
        clause = text[m.start():end].rstrip("，, 」")
        if len(clause) - len(m.group()) >= 4:
            found.append((clause, Span(m.start(), m.start() + len(clause))))
            last_end = end
    return found


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
        if len(best.outcomes) < MAX_PER_EVENT and all(c != clause for c, _ in best.outcomes):
            best.outcomes.append((clause, span))


MAX_PER_EVENT = 8


@cache
def _bilateral() -> re.Pattern:
    words = load("outcomes").get("partnership_words", [])
    return re.compile("|".join(map(re.escape, words)))
