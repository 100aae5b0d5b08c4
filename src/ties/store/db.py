"""Opening a database (a file path or a SQLAlchemy URL) and bringing its schema up to date."""
from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager

from sqlalchemy import JSON, cast, create_engine, event, inspect, select, text, type_coerce, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import TiesError
from . import DEFAULT_DB, direct, schema
from .memo import keep_answers

WRITE_ATTEMPTS = 8  # a writer that finds the database busy tries again, waiting longer each time
# Any number will do, as long as every ties writer takes the same PostgreSQL advisory lock.
PG_WRITER_LOCK = 7_251_013


def url_for(db: str) -> str:
    """A file path is SQLite; postgresql:// URLs use psycopg 3 (installed with ties)."""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db if "://" in db else f"sqlite:///{db}"


def connect(db: str = DEFAULT_DB, create: bool = True, read_only: bool = False) -> Engine:
    """An engine with the schema migrated (create=True) or checked (create=False); read_only
    makes every connection refuse writes (the web server's default)."""
    if not create and "://" not in db and not os.path.exists(db):
        raise TiesError(f"no database at {db} (run `ties ingest PATH --db {db}` first)")
    try:
        engine = create_engine(url_for(db), future=True)
    except (SQLAlchemyError, ValueError) as exc:
        raise TiesError(f"cannot open database {db}: {exc}".splitlines()[0]) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        if not read_only:
            event.listen(engine, "connect", _sqlite_writer_pragmas)
    if read_only:
        event.listen(engine, "connect", _read_only_sqlite if engine.dialect.name == "sqlite" else _read_only_pg)
        if engine.dialect.name == "sqlite":
            keep_answers(engine)  # its connections never write, so PRAGMA data_version tells every change
    try:
        if create:
            migrate(engine)
        elif "documents" not in inspect(engine).get_table_names():
            raise TiesError(f"{db} is not a ties database (run `ties ingest` first)")
        elif not read_only:
            migrate(engine)  # an older ties database is upgraded in place on first use
        elif _version(engine) < schema.SCHEMA_VERSION:
            raise TiesError(f"{db} has an older schema: open it once with `ties stats --db {db}` to upgrade it")
    except SQLAlchemyError as exc:
        raise TiesError(f"cannot use database {db}: {exc}".splitlines()[0]) from exc
    return engine


PAGE_CACHE_KIB = 64 * 1024


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # a killed ingest loses nothing already committed
    cur.execute("PRAGMA synchronous=NORMAL")
    # pages kept by the connection, allocated as read: the default 2 MB holds a few hundred
    # documents' index pages, so a writer re-read them from the OS for every candidate lookup
    cur.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cur.close()
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin, not the driver


def _sqlite_writer_pragmas(dbapi_connection, _record) -> None:
    # Each document is stored under a savepoint, so SQLite keeps the earlier image of every page the
    # document changes in a sub-journal; past 64 KiB that journal is a temporary file, written one
    # page at a time (about 47 pages a document, two system calls each). Kept in memory (as large
    # as what one savepoint or statement changes), it is dropped at each savepoint's release. On
    # 2,000 real-article copies, `ingest --jobs 2`: 231,000 -> 49,000 writes; storing alone in one
    # process, CPU 5.9 -> 5.5 s (medians of 3).
    dbapi_connection.execute("PRAGMA temp_store=MEMORY")


def _sqlite_begin(conn) -> None:
    """A writer takes the write lock first (BEGIN IMMEDIATE), so what it checks stays true until
    it commits; a reader begins a plain (deferred) transaction, leaving writers free."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ties_writer") else "BEGIN")


@contextmanager
def writing(engine: Engine):
    """A connection in a transaction that holds the database's writer lock from its start."""
    with engine.connect() as conn:
        conn.execution_options(ties_writer=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITER_LOCK})
            yield conn


def retrying(work, attempts: int = WRITE_ATTEMPTS):
    """work() again, after a growing random pause, while another writer keeps the database busy."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if attempt == attempts - 1 or not is_busy(exc):
                raise
            time.sleep(min(0.05 * 2 ** attempt, 2.0) * (0.5 + random.random()))


def is_busy(exc: OperationalError) -> bool:
    message = str(exc.orig or exc).lower()
    return "locked" in message or "busy" in message


def _read_only_sqlite(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _read_only_pg(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cur:
        cur.execute("SET default_transaction_read_only = on")
    dbapi_connection.commit()


def migrate(engine: Engine) -> None:
    """Versioned migrations; version 1 creates everything. One writer transaction, so two
    processes opening a new database at once do not both create it."""
    retrying(lambda: _migrate(engine))


def _migrate(engine: Engine) -> None:
    with writing(engine) as conn:
        schema.metadata.create_all(conn)
        current = conn.execute(select(schema.schema_version.c.version)).scalar()
        if current is None:
            _create_search_index(conn)
            _create_list_order_index(conn)
            _create_partner_triggers(conn)
            _create_topic_triggers(conn)
            _create_partner_topic_triggers(conn)
            conn.execute(schema.schema_version.insert().values(version=schema.SCHEMA_VERSION))
        elif current < schema.SCHEMA_VERSION:
            _upgrade(conn, current)
        elif current > schema.SCHEMA_VERSION:
            raise TiesError(f"database schema version {current} is newer than this ties ({schema.SCHEMA_VERSION})")
        for index in schema.merges.indexes:  # added after version 4 (after the upgrade adds their columns)
            index.create(conn, checkfirst=True)


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(schema.schema_version.c.version)).scalar() or 0


def _upgrade(conn, current: int) -> None:
    """Version 2: events are recomputed from stored actions; documents stored before need a
    re-ingest (EXTRACTOR_VERSION changed, so `ties ingest` refreshes them). Version 3: each
    document's text so far becomes its version 1 (document_versions is created by create_all).
    Version 4: event_partners, filled from events.partner_countries and kept in step by triggers.
    Version 5: event_topics, filled from event_sources x doc_topics and kept in step by triggers;
    events indexed by date_sort; actions.report, the compact report of an action that merge
    candidates are read by; the indexes that find merge and near-duplicate candidates cover what
    those queries read. Version 6: partner_topics, filled from event_partners x event_topics and kept
    in step by triggers; the partner code index covers the event ids. Version 7: an action's mode and
    the date its report trusts as columns (growing an event counts them without parsing JSON).
    Version 8: story_keys (pairs of SimHash bands) in place of story_bands (single bands). Version 9:
    documents indexed by (id, story_id), the story of a merge candidate's document. Version 10:
    PostgreSQL indexes events in the event list's order (_create_list_order_index)."""
    if current < 2:
        conn.execute(text("ALTER TABLE merges ADD COLUMN other_document_id INTEGER"))
        conn.execute(text("ALTER TABLE events ADD COLUMN actions TEXT"))
    if current < 3:
        conn.execute(text("INSERT INTO document_versions (document_id, version, origin, title, published, text, "
                          "text_hash, ingested_at) SELECT id, 1, path, title, published, text, text_hash, "
                          "ingested_at FROM documents"))
    if current < 4:
        _create_partner_triggers(conn)
        conn.execute(text("DELETE FROM event_partners"))
        rows = [{"event_id": i, "code": c} for i, codes in conn.execute(select(
            schema.events.c.id, schema.events.c.partner_countries)) for c in dict.fromkeys((codes or "").split())]
        if rows:
            conn.execute(schema.event_partners.insert(), rows)
    if current < 5:
        _create_topic_triggers(conn)
        fill_event_topics(conn)
        for index in schema.events.indexes:  # ix_events_date_sort is new in version 5
            index.create(conn, checkfirst=True)
        _add_missing_columns(conn, "actions", {"report": "TEXT"})  # null: read from the record
        for index in schema.action_keys.indexes:  # now covering (story_bands' goes with it in version 8)
            if index.name == "ix_action_keys_key":
                conn.execute(text(f"DROP INDEX IF EXISTS {index.name}"))
                index.create(conn)
    if current < 6:
        for index in schema.event_partners.indexes:  # ix_event_partners_code: now (code, event_id)
            conn.execute(text(f"DROP INDEX IF EXISTS {index.name}"))
            index.create(conn)
        _create_partner_topic_triggers(conn)
        fill_partner_topics(conn)
    if current < 7:
        _add_action_columns(conn)
    if current < 8:
        _key_stories_by_band_pairs(conn)
    if current < 9:
        for index in schema.documents.indexes:  # ix_documents_id_story is new in version 9
            index.create(conn, checkfirst=True)
    if current < 10:
        _create_list_order_index(conn)
    conn.execute(schema.schema_version.update().values(version=schema.SCHEMA_VERSION))


STORIES_PER_STEP = 10_000
_INSERT_STORY_KEYS = schema.story_keys.insert()
# a story with bands has its first band (an index seek per story; `id IN (SELECT ...)` read every band each step)
_STORIES_WITH_BANDS = text("SELECT id, simhash FROM stories s WHERE id > :last AND EXISTS (SELECT 1 FROM story_bands b "
                           "WHERE b.band = 0 AND b.value = substr(s.simhash, 1, 2) AND b.story_id = s.id) "
                           "ORDER BY id LIMIT :step")


def key_stories(conn, fingerprints: list[tuple[int, str]]) -> None:
    """The story_keys rows of each (story id, SimHash) given: one per pair of its bands."""
    from ..resolve.text import band_pair_keys  # with numpy: not for the commands that only read

    rows = [{"key": key, "story_id": story} for story, fingerprint in fingerprints
            for key in band_pair_keys(fingerprint)]
    direct.execute_many(conn, _INSERT_STORY_KEYS, rows)


def _key_stories_by_band_pairs(conn) -> None:
    """story_keys for every story that had bands (one with no real text had none, and gets no
    keys), a step of stories at a time; then story_bands goes."""
    if "story_bands" not in inspect(conn).get_table_names():
        return  # a database created at version 8 and marked older (the upgrade tests)
    last = 0
    while True:
        found = conn.execute(_STORIES_WITH_BANDS, {"last": last, "step": STORIES_PER_STEP}).all()
        if not found:
            break
        key_stories(conn, found)
        last = found[-1][0]
    conn.execute(text("DROP TABLE story_bands"))


def _add_missing_columns(conn, table: str, columns: dict[str, str]) -> None:
    """COLUMNS (name → SQL type) added to TABLE where it lacks them."""
    present = {c["name"] for c in inspect(conn).get_columns(table)}
    for name, type_ in columns.items():
        if name not in present:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {type_}"))


def _add_action_columns(conn) -> None:
    """actions.mode from each record, actions.trusted from each compact report (its first item)."""
    _add_missing_columns(conn, "actions", {"mode": "VARCHAR(16)", "trusted": "VARCHAR(10)"})
    actions = schema.actions
    conn.execute(update(actions).values(mode=_json_item(conn, actions.c.record, "mode")))
    conn.execute(update(actions).where(actions.c.report.is_not(None))
                 .values(trusted=_json_item(conn, actions.c.report, 0)))


def _json_item(conn, column, item):
    """ITEM of the JSON text in COLUMN, as text in SQL (PostgreSQL needs the text cast to JSON)."""
    json_text = column if conn.dialect.name == "sqlite" else cast(column, JSON)
    return type_coerce(json_text, JSON)[item].as_string()


# events.partner_countries ("JP US") → event_partners rows, on every insert and change of the column.
_SQLITE_PARTNERS = ("INSERT OR IGNORE INTO event_partners (event_id, code) SELECT NEW.id, value FROM json_each("
                    "'[\"' || replace(trim(coalesce(NEW.partner_countries, '')), ' ', '\",\"') || '\"]') "
                    "WHERE value <> ''")
_PG_PARTNERS_FUNCTION = """CREATE OR REPLACE FUNCTION ties_event_partners() RETURNS trigger AS $$
BEGIN
  DELETE FROM event_partners WHERE event_id = NEW.id;
  INSERT INTO event_partners (event_id, code)
    SELECT DISTINCT NEW.id, c FROM unnest(string_to_array(coalesce(NEW.partner_countries, ''), ' ')) AS c WHERE c <> '';
  RETURN NULL;
END $$ LANGUAGE plpgsql"""


def _create_partner_triggers(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS event_partners_added AFTER INSERT ON events "
                          f"BEGIN {_SQLITE_PARTNERS}; END"))
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS event_partners_changed AFTER UPDATE OF partner_countries "
                          f"ON events BEGIN DELETE FROM event_partners WHERE event_id = OLD.id; {_SQLITE_PARTNERS}; END"))
    else:
        conn.execute(text(_PG_PARTNERS_FUNCTION))
        conn.execute(text("DROP TRIGGER IF EXISTS event_partners_sync ON events"))
        conn.execute(text("CREATE TRIGGER event_partners_sync AFTER INSERT OR UPDATE OF partner_countries ON events "
                          "FOR EACH ROW EXECUTE FUNCTION ties_event_partners()"))


# event_topics(event_id, topic, support): support is the number of (event_sources row, doc_topics row)
# pairs joined on the document that give the event the topic. Each trigger adds or subtracts the
# pairs its row takes part in, so the count stays exact whatever order rows (and cascades) arrive in;
# a row whose support reaches 0 goes. Per changed row: one indexed lookup of the other table.
_SQLITE_TOPIC_TRIGGERS = {
    "event_topics_source_added": "AFTER INSERT ON event_sources BEGIN {add_source}; END",
    "event_topics_source_removed": "AFTER DELETE ON event_sources BEGIN {remove_source}; END",
    "event_topics_source_moved": "AFTER UPDATE OF event_id, document_id ON event_sources "
                                 "BEGIN {remove_source}; {add_source}; END",
    "event_topics_topic_added": "AFTER INSERT ON doc_topics BEGIN {add_topic}; END",
    "event_topics_topic_removed": "AFTER DELETE ON doc_topics BEGIN {remove_topic}; END",
    "event_topics_topic_changed": "AFTER UPDATE OF document_id, topic ON doc_topics "
                                  "BEGIN {remove_topic}; {add_topic}; END",
}
_SQLITE_TOPIC_STATEMENTS = {
    "add_source": "INSERT INTO event_topics (event_id, topic, support) SELECT NEW.event_id, topic, count(*) "
                  "FROM doc_topics WHERE document_id = NEW.document_id GROUP BY topic "
                  "ON CONFLICT (event_id, topic) DO UPDATE SET support = support + excluded.support",
    "remove_source": "UPDATE event_topics SET support = support - (SELECT count(*) FROM doc_topics d "
                     "WHERE d.document_id = OLD.document_id AND d.topic = event_topics.topic) "
                     "WHERE event_id = OLD.event_id; "
                     "DELETE FROM event_topics WHERE event_id = OLD.event_id AND support <= 0",
    "add_topic": "INSERT INTO event_topics (event_id, topic, support) SELECT event_id, NEW.topic, count(*) "
                 "FROM event_sources WHERE document_id = NEW.document_id GROUP BY event_id "
                 "ON CONFLICT (event_id, topic) DO UPDATE SET support = support + excluded.support",
    "remove_topic": "UPDATE event_topics SET support = support - (SELECT count(*) FROM event_sources s "
                    "WHERE s.document_id = OLD.document_id AND s.event_id = event_topics.event_id) "
                    "WHERE topic = OLD.topic AND event_id IN (SELECT event_id FROM event_sources "
                    "WHERE document_id = OLD.document_id); "
                    "DELETE FROM event_topics WHERE topic = OLD.topic AND support <= 0 AND event_id IN "
                    "(SELECT event_id FROM event_sources WHERE document_id = OLD.document_id)",
}
_PG_TOPIC_FUNCTIONS = {
    "ties_event_topics_sources": """CREATE OR REPLACE FUNCTION ties_event_topics_sources() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE event_topics t SET support = t.support - d.n
      FROM (SELECT topic, count(*) AS n FROM doc_topics WHERE document_id = OLD.document_id GROUP BY topic) d
      WHERE t.event_id = OLD.event_id AND t.topic = d.topic;
    DELETE FROM event_topics WHERE event_id = OLD.event_id AND support <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO event_topics (event_id, topic, support)
      SELECT NEW.event_id, topic, count(*) FROM doc_topics WHERE document_id = NEW.document_id GROUP BY topic
      ON CONFLICT (event_id, topic) DO UPDATE SET support = event_topics.support + EXCLUDED.support;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    "ties_event_topics_topics": """CREATE OR REPLACE FUNCTION ties_event_topics_topics() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE event_topics t SET support = t.support - s.n
      FROM (SELECT event_id, count(*) AS n FROM event_sources WHERE document_id = OLD.document_id GROUP BY event_id) s
      WHERE t.event_id = s.event_id AND t.topic = OLD.topic;
    DELETE FROM event_topics WHERE topic = OLD.topic AND support <= 0
      AND event_id IN (SELECT event_id FROM event_sources WHERE document_id = OLD.document_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO event_topics (event_id, topic, support)
      SELECT event_id, NEW.topic, count(*) FROM event_sources WHERE document_id = NEW.document_id GROUP BY event_id
      ON CONFLICT (event_id, topic) DO UPDATE SET support = event_topics.support + EXCLUDED.support;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
}
_PG_TOPIC_TRIGGERS = {  # trigger name → (table, timing and operations, function)
    "event_topics_sources_sync": ("event_sources", "AFTER INSERT OR DELETE OR UPDATE OF event_id, document_id",
                                  "ties_event_topics_sources"),
    "event_topics_topics_sync": ("doc_topics", "AFTER INSERT OR DELETE OR UPDATE OF document_id, topic",
                                 "ties_event_topics_topics"),
}


def _create_topic_triggers(conn) -> None:
    _create_triggers(conn, _SQLITE_TOPIC_TRIGGERS, _SQLITE_TOPIC_STATEMENTS, _PG_TOPIC_FUNCTIONS, _PG_TOPIC_TRIGGERS)


def _create_triggers(conn, sqlite_triggers: dict, sqlite_statements: dict, pg_functions: dict,
                     pg_triggers: dict) -> None:
    """SQLite's triggers (bodies filled with their statements), or PostgreSQL's functions and the
    row triggers that run them (name → (table, timing and operations, function)), made anew."""
    if conn.dialect.name == "sqlite":
        for name, body in sqlite_triggers.items():
            conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} " + body.format(**sqlite_statements)))
        return
    for function in pg_functions.values():
        conn.execute(text(function))
    for name, (table, when, function) in pg_triggers.items():
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        conn.execute(text(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"))


def fill_event_topics(conn) -> None:
    """event_topics computed afresh from event_sources x doc_topics (the upgrade to version 5)."""
    conn.execute(text("DELETE FROM event_topics"))
    conn.execute(text("INSERT INTO event_topics (event_id, topic, support) SELECT s.event_id, d.topic, count(*) "
                      "FROM event_sources s JOIN doc_topics d ON d.document_id = s.document_id "
                      "GROUP BY s.event_id, d.topic"))


# partner_topics(code, topic, events): events counts the (event_partners row, event_topics row) pairs
# of one event, so each trigger adds or subtracts the pairs its row makes with the other table's
# rows of its event, exact in any order. Per changed row: one indexed lookup of the other table (an
# event's 1-2 partners, its few topics) and as many upserts of a small table. A row at 0 stays
# (at most one per partner and topic): deleting it would cost each removal a second statement.
_SQLITE_PARTNER_TOPIC_TRIGGERS = {
    "partner_topics_partner_added": "AFTER INSERT ON event_partners BEGIN {add_partner}; END",
    "partner_topics_partner_removed": "AFTER DELETE ON event_partners BEGIN {remove_partner}; END",
    "partner_topics_partner_changed": "AFTER UPDATE OF event_id, code ON event_partners "
                                      "BEGIN {remove_partner}; {add_partner}; END",
    "partner_topics_topic_added": "AFTER INSERT ON event_topics BEGIN {add_topic}; END",
    "partner_topics_topic_removed": "AFTER DELETE ON event_topics BEGIN {remove_topic}; END",
    "partner_topics_topic_changed": "AFTER UPDATE OF event_id, topic ON event_topics "
                                    "BEGIN {remove_topic}; {add_topic}; END",
}
_SQLITE_PARTNER_TOPIC_STATEMENTS = {
    "add_partner": "INSERT INTO partner_topics (code, topic, events) SELECT NEW.code, topic, 1 FROM event_topics "
                   "WHERE event_id = NEW.event_id ON CONFLICT (code, topic) DO UPDATE SET events = events + 1",
    "remove_partner": "UPDATE partner_topics SET events = events - 1 WHERE code = OLD.code AND topic IN "
                      "(SELECT topic FROM event_topics WHERE event_id = OLD.event_id)",
    "add_topic": "INSERT INTO partner_topics (code, topic, events) SELECT code, NEW.topic, 1 FROM event_partners "
                 "WHERE event_id = NEW.event_id ON CONFLICT (code, topic) DO UPDATE SET events = events + 1",
    "remove_topic": "UPDATE partner_topics SET events = events - 1 WHERE topic = OLD.topic AND code IN "
                    "(SELECT code FROM event_partners WHERE event_id = OLD.event_id)",
}
# PostgreSQL fires the AFTER triggers of a cascade's deletes only once the cascades from both tables
# are done, when neither sees the other's rows: removals are counted BEFORE the row goes, additions
# AFTER it is in (a BEFORE INSERT would also count an upsert that only updates support).
_PG_PARTNER_TOPIC_FUNCTIONS = {
    "ties_partner_topics_removed": """CREATE OR REPLACE FUNCTION ties_partner_topics_removed() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'event_partners' THEN
    UPDATE partner_topics SET events = events - 1
      WHERE code = OLD.code AND topic IN (SELECT topic FROM event_topics WHERE event_id = OLD.event_id);
  ELSE
    UPDATE partner_topics SET events = events - 1
      WHERE topic = OLD.topic AND code IN (SELECT code FROM event_partners WHERE event_id = OLD.event_id);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;  -- an update goes on unchanged
END $$ LANGUAGE plpgsql""",
    "ties_partner_topics_added": """CREATE OR REPLACE FUNCTION ties_partner_topics_added() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'event_partners' THEN
    INSERT INTO partner_topics (code, topic, events)
      SELECT NEW.code, topic, 1 FROM event_topics WHERE event_id = NEW.event_id
      ON CONFLICT (code, topic) DO UPDATE SET events = partner_topics.events + 1;
  ELSE
    INSERT INTO partner_topics (code, topic, events)
      SELECT code, NEW.topic, 1 FROM event_partners WHERE event_id = NEW.event_id
      ON CONFLICT (code, topic) DO UPDATE SET events = partner_topics.events + 1;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
}
_PG_PARTNER_TOPIC_TRIGGERS = {  # trigger name → (table, timing and operations, function)
    "partner_topics_partner_removed": ("event_partners", "BEFORE DELETE OR UPDATE OF event_id, code",
                                       "ties_partner_topics_removed"),
    "partner_topics_partner_added": ("event_partners", "AFTER INSERT OR UPDATE OF event_id, code",
                                     "ties_partner_topics_added"),
    "partner_topics_topic_removed": ("event_topics", "BEFORE DELETE OR UPDATE OF event_id, topic",
                                     "ties_partner_topics_removed"),
    "partner_topics_topic_added": ("event_topics", "AFTER INSERT OR UPDATE OF event_id, topic",
                                   "ties_partner_topics_added"),
}


def _create_partner_topic_triggers(conn) -> None:
    _create_triggers(conn, _SQLITE_PARTNER_TOPIC_TRIGGERS, _SQLITE_PARTNER_TOPIC_STATEMENTS,
                     _PG_PARTNER_TOPIC_FUNCTIONS, _PG_PARTNER_TOPIC_TRIGGERS)


def fill_partner_topics(conn) -> None:
    """partner_topics computed afresh from event_partners x event_topics (the upgrade to version 6)."""
    conn.execute(text("DELETE FROM partner_topics"))
    conn.execute(text("INSERT INTO partner_topics (code, topic, events) SELECT p.code, t.topic, count(*) "
                      "FROM event_partners p JOIN event_topics t ON t.event_id = p.event_id GROUP BY p.code, t.topic"))


LIST_ORDER_INDEX = "ix_events_newest"


def _create_list_order_index(conn) -> None:
    """Events newest first (date_sort DESC NULLS LAST, then id), the event list's order, so a
    filtered page is read in order and stops. PostgreSQL only: a descending scan of the plain
    date_sort index gives NULLS FIRST, so it sorted every matching event (a common topic at
    140,000 events: 136 ms a page); SQLite puts NULLs first in ascending order, and its plain
    index already reads newest first with undated events last."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {LIST_ORDER_INDEX} ON events (date_sort DESC NULLS LAST, id)"))


def _create_search_index(conn) -> None:
    if conn.dialect.name == "sqlite":
        # Contentless: the bigram-expanded text is indexed, not stored (documents.text is).
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts "
                          "USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0')"))
    else:
        conn.execute(text("ALTER TABLE documents ADD COLUMN IF NOT EXISTS search tsvector"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING gin(search)"))
