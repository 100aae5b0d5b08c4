"""Names: one folding for comparison and one key for resolution, across scripts and spacing."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_S2T = OpenCC("s2t")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
NAME_DOTS = "·‧．・•."


def fold(text: str) -> str:
    """Compare form: NFKC, no white space, lower case, 臺 as 台."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).lower().replace("臺", "台")


@lru_cache(maxsize=65536)
def to_traditional(text: str) -> str:
    return _S2T.convert(text)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The resolution key: Traditional script, folded, middle dots of transliterations removed, so
    唐凤 and 唐鳳, 湯姆·普萊斯 and 湯姆普萊斯 share a key."""
    folded = fold(to_traditional(name))
    return "".join(ch for ch in folded if ch not in NAME_DOTS) if CJK.search(folded) else folded


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text or ""))


def is_latin(text: str) -> bool:
    """Written in Latin letters only (spaces, dots, hyphens and apostrophes allowed)."""
    return bool(text) and bool(LATIN.search(text)) and not has_cjk(text)
