"""Persons: names found from titles (數位部長唐鳳, 龔主委明鑫, 洪益芬總會長, 總署長 Roberto Viola),
from transliterations with their Latin form (柯拉克（Keith Krach）), from lists and captions (左起為…),
from the statistical NER layer checked against name knowledge, and from known office holders;
back-references (卓院長, 蔡總統) resolved to the full name in the document or, by the article's
date, to the office's holder. Names keep the article's script. Bylines, credits and pets are not
persons. Each person gets a country: from its affiliation, its context, or the shape of its name."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from operator import attrgetter

from ..knowledge import alternation, load
from ..model import Person, Span
from .gazetteer import Hit, fold, gazetteer, has_simplified, is_simplified, leftmost_longest, simplified, to_simplified
from .ner import NerSpan

_L = r"[A-Za-z\u00c0-\u024f]"  # a Latin letter, diacritics included (Agnė, Küçükyılmaz); never a Han one
LATIN_NAME = re.compile(r"(?:[A-Z]|Ö|Ü|Ç|Ş|Ž|Š|Č|Ł|Ś)" + _L + r"+(?:[ \u00a0\-](?:[A-Z]|Ö|Ü|Ç|Ş|Ž|Š|Č|Ł|Ś)[A-Za-z\u00c0-\u024f]*[" + "'’." + r"]?" + _L + r"*){1,3}")
# a Latin name in parentheses as sources print it: with honorifics, initials, or its spaces lost
PAREN_NAME = r"[A-Z][A-Za-z\u00c0-\u024f.'’\- ]*[a-z\u00c0-\u024f][A-Za-z\u00c0-\u024f.'’\- ]*" \
    r"(?:,\s*[A-Z][A-Za-z.]{1,6})*"  # post-nominals: , Jr. / , GCMG, OBE
TRANSLITERATED = re.compile(r"([\u3400-\u9fff・‧·.．\-]{2,12}+)\s*[（(]\s*(" + PAREN_NAME + r")\s*[）)]")
HAN = re.compile(r"[\u3400-\u9fff]")
HAN_ONLY = re.compile(r"[\u3400-\u9fff]*")
PAREN_LATIN = re.compile(r"\s*[（(]\s*(" + LATIN_NAME.pattern + r")\s*[）)]")
LATIN_WORDS = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f.'’\- ]+")  # an alias in Latin letters
# a Wade-Giles / pinyin given name as Taiwan writes it: Chia-lung, Ing-wen
ROMANISED_CHINESE = re.compile(r"\b[A-Z][a-z]{0,5}-[a-z]{1,6}\b")
# between an affiliation and its title: a parenthesis, a surname (數位部|唐|部長 aside)
AFFILIATION_GAP = re.compile(r"\s*(?:[（(][^（）()]{0,30}[）)])?\s*[\u3400-\u9fff]?\s*")
DOTTED_NAME = re.compile(r"[\u3400-\u9fff]{1,6}(?:[·‧．.・•][\u3400-\u9fff]{1,6})*[·‧．.・•](?P<last>[\u3400-\u9fff]{1,8})")


@dataclass(frozen=True)
class NameRules:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    japanese_surnames: frozenset[str]
    stoppers: frozenset[str]
    surname_titles: tuple[str, ...]
    credit_markers: tuple[str, ...]
    animal_markers: tuple[str, ...]
    bad_final_chars: frozenset[str]
    transliteration_chars: frozenset[str]
    not_given_names: tuple[str, ...]
    not_given_words: tuple[str, ...]  # the multi-character ones (共同, 表示): they end any name
    latin_org_words: frozenset[str]
    latin_honorific: re.Pattern  # Dr. / Mr. / Rev. Monsignor before a Latin name
    transliteration_left_cuts: frozenset[str]
    han_honorific_suffixes: tuple[str, ...]
    list_opener: re.Pattern  # 左起為 in a caption
    left_boundaries: frozenset[str]
    name_ends: frozenset[str]  # stoppers and the first characters of words that follow a name
    list_sep: re.Pattern  # a list of persons goes on after a separator…
    between_items: re.Pattern  # …with a caption's position or a Latin form between its items
    list_item_rest: re.Pattern  # one or two name characters before the list goes on
    list_enders: tuple[str, ...]
    time_word: re.Pattern  # 今天, 明(7)日
    time_or_given: str
    japanese_given_joiners: str
    japanese_given_finals: str
    deputy_prefixes: str
    credits_after: re.Pattern  # 攝, 傳真 after a name in a byline
    reporter_words: tuple[str, ...]
    posted_markers: tuple[str, ...]  # 駐
    posted_gap: re.Pattern  # 駐台北 between a country and a title
    not_a_side_before: tuple[str, ...]  # 駐 and 對: no country of a person after them


@cache
def _org_suffixes() -> tuple[str, ...]:
    names = load("names")
    return tuple(names.get("organization_suffixes", [])) + tuple(names.get("company_endings", []))


@cache
def _credit_patterns() -> tuple[frozenset[str], tuple[int, ...], re.Pattern]:
    """A credit's endings (記者, 攝影：) with their lengths, so that a text's ending is looked up, not
    compared with each; and the pattern of a credit's list."""
    r = rules()
    ends = frozenset(c + sep for c in r.credit_markers for sep in ("", "：", ":", "/", "／"))
    # 記者王大明、李小華: the later names of a credit's list are credits too
    listed = re.compile("(?:" + "|".join(map(re.escape, r.credit_markers)) + r")[：:/／]?(?:[\u3400-\u9fff]{2,4}、)+$")
    return ends, tuple(sorted({len(e) for e in ends})), listed


@cache
def rules() -> NameRules:
    names, titles, persons = load("names"), load("titles"), load("persons")
    return NameRules(
        surnames=frozenset(simplified(names.get("chinese_surnames", []))),
        compound_surnames=frozenset(simplified(names.get("compound_surnames", []))),
        japanese_surnames=frozenset(simplified(names.get("japanese_surnames", []))),
        stoppers=frozenset(names.get("name_stoppers", "")),
        surname_titles=tuple(sorted(simplified(titles.get("surname_titles", [])), key=len, reverse=True)),
        credit_markers=tuple(titles.get("credit_markers", [])),
        animal_markers=tuple(titles.get("animal_markers", [])),
        bad_final_chars=frozenset(names.get("name_bad_final_chars", "")),
        transliteration_chars=frozenset(names.get("transliteration_chars", "")),
        not_given_names=tuple(names.get("not_given_names", [])),
        not_given_words=tuple(w for w in names.get("not_given_names", []) if len(w) > 1),
        latin_org_words=frozenset(names.get("latin_org_words", [])),
        latin_honorific=re.compile(r"(?:(?:" + "|".join(re.escape(h) for h in names["latin_honorifics"])
                                   + r")(?:\.[ \u00a0]*|[ \u00a0]+))+"),
        left_boundaries=frozenset(names.get("name_left_boundaries", "")),
        transliteration_left_cuts=frozenset(names["transliteration_left_cuts"]),
        han_honorific_suffixes=tuple(simplified(names["han_honorific_suffixes"])),
        list_opener=re.compile("(?:" + "|".join(map(re.escape, simplified(titles["list_openers"])))
                               + "){}*".format(_chars_of(persons["list_opener_links"] + "：:", r"\s"))),
        name_ends=frozenset(names.get("name_stoppers", "")) | frozenset(names.get("name_followers", "")),
        list_sep=re.compile(r"\s*(?:{})\s*".format(alternation(persons["list_separators"], "list_separators"))),
        between_items=re.compile(r"\s*[（(](?:{}[一二三四五六七八九十\d]{{1,2}}|[^（）()]{{0,40}}[A-Za-z][^（）()]{{0,40}})[）)]"
                                 .format(_chars_of(persons["caption_positions"]))),
        list_item_rest=re.compile(r"[\u3400-\u9fff]{{1,2}}(?={})".format(
            alternation(persons["list_item_joiners"], "list_item_joiners"))),
        list_enders=tuple(persons["list_enders"]),
        time_word=re.compile(r"{0}{1}|{0}\s*[（(]".format(_chars_of(persons["time_word_heads"]),
                                                        _chars_of(persons["time_word_tails"]))),
        time_or_given=persons["time_or_given"],
        japanese_given_joiners=persons["japanese_given_joiners"],
        japanese_given_finals=persons["japanese_given_finals"],
        deputy_prefixes=persons["deputy_prefixes"],
        credits_after=re.compile(alternation(persons["credits_after_name"], "credits_after_name")),
        reporter_words=tuple(persons["reporter_words"]),
        posted_markers=tuple(persons["posted_markers"]),
        posted_gap=re.compile(r"(?:{})[\u3400-\u9fff]{{1,6}}".format(alternation(persons["posted_markers"], "posted_markers"))),
        not_a_side_before=tuple(persons["posted_markers"]) + tuple(persons["topic_markers"]),
    )


def _chars_of(chars: str, extra: str = "") -> str:
    """A regex class of the characters of a knowledge string (EXTRA: class syntax added as is)."""
    return "[" + re.escape(chars) + extra + "]"


@dataclass
class Mention:
    start: int
    end: int
    name: str
    title: str | None = None
    affiliation: str | None = None
    country: str | None = None
    alias: str | None = None


@dataclass
class BackRef:
    start: int
    end: int
    surname: str
    title: str


def _all_han(chars: str) -> bool:
    """Every character is Han (none: true), in one match rather than one per character."""
    return HAN_ONLY.fullmatch(chars) is not None


_start_of = attrgetter("start")  # a sort key in C: called for every hit


@dataclass
class PersonFinder:
    text: str
    hits: list[Hit]  # gazetteer hits on the text (all kinds, overlaps allowed)
    ner: list[NerSpan]
    published: dt.date | None
    mentions: list[Mention] = field(default_factory=list)
    backrefs: list[BackRef] = field(default_factory=list)

    def __post_init__(self) -> None:
        # indexes over the hits, built once: the checks below run for every candidate
        self._title_starts, self._title_ends, self._ends_of_names = set(), set(), set()
        self._known_persons, self._affiliations, self._named = [], [], []
        self._place_ends_at: dict[int, list[int]] = {}  # start -> ends of place/country names of 2+ chars
        for h in self.hits:
            kind = h.entry.kind
            if kind == "person":
                self._known_persons.append(h)
                continue
            self._named.append(h)  # titles and bodies, places, countries
            self._ends_of_names.add(h.end)
            if kind == "title":
                self._title_starts.add(h.start)
                self._title_ends.add(h.end)
                continue
            self._affiliations.append(h)
            if kind != "org" and h.end - h.start >= 2:
                self._place_ends_at.setdefault(h.start, []).append(h.end)
        self._person_starts = {h.start for h in self._known_persons}
        self._sorted_title_starts = sorted(self._title_starts)
        self._person_at: dict[int, Hit] = {}  # the first known holder's name at each start
        for h in self._known_persons:
            self._person_at.setdefault(h.start, h)
        self._affiliations_by_start = sorted(self._affiliations, key=_start_of)
        self._affiliation_starts = [h.start for h in self._affiliations_by_start]
        # bodies, places and countries by start, with the furthest end reached so far (read after
        # the last span of a start, where the order among spans of one start no longer counts)
        self._non_person_starts = self._affiliation_starts
        self._non_person_reach = list(accumulate((h.end for h in self._affiliations_by_start), max))
        self._simplified: bool | None = None  # is_simplified(text), asked once at most
        self._credit_ends, self._credit_end_lengths, self._credit_list = _credit_patterns()

    def run(self) -> list[Person]:
        self._from_transliterations()
        self._from_titles()
        self._from_known_holders()
        self._from_ner()
        self._from_enumerations()
        self._from_latin_in_parentheses()
        self.mentions = [m for m in self.mentions if not self._excluded(m)]
        return self._merge()

    # -- candidates ------------------------------------------------------------------------
    def _from_titles(self) -> None:
        for hit in self._title_hits():
            ts, te = hit.start, hit.end
            context = self._affiliation_before(ts, te)
            latin = self._latin_name_at(te)
            if latin:
                self._add(*latin, hit, context)
                continue
            if self._surname_title_given(hit, context):
                continue
            if ts >= 1 and self._is_surname_at(ts - 1) and self._boundary_before(ts - 1) \
                    and not self._han_name_before(ts):
                self.backrefs.append(BackRef(ts - 1, te, self.text[ts - 1], hit.surface))
                continue
            after = self._dotted_name_at(te) or self._han_name_at(te) or self._foreign_name_at(te)
            if after:
                self._add(te, te + len(after), after, hit, context)
                continue
            before = self._han_name_before(ts) or self._foreign_name_before(ts)
            if before:
                self._add(ts - len(before), ts, before, hit, context)
                continue
            if ts >= 1 and self._is_surname_at(ts - 1) and self._boundary_before(ts - 1):
                self.backrefs.append(BackRef(ts - 1, te, self.text[ts - 1], hit.surface))

    def _latin_name_at(self, pos: int) -> tuple[int, int, str] | None:
        """總署長 Roberto Viola, 副處長Mr. John Doe: a Latin name after a title, honorifics skipped."""
        pos += self.text[pos:pos + 1] in (" ", "\u00a0")
        honorific = rules().latin_honorific.match(self.text, pos)
        for start in ([honorific.end()] if honorific else []) + [pos]:
            m = LATIN_NAME.match(self.text, start)
            if m:
                return m.start(), m.end(), m.group()
        return None

    def _foreign_name_at(self, pos: int) -> str | None:
        """議長泰拉耶: a model PER span right after a title that reads as a transliteration."""
        for span in self.ner:
            if span.label == "PER" and span.start == pos and not self._title_starts_at(pos):
                name = self._trim_title(pos, span.end)
                if self._transliterated(name):
                    return name
        return None

    def _foreign_name_before(self, ts: int) -> str | None:
        """紐奧良市的肯崔市長: the same, written before the title."""
        for span in self.ner:
            if span.label == "PER" and span.end == ts and self._boundary_before(span.start) \
                    and not self._title_starts_at(span.start):
                name = self.text[span.start:ts]
                if self._transliterated(name):
                    return name
        return None

    def _transliterated(self, name: str) -> bool:
        """Three characters or more (two are too often words: 院長布達), one of them a transliteration's."""
        return 3 <= len(name) <= 8 and all(HAN.match(c) or c in "·‧.．-" for c in name) \
            and any(c in rules().transliteration_chars for c in name) and name[-1] not in rules().bad_final_chars

    def _title_hits(self) -> list[Hit]:
        return leftmost_longest(self.hits, "title")

    def _surname_title_given(self, hit: Hit, context) -> bool:
        """龔主委明鑫: surname, title, given name → 龔明鑫."""
        ts, te = hit.start, hit.end
        if ts < 1 or not self._is_surname_at(ts - 1) or not self._boundary_before(ts - 1):
            return False
        for n in (2, 1):
            given = self.text[te:te + n]
            if len(given) == n and _all_han(given) and not self.text.startswith(rules().not_given_names, te) \
                    and not rules().time_word.match(self.text, te) \
                    and self._name_ends(te + n) and self._ner_confirms(te, te + n):
                self._add(ts - 1, te + n, self.text[ts - 1] + given, hit, context)
                return True
        return False

    def _ner_confirms(self, start: int, end: int) -> bool:
        """With the model on, a split name must touch a PER span; without it, trust the rule."""
        if not self.ner:
            return True
        return any(s.label == "PER" and s.start < end and start < s.end for s in self.ner)

    def _from_known_holders(self) -> None:
        """A known holder under the name the article writes (赖清德 in a Simplified article; a Latin
        name where the Chinese one is absent); the canonical name becomes the alias."""
        for hit in self._known_persons + self._mixed_script_holders():
            if hit.entry.kind == "person":
                found = self._mention_holding(hit)
                if found:  # 處長 Mr. William Brent Christensen, 維特齊（Miloš Vystrčil）: already a person
                    if LATIN_NAME.fullmatch(found.name) and fold(hit.entry.name) in fold(self.text):
                        found.name, found.alias = hit.entry.name, found.name  # the Chinese form is given
                    found.alias = found.alias or hit.entry.name
                    continue
                name, alias = hit.entry.name, hit.surface
                if fold(name) not in fold(self.text):
                    name, alias = hit.surface, hit.entry.name
                self.mentions.append(Mention(hit.start, hit.end, name, country=hit.entry.country,
                                             alias=alias if alias != name else None))

    def _mixed_script_holders(self) -> list[Hit]:
        """Known holders written in mixed script (吴釗燮): matched on the Simplified form of the text,
        which keeps its length, so the offsets hold."""
        if not has_simplified(self.text):
            return []
        converted = to_simplified(self.text)
        if len(converted) != len(self.text) or converted == self.text:
            return []  # (unchanged: its holders are among the hits already)
        known = {(h.start, h.end) for h in self._known_persons}
        return [Hit(h.start, h.end, self.text[h.start:h.end], h.entry)
                for h in gazetteer().holder_hits(converted) if (h.start, h.end) not in known]

    def _mention_holding(self, hit: Hit) -> Mention | None:
        """The mention whose name or parenthesised Latin alias holds the hit, when it is not the
        hit's own name."""
        for m in self.mentions:
            if m.name == hit.entry.name:
                continue
            if m.start <= hit.start and hit.end <= m.end or (m.alias and hit.surface in m.alias
                                                             and m.end < hit.start <= m.end + len(m.alias) + 3):
                return m
        return None

    def _from_ner(self) -> None:
        for span in self.ner:
            if span.label != "PER" or self._covered(span.start, span.end):
                continue
            name = self._trim_title(span.start, self._first_title_at_or_after(span.start + 1, span.end))
            name = self._whole_list_item(span.start, name)
            if LATIN_NAME.fullmatch(name):
                self.mentions.append(Mention(span.start, span.start + len(name), name))
            elif self._valid_han_name(name) and not self._is_known_non_person(span.start, span.start + len(name)) \
                    and name[-1] not in rules().bad_final_chars:  # 查莫洛語 is a language
                end = span.start + len(name)
                rest = self.text[end:end + 4]
                title = next((t for t in rules().surname_titles if rest.startswith(t)), None)
                if len(name) == 1 and title:
                    self.backrefs.append(BackRef(span.start, end + len(title), name, title))
                elif len(name) >= 2:
                    self.mentions.append(Mention(span.start, end, name, title=title))

    def _from_transliterations(self) -> None:
        """柯拉克（Keith Krach）: a Han transliteration followed by the Latin name is a person,
        whatever title (if any) precedes it; the Han run is cut after the last title in it, or
        before a title that ends it (佛格團長（Johannes Vogel）)."""
        r = rules()
        for m in TRANSLITERATED.finditer(self.text):
            start, end, titled = self._transliteration_bounds(m)
            name = self.text[start:end]
            latin = r.latin_honorific.sub("", m.group(2), count=1).strip()
            latin_words = set(latin.split())
            if len(name) < 2 or any(w in latin_words for w in r.latin_org_words) \
                    or name.endswith(_org_suffixes()) or name[-1] in r.bad_final_chars:
                continue  # 塔塔電子（Tata Electronics）is a company
            if not (titled or " " in latin or re.search(r"[a-z][A-Z]", latin)):
                continue  # 福爾摩莎（Formosa）: one Latin word is a place or a thing, unless a title precedes
            looks_foreign = any(c in r.transliteration_chars for c in name) or self._is_surname_at(start) or titled
            longest = 12 if any(c in name for c in "·‧.．-") else 6
            if 2 <= len(name) <= longest and looks_foreign and not self._is_known_non_person(start, end) \
                    and self.text[start - 1:start] not in ("「", "『", "《"):
                self.mentions.append(Mention(start, end, name, alias=latin))

    def _transliteration_bounds(self, m: re.Match) -> tuple[int, int, bool]:
        """Where the name inside a Han run before a parenthesised Latin name begins and ends, and
        whether a title marks it."""
        r = rules()
        tail = [h.start for h in self._named if h.entry.kind == "title" and h.end == m.end(1) and h.start > m.start(1)]
        end = min(tail) if tail else m.end(1)
        start, titled = m.start(1), bool(tail)
        for hit in self._named:
            if m.start(1) <= hit.start < end \
                    and start < hit.end <= end:
                start, titled = hit.end, titled or hit.entry.kind == "title"
        # the model's PER span that ends with the name marks where a long run's name begins
        start = max([start] + [s.start for s in self.ner if s.label == "PER" and s.end == end
                               and m.start(1) <= s.start < end and self.text[s.start - 1] not in "·‧.．-"])
        # 訪問及龔薩福（…）: the name begins after the last word that cannot be inside one
        cut = max((i + 1 for i in range(start, end)
                   if self.text[i] in r.left_boundaries or self.text[i] in r.transliteration_left_cuts), default=start)
        cut = max([cut] + [i + len(w) for w in r.not_given_words for i in [self.text.rfind(w, start, end)] if i >= 0])
        if cut > start:
            start, titled = cut, bool(tail)
        end -= next((len(h) for h in r.han_honorific_suffixes if self.text.endswith(h, 0, end)), 0)
        return start, end, titled

    def _from_enumerations(self) -> None:
        """主席威爾許(左2)、雅琮貝克(右2); 議員 Sharon Stewart、Paul Young; 左起為甲、乙及丙: a list
        that begins with a person, or after a caption's 左起為, goes on with persons."""
        starts = [(m.end, True) for m in self.mentions]
        starts += [(m.end(), False) for m in rules().list_opener.finditer(self.text)]
        for pos, needs_separator in starts:
            while True:
                between = rules().between_items.match(self.text, pos)
                pos = between.end() if between else pos
                sep = rules().list_sep.match(self.text, pos)
                if needs_separator and not sep:
                    break
                pos, needs_separator = (sep.end() if sep else pos), True
                item = self._list_item_at(pos)
                if not item:
                    break
                if not self._covered(pos, pos + len(item)):
                    self.mentions.append(Mention(pos, pos + len(item), item))
                pos += len(item)

    def _list_item_at(self, pos: int) -> str | None:
        """A Latin name, a model PER span, or (rules only, or outside the model's sentences) a Chinese
        name; each must end where the list goes on or stops."""
        if pos >= len(self.text):
            return None
        latin = LATIN_NAME.match(self.text, pos)
        candidates = [latin.group()] if latin else []
        candidates += [self._trim_title(pos, s.end) for s in self.ner if s.label == "PER" and s.start == pos]
        candidates += [jp for jp in [self._japanese_name_at(pos)] if jp]
        if not self._ner_ran_near(pos):
            longest = 4 if self.text[pos:pos + 2] in rules().compound_surnames else 3  # 蔡蘇秋金; not 周邊國家
            candidates += [self.text[pos:pos + n] for n in range(longest, 1, -1)
                           if self._valid_han_name(self.text[pos:pos + n]) and self.text[pos + n - 1] not in rules().bad_final_chars]
        for name in candidates:
            end = pos + len(name)
            ends_item = re.match(r"\s*(?:[、，,。；;：:（()）]|$)", self.text[end:end + 2]) \
                or rules().list_sep.match(self.text, end) or rules().between_items.match(self.text, end) \
                or self.text.startswith(rules().list_enders, end)
            shaped = LATIN_NAME.fullmatch(name) or self._valid_han_name(name) or self._transliterated(name)
            if ends_item and shaped and not self._is_known_non_person(pos, end):
                return name
        return None

    def _whole_list_item(self, start: int, name: str) -> str:
        """副議長林志展及…, …、蔡蘇秋金、…: in a list the model sometimes stops a name early; the item
        runs to the next list separator when only one or two name characters are left before it."""
        if not (self.text[start - 1:start] == "、" or start in self._title_ends) or not HAN.match(name[0]):
            return name
        end = start + len(name)
        rest = rules().list_item_rest.match(self.text[end:end + 3])
        if rest and len(name) + len(rest.group()) <= 4 and not any(c in rules().name_ends for c in rest.group()) \
                and rest.group()[-1] not in rules().bad_final_chars \
                and (self.text[rest.end() + end] == "、" or self._is_surname_at(rest.end() + end + 1)) \
                and not self.text.startswith(rules().not_given_words, end) and not self._title_starts_at(end):
            return name + rest.group()
        return name

    def _ner_ran_near(self, pos: int) -> bool:
        """The model ran on the sentence around POS (it tagged something there)."""
        start = max(self.text.rfind(c, 0, pos) for c in "。！？!?\n")
        ends = [i for i in (self.text.find(c, pos) for c in "。！？!?\n") if i >= 0]
        end = min(ends) if ends else len(self.text)
        return any(start < s.start < end for s in self.ner)

    def _from_latin_in_parentheses(self) -> None:
        """高哲夫（Filip Grzegorzewski）: the Latin form is an alias of the Han name before it."""
        for m in self.mentions:
            p = PAREN_LATIN.match(self.text, m.end)
            if p and not m.alias:
                m.alias = p.group(1)

    # -- name shapes -----------------------------------------------------------------------
    def _first_title_at_or_after(self, start: int, end: int) -> int:
        """Where a title begins inside [start, end) (賴副總統 → 賴), else end."""
        i = bisect_left(self._sorted_title_starts, start)
        return self._sorted_title_starts[i] if i < len(self._sorted_title_starts) and self._sorted_title_starts[i] < end else end

    def _dotted_name_at(self, pos: int) -> str | None:
        """湯姆·普萊斯, 湯姆.普萊斯: a transliteration whose parts a name dot joins is one name, whole; its
        last part ends where a word that cannot be in a name begins (…普萊斯今日, …普萊斯表示)."""
        m = DOTTED_NAME.match(self.text, pos)
        if not m:
            return None
        end = m.end()
        last = m.start("last")
        for i in range(last + 1, end):
            if self.text[i] in rules().stoppers or self.text.startswith(rules().not_given_words, i):
                end = i
                break
        name = self.text[pos:end]
        return name if end - last >= 1 and self._transliterated(name) else None

    def _han_name_at(self, pos: int) -> str | None:
        jp = self._japanese_name_at(pos)
        for span in self.ner:
            if span.label == "PER" and span.start == pos and 2 <= span.end - pos <= 5:
                name = self._whole_list_item(pos, self._trim_title(pos, span.end))
                if jp and (self._japanese_surname_only(name) or jp.startswith(name)):
                    return jp  # LAC cuts some Japanese names short: 蒲島 | 郁夫, 鈴木憲 | 和
                if self._valid_han_name(name):
                    return name
        if pos in self._person_at:
            return self._person_at[pos].surface
        if jp:
            return jp
        if not self._is_surname_at(pos):
            return None
        start = 2 if self.text[pos:pos + 2] in rules().compound_surnames else 1
        chars = self.text[pos:pos + start + 2]
        if len(chars) < start + 1 or not _all_han(chars[: start + 1]):
            return None
        if self._stops_name(pos + start) or self._title_starts_at(pos + start):
            return None  # 蔡總統: a back-reference, not a name
        if len(chars) == start + 2 and HAN.match(chars[-1]) and chars[-1] not in rules().stoppers \
                and not self._title_starts_at(pos + start + 1):
            return chars
        return chars[: start + 1]

    def _stops_name(self, pos: int) -> bool:
        """明 stops a name only as a time word (林明天…); as a given name it is common (陳明德)."""
        ch = self.text[pos]
        return ch in rules().stoppers and not (ch in rules().time_or_given and not rules().time_word.match(self.text, pos))

    def _japanese_name_at(self, pos: int) -> str | None:
        for n in (3, 2, 1):  # 長谷川, 岸田, 泉 (a one-character one only if not also Chinese: 泉, 森)
            if n == 1 and self.text[pos:pos + 1] in rules().surnames:
                continue
            if self.text[pos:pos + n] in rules().japanese_surnames:
                end = pos + n
                # 和 and 明 begin or end Japanese given names (石村和彥, 明美, 鈴木憲和、), unlike 岸信夫和日本
                while end < len(self.text) and end - pos < n + 3 and HAN.match(self.text[end]) \
                        and (self.text[end] in rules().japanese_given_joiners and (end == pos + n or self._name_ends(end + 1))
                             or self.text[end] not in rules().stoppers
                             or self.text[end] in rules().japanese_given_finals and self._name_ends(end + 1)) \
                        and not self.text.startswith(rules().not_given_words, end) and not self._title_starts_at(end):
                    end += 1
                if end - pos > n:
                    return self.text[pos:end]
        return None

    def _japanese_surname_only(self, name: str) -> bool:
        return name in rules().japanese_surnames

    def _han_name_before(self, ts: int) -> str | None:
        for span in self.ner:
            if span.label == "PER" and span.start < ts <= span.end and ts - span.start >= 2:
                name = self.text[span.start:ts]
                if self._valid_han_name(name) and self._boundary_before(span.start) \
                        and self._first_title_at_or_after(span.start + 1, ts) == ts:  # not 蔡總統|代表
                    return name
        for n in (3, 2, 4):
            start = ts - n
            if start < 0:
                continue
            name = self.text[start:ts]
            japanese = name[:2] in rules().japanese_surnames or name[:3] in rules().japanese_surnames
            if _all_han(name) and self._boundary_before(start) \
                    and self._first_title_at_or_after(start + 1, ts) == ts and \
                    (japanese or (self._is_surname_at(start) and not any(c in rules().stoppers for c in name[1:])
                                  and (n < 4 or name[:2] in rules().compound_surnames))):  # not 周邊國家
                return name
        return None

    def _valid_han_name(self, name: str) -> bool:
        if not 2 <= len(name) <= 5 or not _all_han(name):
            return False
        r = rules()
        return name[0] in r.surnames or name[:2] in r.compound_surnames or name[:2] in r.japanese_surnames \
            or name[:3] in r.japanese_surnames

    def _trim_title(self, start: int, end: int) -> str:
        """The model's span from START to END without a title glued on (李姸慧副|主委 → 李姸慧; 卓院長 →
        卓); only a title the text really writes there counts (陳大立 is not cut before 立委)."""
        for i in range(start + 1, end):
            if self.text.startswith(rules().surname_titles, i) and not (self.text[i] in rules().deputy_prefixes and i - start < 2):
                return self.text[start:i]
            if i - start >= 2 and rules().time_word.match(self.text, i):  # 唐鳳今(7)日: the model glued on the time
                return self.text[start:i]
        return self.text[start:end]

    def _is_surname_at(self, pos: int) -> bool:
        return 0 <= pos < len(self.text) and (self.text[pos] in rules().surnames
                                             or self.text[pos:pos + 2] in rules().compound_surnames)

    def _title_starts_at(self, pos: int) -> bool:
        return pos in self._title_starts

    def _name_ends(self, pos: int) -> bool:
        return pos >= len(self.text) or not HAN.match(self.text[pos]) or self.text[pos] in rules().stoppers

    def _boundary_before(self, pos: int) -> bool:
        if pos == 0 or self.text[pos - 1] in rules().left_boundaries:
            return True
        return pos in self._ends_of_names

    def _affiliation_before(self, ts: int, te: int) -> Hit | None:
        """The organisation, place or country written right before a title (數位部長, 東京都知事,
        歐盟執委會…總署（DG CONNECT）總署長), skipping a parenthesis or a surname."""
        window_start = max(0, ts - 30)
        last_end = max(ts + 2, te)
        by_start = self._affiliations_by_start[bisect_left(self._affiliation_starts, window_start):
                                               bisect_left(self._affiliation_starts, te)]
        candidates = [h for h in by_start if h.end <= last_end]
        for hit in sorted(candidates, key=lambda h: (-h.end, h.start)):
            if self.text[hit.start - 1:hit.start] in rules().posted_markers:
                continue  # 土耳其駐台北代表: 台北 is where the office is, Turkey whose it is
            if any(p.start <= hit.start < p.end for p in self._known_persons):
                continue  # 韓國瑜院長: no country inside a name
            gap = self.text[hit.end:ts]
            if hit.end >= ts or AFFILIATION_GAP.fullmatch(gap) \
                    or rules().posted_gap.fullmatch(gap) \
                    or hit.entry.kind == "country" and self._unknown_body_name(hit.end, ts):
                return hit
        return None

    def _unknown_body_name(self, start: int, end: int) -> bool:
        """新加坡|城市發展|局長: between a country and a title, a body's name the gazetteer lacks: a few
        characters, no word that ends a name, no title inside."""
        gap = self.text[start:end]
        return 2 <= len(gap) <= 8 and all(HAN.match(c) and c not in rules().name_ends for c in gap) \
            and not any(start <= t < end for t in self._title_starts)

    # -- filters and merging ---------------------------------------------------------------
    def _add(self, start: int, end: int, name: str, title: Hit, context: Hit | None) -> None:
        if not self._plausible(start, end, name):
            return
        country = (context.entry.name if context.entry.kind == "country" else context.entry.country) if context else None
        country = None if country == "XX" else country
        if country == "TW" and context.entry.kind == "org":
            country = self._country_before(context.start) or country  # 立陶宛財政部次長: Lithuania's ministry
        affiliation = context.entry.name if context and context.entry.kind == "org" else None
        full_title = (context.surface if context and context.end <= title.start else "") + title.surface \
            if context and title.start - context.end <= 1 else title.surface
        self.mentions.append(Mention(start, end, name, full_title, affiliation, country))

    def _country_before(self, pos: int) -> str | None:
        """A foreign country written right before POS (立陶宛|財政部)."""
        for h in self.hits:
            if h.entry.kind == "country" and h.end == pos and h.entry.name not in ("TW", "XX") \
                    and self.text[h.start - 1:h.start] not in rules().posted_markers:
                return h.entry.name
        return None

    def _plausible(self, start: int, end: int, name: str) -> bool:
        """A rule-made Han name must overlap a PER span of the model when the model ran, or be a
        known holder; and must not end like a common noun (…會, …部)."""
        if LATIN_NAME.fullmatch(name):
            return True
        if name[-1] in rules().bad_final_chars:
            return False
        if start in self._person_starts:
            return True
        if self.ner and not any(s.label == "PER" and s.start < end and start < s.end for s in self.ner):
            return name[:2] in rules().japanese_surnames or name[:3] in rules().japanese_surnames \
                or self._model_straddles_title(start) or self._model_silent_on_whole_word(start, end)
        return True

    def _model_silent_on_whole_word(self, start: int, end: int) -> bool:
        """執行理事藍鶯、: the model tagged nothing there and a list comma or a parenthesis closes the
        name (not a clause's comma: 部長強調，), so nothing contradicts the rule."""
        return not any(s.start < end and start < s.end for s in self.ner) \
            and re.match(r"[、（(]", self.text[end:end + 1]) is not None

    def _model_straddles_title(self, start: int) -> bool:
        """理事長江定發 read as 理事 | 長江: a span across the title's end shows that the model cut the
        words wrongly there, so its silence on the name is no veto."""
        return any(s.start < start < s.end and s.label != "PER" for s in self.ner) \
            and start in self._title_ends

    def _covered(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.mentions)

    def _is_known_non_person(self, start: int, end: int) -> bool:
        i = bisect_right(self._non_person_starts, start)
        return i > 0 and self._non_person_reach[i - 1] >= end

    def _starts_with_place(self, m: Mention) -> bool:
        """高雄跟關島同為: a name that begins with a whole place or country name is a misread clause
        (not checked: a known holder such as 韓國瑜, a Japanese name)."""
        r = rules()
        if m.start in self._person_starts \
                or m.name[:2] in r.japanese_surnames or m.name[:3] in r.japanese_surnames:
            return False  # many Japanese surnames are place names too (福島, 山口)
        return any(end < m.end for end in self._place_ends_at.get(m.start, ()))

    def _ends_with_credit(self, before: str) -> bool:
        for n in self._credit_end_lengths:  # a loop: cheaper than any() over a generator here
            if before[-n:] in self._credit_ends:
                return True
        return False

    def _excluded(self, m: Mention) -> bool:
        r = rules()
        before = self.text[max(0, m.start - 6):m.start]
        after = self.text[m.end:m.end + 3]
        if self._ends_with_credit(before) or self._starts_with_place(m) \
                or self._credit_list.search(self.text, max(0, m.start - 20), m.start):
            return True
        if r.credits_after.match(after) and any(w in self.text[max(0, m.start - 12):m.start] for w in r.reporter_words):
            return True
        quoted = before.endswith(("「", "『", "“"))
        if (quoted or before.endswith(r.animal_markers)) and any(a in before for a in r.animal_markers):
            return True
        return self._is_known_non_person(m.start, m.end)

    def _merge(self) -> list[Person]:
        persons: dict[str, Person] = {}
        for m in sorted(self.mentions, key=lambda m: (-len(m.name), m.start)):
            key = self._canonical(m.name, persons)
            p = persons.get(key)
            if p is None:  # (setdefault would build a Person for every mention)
                p = persons[key] = Person(name=key)
            if Span(m.start, m.end) not in p.spans:
                p.spans.append(Span(m.start, m.end))
            p.title = p.title or m.title
            p.affiliation = p.affiliation or m.affiliation
            p.country = p.country or m.country
            for alias in (m.alias, m.name if m.name != key else None):
                if alias and alias not in p.aliases:
                    p.aliases.append(alias)
        for ref in self.backrefs:
            target = self._resolve_backref(ref, persons)
            if target and Span(ref.start, ref.end) not in persons[target].spans:
                persons[target].spans.append(Span(ref.start, ref.end))
        for p in persons.values():
            p.spans.sort(key=lambda s: s.start)
            p.country = p.country or self._country_nearby(p) or self._default_country(p)
        for p in sorted(persons.values(), key=lambda p: p.spans[0].start):
            if p.country is None and self._foreign_looking(p):
                p.country = self._country_earlier_in_sentence(p, persons.values())
        return sorted(persons.values(), key=lambda p: p.spans[0].start)

    def _country_earlier_in_sentence(self, p: Person, persons) -> str | None:
        """美方由助卿康達率領，包括副助卿道森、…: a foreign name in a long sentence takes the country of the
        nearest foreign person or body named before it in that sentence."""
        first = p.spans[0].start
        start = max(self.text.rfind(c, 0, first) for c in "。！？!?\n")
        found = [(s.end, q.country) for q in persons if q.country not in (None, "TW", "XX", "CN")
                 for s in q.spans if start < s.start and s.end <= first]
        found += [(h.end, h.entry.name if h.entry.kind == "country" else h.entry.country) for h in self.hits
                  if h.entry.kind in ("country", "org") and start < h.start and h.end <= first
                  and (h.entry.name if h.entry.kind == "country" else h.entry.country) not in (None, "TW", "XX", "CN")
                  and self.text[h.start - 1:h.start] not in rules().not_a_side_before]
        return max(found)[1] if found else None

    @staticmethod
    def _canonical(name: str, persons: dict[str, Person]) -> str:
        """A shorter form of a longer name already found (小池 → 小池百合子) is the same person."""
        for key, person in persons.items():
            if len(name) >= 2 and key.startswith(name) and len(key) > len(name) and HAN.match(name[0]):
                return key
            if name in person.aliases:
                return key
        return name

    def _resolve_backref(self, ref: BackRef, persons: dict[str, Person]) -> str | None:
        same = [p for p in persons.values() if p.name.startswith(ref.surname) and len(p.name) >= 2]
        titled = [p for p in same if p.title and ref.title in p.title]
        if titled or len(same) == 1:
            return (titled or same)[0].name
        holder = self._office_holder(ref)
        if holder and self._is_simplified():
            holder = to_simplified(holder)
        if holder:
            persons.setdefault(holder, Person(name=holder, title=ref.title, country="TW"))
            return holder
        return None

    def _is_simplified(self) -> bool:
        """is_simplified(text), converted once per document (OpenCC over the whole text, twice)."""
        if self._simplified is None:
            self._simplified = is_simplified(self.text)
        return self._simplified

    def _office_holder(self, ref: BackRef) -> str | None:
        """The holder of the office the title names on the article's date (赖副总统 as 賴副總統)."""
        if self.published is None:
            return None
        day = self.published.isoformat()
        title, surname = to_simplified(ref.title), to_simplified(ref.surname)
        for office, bare_title, holders in _offices_in_simplified():
            if not office.endswith(title) and bare_title != title:
                continue
            for name, simple_name, start, end in holders:
                if simple_name.startswith(surname) and start <= day <= end + "-99":
                    return name
        return None

    @staticmethod
    def _foreign_looking(p: Person) -> bool:
        """A transliteration, a name in Latin letters or with a Latin form, or a Japanese name."""
        r = rules()
        return bool(LATIN_NAME.fullmatch(p.name) or any(LATIN_WORDS.fullmatch(a) for a in p.aliases)
                    or sum(c in r.transliteration_chars for c in p.name) >= 2
                    or p.name[0] not in r.surnames and any(p.name[:n] in r.japanese_surnames for n in (1, 2, 3)))

    def _country_nearby(self, p: Person) -> str | None:
        """A foreign-looking name (a transliteration, or a name in Latin letters) takes the foreign
        country, body or place written just before its first mention (印度總理莫迪, 美國國務院…次卿柯拉克)."""
        if not self._foreign_looking(p):
            return None
        first = p.spans[0].start
        window = max([first - 30] + [self.text.rfind(c, 0, first) for c in "。！？!?\n"])  # this sentence only
        code = lambda h: h.entry.name if h.entry.kind == "country" else h.entry.country  # noqa: E731
        # not where an office is (駐台北) nor a topic (對中國關係); CN is left out as with countries: in
        # Taiwan's foreign-cooperation news a nearby 中國/山東 is a topic or a misread name, not a side
        near = [h for h in self.hits
                if h.entry.kind in ("country", "org", "place") and window <= h.start and h.end <= first
                and code(h) not in (None, "TW", "XX", "CN") and self.text[h.start - 1:h.start] not in rules().not_a_side_before]
        return code(max(near, key=lambda h: h.end)) if near else None

    @staticmethod
    def _default_country(p: Person) -> str | None:
        """Without context: a Chinese-shaped name is Taiwanese, unless its Latin form is not a
        romanised Chinese name (顧杉明 (Sam Grover) is American, 林佳龍 (Lin Chia-lung) is not)."""
        latin = [a for a in p.aliases if LATIN_WORDS.fullmatch(a)]
        if latin and not any(ROMANISED_CHINESE.search(a) for a in latin):
            return None
        if LATIN_NAME.fullmatch(p.name):
            return None
        r = rules()
        if p.name[:2] in r.japanese_surnames or p.name[:3] in r.japanese_surnames \
                or p.name[0] not in r.surnames and p.name[:1] in r.japanese_surnames:
            # 岸田文雄; 岸信夫 (a surname that is not also Chinese); 林芳 may be either
            return "JP" if len(p.name) >= 4 or p.name[0] not in r.surnames and len(p.name) == 3 else None
        return "TW" if p.name[0] in rules().surnames and len(p.name) <= 3 else None


@cache
def _offices_in_simplified() -> list[tuple[str, str, list[tuple[str, str, str, str]]]]:
    """The offices and their holders, with Simplified keys so that both scripts compare."""
    return [(to_simplified(str(o.get("office", ""))), to_simplified(str(o.get("title"))),
             [(h.get("name", ""), to_simplified(h.get("name", "")), str(h.get("from") or ""), str(h.get("to") or "9999"))
              for h in o.get("holders") or []])
            for o in gazetteer().offices]


def find_persons(text: str, hits: list[Hit], ner: list[NerSpan], published: dt.date | None) -> list[Person]:
    return PersonFinder(text, hits, ner, published).run()


def find_caption_persons(captions: list[str], known: list[Person], published: dt.date | None) -> list[Person]:
    """Persons named only in photo captions kept apart from the clean text (they count; the credits
    in them do not). They carry no span: a caption is not part of the clean text."""
    from .ner import tag  # noqa: PLC0415 (the model layer loads lazily)

    text = "\n".join(captions)
    if not text.strip():
        return []
    seen = {fold(n) for p in known for n in [p.name, *p.aliases]}
    found = PersonFinder(text, gazetteer().hits(text), tag(text), published).run()
    new = [p for p in found if fold(p.name) not in seen and not any(fold(a) in seen for a in p.aliases)]
    for p in new:
        p.spans = []
    return new
