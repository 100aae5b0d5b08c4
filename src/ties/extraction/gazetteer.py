"""One Aho-Corasick automaton over all curated names (organisations, places, countries, office
holders, titles), built once per process from the knowledge files.

Matching folds 臺→台 (same length, offsets survive); Simplified forms are added at build time
with OpenCC, so Simplified articles match without converting their text.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.metadata import version
from typing import NamedTuple, Sequence
from pathlib import Path

import ahocorasick
from babel import Locale
from opencc import OpenCC

from ..diskcache import cached
from ..knowledge import knowledge_sources, load

_T2S = OpenCC("t2s")  # 5 ms to load; s2t and s2tw take about 0.13 s each: loaded when first needed
LATIN = re.compile(r"[A-Za-z]")


@cache
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def fold(text: str) -> str:
    return text.replace("臺", "台")


@dataclass(frozen=True)
class Entry:
    kind: str  # org, place, country, person, title
    name: str  # canonical name (or ISO code for countries)
    country: str | None = None
    detail: str | None = None  # org kind, place kind, title kind, office


class Hit(NamedTuple):  # a tuple: tens of them per document, built and compared in C
    start: int
    end: int
    surface: str
    entry: Entry


@dataclass
class Gazetteer:
    automaton: ahocorasick.Automaton
    offices: list[dict] = field(default_factory=list)
    holders: ahocorasick.Automaton | None = None  # the office holders' names alone

    def hits(self, text: str, kinds: set[str] | None = None) -> list[Hit]:
        """Every match (overlaps included), with word boundaries enforced for Latin names."""
        return _hits(self.automaton, text, kinds)

    def holder_hits(self, text: str) -> list[Hit]:
        """As hits(text, {"person"}), from an automaton a fraction of the size."""
        return _hits(self.holders, text, None) if self.holders is not None else []


class Hits(list):
    """A document's hits, keeping the leftmost-longest choice of each kind once made: persons,
    organisations, places and countries each ask for the countries' (nobody changes the list)."""

    def __init__(self, hits=()):
        super().__init__(hits)
        self.chosen: dict[str | None, list[Hit]] = {}
        self.by_kinds: dict[tuple[str, ...], tuple[Hit, ...]] = {}


def of_kind(hits: list[Hit], *kinds: str) -> tuple[Hit, ...]:
    """The hits of these kinds, in order. A document's Hits keeps each selection: every stage asks
    for titles, persons or countries, a few dozen times per document."""
    if type(hits) is not Hits:
        return tuple([h for h in hits if h.entry.kind in kinds])
    found = hits.by_kinds.get(kinds)
    if found is None:
        found = hits.by_kinds[kinds] = tuple([h for h in hits if h.entry.kind in kinds])
    return found


def _hits(automaton: ahocorasick.Automaton, text: str, kinds: set[str] | None) -> list[Hit]:
    found = Hits()
    folded = fold(text)
    units = _units(folded)
    unit_chars = None if len(units) == 2 * len(folded) else _unit_chars(folded)
    for last, entries in automaton.iter(units):
        if not last & 1:
            continue  # a match across the bytes of two code units
        end = last >> 1 if unit_chars is None else unit_chars[last >> 1]
        for surface_len, entry in entries:
            if kinds and entry.kind not in kinds:
                continue
            start = end - surface_len + 1
            first, final = text[start], text[end]
            # a Latin name only as a whole word (the checks inline: this runs for every match)
            if first.isascii() and first.isalpha() and start > 0 and text[start - 1].isalnum() and text[start - 1].isascii():
                continue
            if final.isascii() and final.isalpha() and end + 1 < len(text) and text[end + 1].isalnum() and text[end + 1].isascii():
                continue
            found.append(Hit(start, end + 1, text[start : end + 1], entry))
    return found


def _units(text: str) -> tuple[int, ...]:
    """TEXT as the automaton reads it: its UTF-16 code units as pairs of bytes. pyahocorasick
    looks a letter up among a node's children one by one, and over characters the root has a
    child for every first character of a name (thousands); over bytes no node has more than
    256, and matching a document takes a third less time."""
    return tuple(text.encode("utf-16-be", "surrogatepass"))


def _unit_chars(text: str) -> list[int]:
    """The index of the character each UTF-16 code unit belongs to (outside the BMP, two units)."""
    return [i for i, ch in enumerate(text) for _ in range(2 if ch > "\uffff" else 1)]


def leftmost_longest(hits: Sequence[Hit], kind: str | None = None) -> list[Hit]:
    """Non-overlapping matches (of one kind), the leftmost and then the longest winning."""
    if type(hits) is not Hits:
        return _leftmost_longest_of(hits, kind)
    if kind not in hits.chosen:
        hits.chosen[kind] = _leftmost_longest_of(hits, kind)
    return list(hits.chosen[kind])  # a copy: callers extend theirs


def _leftmost_longest_of(hits: Sequence[Hit], kind: str | None) -> list[Hit]:
    chosen: list[Hit] = []
    end = -1
    for hit in sorted(hits if kind is None else of_kind(hits, kind), key=_leftmost_longest):
        if hit.start >= end:
            chosen.append(hit)
            end = hit.end
    return chosen


def _leftmost_longest(hit: Hit) -> tuple[int, int]:
    return hit.start, -hit.end


def is_simplified(text: str) -> bool:
    """More characters of TEXT exist only in Simplified than only in Traditional."""
    traditional_only = sum(map(operator.ne, text, _T2S.convert(text)))  # pairs compared in C
    simplified_only = sum(map(operator.ne, text, _s2t().convert(text)))
    return simplified_only > traditional_only


def has_simplified(text: str) -> bool:
    """Some character of TEXT exists only in Simplified (台, written in Traditional text too, aside)."""
    return _simplified_only_chars().search(text) is not None


@cache
def _simplified_only_chars() -> re.Pattern:
    """A class of the Han characters (U+3400-U+9FFF) that exist only in Simplified: those that
    Taiwan's forms change. Kept on disk: building it loads OpenCC's s2tw tables (0.13 s a process)."""
    sources = [Path(__file__), *knowledge_sources("names")]
    label = f"simplified-only-opencc{version('opencc')}"  # OpenCC's tables decide the characters
    return re.compile("[" + cached(label, sources, _build_simplified_only) + "]")


def _build_simplified_only() -> str:
    """Each character converted on a line of its own (no phrase joins two of them); s2tw keeps
    Taiwan's forms (布, 群, 峰 stay as they are)."""
    chars = [chr(i) for i in range(0x3400, 0xA000)]
    taiwan = OpenCC("s2tw").convert("\n".join(chars)).split("\n")
    both = load("names")["both_script_chars"]
    return "".join(ch for ch, tw in zip(chars, taiwan) if tw != ch and ch not in both)


def simplified(words) -> list[str]:
    """WORDS followed by their Simplified forms (name lists are written in Traditional)."""
    out = list(words)
    out.extend(v for v in (_T2S.convert(w) for w in words) if v not in out)
    return out


def to_simplified(text: str) -> str:
    """TEXT in Simplified script (a Simplified article keeps Simplified names). A name's form is
    kept for the next call; a document's text, converted once, is not (8,192 of them held 40 MB)."""
    return _simplified_name(text) if len(text) <= 64 else _T2S.convert(text)


@lru_cache(maxsize=8192)  # an OpenCC call costs tens of microseconds; titles and surnames recur
def _simplified_name(name: str) -> str:
    return _T2S.convert(name)


def _variants(surface: str) -> set[str]:
    surface = surface.strip()
    if not surface:
        return set()
    return {fold(surface), fold(_T2S.convert(surface))}


KNOWLEDGE_FILES = ("organizations", "places", "countries", "offices", "titles")


@cache
def gazetteer() -> Gazetteer:
    """Built once per process, and cached on disk (keyed by the knowledge files' content and this
    module, whose classes it holds) so a command starts in a fraction of the 1.5 s the build takes."""
    sources = [Path(__file__)] + [source for name in KNOWLEDGE_FILES for source in knowledge_sources(name)]
    return cached("gazetteer", sources, _build)


def _build() -> Gazetteer:
    table: dict[str, list[tuple[int, Entry]]] = {}

    def add(surface: str, entry: Entry) -> None:
        for v in _variants(surface):
            if len(v) < 2 and entry.kind != "title":
                continue
            bucket = table.setdefault(v, [])
            if all(e != entry for _, e in bucket):
                bucket.append((len(v), entry))

    for org in load("organizations").get("organizations", []) or []:
        entry = Entry("org", org["name"], org.get("country"), org.get("kind"))
        for surface in [org["name"], *(org.get("aliases") or []), *(org.get("en") or [])]:
            if isinstance(surface, str):
                add(surface, entry)
        for former in org.get("former") or []:  # a former name is what existed when the text was written
            if isinstance(former, str):
                add(former, Entry("org", former, org.get("country"), org.get("kind")))
    for place in load("places").get("places", []) or []:
        if place.get("ambiguous"):
            continue
        entry = Entry("place", place["name"], place.get("country"), place.get("kind"))
        for surface in [place["name"], *(place.get("aliases") or [])]:
            if isinstance(surface, str):
                add(surface, entry)
    for code, names in country_names().items():
        for surface in names:
            add(surface, Entry("country", code))
    offices = load("offices").get("offices", []) or []
    for office in offices:
        for holder in office.get("holders") or []:
            entry = Entry("person", holder["name"], office.get("country"), office.get("office"))
            for surface in [holder["name"], *(holder.get("aliases") or [])]:
                if isinstance(surface, str):
                    add(surface, entry)
    for title in load("titles").get("titles", []) or []:
        add(title["title"], Entry("title", title["title"], None, title.get("kind")))
    holders = {surface: [(n, e) for n, e in entries if e.kind == "person"] for surface, entries in table.items()}
    holders = {k: v for k, v in holders.items() if v}
    return Gazetteer(_automaton(table), offices, _automaton(holders) if holders else None)


def _automaton(table: dict[str, list[tuple[int, Entry]]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_SEQUENCE)
    for surface, entries in table.items():
        automaton.add_word(_units(surface), entries)
    automaton.make_automaton()
    return automaton


@cache
def country_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for locale in ("zh_Hant_TW", "zh_Hant_HK", "zh_Hans_CN"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EZ", "UN", "QO", "XA", "XB"):
                names.setdefault(code, set()).add(name)
    for code, extra in (load("countries").get("names") or {}).items():
        names.setdefault(code, set()).update(s for s in extra if isinstance(s, str))
    return names


@cache
def country_short_forms() -> dict[str, str]:
    return {fold(k): v for k, v in (load("countries").get("short_forms") or {}).items()}
