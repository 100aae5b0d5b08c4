"""Paragraph repair shared by the readers."""
from __future__ import annotations

import re
import unicodedata

_ENDS_MID_SENTENCE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]$")
_STARTS_AS_CONTINUATION = re.compile(r"^[\u3400-\u9fff，、；。）」]")
MIN_BROKEN_LEN = 30
HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
ENDS_WITH_URL = re.compile(r"https?://\S+$|www\.\S+$")
SENTENCE_MARK = re.compile(r"[。！？]")
SENTENCE_END = re.compile(r"[。！？」』”]$")


def repair_breaks(paragraphs: list[str]) -> list[str]:
    """Rejoin a paragraph cut in two by a page break (PDF or print conversions leave
    `…積極強` / `化數位基礎建設…`): a long paragraph that stops mid-sentence is continued
    by the next one when that one starts with a Han character or closing punctuation."""
    out: list[str] = []
    for para in paragraphs:
        if out and len(out[-1]) >= MIN_BROKEN_LEN and not ENDS_WITH_URL.search(out[-1]) and _ENDS_MID_SENTENCE.search(out[-1]) \
                and _STARTS_AS_CONTINUATION.match(para) and re.search("[，,；]", out[-1]):
            out[-1] += para
        else:
            out.append(para)
    return out


# A hard-wrapped paragraph: lines cut at a fixed width (print, e-mail, PDF copy). Display width
# counts a CJK character as two columns, so mixed Chinese/Latin lines still line up.
WRAP_MIN_LINES = 3  # a paragraph this long shows the document's wrap width
WRAP_MAX_WIDTH = 100  # wider lines are not a print wrap
WRAP_SHARE = 0.8  # every line but the last fills at least this share of the wrap width
MARKUP_LINE = re.compile(r"^\s*(?:[|#>]|[-*+]\s|\d+[.)]\s)")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def join_hard_wraps(lines: list[str]) -> list[str]:
    """When the document is hard-wrapped, each run of consecutive non-empty lines that is one
    wrapped paragraph becomes one line; other lines (blank ones included) stay as they are."""
    runs = _runs(lines)
    width = _wrap_width([r for r in runs if len(r) >= WRAP_MIN_LINES])
    if width is None:
        return lines
    out: list[str] = []
    for run in runs:
        out.extend([_join(run)] if len(run) > 1 and _fills(run, width) else run)
    return out


def _runs(lines: list[str]) -> list[list[str]]:
    """Consecutive non-empty lines grouped; each blank line is a run of its own."""
    runs: list[list[str]] = []
    for line in lines:
        if line.strip() and runs and runs[-1][-1].strip():
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _wrap_width(runs: list[list[str]]) -> int | None:
    """The widest line of the paragraphs that look wrapped at one width, if any do."""
    widths = [max(display_width(s.strip()) for s in run) for run in runs if _fills(run, None)]
    return max(widths) if widths else None


def _fills(run: list[str], width: int | None) -> bool:
    """Every line but the last fills the wrap width, and the run holds sentences, not markup or
    a stack of headlines."""
    if any(MARKUP_LINE.match(s) for s in run) or not any(SENTENCE_MARK.search(s) for s in run):
        return False
    widths = [display_width(s.strip()) for s in run]
    widest = width or max(widths)
    if max(widths) > min(WRAP_MAX_WIDTH, widest + 4) or not any(HAN_CHAR.search(s) for s in run):
        return False
    if not all(w >= WRAP_SHARE * widest for w in widths[:-1]):
        return False
    # A wrap cuts sentences anywhere; one paragraph per line ends each line with a full stop.
    cut = sum(not SENTENCE_END.search(s.strip()) for s in run[:-1])
    return cut * 2 >= len(run) - 1


def _join(run: list[str]) -> str:
    """Lines joined without a space, except between two Latin words."""
    text = run[0].strip()
    for line in (s.strip() for s in run[1:]):
        text += " " + line if re.search(r"[A-Za-z0-9,.;:]$", text) and re.match(r"[A-Za-z0-9(]", line) else line
    return text
