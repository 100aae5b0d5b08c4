"""The main text of a scraped page or a plain report, found from the shape of its lines.

No library handles text that was scraped with its menus, share bars, lists of other headlines
and footers. Article prose has traits chrome lacks: long lines with sentence punctuation.
We find the largest run of such lines, allowing a few short lines (subheadings, captions)
between them but never a "related stories" heading, and keep the run minus chrome lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from ..dates import DATE_LINE_MAX_CHARS, find_full_dates
from .chrome import rules

SENTENCE_END = re.compile(r"[。！？!?」』”）)]$|[。！？]")
CLAUSE_MARKS = re.compile(r"[，,、；;：:。！？]")
HAN = re.compile(r"[\u3400-\u9fff]")
MAX_TIMESTAMP_LEN = 30
MAX_GAP = 3  # short non-prose lines tolerated inside the article


@dataclass
class Layout:
    title: str | None
    header: list[str] = field(default_factory=list)  # lines before the article (title, date, menus)
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # photo captions, credits removed


def is_prose(line: str) -> bool:
    """A line that reads as article sentences rather than a menu item or a headline."""
    text = line.strip()
    if len(text) < 12 or not HAN.search(text):
        return False
    marks = len(CLAUSE_MARKS.findall(text))
    if "。" in text or "！" in text or "？" in text:
        return marks >= 1 and len(text) >= 12
    return len(text) >= 40 and marks >= 2


def looks_like_heading(line: str) -> bool:
    text = line.strip()
    return 4 <= len(text) <= 90 and not text.endswith(("。", "，", ",", "、")) and bool(HAN.search(text))


def split_layout(lines: list[str]) -> Layout:
    r = rules()
    is_chrome = cache(r.is_chrome)  # each line judged once, however many passes ask
    stripped = [ln.strip() for ln in lines]
    run = _main_run(stripped, is_chrome)
    if run is None:
        return Layout(title=_title(stripped, len(stripped), is_chrome), header=[s for s in stripped if s])
    start, end = run
    counts = Counter(s for s in stripped if s)
    title = _title(stripped, start, is_chrome)
    body, furniture = [], []
    for s in stripped[start : end + 1]:
        s = r.without_credit(s)
        if not s or s == title or is_chrome(s) or r.label(s) or r.is_caption(s):
            continue
        if counts[s] > 1 and not is_prose(s):
            continue  # a headline or menu line repeated elsewhere on the page
        (furniture if is_furniture(s) else body).append(s)
    return Layout(
        title=title,
        header=[s for s in stripped[:start] if s] + furniture,
        body=body,
        captions=captions_of(stripped[: end + 1]),
    )


def is_furniture(line: str) -> bool:
    """A byline or a timestamp line inside the article: metadata, not text (kept with the
    header, where the publication date is looked for)."""
    if rules().is_byline(line):
        return True
    return len(line) <= MAX_TIMESTAMP_LEN and _mostly_date(line) and bool(find_full_dates(line))


def captions_of(lines: list[str]) -> list[str]:
    """The text of the photo captions among the lines, each once."""
    r = rules()
    found = [r.caption_text(s) for s in lines if s and r.is_caption(s)]
    return list(dict.fromkeys(c for c in found if c))


def _main_run(lines: list[str], is_chrome) -> tuple[int, int] | None:
    """(first, last) line index of the run of prose lines with the most characters."""
    r = rules()
    best, best_size = None, 0
    start = last = None
    size = gap = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if is_prose(line) and not is_chrome(line):
            if start is None:
                start, size = i, 0
            last, gap = i, 0
            size += len(line)
            continue
        if start is None:
            continue
        gap += 1
        if r.is_stop_heading(line) or gap > MAX_GAP:
            if size > best_size:
                best, best_size = (start, last), size
            start, size, gap = None, 0, 0
    if start is not None and size > best_size:
        best = (start, last)
    return best


MENU_SEPARATORS = re.compile(r"[｜|•·>»/／]|\u3000|\s{2,}")
DATE_BONUS, REPEAT_BONUS, FIRST_BONUS = 25, 10, 5
MENU_MIN_WORDS, MENU_WORD_LEN = 5, 3  # five or more words of three characters or fewer on average


def _title(lines: list[str], body_start: int, is_chrome) -> str | None:
    """The best headline-like line before the article: long, in Chinese, not a menu or a site
    name, preferably right above a date line or repeated further down the page."""
    r = rules()
    counts = Counter(line for line in lines if line)
    best, best_score = None, 0.0
    first = True
    for i, line in enumerate(lines[:body_start]):
        if not line or not looks_like_heading(line) or _mostly_date(line) or _menu_like(line):
            continue  # the cheap tests first
        if is_chrome(line) or r.label(line) or r.is_generic_heading(line) or r.is_byline(line):
            continue
        score = len(HAN.findall(line)) + 0.3 * len(re.findall(r"[A-Za-z0-9]", line))
        score += DATE_BONUS if _date_follows(lines, i) else 0
        score += REPEAT_BONUS if counts[line] > 1 else 0
        score += FIRST_BONUS if first else 0
        score -= 20 if r.site_name_like(line) and len(line) <= 24 else 0
        first = False
        if score > best_score:
            best, best_score = line, score
    return best


def _menu_like(line: str) -> bool:
    """Three or more parts split by bars, bullets, arrows, full-width or double spaces; or many
    short words split by single spaces (即時 熱門 政治 社會 …), which a headline never is."""
    if len([p for p in MENU_SEPARATORS.split(line) if p.strip()]) >= 3:
        return True
    words = line.split()
    return len(words) >= MENU_MIN_WORDS and sum(map(len, words)) <= MENU_WORD_LEN * len(words)


def _date_follows(lines: list[str], i: int) -> bool:
    following = [ln for ln in lines[i + 1 : i + 6] if ln][:2]
    return any(_mostly_date(ln) or (len(ln) <= DATE_LINE_MAX_CHARS and find_full_dates(ln)) for ln in following)


def _mostly_date(line: str) -> bool:
    digits = sum(map(str.isdigit, line))
    return digits >= max(4, len(line) // 3)
