"""Storing one extracted document: its story, entities, mentions, events (merged across
documents) and topics, in one transaction. Idempotent: a document already stored with the same
text by the same extractor version is left alone; a changed one is refreshed in place."""
from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import and_, delete, func, insert, or_, select, text as sql, update

from .. import __version__
from ..model import Document, Event, Extraction
from .engagements import link, store_actions, unlink_document
from .resolve import NEAR_DUPLICATE_DISTANCE, bands, hamming, has_real_text, name_key, simhash, text_hash
from .schema import (doc_initiatives, doc_topics, documents, entities, entity_aliases, event_sources, events,
                     mentions, merges, outcomes, stories, story_bands)
from .search import index_text

# Bump when extraction changes what it stores, so a re-ingest refreshes old rows.
EXTRACTOR_VERSION = f"{__version__}+4"


def source_key(doc: Document) -> str:
    if doc.url:
        return doc.url
    if doc.path == "-":
        return "stdin:" + text_hash(doc.text)
    return os.path.abspath(doc.path)


def store_document(engine, doc: Document, found: Extraction) -> str:
    """'new' (a new story), 'source' (another source of a known story), 'updated' or 'unchanged'."""
    key, digest = source_key(doc), text_hash(doc.text)
    with engine.begin() as conn:
        row = conn.execute(select(documents.c.id, documents.c.text_hash, documents.c.extractor_version)
                           .where(documents.c.source_key == key)).first()
        if row and row.text_hash == digest and row.extractor_version == EXTRACTOR_VERSION:
            return "unchanged"
        if row:
            _forget_facts(conn, row.id, doc.text)
            conn.execute(update(documents).where(documents.c.id == row.id).values(**_doc_values(doc, digest)))
            doc_id, status = row.id, "updated"
        else:
            story_id, status, reason = _story_for(conn, doc, digest)
            doc_id = conn.execute(insert(documents).values(source_key=key, story_id=story_id, path=doc.path,
                                                           **_doc_values(doc, digest))).inserted_primary_key[0]
            if status == "source":
                conn.execute(insert(merges).values(kind="story", into_id=story_id, document_id=doc_id,
                                                   reason=reason, score=None))
        _index(conn, doc_id, doc.text)
        entity_ids = _store_entities(conn, doc_id, found)
        link(conn, store_actions(conn, doc_id, doc, found, entity_ids))
        if found.topics:
            conn.execute(insert(doc_topics), [{"document_id": doc_id, "topic": t} for t in found.topics])
        initiatives = [{"document_id": doc_id, "name": i.name, "kind": i.kind, "start": s.start, "end": s.end}
                       for i in found.initiatives for s in i.spans[:1]]
        if initiatives:
            conn.execute(insert(doc_initiatives), initiatives)
    return status


def _doc_values(doc: Document, digest: str) -> dict:
    return dict(url=doc.url, site=doc.site, title=doc.title, published=doc.published, format=doc.format,
                text=doc.text, text_hash=digest, extractor_version=EXTRACTOR_VERSION,
                ingested_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def _story_for(conn, doc: Document, digest: str) -> tuple[int, str, str]:
    """An existing story with the same or a near-identical text, else a new one. A page with no
    real text (its body lost, or chrome only) is a story of its own: empty pages are not alike."""
    if not has_real_text(doc.text):
        return _new_story(conn, doc, None), "new", ""
    same = conn.execute(select(documents.c.story_id).where(documents.c.text_hash == digest)).scalar()
    if same:
        return same, "source", "identical clean text"
    fingerprint = simhash(doc.text)
    band_match = or_(*[and_(story_bands.c.band == b, story_bands.c.value == v) for b, v in bands(fingerprint)])
    sharing_two = select(story_bands.c.story_id).where(band_match).group_by(story_bands.c.story_id) \
        .having(func.count() >= 2)
    candidates = conn.execute(select(stories.c.id, stories.c.simhash).where(stories.c.id.in_(sharing_two))).all()
    for story_id, other in candidates:
        distance = hamming(fingerprint, other)
        if distance <= NEAR_DUPLICATE_DISTANCE:
            return story_id, "source", f"near-identical clean text (SimHash distance {distance}/64)"
    return _new_story(conn, doc, fingerprint), "new", ""


def _new_story(conn, doc: Document, fingerprint: str | None) -> int:
    """A story; one without a fingerprint (no real text) gets no bands, so nothing joins it."""
    new_id = conn.execute(insert(stories).values(simhash=fingerprint or "0" * 16, title=doc.title,
                                                 published=doc.published)).inserted_primary_key[0]
    if fingerprint:
        conn.execute(insert(story_bands), [{"story_id": new_id, "band": b, "value": v} for b, v in bands(fingerprint)])
    return new_id


def _index(conn, doc_id: int, text: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(sql("INSERT INTO documents_fts(rowid, body) VALUES (:id, :body)"),
                     {"id": doc_id, "body": index_text(text)})
    else:
        conn.execute(sql("UPDATE documents SET search = to_tsvector('simple', :body) WHERE id = :id"),
                     {"id": doc_id, "body": index_text(text)})


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
    if all_keys:
        for key, entity_id, kind in conn.execute(
                select(entity_aliases.c.alias_key, entity_aliases.c.entity_id, entities.c.kind)
                .join(entities, entities.c.id == entity_aliases.c.entity_id)
                .where(entity_aliases.c.alias_key.in_(all_keys))):
            known.setdefault((kind, key), entity_id)
    ids: dict[str, int] = {}
    rows, resolved = [], []
    for kind, item in items:
        forms = [item.name, *item.aliases]
        keys = [name_key(f) for f in forms]
        entity_id = next((known[(kind, k)] for k in keys if (kind, k) in known), None)
        if entity_id is None:
            entity_id = conn.execute(insert(entities).values(
                kind=kind, name=forms[0], key=keys[0], country=getattr(item, "country", None),
                title=getattr(item, "title", None), affiliation=getattr(item, "affiliation", None),
            )).inserted_primary_key[0]
        for key in keys:
            known.setdefault((kind, key), entity_id)
        resolved.append((entity_id, forms, keys))
        for key in keys:
            ids.setdefault(key, entity_id)
        rows += [{"document_id": doc_id, "entity_id": entity_id, "start": s.start, "end": s.end} for s in item.spans]
    _add_aliases(conn, resolved)
    if rows:
        conn.execute(insert(mentions), rows)
    return ids


def _add_aliases(conn, resolved: list[tuple[int, list[str], list[str]]]) -> None:
    entity_ids = {entity_id for entity_id, _, _ in resolved}
    present = set(conn.execute(select(entity_aliases.c.entity_id, entity_aliases.c.alias_key)
                               .where(entity_aliases.c.entity_id.in_(entity_ids))).all()) if entity_ids else set()
    new = {}
    for entity_id, forms, keys in resolved:
        for form, key in zip(forms, keys):
            if (entity_id, key) not in present:
                new.setdefault((entity_id, key), {"entity_id": entity_id, "alias_key": key, "alias": form})
    if new:
        conn.execute(insert(entity_aliases), list(new.values()))
