"""Document versions and concurrent writers (issue 13, items 5 and 6). Invented articles."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SAMPLES, write
from ties.cli import main
from ties.store import schema
from ties.store.db import connect
from ties.web.app import create_app

TIES = [sys.executable, "-c", "from ties.cli import main; main()"]
URL = "https://news.example.org/politics/4711"
ARTICLE = """---
title: 外交部長接見訪團
url: {url}
date: 2025-05-06
---
外交部長今天在臺北接見{who}訪團，雙方就{topic}交換意見。
"""
FIRST = ARTICLE.format(url=URL, who="美國聯邦參議員", topic="區域安全")
CORRECTED = ARTICLE.format(url=URL, who="日本眾議院議員", topic="半導體供應鏈")


def ingest(db, *paths):
    result = CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.stderr


def rows(db, query):
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


def cli_json(*args):
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_corrected_text_under_the_same_url_is_a_new_version_and_drives_the_facts(tmp_path):
    db, path = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    ingest(db, path)
    path.write_text(CORRECTED, encoding="utf-8")
    assert "updated 1" in ingest(db, path)
    assert rows(db, "select id, url, path from documents") == [(1, URL, str(path))]
    assert rows(db, "select version from document_versions where document_id = 1") == [(1,), (2,)]
    assert "日本" in rows(db, "select text from documents")[0][0]
    partners = rows(db, "select e.partner_countries from events e join event_sources s on s.event_id = e.id "
                        "where s.document_id = 1")
    assert partners and all("JP" in p and "US" not in p for (p,) in partners)
    listed = cli_json("document", "1", "--versions", "--db", str(db))
    assert [v["version"] for v in listed] == [1, 2] and listed[0]["origin"] == str(path)
    assert "美國" in cli_json("document", "1", "--version", "1", "--db", str(db))["text"]
    changed = cli_json("document", "1", "--version", "1", "--changes", "--db", str(db))
    assert [c["change"] for c in changed] == ["removed", "added"] and "日本" in changed[1]["sentence"]


def test_an_earlier_text_seen_again_does_not_replace_the_latest(tmp_path):
    db, path = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    ingest(db, path)
    path.write_text(CORRECTED, encoding="utf-8")
    ingest(db, path)
    path.write_text(FIRST, encoding="utf-8")
    assert "unchanged 1" in ingest(db, path)
    assert "日本" in rows(db, "select text from documents")[0][0]
    assert rows(db, "select count(*) from document_versions") == [(2,)]


def test_a_local_file_claiming_a_held_url_is_stored_under_its_path(tmp_path):
    db, first = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    (tmp_path / "copies").mkdir()
    other = write(tmp_path / "copies", "b.md", CORRECTED)
    ingest(db, first)
    stderr = ingest(db, other)
    assert f"warning: {URL} is already held by document 1 from another source" in stderr
    assert rows(db, "select id, source_key from documents order by id") == [(1, URL), (2, str(other))]
    assert "美國" in rows(db, "select text from documents where id = 1")[0][0]
    assert "unchanged 2" in ingest(db, first, other)  # and again: each stays where it is


def test_an_older_database_is_upgraded_in_place(tmp_path):
    db, path = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    ingest(db, path)
    with sqlite3.connect(db) as conn:  # as a version-2 database was: no versions table
        conn.execute("drop table document_versions")
        conn.execute("update schema_version set version = 2")
    connect(str(db), create=False)
    assert rows(db, "select document_id, version from document_versions") == [(1, 1)]
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    path.write_text(CORRECTED, encoding="utf-8")
    assert "updated 1" in ingest(db, path)
    assert rows(db, "select count(*) from documents") == [(1,)]


def test_the_document_page_lists_versions_and_shows_an_earlier_one(tmp_path):
    db, path = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    ingest(db, path)
    path.write_text(CORRECTED, encoding="utf-8")
    ingest(db, path)
    with TestClient(create_app(str(db))) as client:
        page = client.get("/documents/1").text
        assert 'id="versions"' in page and "?version=1" in page and "日本" in page
        earlier = client.get("/documents/1", params={"version": 1}).text
        assert 'id="earlier-version"' in earlier and "美國" in earlier
        assert 'id="changes"' in earlier and "<ins>" in earlier and "<del>" in earlier
        api = client.get("/api/documents/1").json()
        assert [v["version"] for v in api["versions"]] == [1, 2] and "origin" not in api["versions"][0]
        assert "美國" in client.get("/api/documents/1/versions/1").json()["text"]
        assert client.get("/api/documents/1/versions/9").status_code == 404


def test_two_concurrent_ingests_into_one_sqlite_file_both_succeed(tmp_path):
    db = tmp_path / "t.db"
    env = {**os.environ, "TIES_FAST": "1"}
    procs = [subprocess.Popen([*TIES, "ingest", "--fast", "--db", str(db), str(SAMPLES)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert all("failed 0" in e for e in errors), errors
    keys = rows(db, "select source_key from documents")
    assert len(keys) == len(set(keys)) == 14
    assert rows(db, "select count(*) from document_versions") == [(14,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


WORKER_PARENT = """
import os, sys
from ties.workers import worker_pool
pool = worker_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
sys.stdin.read()
"""


def test_workers_die_with_their_parent():
    parent = subprocess.Popen([sys.executable, "-c", WORKER_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    worker = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"  # a zombie is dead, only not yet reaped
    except FileNotFoundError:
        return False


def test_a_version_1_database_of_the_first_release_is_upgraded(tmp_path):
    """The first release's merges had no other_document_id and its events no actions: the upgrade
    adds the columns before anything indexes them."""
    db, path = tmp_path / "t.db", write(tmp_path, "a.md", FIRST)
    ingest(db, path)
    with sqlite3.connect(db) as conn:
        for index in ("ix_merges_into", "ix_merges_document", "ix_merges_other_document"):
            conn.execute(f"drop index {index}")
        conn.execute("alter table merges drop column other_document_id")
        conn.execute("alter table events drop column actions")
        conn.execute("drop table document_versions")
        conn.execute("update schema_version set version = 1")
    connect(str(db), create=False)
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert rows(db, "select count(*) from sqlite_master where name = 'ix_merges_other_document'") == [(1,)]
    assert "unchanged 1" in ingest(db, path) or "updated 1" in ingest(db, path)
