"""Entity keys: one spelling for the many ways outlets write a name (script, spacing, a Latin
form in brackets, a title or a speech verb glued on)."""
from __future__ import annotations

import re
from functools import cache

from opencc import OpenCC

from ..knowledge import load

_T2S = OpenCC("t2s")
_BRACKETS = re.compile(r"[（(]([^）)]*)[）)]")


def name_key(name: str) -> str:
    """Names compare without spaces, case or the 臺/台 variant."""
    return "".join(name.split()).lower().replace("臺", "台")


def fold(text: str) -> str:
    """Simplified script, lower case, no spaces: how two outlets' spellings are compared."""
    return _T2S.convert("".join(text.split()).lower().replace("臺", "台"))


def participant_keys(name: str) -> set[str]:
    """Every key a name may be known by: the folded name without a glued title or speech verb,
    and the Latin form given in brackets on its own."""
    keys = set()
    latin = [m.group(1) for m in _BRACKETS.finditer(name)]
    bare = _BRACKETS.sub("", name)
    for form in [bare, *latin]:
        key = _strip_affixes(_undot(fold(form)))
        if len(key) >= 2:
            keys.add(key)
    return keys


def _undot(key: str) -> str:
    for dot in _lists()[1]:
        key = key.replace(dot, "")
    return key


def _strip_affixes(key: str) -> str:
    tails, _, titles = _lists()
    for tail in tails:
        if key.endswith(tail) and len(key) - len(tail) >= 2:
            key = key[:-len(tail)]
            break
    for title in titles:
        if key.endswith(title) and len(key) - len(title) >= 2:
            return key[:-len(title)]
        if key.startswith(title) and len(key) - len(title) >= 2:
            return key[len(title):]
    return key


@cache
def _lists() -> tuple[list[str], list[str], list[str]]:
    data = load("resolve")
    tails = sorted({fold(t) for t in data["name_tails"]}, key=len, reverse=True)
    titles = sorted({fold(t["title"]) for t in load("titles")["titles"] if len(t["title"]) >= 2},
                    key=len, reverse=True)
    return tails, data["name_dots"], titles
