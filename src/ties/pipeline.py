"""The thin orchestrator: source bytes → decoded text → reader → Document (→ extraction stages)."""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from . import errors
from .clean.language import is_not_chinese_warning, not_chinese_warning
from .decode import decode_bytes
from .errors import InputError, KnowledgeError
from .limits import bound_html, for_extraction
from .model import Document, Event, Extraction, Organization, Person, ReadFailure, Span
from .readers import read_binary, read_text
from .sources import Source, require_readable
from .timebudget import DocumentTimeout, time_budget
from .workers import worker_pool


def read_source(source: Source, debug: bool = False) -> Document | ReadFailure:
    """One document, or the reason it could not be read. Never raises for bad input
    (with debug=True an unexpected parser error propagates, for a traceback)."""
    text = ""  # the decoded page, for a text document
    replaced: list[str] = []  # the warning when invalid bytes were replaced
    try:
        data = require_readable(source)
        doc, encoding = read_binary(data, source.path), None
        if doc is None:
            text, encoding = decode_bytes(data, replaced)
            doc = read_text(bound_html(text), source.path)
            doc.warnings[:0] = replaced
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


def read_and_extract(source: Source, debug: bool = False, fast: bool = False, timeout: float | None = None,
                     prepare=None):
    """(Document or ReadFailure, Extraction or None) for one source; runs in worker processes.
    Any failure of this one document, or running past `timeout` seconds, becomes its ReadFailure
    naming the stage (with debug=True an unexpected error propagates, for a traceback). With
    PREPARE, a document to store comes with prepare(document, extraction) third (None if it
    failed: the consumer computes it again and meets the error there)."""
    stage = "reading"
    try:
        with time_budget(timeout):
            result = read_source(source, debug=debug)
            if isinstance(result, ReadFailure):
                return result, None
            stage = "extraction"
            found = _extract(result, fast)
    except KnowledgeError:
        raise  # not this document's fault: stop the run with one line
    except DocumentTimeout:
        return ReadFailure(source.path, errors.TIMED_OUT.format(stage=stage, seconds=timeout)), None
    except Exception as exc:  # MemoryError from the model included: the batch goes on
        if debug:
            raise
        return ReadFailure(source.path, stage_error(stage, exc)), None
    if prepare is None or skip_reason(result):
        return result, found
    try:
        return result, found, prepare(result, found)
    except Exception:  # reported by the consumer, which prepares it again
        return result, found, None


def _extract(doc: Document, fast: bool) -> Extraction:
    from .extraction import ner
    from .extraction.run import extract

    if any(is_not_chinese_warning(w) for w in doc.warnings):
        return Extraction()  # every rule reads Chinese: nothing to find here
    with ner.switched_off(fast):
        return extract(for_extraction(doc))


def stage_error(stage: str, exc: BaseException) -> str:
    """One line naming the stage and the exception."""
    reason = (str(exc).strip().splitlines() or [""])[0][:200]
    return errors.STAGE_FAILED.format(stage=stage, kind=type(exc).__name__, reason=reason)


def process(sources: Iterable[Source], jobs: int = 1, debug: bool = False, fast: bool = False,
            timeout: float | None = None, ahead: int = 0,
            nice: int = 0, prepare=None, on_wait=None) -> Iterator[tuple]:
    """Read and extract every source, in order, as they come: (Document or ReadFailure, Extraction
    or None), and PREPARE's value for a document to store (see read_and_extract); with jobs > 1
    in that many worker processes (each loads the knowledge and the model once), with at most
    max(AHEAD, 2 × jobs) sources in flight. A consumer that pauses (a writer committing a batch)
    passes the number of documents it may pause for as AHEAD, so the workers go on meanwhile, and
    may have them run NICE steps nicer than itself when it is the narrower stage. ON_WAIT is
    called (in the consumer's thread) before waiting for a result not ready yet: a consumer with
    work of its own does it then."""
    work = partial(read_and_extract, debug=debug, fast=fast, timeout=timeout, prepare=prepare)
    if jobs <= 1:
        for source in sources:
            yield work(source)
        return
    ahead = max(ahead, 2 * jobs)
    load_rules()
    yield from _in_workers(sources, work, partial(worker_pool, jobs, nice), debug, ahead, _task_size(ahead, jobs),
                           on_wait)


# A short release that takes a document through every reader and rule stage once.
_WARM_UP = Source("warm-up.md", """---
title: 外交部長與美國參議員會談
date: 2024-05-04
---
外交部長林佳龍今(4)日在台北接見美國聯邦參議員史密斯（John Smith）率領的訪問團，雙方就經貿、能源及供應鏈合作交換意見，並簽署合作備忘錄。
""".encode())


def load_rules() -> None:
    """Load the rules' knowledge in this process. Workers forked afterwards inherit it instead of
    each loading it (about 0.4 s a worker). Not the model: ONNX Runtime is not safe to fork."""
    read_and_extract(_WARM_UP, fast=True)


# Sources per task sent to a worker: each task costs the consumer's process about 0.5 ms of
# queueing and pickling (a third of a writer's time per document), so a consumer that lets many
# documents be in flight has them sent in groups; a few groups per worker keep them all busy.
MAX_TASK_SOURCES = 16
TASKS_PER_WORKER = 4
TASK_FILL_SECONDS = 0.1


def _task_size(ahead: int, jobs: int) -> int:
    return max(1, min(MAX_TASK_SOURCES, ahead // (TASKS_PER_WORKER * jobs)))


def _run_each(work, group: list[Source]) -> list:
    """WORK's result for each source of a task, in a worker."""
    return [work(source) for source in group]


def _in_workers(sources: Iterable[Source], work, new_pool, debug: bool, ahead: int, size: int = 1, on_wait=None):
    """Results in order, as soon as they are done, never more than AHEAD sources read ahead, sent
    in tasks of up to SIZE sources. A worker that dies (killed, out of memory) breaks the pool: a
    new one takes the rest, and the document it died on fails."""
    pool, pending, in_flight, group = new_pool(), deque(), 0, []
    tasks, since = 0, 0.0
    try:
        for source in sources:
            since = since if group else time.monotonic()
            group.append(source)
            # the first tasks are short, so the consumer starts while the workers fill up; sources
            # that come slowly (pages fetched from the web) are not held back for a full task
            if (len(group) < min(size, 2 ** (tasks // 2), ahead - in_flight)
                    and time.monotonic() - since < TASK_FILL_SECONDS):
                continue
            tasks += 1
            pending.append((group, pool.submit(_run_each, work, group)))
            in_flight, group = in_flight + len(group), []
            # results already done go to the consumer at once (sources that come slowly must not
            # keep them back until AHEAD are read)
            while pending and (in_flight >= ahead or pending[0][1].done()):
                pool, done = yield from _next_results(pool, pending, work, new_pool, debug, on_wait)
                in_flight -= done
        if group:
            pending.append((group, pool.submit(_run_each, work, group)))
        while pending:
            pool, _ = yield from _next_results(pool, pending, work, new_pool, debug, on_wait)
    finally:
        pool.shutdown(cancel_futures=True)


def _next_results(pool, pending: deque, work, new_pool, debug: bool, on_wait=None):
    """Yield the results of the oldest task; return the pool to go on with and how many sources
    the task held."""
    group, future = pending.popleft()
    if on_wait is not None and not future.done():
        on_wait()
    try:
        results = future.result()
    except KnowledgeError:
        raise
    except BrokenProcessPool:
        if debug:
            raise
        pool, results = _each_alone(pool, group, work, new_pool)  # which document was it?
        for i, (other, _) in enumerate(pending):
            pending[i] = (other, pool.submit(_run_each, work, other))
    except Exception as exc:  # e.g. a result that cannot be sent back
        if debug:
            raise
        if len(group) > 1:  # find the one
            pool, results = _each_alone(pool, group, work, new_pool)
        else:
            results = [(ReadFailure(group[0].path, stage_error("worker", exc)), None)]
    yield from results
    return pool, len(group)


def _each_alone(pool, group: list[Source], work, new_pool):
    """(the pool to go on with, the results) of each source of GROUP run again as a task of its own
    in a fresh pool; a source that breaks its pool, or whose result cannot be sent back, fails."""
    pool.shutdown(cancel_futures=True)
    pool, results = new_pool(), []
    for source in group:
        try:
            results.extend(pool.submit(_run_each, work, [source]).result())
        except KnowledgeError:
            raise
        except BrokenProcessPool as exc:
            pool.shutdown(cancel_futures=True)
            pool = new_pool()
            results.append((ReadFailure(source.path, errors.WORKER_DIED.format(reason=exc)), None))
        except Exception as exc:
            results.append((ReadFailure(source.path, stage_error("worker", exc)), None))
    return pool, results


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
