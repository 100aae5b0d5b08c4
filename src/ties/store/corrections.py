"""The analyst's corrections to the merge: `merge` two events, `split` a document off an event.
Stored as document pairs (documents keep their id when re-ingested), applied by every regroup,
so they survive `ties remerge` and re-ingest."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select

from ..errors import TiesError
from .engagements import regroup_documents
from .schema import actions, corrections, documents, event_sources, merges


def merge_events(conn, first: int, second: int) -> int:
    """Link the two events for good; returns the event that holds both."""
    a, b = _anchor(conn, first), _anchor(conn, second)
    if a == b:
        return first
    _record(conn, "merge", a, b, f"analyst merged events {first} and {second}")
    regroup_documents(conn, {a, b})
    return conn.execute(select(actions.c.event_id).where(actions.c.document_id == a)
                        .where(actions.c.event_id.is_not(None)).order_by(actions.c.seq)).scalar()


def split_document(conn, event_id: int, doc_id: int) -> None:
    """Keep the document out of the event: it must not link with any of the event's other sources."""
    docs = _sources(conn, event_id)
    if doc_id not in docs:
        raise TiesError(f"document {doc_id} is not a source of event {event_id}")
    for other in sorted(docs - {doc_id}):
        _record(conn, "split", doc_id, other, f"analyst split document {doc_id} off event {event_id}")
    regroup_documents(conn, docs)


def listing(conn, event_id: int | None = None, candidates: bool = True) -> list[dict]:
    """Merges (one row per event and document pair, best score), then borderline candidates and
    corrections, for `ties merges`."""
    kinds = ["event", "candidate"] if candidates else ["event"]
    query = (select(merges.c.kind, merges.c.into_id, merges.c.document_id, merges.c.other_document_id,
                    func.max(merges.c.score).label("score"), func.min(merges.c.reason).label("reason"))
             .where(merges.c.kind.in_(kinds))
             .group_by(merges.c.kind, merges.c.into_id, merges.c.document_id, merges.c.other_document_id)
             .order_by(merges.c.kind.desc(), merges.c.into_id))
    if event_id is not None:
        query = query.where(merges.c.into_id == event_id)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["event_id"] = r.pop("into_id")
    return rows + [{"kind": f"correction:{c.kind}", "event_id": None, "document_id": c.document_id,
                    "other_document_id": c.other_document_id, "score": None, "reason": c.note}
                   for c in conn.execute(select(corrections).order_by(corrections.c.id))
                   if event_id is None or {c.document_id, c.other_document_id} & _sources(conn, event_id)]


def _anchor(conn, event_id: int) -> int:
    """The event's most specific source: the document reporting the fewest actions."""
    docs = _sources(conn, event_id)
    if not docs:
        raise TiesError(f"no event {event_id}")
    counts = dict(conn.execute(select(actions.c.document_id, func.count()).where(actions.c.document_id.in_(docs))
                               .group_by(actions.c.document_id)).all())
    return min(docs, key=lambda d: (counts.get(d, 0), d))


def _sources(conn, event_id: int) -> set[int]:
    return {d for (d,) in conn.execute(select(event_sources.c.document_id).where(event_sources.c.event_id == event_id))}


def _record(conn, kind: str, doc_id: int, other: int, note: str) -> None:
    if conn.execute(select(documents.c.id).where(documents.c.id.in_([doc_id, other]))).first() is None:
        raise TiesError("no such document")
    conn.execute(insert(corrections).values(kind=kind, document_id=doc_id, other_document_id=other, note=note,
                                            created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
