"""The PostgreSQL backend: the same schema and answers as SQLite, on a throwaway cluster started
from Debian's packages (initdb + pg_ctl, unix socket). Skips with a message when PostgreSQL's
binaries are not installed (.ci/run installs them)."""
import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, write
from ties.cli import main


def _bin(name):
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="module")
def pg_url():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not installed: apt-get install postgresql")
    root = tempfile.mkdtemp(prefix="ties-pg-")
    as_user = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, sock = os.path.join(root, "data"), root
    subprocess.run([*as_user, initdb, "-D", data, "-U", "ties", "--auth=trust", "--locale=C.UTF-8", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, pg_ctl, "-D", data, "-l", os.path.join(root, "log"), "-w", "-o",
                    f"-k {sock} -c listen_addresses='' -p 54329", "start"], check=True, capture_output=True)
    try:
        subprocess.run([*as_user, _bin("createdb") or "createdb", "-h", sock, "-p", "54329", "-U", "ties", "ties"],
                       check=True, capture_output=True)
        yield f"postgresql://ties@/ties?host={sock}&port=54329"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def _kept_and_recounted(engine, kept: str, recount: str) -> tuple[list, list]:
    """The rows a trigger-kept table holds, and the same counted afresh from its sources."""
    from sqlalchemy import text
    with engine.connect() as conn:
        return sorted(conn.execute(text(kept)).all()), sorted(conn.execute(text(recount)).all())


def test_same_answers_as_sqlite(pg_url, tmp_path):
    """PostgreSQL stored by workers that prepare and a writer that stores while they work (--jobs
    2), SQLite by one process: the same answers."""
    sqlite_db = str(tmp_path / "t.db")
    for db, jobs in ((pg_url, "2"), (sqlite_db, "1")):
        run("ingest", "--fast", "--jobs", jobs, "--db", db, str(SAMPLES))
    answers = {}
    for db in (pg_url, sqlite_db):
        events = json.loads(run("events", "--db", db, "--format", "json").stdout)
        stats = json.loads(run("stats", "--db", db, "--format", "json").stdout)
        found = {q: {r["title"] for r in json.loads(run("search", q, "--db", db, "--format", "json").stdout)["results"]}
                 for q in ("台灣", "合作備忘錄", "立陶宛", "AI")}
        partners = json.loads(run("partners", "--db", db, "--format", "json").stdout)  # from event_partners
        by_partner = {p["country"]: len(json.loads(run("events", "--partner", p["country"], "--db", db,
                                                       "--format", "json").stdout)) for p in partners}
        answers[db] = ([(e["date"], e["type"], sorted(e["taiwan_side"])) for e in events], stats, found,
                       partners, by_partner)
    assert answers[pg_url][4] and all(answers[pg_url][4].values())
    assert answers[pg_url] == answers[sqlite_db]


def test_search_is_exact_when_every_bigram_is_there_but_not_the_string(pg_url, tmp_path):
    """PostgreSQL's index proposes the documents holding every bigram of the query (anywhere);
    the stored text confirms: 鯨豚骨 is not found in a text with 鯨豚 and 豚骨 apart, on either
    backend, and 豚骨拉 is."""
    doc = write(tmp_path, "whales.txt", "台日海洋保育交流\n2024-03-05\n外交部今天表示，台灣與日本將合作推動鯨豚保育，"
                                         "雙方代表團並在晚宴中品嘗豚骨拉麵，交換海洋研究經驗。\n")
    sqlite_db = str(tmp_path / "t.db")
    for db in (pg_url, sqlite_db):
        run("ingest", "--fast", "--db", db, str(doc))
        found = {q: [r["title"] for r in json.loads(run("search", q, "--db", db, "--format", "json").stdout)["results"]]
                 for q in ("鯨豚骨", "豚骨拉", "鯨豚保育")}
        assert found == {"鯨豚骨": [], "豚骨拉": ["台日海洋保育交流"], "鯨豚保育": ["台日海洋保育交流"]}, db


def test_a_search_past_the_count_cap_lists_the_newest_matches_exactly(pg_url, tmp_path, monkeypatch):
    """Above COUNT_CAP matches the newest come first (PostgreSQL walks the documents instead of
    the bigram index): only texts holding the string, on either backend, in the same order."""
    from ties.store import search as search_module
    from ties.store.db import connect

    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    body = "外交部今天表示，台灣與{partner}將深化{word}合作，雙方代表團並就供應鏈與人才交流交換意見。"
    paths = [write(tmp_path, f"cap{i}.txt", f"台{partner}合作第{i}號\n2024-03-0{i + 1}\n"
                   + body.format(partner=partner, word=word) + "\n")
             for i, (partner, word) in enumerate([("日本", "海洋鯨豚"), ("捷克", "鯨豚保育"), ("波蘭", "海洋鯨豚"),
                                                  ("立陶宛", "豚鯨"), ("荷蘭", "海洋鯨豚")])]
    sqlite_db = str(tmp_path / "cap.db")
    found = {}
    for db in (pg_url, sqlite_db):
        for path in paths:  # one at a time: ids in this order
            run("ingest", "--fast", "--db", db, str(path))
        with connect(db, create=False).connect() as conn:
            total, hits = search_module.search(conn, "海洋鯨豚", limit=2)
            _, many = search_module.search(conn, "海洋鯨豚", limit=search_module.WALK_ROWS + 1)  # not walked
            found[db] = (total, [h.title for h in hits], [h.title for h in many])
    assert found[pg_url] == found[sqlite_db] == (3, ["台荷蘭合作第4號", "台波蘭合作第2號"],
                                                 ["台荷蘭合作第4號", "台波蘭合作第2號", "台日本合作第0號"])


def test_ingest_twice_is_idempotent(pg_url):
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    again = run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    assert "unchanged 14" in again.stderr


def test_event_topics_follow_sources_and_topics(pg_url):
    """event_topics is kept by PL/pgSQL triggers: after ingest, remerge and removed topics it is the
    union of each event's source documents' topics, with the pairs counted."""
    from sqlalchemy import text

    from ties.filters import Filters
    from ties.store import queries
    from ties.store.db import connect, writing
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    run("remerge", "--db", pg_url)
    engine = connect(pg_url, create=False)

    def stored_and_computed():
        return _kept_and_recounted(engine, "select event_id, topic, support from event_topics",
                                   "select s.event_id, d.topic, count(*) from event_sources s join doc_topics d "
                                   "on d.document_id = s.document_id group by s.event_id, d.topic")
    stored, computed = stored_and_computed()
    assert stored and stored == computed
    with writing(engine) as conn:
        conn.execute(text("delete from doc_topics where document_id in (select min(document_id) from event_sources)"))
        conn.execute(text("update event_sources set event_id = (select min(id) from events) "
                          "where event_id = (select max(id) from events)"))
    stored, computed = stored_and_computed()
    assert stored == computed
    with engine.connect() as conn:
        facets = dict(queries.event_facets(conn)["topic"])
        assert facets == {t: sum(1 for _, topic, _ in computed if topic == t) for _, t, _ in computed}
        assert all(queries.count_events(conn, Filters(topic=t)) == n for t, n in facets.items())


def test_partner_topics_follow_partners_and_topics(pg_url):
    """partner_topics is kept by PL/pgSQL triggers (removals counted before the row goes, so an
    event's cascade to both tables is subtracted once): after ingest, remerge, changed partners,
    removed topics and deleted events it equals the count of events per partner and topic, and the
    partner page's top topics are those of the topic facet of its list."""
    from sqlalchemy import text

    from ties.filters import Filters
    from ties.store import queries
    from ties.store.db import connect, writing
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    run("remerge", "--db", pg_url)
    engine = connect(pg_url, create=False)

    def stored_and_computed():
        return _kept_and_recounted(engine, "select code, topic, events from partner_topics where events <> 0",
                                   "select p.code, t.topic, count(*) from event_partners p join event_topics t "
                                   "on t.event_id = p.event_id group by p.code, t.topic")
    stored, computed = stored_and_computed()
    assert stored and stored == computed
    with writing(engine) as conn:
        conn.execute(text("update events set partner_countries = 'ZZ JP' where id = (select min(event_id) from event_topics)"))
        conn.execute(text("delete from doc_topics where document_id in (select min(document_id) from event_sources)"))
        conn.execute(text("delete from events where id = (select max(event_id) from event_topics)"))
    stored, computed = stored_and_computed()
    assert stored == computed and ("ZZ",) in {(c,) for c, _, _ in stored}
    with engine.connect() as conn:
        for code in {c for c, _, _ in stored}:
            facets = queries.event_facets(conn, Filters(partner=code))
            assert queries.partner_page(conn, code, rows=1)["top_topics"] == [t for t, _ in facets["topic"][:3]]


def test_events_grow_as_in_sqlite(pg_url, tmp_path, monkeypatch):
    """One meeting told by three outlets (a fresh database of the cluster): on PostgreSQL the event
    grows from what SQL reads of its actions' JSON (modes, trusted dates) into the same event, with
    the same values and participants, as on SQLite."""
    from sqlalchemy import create_engine

    from ties.store import engagements
    grown = []
    real = engagements._grow_event
    monkeypatch.setattr(engagements, "_grow_event", lambda conn, event, *rest: (grown.append(conn.dialect.name),
                                                                               real(conn, event, *rest))[1])
    with create_engine(pg_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS grow")
        conn.exec_driver_sql("CREATE DATABASE grow")
    fixtures = Path(__file__).parent / "fixtures" / "merge"
    grow_url = pg_url.replace("/ties?", "/grow?")
    found = {}
    for db in (grow_url, str(tmp_path / "t.db")):
        run("ingest", "--fast", "--db", db, str(fixtures))
        found[db] = [(e["date"], e["type"], e["mode"], sorted(e["taiwan_side"]), sorted(e["counterparts"]), e["sources"])
                     for e in json.loads(run("events", "--db", db, "--format", "json").stdout)]
    assert "postgresql" in grown and "sqlite" in grown
    assert found[grow_url] == found[str(tmp_path / "t.db")]


def test_a_version_6_database_gains_its_actions_modes_and_trusted_dates(pg_url):
    """The upgrade to version 7 fills the columns from the JSON records and compact reports in
    PostgreSQL's JSON functions, as ingest fills them."""
    from sqlalchemy import text

    from ties.store import schema
    from ties.store.db import connect, writing
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    engine = connect(pg_url, create=False)
    as_columns = "select id, mode, trusted from actions"
    expected, _ = _kept_and_recounted(engine, as_columns, as_columns)
    assert any(mode for _, mode, _ in expected) and any(date for _, _, date in expected)
    with writing(engine) as conn:
        conn.execute(text("alter table actions drop column mode"))
        conn.execute(text("alter table actions drop column trusted"))
        conn.execute(text("update schema_version set version = 6"))
    engine.dispose()
    engine = connect(pg_url, create=False)
    upgraded, version = _kept_and_recounted(engine, as_columns, "select version from schema_version")
    assert upgraded == expected and version == [(schema.SCHEMA_VERSION,)]



def test_events_are_indexed_in_the_lists_order_and_an_upgrade_from_version_9_adds_it(pg_url):
    """PostgreSQL reads a page of events newest first (undated last) from an index in that order;
    a database of version 9 gets it, and the list is the same."""
    from sqlalchemy import text

    from ties.store import queries, schema
    from ties.store.db import LIST_ORDER_INDEX, connect, writing
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    engine = connect(pg_url, create=False)
    index = text("select indexdef from pg_indexes where indexname = :name")
    with engine.connect() as conn:
        assert "date_sort DESC NULLS LAST, id" in conn.execute(index, {"name": LIST_ORDER_INDEX}).scalar()
        listed = [r["id"] for r in queries.list_records(conn, limit=1000)]
    with writing(engine) as conn:  # the database as version 9 left it
        conn.execute(text(f"drop index {LIST_ORDER_INDEX}"))
        conn.execute(text("update schema_version set version = 9"))
    engine.dispose()
    engine = connect(pg_url, create=False)
    with engine.connect() as conn:
        assert conn.execute(index, {"name": LIST_ORDER_INDEX}).scalar()
        assert conn.execute(text("select version from schema_version")).scalar() == schema.SCHEMA_VERSION
        assert [r["id"] for r in queries.list_records(conn, limit=1000)] == listed


def test_a_long_list_is_one_array(pg_url, monkeypatch):
    """PostgreSQL binds a long IN list as one array (= ANY): one statement for every long length;
    nothing is kept (the transaction is rolled back)."""
    from sqlalchemy import text
    from test_store_direct import check_lists_bound_as_one_value

    from ties.store.db import connect
    with connect(pg_url).connect() as conn:
        transaction = conn.begin()
        conn.execute(text("TRUNCATE entities RESTART IDENTITY CASCADE"))  # the earlier tests' people
        seen = check_lists_bound_as_one_value(conn, monkeypatch)
        transaction.rollback()
    assert "= ANY(" in seen[0] and "= ANY(" in seen[2]


def test_rows_of_plain_inserts_are_loaded_with_copy(pg_url, tmp_path, monkeypatch):
    """Batched rows go to PostgreSQL as COPY streams (here every batch, however small; a statement
    with RETURNING or ON CONFLICT never) and land as INSERTs would: the same events as SQLite."""
    from sqlalchemy import text

    from ties.store import direct
    from ties.store.db import connect
    loaded = {}  # table -> rows copied
    real = direct._copy_in

    def counted(conn, sql, keys, values):
        table = sql.split()[1]
        loaded[table] = loaded.get(table, 0) + len(values)
        real(conn, sql, keys, values)
    monkeypatch.setattr(direct, "_copy_in", counted)
    monkeypatch.setattr(direct, "COPY_MIN_ROWS", 1)
    with connect(pg_url).begin() as conn:  # what the earlier tests stored
        conn.execute(text("TRUNCATE documents, stories, entities, events RESTART IDENTITY CASCADE"))
    run("ingest", "--fast", "--db", pg_url, str(SAMPLES))
    assert {"mentions", "doc_topics", "action_keys", "event_sources", "outcomes"} <= set(loaded), loaded
    with connect(pg_url, create=False).connect() as conn:
        assert loaded["mentions"] == conn.execute(text("select count(*) from mentions")).scalar() > 0
    sqlite_db = str(tmp_path / "t.db")
    run("ingest", "--fast", "--db", sqlite_db, str(SAMPLES))
    events = {}
    for db in (pg_url, sqlite_db):  # (participants come in no set order: compared as sets)
        events[db] = [{k: sorted(v) if isinstance(v, list) and k not in ("sources", "outcomes") else v
                       for k, v in e.items()} for e in json.loads(run("events", "--db", db, "--format", "json").stdout)]
    assert events[pg_url] and events[pg_url] == events[sqlite_db]
