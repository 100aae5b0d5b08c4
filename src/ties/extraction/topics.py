"""Topics: the 19 topic ids, from cue words in data/topics.yaml. A topic is kept when one of its
strong cues appears, or two of its cues do."""
from __future__ import annotations

from functools import cache

from ..knowledge import load
from .gazetteer import fold


@cache
def _cues() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    data = load("topics").get("topics", {}) or {}
    return {tid: (tuple(fold(c) for c in spec.get("cues", [])), tuple(fold(c) for c in spec.get("strong", [])))
            for tid, spec in data.items()}


def find_topics(text: str) -> list[str]:
    folded = fold(text)
    scored = []
    for tid, (cues, strong) in _cues().items():
        hits = sum(folded.count(c) for c in cues if c)
        if any(s in folded for s in strong) or hits >= 2:
            scored.append((-hits, tid))
    return [tid for _, tid in sorted(scored)]
