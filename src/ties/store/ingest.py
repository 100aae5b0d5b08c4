"""Storing one extracted document: its story, entities, mentions, events (merged across
documents) and topics, in one transaction. Idempotent: a document already stored with the same
text by the same extractor version is left alone; a changed one is refreshed in place."""
from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import and_, delete, func, insert, or_, select, text as sql, update

from .. import __version__
from ..model import Document, Event, Extraction
from .resolve import (NEAR_DUPLICATE_DISTANCE, bands, date_sort, dates_compatible, hamming, name_key, simhash,
                      text_hash)
from .schema import (doc_initiatives, doc_topics, documents, entities, entity_aliases, event_participants, event_sources,
                     events, mentions, merges, outcomes, stories, story_bands)
from .search import index_text

# Bump when extraction changes what it stores, so a re-ingest refreshes old rows.
EXTRACTOR_VERSION = f"{__version__}+2"


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
        names = _store_entities(conn, doc_id, found)
        for ev in found.events:
            _store_event(conn, doc_id, doc.text, ev, names)
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
    """An existing story with the same or a near-identical text, else a new one."""
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
    new_id = conn.execute(insert(stories).values(simhash=fingerprint, title=doc.title,
                                                 published=doc.published)).inserted_primary_key[0]
    conn.execute(insert(story_bands), [{"story_id": new_id, "band": b, "value": v} for b, v in bands(fingerprint)])
    return new_id, "new", ""


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
    for table in (mentions, event_sources, outcomes, doc_topics, doc_initiatives, merges):
        conn.execute(delete(table).where(table.c.document_id == doc_id))
    orphan = select(events.c.id).where(~events.c.id.in_(select(event_sources.c.event_id)))
    conn.execute(delete(events).where(events.c.id.in_(orphan)))


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


def _store_event(conn, doc_id: int, text: str, ev: Event, names: dict[str, int]) -> None:
    event_id, reason = _matching_event(conn, ev, names)
    if event_id is None:
        event_id = conn.execute(insert(events).values(
            type=ev.type, mode=ev.mode, date=ev.date, date_sort=date_sort(ev.date),
            partner_countries=" ".join(ev.partner_countries))).inserted_primary_key[0]
    else:
        conn.execute(insert(merges).values(kind="event", into_id=event_id, document_id=doc_id, reason=reason))
        _widen_partners(conn, event_id, ev.partner_countries)
    present = set(conn.execute(select(event_participants.c.name, event_participants.c.side)
                               .where(event_participants.c.event_id == event_id)).all())
    people = {(name, side): {"event_id": event_id, "side": side, "name": name, "entity_id": names.get(name_key(name))}
              for side, group in (("taiwan", ev.taiwan_side), ("counterpart", ev.counterparts))
              for name in group if (name, side) not in present}
    if people:
        conn.execute(insert(event_participants), list(people.values()))
    conn.execute(insert(event_sources), [  # a sentence with two triggers is one piece of evidence
        {"event_id": event_id, "document_id": doc_id, "evidence_start": span.start, "evidence_end": span.end,
         "evidence": text[span.start:span.end], "trigger": ev.trigger} for span in dict.fromkeys(ev.evidence)])
    if ev.outcomes:
        conn.execute(insert(outcomes), [{"event_id": event_id, "document_id": doc_id, "text": clause,
                                         "start": span.start, "end": span.end} for clause, span in ev.outcomes])


def _matching_event(conn, ev: Event, names: dict[str, int]) -> tuple[int | None, str]:
    """The stored engagement this event reports: a compatible date, the same kind of event, and a
    shared Taiwanese participant and a shared counterpart (or, when one side is unnamed, the
    shared side and partner country)."""
    if not ev.date:
        return None, ""
    # Compatible dates only, through the date index: the same date, its month or year, or (for a
    # partial date) the full dates within it.
    coarser = [ev.date] + ([ev.date[:7], ev.date[:4]] if len(ev.date) == 10 and not ev.date.startswith("--") else [])
    if len(ev.date) == 7:
        coarser.append(ev.date[:4])
    finer = events.c.date.like(ev.date + "-%") if len(ev.date) < 10 and not ev.date.startswith("--") else \
        events.c.date.like("%" + ev.date[-6:]) if ev.date.startswith("--") else events.c.date == ev.date
    query = select(events.c.id, events.c.date, events.c.type, events.c.partner_countries).where(
        or_(events.c.date.in_(coarser), finer))
    taiwan = {name_key(n) for n in ev.taiwan_side}
    foreign = {name_key(n) for n in ev.counterparts}
    for event_id, date, etype, partners in conn.execute(query).all():
        if (etype == "AGREE") != (ev.type == "AGREE") or not dates_compatible(date, ev.date):
            continue
        rows = conn.execute(select(event_participants.c.name, event_participants.c.side)
                            .where(event_participants.c.event_id == event_id)).all()
        their_tw = {name_key(n) for n, side in rows if side == "taiwan"}
        their_cp = {name_key(n) for n, side in rows if side == "counterpart"}
        shared_tw, shared_cp = taiwan & their_tw, foreign & their_cp
        same_partner = set(ev.partner_countries) & set((partners or "").split())
        if shared_tw and shared_cp:
            return event_id, f"date {ev.date} ~ {date}; shared participants {', '.join(sorted(shared_tw | shared_cp))}"
        if same_partner and ((shared_tw and not foreign) or (shared_cp and not taiwan)):
            return event_id, f"date {ev.date} ~ {date}; shared {', '.join(sorted(shared_tw | shared_cp))} and partner {', '.join(sorted(same_partner))}"
    return None, ""


def _widen_partners(conn, event_id: int, partners: list[str]) -> None:
    current = conn.execute(select(events.c.partner_countries).where(events.c.id == event_id)).scalar() or ""
    merged = sorted(set(current.split()) | set(partners))
    conn.execute(update(events).where(events.c.id == event_id).values(partner_countries=" ".join(merged)))
