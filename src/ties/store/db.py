"""Opening a database (a file path or a SQLAlchemy URL) and bringing its schema up to date."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import TiesError
from . import schema

DEFAULT_DB = "ties.db"


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
    if read_only:
        event.listen(engine, "connect", _read_only_sqlite if engine.dialect.name == "sqlite" else _read_only_pg)
    try:
        if create:
            migrate(engine)
        elif "documents" not in inspect(engine).get_table_names():
            raise TiesError(f"{db} is not a ties database (run `ties ingest` first)")
    except SQLAlchemyError as exc:
        raise TiesError(f"cannot use database {db}: {exc}".splitlines()[0]) from exc
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # a killed ingest loses nothing already committed
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _read_only_sqlite(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _read_only_pg(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cur:
        cur.execute("SET default_transaction_read_only = on")
    dbapi_connection.commit()


def migrate(engine: Engine) -> None:
    """Versioned migrations; version 1 creates everything."""
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        current = conn.execute(select(schema.schema_version.c.version)).scalar()
        if current is None:
            _create_search_index(conn)
            conn.execute(schema.schema_version.insert().values(version=schema.SCHEMA_VERSION))
        elif current < schema.SCHEMA_VERSION:
            _upgrade(conn, current)
        elif current > schema.SCHEMA_VERSION:
            raise TiesError(f"database schema version {current} is newer than this ties ({schema.SCHEMA_VERSION})")


def _upgrade(conn, current: int) -> None:
    """Version 2: events are recomputed from stored actions; documents stored before need a
    re-ingest (EXTRACTOR_VERSION changed, so `ties ingest` refreshes them)."""
    if current < 2:
        conn.execute(text("ALTER TABLE merges ADD COLUMN other_document_id INTEGER"))
        conn.execute(text("ALTER TABLE events ADD COLUMN actions TEXT"))
    conn.execute(schema.schema_version.update().values(version=schema.SCHEMA_VERSION))


def _create_search_index(conn) -> None:
    if conn.dialect.name == "sqlite":
        # Contentless: the bigram-expanded text is indexed, not stored (documents.text is).
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts "
                          "USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0')"))
    else:
        conn.execute(text("ALTER TABLE documents ADD COLUMN IF NOT EXISTS search tsvector"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING gin(search)"))
