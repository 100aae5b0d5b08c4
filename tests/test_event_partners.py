"""Partner countries in the event_partners join table: filled and kept in step with
events.partner_countries by the database, and an older database upgraded in place."""
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import ingest_samples
from ties.cli import main
from ties.filters import Filters
from ties.store import queries, schema
from ties.store.db import connect


@pytest.fixture
def db(tmp_path):
    return str(ingest_samples(tmp_path / "t.db"))


def pairs(db, sql):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(sql).fetchall())


def listed_pairs(db):
    return sorted({(i, c) for i, codes in pairs(db, "select id, partner_countries from events")
                   for c in (codes or "").split()})


def test_join_table_follows_the_column(db):
    assert pairs(db, "select event_id, code from event_partners") == listed_pairs(db)
    with connect(db).begin() as conn:
        added = conn.execute(schema.events.insert().values(type="CONSULT", partner_countries="ZZ YY"))
        event_id = added.inserted_primary_key[0]
        conn.execute(schema.events.update().where(schema.events.c.id == event_id).values(partner_countries="XX"))
    assert pairs(db, f"select code from event_partners where event_id = {event_id}") == [("XX",)]
    with connect(db).begin() as conn:
        conn.execute(schema.events.delete().where(schema.events.c.id == event_id))
    assert pairs(db, "select event_id, code from event_partners") == listed_pairs(db)


def test_a_version_3_database_is_upgraded_in_place(db):
    with sqlite3.connect(db) as conn:  # as a version-3 database was: no join table, no triggers
        conn.execute("drop table event_partners")
        conn.execute("drop trigger event_partners_added")
        conn.execute("drop trigger event_partners_changed")
        conn.execute("update schema_version set version = 3")
    connect(db, create=False)
    assert pairs(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert pairs(db, "select event_id, code from event_partners") == listed_pairs(db)
    assert CliRunner().invoke(main, ["remerge", "--db", db]).exit_code == 0  # the triggers are back
    assert pairs(db, "select event_id, code from event_partners") == listed_pairs(db)


def test_filters_and_counts_use_the_join_table(db):
    with connect(db, create=False).connect() as conn:
        table = {p["country"]: p["engagements"] for p in queries.partner_table(conn)}
        facets = dict(queries.event_facets(conn)["partner"])
        for code, n in table.items():
            assert facets[code] == n == queries.count_events(conn, Filters(partner=code))
            assert all(code in e["partner_countries"] for e in queries.list_events(conn, Filters(partner=code)))
        assert table == {p["country"]: p["engagements"] for p in queries.partners(conn)}
