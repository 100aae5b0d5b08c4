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

from .chrome import rules

SENTENCE_END = re.compile(r"[。！？!?」』”）)]$|[。！？]")
CLAUSE_MARKS = re.compile(r"[，,、；;：:。！？]")
HAN = re.compile(r"[\u3400-\u9fff]")
MAX_GAP = 3  # short non-prose lines tolerated inside the article


@dataclass
class Layout:
    title: str | None
    header: list[str] = field(default_factory=list)  # lines before the article (title, date, menus)
    body: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)  # lines after the article


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
    stripped = [ln.strip() for ln in lines]
    run = _main_run(stripped)
    if run is None:
        return Layout(title=_title(stripped, len(stripped)), header=[s for s in stripped if s])
    start, end = run
    counts = Counter(s for s in stripped if s)
    title = _title(stripped, start)
    body = []
    for s in stripped[start : end + 1]:
        if not s or r.is_chrome(s) or r.label(s) or s == title:
            continue
        if counts[s] > 1 and not is_prose(s):
            continue  # a headline or menu line repeated elsewhere on the page
        body.append(s)
    return Layout(
        title=title,
        header=[s for s in stripped[:start] if s],
        body=body,
        rest=[s for s in stripped[end + 1 :] if s],
    )


def _main_run(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) line index of the run of prose lines with the most characters."""
    r = rules()
    best, best_size = None, 0
    start = last = None
    size = gap = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if is_prose(line) and not r.is_chrome(line):
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


def _title(lines: list[str], body_start: int) -> str | None:
    """The longest heading-like line before the article that is not chrome or a date line."""
    r = rules()
    candidates = []
    for i, line in enumerate(lines[:body_start]):
        if not line or r.is_chrome(line) or r.label(line) or r.is_generic_heading(line):
            continue
        if not looks_like_heading(line) or _mostly_date(line):
            continue
        candidates.append((len(line), -i, line))
    return max(candidates)[2] if candidates else None


def _mostly_date(line: str) -> bool:
    digits = sum(ch.isdigit() for ch in line)
    return digits >= max(4, len(line) // 3)
