"""Entity keys: one spelling for the many ways outlets write a name (script, spacing, a Latin
form in brackets, a title or a speech verb glued on)."""
from __future__ import annotations

import re
from functools import cache, lru_cache

from opencc import OpenCC

from ..knowledge import load

_T2S = OpenCC("t2s")
_BRACKETS = re.compile(r"[（(]([^）)]*)[）)]")


def name_key(name: str) -> str:
    """Names compare without spaces, case or the 臺/台 variant."""
    return "".join(name.split()).lower().replace("臺", "台")


@lru_cache(maxsize=4096)  # a name or a story's headline and lead is folded again for every report of it
def fold(text: str) -> str:
    """Simplified script, lower case, no spaces: how two outlets' spellings are compared."""
    return _T2S.convert("".join(text.split()).lower().replace("臺", "台"))


@lru_cache(maxsize=200_000)
def participant_keys(name: str) -> frozenset[str]:
    """Every key a name may be known by: the folded name without a glued title or speech verb,
    and the Latin form given in brackets on its own."""
    keys = set()
    latin = [m.group(1) for m in _BRACKETS.finditer(name)]
    bare = _BRACKETS.sub("", name)
    for form in [bare, *latin]:
        key = _strip_affixes(_undot(fold(form)))
        if len(key) >= 2:
            keys.add(key)
    return frozenset(keys)


def _undot(key: str) -> str:
    for dot in _lists()[1]:
        key = key.replace(dot, "")
    return key


def _strip_affixes(key: str) -> str:
    tails, _, titles = _lists()
    for size in tails[0]:
        if len(key) - size >= 2 and key[-size:] in tails[1]:
            key = key[:-size]
            break
    for size in titles[0]:
        if len(key) - size >= 2 and key[-size:] in titles[1]:
            return key[:-size]
        if len(key) - size >= 2 and key[:size] in titles[1]:
            return key[size:]
    return key


@cache
def _lists() -> tuple[tuple, list[str], tuple]:
    """(lengths longest first, set) of speech-verb tails and of titles, and the joining dots."""
    data = load("resolve")
    tails = {fold(t) for t in data["name_tails"]}
    titles = {fold(t["title"]) for t in load("titles")["titles"] if len(t["title"]) >= 2}
    return _by_length(tails), data["name_dots"], _by_length(titles)


def _by_length(words: set[str]) -> tuple[list[int], set[str]]:
    return sorted({len(w) for w in words}, reverse=True), words
