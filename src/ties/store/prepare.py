"""What storing computes from a document alone, with no database: ties ingest has its extraction
workers compute it, so the single writer (the one stage that cannot be spread) only does what needs
the database."""
from __future__ import annotations

from typing import NamedTuple

from ..model import Document, Extraction
from ..resolve.text import has_real_text, simhash, text_hash
from .engagements import action_rows
from .search import index_text


class Prepared(NamedTuple):
    digest: str  # of the clean text (text_hash)
    search_body: str  # what the full-text index holds (index_text)
    fingerprint: str | None  # the SimHash of real text; None: no real text (has_real_text)
    actions: list[tuple]  # action_rows


def prepare(doc: Document, found: Extraction | None) -> Prepared:
    fingerprint = simhash(doc.text) if has_real_text(doc.text) else None
    return Prepared(text_hash(doc.text), index_text(doc.text), fingerprint, action_rows(doc, found or Extraction()))
