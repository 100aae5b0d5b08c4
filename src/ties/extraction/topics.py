"""Topics: the 19 topic ids, from cue words in data/topics.yaml. An article "substantially
discusses" a topic when its cues occur twice with a strong one among them, or three times.
(One passing mention is not a topic: measured on the seeds and our samples, this rule beats
"one strong cue or two cues" on both.) All cues are matched in one Aho-Corasick pass."""
from __future__ import annotations

from collections import Counter
from functools import cache

import ahocorasick

from ..knowledge import load
from .gazetteer import fold


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    table: dict[str, list[tuple[str, bool]]] = {}
    for tid, spec in (load("topics").get("topics", {}) or {}).items():
        strong = {fold(c) for c in spec.get("strong", [])}
        for cue in {fold(c) for c in spec.get("cues", [])} | strong:
            if cue:
                table.setdefault(cue, []).append((tid, cue in strong))
    for cue, entries in table.items():
        automaton.add_word(cue, entries)
    automaton.make_automaton()
    return automaton


def find_topics(text: str) -> list[str]:
    hits: Counter = Counter()
    strong: set[str] = set()
    for _, entries in _automaton().iter(fold(text)):
        for tid, is_strong in entries:
            hits[tid] += 1
            if is_strong:
                strong.add(tid)
    kept = [tid for tid, n in hits.items() if n >= 3 or (tid in strong and n >= 2)]
    return sorted(kept, key=lambda tid: (-hits[tid], tid))
