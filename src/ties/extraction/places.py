"""Places and countries. Countries come from CLDR (Babel) plus data/countries.yaml; compounds such
as 臺日, 台美, 臺歐盟 and 訪日 give partner countries; `<country><place>市/省/州/縣` gives places
the gazetteer lacks, written without the country prefix (捷克維索基納省 → 維索基納省)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from functools import cache
from itertools import accumulate

from ..knowledge import alternation, load
from ..model import Place, Span
from .persons import rules as name_rules
from .gazetteer import Hit, country_short_forms, fold, leftmost_longest, of_kind



@cache
def _place_suffix() -> re.Pattern:
    """A place's name the gazetteer lacks, after a country: up to a place word, not one of a government."""
    places = load("places")
    return re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\-‧·]{{0,10}}?(?:{})(?![\u3400-\u9fff]{{0,1}}(?:{}))".format(
        alternation(places["place_suffixes"], "place_suffixes"),
        alternation(places["place_suffix_not_before"], "place_suffix_not_before")))


@cache
def _words(key: str) -> tuple[str, ...]:
    """A word list (or the characters of a string) of data/places.yaml."""
    return tuple(load("places")[key])


@cache
def _compound() -> re.Pattern:
    """臺日, 台美 and 訪日: a short form of a country after Taiwan's or a verb of going (folded text)."""
    countries = load("countries")
    return re.compile(r"(?:{})(?P<rest>[\u3400-\u9fff]{{1,3}})|(?:{})(?P<visit>[\u3400-\u9fff]{{1,2}})".format(
        alternation(countries["pair_heads"], "pair_heads"), alternation(countries["visit_heads"], "visit_heads")))


def country_mentions(text: str, hits: list[Hit], names: list[tuple[int, int]] = ()) -> Counter:
    """ISO codes mentioned, with counts: country names, and the short forms in 臺日 / 訪日 compounds;
    none inside a longer name (NAMES: spans of persons and organisations, 韓國瑜)."""
    inside = within_names(names)
    counts: Counter = Counter(h.entry.name for h in leftmost_longest(hits, "country") if not inside(h.start, h.end))
    short = country_short_forms()
    folded = fold(text)
    for m in _compound().finditer(folded):
        rest = m.group("rest") or m.group("visit")
        for n in (2, 1):
            code = short.get(rest[:n])
            if code and code != "TW":
                counts[code] += 1
                break
    return counts


def within_names(names: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether a span lies inside one of NAMES without being that name, by bisection
    (it runs for every country in a document)."""
    spans = sorted(set(names))
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))  # the furthest end of the spans so far

    def inside(start: int, end: int) -> bool:
        before = bisect_left(starts, start)  # spans that begin earlier need only reach the end
        if before and reach[before - 1] >= end:
            return True
        return any(e > end for _, e in spans[before:bisect_right(starts, start)])

    return inside


@cache
def _not_in_names() -> frozenset[str]:
    return name_rules().name_ends | frozenset(load("names").get("clause_chars", ""))


def _clause_like(name: str) -> bool:
    """雙方除就各自區: particles and verbs mean a clause was swallowed, not a place name."""
    return any(ch in _not_in_names() for ch in name[:-1])


def find_places(text: str, hits: list[Hit]) -> list[Place]:
    found: dict[str, Place] = {}
    taken: list[tuple[int, int]] = []
    # a place only where it wins against longer names of other kinds (灣區 inside 臺灣區塊鏈 is not one)
    winners = [h for h in leftmost_longest(of_kind(hits, "place", "country", "org"))
               if h.entry.kind == "place"]
    for hit in winners:
        end = hit.end + 1 if text[hit.end:hit.end + 1] in _words("place_unit_chars") \
            and not hit.surface.endswith(_words("place_unit_chars")) else hit.end
        name = text[hit.start:end]  # as written: 布爾諾市, not the gazetteer's 布爾諾
        place = found.get(name)
        if place is None:  # (setdefault would build a Place for every hit)
            place = found[name] = Place(name, country=hit.entry.country, kind=hit.entry.detail)
        place.spans.append(Span(hit.start, end))
        taken.append((hit.start, end))
    countries = leftmost_longest(hits, "country")
    orgs = of_kind(hits, "org")
    for c in countries:
        m = _place_suffix().match(text, c.end)
        if not m or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if any(o.start <= c.start and o.end >= m.end() for o in orgs):
            continue
        name = m.group()
        if name.endswith(_words("not_place_endings")) or len(name) < 2 or _clause_like(name):
            continue
        place = found.setdefault(name, Place(name, country=c.entry.name))
        place.spans.append(Span(m.start(), m.end()))
        taken.append((m.start(), m.end()))
    return sorted(found.values(), key=lambda p: p.spans[0].start)

