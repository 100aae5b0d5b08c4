"""The thin orchestrator: source bytes → decoded text → reader → Document (→ extraction stages)."""
from __future__ import annotations

from . import errors
from .decode import decode_bytes
from .errors import InputError
from .model import Document, ReadFailure
from .readers import read_text
from .sources import Source, require_readable


def read_source(source: Source, debug: bool = False) -> Document | ReadFailure:
    """One document, or the reason it could not be read. Never raises for bad input
    (with debug=True an unexpected parser error propagates, for a traceback)."""
    try:
        text, encoding = decode_bytes(require_readable(source))
        doc = read_text(text, source.path)
    except InputError as exc:
        return ReadFailure(source.path, str(exc))
    except Exception as exc:  # a parser choking on hostile input must not stop the batch
        if debug:
            raise
        return ReadFailure(source.path, errors.PARSE_FAILED.format(kind=type(exc).__name__, reason=exc))
    doc.encoding = encoding
    if not doc.text.strip():
        doc.warnings.append(errors.NO_TEXT)
    return doc


def to_record(doc: Document) -> dict:
    """The `ties extract` record (../shared/CONTRACT.md); richer fields sit beside the contract's."""
    return {
        "path": doc.path,
        "title": doc.title,
        "published": doc.published,
        "site": doc.site,
        "text": doc.text,
        "persons": [],
        "organizations": [],
        "countries": [],
        "places": [],
        "topics": [],
        "events": [],
        "format": doc.format,
        "url": doc.url,
        "author": doc.author,
        "tags": doc.tags,
        "captions": doc.captions,
        "encoding": doc.encoding,
        "warnings": doc.warnings,
    }


def failure_record(failure: ReadFailure) -> dict:
    return {"path": failure.path, "error": failure.error}
