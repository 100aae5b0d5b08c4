"""A PDF's text layer as paragraphs: lines with their geometry (pypdfium2), running headers,
footers and page numbers dropped, and lines wrapped by the layout rejoined."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..errors import InputError
from ..knowledge import load

_HAN_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_HYPHENATED = re.compile(r"[A-Za-z]-$")
MARGIN = 0.06  # the top and bottom 6% of a page hold the browser's or the office's running lines


@dataclass
class Line:
    text: str
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    height: float = 0.0  # of its tallest character: the font size, roughly
    new_paragraph: bool = False  # indented, or after a wider gap or a change of size
    full: bool | None = None  # reaches the right margin; None when the geometry is unknown


@dataclass(frozen=True)
class DocumentRules:
    page_number: re.Pattern
    paragraph_end: re.Pattern


@cache
def document_rules() -> DocumentRules:
    data = load("documents")
    pages = "|".join(f"(?:{p})" for p in data["page_number_patterns"])
    return DocumentRules(re.compile(f"^(?:{pages})$", re.I),
                         re.compile("[" + re.escape(data["paragraph_end_chars"]) + "]$"))


def pdf_lines(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"cannot open the PDF ({exc})") from exc
    try:
        pages = [mark_paragraphs(_page_lines(pdf[i])) for i in range(len(pdf))]
    finally:
        pdf.close()
    return join_wrapped([line for page in drop_running_lines(pages) for line in page])


def _page_lines(page) -> list[Line]:
    """The page's lines in text-layer order, each with the box of its characters; lines in the
    top or bottom margin in a smaller type than the body (a browser's date, URL, page x/y) dropped."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        boxes = [textpage.get_charbox(i) for i in range(len(text))] if len(text) == textpage.count_chars() else None
        page_height = page.get_height()
    finally:
        textpage.close()
        page.close()
    lines, start = [], 0
    for i, ch in enumerate(text + "\n"):
        if ch in "\r\n":
            if text[start:i].strip():
                lines.append(_line(text[start:i], boxes[start:i] if boxes else None))
            start = i + 1
    return _without_margin_notes(lines, page_height)


def _line(text: str, boxes) -> Line:
    boxes = [b for ch, b in zip(text, boxes or []) if not ch.isspace() and b[2] > b[0]]
    if not boxes:
        return Line(text.strip())
    return Line(text.strip(), left=min(b[0] for b in boxes), right=max(b[2] for b in boxes),
                top=max(b[3] for b in boxes), height=max(b[3] - b[1] for b in boxes))


def _without_margin_notes(lines: list[Line], page_height: float) -> list[Line]:
    sized = [line.height for line in lines if line.height]
    if not sized:
        return lines
    body = statistics.median(sized)
    return [line for line in lines if not (line.height and line.height < 0.8 * body and (
        line.top > page_height * (1 - MARGIN) or line.top - line.height < page_height * MARGIN))]


def mark_paragraphs(lines: list[Line]) -> list[Line]:
    """Set new_paragraph and full from the geometry: a paragraph starts with an indent, after a
    gap wider than the page's usual line pitch, or where the type size changes."""
    placed = [line for line in lines if line.height]
    if len(placed) < 2:
        return lines
    base_left = min(round(line.left) for line in placed)
    base_right = max(line.right for line in placed)
    pitches = [(a.top - b.top) / b.height for a, b in zip(placed, placed[1:])
               if 0 < a.top - b.top and abs(a.height - b.height) < 0.2 * b.height]
    usual = statistics.median(pitches) if pitches else None
    previous = None
    for line in placed:
        line.full = line.right >= base_right - 2.5 * line.height  # ragged by a character or two
        indented = line.left > base_left + 0.8 * line.height
        if previous is None:
            line.new_paragraph = indented  # a page's first line may continue the last page's paragraph
        else:
            gap = (previous.top - line.top) / line.height
            resized = abs(previous.height - line.height) >= 0.2 * line.height
            line.new_paragraph = indented or resized or gap <= 0 or (usual is not None and gap > 1.3 * usual)
        previous = line
    return lines


def drop_running_lines(pages: list[list[Line]], edge: int = 2) -> list[list[Line]]:
    """Remove page numbers, and headers/footers repeated on most pages (digits ignored, so
    'Page 3' and 'Page 4' count as one line)."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    counts = Counter()
    for page in pages:
        counts.update({key(line) for line in page[:edge] + page[-edge:]})
    running = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, (len(pages) + 1) // 2)}
    page_number = document_rules().page_number
    return [[line for line in page if key(line) not in running and not page_number.match(line.text)]
            for page in pages]


def join_wrapped(lines: list[Line]) -> list[str]:
    """Rejoin lines wrapped by the layout. With geometry, a line that reaches the right margin
    continues into the next unless that one starts a paragraph; without it, a line continues
    unless it is short or ends a sentence short of the longest line."""
    width = max((len(line.text) for line in lines), default=0)
    paragraph_end = document_rules().paragraph_end
    out: list[str] = []
    open_para = False
    for line in lines:
        if out and open_para and not line.new_paragraph:
            out[-1] = _join(out[-1], line.text)
        else:
            out.append(line.text)
        if line.full is not None:
            open_para = line.full
        else:
            open_para = len(line.text) >= 0.6 * width and not (
                paragraph_end.search(line.text) and len(line.text) < 0.9 * width)
    return out


def _join(left: str, right: str) -> str:
    if _HYPHENATED.search(left) and right[:1].islower():
        return left[:-1] + right
    if _HAN_OR_PUNCT.search(left[-1:]) or _HAN_OR_PUNCT.match(right[:1]):
        return left + right
    return left + " " + right
