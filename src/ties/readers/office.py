"""PDF (text layer, via pypdfium2), DOCX (python-docx) and ODT (odfpy), recognised by content.

Each becomes lines of text (paragraphs, and table cells one per line, as the Markdown reader
treats tables) and then goes the way of plain text: layout, title, labelled dates.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..clean.chrome import rules
from ..clean.text_blocks import Layout, split_layout
from ..errors import InputError
from ..model import Document
from .pdf_layout import pdf_lines
from .plain_text import document_from_layout

NO_TEXT_LAYER = "no text layer; OCR is not supported"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def office_kind(data: bytes) -> str | None:
    """'pdf', 'docx', 'odt' or None, from the bytes (never the file name)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def read_office(data: bytes, path: str) -> Document | None:
    """The document, None for bytes of another kind; InputError when it cannot be read."""
    kind = office_kind(data)
    if kind is None:
        return None
    if kind == "pdf":
        lines = [line for line in pdf_lines(data) if line.strip()]
        if not lines:
            raise InputError(NO_TEXT_LAYER)
        return document_from_layout(split_layout(lines), lines, path, kind)
    blocks = [(k, text) for k, text in (docx_blocks(data) if kind == "docx" else odt_blocks(data)) if text]
    if not blocks:
        raise InputError("no text in the document")
    lines = [text for _, text in blocks]
    return document_from_layout(_styled_layout(blocks), lines, path, kind)


def _styled_layout(blocks: list[tuple[str, str]]) -> Layout:
    """A word processor marks its headings: the first heading is the title and what follows is
    the body, table cells included (a release has no site chrome). Without a heading, the
    lines' shape decides, as for plain text."""
    r = rules()
    start = next((i for i, (kind, text) in enumerate(blocks) if kind == "heading" and not r.is_chrome(text)), None)
    if start is None:
        return split_layout([text for _, text in blocks])
    body = [text for _, text in blocks[start + 1:] if not (r.label(text) or r.is_caption(text))]
    return Layout(title=blocks[start][1], header=[text for _, text in blocks[:start]], body=body)


# --- DOCX and ODT -----------------------------------------------------------------------------

def docx_blocks(data: bytes) -> list[tuple[str, str]]:
    """(kind, text) in document order: kind is heading, paragraph or cell."""
    import docx

    document = docx.Document(io.BytesIO(data))
    blocks: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            blocks += [("cell", line.strip()) for row in block.rows for cell in _unique_cells(row)
                       for line in cell.text.split("\n")]
        else:
            style = (block.style.name if block.style is not None else "").lower()
            kind = "heading" if style.startswith(("heading", "title")) else "paragraph"
            blocks.append((kind, block.text.strip()))
    return blocks


def _unique_cells(row):
    """A merged cell is returned once per grid column it spans: keep it once."""
    seen = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def odt_blocks(data: bytes) -> list[tuple[str, str]]:
    """(kind, text) in document order: kind is heading, paragraph or cell."""
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    blocks: list[tuple[str, str]] = []

    def walk(node, in_cell: bool) -> None:
        for child in node.childNodes:
            if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                kind = "cell" if in_cell else "heading" if child.qname[1] == "h" else "paragraph"
                blocks.append((kind, teletype.extractText(child).strip()))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child, in_cell or child.qname == (TABLENS, "table-cell"))

    walk(document.text, False)
    return blocks
