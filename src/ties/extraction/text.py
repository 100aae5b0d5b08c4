"""Sentences and clauses of the clean text, with their offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as _C, _parser as _re_parser  # to read a pattern's literals

SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[」』”’）)]*)?")
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    out = []
    offset = 0
    for p_index, paragraph in enumerate(text.split("\n")):
        for m in SENTENCE.finditer(paragraph):
            if m.group().strip():
                out.append(Sentence(offset + m.start(), offset + m.end(), m.group(), p_index))
        offset += len(paragraph) + 1
    return out


class Gated:
    """A pattern that first checks the text holds every character each of its matches holds
    (基礎 for …奠定…基礎): a regex scan costs the whole text, `in` is far cheaper, and many
    texts lack the key phrase of a rare pattern. Same matches as the pattern itself."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.needs = needed_chars(pattern)

    def finditer(self, text: str):
        if all(c in text for c in self.needs):
            return self.pattern.finditer(text)
        return iter(())


def needed_chars(pattern: re.Pattern) -> frozenset[str]:
    """Characters every match of PATTERN contains: its literals outside optional parts, and
    those shared by all alternatives of a choice (none when case is ignored)."""
    if pattern.flags & re.IGNORECASE:
        return frozenset()
    try:
        parsed = _re_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a private parser: without it, no gate
        return frozenset()
    return frozenset(map(chr, _needed(parsed.data)))


def _needed(items) -> set[int]:
    out: set[int] = set()
    for op, av in items:
        if op is _C.LITERAL:
            out.add(av)
        elif op is _C.SUBPATTERN and not av[1] & re.IGNORECASE:
            out |= _needed(av[3].data)
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) and av[0] >= 1:
            out |= _needed(av[2].data)
        elif op is _C.BRANCH:
            out |= set.intersection(*(_needed(alt.data) for alt in av[1]))
    return out
