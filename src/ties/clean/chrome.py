"""Recognising page chrome and document furniture line by line, from data/page_chrome.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..errors import TiesError
from ..knowledge import alternation, load

_LEADING_BULLETS = re.compile(r"[\s•·●○◎■□▪▶►▲▼◆◇★☆>»›\-–—*#|｜▌▍▎▐┃︱【〔［\[〈《「]+")
_TRAILING_MARKS = re.compile(r"[\s:：>»›|｜★☆】〕］\]〉》」]+")  # matched on the reversed line
_LABEL = re.compile(r"^\s*(?P<label>[^:：\s][^:：]{0,11}?)\s*[:：]\s*(?P<value>.*)$")
URL = re.compile(r"https?://[^\s<>\"'）)\]]+")
_WORD = re.compile(r"[^\W_]")
_SENTENCE = re.compile(r"^.{6,}[，,].+。$")  # clauses closed by a full stop
_LINK_TARGETS = re.compile(r"\]\([^)]*\)|https?://\S+|javascript:\S+")


BYLINE_MAX_LEN = 30
MIN_CAPTION_LEN = 8
CAPTION_MAX_LEN = 120
HAN_CHAR = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class CaptionShapes:
    """Regexes for photo captions and their credits, built from page_chrome.yaml's words."""

    starts: tuple[str, ...]  # ▲…, 圖／…
    end: re.Pattern  # …（外交部提供）
    bare_end: re.Pattern  # …。圖/某某, …。某某攝, …。中央社記者某某攝 113年5月16日
    lead: re.Pattern  # a marker or bracketed credit opening the caption
    tail: re.Pattern  # …（圖／取自某網站）
    credit: re.Pattern  # where a credit starts inside a caption
    only_credit: re.Pattern  # 某某市政府提供


def caption_shapes(data: dict) -> CaptionShapes:
    photo = _alternatives(data, "photo_words")
    verb = _alternatives(data, "credit_verbs")
    staff = _alternatives(data, "photographer_words")
    date = f"(?:[\\d/.\\-]|{_words(data, 'credit_date_characters')}){{2,14}}"  # after a photographer's name
    return CaptionShapes(
        starts=tuple(data.get("caption_starts", [])),
        end=re.compile(f"[（(](?:{photo})?[^（）()]{{0,20}}(?:{verb})[）)]\\s*$"),
        bare_end=re.compile(f"(?<=[。！」）)])\\s*(?:(?:{photo})\\s*[／/:：][^，,。；;：:]{{1,20}}"
                            f"|[^，,。；;：:\\s]{{2,12}}(?:{verb})"
                            f"|(?:{staff})\\S{{2,12}}?(?:{verb})\\s*(?:{date})?)\\s*$"),
        lead=re.compile(f"^(?:[▲▼△]|[（(](?:{photo})[^（）()]{{0,24}}[）)]|(?:{photo})\\s*[／/:：])\\s*"),
        tail=re.compile(f"[（(](?:{photo})\\s*[／/:：][^（）()]{{0,30}}[）)]\\s*$"),
        credit=re.compile(f"[（(][^（）()]{{0,20}}(?:{verb})[^（）()]{{0,6}}[）)]|(?:{staff})\\S{{2,12}}?(?:{verb})"
                          f"|(?:{photo})\\s*[:：／/]"),
        only_credit=re.compile(f"^[^，,。]{{0,20}}(?:{verb})$"),
    )


def bare(line: str) -> str:
    """The line without its leading bullets and its trailing marks. The trailing run is matched
    at the start of the reversed line: a `…+$` pattern would be tried at every position."""
    text = line.strip()
    lead = _LEADING_BULLETS.match(text)
    start = lead.end() if lead else 0
    trail = _TRAILING_MARKS.match(text[::-1])
    end = len(text) - trail.end() if trail else len(text)
    return text[start:max(start, end)]


def _key(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class ChromeRules:
    stop_headings: frozenset[str]
    stop_frame: re.Pattern  # 更多某某報導: a heading built around an outlet's name
    chrome_phrases: re.Pattern  # found anywhere in a short line
    chrome_phrase_max_len: int
    footer_phrases: re.Pattern
    metadata_labels: frozenset[str]
    publication_date_labels: tuple[str, ...]
    contact_labels: frozenset[str]
    source_url_labels: frozenset[str]
    generic_headings: tuple[str, ...]
    site_name_hints: tuple[str, ...]
    notice_phrases: re.Pattern
    notice_max_len: int
    chrome_line: re.Pattern  # a line made only of these words, repeated or not (廣告 廣告)
    counter: re.Pattern  # a view counter: 人氣: 129, 瀏覽次數 1,024
    credit: re.Pattern  # a photo credit closing a line: …大使館。Photo Credit:某某 提供
    byline: re.Pattern  # 記者某某／台北報導, 即時中心／某某報導: never a headline
    glued_site_name_end: re.Pattern  # 經濟部 in `標題-經濟部`
    captions: CaptionShapes

    def bare(self, line: str) -> str:
        """The line without list bullets, arrows and trailing colons."""
        return bare(line)

    def is_stop_heading(self, line: str) -> bool:
        key = _key(self.bare(line)).lower()
        return key in self.stop_headings or bool(self.stop_frame.fullmatch(key))

    def is_chrome(self, line: str) -> bool:
        text = line.strip()
        if not text:
            return False
        if self.is_stop_heading(text):
            return True
        visible = _LINK_TARGETS.sub("", text)  # a link's target is not its visible length
        compact = _key(visible)
        if visible != text and compact != _key(text) and not _WORD.search(compact):
            return True  # a bare link: (http://www.example.com)
        if "。" not in compact and self.footer_phrases.search(compact):
            return True
        if self.chrome_line.fullmatch(bare(compact).lower()) or self.counter.fullmatch(compact):
            return True
        if len(compact) <= self.notice_max_len and self.notice_phrases.search(compact):
            return True  # browser, cookie and comment-policy notices, even when they read as sentences
        if len(compact) > self.chrome_phrase_max_len or _SENTENCE.search(compact):
            return False  # a sentence may name a share button or an app
        return bool(self.chrome_phrases.search(compact))

    def is_byline(self, line: str) -> bool:
        compact = _key(line)
        return len(compact) <= BYLINE_MAX_LEN and bool(self.byline.search(compact))

    def without_credit(self, line: str) -> str:
        """The line without a photo credit at its end; empty when the line is only a credit."""
        if ":" not in line and "：" not in line:  # every credit has its colon: most lines need no search
            return line
        m = self.credit.search(line)
        return line[: m.start()].rstrip() if m else line

    def label(self, line: str) -> tuple[str, str] | None:
        """(label, value) when the line is a known `label: value` metadata line."""
        m = _LABEL.match(line)
        if m and _key(m["label"]) in self.metadata_labels:
            return _key(m["label"]), m["value"].strip()
        return None

    def is_generic_heading(self, line: str) -> bool:
        compact = _key(self.bare(line)).lower()
        return any(compact.endswith(g) for g in self.generic_headings)

    def is_caption(self, line: str) -> bool:
        """A photo caption standing as its own line: ▲…, 圖／…, or a short line ending in a
        photo credit (…（外交部提供）)."""
        text, c = line.strip(), self.captions
        if text.startswith(c.starts):
            return True
        return len(text) < CAPTION_MAX_LEN and bool(c.end.search(text) or c.bare_end.search(text))

    def caption_text(self, line: str) -> str:
        """What a caption line says about the photo, without its marker and its credit
        (…（外交部提供）, 圖／某某): credits name no actor. Empty when nothing else is left."""
        c = self.captions
        text = c.lead.sub("", self.without_credit(line.strip()))
        credit = c.credit.search(text)
        if credit and credit.start() > 0:
            text = text[: credit.start()]  # what follows a credit is credit too (name, place, date)
        text = c.tail.sub("", c.bare_end.sub("", c.end.sub("", text))).strip()
        if len(text) < MIN_CAPTION_LEN or c.only_credit.match(text) or not HAN_CHAR.search(text):
            return ""
        return text

    def site_name_like(self, part: str) -> bool:
        return any(h in part for h in self.site_name_hints)


@cache
def rules() -> ChromeRules:
    data = load("page_chrome")
    for key, value in data.items():
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise TiesError(f"knowledge file page_chrome.yaml: every item of {key} must be a string (quote items ending in ':')")
    lower = lambda items: frozenset(_key(i).lower() for i in items)  # noqa: E731
    return ChromeRules(
        stop_headings=lower(data.get("stop_headings", [])),
        stop_frame=re.compile("|".join(_frame(f) for f in data.get("stop_heading_frames", [])) or "(?!)"),
        chrome_phrases=_any_of(_key(p) for p in data.get("chrome_phrases", [])),
        chrome_phrase_max_len=int(data.get("chrome_phrase_max_len", 40)),
        footer_phrases=_any_of(_key(p) for p in data.get("footer_phrases", [])),
        metadata_labels=frozenset(_key(i) for i in data.get("metadata_labels", [])),
        publication_date_labels=tuple(_key(i) for i in data.get("publication_date_labels", [])),
        contact_labels=frozenset(_key(i) for i in data.get("contact_labels", [])),
        source_url_labels=frozenset(_key(i) for i in data.get("source_url_labels", [])),
        generic_headings=tuple(_key(g).lower() for g in data.get("generic_headings", [])),
        site_name_hints=tuple(data.get("site_name_hints", [])),
        notice_phrases=_any_of(_key(p) for p in data.get("notice_phrases", [])),
        notice_max_len=int(data.get("notice_max_len", 200)),
        chrome_line=re.compile(f"(?:{_alternatives(data, 'chrome_lines', lower=True)})+"),
        counter=re.compile(f"(?:{_alternatives(data, 'counter_labels')})[:：]?\\d[\\d,.]*"
                           f"(?:{_words(data, 'counter_units')})?", re.I),
        byline=re.compile(f"^[〔【(（]?(?:{_alternatives(data, 'byline_starts')})[^，,。]{{0,16}}"
                          f"(?:[／/∕]|(?:{_alternatives(data, 'byline_endings')})[〕】)）]?$)|"
                          f"[／/∕].{{0,20}}(?:{_alternatives(data, 'byline_endings')})[〕】)）]?$"),
        # a credit's colon is what without_credit looks for before searching
        credit=re.compile(f"(?:{_alternatives(data, 'credit_markers')})\\s*[:：].{{0,40}}$", re.I),
        captions=caption_shapes(data),
        glued_site_name_end=re.compile(f"(?:{_words(data, 'glued_site_name_endings')})$"),
    )


def _any_of(phrases) -> re.Pattern:
    """A pattern found in a line that contains any of the phrases (one regex scan is far faster
    than a substring test per phrase); none matches no line."""
    return re.compile("|".join(map(re.escape, phrases)) or "(?!)")


def _words(data: dict, key: str) -> str:
    return alternation(data.get(key, []), f"page_chrome.yaml {key}")


def _frame(frame: str) -> str:
    """`更多 * 報導` → a regex where * stands for a short name (an outlet, a topic)."""
    return r"[^，,。、：:！!？?]{1,10}".join(re.escape(_key(part).lower()) for part in frame.split("*"))


def _alternatives(data: dict, key: str, lower: bool = False) -> str:
    """A regex alternation of the file's words for KEY (a space in a word matches any spacing);
    an empty list is an error, since an empty alternation would match every line."""
    words = [" ".join(str(w).split()) for w in data.get(key, [])]
    words = [w.lower() if lower else w for w in words if w]
    if not words:
        raise TiesError(f"knowledge file page_chrome.yaml: {key} must list at least one item")
    return "|".join(re.escape(w).replace("\\ ", r"\s*") for w in sorted(words, key=len, reverse=True))
