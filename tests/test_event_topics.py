"""Topics of events in the event_topics table: the union of each event's source documents' topics,
kept in step by the database through merges, splits, remerge and new versions of a document, and
an older database upgraded in place."""
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ingest_samples
from test_merge import doc_id, event_of, run
from ties.cli import main
from ties.filters import Filters
from ties.store import queries, schema
from ties.store.db import connect, writing


MERGE_FIXTURES = Path(__file__).parent / "fixtures" / "merge"
TOPIC_LINES = {"o1": "\n報導指出，人工智慧與機器學習是未來合作重點。\n",
               "o3": "\n报道指出，人工智能与机器学习是未来合作重点。\n",
               "other": "\n報導指出，半導體與晶片產業是未來合作重點。\n"}


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(sql).fetchall())


def stored(db):
    return rows(db, "select event_id, topic, support from event_topics")


def computed(db):
    """What event_topics must hold: per event and topic, the (source row, document topic) pairs."""
    return rows(db, "select s.event_id, d.topic, count(*) from event_sources s "
                    "join doc_topics d on d.document_id = s.document_id group by s.event_id, d.topic")


@pytest.fixture
def db(tmp_path):
    return str(ingest_samples(tmp_path / "t.db"))


def test_ingest_fills_the_table(db):
    assert stored(db) and stored(db) == computed(db)


def test_merges_splits_remerge_and_new_versions_keep_it_right(tmp_path):
    """The corrections scenario of test_merge: after each step the table is the union again."""
    folder, db = tmp_path / "docs", str(tmp_path / "t.db")
    shutil.copytree(MERGE_FIXTURES, folder)
    for stem, line in TOPIC_LINES.items():  # the fixtures name no topic: give some reports one each
        path = folder / f"{stem}.md"
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    run("ingest", "--db", db, folder)
    assert stored(db) and stored(db) == computed(db)
    assert rows(db, "select count(*) from event_sources group by event_id having count(distinct document_id) > 1")
    run("split", event_of(db, "o1"), doc_id(db, "o3"), "--db", db)
    assert stored(db) == computed(db)
    run("merge", event_of(db, "other"), event_of(db, "o1"), "--db", db)
    assert stored(db) == computed(db)
    run("remerge", "--db", db)
    assert stored(db) == computed(db)
    o3 = folder / "o3.md"  # a new version with other words: its facts and topics are replaced
    o3.write_text(o3.read_text(encoding="utf-8") + "\n双方并就半导体与芯片供应链合作交换意见。\n", encoding="utf-8")
    before = stored(db)
    assert "updated 1" in run("ingest", "--db", db, folder).stderr
    assert stored(db) == computed(db)
    assert before != stored(db)


def test_removing_a_documents_topics_or_sources_drops_what_only_they_gave(db):
    engine = connect(db, create=False)
    with writing(engine) as conn:
        conn.execute(schema.doc_topics.delete().where(schema.doc_topics.c.document_id == 1))
    assert stored(db) == computed(db)
    with writing(engine) as conn:
        conn.execute(schema.event_sources.update().where(schema.event_sources.c.document_id == 2).values(document_id=3))
        conn.execute(schema.doc_topics.update().where(schema.doc_topics.c.document_id == 3).values(topic="ai"))
    assert stored(db) == computed(db)
    with writing(engine) as conn:
        conn.execute(schema.events.delete().where(schema.events.c.id.in_(
            schema.event_sources.select().with_only_columns(schema.event_sources.c.event_id)
            .where(schema.event_sources.c.document_id == 3))))
    assert stored(db) == computed(db)


def _as_version(db, version: int) -> None:
    """Make DB look as a database of that schema version was: before 7 no action modes and
    trusted dates as columns; before 6 no partner_topics and the partner code index on the code
    alone; before 5 no event_topics; their triggers gone too."""
    with sqlite3.connect(db) as conn:
        conn.execute("alter table actions drop column mode")
        conn.execute("alter table actions drop column trusted")
        if version == 6:
            conn.execute("update schema_version set version = 6")
            return
        conn.execute("drop table partner_topics")
        conn.execute("drop index ix_event_partners_code")
        conn.execute("create index ix_event_partners_code on event_partners (code)")
        for (name,) in conn.execute("select name from sqlite_master where type = 'trigger' "
                                    "and name like 'partner_topics_%'").fetchall():
            conn.execute(f"drop trigger {name}")
        if version < 5:
            conn.execute("drop table event_topics")
            for (name,) in conn.execute("select name from sqlite_master where type = 'trigger' "
                                        "and name like 'event_topics_%'").fetchall():
                conn.execute(f"drop trigger {name}")
        if version < 4:
            conn.execute("drop table event_partners")
            conn.execute("drop trigger event_partners_added")
            conn.execute("drop trigger event_partners_changed")
        if version < 2:  # the previous release's database
            for index in ("ix_merges_into", "ix_merges_document", "ix_merges_other_document"):
                conn.execute(f"drop index {index}")
            conn.execute("alter table merges drop column other_document_id")
            conn.execute("alter table events drop column actions")
            conn.execute("drop table document_versions")
        conn.execute(f"update schema_version set version = {version}")


@pytest.mark.parametrize("version", [4, 1])
def test_an_older_database_is_upgraded_with_its_event_topics(db, version):
    expected = computed(db)
    _as_version(db, version)
    connect(db, create=False)
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert stored(db) == expected
    assert CliRunner().invoke(main, ["remerge", "--db", db]).exit_code == 0  # the triggers are there
    assert stored(db) and stored(db) == computed(db)


def test_a_version_6_database_gains_its_actions_modes_and_trusted_dates(db):
    """Growing an event counts its actions' modes and reads their trusted dates from columns
    (version 7); an upgraded database fills them from the records and compact reports."""
    as_columns = "select id, mode, trusted from actions"
    expected = rows(db, as_columns)
    assert any(mode for _, mode, _ in expected) and any(date for _, _, date in expected)
    assert expected == rows(db, "select id, json_extract(record, '$.mode'), json_extract(report, '$[0]') from actions")
    events = rows(db, "select * from events")
    _as_version(db, 6)
    connect(db, create=False)
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert rows(db, as_columns) == expected
    assert CliRunner().invoke(main, ["remerge", "--db", db]).exit_code == 0
    assert rows(db, "select * from events") == events and rows(db, as_columns) == expected


def test_topic_filter_facets_and_rows_use_the_table(db):
    with connect(db, create=False).connect() as conn:
        facets = dict(queries.event_facets(conn)["topic"])
        assert facets
        for topic, n in facets.items():
            assert n == queries.count_events(conn, Filters(topic=topic))
            listed = queries.list_records(conn, Filters(topic=topic), limit=n)
            assert len(listed) == n and all(topic in r["topics"] for r in listed)
        union = {}
        for event_id, topic, _ in computed(db):
            union.setdefault(event_id, set()).add(topic)
        listed = queries.list_records(conn, limit=1000)
        assert {r["id"]: set(r["topics"]) for r in listed if r["topics"]} == {i: union[i] for i in
                                                                             (r["id"] for r in listed) if i in union}


def test_walking_in_date_order_lists_what_collecting_lists(db):
    """list_records reads common filters' pages in date order, testing each event: the same rows."""
    with connect(db, create=False).connect() as conn:
        topic = queries.event_facets(conn)["topic"][0][0]
        partner = queries.event_facets(conn)["partner"][0][0]
        for filters in (Filters(topic=topic), Filters(partner=partner), Filters(type="CONSULT"),
                        Filters(partner=partner, topic=topic, since="2020-01-01")):
            for oldest in (False, True):
                pages = [[r.id for r in conn.execute(queries._filtered_events(conn, filters, walk=walk)
                                                     .order_by(*queries._by_date(oldest)).limit(3).offset(1))]
                         for walk in (True, False)]
                assert pages[0] == pages[1] and pages[0]
