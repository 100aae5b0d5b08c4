"""Read-only questions to the database, as plain rows (lists of dicts) for any front end."""
from __future__ import annotations

import json
import re
from collections import Counter
from difflib import SequenceMatcher
from functools import cache

from sqlalchemy import and_, case, func, or_, select

from ..extraction.text import sentences
from ..filters import Filters
from ..resolve.keys import name_key
from .schema import (actions, corrections, doc_initiatives, doc_topics, document_versions, documents, entities,
                     entity_aliases, event_participants, event_partners, event_sources, event_topics, events, mentions,
                     merges, outcomes, partner_topics, stories)
from .memo import unchanged
from .search import COUNT_CAP, search

ALL = Filters()  # no filter


def list_events(conn, filters: Filters = ALL, limit: int = 100, offset: int = 0,
                oldest_first: bool = False) -> list[dict]:
    query = _filtered_events(conn, filters)
    rows = conn.execute(query.order_by(*_by_date(oldest_first)).limit(limit).offset(offset)).mappings().all()
    return [_event_summary(conn, dict(r)) for r in rows]


def _by_date(oldest_first: bool = False) -> tuple:
    day = events.c.date_sort.asc() if oldest_first else events.c.date_sort.desc()
    return day.nulls_last(), events.c.id


def event_facets(conn, filters: Filters = ALL) -> dict:
    """Counts of the filtered events by type, year, partner and topic, most first: one query each,
    once per state of the database (see unchanged)."""
    return unchanged(conn, ("facets", filters.events()), lambda c: _event_facets(c, filters.events()))


def _event_facets(conn, filters: Filters) -> dict:
    matched = _filtered_events(conn, filters).subquery()
    year = func.substr(matched.c.date_sort, 1, 4)
    facets = {"type": conn.execute(select(matched.c.type, func.count()).group_by(matched.c.type)).all(),
              "year": conn.execute(select(year, func.count()).where(matched.c.date_sort.is_not(None))
                                   .group_by(year)).all(),
              "topic": conn.execute(_per_value(event_topics.c.topic, matched, filters)).all(),
              "partner": conn.execute(_per_value(event_partners.c.code, matched, filters)).all()}
    facets["year"] = sorted(((y, n) for y, n in facets["year"] if y and y.isdigit()), reverse=True)  # newest first
    return {name: pairs if name == "year" else sorted(((v, n) for v, n in pairs if v), key=lambda p: (-p[1], p[0]))
            for name, pairs in facets.items()}


def _per_value(column, matched, filters: Filters):
    """Events per value of a join table's COLUMN (event_topics.topic, event_partners.code) among
    MATCHED; with no filter the whole table's index is counted, without a lookup per event."""
    query = select(column, func.count()).group_by(column)
    if filters == ALL:
        return query
    return query.where(column.table.c.event_id.in_(select(matched.c.id)))


def count_events(conn, filters: Filters = ALL) -> int:
    """How many events the filters of list_events() match (all of them, not one page)."""
    def count(c) -> int:
        wanted = filters.events()
        if wanted.partner and wanted == Filters(partner=wanted.partner):
            return _rows_with(c, event_partners.c.code, wanted.partner.upper())
        if wanted.topic and wanted == Filters(topic=wanted.topic):
            return _rows_with(c, event_topics.c.topic, wanted.topic)
        query = _filtered_events(c, wanted).with_only_columns(events.c.id)
        return c.execute(select(func.count()).select_from(query.subquery())).scalar()
    return unchanged(conn, ("count", filters.events()), count)


def _rows_with(conn, column, value: str) -> int:
    """The events with VALUE in a join table's COLUMN (event_partners.code, event_topics.topic):
    its rows (one per event and value), counted in the column's index alone, not joined to events."""
    return conn.execute(select(func.count()).select_from(column.table).where(column == value)).scalar()


def event_ids(conn, filters: Filters = ALL, limit: int = 100_000) -> list[int]:
    """The ids list_events() would list, in its order: for exports of a filtered list."""
    query = _filtered_events(conn, filters).with_only_columns(events.c.id)
    return list(conn.execute(query.order_by(*_by_date()).limit(limit)).scalars())


def partner_codes(conn) -> list[str]:
    """Every partner country that some event names, by number of events: for suggestions."""
    code = event_partners.c.code
    return unchanged(conn, "partner_codes", lambda c: [value for value, _ in Counter(dict(c.execute(
        select(code, func.count()).group_by(code)).all())).most_common()])


def search_with(conn, filters: Filters, limit: int = 20, offset: int = 0, fold: bool = False) -> dict:
    """search_rows() for FILTERS' words (q), dates and site."""
    return search_rows(conn, filters.q or "", limit=limit, offset=offset, fold=fold, **filters.within())


def search_facets(conn, filters: Filters) -> dict:
    """Sites and years of the documents a search finds (its first COUNT_CAP), most first."""
    return unchanged(conn, ("search_facets", filters.q, *filters.within().values()), lambda c: _search_facets(c, filters))


def _search_facets(conn, filters: Filters) -> dict:
    _, hits = search(conn, filters.q or "", limit=COUNT_CAP, **filters.within())
    sites = Counter(h.site for h in hits if h.site)
    years = Counter(h.published[:4] for h in hits if h.published and h.published[:4].isdigit())
    return {"site": sites.most_common(), "year": sorted(years.items(), reverse=True)}


def _filtered_events(conn, filters: Filters, walk: bool = False):
    """The events FILTERS match: the one place event filters become SQL. walk: test each event
    against the partner, topic and type filters (by its own key) instead of collecting all their
    matches first, so the date index reads a page in order and stops (see _walk_in_date_order)."""
    query, f = select(events), filters
    if f.partner:
        query = query.where(_has(event_partners.c.code, f.partner.upper(), walk))
    if f.type:  # type || '' leaves ix_events_type aside when walking in date order
        query = query.where((events.c.type + "" if walk else events.c.type) == f.type.upper())
    if f.since:
        query = query.where(events.c.date_sort >= f.since)
    if f.until:
        query = query.where(events.c.date_sort <= f.until)
    if f.person:
        ids = _entity_ids(conn, f.person)
        query = query.where(events.c.id.in_(select(event_participants.c.event_id).where(
            or_(event_participants.c.entity_id.in_(ids), event_participants.c.name == f.person))))
    if f.topic:
        query = query.where(_has(event_topics.c.topic, f.topic, walk))
    return query


def _has(column, value: str, walk: bool):
    """The event has VALUE in a join table's COLUMN: one lookup per event (walk), or the event is
    among all the table's matches."""
    table = column.table
    if walk:
        return select(table.c.event_id).where(table.c.event_id == events.c.id, column == value).exists()
    return events.c.id.in_(select(table.c.event_id).where(column == value))


def _walk_in_date_order(conn, filters: Filters, rows: int) -> bool:
    """Whether a page of ROWS filtered events is cheaper read in date order, each event tested
    (about ROWS x all / matched events read), than by collecting every match and sorting them
    (about matched): common filters walk, rare ones collect. From the kept counts; SQLite only
    (PostgreSQL's planner weighs this itself)."""
    if conn.dialect.name != "sqlite" or filters.events() == ALL or filters.person:
        return False
    matched = count_events(conn, filters)
    return matched > 0 and rows * count_events(conn, ALL) < matched * matched


def _event_summary(conn, ev: dict) -> dict:
    parts = conn.execute(select(event_participants.c.name, event_participants.c.side)
                         .where(event_participants.c.event_id == ev["id"])).all()
    sources = conn.execute(select(func.count(func.distinct(event_sources.c.document_id)))
                           .where(event_sources.c.event_id == ev["id"])).scalar()
    return {"id": ev["id"], "type": ev["type"], "mode": ev["mode"], "date": ev["date"],
            "partner_countries": (ev["partner_countries"] or "").split(),
            "taiwan_side": [n for n, s in parts if s == "taiwan"],
            "counterparts": [n for n, s in parts if s == "counterpart"], "sources": sources}


def event_detail(conn, event_id: int) -> dict | None:
    row = conn.execute(select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        return None
    detail = _event_summary(conn, dict(row))
    detail["evidence"] = [dict(r) for r in conn.execute(
        select(event_sources.c.document_id, documents.c.title, documents.c.site, documents.c.url,
               documents.c.published, event_sources.c.evidence_start, event_sources.c.evidence_end,
               event_sources.c.evidence, event_sources.c.trigger)
        .join(documents, documents.c.id == event_sources.c.document_id)
        .where(event_sources.c.event_id == event_id).order_by(event_sources.c.document_id)).mappings()]
    detail["outcomes"] = [dict(r) for r in conn.execute(
        select(outcomes.c.document_id, outcomes.c.text, outcomes.c.start, outcomes.c.end)
        .where(outcomes.c.event_id == event_id)).mappings()]
    detail["merged_because"] = _why_merged(conn, event_id, {e["document_id"] for e in detail["evidence"]})
    detail["source_documents"] = _by_document(detail["evidence"])
    return describe(conn, [detail])[0]


def _by_document(evidence: list[dict]) -> list[dict]:
    """The evidence grouped by source document: one entry per source, its sentences inside."""
    docs: dict[int, dict] = {}
    for e in evidence:
        doc = docs.setdefault(e["document_id"], {k: e[k] for k in ("document_id", "title", "site", "url", "published")}
                              | {"evidence": []})
        doc["evidence"].append({k: e[k] for k in ("evidence", "evidence_start", "evidence_end", "trigger")})
    return list(docs.values())


def _why_merged(conn, event_id: int, docs: set[int]) -> list[str]:
    """Per pair of source documents the strongest signals, then the analyst's corrections."""
    best: dict[tuple, tuple[float, str]] = {}
    for a, b, score, reason in conn.execute(
            select(merges.c.document_id, merges.c.other_document_id, merges.c.score, merges.c.reason)
            .where(merges.c.kind == "event", merges.c.into_id == event_id)):
        pair = tuple(sorted((a, b or 0)))
        if pair not in best or (score or 0) > best[pair][0]:
            best[pair] = (score or 0, f"documents {pair[0]} + {pair[1]}: {reason}")
    notes = [note for (note,) in conn.execute(
        select(corrections.c.note).where(or_(corrections.c.document_id.in_(docs),
                                             corrections.c.other_document_id.in_(docs)))
        .order_by(corrections.c.id))]
    return [reason for _, reason in sorted(best.values(), reverse=True)] + notes


def partners(conn) -> list[dict]:
    """Per partner country: engagements, first and last date, top topics."""
    stats: dict[str, dict] = {}
    for event_id, date, codes in conn.execute(select(events.c.id, events.c.date_sort, events.c.partner_countries)):
        for code in (codes or "").split():
            s = stats.setdefault(code, {"country": code, "engagements": 0, "first": None, "last": None,
                                        "_events": []})
            s["engagements"] += 1
            s["_events"].append(event_id)
            if date:
                s["first"] = min(filter(None, [s["first"], date]))
                s["last"] = max(filter(None, [s["last"], date]))
    for s in stats.values():
        topics = conn.execute(select(doc_topics.c.topic).join(
            event_sources, event_sources.c.document_id == doc_topics.c.document_id)
            .where(event_sources.c.event_id.in_(s.pop("_events")))).scalars()
        s["top_topics"] = [t for t, _ in Counter(topics).most_common(3)]
    return sorted(stats.values(), key=lambda s: (-s["engagements"], s["country"]))


def _entity_ids(conn, name: str) -> list[int]:
    return list(conn.execute(select(entity_aliases.c.entity_id).where(entity_aliases.c.alias_key == name_key(name))).scalars())


def person(conn, name: str) -> dict | None:
    """The person NAME names (see find_person), or None."""
    return find_person(conn, name)[0]


def find_person(conn, name: str) -> tuple[dict | None, list[str]]:
    """The person NAME names: any alias, a word of a Latin name (Tang), or a surname with a short
    title (龔主委) that only one stored person fits. Otherwise no person, and the names to suggest:
    the several that fit, or the closest spellings."""
    ids = _person_ids(conn, name.strip())
    if len(ids) == 1:
        return entity(conn, ids[0], "person"), []
    if ids:
        return None, list(conn.execute(select(entities.c.name).where(entities.c.id.in_(ids))
                                       .order_by(entities.c.name)).scalars())
    return None, _closest_persons(conn, name.strip())


def _person_ids(conn, name: str) -> list[int]:
    persons = select(entities.c.id).where(entities.c.kind == "person")
    exact = conn.execute(persons.where(entities.c.id.in_(_entity_ids(conn, name))).order_by(entities.c.id)).scalars()
    if found := list(exact)[:1]:
        return found
    if LATIN_NAME.match(name):
        return _latin_word_ids(conn, name)
    return _surname_title_ids(conn, name)


LATIN_NAME = re.compile(r"^[^\W\d_][\w.'’ -]*$", re.ASCII)


def _latin_word_ids(conn, word: str) -> list[int]:
    """Persons with WORD as one word of a stored alias or of a known office holder's Latin name."""
    whole = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", re.I)
    names = {h["name"] for h in _holders() if any(whole.search(a) for a in h.get("aliases") or [])}
    rows = conn.execute(select(entity_aliases.c.entity_id, entity_aliases.c.alias).join(
        entities, entities.c.id == entity_aliases.c.entity_id).where(
        entities.c.kind == "person", or_(entity_aliases.c.alias_key.contains(name_key(word), autoescape=True),
                                         entity_aliases.c.alias_key.in_([name_key(n) for n in names]))))
    return sorted({r.entity_id for r in rows if whole.search(r.alias) or name_key(r.alias) in map(name_key, names)})


def _surname_title_ids(conn, name: str) -> list[int]:
    """龔主委, 林部長: persons with that surname; when several, those whose title fits the short title."""
    for cut in (1, 2):  # one- and two-character surnames
        surname, title = name[:cut], name[cut:]
        if title not in _surname_titles():
            continue
        rows = conn.execute(select(entities.c.id, entities.c.title).where(
            entities.c.kind == "person", entities.c.name.startswith(surname, autoescape=True))).all()
        forms = _title_forms(title)
        fitting = [r.id for r in rows if r.title and any(f in r.title or r.title in f for f in forms)]
        return fitting if len(rows) > 1 and fitting else [r.id for r in rows]
    return []


def _surname_titles() -> set[str]:
    from ..knowledge import load
    return set(load("titles").get("surname_titles") or [])


def _title_forms(title: str) -> set[str]:
    """A short title and its long form (主委 → 主任委員) from the titles knowledge."""
    from ..knowledge import load
    return {title} | {t["long"] for t in load("titles").get("titles") or [] if t.get("title") == title and t.get("long")}


def _holders() -> list[dict]:
    from ..extraction.gazetteer import gazetteer
    return [h for office in gazetteer().offices for h in office.get("holders") or []]


def _closest_persons(conn, name: str, n: int = 5) -> list[str]:
    """The stored persons whose name or alias is spelt closest to NAME, else those sharing its surname."""
    from difflib import get_close_matches

    by_key: dict[str, str] = {}
    for alias_key, person_name in conn.execute(select(entity_aliases.c.alias_key, entities.c.name).join(
            entities, entities.c.id == entity_aliases.c.entity_id).where(entities.c.kind == "person")):
        by_key.setdefault(alias_key, person_name)
    close = get_close_matches(name_key(name), list(by_key), n=n * 2, cutoff=0.5)
    if not close and name and not name[0].isascii():
        close = [k for k in by_key if k.startswith(name_key(name)[:1])]
    return list(dict.fromkeys(by_key[k] for k in close))[:n]


def _offices(name: str) -> list[dict]:
    from ..extraction.gazetteer import gazetteer
    found = []
    for office in gazetteer().offices:
        for holder in office.get("holders") or []:
            if holder.get("name") == name:
                found.append({"office": office.get("office"), "from": str(holder.get("from") or "") or None,
                              "to": str(holder.get("to") or "") or None})
    return found


def stats(conn) -> dict:
    return dict(unchanged(conn, "stats", _stats))


def _stats(conn) -> dict:
    count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar()  # noqa: E731
    return {"stories": count(stories), "documents": count(documents), "events": count(events),
            "persons": conn.execute(select(func.count()).where(entities.c.kind == "person")).scalar(),
            "organizations": conn.execute(select(func.count()).where(entities.c.kind == "organization")).scalar(),
            "events_with_several_sources": conn.execute(select(func.count()).select_from(
                select(event_sources.c.event_id).group_by(event_sources.c.event_id)
                .having(func.count(func.distinct(event_sources.c.document_id)) > 1).subquery())).scalar()}


def search_rows(conn, query: str, **filters) -> dict:
    """{total, total_is_exact, results}: totals above COUNT_CAP are reported as COUNT_CAP+."""
    total, hits = search(conn, query, **filters)
    results = [{k: v for k, v in vars(h).items() if k != "parts"} for h in hits]
    return {"total": min(total, COUNT_CAP), "total_is_exact": total <= COUNT_CAP, "results": results}


def document(conn, doc_id: int) -> dict | None:
    row = conn.execute(select(documents.c.id, documents.c.story_id, documents.c.title, documents.c.url,
                              documents.c.site, documents.c.published, documents.c.format, documents.c.text)
                       .where(documents.c.id == doc_id)).mappings().first()
    if row is None:
        return None
    doc = dict(row)
    doc["events"] = [dict(r) for r in conn.execute(
        select(event_sources.c.event_id, event_sources.c.evidence_start, event_sources.c.evidence_end)
        .where(event_sources.c.document_id == doc_id)).mappings()]
    doc["topics"] = list(conn.execute(select(doc_topics.c.topic).where(doc_topics.c.document_id == doc_id)).scalars())
    doc["other_sources"] = [dict(r) for r in conn.execute(
        select(documents.c.id, documents.c.site, documents.c.url, documents.c.title)
        .where(documents.c.story_id == row["story_id"], documents.c.id != doc_id)).mappings()]
    doc["versions"] = versions(conn, doc_id)
    return doc


VERSION_COLUMNS = ("version", "ingested_at", "published", "title")  # origin (a local path) only when asked


def versions(conn, doc_id: int, origin: bool = False) -> list[dict]:
    """Every text the document has had, oldest first; the last is the one its facts come from."""
    rows = conn.execute(select(*_version_columns(origin), func.length(document_versions.c.text).label("chars"))
                        .where(document_versions.c.document_id == doc_id)
                        .order_by(document_versions.c.version)).mappings()
    return [dict(r) for r in rows]


def document_version(conn, doc_id: int, number: int, origin: bool = False) -> dict | None:
    row = conn.execute(select(*_version_columns(origin), document_versions.c.text)
                       .where(document_versions.c.document_id == doc_id, document_versions.c.version == number)
                       ).mappings().first()
    return dict(row) if row else None


def changes(old_text: str, new_text: str) -> list[dict]:
    """What a later text changed, sentence by sentence: {"change": "removed"|"added", "sentence"}."""
    old, new = [s.text for s in sentences(old_text)], [s.text for s in sentences(new_text)]
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            out += [{"change": "removed", "sentence": t} for t in old[i1:i2]]
            out += [{"change": "added", "sentence": t} for t in new[j1:j2]]
    return out


def _version_columns(origin: bool) -> list:
    return [document_versions.c[c] for c in (*VERSION_COLUMNS, *(["origin"] if origin else []))]


def entity(conn, entity_id: int, kind: str | None = None) -> dict | None:
    query = select(entities).where(entities.c.id == entity_id)
    if kind:
        query = query.where(entities.c.kind == kind)
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["aliases"] = list(conn.execute(select(entity_aliases.c.alias)
                                         .where(entity_aliases.c.entity_id == entity_id)).scalars())
    found["offices"] = _offices(row["name"]) if row["kind"] == "person" else []
    event_ids = select(event_participants.c.event_id).where(event_participants.c.entity_id == entity_id)
    found["engagements"] = [_event_summary(conn, dict(r)) for r in conn.execute(
        select(events).where(events.c.id.in_(event_ids)).order_by(events.c.date_sort.desc().nulls_last())).mappings()]
    found["documents"] = [dict(r) for r in conn.execute(
        select(documents.c.id, documents.c.title, documents.c.published, documents.c.site)
        .where(documents.c.id.in_(select(mentions.c.document_id).where(mentions.c.entity_id == entity_id)))
        .order_by(documents.c.published.desc())).mappings()]
    return found


def partner(conn, code: str) -> dict:
    code = code.upper()
    evs = list_events(conn, Filters(partner=code), limit=10000)
    by_year = Counter((e["date"] or "")[:4] for e in evs if e["date"] and not e["date"].startswith("--"))
    people = Counter(n for e in evs for n in e["counterparts"])
    summary = next((p for p in partners(conn) if p["country"] == code), None)
    return {"country": code, "engagements": len(evs), "by_year": dict(sorted(by_year.items())),
            "top_topics": summary["top_topics"] if summary else [], "people_met": [n for n, _ in people.most_common(20)],
            "events": evs}


def initiatives(conn, limit: int = 100, offset: int = 0) -> list[dict]:
    rows = conn.execute(select(doc_initiatives.c.name, doc_initiatives.c.kind,
                               func.count(func.distinct(doc_initiatives.c.document_id)).label("documents"))
                        .group_by(doc_initiatives.c.name, doc_initiatives.c.kind)
                        .order_by(func.count(func.distinct(doc_initiatives.c.document_id)).desc(), doc_initiatives.c.name)
                        .limit(limit).offset(offset)).mappings()
    return [dict(r) for r in rows]


def timeline(conn, filters: Filters = ALL) -> dict[str, int]:
    """Engagements per month (YYYY-MM) for the filtered event list, counted in SQL; events dated
    only to a year or to a day without a year are left out."""
    return dict(unchanged(conn, ("timeline", filters.events()), lambda c: _timeline(c, filters.events())))


def _timeline(conn, filters: Filters) -> dict[str, int]:
    matched = _filtered_events(conn, filters).subquery()
    month = func.substr(matched.c.date, 1, 7)
    rows = conn.execute(select(month, func.count()).where(func.length(matched.c.date) >= 7,
                                                          ~matched.c.date.startswith("--")).group_by(month)).all()
    return dict(sorted((m, n) for m, n in rows))


def participant_graph(conn, max_nodes: int = 80) -> dict:
    """Who meets whom: entities as nodes, an edge when two take part in the same engagement."""
    rows = conn.execute(select(event_participants.c.event_id, event_participants.c.entity_id,
                               event_participants.c.side, entities.c.name, entities.c.kind, entities.c.country)
                        .join(entities, entities.c.id == event_participants.c.entity_id)).all()
    by_event: dict[int, list] = {}
    for r in rows:
        by_event.setdefault(r.event_id, []).append(r)
    degree: Counter = Counter()
    edges: Counter = Counter()
    for members in by_event.values():
        for a in members:
            degree[a.entity_id] += 1
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.entity_id != b.entity_id:
                    edges[tuple(sorted((a.entity_id, b.entity_id)))] += 1
    keep = {eid for eid, _ in degree.most_common(max_nodes)}
    info = {r.entity_id: r for r in rows}
    nodes = [{"id": eid, "name": info[eid].name, "kind": info[eid].kind, "country": info[eid].country,
              "side": info[eid].side, "weight": degree[eid]} for eid in keep]
    links = [{"source": a, "target": b, "weight": w} for (a, b), w in edges.items() if a in keep and b in keep]
    return {"nodes": sorted(nodes, key=lambda n: -n["weight"]), "links": links}


# An engagement as a record: who (with title and body, each linkable), what, where, the named
# initiatives, topics and the source headline; built for a page of events in a few queries.
VERBS = {"CONSULT": "met", "AGREE": "reached an agreement with", "COOPERATE": "cooperated with",
         "AID": "gave aid to", "SUPPORT": "expressed support for", "REQUEST": "made a request to"}
SIGNED_KINDS = ("agreement",)


def list_records(conn, filters: Filters = ALL, limit: int = 100, offset: int = 0,
                 oldest_first: bool = False) -> list[dict]:
    """list_events() rows with the fields of describe(), in a few queries for the whole page."""
    query = _filtered_events(conn, filters, walk=_walk_in_date_order(conn, filters, offset + limit))
    rows = conn.execute(query.order_by(*_by_date(oldest_first)).limit(limit).offset(offset)).mappings().all()
    return describe(conn, [_plain(r) for r in rows])


def _plain(event) -> dict:
    """An events row as list rows start: describe() adds the rest."""
    return {"id": event["id"], "type": event["type"], "mode": event["mode"], "date": event["date"],
            "partner_countries": (event["partner_countries"] or "").split()}


def describe(conn, rows: list[dict]) -> list[dict]:
    """Add to event rows (of list_events or event_detail) participants with titles, bodies and page
    links, topics, place, named initiatives, the source headline and a one-line summary."""
    ids = [r["id"] for r in rows]
    if not ids:
        return rows
    people, docs, topics, actions = (_participants_of(conn, ids), _documents_of(conn, ids),
                                     _topics_of(conn, ids), _actions_of(conn, ids))
    kinds = _initiative_kinds(conn, [d["document_id"] for ds in docs.values() for d in ds])
    for row in rows:
        records = actions.get(row["id"], [])
        places = Counter(r["location"] for r in records if r.get("location"))
        names = dict.fromkeys(n for r in records for n in r.get("initiatives") or [])
        named = people.get(row["id"], [])
        row.update(taiwan_side=[p["name"] for p in named if p["side"] == "taiwan"],
                   counterparts=[p["name"] for p in named if p["side"] == "counterpart"])
        row.update(participants=named, topics=sorted(topics.get(row["id"], set())),
                   place=places.most_common(1)[0][0] if places else None,
                   initiatives=[{"name": n, "kind": kinds.get(n)} for n in names],
                   headline=(docs.get(row["id"]) or [{}])[0].get("title"), sources=len(docs.get(row["id"], [])))
        row["summary"] = summary(row)
    return rows


def summary(row: dict) -> str:
    """X（body） met Y（body） in Z; signed 「agreement」: from the record's own fields."""
    def who(side: str) -> str:
        named = [p for p in row["participants"] if p["side"] == side]
        named.sort(key=lambda p: p["kind"] != "person")  # a person first, then bodies
        shown = [p["name"] + (f"（{p['affiliation'] or p['title']}）" if p["affiliation"] or p["title"] else "")
                 for p in named[:2]]
        more = f" +{len(named) - 2}" if len(named) > 2 else ""
        return "、".join(shown) + more
    partners = "、".join(country_name(c) for c in row["partner_countries"])
    verb = VERBS.get(row["type"], "engaged with")
    text = f"{who('taiwan') or '台灣'} {verb} {who('counterpart') or partners or '—'}"
    if row.get("place"):
        text += f" in {row['place']}"
    signed = [i["name"] for i in row.get("initiatives", []) if i["kind"] in SIGNED_KINDS]
    if signed:
        text += "; signed " + "、".join(f"「{n}」" for n in signed)
    return text


def country_name(code: str) -> str:
    return _territory_names().get(code, code)


@cache
def _territory_names() -> dict[str, str]:
    """Territory names in Traditional Chinese, read once (parsing the locale costs more than a page's SQL)."""
    from babel import Locale
    return dict(Locale.parse("zh_Hant_TW").territories)


def _participants_of(conn, ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for r in conn.execute(select(event_participants.c.event_id, event_participants.c.name, event_participants.c.side,
                                 event_participants.c.entity_id, entities.c.kind, entities.c.title,
                                 entities.c.affiliation)
                          .join(entities, entities.c.id == event_participants.c.entity_id, isouter=True)
                          .where(event_participants.c.event_id.in_(ids))):
        page = {"person": "persons", "organization": "organizations"}.get(r.kind)
        found.setdefault(r.event_id, []).append({
            "name": r.name, "side": r.side, "kind": r.kind, "entity_id": r.entity_id, "title": r.title,
            "affiliation": r.affiliation, "url": f"/{page}/{r.entity_id}" if page and r.entity_id else None})
    return found


def _documents_of(conn, ids: list[int]) -> dict[int, list[dict]]:
    """Each event's distinct source documents, earliest published first."""
    found: dict[int, list[dict]] = {}
    for r in conn.execute(select(event_sources.c.event_id, documents.c.id, documents.c.title, documents.c.published)
                          .join(documents, documents.c.id == event_sources.c.document_id)
                          .where(event_sources.c.event_id.in_(ids)).distinct()
                          .order_by(documents.c.published.nulls_last(), documents.c.id)):
        found.setdefault(r.event_id, []).append({"document_id": r.id, "title": r.title, "published": r.published})
    return found


def _topics_of(conn, ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for event_id, topic in conn.execute(select(event_topics.c.event_id, event_topics.c.topic)
                                        .where(event_topics.c.event_id.in_(ids))):
        found.setdefault(event_id, set()).add(topic)
    return found


def _actions_of(conn, ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for event_id, record in conn.execute(select(actions.c.event_id, actions.c.record)
                                         .where(actions.c.event_id.in_(ids)).order_by(actions.c.document_id, actions.c.seq)):
        try:
            found.setdefault(event_id, []).append(json.loads(record))
        except (TypeError, ValueError):
            continue
    return found


def _initiative_kinds(conn, document_ids: list[int]) -> dict[str, str]:
    if not document_ids:
        return {}
    return dict(conn.execute(select(doc_initiatives.c.name, doc_initiatives.c.kind)
                             .where(doc_initiatives.c.document_id.in_(set(document_ids)))).all())


def partner_brief(conn, filters: Filters) -> dict:
    """The engagements of FILTERS' partner (within its dates) oldest first, each with its outcomes
    (once each), named initiatives and sources numbered as footnotes (one number per document
    across the brief)."""
    code = filters.partner.upper()
    ids = event_ids(conn, filters)
    records = sorted(export_records(conn, ids), key=lambda d: (d["date"] or "9999", d["id"]))
    wanted = {e["document_id"] for d in records for e in d["evidence"]}
    docs = {r["id"]: dict(r) for r in conn.execute(select(documents.c.id, documents.c.title, documents.c.site,
                                                          documents.c.url, documents.c.published)
                                                   .where(documents.c.id.in_(wanted))).mappings()}
    notes: dict[int, dict] = {}
    for d in records:
        d["notes"], d["outcome_texts"] = [], list(dict.fromkeys(o["text"] for o in d["outcomes"]))
        for doc_id in dict.fromkeys(e["document_id"] for e in d["evidence"]):
            doc = docs[doc_id]
            note = notes.setdefault(doc_id, {"document_id": doc_id, "number": len(notes) + 1,
                                             **{k: doc[k] for k in ("title", "site", "url", "published")}})
            d["notes"].append(note["number"])
    return {"country": code, "name": country_name(code), "since": filters.since, "until": filters.until, "events": records,
            "notes": list(notes.values())}


def partner_page(conn, code: str, rows: int = 50) -> dict:
    """What partner() tells, aggregated in SQL, with only the newest ROWS events (as list_records),
    and the partner's engagements per month (as timeline()). Only what the page shows is counted,
    once per state of the database: the top topics from the counts kept in partner_topics, the rest
    from the partner's event_partners rows (a covering index), one index lookup per event."""
    code = code.upper()
    facts = unchanged(conn, ("partner_page", code), lambda c: _partner_facts(c, code))
    return {"country": code, "engagements": count_events(conn, Filters(partner=code)), "by_year": dict(facts["by_year"]),
            "top_topics": list(facts["top_topics"]), "people_met": list(facts["people_met"]),
            "timeline": dict(facts["timeline"]), "events": list_records(conn, Filters(partner=code), limit=rows)}


def _partner_facts(conn, code: str) -> dict:
    """What a partner's page shows besides its count and newest rows; nothing it does not show."""
    by_year, by_month = _partner_dates(conn, code)
    return {"by_year": by_year, "timeline": by_month, "top_topics": _partner_top_topics(conn, code),
            "people_met": _people_met(conn, code)}


def _partner_dates(conn, code: str) -> tuple[list, list]:
    """The partner's events by year (as event_facets' year: of date_sort) and by month (as
    timeline(): of date, when it names a month of a year), oldest first, in one pass."""
    year = func.substr(events.c.date_sort, 1, 4)
    month = case((and_(func.length(events.c.date) >= 7, ~events.c.date.startswith("--")), func.substr(events.c.date, 1, 7)))
    by_year: Counter = Counter()
    by_month: Counter = Counter()
    for y, m, n in conn.execute(select(year, month, func.count()).join_from(
            event_partners, events, events.c.id == event_partners.c.event_id)
            .where(event_partners.c.code == code).group_by(year, month)):
        if y and y.isdigit():
            by_year[y] += n
        if m:
            by_month[m] += n
    return sorted(by_year.items()), sorted(by_month.items())


def _partner_top_topics(conn, code: str, n: int = 3) -> list[str]:
    """The N topics most of the partner's events have (as event_facets' topic: most events first,
    then by name), from the kept counts: one row per topic, however many events."""
    counts = conn.execute(select(partner_topics.c.topic, partner_topics.c.events)
                          .where(partner_topics.c.code == code, partner_topics.c.events > 0)).all()
    return [t for t, _ in sorted(((t, k) for t, k in counts if t), key=lambda p: (-p[1], p[0]))[:n]]


def _people_met(conn, code: str, n: int = 20) -> list[str]:
    """The N counterpart names in most of the partner's events (ties by name)."""
    met = func.count().label("n")
    return list(conn.execute(select(event_participants.c.name, met).join_from(
        event_partners, event_participants, event_participants.c.event_id == event_partners.c.event_id)
        .where(event_partners.c.code == code, event_participants.c.side == "counterpart")
        .group_by(event_participants.c.name).order_by(met.desc(), event_participants.c.name).limit(n)).scalars())


def entity_page(conn, entity_id: int, kind: str, rows: int = 50) -> dict | None:
    """What entity() tells, with only the newest ROWS engagements (as list_records) and documents,
    and their totals."""
    row = conn.execute(select(entities).where(entities.c.id == entity_id, entities.c.kind == kind)).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["aliases"] = list(conn.execute(select(entity_aliases.c.alias)
                                         .where(entity_aliases.c.entity_id == entity_id)).scalars())
    found["offices"] = _offices(row["name"]) if kind == "person" else []
    taking_part = select(event_participants.c.event_id).where(event_participants.c.entity_id == entity_id)
    found["total_engagements"] = conn.execute(select(func.count()).where(events.c.id.in_(taking_part))).scalar()
    newest = conn.execute(select(events).where(events.c.id.in_(taking_part))
                          .order_by(*_by_date()).limit(rows)).mappings()
    found["engagements"] = describe(conn, [_plain(r) for r in newest])
    mentioned = documents.c.id.in_(select(mentions.c.document_id).where(mentions.c.entity_id == entity_id))
    found["total_documents"] = conn.execute(select(func.count()).where(mentioned)).scalar()
    found["documents"] = [dict(r) for r in conn.execute(
        select(documents.c.id, documents.c.title, documents.c.published, documents.c.site).where(mentioned)
        .order_by(documents.c.published.desc()).limit(rows * 2)).mappings()]
    return found


def partner_table(conn) -> list[dict]:
    """partners() in two queries grouped by partner code (event_partners). Top topics count each source document of an event once
    and tie-break by name."""
    code = event_partners.c.code
    stats = {c: {"country": c, "engagements": n, "first": first, "last": last, "_topics": Counter()}
             for c, n, first, last in conn.execute(
                 select(code, func.count(), func.min(events.c.date_sort), func.max(events.c.date_sort))
                 .join(events, events.c.id == event_partners.c.event_id).group_by(code))}
    reports = select(event_sources.c.event_id, event_sources.c.document_id).distinct().subquery()  # once per source
    for c, topic, n in conn.execute(
            select(code, doc_topics.c.topic, func.count()).select_from(event_partners)
            .join(reports, reports.c.event_id == event_partners.c.event_id)
            .join(doc_topics, doc_topics.c.document_id == reports.c.document_id).group_by(code, doc_topics.c.topic)):
        stats[c]["_topics"][topic] += n
    for s in stats.values():
        s["top_topics"] = [t for t, _ in sorted(s.pop("_topics").items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    return sorted(stats.values(), key=lambda s: (-s["engagements"], s["country"]))


def top_participant_graph(conn, max_nodes: int = 80) -> dict:
    """participant_graph() counted in SQL: the MAX_NODES entities taking part most often (ties by
    id), each on the side it takes most, and the engagements shared between them."""
    part = event_participants
    weight = func.count().label("weight")
    top = dict(conn.execute(select(part.c.entity_id, weight).where(part.c.entity_id.is_not(None))
                            .group_by(part.c.entity_id).order_by(weight.desc(), part.c.entity_id).limit(max_nodes)).all())
    if not top:
        return {"nodes": [], "links": []}
    sides: dict[int, Counter] = {}
    for entity_id, side, n in conn.execute(select(part.c.entity_id, part.c.side, func.count())
                                           .where(part.c.entity_id.in_(top)).group_by(part.c.entity_id, part.c.side)):
        sides.setdefault(entity_id, Counter())[side] = n
    nodes = [{"id": r.id, "name": r.name, "kind": r.kind, "country": r.country,
              "side": sides[r.id].most_common(1)[0][0], "weight": top[r.id]}
             for r in conn.execute(select(entities.c.id, entities.c.name, entities.c.kind, entities.c.country)
                                   .where(entities.c.id.in_(top)))]
    a, b = part.alias("a"), part.alias("b")
    links = [{"source": x, "target": y, "weight": n} for x, y, n in conn.execute(
        select(a.c.entity_id, b.c.entity_id, func.count()).join(b, a.c.event_id == b.c.event_id)
        .where(a.c.entity_id.in_(top), b.c.entity_id.in_(top), a.c.entity_id < b.c.entity_id)
        .group_by(a.c.entity_id, b.c.entity_id))]
    return {"nodes": sorted(nodes, key=lambda n: (-n["weight"], n["id"])), "links": links}


def export_records(conn, ids: list[int], chunk: int = 500):
    """Event records with what exports need (describe() fields, outcomes, evidence with its
    document's URL), for many events in a few queries per CHUNK, in the order of IDS."""
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows = {r["id"]: _plain(r) for r in conn.execute(select(events).where(events.c.id.in_(part))).mappings()}
        records = describe(conn, [rows[i] for i in part if i in rows])
        found: dict[str, dict[int, list]] = {"outcomes": {}, "evidence": {}}
        for r in conn.execute(select(outcomes.c.event_id, outcomes.c.document_id, outcomes.c.text, outcomes.c.start,
                                     outcomes.c.end).where(outcomes.c.event_id.in_(part))).mappings():
            found["outcomes"].setdefault(r["event_id"], []).append(dict(r))
        for r in conn.execute(select(event_sources.c.event_id, event_sources.c.document_id, documents.c.url,
                                     event_sources.c.evidence)
                              .join(documents, documents.c.id == event_sources.c.document_id)
                              .where(event_sources.c.event_id.in_(part)).order_by(event_sources.c.document_id)).mappings():
            found["evidence"].setdefault(r["event_id"], []).append(dict(r))
        for record in records:
            record["outcomes"] = found["outcomes"].get(record["id"], [])
            record["evidence"] = found["evidence"].get(record["id"], [])
            yield record
