"""Storing extracted documents: each one's story, entities, mentions, events (merged across
documents) and topics, in a writer transaction (the check and the write together, so concurrent
ingests store each document once): one per document, or one per Batch of documents.
Idempotent: a document already stored with the same text by the same extractor version is left
alone. A document is its source key plus its text: a new text under a known key is its next
version, which then drives the facts, while the earlier versions stay in document_versions."""
from __future__ import annotations

import datetime as dt
import gc
import os
import re
import time
from contextlib import contextmanager

from sqlalchemy import bindparam, delete, func, insert, select, text as sql, update
from sqlalchemy.exc import OperationalError

from typing import Callable, NamedTuple

from .. import __version__
from ..model import Document, Extraction
from . import direct
from .db import key_stories, retrying, writing
from .engagements import link, store_actions, unlink_document
from ..resolve.keys import name_key
from ..resolve.text import NEAR_DUPLICATE_DISTANCE, band_pair_keys, hamming, text_hash
from .schema import (doc_initiatives, doc_topics, document_versions, documents, entities, entity_aliases,
                     mentions, merges, stories, story_keys)
from .prepare import Prepared, prepare
from .search import index_text

# Bump when extraction changes what it stores, so a re-ingest refreshes old rows.
EXTRACTOR_VERSION = f"{__version__}+5"
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A batch of documents is committed at this many documents, or this many seconds after its first
# (TIES_BATCH_DOCS=1 commits each document on its own).
BATCH_DOCS = int(os.environ.get("TIES_BATCH_DOCS") or 200)
BATCH_SECONDS = 2.0
FIRST_BATCH_DOCS = 25


def source_key(doc: Document) -> str:
    return doc.url or path_key(doc)


def path_key(doc: Document) -> str:
    """The key of a document by where it was read, whatever URL it claims."""
    if doc.path == "-":
        return "stdin:" + text_hash(doc.text)
    return doc.path if _fetched(doc) else os.path.abspath(doc.path)


def origin(doc: Document) -> str:
    return "stdin" if doc.path == "-" else doc.path if _fetched(doc) else os.path.abspath(doc.path)


def _fetched(doc: Document) -> bool:
    """Read from a URL (http(s), or an fsspec URL such as s3:// in a Dask dataset), not a local path."""
    return URL_SCHEME.match(doc.path) is not None


def store_document(engine, doc: Document, found: Extraction, warn: Callable[[str], None] | None = None) -> str:
    """'new' (a new story), 'source' (another source of a known story), 'updated' (a new version,
    or refreshed by a newer extractor) or 'unchanged'. Retried while another writer is busy."""
    notes: list[str] = []
    status = retrying(lambda: _store_once(engine, doc, found, notes))
    for note in notes if warn else ():
        warn(note)
    return status


def _store_once(engine, doc: Document, found: Extraction, notes: list[str]) -> str:
    notes.clear()  # a retried attempt starts over
    with writing(engine) as conn, _deferring(conn) as deferred:
        status = _store_in(conn, doc, found, notes)
        deferred.settle()
        deferred.write(conn)
        return status


class Batch:
    """Documents stored together, in one writer transaction per batch of at most `max_docs`
    documents or `max_seconds` since its first arrived: a crash loses at most the open batch, and
    a rerun stores it (documents already stored are skipped). Each document is stored under its
    own savepoint, so one that fails to store leaves the others. Documents wait in memory, not
    in an open transaction, so a slow source never holds the writer lock.

    done(doc, status or the exception that failed it, notes) is called for each document once
    its batch is committed. A database error (OperationalError) propagates: the open batch is lost."""

    def __init__(self, engine, done: Callable[[Document, "str | Exception", list[str]], None],
                 max_docs: int = BATCH_DOCS, max_seconds: float = BATCH_SECONDS):
        self.engine, self.done = engine, done
        self.max_docs, self.max_seconds = max_docs, max_seconds
        self.pending: list[tuple[Document, Extraction, Prepared | None]] = []
        self.since = 0.0
        # the first batches are smaller (doubling up to max_docs), so storing starts while the
        # workers are still on the first documents instead of waiting for a whole batch of them
        self.limit = min(max_docs, FIRST_BATCH_DOCS)

    def add(self, doc: Document, found: Extraction, ready: Prepared | None = None) -> None:
        """READY: what prepare() gives of the document, if computed already (by a worker)."""
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((doc, found, ready))
        if len(self.pending) >= self.limit or time.monotonic() - self.since >= self.max_seconds:
            self.flush()

    def flush_waiting(self) -> None:
        """Store what waits now if it is a batch's worth (FIRST_BATCH_DOCS): the producer has
        nothing ready, so the writer stores instead of waiting, and is not left with a whole
        batch to store once the producer is done."""
        if len(self.pending) >= min(self.max_docs, FIRST_BATCH_DOCS):
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        self.limit = min(self.max_docs, 2 * self.limit)
        if pending:
            for doc, outcome, notes in retrying(lambda: self._write(pending)):
                self.done(doc, outcome, notes)

    def _write(self, pending: list[tuple[Document, Extraction, Prepared | None]]) -> list[tuple]:
        outcomes = []
        with _collecting_after(), writing(self.engine) as conn, _deferring(conn) as deferred:
            for doc, found, ready in pending:
                notes: list[str] = []
                try:
                    with direct.savepoint(conn):
                        outcome = _store_in(conn, doc, found, notes, ready)
                except OperationalError:
                    raise  # the database, not the document
                except Exception as exc:  # this document only: its savepoint is rolled back
                    deferred.discard()
                    outcome = exc
                else:
                    deferred.settle()
                outcomes.append((doc, outcome, notes))
            deferred.write(conn)  # before the commit: the batch's rows are committed together
        return outcomes


# The writer's first-generation collection threshold while it takes in documents (Python's default
# is 700 allocations). Each document from a worker arrives as a few hundred objects held until its
# batch is stored, so at the default the collector ran about once per document and its older
# generations re-scanned the held documents: on 2,000 real-article copies (`ingest --jobs 2`) the
# writer spent 0.58 s in collections at 700 and 0.14 s at 20,000 (its start-up's 0.11 s included).
WRITER_GC_THRESHOLD = 20_000


@contextmanager
def collecting_rarely():
    """The cycle collector runs at WRITER_GC_THRESHOLD allocations while a writer takes in
    documents (restored after)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(WRITER_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextmanager
def _collecting_after():
    """No cycle collection while a batch is stored: its millions of short-lived objects are freed
    by reference counting, and each collection they trigger would walk the long-lived caches of
    reports and records again (about a tenth of storing at 100,000 documents). The collector
    runs again once the batch is written."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class _Deferred:
    """Rows that no later statement of the transaction reads (a document's search entry, versions,
    mentions, topics, initiatives and story merge), kept per statement and written with one
    executemany each before the transaction commits: one statement per table and batch, not per
    document. A document's rows join the batch's only once its savepoint is released, so a
    document that fails leaves none; rows written under its savepoint (`unsettled`, before it
    read a stored document back) are rolled back with it, so they are kept again. The kept rows
    are written early only when a document whose rows they hold is read back (its versions...).
    No trigger makes their order count: event_topics counts the (source, topic) pairs present,
    and partner_topics the events that have both, whichever row comes first."""

    def __init__(self):
        self.kept: dict = {}  # statement -> rows of the documents stored
        self.kept_documents: set[int] = set()  # the documents those rows are of
        self.open: dict = {}  # statement -> rows of the document being stored
        self.open_documents: set[int] = set()
        # kept rows (and their documents) written under the open document's savepoint
        self.unsettled: list[tuple[dict, set[int]]] = []

    def add(self, statement, rows: list[dict], document_id: int) -> None:
        self.open.setdefault(statement, []).extend(rows)
        self.open_documents.add(document_id)

    def holds(self, document_id: int) -> bool:
        """Whether rows of this stored document wait here."""
        return document_id in self.kept_documents

    def settle(self) -> None:
        """The open document is stored: its rows join the batch's."""
        for statement, rows in self.open.items():
            self.kept.setdefault(statement, []).extend(rows)
        self.kept_documents |= self.open_documents
        self.open, self.open_documents, self.unsettled = {}, set(), []

    def discard(self) -> None:
        """The open document's savepoint was rolled back: its rows go, the rows written under it
        are kept again (ahead of the rest, in the order they came)."""
        for written, documents in reversed(self.unsettled):
            for statement, rows in self.kept.items():
                written.setdefault(statement, []).extend(rows)
            self.kept = written
            self.kept_documents |= documents
        self.open, self.open_documents, self.unsettled = {}, set(), []

    def write(self, conn) -> None:
        """The kept rows, each table's in one statement (the open document's stay open), the
        search index's last: once SQLite's FTS5 table is written in a transaction, every later
        statement that opens a statement savepoint (each row of a table with triggers, such as
        doc_topics) makes FTS5 sync its index too (its xSavepoint). On 2,000 real-article copies,
        stored alone: doc_topics rows 80 -> 27 µs each."""
        for statement, rows in sorted(self.kept.items(), key=lambda kept: _is_search_entry(kept[0])):
            direct.execute_many(conn, statement, rows)
        if self.kept:
            self.unsettled.append((self.kept, self.kept_documents))
        self.kept, self.kept_documents = {}, set()


_DEFERRED = "ties_deferred_rows"  # the key of a writing connection's _Deferred in conn.info


@contextmanager
def _deferring(conn):
    """Rows written later on this connection (conn.info outlives the checkout: always removed)."""
    deferred = conn.info[_DEFERRED] = _Deferred()
    try:
        yield deferred
    finally:
        conn.info.pop(_DEFERRED, None)


def _later(conn, statement, rows: list[dict], document_id: int) -> None:
    """Rows of DOCUMENT_ID nothing reads back before the commit unless that document is stored
    again: deferred when the connection defers rows."""
    deferred = conn.info.get(_DEFERRED)
    if deferred is None:
        direct.execute_many(conn, statement, rows)
    else:
        deferred.add(statement, rows, document_id)


def _write_deferred(conn, document_id: int) -> None:
    """Before a stored document is read back (its versions, its search entry), the rows deferred
    so far are written if some are its own."""
    deferred = conn.info.get(_DEFERRED)
    if deferred is not None and deferred.holds(document_id):
        deferred.write(conn)


def _store_in(conn, doc: Document, found: Extraction, notes: list[str], ready: Prepared | None = None) -> str:
    digest = ready.digest if ready else text_hash(doc.text)
    key, row = _held_for(conn, doc, notes)
    if row and row.text_hash != digest and _version_of(conn, row.id, digest):
        return "unchanged"  # an earlier text seen again: the latest stays
    if row and row.text_hash == digest and row.extractor_version == EXTRACTOR_VERSION:
        return "unchanged"
    ready = ready or prepare(doc, found)  # (not for a document left unchanged)
    if row:
        _forget_facts(conn, row.id, doc.text)
        conn.execute(update(documents).where(documents.c.id == row.id)
                     .values(path=doc.path, **_doc_values(doc, digest)))
        if row.text_hash != digest:
            _add_version(conn, row.id, doc, digest)
        doc_id, status = row.id, "updated"
    else:
        doc_id, status = _insert_document(conn, doc, key, ready)
    _store_facts(conn, doc_id, doc, found, ready, inserted=status != "updated")
    return status


def _held_for(conn, doc: Document, notes: list[str]):
    """(key, stored row or None). A local file claiming a URL whose document came from another
    source is kept apart, under its own path: it never replaces the other."""
    key = source_key(doc)
    row = _held(conn, key)
    if row:
        _write_deferred(conn, row.id)
    if row and doc.url and not _fetched(doc) and not _same_origin(conn, row.id, doc):
        notes.append(f"{doc.url} is already held by document {row.id} from another source; "
                     "stored under this file's path instead")
        key = path_key(doc)
        row = _held(conn, key)
        if row:
            _write_deferred(conn, row.id)
    return key, row


# Statements run for every document, built once (building and keying a statement costs more than
# SQLite takes to run it).
_HELD = select(documents.c.id, documents.c.text_hash, documents.c.extractor_version) \
    .where(documents.c.source_key == bindparam("key"))
_LATEST_ORIGIN = select(document_versions.c.origin).where(document_versions.c.document_id == bindparam("doc")) \
    .order_by(document_versions.c.version.desc()).limit(1)
_LAST_VERSION = select(func.max(document_versions.c.version)).where(document_versions.c.document_id == bindparam("doc"))
_STORY_OF_TEXT = select(documents.c.story_id).where(documents.c.text_hash == bindparam("digest")).limit(1)
_ALIASES = select(entity_aliases.c.alias_key, entity_aliases.c.entity_id, entities.c.kind) \
    .join(entities, entities.c.id == entity_aliases.c.entity_id) \
    .where(entity_aliases.c.alias_key.in_(bindparam("keys", expanding=True)))
_INSERT_DOCUMENT = insert(documents).returning(documents.c.id)
_INSERT_VERSION = insert(document_versions)
_INSERT_STORY = insert(stories).returning(stories.c.id)
_INSERT_ENTITY = insert(entities).returning(entities.c.id)
_INSERT_ALIASES = insert(entity_aliases)
_INSERT_MENTIONS = insert(mentions)
_INSERT_TOPICS = insert(doc_topics)
_INSERT_INITIATIVES = insert(doc_initiatives)
_INSERT_MERGE = insert(merges)

# The stories sharing a pair of SimHash bands with a fingerprint (its band_pair_keys), oldest first.
_SHARING_A_BAND_PAIR = select(stories.c.id, stories.c.simhash).where(stories.c.id.in_(
    select(story_keys.c.story_id).where(story_keys.c.key.in_(bindparam("keys", expanding=True))))) \
    .order_by(stories.c.id)


class _HeldRow(NamedTuple):
    id: int
    text_hash: str
    extractor_version: str


def _held(conn, key: str) -> _HeldRow | None:
    found = direct.rows(conn, _HELD, {"key": key})
    return _HeldRow(*found[0]) if found else None


def _same_origin(conn, doc_id: int, doc: Document) -> bool:
    latest = direct.scalar(conn, _LATEST_ORIGIN, {"doc": doc_id})
    return latest is None or latest in (origin(doc), doc.path)  # an upgraded database kept the path as given


def _version_of(conn, doc_id: int, digest: str) -> bool:
    found = conn.execute(select(document_versions.c.version).where(
        document_versions.c.document_id == doc_id, document_versions.c.text_hash == digest).limit(1)).first()
    return found is not None


def _add_version(conn, doc_id: int, doc: Document, digest: str, first: bool = False) -> None:
    last = 0 if first else direct.scalar(conn, _LAST_VERSION, {"doc": doc_id}) or 0
    _later(conn, _INSERT_VERSION, [dict(
        document_id=doc_id, version=last + 1, origin=origin(doc), title=doc.title, published=doc.published,
        text=doc.text, text_hash=digest, ingested_at=_now())], doc_id)


def _insert_document(conn, doc: Document, key: str, ready: Prepared) -> tuple[int, str]:
    digest = ready.digest
    story_id, status, reason = _story_for(conn, doc, ready)
    doc_id = direct.inserted_id(conn, _INSERT_DOCUMENT, dict(source_key=key, story_id=story_id, path=doc.path,
                                                            **_doc_values(doc, digest)))
    _add_version(conn, doc_id, doc, digest, first=True)
    if status == "source":
        _later(conn, _INSERT_MERGE, [dict(kind="story", into_id=story_id, document_id=doc_id,
                                          reason=reason, score=None)], doc_id)
    return doc_id, status


def _store_facts(conn, doc_id: int, doc: Document, found: Extraction, ready: Prepared, inserted: bool) -> None:
    """inserted: a document new to the database (no analyst's correction can name it yet)."""
    _index(conn, doc_id, ready.search_body)
    entity_ids = _store_entities(conn, doc_id, found)
    link(conn, store_actions(conn, doc_id, doc, found, entity_ids, ready.actions), corrected=not inserted)
    if found.topics:
        _later(conn, _INSERT_TOPICS, [{"document_id": doc_id, "topic": t} for t in found.topics], doc_id)
    initiatives = [{"document_id": doc_id, "name": i.name, "kind": i.kind, "start": s.start, "end": s.end}
                   for i in found.initiatives for s in i.spans[:1]]
    if initiatives:
        _later(conn, _INSERT_INITIATIVES, initiatives, doc_id)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _doc_values(doc: Document, digest: str) -> dict:
    return dict(url=doc.url, site=doc.site, title=doc.title, published=doc.published, format=doc.format,
                text=doc.text, text_hash=digest, extractor_version=EXTRACTOR_VERSION, ingested_at=_now())


def _story_for(conn, doc: Document, ready: Prepared) -> tuple[int, str, str]:
    """An existing story with the same or a near-identical text, else a new one. A page with no
    real text (its body lost, or chrome only) is a story of its own: empty pages are not alike."""
    fingerprint = ready.fingerprint
    if fingerprint is None:
        return _new_story(conn, doc, None), "new", ""
    same = direct.scalar(conn, _STORY_OF_TEXT, {"digest": ready.digest})
    if same:
        return same, "source", "identical clean text"
    candidates = direct.rows(conn, _SHARING_A_BAND_PAIR, {"keys": band_pair_keys(fingerprint)})
    for story_id, other in candidates:
        distance = hamming(fingerprint, other)
        if distance <= NEAR_DUPLICATE_DISTANCE:
            return story_id, "source", f"near-identical clean text (SimHash distance {distance}/64)"
    return _new_story(conn, doc, fingerprint), "new", ""


def _new_story(conn, doc: Document, fingerprint: str | None) -> int:
    """A story; one without a fingerprint (no real text) gets no keys, so nothing joins it."""
    new_id = direct.inserted_id(conn, _INSERT_STORY, dict(simhash=fingerprint or "0" * 16, title=doc.title,
                                                          published=doc.published))
    if fingerprint:
        key_stories(conn, [(new_id, fingerprint)])
    return new_id


_FTS_ADD = {"sqlite": sql("INSERT INTO documents_fts(rowid, body) VALUES (:id, :body)"),
            "postgresql": sql("UPDATE documents SET search = to_tsvector('simple', :body) WHERE id = :id")}


def _is_search_entry(statement) -> bool:
    return any(statement is add for add in _FTS_ADD.values())


def _index(conn, doc_id: int, body: str) -> None:
    """BODY: the document's index_text."""
    _later(conn, _FTS_ADD[conn.dialect.name], [{"id": doc_id, "body": body}], doc_id)


def _forget_facts(conn, doc_id: int, new_text: str) -> None:
    """Remove what a document contributed before re-storing it; events left with no source go."""
    if conn.dialect.name == "sqlite":
        old = conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar()
        conn.execute(sql("INSERT INTO documents_fts(documents_fts, rowid, body) VALUES('delete', :id, :body)"),
                     {"id": doc_id, "body": index_text(old)})
    unlink_document(conn, doc_id)
    for table in (mentions, doc_topics, doc_initiatives):
        conn.execute(delete(table).where(table.c.document_id == doc_id))
    conn.execute(delete(merges).where(merges.c.kind == "story", merges.c.document_id == doc_id))


def _store_entities(conn, doc_id: int, found: Extraction) -> dict[str, int]:
    """Entity ids by name key, for every person and organisation of the document: existing
    entities found by any of their names in one query, new ones created, new aliases added."""
    items = [("person", p) for p in found.persons] + [("organization", o) for o in found.organizations]
    all_keys = {name_key(f) for _, item in items for f in [item.name, *item.aliases]}
    known: dict[tuple[str, str], int] = {}
    present: set[tuple[int, str]] = set()  # (entity, alias key) stored, for every key of the document
    if all_keys:
        for key, entity_id, kind in direct.rows(conn, _ALIASES, {"keys": sorted(all_keys)}):
            known.setdefault((kind, key), entity_id)
            present.add((entity_id, key))
    ids: dict[str, int] = {}
    rows, resolved = [], []
    for kind, item in items:
        forms = [item.name, *item.aliases]
        keys = [name_key(f) for f in forms]
        entity_id = next((known[(kind, k)] for k in keys if (kind, k) in known), None)
        if entity_id is None:
            entity_id = direct.inserted_id(conn, _INSERT_ENTITY, dict(
                kind=kind, name=forms[0], key=keys[0], country=getattr(item, "country", None),
                title=getattr(item, "title", None), affiliation=getattr(item, "affiliation", None)))
        for key in keys:
            known.setdefault((kind, key), entity_id)
        resolved.append((entity_id, forms, keys))
        for key in keys:
            ids.setdefault(key, entity_id)
        rows += [{"document_id": doc_id, "entity_id": entity_id, "start": s.start, "end": s.end} for s in item.spans]
    _add_aliases(conn, resolved, present)
    if rows:
        _later(conn, _INSERT_MENTIONS, rows, doc_id)
    return ids


def _add_aliases(conn, resolved: list[tuple[int, list[str], list[str]]], present: set[tuple[int, str]]) -> None:
    """The aliases not stored yet. present: the stored (entity, alias key) pairs of every key the
    document gives (all the pairs asked about: new entities have none yet)."""
    new = {}
    for entity_id, forms, keys in resolved:
        for form, key in zip(forms, keys):
            if (entity_id, key) not in present:
                new.setdefault((entity_id, key), {"entity_id": entity_id, "alias_key": key, "alias": form})
    if new:
        direct.execute_many(conn, _INSERT_ALIASES, list(new.values()))
