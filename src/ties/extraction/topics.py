"""Topics: the 19 topic ids, from cue words in data/topics.yaml. An article discusses a topic
when it names the topic as a field of the engagement (in a list of fields: 在醫療、教育及觀光等
領域), or its cues occur twice with a strong one among them, or three times. All cues are
matched in one Aho-Corasick pass; a cue inside a longer cue of the same topic (人才 in 人才培育)
or a Latin cue inside a longer Latin word (AI in AIT) does not count."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from typing import NamedTuple

import ahocorasick

from ..knowledge import load
from .gazetteer import fold
from .text import Gated


class _Hit(NamedTuple):
    topic: str
    start: int
    end: int
    strong: bool


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    table: dict[str, list[tuple[str, bool]]] = {}
    for tid, spec in load("topics")["topics"].items():
        strong = {fold(c) for c in spec.get("strong", [])}
        for cue in {fold(c) for c in spec["cues"]} | strong:
            if cue:
                table.setdefault(cue, []).append((tid, cue in strong))
    for cue, entries in table.items():
        # whether the cue starts or ends with a Latin letter: only then can it sit inside a Latin word
        automaton.add_word(cue, (len(cue), entries, _latin_letter(cue[0]) or _latin_letter(cue[-1])))
    automaton.make_automaton()
    return automaton


@cache
def _field_list() -> Gated:
    return Gated(re.compile("|".join(f"(?:{p})" for p in load("topics")["field_lists"])))


def _hits(text: str) -> list[_Hit]:
    hits = []
    for last, (length, entries, latin) in _automaton().iter(text):
        start, end = last - length + 1, last + 1
        if latin and _inside_latin_word(text, start, end):
            continue
        for tid, strong in entries:  # (a loop, not a generator: most cues have one entry)
            hits.append(_Hit(tid, start, end, strong))
    by_topic = defaultdict(list)  # a hit is dropped only inside a longer hit of its own topic
    for h in hits:
        by_topic[h.topic].append((h.end - h.start, h.start, h.end))
    for spans in by_topic.values():
        spans.sort(reverse=True)  # longest first: the scan stops at the hit's own length
    # the longest span of the topic first, inline: most hits are their topic's longest
    return [h for h in hits if (spans := by_topic[h.topic])[0][0] <= h.end - h.start or not _inside_longer(h, spans)]


def _inside_longer(h: _Hit, spans: list[tuple[int, int, int]]) -> bool:
    """H lies inside another span of SPANS (length, start, end; longest first): one that holds it
    and differs from it is longer."""
    for length, start, end in spans:
        if length <= h.end - h.start:
            return False
        if start <= h.start and h.end <= end:
            return True
    return False


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    def latin(i: int) -> bool:
        return 0 <= i < len(text) and _latin_letter(text[i])
    return latin(start) and latin(start - 1) or latin(end - 1) and latin(end)


def _latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def find_topics(text: str) -> list[str]:
    text = fold(text)
    hits = _hits(text)
    count = Counter(h.topic for h in hits)
    strong = {h.topic for h in hits if h.strong}
    by_count = {tid for tid, n in count.items() if n >= 3 or (tid in strong and n >= 2)}
    listed = _listed(text, [h for h in hits if h.topic not in by_count])
    kept = [tid for tid in count if tid in listed or tid in by_count]
    return sorted(kept, key=lambda tid: (-count[tid], tid))


def _listed(text: str, hits: list[_Hit]) -> set[str]:
    """The topics of HITS named inside a list of fields. A list lies within one line, so lists
    are looked for only in the lines holding such a hit (and only when a topic needs one)."""
    lines: dict[tuple[int, int], list[_Hit]] = defaultdict(list)
    for h in hits:
        end = text.find("\n", h.start)
        lines[text.rfind("\n", 0, h.start) + 1, len(text) if end < 0 else end].append(h)
    listed = set()
    for (start, end), held in lines.items():
        lists = [m.span() for m in _field_list().finditer(text, start, end)]
        listed |= {h.topic for h in held if any(s <= h.start and h.end <= e for s, e in lists)}
    return listed
