"""Readers, one module per format, chosen by content rather than by file extension.

Each reader module offers `FORMAT` (its name), `sniff(text, suffix) -> bool` and
`read(text, path) -> Document`. They are tried in the order of READERS; plain text accepts all.
Binary documents (PDF, DOCX, ODT) are recognised by their bytes first (read_binary).
"""
from __future__ import annotations

from pathlib import Path

from ..model import Document
from . import frontmatter_post, html_page, markdown_release, plain_text

READERS = (frontmatter_post, html_page, markdown_release, plain_text)


def read_text(text: str, path: str) -> Document:
    suffix = Path(path).suffix.lower()
    for reader in READERS:
        if reader.sniff(text, suffix):
            return reader.read(text, path)
    raise AssertionError("plain_text accepts every text")  # pragma: no cover


def read_binary(data: bytes, path: str) -> Document | None:
    """A PDF, DOCX or ODT document (ties.readers.office), or None when the bytes are of another kind."""
    from .office import read_office

    return read_office(data, path)
