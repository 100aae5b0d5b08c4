"""A partner's page: its facts (engagements, years, months, top topics, people met) equal to a
plain recount of the rows they summarise, and partner_topics (events per partner and topic, kept by
triggers) right through every kind of change, and after an upgrade from version 5."""
import shutil
import sqlite3
from collections import Counter

import pytest

from conftest import ingest_samples
from test_event_topics import MERGE_FIXTURES, TOPIC_LINES, _as_version
from test_merge import doc_id, event_of, run
from ties.store import queries, schema
from ties.store.db import connect, writing


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(sql).fetchall())


def stored(db):
    return rows(db, "select code, topic, events from partner_topics where events <> 0")  # a row may stay at 0


def event_topic_sets(db) -> dict[int, set[str]]:
    """Each event's topics: its source documents' topics (as event_topics means them)."""
    topics: dict[int, set[str]] = {}
    for event_id, topic in rows(db, "select s.event_id, d.topic from event_sources s "
                                    "join doc_topics d on d.document_id = s.document_id"):
        topics.setdefault(event_id, set()).add(topic)
    return topics


def event_codes(db) -> dict[int, set[str]]:
    return {i: set((codes or "").split()) for i, codes in rows(db, "select id, partner_countries from events")}


def recounted(db):
    """What partner_topics must hold, from events.partner_countries and the sources' topics alone."""
    topics = event_topic_sets(db)
    counts = Counter((c, t) for i, codes in event_codes(db).items() for c in codes for t in topics.get(i, ()))
    return sorted((c, t, n) for (c, t), n in counts.items())


def page_recounted(db, code: str) -> dict:
    """partner_page()'s facts counted in Python over the partner's events, row by row."""
    mine = {i for i, codes in event_codes(db).items() if code in codes}
    dated = {i: (date, day) for i, date, day in rows(db, "select id, date, date_sort from events") if i in mine}
    years = Counter(day[:4] for _, day in dated.values() if day and day[:4].isdigit())
    months = Counter(date[:7] for date, _ in dated.values() if date and len(date) >= 7 and not date.startswith("--"))
    topics = Counter(t for i, ts in event_topic_sets(db).items() if i in mine for t in ts if t)
    met = Counter(name for i, name in rows(db, "select distinct event_id, name from event_participants "
                                              "where side = 'counterpart'") if i in mine)
    return {"engagements": len(mine), "by_year": dict(sorted(years.items())), "timeline": dict(sorted(months.items())),
            "top_topics": [t for t, _ in sorted(topics.items(), key=lambda p: (-p[1], p[0]))[:3]],
            "people_met": [n for n, _ in sorted(met.items(), key=lambda p: (-p[1], p[0]))[:20]]}


def page_facts(db, code: str) -> dict:
    with connect(db, create=False).connect() as conn:
        page = queries.partner_page(conn, code, rows=3)
    return {k: page[k] for k in ("engagements", "by_year", "timeline", "top_topics", "people_met")}


@pytest.fixture
def db(tmp_path):
    return str(ingest_samples(tmp_path / "t.db"))


def test_every_partner_page_of_the_samples_equals_a_recount(db):
    assert stored(db) and stored(db) == recounted(db)
    codes = {c for codes in event_codes(db).values() for c in codes}
    assert len(codes) > 3
    for code in codes:
        assert page_facts(db, code) == page_recounted(db, code), code


def _invented(db: str) -> None:
    """Five events of invented reports: JP in four, US in two. JP's topics by events: energy 2,
    then ai, health and trade 1 each; but ai is in two reports of one event, so counting reports
    (not events) would tie ai with energy."""
    reports = {"a": ("ai", "trade"), "b": ("ai",), "c": ("energy",), "d": ("energy", "health"), "e": ("trade",)}
    events = [(1, "CONSULT", "2023-05-02", "2023-05-02", "JP", "ab", ["山田太郎", "佐藤花子"]),
              (2, "AGREE", "2023-07", "2023-07-01", "JP US", "c", ["佐藤花子", "John Smith"]),
              (3, "CONSULT", "2022", "2022-01-01", "JP", "d", ["鈴木一郎"]),
              (4, "AID", None, None, "JP", "", ["山田太郎"]),
              (5, "CONSULT", "2024-01-10", "2024-01-10", "US", "e", ["John Smith"])]
    engine = connect(db)
    with writing(engine) as conn:
        conn.execute(schema.stories.insert().values(id=1, simhash="0" * 16))
        for n, (stem, topics) in enumerate(reports.items(), 1):
            conn.execute(schema.documents.insert().values(
                id=n, source_key=f"https://news.example.tw/{stem}", story_id=1, path=stem, text="雙方會談。",
                text_hash=stem, extractor_version="test", ingested_at="2026-01-01"))
            conn.execute(schema.doc_topics.insert(), [{"document_id": n, "topic": t} for t in topics])
        for event_id, kind, date, day, codes, stems, names in events:
            conn.execute(schema.events.insert().values(id=event_id, type=kind, date=date, date_sort=day,
                                                       partner_countries=codes))
            for stem in stems:
                conn.execute(schema.event_sources.insert().values(
                    event_id=event_id, document_id="abcde".index(stem) + 1, evidence_start=0, evidence_end=5,
                    evidence="雙方會談。"))
            conn.execute(schema.event_participants.insert(),
                         [{"event_id": event_id, "name": name, "side": "counterpart"} for name in names])


def test_an_invented_partner_page_counts_events_not_reports(tmp_path):
    db = str(tmp_path / "t.db")
    _invented(db)
    assert page_facts(db, "JP") == {
        "engagements": 4, "by_year": {"2022": 1, "2023": 2}, "timeline": {"2023-05": 1, "2023-07": 1},
        "top_topics": ["energy", "ai", "health"], "people_met": ["佐藤花子", "山田太郎", "John Smith", "鈴木一郎"]}
    assert page_facts(db, "US")["top_topics"] == ["energy", "trade"]
    assert stored(db) == recounted(db)
    with writing(connect(db, create=False)) as conn:  # event 2 goes (cascades): energy is down to event 3
        conn.execute(schema.events.delete().where(schema.events.c.id == 2))
    assert stored(db) == recounted(db)
    assert page_facts(db, "JP")["top_topics"] == ["ai", "energy", "health"]
    assert page_facts(db, "US") == {"engagements": 1, "by_year": {"2024": 1}, "timeline": {"2024-01": 1},
                                    "top_topics": ["trade"], "people_met": ["John Smith"]}


def test_changed_partners_topics_and_sources_keep_it_right(db):
    engine = connect(db, create=False)
    first, second = rows(db, "select id from events where partner_countries <> '' limit 2")
    steps = [schema.events.update().where(schema.events.c.id == first[0]).values(partner_countries="ZZ JP"),
             schema.events.update().where(schema.events.c.id == first[0]).values(partner_countries=None),
             schema.doc_topics.delete().where(schema.doc_topics.c.document_id == 1),
             schema.doc_topics.update().where(schema.doc_topics.c.document_id == 3).values(topic="ai"),
             schema.event_sources.update().where(schema.event_sources.c.document_id == 2).values(event_id=second[0]),
             schema.events.delete().where(schema.events.c.id == second[0]),
             schema.documents.delete().where(schema.documents.c.id == 4)]
    for step in steps:
        with writing(engine) as conn:
            conn.execute(step)
        assert stored(db) == recounted(db), step


def test_direct_changes_of_the_kept_tables_are_followed(db):
    """partner_topics follows event_partners x event_topics even when those are changed directly."""
    engine = connect(db, create=False)
    (event_id, code, topic), *_ = rows(db, "select p.event_id, p.code, t.topic from event_partners p "
                                           "join event_topics t on t.event_id = p.event_id")
    partners, topics = schema.event_partners, schema.event_topics
    with writing(engine) as conn:
        conn.execute(partners.update().where(partners.c.event_id == event_id, partners.c.code == code).values(code="YY"))
        conn.execute(topics.update().where(topics.c.event_id == event_id, topics.c.topic == topic).values(topic="zz"))
    assert stored(db) == rows(db, "select p.code, t.topic, count(*) from event_partners p join event_topics t "
                                  "on t.event_id = p.event_id group by p.code, t.topic")
    assert ("YY", "zz", 1) in stored(db)


def test_merges_splits_remerge_and_new_versions_keep_it_right(tmp_path):
    folder, db = tmp_path / "docs", str(tmp_path / "t.db")
    shutil.copytree(MERGE_FIXTURES, folder)
    for stem, line in TOPIC_LINES.items():
        path = folder / f"{stem}.md"
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    run("ingest", "--db", db, folder)
    assert stored(db) and stored(db) == recounted(db)
    run("split", event_of(db, "o1"), doc_id(db, "o3"), "--db", db)
    assert stored(db) == recounted(db)
    run("merge", event_of(db, "other"), event_of(db, "o1"), "--db", db)
    assert stored(db) == recounted(db)
    run("remerge", "--db", db)
    assert stored(db) == recounted(db)
    o3 = folder / "o3.md"
    o3.write_text(o3.read_text(encoding="utf-8") + "\n双方并就半导体与芯片供应链合作交换意见。\n", encoding="utf-8")
    assert "updated 1" in run("ingest", "--db", db, folder).stderr
    assert stored(db) == recounted(db)


def test_a_version_5_database_is_upgraded_with_its_partner_topics(db):
    expected = recounted(db)
    _as_version(db, 5)
    assert rows(db, "select count(*) from sqlite_master where name = 'partner_topics'") == [(0,)]
    connect(db, create=False)
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert stored(db) == expected
    assert [c for _, _, c in rows(db, "pragma index_info(ix_event_partners_code)")] == ["code", "event_id"]
    run("remerge", "--db", db)  # the triggers are there
    assert stored(db) and stored(db) == recounted(db)
