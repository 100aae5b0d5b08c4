"""Events as occasions: each document's actions are stored as extracted, and events are the
connected groups of actions that the resolve rule calls one engagement (plus the analyst's
corrections). Groups are recomputed locally when a document arrives, changes or is corrected,
so the events do not depend on ingest order."""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from bisect import bisect_right
from collections import Counter
from functools import cache, lru_cache
from itertools import combinations
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, delete, func, insert, or_, select, text, type_coerce, update

from ..model import Document, Extraction
from ..types import date as partial_date
from ..resolve.engagement import (Report, Verdict, index_keys, make_report, probe_keys, rules, same_engagement,
                                  shared_set)
from ..resolve.keys import name_key, participant_keys
from ..resolve.dates import date_sort
from . import direct
from .schema import (STORY_OF_DOCUMENT_INDEX, action_keys, actions, corrections, documents, entity_aliases,
                     event_participants, event_sources, events, merges, outcomes)
from .venue import venue

ANALYST_MERGE = 1000.0  # the score recorded for a link the analyst asked for
REPORT = "REPORT"  # the type of a document-level report (never an event's type)


def store_actions(conn, doc_id: int, doc: Document, found: Extraction,
                  entity_ids: dict[str, int] | None = None, rows: list[tuple] | None = None) -> dict[int, "_Action"]:
    """One row per extracted action (ROWS: its action_rows, when computed already), with the
    entity ids of its participants by name key, so events need no lookup."""
    rows = action_rows(doc, found) if rows is None else rows
    for _, type_, _, record, _ in rows:
        if type_ != REPORT:  # (a document's report names no participants)
            record["entity_ids"] = {n: (entity_ids or {}).get(name_key(n))
                                    for n in record["taiwan"] + record["counterparts"]}
    return _insert(conn, doc_id, rows)


def action_rows(doc: Document, found: Extraction) -> list[tuple]:
    """(seq, type, date, record, Report) per extracted action, from the document alone: the record
    with the document context the merge rule reads, and its Report (ties ingest computes them in
    the extraction workers). The participants' entity ids are added when stored."""
    lead_chars = rules()["lead_chars"]
    headline = doc.title or doc.text.strip().split("\n", 1)[0][:lead_chars]
    lead = doc.text.strip()[:lead_chars]
    initiatives = sorted({i.name for i in found.initiatives})
    persons = {n for p in found.persons for n in [p.name, *p.aliases]}
    affiliations = {n: p.affiliation for p in found.persons if p.affiliation for n in [p.name, *p.aliases]}
    aliases = {o.name: o.aliases for o in found.organizations if o.aliases}  # persons are keyed by their forms
    rows = []
    news = _news(found.events, doc.published)
    for seq, ev in enumerate(found.events):
        names = ev.taiwan_side + ev.counterparts
        record = {"mode": ev.mode, "trigger": ev.trigger, "location": ev.location or venue(ev, found.places, doc.text),
                  "from_row": ev.from_row, "day_of_month": ev.day_of_month,
                  "taiwan": ev.taiwan_side, "counterparts": ev.counterparts, "partners": ev.partner_countries,
                  "evidence": [[s.start, s.end, doc.text[s.start:s.end]] for s in dict.fromkeys(ev.evidence)],
                  "outcomes": [[c, s.start, s.end] for c, s in ev.outcomes], "initiatives": initiatives,
                  "persons": sorted(persons & set(ev.taiwan_side + ev.counterparts)),
                  "affiliations": _affiliations(ev, found, affiliations),
                  "headline": headline, "lead": lead, "published": doc.published,
                  "published_partial": doc.published_partial, "news": ev is news,
                  "aliases": {n: aliases[n] for n in names if n in aliases}}
        rows.append((seq, ev.type, ev.date, record))
    if not found.events:
        rows += _document_report(doc, found, headline, lead, initiatives)
    return [(seq, type_, date, record, _report_of(type_, date, record)) for seq, type_, date, record in rows]


def _affiliations(ev, found: Extraction, known: dict[str, str]) -> dict[str, str]:
    """The body of each participant: as extracted, else, for a foreign person, the first foreign
    body named in the sentences that report the event (印度台北協會…舉辦國慶酒會，由代表德寧瀚主持):
    another outlet may name only the body."""
    found_known = {n: known[n] for n in ev.taiwan_side + ev.counterparts if n in known}
    spans = [(s.start, s.end) for s in ev.evidence]
    foreign = [o for o in found.organizations if o.country not in (None, "TW")
               and any(a <= s.start and s.end <= b for s in o.spans for a, b in spans)]
    if not foreign:
        return found_known
    first = min(foreign, key=lambda o: min(s.start for s in o.spans)).name
    persons = {p.name for p in found.persons}
    return {**{n: first for n in ev.counterparts if n in persons}, **found_known}


def _insert(conn, doc_id: int, rows: list[tuple]) -> dict[int, "_Action"]:
    """All of a document's actions in one statement, each with its compact report (what the merge
    reads of a candidate, so candidates are read without parsing their whole record)."""
    if not rows:
        return {}
    values, reports = [], []
    for seq, type_, date, record, report in rows:
        reports.append((record, report))
        values.append({"document_id": doc_id, "seq": seq, "type": type_, "date": date,
                       "record": json.dumps(record, ensure_ascii=False),
                       "report": _compact(report, record["from_row"]), "mode": record["mode"], "trusted": report.date})
    ids = [direct.inserted_id(conn, _INSERT_ACTION, v) for v in values]  # in order: the ids ascend with seq
    return {i: _Action.stored(i, doc_id, v["type"], v["date"], *report) for i, v, report in zip(ids, values, reports)}


def _document_report(doc, found, headline, lead, initiatives) -> list[tuple]:
    """A document with no extracted action: its headline and lead, with the people, bodies and
    countries named there, may still report an occasion other documents give as an action. It
    joins such an event as a source; alone it makes no event."""
    named = [(item.name, item.country) for item in [*found.persons, *found.organizations]
             if any(s.start < len(lead) for s in item.spans)]
    sentence = re.search(r"[^\s][^。！？\n]*[。！？]?", lead)
    if not named or not sentence:
        return []
    record = {"mode": None, "trigger": "", "location": None, "from_row": False, "document_level": True,
              "taiwan": [n for n, c in named if c in ("TW", None)],
              "counterparts": [n for n, c in named if c != "TW"],
              "partners": sorted(set(found.countries) - {"TW"}), "persons": [],
              "evidence": [[sentence.start(), sentence.end(), sentence.group()]], "outcomes": [],
              "initiatives": initiatives, "headline": headline, "lead": lead, "published": doc.published,
              "affiliations": {}}
    return [(0, REPORT, doc.published, record)]


def _date_known(date: str | None, published: str | None) -> bool:
    """A year alone in a document with no publication date is a guess (relative dates had nothing
    to resolve against; a year in the text may be background), so the merge treats it as no date."""
    return bool(date) and (bool(published) or len(date) > 4)


def _news(events: list, published: str | None):
    """The engagement a story reports when none of its engagements is of the publication week: the
    one it tells first (今年6月…進行聯合演練, reported in October). It is the news, not background."""
    if not events or any(e.date and not _background(e.date, published) for e in events):
        return None
    return min(events, key=lambda e: min((s.start for s in e.evidence), default=0))


def _background(date: str | None, published: str | None) -> bool:
    """Dated well before the publication: an earlier occasion the report recalls."""
    day, pub = date_sort(date), date_sort(published)
    if not day or not pub or not published or len(published) < 10:
        return False
    end = partial_date.span(date)[1]
    return (dt.date.fromisoformat(pub) - end).days > rules()["background_days"]


def _prominent(r: dict, date: str | None) -> bool:
    """Reported in the lead, or the headline names a participant or the body a participant speaks
    for; and not an earlier occasion recalled (computed when read, so remerge applies new rules)."""
    if r.get("document_level"):
        return True
    names = r["taiwan"] + r["counterparts"]
    start = min((s for s, _, _ in r["evidence"]), default=0)
    bodies, known_as = r.get("affiliations", {}), r.get("aliases", {})
    # a headline names a participant by any name the report gives it (貿協 for 外貿協會)
    written = names + [bodies.get(n, "") for n in names] + [a for n in names for a in known_as.get(n, [])]
    in_headline = any(n and n in r["headline"] for n in written)
    recalled = _background(date, r.get("published")) and not r.get("news")
    return (start < rules()["lead_chars"] or in_headline) and not recalled


def link(conn, new: dict[int, "_Action"], corrected: bool = True) -> None:
    """Index the new actions, score them against their candidates only, and join the events they
    link to (existing events are already whole groups, so no pair is scored twice). corrected=False:
    their documents were just inserted, so no correction names them yet (nothing to read)."""
    if not new:
        return
    _index(conn, new)
    must, never = _corrections(conn, {a.doc for a in new.values()}) if corrected else (set(), set())
    copied = _copies_in_reposts(conn, new)
    # a repost that only repeats its original's reports joins the original's events: its
    # candidates would be the original's, scored alike
    found_by = {} if _only_repeats(new, copied, bool(must or never)) else _candidates(conn, new, must)
    known = _load(conn, set(found_by) - set(new), whole=False)
    for original, copy in copied:
        known.setdefault(original.id, original)
        found_by[original.id] = found_by.get(original.id, frozenset()) | {copy}
    if copied:
        known = dict(sorted(known.items()))  # in id order, as _twins reads them
    twins = {} if must or never else _twins(known, found_by)
    items = list(new.values()) + [a for a in known.values() if a not in twins]
    links, near = _links(items, must, never, set(new), found_by, _stories(conn, {a.doc for a in items}))
    links += _repost_links(copied, new, never, {twin.id: one.id for twin, one in twins.items()})
    near = _with_twins(near, twins)
    linked = {i for a, b, _ in links for i in (a, b)}
    known.update(_load(conn, [i for i, a in known.items() if i in linked and a.event is None]))
    parent = {a.id: ("e", a.event) if a.event else ("a", a.id) for a in items}
    members: dict = {}
    for a in items:
        members.setdefault(parent[a.id], []).append((a.report.date, a.doc))
    # only events a link reaches can grow, so only theirs are read (an unlinked candidate's event
    # stays as it is whatever its other actions)
    events_in = sorted({a.event for a in known.values() if a.event and a.id in linked})
    in_events = _held(conn, events_in) if events_in else {}
    for h in in_events.values():
        members[("e", h.event)].append((h.date, h.doc))  # an event's every date and document bound what may join it
    groups = _components({n: _node(pairs) for n, pairs in members.items()},
                         [(parent[a], parent[b], v) for a, b, v in links], never)
    rows = _EventRows()
    for nodes in groups:
        if any(node == ("a", i) for i in new for node in nodes):
            _join(conn, nodes, {**new, **known}, links, in_events, rows)
    rows.write(conn)  # before the candidates read the actions' events
    _record_candidates(conn, {**new, **known}, near, replace=False)


def _twins(known: dict[int, "_Action"], found_by: dict[int, frozenset[int]]) -> dict[int, "_Action"]:
    """Stored candidates that would score as an earlier one does (twin -> that one): in the same
    event, with the same report, found by the same new actions (the reposts of a story). Their
    links would join the same event with the same scores, after the earlier one's, so they are
    not scored; only their borderline pairs are recorded (see _with_twins)."""
    first: dict[tuple, _Action] = {}
    twins = {}
    for a in known.values():  # in id order
        if a.event is None:
            continue  # a loose report is a group of its own
        key = (a.event, a.type, id(a.report), found_by[a.id])  # reports of one text are one object
        if key in first:
            twins[a] = first[key]
        else:
            first[key] = a
    return twins


def _with_twins(near: list, twins: dict["_Action", "_Action"]) -> list:
    """The borderline pairs as if the twins had been scored: each pair of the one they repeat
    again with each of them in its place, all in the order the pairs are walked (by ids)."""
    if not twins or not near:
        return near
    of: dict[int, list] = {}
    for twin, one in twins.items():
        of.setdefault(one.id, []).append(twin)
    more = [(t, b, v) for a, b, v in near for t in of.get(a.id, ())] + \
           [(a, t, v) for a, b, v in near for t in of.get(b.id, ())]
    if not more:
        return near
    return sorted(near + more, key=lambda pair: (min(pair[0].id, pair[1].id), max(pair[0].id, pair[1].id)))


# an action and its copy in a repost: above any score the rule gives, below the analyst's merge
_SAME_SENTENCE = Verdict(500.0, ["the same sentence of the same text (a repost)"])
_FIRST_OF_STORY = select(documents.c.id).where(
    documents.c.story_id == select(documents.c.story_id).where(documents.c.id == bindparam("doc")).scalar_subquery(),
    documents.c.id < bindparam("doc")).order_by(documents.c.id).limit(1)
_ACTIONS_OF_DOCUMENT = select(actions.c.id, actions.c.document_id, actions.c.event_id, actions.c.type, actions.c.date,
                              actions.c.record).where(actions.c.document_id == bindparam("doc"))
_STORIES_OF = select(documents.c.id, documents.c.story_id).where(documents.c.id.in_(bindparam("docs", expanding=True)))
# SQLite looks a primary key up in the table itself, whatever index covers the query (SQLAlchemy
# renders no index hint for SQLite); PostgreSQL chooses an index-only scan by itself
_STORIES_OF_SQLITE = text(f"SELECT id, story_id FROM documents INDEXED BY {STORY_OF_DOCUMENT_INDEX} "
                          "WHERE id IN :docs").bindparams(bindparam("docs", expanding=True))


def _stories(conn, docs: set[int]) -> dict[int, int]:
    """The story of each of these documents."""
    if len(docs) < 2:
        return {}
    query = _STORIES_OF_SQLITE if conn.dialect.name == "sqlite" else _STORIES_OF
    return dict(direct.rows(conn, query, {"docs": sorted(docs)}))


def _copies_in_reposts(conn, new: dict[int, "_Action"]) -> list[tuple["_Action", int]]:
    """(stored action, new action id) for each new action that the first document of its story
    (the same or a near-identical clean text) reported from the same sentences, with the same type,
    date and trigger: a repost reports what its original does, a mention in passing included
    (which no key finds)."""
    pairs = []
    for doc in sorted({a.doc for a in new.values()}):
        earlier = direct.rows(conn, _FIRST_OF_STORY, {"doc": doc})
        if not earlier:
            continue
        stored = {_sentence_key(a): a for a in map(_Action, direct.rows(conn, _ACTIONS_OF_DOCUMENT,
                                                                        {"doc": earlier[0][0]}))}
        for a in new.values():
            original = stored.get(_sentence_key(a)) if a.doc == doc and a.type != REPORT else None
            if original is not None:
                pairs.append((original, a.id))
    return pairs


def _only_repeats(new: dict[int, "_Action"], copied: list[tuple["_Action", int]], corrected: bool) -> bool:
    """Whether every new action is a copy of an action of its story's first document in an event,
    with the same report (the same text, date and publication), and no analyst's correction names
    their documents (which could set them apart)."""
    originals = {copy: original for original, copy in copied}
    return not corrected and all(
        (o := originals.get(i)) is not None and o.event is not None and o.report == a.report for i, a in new.items())


def _repost_links(copied: list[tuple["_Action", int]], copies: dict[int, "_Action"], never: set,
                  scored_as: dict[int, int] | None = None) -> list[tuple]:
    """A link per (original, copy) that no analyst's split forbids; an original left unscored as
    a twin is linked through the one scored in its place (SCORED_AS)."""
    scored_as = scored_as or {}
    return [(scored_as.get(original.id, original.id), copy, _SAME_SENTENCE) for original, copy in copied
            if frozenset((original.doc, copies[copy].doc)) not in never]


def _sentence_key(a: "_Action") -> tuple:
    """What an action of a repost shares with its original's: the sentences' text, not their
    places (a near-identical copy may have a sentence more or less before them)."""
    return a.type, a.date, a.record["trigger"], tuple(e[2] for e in a.record["evidence"])


class _EventRows:
    """The rows of the events one link() builds (actions' event ids, participants, sources,
    outcomes, merges), each table's written with one executemany once every group is joined:
    the groups are disjoint, so no join reads or moves another's rows."""

    def __init__(self):
        self.by_statement: dict = {}

    def add(self, statement, rows: list[dict]) -> None:
        self.by_statement.setdefault(statement, []).extend(rows)

    def write(self, conn) -> None:
        for statement, rows in self.by_statement.items():
            direct.execute_many(conn, statement, rows)
        self.by_statement = {}


def _join(conn, nodes: set, loaded: dict[int, _Action], links: list, in_events: dict[int, "_Held"],
          rows: _EventRows) -> None:
    """One event from the new actions and the events and loose reports they link to: the oldest
    event grows; the others' rows move into it. in_events: every action of the linked events (what
    scoring reads). An event that only gains newer actions grows without reading its own."""
    events_in = sorted(n[1] for n in nodes if n[0] == "e")
    loose = [loaded[n[1]] for n in sorted(nodes) if n[0] == "a"]  # sorted: the same event whatever the hash seed
    joined = set(events_in)
    held = {i: a for i, a in in_events.items() if a.event in joined}
    if len(events_in) == 1 and min(a.id for a in loose) > max(held):
        _grow_event(conn, events_in[0], loose, held, links, rows)
        return
    members = sorted(loose + list(_load(conn, held).values()), key=lambda a: a.id)  # oldest first
    if all(a.type == REPORT for a in members):
        return
    target = events_in[0] if events_in else None
    if target:
        others = events_in[1:]
        if others:
            for table in (event_sources, outcomes):
                conn.execute(update(table).where(table.c.event_id.in_(others)).values(event_id=target))
            conn.execute(update(merges).where(merges.c.kind == "event", merges.c.into_id.in_(others))
                         .values(into_id=target))
            conn.execute(update(merges).where(merges.c.kind == "candidate", merges.c.into_id.in_(others))
                         .values(into_id=target))
            conn.execute(delete(event_participants).where(event_participants.c.event_id.in_(others)))
            conn.execute(delete(events).where(events.c.id.in_(others)))
        direct.execute(conn, _DROP_PARTICIPANTS, {"event": target})
    ids = {a.id for a in members}
    _build_event(conn, target, members, [(a, b, v) for a, b, v in links if a in ids and b in ids], rows_for=loose,
                 rows=rows)


def _grow_event(conn, event_id: int, newer: list[_Action], held: dict[int, "_Held"], links: list,
                rows: _EventRows) -> None:
    """EVENT_ID (its actions: HELD) gains actions all newer than its own: its values come from its
    actions' counts in SQL, its participants from its rows, as _build_event would compute them
    from every member, oldest first (a large event is not read whole for each new report)."""
    tally, current = _stored_tally(conn, event_id)
    tally.count(newer)
    values = _event_values(tally)
    changed = {k: v for k, v in values.items() if current[k] != v}
    if changed:  # unchanged partners fire no trigger
        direct.execute(conn, _UPDATE_EVENT, {"event": event_id, **changed})
    rows.add(_SET_EVENT_OF, [{"action": a.id, "event": event_id} for a in newer])
    _add_participants(conn, event_id, newer, rows)
    ids = {*held, *(a.id for a in newer)}
    _add_sources(event_id, newer, {**held, **{a.id: a for a in newer}},
                 [(a, b, v) for a, b, v in links if a in ids and b in ids], rows)


def _node(pairs: list[tuple[str | None, int]]) -> _Node:
    """A group's node from its actions' (trusted date, document) pairs."""
    return _Node(frozenset(date for date, _ in pairs if date), frozenset(doc for _, doc in pairs))


class _Held(NamedTuple):
    """An action of an event a new report links to: what joining reads of it."""
    id: int
    doc: int
    event: int
    date: str | None  # the date its report trusts


def _held(conn, event_ids: list[int]) -> dict[int, _Held]:
    """The actions of these events with the dates their reports trust (a column; an action stored
    before compact reports has none, and is read from its record)."""
    found, unreported = {}, []
    for id_, doc, event, date, compact in direct.rows(conn, _HELD_OF_EVENTS, {"ids": event_ids}):
        if compact:
            found[id_] = _Held(id_, doc, event, date)
        else:
            unreported.append(id_)
    for a in _load(conn, unreported, whole=False).values():  # stored before compact reports: from its record
        found[a.id] = _Held(a.id, a.doc, a.event, a.report.date)
    return dict(sorted(found.items()))


def _actions_of(conn, event_ids: list[int]) -> set[int]:
    return set(conn.execute(_ACTION_IDS_OF_EVENTS, {"ids": event_ids}).scalars().all())


def unlink_document(conn, doc_id: int) -> None:
    """Before a document is re-stored: drop its actions and regroup what their events had left."""
    old_events = {e for (e,) in conn.execute(select(actions.c.event_id).where(actions.c.document_id == doc_id))}
    conn.execute(delete(action_keys).where(action_keys.c.action_id.in_(
        select(actions.c.id).where(actions.c.document_id == doc_id))))
    conn.execute(delete(actions).where(actions.c.document_id == doc_id))
    conn.execute(delete(merges).where(merges.c.kind.in_(("event", "candidate")),
                                      or_(merges.c.document_id == doc_id, merges.c.other_document_id == doc_id)))
    rest = {a for (a,) in conn.execute(select(actions.c.id).where(actions.c.event_id.in_(old_events)))}
    _drop_events(conn, old_events - {None}, keep=set())
    if rest:
        _regroup(conn, rest)


def remerge(conn) -> int:
    """Recompute every event from the stored actions (after the rules change). Returns events."""
    for table in (event_sources, event_participants, outcomes, events):
        conn.execute(delete(table))
    conn.execute(delete(merges).where(merges.c.kind.in_(("event", "candidate"))))
    conn.execute(delete(action_keys))
    conn.execute(update(actions).values(event_id=None))
    doc_ids = [d for (d,) in conn.execute(select(actions.c.document_id).distinct().order_by(actions.c.document_id))]
    for doc_id in doc_ids:
        ids = [a for (a,) in conn.execute(select(actions.c.id).where(actions.c.document_id == doc_id))]
        loaded = _load(conn, ids)
        # the compact reports follow the rules in force, as the events do
        conn.execute(_SET_REPORT, [{"action": a.id, "report": _compact(a.report, a.from_row), "trusted": a.report.date}
                                   for a in loaded.values()])
        link(conn, loaded)
    return len(conn.execute(select(events.c.id)).all())


def regroup_documents(conn, doc_ids: set[int]) -> None:
    """Regroup every action of these documents and of the events they are in (after a correction)."""
    ids = {a for (a,) in conn.execute(select(actions.c.id).where(actions.c.document_id.in_(doc_ids)))}
    found = ids | set(_candidates(conn, _load(conn, list(ids)), _corrections(conn, doc_ids)[0]))
    touched = {e for (e,) in conn.execute(select(actions.c.event_id).where(actions.c.id.in_(found)))} - {None}
    _regroup(conn, found | _actions_of(conn, sorted(touched)))


# --- internals ---------------------------------------------------------------------------------

# Statements run for every document, built once (building and keying a statement costs more than
# SQLite takes to run it).
_ACTIONS_BY_ID = select(actions.c.id, actions.c.document_id, actions.c.event_id, actions.c.type, actions.c.date,
                        actions.c.record).where(actions.c.id.in_(bindparam("ids", expanding=True)))
_REPORTS_BY_ID = select(actions.c.id, actions.c.document_id, actions.c.event_id, actions.c.type, actions.c.date,
                        func.coalesce(actions.c.report, actions.c.record).label("record")) \
    .where(actions.c.id.in_(bindparam("ids", expanding=True)))
_ACTION_IDS_OF_EVENTS = select(actions.c.id).where(actions.c.event_id.in_(bindparam("ids", expanding=True)))
_ACTIONS_WITH_ANY_KEY = select(action_keys.c.action_id).distinct() \
    .where(action_keys.c.key.in_(bindparam("keys", expanding=True)))
_ACTIONS_WITH_KEYS_FROM = select(action_keys.c.action_id, action_keys.c.key) \
    .where(action_keys.c.key.between(bindparam("low"), bindparam("high")))
_CORRECTIONS_OF = select(corrections.c.kind, corrections.c.document_id, corrections.c.other_document_id) \
    .where(or_(corrections.c.document_id.in_(bindparam("docs", expanding=True)),
               corrections.c.other_document_id.in_(bindparam("docs", expanding=True)))).order_by(corrections.c.id)
_UPDATE_EVENT = update(events).where(events.c.id == bindparam("event"))
_SET_EVENT_OF = update(actions).where(actions.c.id == bindparam("action")).values(event_id=bindparam("event"))
_INSERT_EVENT = insert(events).returning(events.c.id)
_INSERT_PARTICIPANTS = insert(event_participants)
_INSERT_SOURCES = insert(event_sources)
_INSERT_OUTCOMES = insert(outcomes)
_INSERT_MERGES = insert(merges)
_INSERT_ACTION_KEYS = insert(action_keys)
_INSERT_ACTION = insert(actions).returning(actions.c.id)
_PARTICIPANTS_OF_EVENT = select(event_participants.c.name, event_participants.c.side, event_participants.c.entity_id) \
    .where(event_participants.c.event_id == bindparam("event"))
_SET_PARTICIPANT_ENTITY = update(event_participants).where(
    event_participants.c.event_id == bindparam("event"), event_participants.c.name == bindparam("name"),
    event_participants.c.side == bindparam("side")).values(entity_id=bindparam("entity"))
_EVENT_VALUES = ("type", "mode", "date", "date_sort", "partner_countries", "actions")  # what _event_values gives
_VALUES_OF_EVENT = select(*(events.c[name] for name in _EVENT_VALUES)).where(events.c.id == bindparam("event"))


_TALLY_OF_EVENT = select(actions.c.type, actions.c.date, actions.c.mode, func.count(), func.min(actions.c.id)) \
    .where(actions.c.event_id == bindparam("event"), actions.c.type != REPORT) \
    .group_by(actions.c.type, actions.c.date, actions.c.mode)
# the flag typed as an integer: read as the driver gives it (only its truth is used)
_HELD_OF_EVENTS = select(actions.c.id, actions.c.document_id, actions.c.event_id, actions.c.trusted,
                         type_coerce(actions.c.report.is_not(None), Integer)) \
    .where(actions.c.event_id.in_(bindparam("ids", expanding=True)))
_EVENTS_OF_ACTIONS = select(actions.c.id, actions.c.event_id).where(actions.c.id.in_(bindparam("ids", expanding=True)))
_SET_REPORT = update(actions).where(actions.c.id == bindparam("action")).values(
    report=bindparam("report"), trusted=bindparam("trusted"))
_DROP_PARTICIPANTS = delete(event_participants).where(event_participants.c.event_id == bindparam("event"))
_ENTITY_OF_KEYS = select(entity_aliases.c.alias_key, entity_aliases.c.entity_id) \
    .where(entity_aliases.c.alias_key.in_(bindparam("keys", expanding=True)))

class _Row(NamedTuple):
    id: int
    document_id: int
    event_id: int | None
    type: str
    date: str | None
    record: str  # the record JSON, or (for a candidate) the compact report JSON


class _Action:
    """A stored action: its whole record (None for a candidate read only to be scored) and the
    Report the merge rule reads."""
    __slots__ = ("id", "doc", "event", "type", "date", "record", "report", "from_row")

    def __init__(self, row: _Row, whole: bool = True):
        self.id, self.doc, self.event, self.type, self.date, text = row
        if whole or text.startswith("{"):  # a row stored before compact reports: its record
            self.record, self.report = _parsed(self.type, self.date, text)
            self.from_row = self.record["from_row"]
        else:
            self.record = None
            self.report, self.from_row = _uncompact(self.type, text)


    @classmethod
    def stored(cls, id_: int, doc: int, type_: str, date: str | None, record: dict, report: Report) -> "_Action":
        """A new action, from what was just stored."""
        action = cls.__new__(cls)
        action.id, action.doc, action.event, action.type, action.date = id_, doc, None, type_, date
        action.record, action.report, action.from_row = record, report, record["from_row"]
        return action


@lru_cache(maxsize=10_000)  # a record is large (2-4 kB parsed) and seldom read twice: 1 in 3 at 30,000 documents
def _parsed(type_: str, date: str | None, text: str) -> tuple[dict, Report]:
    """An action's record and its Report, parsed once per process (linked events are read often)."""
    r = json.loads(text)
    return r, _report_of(type_, date, r)


def _report_of(type_: str, date: str | None, r: dict) -> Report:
    """The Report the merge rule reads, from an action's record (its trust in the date and its
    prominence follow the rules in force, so remerge applies new rules)."""
    prominent = _prominent(r, date)
    trusted = date if r.get("document_level") or _date_known(date, r.get("published")) else None
    if trusted is None and prominent:  # the metadata gives only the month: an occasion of that month
        trusted = r.get("published_partial") or partial_date.day_alone(r.get("day_of_month"))
    known_as = r.get("aliases", {})  # 海巡署 in one report, 海洋委員會海巡署 in another: one body
    taiwan, counterparts = ([*names, *(a for n in names for a in known_as.get(n, []))]
                            for names in (r["taiwan"], r["counterparts"]))
    return make_report(type_, trusted, taiwan, counterparts, r["partners"],
                       r["initiatives"], r["headline"], r["lead"], prominent, set(r["persons"]),
                       r.get("document_level", False), r.get("affiliations", {}), r.get("published"))


def _compact(r: Report, from_row: bool) -> str:
    """A Report as compact JSON (a list; a record is an object), keys already folded."""
    return json.dumps([r.date, sorted(r.taiwan), sorted(r.counterparts), sorted(r.partners), sorted(r.initiatives),
                       r.gist, r.prominent, sorted(r.counterpart_persons), r.document_level, sorted(r.bodies),
                       r.published, from_row], ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=100_000)
def _uncompact(type_: str, text: str) -> tuple[Report, bool]:
    (date, taiwan, counterparts, partners, initiatives, gist, prominent, persons, document_level, bodies,
     published, from_row) = json.loads(text)
    return Report(type_, date, shared_set(taiwan), shared_set(counterparts), shared_set(partners),
                  shared_set(initiatives), sys.intern(gist), prominent, shared_set(persons), document_level,
                  shared_set(bodies), published), from_row


def _load(conn, ids, whole: bool = True) -> dict[int, _Action]:
    """The actions with these ids, in id order: whole, or (whole=False) only what scoring reads."""
    ids = sorted(ids)
    found = {}
    query = _ACTIONS_BY_ID if whole else _REPORTS_BY_ID
    for i in range(0, len(ids), 500):
        for row in sorted(direct.rows(conn, query, {"ids": ids[i:i + 500]})):  # by id: ids are unique
            found[row[0]] = _Action(row, whole)
    return found


def _index(conn, loaded: dict[int, _Action]) -> None:
    rows = [{"action_id": a.id, "key": k} for a in loaded.values() for k in index_keys(a.report)]
    if rows:
        direct.execute_many(conn, _INSERT_ACTION_KEYS, rows)


def _candidates(conn, loaded: dict[int, _Action], must: set[frozenset]) -> dict[int, frozenset[int]]:
    """Actions sharing a key in a date bucket that may fit, each with the loaded actions whose keys
    found it (the only ones it can link with), and the actions of documents the analyst linked to
    these ones, with all of them (must: the analyst's document pairs)."""
    exact, prefixes = {}, {}
    for a in loaded.values():
        e, p = probe_keys(a.report)
        for key in e:
            exact.setdefault(key, set()).add(a.id)
        for key in p:
            prefixes.setdefault(key, set()).add(a.id)
    found: dict[int, frozenset[int]] = {}
    # the keys found by the same new actions in one query, each stored action once (the reposts
    # of a story share most of their keys)
    keys_of: dict[frozenset[int], list[str]] = {}
    for key, ids in exact.items():
        keys_of.setdefault(frozenset(ids), []).append(key)
    for finders, keys in keys_of.items():
        for (action_id,) in direct.rows(conn, _ACTIONS_WITH_ANY_KEY, {"keys": sorted(keys)}):
            _found_by(found, action_id, finders)
    # one indexed range each: every key in it starts with the prefix, and a key under two prefixes
    # comes from both ranges (found is a set per action: the order is moot)
    for prefix in sorted(prefixes):
        ids = frozenset(prefixes[prefix])
        for action_id, _ in direct.rows(conn, _ACTIONS_WITH_KEYS_FROM, {"low": prefix, "high": prefix + "\uffff"}):
            _found_by(found, action_id, ids)
    docs = {d for pair in must for d in pair} - {a.doc for a in loaded.values()}
    if docs:
        every = frozenset(loaded)
        for (action_id,) in conn.execute(select(actions.c.id).where(actions.c.document_id.in_(docs))):
            _found_by(found, action_id, every)
    return found


def _found_by(found: dict[int, frozenset[int]], action_id: int, ids: frozenset[int]) -> None:
    """ACTION_ID is found by IDS too. The sets are shared, not copied per row: most actions are
    found by the same loaded actions (most often one) through every key."""
    known = found.get(action_id)
    if known is None:
        found[action_id] = ids
    elif known is not ids and not ids <= known:
        found[action_id] = known | ids


def _regroup(conn, ids: set[int]) -> None:
    loaded = _load(conn, ids)
    must, never = _corrections(conn, {a.doc for a in loaded.values()})
    links, near = _links(list(loaded.values()), must, never, story_of=_stories(conn, {a.doc for a in loaded.values()}))
    links += _repost_links([(o, c) for o, c in _copies_in_reposts(conn, loaded) if o.id in loaded], loaded, never)
    groups = _components({i: _node([(a.report.date, a.doc)]) for i, a in loaded.items()}, links, never)
    old = {a.event for a in loaded.values()} - {None}
    reused = set()
    for members in sorted(groups, key=lambda g: min(g)):
        if all(loaded[i].type == REPORT for i in members):
            conn.execute(update(actions).where(actions.c.id.in_(members)).values(event_id=None))
            continue
        candidates = sorted({loaded[i].event for i in members} - {None} - reused)
        event_id = candidates[0] if candidates else None
        reused.add(event_id)
        _drop_event_rows(conn, [event_id] if event_id else [])
        _build_event(conn, event_id, [loaded[i] for i in sorted(members)],  # a link not followed has an end outside
                     [(a, b, v) for a, b, v in links if a in members and b in members])
    _drop_events(conn, old, reused)
    _record_candidates(conn, loaded, near)


def _corrections(conn, docs: set[int]) -> tuple[set[frozenset], set[frozenset]]:
    must, never = set(), set()
    for kind, a, b in conn.execute(_CORRECTIONS_OF, {"docs": sorted(docs)}):
        pair = frozenset((a, b))
        (must if kind == "merge" else never).add(pair)
        (never if kind == "merge" else must).discard(pair)  # the latest decision wins
    return must, never


def _links(items: list[_Action], must: set, never: set, fresh: set[int] | None = None,
           found_by: dict[int, frozenset[int]] | None = None, story_of: dict[int, int] | None = None) -> tuple[list, list]:
    """Pairs judged one engagement (with their verdicts) and borderline pairs; the analyst's
    merge links the best-scoring action pair of the two documents. With fresh (the new actions),
    only pairs holding one, and a stored action only with the fresh ones whose keys found it.
    STORY_OF: the story of each document; two documents of one story (reposts of a text) are
    scored as one document is."""
    story_of = story_of or {}
    links, near, best = [], [], {}
    corrected = bool(must or never)
    # the verdicts of this walk by the reports' identities: reposts share Report objects (parsed
    # once), and the walk holds them, so an id names one report throughout
    scored: dict[tuple[int, int, bool], Verdict] = {}  # (and whether the documents are of one story)
    # a stored report is paired only with the fresh ones whose keys found it: with the others its
    # dates or sides cannot fit
    for a, b in _pairs(sorted(items, key=lambda x: x.id), fresh, found_by or None):
        across = a.doc != b.doc
        pair = frozenset((a.doc, b.doc)) if corrected else None
        if across and corrected and pair in never:
            continue
        if across:
            one_text = story_of.get(a.doc, -1) == story_of.get(b.doc, -2)
            exact = corrected and pair in must  # the analyst's pair keeps its best score, however low
            key = (id(a.report), id(b.report), one_text, exact)
            verdict = scored.get(key)
            if verdict is None:
                verdict = scored[key] = _verdict(a, b, one_text, exact)
        else:
            verdict = _verdict(a, b)
        if verdict.same:
            links.append((a.id, b.id, verdict))
        elif across and verdict.borderline:
            near.append((a, b, verdict))
        if corrected and across and pair in must and (pair not in best or verdict.score > best[pair][2].score):
            best[pair] = (a.id, b.id, verdict)
    for a, b, verdict in best.values():
        if not verdict.same:
            links.append((a, b, Verdict(ANALYST_MERGE, ["merged by the analyst"] + verdict.signals[:3])))
    return links, near


def _pairs(ordered: list[_Action], fresh: set[int] | None, found_by: dict[int, frozenset[int]] | None = None):
    """The pairs of `combinations(ordered, 2)` that hold a fresh action (all pairs when fresh is
    None), in the same order, without walking the pairs of two known actions. With found_by, a
    known action is paired only with the fresh ones that found it."""
    if fresh is None:
        yield from combinations(ordered, 2)
        return
    fresh_at = [j for j, x in enumerate(ordered) if x.id in fresh]
    for i, a in enumerate(ordered):
        later = ordered[i + 1:] if a.id in fresh else [ordered[j] for j in fresh_at[bisect_right(fresh_at, i):]]
        if found_by is None:
            yield from ((a, b) for b in later)
        elif a.id in fresh:
            yield from ((a, b) for b in later if b.id in fresh or a.id in found_by[b.id])
        else:
            finders = found_by[a.id]
            yield from ((a, b) for b in later if b.id in finders)


def _verdict(a: _Action, b: _Action, one_text: bool = False, exact: bool = False) -> Verdict:
    """Within one document the headline and lead are shared, so they are no evidence there, and
    schedule rows are separate items. Two documents of one text (ONE_TEXT: reposts, one story)
    share them too: a repost is no second witness that two of the text's actions are one. Unless
    EXACT, a pair below the borderline score is only known to be below it (see _floor)."""
    if a.doc == b.doc and a.from_row and b.from_row:
        return Verdict(float("-inf"), ["two schedule rows"])
    floor = None if exact else _floor()
    if a.doc == b.doc or one_text:
        return _same_engagement(_plain(a.report), _plain(b.report), floor)
    return _same_engagement(a.report, b.report, floor)


@cache
def _floor() -> float:
    """The lowest score the store keeps a pair for: joined (threshold) or offered to the analyst
    (borderline); pairs below it are neither, so their exact score is never needed."""
    return min(rules()["threshold"], rules()["borderline"])


@lru_cache(maxsize=50_000)
def _same_engagement(a: Report, b: Report, floor: float | None) -> Verdict:
    """same_engagement, once per pair of equal reports: reposts of a story give the same reports
    again and again, each scored against the same candidates. The rule is a pure function of the
    two reports (and of the rules, loaded once per process) and a Verdict is never changed."""
    return same_engagement(a, b, floor)


def _plain(r: Report) -> Report:
    return Report(r.type, r.date, r.taiwan, r.counterparts, r.partners, r.initiatives, "", True,
                  r.counterpart_persons, r.document_level)


class _Node(NamedTuple):
    dates: frozenset  # the dates its reports trust (None left out)
    docs: frozenset


def _components(nodes: dict, links: list, never: set = frozenset()) -> list[set]:
    """Groups of nodes joined by links, strongest link first. A link that would put two dates that
    cannot be one occasion (a day apart at most) in one group, or two documents the analyst split,
    is not followed: an undated report joins the occasion it matches best and never bridges two
    occasions of the same people. The analyst's merges are always followed."""
    parent = {n: n for n in nodes}
    dates = {n: set(info.dates) for n, info in nodes.items()}
    docs = {n: set(info.docs) for n, info in nodes.items()}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for a, b, verdict in _strongest_first(links):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        if verdict.score < ANALYST_MERGE and not _may_join(dates[ra], dates[rb], docs[ra], docs[rb], never):
            continue
        parent[ra] = rb
        dates[rb] |= dates[ra]
        docs[rb] |= docs[ra]
    groups: dict = {}
    for n in nodes:
        groups.setdefault(root(n), set()).add(n)
    return list(groups.values())


def _strongest_first(links: list) -> list:
    """The links in the order _components follows them (strongest first, then by their nodes'
    names), keeping of each pair of nodes only the first: a later link between the same two nodes
    changes nothing, since they are one group by then, or were kept apart by a date or a split
    that their groups, which only grow, still hold (and it scores no more, so it is no analyst's
    merge either). A report linked to many actions of one event is one link, not one per action."""
    best: dict = {}
    for a, b, verdict in links:
        if a == b:
            continue  # within one node: no join
        pair = (a, b)
        found = best.get(pair)
        if found is None or verdict.score > found[2].score:
            best[pair] = (a, b, verdict)
    names = {n: str(n) for a, b, _ in best.values() for n in (a, b)}
    ordered = sorted(best.values(), key=lambda link: (-link[2].score, names[link[0]], names[link[1]]))
    first, seen = [], set()
    for link in ordered:
        pair = frozenset(link[:2])
        if pair not in seen:
            seen.add(pair)
            first.append(link)
    return first


def _may_join(dates_a: set, dates_b: set, docs_a: set, docs_b: set, never: set) -> bool:
    """Through the analyst's splits, not every pair of documents: an event told by hundreds of
    documents would make that quadratic."""
    for pair in never:
        if len(pair) == 2:
            x, y = pair
            if (x in docs_a and y in docs_b) or (y in docs_a and x in docs_b):
                return False
    return all(partial_date.compatible(x, y, day_tolerance=1) for x in dates_a for y in dates_b)


def _drop_event_rows(conn, event_ids: list[int]) -> None:
    if not event_ids:
        return
    for table in (event_sources, event_participants, outcomes):
        conn.execute(delete(table).where(table.c.event_id.in_(event_ids)))
    conn.execute(delete(merges).where(merges.c.kind == "event", merges.c.into_id.in_(event_ids)))


def _drop_events(conn, old: set[int], keep: set[int]) -> None:
    gone = sorted(old - keep)
    _drop_event_rows(conn, gone)
    if gone:
        conn.execute(delete(merges).where(merges.c.kind == "candidate", merges.c.into_id.in_(gone)))
        conn.execute(delete(events).where(events.c.id.in_(gone)))


def _build_event(conn, event_id: int | None, members: list[_Action], links: list,
                 rows_for: list[_Action] | None = None, rows: _EventRows | None = None) -> None:
    """Event values and participants from all members (oldest first); sources and outcomes for
    rows_for (the members not yet stored in the event; all of them by default). The event's other
    rows go to `rows` (written by the caller), else are written here."""
    own = rows is None
    rows = _EventRows() if own else rows
    tally = _Tally()
    tally.count(members)
    values = _event_values(tally)
    if event_id is None:
        event_id = direct.inserted_id(conn, _INSERT_EVENT, values)
    else:
        direct.execute(conn, _UPDATE_EVENT, {"event": event_id, **values})
    moved = [a.id for a in members if a.event != event_id]  # the rest are in it already
    if moved:
        rows.add(_SET_EVENT_OF, [{"action": i, "event": event_id} for i in moved])
    _store_participants(conn, event_id, members, rows)
    _add_sources(event_id, members if rows_for is None else rows_for, {a.id: a for a in members}, links, rows)
    if own:
        rows.write(conn)


def _add_sources(event_id: int, adding: list[_Action], by_id: dict[int, _Action], links: list,
                 rows: _EventRows) -> None:
    """The evidence and outcomes of the ADDING actions, and a merge row per link across documents."""
    sources = {(a.doc, s, e): {"event_id": event_id, "document_id": a.doc, "evidence_start": s, "evidence_end": e,
                               "evidence": text, "trigger": a.record["trigger"]}
               for a in adding for s, e, text in a.record["evidence"]}
    if sources:
        rows.add(_INSERT_SOURCES, list(sources.values()))
    found = [{"event_id": event_id, "document_id": a.doc, "text": c, "start": s, "end": e}
             for a in adding for c, s, e in a.record["outcomes"]]
    if found:
        rows.add(_INSERT_OUTCOMES, found)
    merged = [{"kind": "event", "into_id": event_id, "document_id": by_id[b].doc, "other_document_id": by_id[a].doc,
               "reason": v.reason(), "score": v.score}
              for a, b, v in _why_each_joined({a.doc for a in adding}, by_id, links)]
    if merged:
        rows.add(_INSERT_MERGES, merged)


def _why_each_joined(docs: set[int], by_id: dict[int, _Action], links: list) -> list:
    """Per document of DOCS, its strongest link to another document of the event (the first of
    equal scores), each pair of documents once: why it is a source, in as many rows as sources
    (every linked pair of an event told by n documents would be about n²/2 rows)."""
    best: dict[int, tuple] = {}
    for link in links:
        a, b, verdict = link
        ends = (by_id[a].doc, by_id[b].doc)
        if ends[0] == ends[1]:
            continue
        for doc in ends:
            if doc in docs and (doc not in best or verdict.score > best[doc][2].score):
                best[doc] = link
    kept, pairs = [], set()
    for a, b, verdict in best.values():
        pair = frozenset((by_id[a].doc, by_id[b].doc))
        if pair not in pairs:
            pairs.add(pair)
            kept.append((a, b, verdict))
    return kept


class _Tally:
    """What an event's values come from: its actions' types, dates and modes counted (each mode
    with the first action giving it, for ties) and their partners; reports in passing left out."""

    def __init__(self):
        self.types: Counter = Counter()
        self.dates: Counter = Counter()
        self.modes: dict = {}  # mode -> [count, id of its first action]
        self.partners: set[str] = set()

    def add(self, type_: str, date: str | None, mode, first: int, n: int = 1) -> None:
        self.types[type_] += n
        if date:
            self.dates[date] += n
        seen = self.modes.setdefault(mode, [0, first])
        seen[0] += n
        seen[1] = min(seen[1], first)

    def count(self, members: list[_Action]) -> None:
        for a in members:
            if a.type != REPORT:
                self.add(a.type, a.date, a.record["mode"], a.id)
                self.partners.update(a.record["partners"])


def _stored_tally(conn, event_id: int) -> tuple[_Tally, dict]:
    """The tally of an event's stored actions, counted in SQL, and the event's current values."""
    tally = _Tally()
    for type_, date, mode, n, first in direct.rows(conn, _TALLY_OF_EVENT, {"event": event_id}):
        tally.add(type_, date, mode, first, n)
    (row,) = direct.rows(conn, _VALUES_OF_EVENT, {"event": event_id})
    current = dict(zip(_EVENT_VALUES, row))
    tally.partners.update((current["partner_countries"] or "").split())
    return tally, current


def _event_values(tally: _Tally) -> dict:
    order = rules()["action_priority"]
    types = tally.types
    etype = min(types, key=lambda t: (order.index(t) if t in order else len(order), -types[t], t))
    date = _best_date(tally.dates)
    mode = min(tally.modes, key=lambda m: (-tally.modes[m][0], tally.modes[m][1]))  # the commonest, first given
    return {"type": etype, "mode": mode, "date": date, "date_sort": date_sort(date),
            "partner_countries": " ".join(sorted(tally.partners)), "actions": " ".join(sorted(types))}


def _best_date(dates: Counter) -> str | None:
    """The most precise date the reports give, the most often given among equals."""
    def precision(d):
        return 3 if len(d) == 10 and not d.startswith("--") else 2 if d.startswith("--") else 1 if len(d) == 7 else 0
    if not dates:
        return None
    top = max(map(precision, dates))
    return min((d for d in dates if precision(d) == top), key=lambda d: (-dates[d], d))


def _store_participants(conn, event_id: int, members: list[_Action], rows: _EventRows) -> None:
    """Each participant once per side: names sharing a key are one person (first spelling kept)."""
    _add_participants(conn, event_id, members, rows, stored=[])


def _add_participants(conn, event_id: int, members: list[_Action], rows: _EventRows, stored: list | None = None) -> None:
    """The participants MEMBERS add to the event's STORED ones ((name, side, entity id) rows, read
    when None): each once per side, names sharing a key are one person, the first spelling kept.
    A stored participant takes the entity id a newer member gives its name, or one found since."""
    if stored is None:
        stored = direct.rows(conn, _PARTICIPANTS_OF_EVENT, {"event": event_id})
    seen = {(side, k) for name, side, _ in stored for k in _person_keys(name)}
    people = []
    for side, field in (("taiwan", "taiwan"), ("counterpart", "counterparts")):
        for a in members:
            if a.type == REPORT:
                continue
            for name in a.record[field]:
                keys = {(side, k) for k in _person_keys(name)}
                if not keys & seen:
                    seen |= keys
                    people.append((name, side))
    known = {n: i for a in members for n, i in a.record.get("entity_ids", {}).items() if i}
    unsure = [(name, side) for name, side, entity in stored if known.get(name, entity) is None]
    missing = {name_key(name) for name, _ in people + unsure if name not in known}
    ids = dict(direct.rows(conn, _ENTITY_OF_KEYS, {"keys": sorted(missing)})) if missing else {}

    def entity_of(name: str, stored_id: int | None = None) -> int | None:  # a newer member's, kept, or found
        return known.get(name) or stored_id or ids.get(name_key(name))
    changed = [{"event": event_id, "name": name, "side": side, "entity": entity_of(name, entity)}
               for name, side, entity in stored if entity_of(name, entity) != entity]
    if changed:
        rows.add(_SET_PARTICIPANT_ENTITY, changed)
    unique = {(name, side): {"event_id": event_id, "side": side, "name": name, "entity_id": entity_of(name)}
              for name, side in people}
    if unique:
        rows.add(_INSERT_PARTICIPANTS, list(unique.values()))


def _person_keys(name: str) -> set[str]:
    return participant_keys(name) or {name_key(name)}


def _record_candidates(conn, loaded: dict[int, _Action], near: list, replace: bool = True) -> None:
    """Borderline pairs left apart, for the analyst: one row per document pair (replacing the
    pairs' earlier rows when regrouping)."""
    if replace:
        docs = {a.doc for a in loaded.values()}
        conn.execute(delete(merges).where(merges.c.kind == "candidate", merges.c.document_id.in_(docs),
                                          merges.c.other_document_id.in_(docs)))
    rows = {}
    ids = {x.id for a, b, _ in near for x in (a, b)}
    event_of = dict(direct.rows(conn, _EVENTS_OF_ACTIONS, {"ids": sorted(ids)})) if ids else {}
    for a, b, verdict in near:
        event_a, event_b = event_of.get(a.id), event_of.get(b.id)
        if event_a == event_b or event_b is None:  # a loose headline-only report is no event to offer
            continue
        key = (a.doc, b.doc)
        if key not in rows or verdict.score > rows[key]["score"]:
            rows[key] = {"kind": "candidate", "into_id": event_b, "document_id": a.doc, "other_document_id": b.doc,
                         "reason": f"not merged with event {event_a}: " + verdict.reason(), "score": verdict.score}
    if rows:
        direct.execute_many(conn, _INSERT_MERGES, list(rows.values()))
