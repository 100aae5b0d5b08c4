"""The thin orchestrator: source bytes → decoded text → reader → Document (→ extraction stages)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from . import errors
from .clean.language import is_not_chinese_warning, not_chinese_warning
from .decode import decode_bytes
from .errors import InputError, KnowledgeError
from .model import Document, Event, Extraction, Organization, Person, ReadFailure, Span
from .readers import read_binary, read_text
from .sources import Source, require_readable


def read_source(source: Source, debug: bool = False) -> Document | ReadFailure:
    """One document, or the reason it could not be read. Never raises for bad input
    (with debug=True an unexpected parser error propagates, for a traceback)."""
    text = ""  # the decoded page, for a text document
    try:
        data = require_readable(source)
        doc, encoding = read_binary(data, source.path), None
        if doc is None:
            text, encoding = decode_bytes(data)
            doc = read_text(text, source.path)
    except InputError as exc:
        return ReadFailure(source.path, str(exc))
    except KnowledgeError:
        raise  # not this document's fault: stop the run with one line
    except Exception as exc:  # a parser choking on hostile input must not stop the batch
        if debug:
            raise
        return ReadFailure(source.path, errors.PARSE_FAILED.format(kind=type(exc).__name__, reason=exc))
    doc.encoding = encoding
    if hasattr(source, "complete"):  # a web source: final URL, feed item fallbacks (ties.fetch)
        source.complete(doc)
    # A page in another language often yields no article text at all: judge the whole page then.
    if warning := not_chinese_warning(doc.text if doc.text.strip() else text):
        doc.warnings.append(warning)
    elif not doc.text.strip():
        doc.warnings.append(errors.NO_TEXT)
    return doc


def skip_reason(doc: Document) -> str | None:
    """Why the document should be counted as skipped rather than stored: it has no article text,
    or it is not Chinese (nothing is extracted from it). None for a document to store."""
    for warning in doc.warnings:
        if warning == errors.NO_TEXT or is_not_chinese_warning(warning):
            return warning
    return errors.NO_TEXT if not doc.text.strip() else None


def read_and_extract(source: Source, debug: bool = False, fast: bool = False):
    """(Document or ReadFailure, Extraction or None) for one source; runs in worker processes."""
    from .extraction import ner
    from .extraction.run import extract

    result = read_source(source, debug=debug)
    if isinstance(result, ReadFailure):
        return result, None
    if any(is_not_chinese_warning(w) for w in result.warnings):
        return result, Extraction()  # every rule reads Chinese: nothing to find here
    with ner.switched_off(fast):
        return result, extract(result)


def process(sources: Iterable[Source], jobs: int = 1, debug: bool = False,
            fast: bool = False) -> Iterator[tuple[Document | ReadFailure, Extraction | None]]:
    """Read and extract every source, in order; with jobs > 1 in that many worker processes
    (each loads the knowledge and the model once)."""
    if jobs <= 1:
        for source in sources:
            yield read_and_extract(source, debug, fast)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(partial(read_and_extract, debug=debug, fast=fast), sources, chunksize=8)


def to_record(doc: Document, found: Extraction | None = None) -> dict:
    """The `ties extract` record (../shared/CONTRACT.md); richer fields sit beside the contract's."""
    found = found or Extraction()
    return {
        "path": doc.path,
        "title": doc.title,
        "published": doc.published,
        "published_partial": doc.published_partial,
        "site": doc.site,
        "text": doc.text,
        "persons": [_person(p) for p in found.persons],
        "organizations": [_org(o) for o in found.organizations],
        "countries": found.countries,
        "places": [{"name": p.name, "country": p.country, "kind": p.kind, "spans": _spans(p.spans)}
                   for p in found.places],
        "topics": found.topics,
        "events": [_event(e, doc.text) for e in found.events],
        "initiatives": [{"name": i.name, "kind": i.kind, "spans": _spans(i.spans)} for i in found.initiatives],
        "figures": [{"text": f.text, "value": f.value, "unit": f.unit, "span": [f.span.start, f.span.end]}
                    for f in found.figures],
        "format": doc.format,
        "url": doc.url,
        "author": doc.author,
        "tags": doc.tags,
        "captions": doc.captions,
        "encoding": doc.encoding,
        "warnings": doc.warnings,
        "skipped": skip_reason(doc) is not None,  # no text, or not Chinese: not worth storing
    }


def _spans(spans: list[Span]) -> list[list[int]]:
    return [[s.start, s.end] for s in spans]


def _person(p: Person) -> dict:
    return {"name": p.name, "title": p.title, "affiliation": p.affiliation, "country": p.country,
            "aliases": p.aliases, "spans": _spans(p.spans)}


def _org(o: Organization) -> dict:
    return {"name": o.name, "aliases": o.aliases, "country": o.country, "kind": o.kind, "spans": _spans(o.spans)}


def _event(e: Event, text: str) -> dict:
    return {
        "type": e.type, "mode": e.mode, "date": e.date,
        "taiwan_side": e.taiwan_side, "counterparts": e.counterparts, "partner_countries": e.partner_countries,
        "outcomes": [clause for clause, _ in e.outcomes],
        "outcome_spans": [[s.start, s.end] for _, s in e.outcomes],
        "trigger": e.trigger,
        "evidence": [{"start": s.start, "end": s.end, "text": text[s.start:s.end]} for s in e.evidence],
    }


def failure_record(failure: ReadFailure) -> dict:
    return {"path": failure.path, "error": failure.error}
