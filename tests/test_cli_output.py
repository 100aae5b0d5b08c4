"""Terminal output at 80 columns: tables wrap rather than cut; `ties event` and `ties person` read
as records; JSON unchanged."""
import json
import re

import pytest
from click.testing import CliRunner

from conftest import ingest_samples
from ties.cli import main

CUT_DATE = re.compile(r"\d{4}-\d{2}…|\d{4}-…")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return ingest_samples(tmp_path_factory.mktemp("output") / "t.db")


def run(db, *args, columns=80):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def first_event(db) -> dict:
    return json.loads(run(db, "events", "--format", "json"))[0]


def test_events_table_keeps_whole_dates_at_80_columns(db):
    events = json.loads(run(db, "events", "--format", "json"))
    table = run(db, "events", "--format", "table")
    assert not CUT_DATE.search(table)
    assert all(e["date"] in table for e in events if e["date"])
    assert max(len(line) for line in table.splitlines()) <= 80


def test_event_is_a_record_with_its_evidence_whole(db):
    event = json.loads(run(db, "event", str(first_event(db)["id"]), "--format", "json"))
    table = run(db, "event", str(event["id"]), "--format", "table")
    assert "…" not in table and "{'" not in table
    assert re.search(r"^summary\s", table, re.M) and re.search(r"^date\s+" + re.escape(event["date"]), table, re.M)
    start = re.search(r"^evidence\s*$", table, re.M).end()
    evidence_table = table[start:table.index("└", start)]
    last_column = "".join(line.split("│")[-2].strip() for line in evidence_table.splitlines() if line.startswith("│"))
    for e in event["evidence"]:  # its folded lines rejoin to the whole sentence
        assert re.sub(r"\s", "", e["evidence"]) in last_column


def test_person_is_a_record_without_python_dicts(db):
    event = next(e for e in json.loads(run(db, "events", "--format", "json")) if e["taiwan_side"])
    name = event["taiwan_side"][0]
    table = run(db, "person", name, "--format", "table")
    assert "{'" not in table and "…" not in table
    assert re.search(r"^name\s+" + re.escape(name), table, re.M)
    assert "engagements" in table and event["date"] in table


def test_json_output_is_unchanged(db):
    event = json.loads(run(db, "event", str(first_event(db)["id"]), "--format", "json"))
    assert {"taiwan_side", "counterparts", "evidence", "outcomes", "source_documents", "summary"} <= set(event)
