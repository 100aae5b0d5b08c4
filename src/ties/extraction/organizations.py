"""Organisations, named as the article writes them (the canonical name of a known body is an
alias, for resolution), in the article's script.

Known bodies come from the gazetteer (abbreviations, former names, Simplified forms); unknown ones
from the grammar of Chinese names: a body's ending (…協會, …議會, …辦事處) after a country, a city, a
legal prefix or a name the model found; before the title of its head (…局|局長) or its acronym
(…部（DSWD）); in quotes; listed after another body. A name never holds a clause (以及, 簽署, 表示)
nor is found inside a longer word (成大 in 完成大選)."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache, lru_cache

from opencc import OpenCC

from ..knowledge import alternation, load
from ..model import Organization, Span
from . import ner as ner_model
from .gazetteer import Entry, Hit, country_names, fold, leftmost_longest, of_kind
from .ner import NerSpan
from .persons import rules as name_rules
from .text import after_last, first_from, sentences

QUOTED = re.compile(r"[「『“]([^「」『』“”]{3,30})[」』”]")
HAN = re.compile(r"[\u3400-\u9fff]")
_T2S = OpenCC("t2s")


@cache
def _suffixes(key: str = "organization_suffixes", file: str = "names") -> tuple[str, ...]:
    """A word list of a knowledge file (endings of bodies' names…), longest first, Simplified forms included."""
    words = {v for w in load(file).get(key, []) for v in (w, _T2S.convert(w))}
    return tuple(sorted(words, key=len, reverse=True))


def find_organizations(text: str, hits: list[Hit], ner: list[NerSpan]) -> list[Organization]:
    found: dict[str, Organization] = {}
    covered: list[tuple[int, int]] = []
    for hit in _named_bodies(text, hits, ner):
        org = found.get(hit.entry.name)
        if org is None:  # (setdefault would build an Organization for every hit)
            org = found[hit.entry.name] = Organization(hit.surface, country=hit.entry.country, kind=hit.entry.detail)
        if _better_name(hit, org.name):
            org.name = hit.surface
        org.spans.append(Span(hit.start, hit.end))
        org.aliases.append(hit.entry.name)  # the canonical name, for resolution
        covered.append((hit.start, hit.end))
    for org in found.values():
        org.aliases = [form for form in dict.fromkeys(_forms(text, org) + org.aliases) if form != org.name]
    for start, end in _unknown_bodies(text, hits, ner, covered):
        found.setdefault(text[start:end], Organization(text[start:end])).spans.append(Span(start, end))
        covered.append((start, end))
    for start, end in _listed_after(text, covered):
        found.setdefault(text[start:end], Organization(text[start:end])).spans.append(Span(start, end))
    return sorted(_merge_forms(found, text, hits), key=lambda o: o.spans[0].start)


def _named_bodies(text: str, hits: list[Hit], ner: list[NerSpan]) -> list[Hit]:
    """Known bodies as written, their units, and bodies named after a place, by position."""
    country_surfaces = {fold(h.surface) for h in of_kind(hits, "country")}
    known = [h for h in of_kind(hits, "org") if not _is_a_country(h, country_surfaces)
             and not _byline().match(text, h.end)]
    known = _with_country_before(text, _acronyms_named_before(text, _whole_words(text, known), hits), hits)
    chosen = leftmost_longest(known)
    # A body named inside a longer name is named too: 歐盟執委會 in 歐盟執委會資通訊網絡暨科技總署.
    chosen += [h for h in known if h not in chosen and any(c.start == h.start and c.end > h.end for c in chosen)]
    chosen = _with_sender(text, hits, chosen)
    titles = {h.start for h in of_kind(hits, "title")} | _member_starts(text)
    people = {h.start for h in of_kind(hits, "person")} | {sp.start for sp in ner if sp.label == "PER"}
    named = leftmost_longest(_sub_units(text, chosen, titles, people) + _bodies_after_places(text, hits, chosen, ner))
    return sorted(chosen + named, key=lambda h: h.start)


def _unknown_bodies(text: str, hits: list[Hit], ner: list[NerSpan],
                    covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of bodies the gazetteer does not know: the model's names with a body's ending, quotes,
    names before a head's title or an acronym; none inside a known body, a country, a place or a person."""
    blocked = [(h.start, h.end) for h in of_kind(hits, "country", "place", "person")]
    taken = list(covered)
    title_starts = sorted({h.start for h in of_kind(hits, "title")})
    out = []
    for start, end in _unknown_candidates(text, ner) + _bodies_before_titles(text, hits, ner) \
            + _bodies_before_acronyms(text, hits) + _latin_bodies(text):
        i = bisect_right(title_starts, start)  # the first title inside the candidate
        title = title_starts[i] if i < len(title_starts) and title_starts[i] < end else end
        cut = start + len(text[start:title].rstrip(_chars('conjunctions')))
        if text[start:cut].endswith(_suffixes()):  # LAC glues titles on: 工研院院|長, X國會暨參議院|議長
            end = cut
        name = text[start:end]
        if len(name) < 3 or name in _suffixes() or _not_a_name_start().match(name) or _byline().match(text, end) \
                or any(s <= start and end <= e or s < start < e for s, e in blocked + taken) \
                or not _reads_as_a_name(text, start, end) \
                or _is_country_body(name, hits, start):
            continue
        out.append((start, end))
        taken.append((start, end))
    return out


def _merge_forms(found: dict[str, Organization], text: str, hits: list[Hit]) -> list[Organization]:
    """One body written two ways is one: 日本高松市議會 and 高松市議會 (countries or places written
    before an unknown body's name), 華邦電子公司 and 華邦電子 (a company word after it). The longer
    form becomes an alias of the shorter."""
    _merge_translations(found, text)
    prefixes = {text[h.start:h.end] for h in of_kind(hits, "country", "place")}
    company_words = _suffixes("company_words", "organizations")
    # a known body has its own country. By identity: `in` a list of Organizations compared every
    # field of each (a known body never equals an unknown one: their kinds differ)
    unknown = {id(o) for o in found.values() if o.kind in (None, "body")}
    for name, org in list(found.items()):
        if id(org) not in unknown:
            continue
        for other in (o for o in found.values() if o is not org):
            placed = id(other) in unknown and name.endswith(other.name) and _made_of(name[:-len(other.name)], prefixes)
            if placed or name.startswith(other.name) and name[len(other.name):] in company_words:
                _merge_into(other, org)
                del found[name]
                break
    return list(found.values())


def _merge_translations(found: dict[str, Organization], text: str) -> None:
    """向量研究院（Vector Institute）…Vector Institute: a Latin name that translates a body once, in
    brackets after its Chinese name, names that body wherever it is written."""
    ends = {sp.end: org for org in found.values() for sp in org.spans}
    for name, org in list(found.items()):
        if HAN.match(name[:1]):
            continue
        for m in re.finditer(rf"[（(]{re.escape(name)}[)）]", text):
            body = ends.get(m.start())
            if body is not None and body is not org:
                _merge_into(body, org)
                del found[name]
                break


def _merge_into(org: Organization, form: Organization) -> None:
    org.spans = sorted(org.spans + form.spans, key=lambda sp: sp.start)
    org.aliases += [f for f in [form.name, *form.aliases] if f not in org.aliases]
    org.country = org.country or form.country


def _made_of(rest: str, prefixes: set[str]) -> bool:
    """Whether rest is one or more of these prefixes in a row (日本群馬縣 = 日本 + 群馬縣)."""
    return any(rest.startswith(p) and (rest == p or _made_of(rest[len(p):], prefixes)) for p in prefixes)


def _listed_after(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """關島觀光局、經濟發展局等: a name with a body's ending listed right after a body is a body."""
    follows = re.escape(_chars("body_list_joiners") + _chars("body_list_enders")).replace("{", "{{").replace("}", "}}")
    item = _suffix_pattern("body_suffixes", r"[\u3400-\u9fff]{{1,12}}?(?:{})(?=[" + follows + r",，。；;）)\s]|$)")
    out, ends = [], sorted(e for _, e in covered)
    taken = set(covered)
    while ends:
        end = ends.pop(0)
        m = item.match(text, end + 1) if text[end:end + 1] in tuple(_chars("body_list_joiners")) else None
        if m and (m.start(), m.end()) not in taken and not any(s < m.end() and m.start() < e for s, e in taken) \
                and not _not_a_name_start().match(m.group()) and _reads_as_a_name(text, m.start(), m.end()):
            out.append((m.start(), m.end()))
            taken.add((m.start(), m.end()))
            ends.append(m.end())
    return out


@cache
def _byline() -> re.Pattern:
    words = "|".join(map(re.escape, _suffixes("byline_words")))
    dateline = alternation(_suffixes("dateline_words", "organizations"), "dateline_words")
    return re.compile(rf"(?:{words}|[0-9０-９]{{1,2}}(?:{dateline}))")


@cache
def _closing_suffixes() -> frozenset[str]:
    return frozenset(_suffixes("closing_suffixes", "organizations"))


@cache
def _chars(key: str) -> str:
    """A string of single characters from data/organizations.yaml (conjunctions, pronoun heads …)."""
    return load("organizations")[key]


def _char_class(key: str) -> str:
    return "[" + re.escape(_chars(key)) + "]"


@cache
def _suffix_pattern(key: str, template: str) -> re.Pattern:
    """A pattern built from a list of suffixes or prefixes in data/names.yaml, Simplified forms included."""
    return re.compile(template.format(alternation(_suffixes(key), key)))


@cache
def _sub_unit() -> re.Pattern:
    return _suffix_pattern("unit_suffixes", "(?!" + _char_class("unit_non_initials") + r")[\u3400-\u9fff]{{2,8}}?(?:{})(?![\u3400-\u9fff])")


@cache
def _not_a_name_start() -> re.Pattern:
    orgs = load("organizations")
    return re.compile("^(?:{}|{})".format(alternation(orgs["not_name_starts"], "not_name_starts"),
                                          "|".join(orgs["not_name_start_patterns"])))


def _sub_units(text: str, chosen: list[Hit], titles: set[int], people: set[int]) -> list[Hit]:
    """國發會綜合規劃處, 臺北市府資訊局, AIT高雄分處|處長: a known body followed by one of its units,
    ending where a name ends or where a title begins."""
    out = []
    for hit in chosen:
        m = _sub_unit().match(text, hit.end)
        end = m.end() if m and _reads_as_a_name(text, m.start(), m.end()) else _unit_before_title(text, hit.end, titles)
        if end and not any(c.start < end and hit.end < c.end for c in chosen if c is not hit) \
                and not _holds_a_person(text, hit.end, end, titles, people):
            surface = text[hit.start:end]
            out.append(Hit(hit.start, end, surface, Entry("org", surface, hit.entry.country, "unit")))
    return out


def _holds_a_person(text: str, start: int, end: int, titles: set[int], people: set[int]) -> bool:
    """國科會|主委X和新聞局 is a person and another body, not a unit (秘書總處 is one: no one follows 秘書)."""
    return any(start <= p < end for p in people) or \
        any(start <= t < end and any(c in text[t:end] for c in _chars("title_list_joiners")) for t in titles)


def _unit_before_title(text: str, pos: int, titles: set[int]) -> int | None:
    units = _suffixes("unit_suffixes")
    for end in range(pos + 3, min(pos + 12, len(text))):
        if not HAN.match(text[end - 1]):
            return None
        if end not in titles:
            continue  # only a title's start can end a unit: look for its suffix there alone
        unit = next((u for u in units if text.startswith(u, end - len(u))), None)
        if unit and end - pos >= len(unit) + 2 and text[pos] not in _chars('conjunctions') \
                and _reads_as_a_name(text, pos, end):  # 歐洲議會|對中國關係代表團|團長, not …|代表團|團長
            return end
    return None


def _with_sender(text: str, hits: list[Hit], chosen: list[Hit]) -> list[Hit]:
    """中華民國駐菲律賓代表處: a mission named by where it is (駐菲律賓代表處) takes in the country
    written just before it, which sent it."""
    ends = {h.end: h for h in leftmost_longest(hits, "country")}
    out = []
    for hit in chosen:
        sender = ends.get(hit.start)
        if hit.surface.startswith(name_rules().posted_markers) and sender:
            hit = Hit(sender.start, hit.end, text[sender.start:hit.end], hit.entry)
        out.append(hit)
    return out


@cache
def _words(key: str) -> re.Pattern:
    """A pattern for a word list of data/organizations.yaml, Simplified forms included; clause
    words include the verbs that report speech and engagements (表示, 接見, 簽署, 捐贈)."""
    words = list(load("organizations").get(key, []))
    if key == "clause_words":
        events = load("events")
        words += events.get("speech_verbs", [])
        words += [w for t in events.get("triggers", []) if t.get("mode") in CLAUSE_VERB_MODES for w in t.get("words", [])]
    variants = {v for w in words for v in (w, _T2S.convert(w))}
    return re.compile(alternation(variants, key))


CLAUSE_VERB_MODES = ("meeting", "visit", "signing", "donation")


def _reads_as_a_name(text: str, start: int, end: int) -> bool:
    """No clause inside (波蘭設立…中心, X係Y政府), and no ordinary word at or across the end
    (華沙簽署, 泗水市中心, 分級處|理辦法, 政府部|會)."""
    if _words("clause_words").search(text, start, end):
        return False
    words = _words("not_name_words")
    return not any((m := words.match(text, p)) and m.end() >= end for p in range(max(start, end - 3), end))



def _is_a_country(hit: Hit, country_surfaces: set[str]) -> bool:
    """A country's name is a country; a union of states (歐盟) is a body as well as a party.
    COUNTRY_SURFACES: the country names written in the article (folded)."""
    if hit.entry.detail == "international_org":
        return False
    return fold(hit.surface) in country_surfaces or fold(hit.entry.name) in _country_names()


@cache
def _country_names() -> frozenset[str]:
    """Every name of a country or of the EU: as a party it is a country, not an organisation."""
    return frozenset(fold(n) for names in country_names().values() for n in names)


def _bodies_after_places(text: str, hits: list[Hit], chosen: list[Hit], ner: list[NerSpan]) -> list[Hit]:
    """立陶宛交通與通訊部, 新竹市消防局, 銘傳/ORG大學, 國立X中心: a country, a city, a name the model
    found or a legal prefix, then a body's name that ends with a body suffix where the name ends."""
    titles = {h.start for h in of_kind(hits, "title")}
    in_persons = {i for h in of_kind(hits, "person") for i in range(h.start, h.end)}
    anchors = [(h.start, h.end, h.entry.country if h.entry.kind == "place" else h.entry.name)
               for h in leftmost_longest(hits, "country") + leftmost_longest(hits, "place")
               if h.surface[:1] not in _chars("pronoun_heads")  # 我國, 本國: pronouns, not names
               and h.start not in in_persons]  # 韓國瑜 is not 韓國
    anchors += [(sp.start, sp.end, None) for sp in ner if sp.label in ("ORG", "LOC")]
    anchors += [(m.start(), m.end(), None) for m in _suffix_pattern("legal_prefixes", "(?:{})").finditer(text)]
    in_quotes = {i for m in QUOTED.finditer(text) for i in range(m.start(1) + 1, m.end(1))}
    joined = _joined_starts(text, hits)
    out = []
    for start, anchor_end, country in anchors:
        if start in in_quotes:  # 「外國干預歐盟…委員會」: the quote is the name
            continue
        end = _body_end(text, anchor_end, titles)
        if end is None or any(c.start < end and start <= c.end for c in chosen) \
                or any(anchor_end <= j < end for j in joined) \
                or text[anchor_end] in _chars('conjunctions') or not _reads_as_a_name(text, anchor_end, end):
            continue
        start -= text[start - 1:start] in name_rules().posted_markers  # 駐橫濱辦事處: our office is named by where it is
        surface = text[start:end]
        if not _not_a_name_start().match(surface):
            out.append(Hit(start, end, surface, Entry("org", surface, country, "body")))
    return leftmost_longest(out)


def _joined_starts(text: str, hits: list[Hit]) -> set[int]:
    """Where a conjunction stands right before a country or a place: X國和新加坡紅十字會 names two
    parties, so no body's name goes across it."""
    conjunctions = frozenset(_chars("conjunctions"))  # a set: the empty string before the text's start is none
    return {h.start - 1 for h in of_kind(hits, "country", "place") if text[h.start - 1:h.start] in conjunctions}




def _body_end(text: str, pos: int, titles: set[int]) -> int | None:
    """Where a body's name that goes on from pos ends: at a suffix followed by punctuation, a
    title or a word that follows names, or at a closing suffix (…議會, …大使館) wherever it stands."""
    closing = _closing_suffixes()
    starting_with = _by_first_char("body_suffixes")
    # only where a suffix can begin (a search in C, not a look-up for every character of the run)
    for first in _first_chars("body_suffixes").finditer(text, pos, HAN_RUN.match(text, pos).end()):
        i = first.start()
        for suffix in starting_with[text[i]]:  # the longest suffix there, as a regex alternation
            if text.startswith(suffix, i):
                break
        else:
            continue
        if i == pos and len(suffix) < 2:  # 波蘭國會, 美國紅十字會; not 美國部
            continue
        end = i + len(suffix)
        after = text[end:end + 1]
        if not after or not HAN.match(after) or end in titles or after in name_rules().name_ends:
            return end
        if suffix in closing and end - pos <= 8 \
                and not text.startswith(_suffixes(), end):
            return end
    return None


HAN_RUN = re.compile(r"[\u3400-\u9fff]{0,14}")  # how far a body's name may go on


@cache
def _first_chars(key: str) -> re.Pattern:
    """Any first character of a word list of data/names.yaml."""
    return re.compile("[" + re.escape("".join(_by_first_char(key))) + "]")


@cache
def _by_first_char(key: str) -> dict[str, tuple[str, ...]]:
    """A word list of data/names.yaml by first character, longest first: which words begin at a
    place is one dictionary look-up, not a try of each word."""
    out: dict[str, list[str]] = {}
    for word in _suffixes(key):
        out.setdefault(word[0], []).append(word)
    return {first: tuple(words) for first, words in out.items()}


def _better_name(hit: Hit, name: str) -> bool:
    """The canonical name when the article writes it, else the fullest Chinese form written (世界衛生組織
    over WHO, 中華民國駐菲律賓代表處 over 駐菲代表處), else the first form: 東協 where only 東協 is
    written, 资策会 in a Simplified article."""
    written = _canonical_forms(hit.entry.name)
    if fold(name) in written:
        return False
    if fold(hit.surface) in written:
        return True
    chinese, was_chinese = bool(HAN.match(hit.surface[:1])), bool(HAN.match(name[:1]))
    return chinese > was_chinese or (chinese == was_chinese and len(hit.surface) > len(name))


@lru_cache(maxsize=4096)  # OpenCC per hit was a measurable cost
def _canonical_forms(name: str) -> frozenset[str]:
    return frozenset({fold(name), fold(_T2S.convert(name))})


def _forms(text: str, org: Organization) -> list[str]:
    return [text[sp.start:sp.end] for sp in org.spans]


@lru_cache(maxsize=1)  # asked twice for each document
def _member_starts(text: str) -> set[int]:
    return {m.start() for m in _words("member_words").finditer(text)}


def _bodies_before_titles(text: str, hits: list[Hit], ner: list[NerSpan]) -> list[tuple[int, int]]:
    """Office, title, name (…暨整合性服務局|局長, …聯席委員會|主席 X): a body's name ends right before
    the title of its head or a word for its people (…應變署|區域主管); it begins after punctuation,
    a person, a title, a conjunction or a word that introduces a name, and it holds no known body
    (外交部|長 is the known one)."""
    suffixes = _suffix_pattern("body_suffixes", "(?:{})$")
    stops = {h.end for h in of_kind(hits, "person", "title")} | {sp.end for sp in ner if sp.label == "PER"}
    known = of_kind(hits, "org")
    heads = {h.start for h in of_kind(hits, "title") if h.entry.detail in HEAD_KINDS}
    out = []
    for end in sorted(heads | _member_starts(text)):
        suffix = suffixes.search(text, max(0, end - 6), end)
        if end < 1 or not HAN.match(text[end - 1]) or not suffix:
            continue
        start = _name_start(text, end, {s for s in stops if s < suffix.start()})  # not 委員|會
        if end - start >= 4 and not any(k.start < end and start < k.end for k in known):
            out.append((start, end))
    return out


ACRONYM_AFTER = re.compile(r"[（(][A-Z][A-Za-z&.\- ]{1,24}[)）]")


def _bodies_before_acronyms(text: str, hits: list[Hit]) -> list[tuple[int, int]]:
    """社會福利暨發展部（DSWD）: a name with a body's ending and its acronym in brackets."""
    stops = {h.end for h in of_kind(hits, "person", "title")}
    known = of_kind(hits, "org")
    suffixes = _suffixes()
    out = []
    for m in ACRONYM_AFTER.finditer(text):
        end = m.start()
        if text.endswith(suffixes, 0, end):
            start = _name_start(text, end, stops)
            if end - start >= 4 and not any(k.start < end and start < k.end for k in known):
                out.append((start, end))
    return out


LATIN_NAME = re.compile(r"[A-Z][A-Za-z&-]*(?: [A-Z][A-Za-z&-]*)*")
LATIN_OF = re.compile(r" (?:of|for|de) (?:the )?[A-Z][A-Za-z&-]*(?: [A-Z][A-Za-z&-]*)*")


def _latin_bodies(text: str) -> list[tuple[int, int]]:
    """Samuel Haynes Institute of Excellence, Catapult Network: a Latin name that ends with a word for
    a body (and what it is of), unless it stands in brackets after a Chinese name, which it translates."""
    words = _latin_org_words()
    out = []
    for m in LATIN_NAME.finditer(text):
        parts = m.group().split()
        last = max((i for i, w in enumerate(parts) if w in words), default=None)
        if last is None or text[m.start() - 1:m.start()] in ("(", "（"):
            continue
        end = m.start() + len(" ".join(parts[:last + 1]))
        of = LATIN_OF.match(text, end) if last == len(parts) - 1 else None
        if last or of:  # a body's word alone (Technology) is no name
            out.append((m.start(), of.end() if of else end))
    return out


@cache
def _latin_org_words() -> frozenset[str]:
    return frozenset(load("names").get("latin_org_words", []))


HEAD_KINDS = ("head", "deputy_head", "minister", "deputy_minister", "executive", "governor", "spokesperson")


def _name_start(text: str, end: int, stops: set[int]) -> int:
    start = end
    while start > 0 and end - start < 16 and HAN.match(text[start - 1]) and text[start - 1] not in _chars('name_introducers') \
            and start not in stops:
        start -= 1
    return start


def _with_country_before(text: str, known: list[Hit], hits: list[Hit]) -> list[Hit]:
    """A foreign country's name right before a known body is part of its name (日本海上保安廳); when
    the body is another country's, the name is that country's own body (印尼外交部 is not ours).
    Taiwan's name before ours is a modifier: 台灣數位發展部 is 數位發展部."""
    countries = {h.end: h for h in leftmost_longest(hits, "country")
                 if h.surface[:1] not in _chars("pronoun_heads") and h.entry.name != "TW"}
    out = []
    for hit in known:
        country = countries.get(hit.start)
        if country and HAN.match(hit.surface[:1]):
            surface = text[country.start:hit.end]
            entry = hit.entry if hit.entry.country in (country.entry.name, None) else \
                Entry("org", surface, country.entry.name, "body")
            hit = Hit(country.start, hit.end, surface, entry)
        out.append(hit)
    return out


def _acronyms_named_before(text: str, known: list[Hit], hits: list[Hit]) -> list[Hit]:
    """An acronym right after a name (德國聯邦教育研究部(BMBF), 「經濟夥伴協定」(EPA)) stands for
    that name: for an agreement it is no body; for a body the Chinese name as written is its form."""
    stops = {h.end for h in of_kind(hits, "person", "title")}
    ends = {h.end for h in known}
    out = []
    for hit in known:
        end = hit.start - 1 if text[hit.start - 1:hit.start] in ("(", "（") else hit.start
        if HAN.match(hit.surface[:1]) or end == hit.start and not HAN.match(text[end - 1:end]):
            out.append(hit)
            continue
        before = text[:end].rstrip()
        if before.endswith(("」", "』", "》")) or _names_a_document(before[-12:]):
            continue
        start = _name_start(text, len(before), stops)
        if len(before) not in ends and len(before) - start >= 3 and before.endswith(_suffixes()):
            hit = Hit(start, len(before), text[start:len(before)], hit.entry)
        out.append(hit)
    return out


def _whole_words(text: str, known: list[Hit]) -> list[Hit]:
    """A short name found inside a word is not the name: 成大 in 完成大選, 台大 in 駐台大使, 工總 in
    商工總會. The segmenter decides: a short name starts a word, and a two-character one ends it too."""
    short = [h for h in known if len(h.surface) <= 3 and HAN.match(h.surface[:1])]
    if not short or not ner_model.enabled():
        return known
    bounds = _word_bounds(text, short)
    return [h for h in known if h not in short or
            (h.start in bounds and (len(h.surface) > 2 or h.end in bounds))]


def _word_bounds(text: str, hits: list[Hit]) -> set[int]:
    """Where the segmenter starts and ends words around these hits. Its words are free in a
    sentence the tagger read; elsewhere a sentence's edges and full-width marks bound words, and
    the model segments only the clause (between marks) around a hit whose side that matters (its
    start, and its end for two characters) is neither. A clause is a fraction of the model's time,
    and nearly always decides as its sentence does (extract output unchanged on dev, seeds and
    samples; 2 of 468 short names there would be decided otherwise, all in sentences the tagger
    reads anyway)."""
    bounds: set[int] = set()
    for sent in sentences(text):
        inside = [h for h in hits if sent.start <= h.start < sent.end]
        if not inside:
            continue
        if ner_model.has_read(sent.text):
            bounds |= _segmented(sent.start, sent.text)
            continue
        clauses = set()
        for h in inside:
            if _delimited(text, sent.start, sent.end, h):
                bounds.update((h.start, h.end))
            else:
                clauses.add(_clause_around(text, sent.start, sent.end, h))
        for start, end in clauses:
            bounds |= _segmented(start, text[start:end])
    return bounds


def _segmented(start: int, text: str) -> set[int]:
    """Where the segmenter starts and ends words in TEXT, which starts at START."""
    bounds, pos = {start}, start
    for word in ner_model.words(text):
        pos += len(word)
        bounds.add(pos)
    return bounds


def _clause_around(text: str, start: int, end: int, hit: Hit) -> tuple[int, int]:
    """The clause of the sentence [START, END) that holds HIT: from the mark before it to the next."""
    sentence = text[start:end]
    return (start + after_last(sentence, _chars("word_marks"), hit.start - start),
            start + first_from(sentence, _chars("word_marks"), hit.end - start))


def _delimited(text: str, start: int, end: int, hit: Hit) -> bool:
    """HIT starts at START or after a mark, and (two characters) ends at END or before a mark."""
    starts = hit.start == start or text[hit.start - 1] in _chars("word_marks")
    return starts and (len(hit.surface) > 2 or hit.end == end or text[hit.end] in _chars("word_marks"))


def _unknown_candidates(text: str, ner: list[NerSpan]) -> list[tuple[int, int]]:
    suffixes = _suffixes()
    out = []
    model_suffixes = suffixes + _suffixes("model_org_suffixes", "organizations")
    for span in ner:
        if span.label != "ORG":
            continue
        end = span.end
        for suffix in suffixes:  # LAC stops early: 日本臺灣商會聯合/ORG 總會/v
            if text.startswith(suffix, end):
                end += len(suffix)
                break
        if text[span.start:end].endswith(model_suffixes) and end - span.start >= 3:
            out.append((span.start, end))
    for m in QUOTED.finditer(text):
        name = m.group(1)
        if _names_a_document(name) or not _suffix_pattern("organization_suffixes", "{}").search(name):
            continue  # 「X處合作備忘錄」 names an agreement, not the X處; most quotes hold no body's ending
        for suffix in suffixes:
            i = name.find(suffix)
            if i > 0 and HAN.match(name[0]):
                out.append((m.start(1), m.start(1) + i + len(suffix)))
                break
    return out


def _names_a_document(name: str) -> bool:
    return name.endswith(_document_suffixes())


@cache
def _document_suffixes() -> tuple[str, ...]:
    kinds = load("names").get("initiative_suffixes", {}) or {}
    return tuple(w for kind in ("agreement", "programme") for w in kinds.get(kind, []))


def _is_country_body(name: str, hits: list[Hit], start: int) -> bool:
    """日本政府, 美方, 台灣地方政府: a country's generic government is the country, not an organisation."""
    for hit in hits:
        if hit.entry.kind == "country" and hit.start == start and name[hit.end - start:] in _suffixes("country_body_words", "organizations"):
            return True
    return False
