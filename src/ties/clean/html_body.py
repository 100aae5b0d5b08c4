"""The article text of an HTML page or HTML fragment.

trafilatura finds the main content (it drops navigation, figure captions, keyword tags and
"related" boxes); it needs a full document, so fragments are wrapped in <html><body>.
selectolax (lexbor) picks out what trafilatura drops but we keep as metadata: captions and
keyword tags. When trafilatura finds nothing, the page's visible lines go through the same
block heuristic as scraped text.
"""
from __future__ import annotations

import re
from functools import cache

from selectolax.lexbor import LexborHTMLParser

from .chrome import rules
from .text_blocks import split_layout


@cache
def _trafilatura():
    """trafilatura and our configuration of it, imported with the first HTML page: importing it
    costs a fifth of a second, which a process that reads no HTML (a --jobs worker) need not pay.
    Its defaults are tuned for English: 250 characters of Chinese is a full paragraph, and below
    that size it falls back to a baseline that joins the whole page into one line."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")
    return trafilatura, config

HASHTAG = re.compile(r"^#\S{1,30}$")
BLOCK_TAGS = "p, h1, h2, h3, h4, h5, h6, li, td, th, div, section, article, blockquote, pre, dd, dt"


def wrap_fragment(html: str) -> str:
    return html if re.search(r"<html[\s>]", html[:2000], re.I) else f"<html><body>{html}</body></html>"


def extract_paragraphs(html: str) -> list[str]:
    """The article's paragraphs, chrome lines removed and cut at a "related stories" heading."""
    trafilatura, config = _trafilatura()
    out = trafilatura.extract(
        wrap_fragment(html),
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        config=config,
    )
    lines = [ln.strip() for ln in (out or "").split("\n") if ln.strip()]
    if not lines:
        return split_layout(visible_lines(html)).body
    return drop_chrome(lines)


def drop_chrome(lines: list[str]) -> list[str]:
    r = rules()
    kept: list[str] = []
    for line in (r.without_credit(ln) for ln in lines):
        if not line:
            continue
        if r.is_stop_heading(line) and kept:
            break
        if r.is_chrome(line) or HASHTAG.match(line) or r.is_caption(line):
            continue
        kept.append(line)
    return kept


def visible_lines(html: str) -> list[str]:
    """The text of each block element, one line each, scripts and styles removed."""
    tree = LexborHTMLParser(wrap_fragment(html))
    tree.strip_tags(["script", "style", "noscript", "template", "svg", "iframe", "figure", "figcaption"])
    body = tree.body or tree.root
    if body is None:
        return []
    text = body.text(separator="\n", strip=True)
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def captions_and_tags(tree: LexborHTMLParser) -> tuple[list[str], list[str]]:
    found = (rules().caption_text(c.text(strip=True)) for c in tree.css("figcaption"))
    captions = list(dict.fromkeys(c for c in found if c))  # credits removed: they name no actor
    tags = []
    for a in tree.css("a"):
        text = a.text(strip=True)
        if HASHTAG.match(text) and text[1:] not in tags:
            tags.append(text[1:])
    return captions, tags
