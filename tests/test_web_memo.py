"""Answers the web server keeps between requests (queries.unchanged) follow the data: a commit by
another connection (an ingest, the event page's correction form) shows on the next request, and a
connection that may write never keeps answers."""
import gc
import json
import weakref

from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import ingest_samples, write
from ties.cli import main
from ties.store import memo, queries
from ties.store.db import connect
from ties.web.app import create_app

TAIPEI_TOKYO = ("# 台日簽署人工智慧合作備忘錄\n\n2025年5月6日，數位發展部長在東京會見日本數位大臣，"
                "雙方簽署人工智慧與半導體合作備忘錄，並同意推動生成式AI與晶片人才交流。\n")


def test_a_commit_by_another_connection_shows_on_the_next_request(tmp_path):
    db = str(ingest_samples(tmp_path / "t.db"))
    with TestClient(create_app(db)) as client:
        before = client.get("/api/stats").json()
        home = client.get("/").text
        assert client.get("/api/stats").json() == before  # kept, and the same
        added = write(tmp_path, "new.md", TAIPEI_TOKYO)
        result = CliRunner().invoke(main, ["ingest", "--fast", "--db", db, str(added)])
        assert result.exit_code == 0, result.output
        after = client.get("/api/stats").json()
        assert after["documents"] == before["documents"] + 1
        assert after["events"] > before["events"]
        assert client.get("/").text != home
        # a connection of the app's read-only pool answers as a fresh writer connection computes
        with connect(db, create=False).connect() as fresh, client.app.state.engine.connect() as served:
            assert _plain(queries.event_facets(served)) == _plain(queries.event_facets(fresh))
            assert queries.timeline(served) == queries.timeline(fresh)


def _plain(facets: dict) -> dict:
    return json.loads(json.dumps(facets, ensure_ascii=False))


def test_a_connection_that_may_write_keeps_nothing(tmp_path):
    """A connection's own commits do not change its data_version: only read-only engines keep answers."""
    db = str(ingest_samples(tmp_path / "t.db"))
    computed = []

    def answer(conn):
        computed.append(conn)
        return len(computed)
    with connect(db, create=False).connect() as conn:
        assert [memo.unchanged(conn, "k", answer) for _ in range(2)] == [1, 2]
    computed.clear()
    with connect(db, create=False, read_only=True).connect() as conn:
        assert [memo.unchanged(conn, "k", answer) for _ in range(2)] == [1, 1]


def test_an_app_that_shuts_down_leaves_no_engine_alive(tmp_path):
    """The memo's connection, checked out for good, kept its engine (and every pooled connection's
    page cache) from ever being collected; a benchmark making an app per step grew by 75 MB a step."""
    db = str(ingest_samples(tmp_path / "t.db"))
    with TestClient(create_app(db)) as client:
        assert client.get("/api/stats").status_code == 200  # the memo's connection is open
        engine = weakref.ref(client.app.state.engine)
    del client
    gc.collect()
    assert engine() is None
