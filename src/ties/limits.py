"""Bounds on the work one document can cause, whatever its size or shape.

The extraction rules compare mentions with one another, so their cost grows faster than the text:
a document's facts are taken from its first MAX_EXTRACT_CHARS characters (news articles are far
shorter; the whole text is still kept). An HTML parser checks each attribute against the tag's
others, so a tag with a huge attribute list keeps only its class and id; and it looks through
the open elements at each tag, so an element left unclosed thousands of times (<div><div>…) is
closed before it is opened again.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .model import Document

MAX_EXTRACT_CHARS = 50_000
MAX_TAG_ATTRIBUTES_CHARS = 4_000
MAX_UNCLOSED = 1_000
# Elements that never take a closing tag (</br> would even be read as another <br>).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "!doctype"}
EXTRACTION_CUT = "text of {chars} characters: facts are extracted from its first {cut}"

# A start tag whose attributes run over the cap ([^<>] keeps every attempt to one stretch of text).
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]*)(\s[^<>]{%d,})>" % MAX_TAG_ATTRIBUTES_CHARS)
_KEPT_ATTRIBUTE = re.compile(r"""\s(?:class|id)\s*=\s*(?:"[^"]{0,200}"|'[^']{0,200}'|[^\s"'=<>`]{1,200})""", re.I)


_TAG = re.compile(r"<(/?)([A-Za-z!][\w:-]*)")


def bound_html(text: str) -> str:
    """The markup with over-long attribute lists cut to their class and id, and the elements
    left open more than MAX_UNCLOSED times closed before each opening. Other text is unchanged."""
    if "<" not in text:
        return text
    text = _LONG_TAG.sub(_short_tag, text)
    for name in _left_open(text):
        text = re.sub(rf"<{re.escape(name)}(?=[\s/>])", f"</{name}><{name}", text, flags=re.I)
    return text


def _left_open(text: str) -> list[str]:
    balance: dict[str, int] = {}
    for closing, name in _TAG.findall(text):
        name = name.lower()
        balance[name] = balance.get(name, 0) + (-1 if closing else 1)
    return [name for name, n in balance.items() if n > MAX_UNCLOSED and name not in VOID]


def _short_tag(match: re.Match) -> str:
    kept = _KEPT_ATTRIBUTE.findall(match[2][:MAX_TAG_ATTRIBUTES_CHARS])
    return f"<{match[1]}{''.join(kept)}>"


def for_extraction(doc: Document) -> Document:
    """The document itself, or a copy whose text is cut (at a line end when there is one) to the
    extraction cap, with a warning on the document saying so."""
    if len(doc.text) <= MAX_EXTRACT_CHARS:
        return doc
    cut = doc.text.rfind("\n", 0, MAX_EXTRACT_CHARS) + 1
    cut = cut if cut > MAX_EXTRACT_CHARS // 2 else MAX_EXTRACT_CHARS
    doc.warnings.append(EXTRACTION_CUT.format(chars=len(doc.text), cut=cut))
    return replace(doc, text=doc.text[:cut])
