"""Organisations: curated names (with abbreviations, former names, Simplified forms) resolved to
one canonical name, plus unknown bodies recognised by an organisation suffix (…協會, …總會,
…辦事處) in the NER layer's ORG spans or in 「」 quotes."""
from __future__ import annotations

import re
from functools import cache

from ..knowledge import load
from ..model import Organization, Span
from .gazetteer import _T2S, Entry, Hit, country_names, fold, leftmost_longest
from .ner import NerSpan
from .persons import rules as name_rules

QUOTED = re.compile(r"[「『]([^「」『』]{3,30})[」』]")
HAN = re.compile(r"[\u3400-\u9fff]")


def _suffixes() -> tuple[str, ...]:
    return tuple(sorted(load("names").get("organization_suffixes", []), key=len, reverse=True))


def find_organizations(text: str, hits: list[Hit], ner: list[NerSpan]) -> list[Organization]:
    found: dict[str, Organization] = {}
    covered: list[tuple[int, int]] = []
    known = [h for h in hits if h.entry.kind == "org" and not _is_a_country(h, hits) and not _byline().match(text, h.end)]
    chosen = leftmost_longest(known)
    # A body named inside a longer name is named too: 歐盟執委會 in 歐盟執委會資通訊網絡暨科技總署.
    chosen += [h for h in known if h not in chosen and any(c.start == h.start and c.end > h.end for c in chosen)]
    for hit in sorted(chosen + _sub_units(text, chosen) + _bodies_after_places(text, hits, chosen),
                      key=lambda h: h.start):
        org = found.setdefault(hit.entry.name, Organization(hit.surface, country=hit.entry.country,
                                                            kind=hit.entry.detail))
        if not HAN.match(org.name[:1]) and HAN.match(hit.surface[:1]):
            org.name = hit.surface  # the Chinese form as written wins over an acronym (WHO, 世界衛生組織)
        org.spans.append(Span(hit.start, hit.end))
        org.aliases.append(hit.entry.name)  # the canonical name, for resolution
        covered.append((hit.start, hit.end))
    for org in found.values():
        org.aliases = [form for form in dict.fromkeys(_forms(text, org) + org.aliases) if form != org.name]
    blocked = [(h.start, h.end) for h in hits if h.entry.kind in ("country", "place", "person")]
    for start, end in _unknown_candidates(text, ner):
        if any(s <= start and end <= e for s, e in covered):
            continue
        titles = [h.start for h in hits if h.entry.kind == "title" and start < h.start < end]
        end = min(titles) if titles else end  # LAC glues titles on: 工研院院|長
        name = text[start:end]
        if len(name) < 3 or NOT_A_NAME_START.match(name) or any(s <= start and end <= e for s, e in blocked) \
                or any(s < start < e for s, e in blocked) or not _reads_as_a_name(text, start, end) \
                or _is_country_body(name, hits, start) or any(s <= start and end <= e for s, e in covered):
            continue
        org = found.setdefault(name, Organization(name))
        org.spans.append(Span(start, end))
        covered.append((start, end))
    return sorted(found.values(), key=lambda o: o.spans[0].start)


@cache
def _byline() -> re.Pattern:
    words = "|".join(map(re.escape, load("names").get("byline_words", [])))
    return re.compile(rf"(?:{words}|[0-9０-９]{{1,2}}日電)")


# A unit right after its body, ending the name (國發會綜合規劃處 + punctuation or a title).


@cache
def _suffix_pattern(key: str, template: str) -> re.Pattern:
    """A pattern built from a list of suffixes or prefixes in data/names.yaml."""
    words = sorted(load("names").get(key, []), key=len, reverse=True)
    return re.compile(template.format("|".join(map(re.escape, words)) or "$^"))


def _sub_unit() -> re.Pattern:
    return _suffix_pattern("unit_suffixes", r"(?![共及與和等在於])[\u3400-\u9fff]{{2,8}}?(?:{})(?![\u3400-\u9fff])")
NOT_A_NAME_START = re.compile(r"^(?:兩國|雙方|各國|我國|該|此|第\s*\d+\s*屆|第[一二三四五六七八九十]+屆)")


def _sub_units(text: str, chosen: list[Hit]) -> list[Hit]:
    """國發會綜合規劃處, 臺北市府資訊局: a known body followed by one of its units."""
    out = []
    for hit in chosen:
        m = _sub_unit().match(text, hit.end)
        if m and not any(c.start < m.end() and m.start() < c.end for c in chosen if c is not hit):
            surface = text[hit.start:m.end()]
            out.append(Hit(hit.start, m.end(), surface, Entry("org", surface, hit.entry.country, "unit")))
    return out




@cache
def _words(key: str) -> re.Pattern:
    """A pattern for a word list of data/organizations.yaml, Simplified forms included."""
    words = {v for w in load("organizations").get(key, []) for v in (w, _T2S.convert(w))}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "$^")


def _reads_as_a_name(text: str, start: int, end: int) -> bool:
    """No clause inside (波蘭設立…中心, X係Y政府), and no ordinary word at or across the end
    (華沙簽署, 泗水市中心, 分級處|理辦法, 政府部|會)."""
    if _words("clause_words").search(text, start, end):
        return False
    words = _words("not_name_words")
    return not any((m := words.match(text, p)) and m.end() >= end for p in range(max(start, end - 3), end))



def _is_a_country(hit: Hit, hits: list[Hit]) -> bool:
    """A country's name is a country; a union of states (歐盟) is a body as well as a party."""
    if hit.entry.detail == "international_org":
        return False
    country_surfaces = {fold(h.surface) for h in hits if h.entry.kind == "country"}
    return fold(hit.surface) in country_surfaces or fold(hit.entry.name) in _country_names()


@cache
def _country_names() -> frozenset[str]:
    """Every name of a country or of the EU: as a party it is a country, not an organisation."""
    return frozenset(fold(n) for names in country_names().values() for n in names)


def _bodies_after_places(text: str, hits: list[Hit], chosen: list[Hit]) -> list[Hit]:
    """立陶宛交通與通訊部, 新竹市消防局, 捷克技術大學: a country or city, then a body's name that
    ends with a body suffix where the name ends (punctuation, a title or Latin text follows)."""
    titles = {h.start for h in hits if h.entry.kind == "title"}
    out = []
    for hit in leftmost_longest(hits, "country") + leftmost_longest(hits, "place"):
        if hit.surface[:1] in "我本該兩各":  # 我國, 本國: pronouns, not names
            continue
        m = _suffix_pattern("body_suffixes", r"[\u3400-\u9fff]{{1,10}}?(?:{})").match(text, hit.end)
        if not m or any(c.start < m.end() and hit.start < c.end for c in chosen):
            continue
        after = text[m.end():m.end() + 1]
        ends_here = not after or not HAN.match(after) or m.end() in titles or after in name_rules().name_ends
        if not ends_here or not _reads_as_a_name(text, m.start(), m.end()):
            continue
        surface = text[hit.start:m.end()]
        out.append(Hit(hit.start, m.end(), surface, Entry("org", surface, hit.entry.country if hit.entry.kind == "place"
                                                          else hit.entry.name, "body")))
    return out




def _forms(text: str, org: Organization) -> list[str]:
    return [text[sp.start:sp.end] for sp in org.spans]


def _unknown_candidates(text: str, ner: list[NerSpan]) -> list[tuple[int, int]]:
    suffixes = _suffixes()
    out = []
    for span in ner:
        if span.label != "ORG":
            continue
        end = span.end
        for suffix in suffixes:  # LAC stops early: 日本臺灣商會聯合/ORG 總會/v
            if text.startswith(suffix, end):
                end += len(suffix)
                break
        if text[span.start:end].endswith(suffixes) and end - span.start >= 3:
            out.append((span.start, end))
    for m in QUOTED.finditer(text):
        name = m.group(1)
        if _names_a_document(name):  # 「X處合作備忘錄」 names an agreement, not the X處
            continue
        for suffix in suffixes:
            i = name.find(suffix)
            if i > 0 and HAN.match(name[0]):
                out.append((m.start(1), m.start(1) + i + len(suffix)))
                break
    return out


def _names_a_document(name: str) -> bool:
    kinds = load("names").get("initiative_suffixes", {}) or {}
    return name.endswith(tuple(w for kind in ("agreement", "programme") for w in kinds.get(kind, [])))


def _is_country_body(name: str, hits: list[Hit], start: int) -> bool:
    """日本政府, 美方: a country's generic government is the country, not an organisation."""
    for hit in hits:
        if hit.entry.kind == "country" and hit.start == start and fold(name[hit.end - start:]) in ("政府", "方", "當局"):
            return True
    return False
