"""Plain text: scraped pages full of chrome (menus, related headlines, footers) and plain reports.

The article is found from the shape of its lines (ties.clean.text_blocks); the title is the
headline-like line before it; the date is a labelled date, a date line beside the headline, or
CNA's edit code, and never a date from a list of other stories.
"""
from __future__ import annotations

from ..clean.chrome import rules
from ..clean.text_blocks import Layout, split_layout
from ..model import Document
from ..sitemeta import (labelled_values, published_fallback, published_from_labels, published_from_text, site_from_url,
                        source_url_from_lines)
from .paragraphs import join_hard_wraps, repair_breaks

FORMAT = "text"


def sniff(text: str, suffix: str) -> bool:
    return True


def read(text: str, path: str) -> Document:
    lines = join_hard_wraps(text.split("\n"))
    layout = split_layout(lines)
    return document_from_layout(layout, lines, path, FORMAT)


def document_from_layout(layout: Layout, lines: list[str], path: str, fmt: str) -> Document:
    article = "\n".join(repair_breaks(layout.body))
    text = with_captions(article, layout.captions)
    pairs = labelled_values(lines)
    url = source_url_from_lines(lines)
    published = (published_from_labels(pairs) or published_from_text(_near_title(layout), article)
                 or published_fallback(url, article))
    doc = Document(
        path=path,
        text=text,
        format=fmt,
        title=layout.title,
        published=published,
        site=site_from_url(url),
        url=url,
        contacts=[v for k, v in pairs if k in rules().contact_labels],
        captions=layout.captions,
    )
    return doc


def with_captions(text: str, captions: list[str]) -> str:
    """The article followed by the captions that it does not already say: a person may be
    named only under a photo, and extraction reads the text."""
    compact = "".join(text.split())
    extra = [c for c in captions if "".join(c.split()) not in compact]
    return "\n".join([text, *extra]) if text and extra else text


def article_only(doc: Document) -> str:
    """The document's text without the captions appended after the article (an edit code or a
    dateline is read from the article itself)."""
    lines = doc.text.split("\n")
    while len(lines) > 1 and lines[-1] in doc.captions:
        lines.pop()
    return "\n".join(lines)


def _near_title(layout: Layout) -> list[str]:
    """Header lines ordered by distance from the title, so the article's own date wins over a
    'today is …' date in the site banner."""
    header = layout.header
    if layout.title not in header:
        return list(reversed(header))
    at = header.index(layout.title)
    return sorted(header, key=lambda line: abs(header.index(line) - at))
