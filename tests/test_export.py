"""Exports: FtM entities that followthemoney accepts, PLOVER records, CSV, Parquet, JSON Lines."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import ingest_samples
from ties.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return ingest_samples(tmp_path_factory.mktemp("export") / "t.db")


def export(db, fmt, *extra):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ftm_entities_validate_and_link(db):
    from followthemoney import model

    entities = [json.loads(line) for line in export(db, "ftm").splitlines()]
    proxies = [model.get_proxy(e, cleaned=False) for e in entities]
    ids = {p.id for p in proxies}
    schemata = {p.schema.name for p in proxies}
    assert {"Person", "Organization", "Article", "Documentation", "Event"} <= schemata
    for p in proxies:
        assert p.schema.validate(p.to_dict()) is None, p.to_dict()
        for prop in ("document", "entity", "involved", "proof"):
            for ref in p.get(prop, quiet=True):
                assert ref in ids, (p.schema.name, prop)
    assert all(p.get("name") for p in proxies if p.schema.name in ("Person", "Organization"))


def test_plover_records(db):
    records = [json.loads(line) for line in export(db, "plover").splitlines()]
    assert records
    for r in records:
        assert r["event_type"] in {"CONSULT", "AGREE", "COOPERATE", "AID", "SUPPORT", "REQUEST"}
        assert r["sources"] and all("text" in s and s["start"] < s["end"] for s in r["sources"])


def test_csv_and_jsonl_agree(db):
    rows = list(csv.DictReader(io.StringIO(export(db, "csv"))))
    events = [json.loads(line) for line in export(db, "jsonl").splitlines()]
    assert [int(r["id"]) for r in rows] == [e["id"] for e in events]


def test_parquet_for_pandas(db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    export(db, "parquet", "--output", str(out))
    table = pq.read_table(out)
    assert table.num_rows == len(export(db, "jsonl").splitlines())
    assert "partner_countries" in table.column_names


def test_parquet_needs_a_file(db):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet"])
    assert result.exit_code != 0 and "--output" in result.output


def test_csv_has_the_record_fields_after_the_flat_columns(db):
    from ties.store.export import FLAT_COLUMNS, RECORD_COLUMNS

    rows = list(csv.DictReader(io.StringIO(export(db, "csv"))))
    assert list(rows[0]) == FLAT_COLUMNS + RECORD_COLUMNS
    assert all(r["summary"] for r in rows)
    assert any(r["participants"] for r in rows) and any(r["topics"] for r in rows)


def test_jsonl_and_parquet_keep_lists_as_lists(db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    events = [json.loads(line) for line in export(db, "jsonl").splitlines()]
    for key in ("summary", "headline", "topics", "place", "initiatives", "participants"):
        assert all(key in e for e in events), key
    assert all(isinstance(e["topics"], list) and isinstance(e["participants"], list) for e in events)
    out = tmp_path / "records.parquet"
    export(db, "parquet", "--output", str(out))
    table = pq.read_table(out)
    for column in ("partner_countries", "topics", "participants", "initiatives", "outcomes"):
        assert pa.types.is_list(table.schema.field(column).type), column
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [e["id"] for e in events]
    by_id = {e["id"]: e for e in events}
    for r in rows:
        assert r["summary"] == by_id[r["id"]]["summary"]
        assert r["partner_countries"] == by_id[r["id"]]["partner_countries"]
        assert [p["name"] for p in r["participants"]] == [p["name"] for p in by_id[r["id"]]["participants"]]
