"""Scale-out: `ties extract --format parquet [--dask]` and `ties ingest DATASET` give the database a
local ingest gives; rows round-trip to the same Document and Extraction; bad input is a row."""
from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, write
from test_postgres import pg_url  # noqa: F401  (the throwaway PostgreSQL fixture)
from ties.cli import main
from ties.model import (Document, Event, Extraction, Figure, Initiative, Organization, Person, Place,
                        ReadFailure, Span)
from ties.pipeline import read_and_extract
from ties.sources import iter_sources

distributed = pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pads = pytest.importorskip("pyarrow.dataset")

from ties.scale.dataset import MARKER, marker  # noqa: E402
from ties.scale.rows import SCHEMA, from_row, to_row, to_table  # noqa: E402

INVENTED = ("外交部長今天在臺北接見來訪的立陶宛經濟部次長一行，雙方就半導體與雷射產業合作交換意見，"
            "並簽署「臺立產業合作備忘錄」，同意明年互設聯絡窗口。")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded workers in this process, reached over TCP on the loopback only."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as local:
        yield local.scheduler_address


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def dump(db) -> dict[str, list]:
    """Every table's rows in id order, without the times they were written at."""
    with sqlite3.connect(db) as conn:
        names = [n for (n,) in conn.execute("select name from sqlite_master where type = 'table' "
                                            "and name not like 'sqlite_%' order by name")]
        tables = {}
        for name in names:
            columns = [c[1] for c in conn.execute(f"pragma table_info({name})") if not c[1].endswith("_at")]
            tables[name] = conn.execute(f"select {', '.join(columns)} from {name} order by 1").fetchall()
    return tables


def full_example() -> tuple[Document, Extraction]:
    doc = Document(path="news/a.html", text=INVENTED, format="html", title="標題", published="2026-03-04",
                   published_partial=None, site="example.org", url="https://example.org/a", author="記者甲",
                   tags=["外交"], captions=["圖說一"], contacts=["聯絡人：乙"], encoding="utf-8",
                   warnings=["1 invalid byte(s) in utf-8 text replaced by U+FFFD"])
    found = Extraction(
        persons=[Person("林某", [Span(0, 2), Span(9, 11)], "部長", "外交部", "TW", ["林部長"])],
        organizations=[Organization("外交部", [Span(0, 3)], ["外交部"], "TW", "ministry")],
        places=[Place("臺北", [Span(8, 10)], "TW", "city")],
        countries=["TW", "LT"], topics=["semiconductors"],
        events=[Event("AGREE", "signing", "2026-03-04", ["外交部"], ["立陶宛經濟部"], ["LT"],
                      [("同意明年互設聯絡窗口", Span(60, 70))], [Span(0, 71)], "簽署", "臺北", True),
                Event("CONSULT", "meeting", None, day_of_month=4)],
        initiatives=[Initiative("臺立產業合作備忘錄", "agreement", [Span(45, 54)])],
        figures=[Figure("兩成", 0.2, "%", Span(3, 5)), Figure("多項", None, "", Span(6, 8))],
    )
    return doc, found


def through_arrow(row: dict) -> dict:
    return to_table([row]).to_pylist()[0]


def test_a_row_rebuilds_the_same_document_and_extraction():
    doc, found = full_example()
    assert from_row(through_arrow(to_row(doc, found))) == (doc, found)


def test_a_failure_row_rebuilds_the_failure():
    failure = ReadFailure("bad.pdf", "empty file")
    assert from_row(through_arrow(to_row(failure, None))) == (failure, None)


def test_every_sample_round_trips():
    for source in iter_sources([str(SAMPLES)]):
        doc, found = read_and_extract(source, fast=True)
        assert from_row(through_arrow(to_row(doc, found))) == (doc, found), source.path


def test_dask_dataset_ingests_to_the_database_of_a_local_ingest(cluster, tmp_path):
    out = tmp_path / "out"
    result = run("extract", "--fast", "--dask", cluster, "--format", "parquet", "-o", str(out),
                 "--batch-size", "4", str(SAMPLES))
    assert result.exit_code == 0, result.output
    assert "wrote 14 documents (0 failed) in 4 parts" in result.stderr
    assert marker(str(out))["complete"] and (out / MARKER).exists()
    table = pads.dataset(out, format="parquet").to_table()
    assert table.num_rows == 14 and table.schema.equals(SCHEMA, check_metadata=False)

    assert run("ingest", "--db", str(tmp_path / "a.db"), str(out)).exit_code == 0
    assert run("ingest", "--fast", "--db", str(tmp_path / "b.db"), str(SAMPLES)).exit_code == 0
    dataset, local = dump(tmp_path / "a.db"), dump(tmp_path / "b.db")
    assert len(dataset["documents"]) == 14 and dataset["events"] and dataset["entities"]
    assert dataset == local


def test_local_parquet_holds_the_rows_of_the_dask_run(cluster, tmp_path):
    assert run("extract", "--fast", "--format", "parquet", "-o", str(tmp_path / "here"), str(SAMPLES)).exit_code == 0
    assert run("extract", "--fast", "--dask", cluster, "--format", "parquet", "-o", str(tmp_path / "there"),
               "--batch-size", "3", str(SAMPLES)).exit_code == 0
    here, there = (pads.dataset(tmp_path / d, format="parquet").to_table().to_pylist() for d in ("here", "there"))
    assert here == there


def test_worker_processes_give_the_rows_of_a_local_run(tmp_path):
    (tmp_path / "in").mkdir()
    write(tmp_path / "in", "a.txt", INVENTED)
    write(tmp_path / "in", "b.txt", "經濟部次長今天率團訪問波蘭，雙方同意擴大供應鏈合作。")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        assert run("extract", "--fast", "--dask", local.scheduler_address, "--format", "parquet", "-o",
                   str(tmp_path / "there"), "--batch-size", "1", str(tmp_path / "in")).exit_code == 0
    local_run = run("extract", "--fast", "--format", "parquet", "-o", str(tmp_path / "here"), str(tmp_path / "in"))
    assert local_run.exit_code == 0
    here, there = (pads.dataset(tmp_path / d, format="parquet").to_table().to_pylist() for d in ("here", "there"))
    assert len(here) == 2 and here == there


def test_unreadable_inputs_are_rows_with_their_error(cluster, tmp_path):
    good = write(tmp_path, "good.txt", INVENTED)
    empty = write(tmp_path, "empty.txt", b"")
    result = run("extract", "--fast", "--dask", cluster, "--format", "parquet", "-o", str(tmp_path / "out"),
                 str(good), str(empty), str(tmp_path / "missing.txt"))
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert f"ties: {empty}: empty file" in result.stderr
    assert f"ties: {tmp_path / 'missing.txt'}: no such file or folder" in result.stderr
    rows = pads.dataset(tmp_path / "out", format="parquet").to_table().to_pylist()
    assert [r["error"] for r in rows] == [None, "empty file", "no such file or folder"]
    ingested = run("ingest", "--db", str(tmp_path / "t.db"), str(tmp_path / "out"))
    assert "read 3, new stories 1" in ingested.stderr and "failed 2" in ingested.stderr


def test_fsspec_urls_for_inputs_and_dataset(cluster, tmp_path):
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/ties-test/in/one.txt", INVENTED.encode())
    fs.pipe("/ties-test/in/.hidden.txt", INVENTED.encode())
    try:
        result = run("extract", "--fast", "--dask", cluster, "--format", "parquet", "-o", "memory://ties-test/out",
                     "memory://ties-test/in")
        assert result.exit_code == 0, result.output
        assert "wrote 1 documents" in result.stderr
        stored = run("ingest", "--db", str(tmp_path / "t.db"), "memory://ties-test/out")
        assert "new stories 1" in stored.stderr
    finally:
        fs.rm("/ties-test", recursive=True)


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("ties.scale.cluster.CONNECT_TIMEOUT", "1s")
    result = run("extract", "--dask", "tcp://127.0.0.1:9", "--format", "parquet", "-o", str(tmp_path / "out"),
                 str(SAMPLES))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_usage_errors_are_one_line(tmp_path):
    (tmp_path / "full").mkdir()
    write(tmp_path / "full", "x.txt", "x")
    assert "not empty" in run("extract", "--format", "parquet", "-o", str(tmp_path / "full"), str(SAMPLES)).output
    assert "--output" in run("extract", "--format", "parquet", str(SAMPLES)).output
    assert "--dask reads files" in run("extract", "--dask", "tcp://127.0.0.1:9", "--format", "parquet", "-o",
                                       str(tmp_path / "o"), "https://example.org/").output
    run("extract", "--fast", "--format", "parquet", "-o", str(tmp_path / "ds"), str(SAMPLES / "s01_moda_lithuania.md"))
    mixed = run("ingest", "--db", str(tmp_path / "t.db"), str(tmp_path / "ds"), str(SAMPLES))
    assert mixed.exit_code == 2 and "not both" in mixed.output


def test_dataset_into_postgresql_gives_the_counts_of_a_local_ingest(cluster, tmp_path, request):
    pg_url = request.getfixturevalue("pg_url")
    out = tmp_path / "out"
    extracted = run("extract", "--fast", "--dask", cluster, "--format", "parquet", "-o", str(out), str(SAMPLES))
    assert extracted.exit_code == 0
    assert run("ingest", "--db", pg_url, str(out)).exit_code == 0
    assert run("ingest", "--fast", "--db", str(tmp_path / "b.db"), str(SAMPLES)).exit_code == 0
    stats = [run("stats", "--db", db, "--format", "json").stdout for db in (pg_url, str(tmp_path / "b.db"))]
    assert '"documents": 14' in stats[0] and stats[0] == stats[1]


class FailedTask:
    """A finished future whose task failed as a whole."""

    def __init__(self, exc: BaseException):
        self.exc = exc

    def result(self):
        raise self.exc


def test_a_batch_that_kills_its_workers_is_a_failed_row_per_document():
    from distributed.scheduler import KilledWorker

    from ties.scale.cluster import _table_of
    from ties.scale.inputs import Input

    batch = [Input("a.txt", "/data/a.txt"), Input("b.txt", "/data/b.txt")]
    killed = KilledWorker("extract_batch-1", SimpleNamespace(address="tcp://127.0.0.1:1"), 3)
    rows = _table_of(FailedTask(killed), batch).to_pylist()
    assert [r["path"] for r in rows] == ["a.txt", "b.txt"]
    assert all(r["error"].startswith("worker failed (KilledWorker") for r in rows)


def test_a_worker_with_another_ties_version_stops_the_run():
    from ties.errors import TiesError
    from ties.scale.cluster import extract_batch

    with pytest.raises(TiesError, match="worker runs ties"):
        extract_batch([], fast=True, max_mb=1, timeout=None, version="0.0.0-other")


def test_relative_paths_keep_their_key_when_ingested_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    assert run("extract", "--fast", "--format", "parquet", "-o", str(tmp_path / "ds"),
               "samples/s01_moda_lithuania.md").exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert run("ingest", "--db", "t.db", "ds").exit_code == 0
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("select source_key from documents").fetchall() == [(str(SAMPLES / "s01_moda_lithuania.md"),)]


def test_an_unfinished_dataset_is_stored_with_a_warning(tmp_path):
    import json

    assert run("extract", "--fast", "--format", "parquet", "-o", str(tmp_path / "ds"), "--batch-size", "5",
               str(SAMPLES)).exit_code == 0
    found = json.loads((tmp_path / "ds" / MARKER).read_text(encoding="utf-8"))
    (tmp_path / "ds" / MARKER).write_text(json.dumps(found | {"complete": False}), encoding="utf-8")
    (tmp_path / "ds" / "part-000002.parquet").unlink()  # the run stopped before its last batch came back
    stored = run("ingest", "--db", str(tmp_path / "t.db"), str(tmp_path / "ds"))
    assert "did not finish" in stored.stderr and "read 10, new stories 10" in stored.stderr
