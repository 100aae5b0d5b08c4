"""Paragraph repair shared by the readers."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
        if out and _broken(out[-1]) and _STARTS_AS_CONTINUATION.match(para):
            out[-1] += para
        else:
            out.append(para)
    return out


def _broken(para: str) -> bool:
    """A long paragraph with clauses that stops mid-sentence (and not on a URL)."""
    return (len(para) >= MIN_BROKEN_LEN and bool(_ENDS_MID_SENTENCE.search(para))
            and not ENDS_WITH_URL.search(para) and bool(re.search("[，,；]", para)))


# A hard-wrapped paragraph: lines cut at a fixed width (print, e-mail, PDF copy). Display width
# counts a CJK character as two columns, so mixed Chinese/Latin lines still line up.
WRAP_MIN_LINES = 3  # at least this many cut lines show that the document is wrapped
WRAP_MAX_WIDTH = 100  # wider lines are not a print wrap
WRAP_SHARE = 0.85  # a line this full of the wrap width is continued by the next line
WRAP_SLACK = 4  # columns a wrapped line may overshoot the width (a Latin word, a bracket)
MARKUP_LINE = re.compile(r"^\s*(?:[|#>]|[-*+]\s|\d+[.)]\s)")
CLAUSE_MARK = re.compile(r"[，,、；;。]")


def display_width(text: str) -> int:
    return len(text) + sum(map(_is_wide, text))


@lru_cache(maxsize=1 << 16)  # a character's width never changes: each is looked up once
def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def join_hard_wraps(lines: list[str]) -> list[str]:
    """When the document is hard-wrapped, each wrapped paragraph becomes one line; other lines
    (blank ones included) stay as they are. A paragraph ends at a blank line or at a line
    shorter than the wrap width."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    chunk: list[str] = []
    for line in lines + [""]:
        if line.strip() and not _wrappable(line, width):
            _flush(chunk, out)
            out.append(line)
            continue
        if line.strip():
            chunk.append(line)
            if display_width(line.strip()) >= WRAP_SHARE * width:
                continue  # a full line: the paragraph goes on
        _flush(chunk, out)
        if not line.strip():
            out.append(line)
    return out[:-1]


def _flush(chunk: list[str], out: list[str]) -> None:
    if len(chunk) > 1 and any(SENTENCE_MARK.search(s) for s in chunk):
        out.append(_join(chunk))
    else:
        out.extend(chunk)
    chunk.clear()


def _wrappable(line: str, width: int) -> bool:
    """A line that may belong to a wrapped paragraph: prose, not markup, not wider than the wrap."""
    text = line.strip()
    return (bool(HAN_CHAR.search(text)) and not MARKUP_LINE.match(line)
            and display_width(text) <= width + WRAP_SLACK)


def _wrap_width(lines: list[str]) -> int | None:
    """The width the document is wrapped at: the widest line such that at least WRAP_MIN_LINES
    prose lines fill it and stop mid-sentence; None when the document is not wrapped."""
    cut = [(width, bool(CLAUSE_MARK.search(s))) for s in lines
           # a line longer in characters is wider still: its width is never counted
           if len(text := s.strip()) <= WRAP_MAX_WIDTH and HAN_CHAR.search(text) and not MARKUP_LINE.match(s)
           and not SENTENCE_END.search(text) and (width := display_width(text)) <= WRAP_MAX_WIDTH]
    best, best_full = None, []
    for w in sorted({x for x, _ in cut}):
        full = [clause for x, clause in cut if WRAP_SHARE * w <= x <= w]
        if len(full) >= len(best_full):
            best, best_full = w, full
    if len(best_full) < WRAP_MIN_LINES or len(best_full) * 2 < len(cut):
        return None
    if sum(best_full) * 3 < len(best_full):
        return None  # a list of headlines, not sentences cut at a width
    return best


def _join(run: list[str]) -> str:
    """Lines joined without a space, except between two Latin words."""
    text = run[0].strip()
    for line in (s.strip() for s in run[1:]):
        text += " " + line if re.search(r"[A-Za-z0-9,.;:]$", text) and re.match(r"[A-Za-z0-9(]", line) else line
    return text
