"""Markdown press releases: headings, `label: value` lines (張貼日, 聯絡人), paragraphs, lists and
tables. Table cells become text lines (split at <br>) so later stages see every city listed."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..clean.chrome import rules
from ..clean.text_blocks import Layout, captions_of, is_furniture, split_layout
from ..model import Document
from .paragraphs import join_hard_wraps
from .plain_text import document_from_layout

FORMAT = "markdown"
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S", re.M)
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)
MD_LINK = re.compile(r"\[[^\]]+\]\([^)]+\)")
BR = re.compile(r"<br\s*/?>", re.I)
# Scraped bodies are often indented by four spaces: that is prose, never a code block.
_md = MarkdownIt("commonmark").enable("table").disable("code")


@dataclass
class Block:
    kind: str  # heading, paragraph, item, cell
    text: str
    link_chars: int = 0


def sniff(text: str, suffix: str) -> bool:
    if suffix in (".md", ".markdown"):
        return True
    return bool(HEADING.search(text) or TABLE_RULE.search(text) or len(MD_LINK.findall(text)) >= 3)


def read(text: str, path: str) -> Document:
    blocks = parse_blocks(text)
    lines = [b.text for b in blocks]
    layout = _layout(blocks)
    doc = document_from_layout(layout, lines, path, FORMAT)
    return doc


# Prose with no Markdown in it (most articles saved as .md): no character that opens inline
# markup, an entity, HTML or a table, and no line that opens a heading, a list, a rule, a
# blockquote or a setext underline. The parser would make each of its lines a paragraph line.
# (Stricter than paragraphs.MARKUP_LINE, which needs a space after a list mark: here a rule
# `---` or an underline `===` must send the text to the parser too.)
_MARKUP_CHAR = re.compile(r"[\\`*_\[\]<>&|~\r\x00]")
_MARKUP_LINE = re.compile(r"^[ \t]*(?:[-+=#]|\d{1,9}[.)](?:[ \t]|$))", re.M)


def parse_blocks(text: str) -> list[Block]:
    text = "\n".join(join_hard_wraps(text.split("\n")))
    if not _MARKUP_CHAR.search(text) and not _MARKUP_LINE.search(text):
        return [Block("paragraph", line) for raw in text.split("\n") if (line := raw.strip())]
    return _parsed_blocks(text)


def _parsed_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    tokens = _md.parse(text)
    kind = "paragraph"
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            kind = "heading"
        elif tok.type in ("td_open", "th_open"):
            kind = "cell"
        elif tok.type == "list_item_open":
            kind = "item"
        elif tok.type == "paragraph_open" and kind not in ("item",):
            kind = "paragraph"
        elif tok.type == "list_item_close":
            kind = "paragraph"
        elif tok.type == "inline":
            for piece, link_chars in _inline_lines(tok):
                if piece:
                    blocks.append(Block(kind, piece, link_chars))
            if kind in ("heading", "cell"):
                kind = "paragraph"
    return blocks


def _inline_lines(tok) -> list[tuple[str, int]]:
    """The inline token's text split at hard breaks and <br>, with the characters inside links;
    images and bare autolinks (a URL shown as itself) are dropped."""
    lines: list[tuple[str, int]] = []
    text, link_chars, in_link, link_text, href = "", 0, False, "", ""
    for child in tok.children or []:
        if child.type == "link_open":
            in_link, link_text, href = True, "", child.attrs.get("href", "")
        elif child.type == "link_close":
            in_link = False
            if link_text.strip() and link_text.strip() != href and not href.endswith(link_text.strip()):
                text += link_text
                link_chars += len(link_text)
        elif child.type in ("text", "code_inline"):
            if in_link:
                link_text += child.content
            else:
                text += child.content
        elif child.type == "html_inline" and BR.fullmatch(child.content.strip()) or child.type == "hardbreak":
            lines.append((text.strip(), link_chars))
            text, link_chars = "", 0
        elif child.type == "softbreak":
            text += "\n"
    lines.append((text.strip(), link_chars))
    out = []
    for line, chars in lines:
        parts = line.split("\n")
        out.extend((part.strip(), chars if len(parts) == 1 else 0) for part in parts)
    return out


def _layout(blocks: list[Block]) -> Layout:
    """The first headline-like heading starts the article; without one, use the line heuristic."""
    r = rules()
    start = next((i for i, b in enumerate(blocks) if b.kind == "heading" and not r.is_generic_heading(b.text)
                  and not r.is_chrome(b.text)), None)
    if start is None:
        return split_layout([b.text for b in blocks if not _link_list(b)])
    body: list[str] = []
    header = [b.text for b in blocks[:start]]
    read = list(header)  # the lines up to the end of the article
    for b in blocks[start + 1:]:
        if r.is_stop_heading(b.text) and body:
            break
        read.append(b.text)
        text = r.without_credit(b.text)
        if text and not (r.is_chrome(text) or r.label(text) or r.is_caption(text) or _link_list(b)):
            (header if is_furniture(text) else body).append(text)
    return Layout(title=blocks[start].text, header=header, body=body, captions=captions_of(read))


def _link_list(block: Block) -> bool:
    """A block that is mostly link text (a menu entry or a related-story link)."""
    return block.link_chars > 0 and block.link_chars >= 0.6 * len(block.text)
