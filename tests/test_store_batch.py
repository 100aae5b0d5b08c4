"""Documents stored in batches (one writer transaction per batch): the batch size never changes
what is stored, a batch interrupted mid-way keeps the batches committed before it, a rerun
completes the rest with the same events, and a document that fails leaves its batch."""
import sqlite3

import pytest

import ties.store.ingest as store
from conftest import SAMPLES, write
from ties.pipeline import read_and_extract
from ties.sources import iter_sources
from ties.store.db import connect
from ties.store.ingest import Batch

FACT_TABLES = {
    "documents": "select source_key, story_id, text_hash from documents",
    "events": "select id, type, date, partner_countries, actions from events",
    "event_sources": "select event_id, document_id, evidence_start, evidence_end, trigger from event_sources",
    "event_participants": "select event_id, entity_id, name, side from event_participants",
    "entities": "select id, kind, name, key from entities",
    "mentions": "select document_id, entity_id, start, end from mentions",
    "merges": "select kind, into_id, document_id, other_document_id, reason from merges",
    "outcomes": "select event_id, document_id, text, start, end from outcomes",
    "doc_topics": "select document_id, topic from doc_topics",
    "actions": "select document_id, seq, event_id, type, date, record, report from actions",
}


@pytest.fixture(scope="module")
def extracted():
    """Every sample twice (the second a repost with a line added), read and extracted once."""
    pairs = [read_and_extract(s, fast=True) for s in iter_sources([str(SAMPLES)])]
    return [(d, f) for d, f in pairs if f is not None and d.text.strip()]


def store_all(db, pairs, max_docs, outcomes=None):
    outcomes = [] if outcomes is None else outcomes
    batch = Batch(connect(str(db)), lambda doc, outcome, notes: outcomes.append((doc.path, outcome)),
                  max_docs=max_docs, max_seconds=3600)
    for doc, found in pairs:
        batch.add(doc, found)
    batch.flush()
    return outcomes


def dump(db):
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {name: sorted(conn.execute(query).fetchall()) for name, query in FACT_TABLES.items()}


def fts_count(db, word):
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from documents_fts where documents_fts match ?", (f'"{word}"',)).fetchone()


def test_batch_size_does_not_change_what_is_stored(tmp_path, extracted):
    one = store_all(tmp_path / "one.db", extracted, max_docs=1)
    three = store_all(tmp_path / "three.db", extracted, max_docs=3)
    whole = store_all(tmp_path / "whole.db", extracted, max_docs=1000)
    assert one == three == whole
    assert dump(tmp_path / "one.db") == dump(tmp_path / "three.db") == dump(tmp_path / "whole.db")
    assert dump(tmp_path / "one.db")["events"]
    assert fts_count(tmp_path / "one.db", "合作") == fts_count(tmp_path / "whole.db", "合作")


def test_the_first_batches_are_smaller_so_storing_starts_early(tmp_path, monkeypatch, extracted):
    """Batches of 2, 4, 8 … up to max_docs: each document is done (committed) once its batch is."""
    monkeypatch.setattr(store, "FIRST_BATCH_DOCS", 2)
    done = []
    batch = Batch(connect(str(tmp_path / "ramp.db")), lambda doc, outcome, notes: done.append(doc.path),
                  max_docs=4, max_seconds=3600)
    committed_after = []
    for doc, found in (extracted * 2)[:12]:
        batch.add(doc, found)
        committed_after.append(len(done))
    assert committed_after == [0, 2, 2, 2, 2, 6, 6, 6, 6, 10, 10, 10]


def test_a_writer_with_nothing_to_read_stores_a_batch_worth_waiting(tmp_path, monkeypatch, extracted):
    """flush_waiting stores the documents waiting once they are a first batch's worth."""
    monkeypatch.setattr(store, "FIRST_BATCH_DOCS", 3)
    done = []
    batch = Batch(connect(str(tmp_path / "w.db")), lambda doc, outcome, notes: done.append(doc.path),
                  max_docs=100, max_seconds=3600)
    for doc, found in extracted[:2]:
        batch.add(doc, found)
    batch.flush_waiting()
    assert done == []
    batch.add(*extracted[2])
    batch.flush_waiting()
    assert done == [doc.path for doc, _ in extracted[:3]]


def test_ingest_with_workers_stores_what_one_process_stores(tmp_path):
    """With --jobs the workers also compute what storing needs of each document alone (the
    search text, SimHash, action records and reports): the database is the same."""
    from click.testing import CliRunner
    from ties.cli import main

    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["ingest", "--fast", "--jobs", jobs, "--db", str(tmp_path / f"{jobs}.db"),
                                           str(SAMPLES)])
        assert result.exit_code == 0, result.output
    assert dump(tmp_path / "1.db") == dump(tmp_path / "2.db")
    assert fts_count(tmp_path / "1.db", "合作") == fts_count(tmp_path / "2.db", "合作") != (0,)


def test_what_a_worker_fails_to_prepare_the_writer_prepares(tmp_path, extracted, monkeypatch):
    """A document whose preparation fails in a worker comes with none; the writer prepares it."""
    from ties.pipeline import read_and_extract

    def failing(doc, found):
        raise ValueError("cannot prepare")

    source = next(iter(iter_sources([str(SAMPLES)])))
    doc, found, ready = read_and_extract(source, fast=True, prepare=failing)
    assert ready is None
    outcomes = []
    batch = Batch(connect(str(tmp_path / "p.db")), lambda d, outcome, notes: outcomes.append(outcome))
    batch.add(doc, found, ready)
    batch.flush()
    assert outcomes == ["new"]


def test_an_interrupted_batch_loses_only_itself_and_a_rerun_completes_it(tmp_path, extracted, monkeypatch):
    db = tmp_path / "cut.db"
    real, calls = store._store_in, []

    def killed_at_the_seventh(conn, doc, *rest):
        calls.append(doc.path)
        if len(calls) == 7:
            raise KeyboardInterrupt  # stands for kill -9: nothing of the open batch may be committed
        return real(conn, doc, *rest)

    monkeypatch.setattr(store, "_store_in", killed_at_the_seventh)
    with pytest.raises(KeyboardInterrupt):
        store_all(db, extracted, max_docs=3)
    with sqlite3.connect(db) as conn:
        stored = [p for (p,) in conn.execute("select path from documents order by id")]
    assert stored == [doc.path for doc, _ in extracted[:6]]  # two whole batches of three

    monkeypatch.setattr(store, "_store_in", real)
    rerun = store_all(db, extracted, max_docs=3)
    assert [o for _, o in rerun[:6]] == ["unchanged"] * 6
    store_all(tmp_path / "clean.db", extracted, max_docs=3)
    assert dump(db) == dump(tmp_path / "clean.db")


def test_a_document_that_fails_leaves_the_rest_of_its_batch(tmp_path, monkeypatch):
    good = write(tmp_path, "good.txt", "標題\n經濟部長今天接見波蘭副部長，雙方同意擴大半導體合作。\n")
    bad = write(tmp_path, "bad.txt", "標題二\n數位部長今天接見立陶宛訪團，雙方就資安合作交換意見。\n")
    also = write(tmp_path, "also.txt", "標題三\n農業部長今天接見越南農業部副部長，雙方同意加強智慧農業合作。\n")
    pairs = [read_and_extract(s, fast=True) for s in iter_sources([str(good), str(bad), str(also)])]
    real, calls = store._store_entities, []

    def failing_second(conn, doc_id, found):
        calls.append(doc_id)
        ids = real(conn, doc_id, found)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return ids

    monkeypatch.setattr(store, "_store_entities", failing_second)
    outcomes = store_all(tmp_path / "t.db", pairs, max_docs=10)
    assert [o if isinstance(o, str) else type(o).__name__ for _, o in outcomes] == ["new", "RuntimeError", "new"]
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert [p for (p,) in conn.execute("select path from documents order by id")] == [str(good), str(also)]
        orphans = conn.execute("select count(*) from mentions where document_id not in (select id from documents)")
        assert orphans.fetchone() == (0,)


def extract_text(tmp_path, name, text):
    """One file's document and extraction as read now (the file may be rewritten afterwards)."""
    (pair,) = [read_and_extract(s, fast=True) for s in iter_sources([str(write(tmp_path, name, text))])]
    return pair


def versions_and_search(db):
    with sqlite3.connect(db) as conn:
        versions = conn.execute("select document_id, version, text_hash from document_versions order by 1, 2").fetchall()
    return versions, fts_count(db, "波蘭"), fts_count(db, "越南")


def test_a_new_version_in_the_same_batch_reads_its_earlier_rows(tmp_path):
    """Rows written at the batch's commit (search entry, versions, mentions, topics) are written
    before a document stored earlier in the batch is read back and replaced by its next version."""
    first = extract_text(tmp_path, "news.txt", "標題\n經濟部長今天接見波蘭副部長，雙方同意擴大半導體合作。\n")
    other = extract_text(tmp_path, "other.txt", "標題二\n數位部長今天接見立陶宛訪團，雙方就資安合作交換意見。\n")
    second = extract_text(tmp_path, "news.txt", "標題\n經濟部長今天接見越南副部長，雙方同意擴大農業合作。\n")
    pairs = [first, other, second]
    together = store_all(tmp_path / "together.db", pairs, max_docs=10)
    apart = store_all(tmp_path / "apart.db", pairs, max_docs=1)
    assert [o for _, o in together] == [o for _, o in apart] == ["new", "new", "updated"]
    assert dump(tmp_path / "together.db") == dump(tmp_path / "apart.db")
    assert versions_and_search(tmp_path / "together.db") == versions_and_search(tmp_path / "apart.db")
    versions, poland, vietnam = versions_and_search(tmp_path / "together.db")
    assert [(d, v) for d, v, _ in versions] == [(1, 1), (1, 2), (2, 1)]
    assert (poland, vietnam) == ((0,), (1,))  # the first text's search entry was replaced


def test_a_failing_new_version_keeps_the_rows_of_the_documents_before_it(tmp_path, monkeypatch):
    """The earlier documents' rows written under a failing document's savepoint (to read them
    back) are rolled back with it, and written again at the commit."""
    first = extract_text(tmp_path, "news.txt", "標題\n經濟部長今天接見波蘭副部長，雙方同意擴大半導體合作。\n")
    second = extract_text(tmp_path, "news.txt", "標題\n經濟部長今天接見越南副部長，雙方同意擴大農業合作。\n")
    real, calls = store._store_entities, []

    def failing_second(conn, doc_id, found):
        calls.append(doc_id)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(conn, doc_id, found)

    monkeypatch.setattr(store, "_store_entities", failing_second)
    outcomes = store_all(tmp_path / "t.db", [first, second], max_docs=10)
    assert [o if isinstance(o, str) else type(o).__name__ for _, o in outcomes] == ["new", "RuntimeError"]
    monkeypatch.setattr(store, "_store_entities", real)
    store_all(tmp_path / "alone.db", [first], max_docs=10)
    assert dump(tmp_path / "t.db") == dump(tmp_path / "alone.db")
    assert dump(tmp_path / "t.db")["mentions"]
    assert versions_and_search(tmp_path / "t.db") == versions_and_search(tmp_path / "alone.db")
    assert versions_and_search(tmp_path / "t.db")[1] == (1,)


def test_no_cycle_collection_while_a_batch_is_stored(tmp_path, extracted, monkeypatch):
    """The collector is off while a batch is written and back on after it (and stays off for a
    caller that had turned it off)."""
    import gc
    seen = []
    real = store._store_in
    monkeypatch.setattr(store, "_store_in", lambda *a: (seen.append(gc.isenabled()), real(*a))[1])
    store_all(tmp_path / "on.db", extracted[:3], max_docs=2)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        store_all(tmp_path / "off.db", extracted[:3], max_docs=2)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_writer_collects_rarely_while_ingesting_and_restores_the_threshold(tmp_path, monkeypatch):
    """`ties ingest` takes in documents with the collector's first threshold at
    WRITER_GC_THRESHOLD, and leaves the process's thresholds as they were."""
    import gc
    from click.testing import CliRunner
    from ties.cli import main

    seen = []
    real = store.Batch.add
    monkeypatch.setattr(store.Batch, "add", lambda self, *a: (seen.append(gc.get_threshold()[0]), real(self, *a))[1])
    before = gc.get_threshold()
    result = CliRunner().invoke(main, ["ingest", "--fast", "--db", str(tmp_path / "t.db"), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {store.WRITER_GC_THRESHOLD} != {before[0]}
    assert gc.get_threshold() == before


def test_a_writer_keeps_its_sub_journal_in_memory_and_a_reader_is_left_as_it_was(tmp_path):
    """Writable SQLite connections keep the savepoints' sub-journal in memory (temp_store=MEMORY,
    2); the web's read-only connections keep SQLite's default (0)."""
    from sqlalchemy import text

    db = str(tmp_path / "t.db")
    with connect(db).connect() as conn:
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 2
    with connect(db, create=False, read_only=True).connect() as conn:
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 0


def test_a_batch_writes_its_search_entries_after_its_other_rows(monkeypatch):
    """The search index's rows go last: once FTS5 is written in a transaction, each later
    statement savepoint (every row of a table with triggers) makes it sync its index."""
    written = []
    monkeypatch.setattr(store.direct, "execute_many", lambda conn, statement, rows: written.append(statement))
    deferred = store._Deferred()
    deferred.add(store._FTS_ADD["sqlite"], [{"id": 1, "body": "合作"}], 1)
    deferred.add(store._INSERT_TOPICS, [{"document_id": 1, "topic": "trade"}], 1)
    deferred.add(store._INSERT_MENTIONS, [{"document_id": 1, "entity_id": 1, "start": 0, "end": 2}], 1)
    deferred.settle()
    deferred.write(None)
    assert written == [store._INSERT_TOPICS, store._INSERT_MENTIONS, store._FTS_ADD["sqlite"]]
