"""Extraction does not depend on Python's hash seed (set and dict order): the same documents give
the same records in every process, which cross-document merging relies on."""
import os
import subprocess
import sys

from conftest import SAMPLES


def _extract(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "from ties.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code, "extract", "--fast", str(SAMPLES)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return out.replace(str(SAMPLES), "")


def test_same_records_whatever_the_hash_seed():
    assert _extract("1") == _extract("2") == _extract("3")


def _events_stored(seed: str, db) -> list:
    """The events, their sources and participants of an ingest run under this hash seed."""
    import sqlite3
    from pathlib import Path
    fixtures = Path(__file__).parent / "fixtures" / "merge"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "from ties.cli import main; main()"
    subprocess.run([sys.executable, "-c", code, "ingest", "--fast", "--db", str(db), str(SAMPLES), str(fixtures)],
                   env=env, capture_output=True, text=True, check=True)
    with sqlite3.connect(db) as conn:
        return [sorted(map(repr, conn.execute(f"select * from {table}")))
                for table in ("events", "event_sources", "event_participants")]


def test_same_events_stored_whatever_the_hash_seed(tmp_path):
    """An event's mode and trigger come from its reports in a fixed order, not a set's."""
    assert _events_stored("1", tmp_path / "a.db") == _events_stored("2", tmp_path / "b.db")
