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


def after_last(text: str, marks: str, at: int) -> int:
    """Just after the last of MARKS before AT (0 when none), as max(text.rfind(c, 0, at)) + 1
    for each mark c: each mark is looked for backwards from AT and only after the last one found
    so far (a search from the text's start cost the whole text before AT)."""
    end = _slice_index(text, at)
    last = -1
    for mark in marks:
        found = text.rfind(mark, last + 1, end)
        if found >= 0:
            last = found
    return last + 1


def first_from(text: str, marks: str, at: int) -> int:
    """The first of MARKS at or after AT (the text's end when none): each mark is looked for only
    before the first one found so far."""
    start = _slice_index(text, at)
    first = len(text)
    for mark in marks:
        found = text.find(mark, start, first)
        if found >= 0:
            first = found
    return first


def _slice_index(text: str, at: int) -> int:
    """AT as str.find and str.rfind read it: a negative one counts from the end."""
    return max(len(text) + at, 0) if at < 0 else at


class Gated:
    """A pattern that first checks the text holds the characters its matches need (基礎 for
    …奠定…基礎; 簽 or 签 for 簽署|签署…): a regex scan costs the whole text, `in` is far cheaper,
    and many texts lack the key phrase of a rare pattern. Same matches as the pattern itself."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.needs = needed_choices(pattern)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else endpos
        for choice in self.needs:  # loops, not generators: a pattern is gated for every document
            for char in choice:
                if text.find(char, pos, end) >= 0:
                    break
            else:
                return iter(())
        return self.pattern.finditer(text, pos, end)


MAX_CHOICE = 4  # a wider choice of characters is nearly always met: not worth testing


def needed_chars(pattern: re.Pattern) -> frozenset[str]:
    """Characters every match of PATTERN contains."""
    return frozenset(c for choice in needed_choices(pattern) if len(choice) == 1 for c in choice)


def needed_choices(pattern: re.Pattern) -> list[frozenset[str]]:
    """Sets of characters every match of PATTERN holds one of: its literals outside optional
    parts; for a choice of alternatives, the characters all of them need, and (when few) one of
    each alternative's first needed characters. None when case is ignored."""
    if pattern.flags & re.IGNORECASE:
        return []
    try:
        parsed = _re_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a private parser: without it, no gate
        return []
    return [frozenset(map(chr, choice)) for choice in _needed(parsed.data)]


def _needed(items) -> list[frozenset[int]]:
    out: list[frozenset[int]] = []
    for op, av in items:
        if op is _C.LITERAL:
            out.append(frozenset([av]))
        elif op is _C.SUBPATTERN and not av[1] & re.IGNORECASE:
            out += _needed(av[3].data)
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) and av[0] >= 1:
            out += _needed(av[2].data)
        elif op is _C.BRANCH:
            out += _branch_needs([_needed(alt.data) for alt in av[1]])
    return out


def _branch_needs(alternatives: list[list[frozenset[int]]]) -> list[frozenset[int]]:
    if not all(alternatives):
        return []  # an alternative that needs nothing
    singles = [{c for choice in alt if len(choice) == 1 for c in choice} for alt in alternatives]
    out = [frozenset([c]) for c in sorted(set.intersection(*singles))]
    choice = frozenset().union(*(alt[0] for alt in alternatives))
    return out + [choice] if len(choice) <= MAX_CHOICE else out
