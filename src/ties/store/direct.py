"""Storing's hot statements run on the DB-API cursor of a SQLAlchemy connection: each Core
statement is compiled once per dialect and set of parameter names, then executed as SQL text with
named parameters (sqlite3 and psycopg both take a dict). SQLAlchemy's execution layers cost as much
as SQLite takes to run these small statements; the SQL itself is SQLAlchemy's, so it stays one
declaration for both backends. The statements run in the connection's transaction and savepoints,
and a driver error is raised as SQLAlchemy raises it (OperationalError, IntegrityError...), so
callers handle errors as before.

Values are bound as the column types would bind them; a statement whose result columns need
converting (a type whose values the driver does not return as they are) is refused when compiled."""
from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Callable, Iterable, NamedTuple

from sqlalchemy import Table
from sqlalchemy.dialects.sqlite import pysqlite
from sqlalchemy.sql.dml import Insert
from sqlalchemy.exc import DBAPIError

_POSTCOMPILE = "__[POSTCOMPILE_{}]"  # how SQLAlchemy marks an expanding IN list in compiled SQL


class _Compiled(NamedTuple):
    sql: str
    defaults: dict[str, Any]  # the values bound in the statement itself (LIMIT 1, a JSON path)
    expanding: tuple[str, ...]  # the parameters that are lists, for IN (...)
    processors: dict[str, Callable]  # what the column types do to given values (a float column's float())
    placeholder: str  # the named placeholder of this driver, with {} for the name
    copy: tuple[str, tuple[str, ...]] | None  # PostgreSQL: COPY ... FROM STDIN and the values' keys, for a plain INSERT
    long_lists: str | None  # the dialect whose form binds a long list as one value (see LONG_LIST_MIN)


# COPY costs two round trips to the server, where a pipelined executemany costs one: only a batch
# of many rows (a batch of documents' mentions, topics, versions) is faster copied.
COPY_MIN_ROWS = 100

_compiled: dict = {}  # (id of the statement, dialect name, parameter names) -> _Compiled
_statements: dict = {}  # id -> the statement, so an id is never reused while its SQL is kept
# sqlite3 takes :name placeholders with a dict; SQLAlchemy's SQLite dialect defaults to ?.
_SQLITE_NAMED = pysqlite.dialect(paramstyle="named")


def execute(conn, statement, params: dict[str, Any] | None = None):
    """The DB-API cursor after running STATEMENT with PARAMS (read it whole with fetchall)."""
    params = params or {}
    compiled = _compile(conn, statement, tuple(params))
    sql, values = _bound(compiled, params)
    cursor = _cursor(conn)
    try:
        cursor.execute(sql, values)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, sql, values, exc) from exc
    return cursor


def execute_many(conn, statement, rows: list[dict[str, Any]]) -> None:
    """STATEMENT once per row, in one executemany (every row has the first row's keys)."""
    if not rows:
        return
    compiled = _compile(conn, statement, tuple(rows[0]))
    if compiled.expanding:
        raise ValueError("an expanding IN list in executemany")
    defaults = compiled.defaults
    values = [{**defaults, **row} for row in rows] if defaults else rows
    if compiled.processors:
        values = [_processed(compiled.processors, row) for row in values]
    if compiled.copy and len(values) >= COPY_MIN_ROWS:
        _copy_in(conn, *compiled.copy, values)
        return
    cursor = _cursor(conn)
    try:
        cursor.executemany(compiled.sql, values)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, compiled.sql, values[0], exc) from exc


def _copy_in(conn, sql: str, keys: tuple[str, ...], values: list[dict[str, Any]]) -> None:
    """Rows loaded with PostgreSQL's COPY (one stream, parsed and checked as INSERTs would be:
    constraints and row triggers apply), much cheaper per row than INSERTs."""
    try:
        with _cursor(conn).copy(sql) as copy:
            for row in values:
                copy.write_row([row[k] for k in keys])
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, sql, values[0], exc) from exc


def inserted_id(conn, statement, values: dict[str, Any]) -> int:
    """The primary key of the row an INSERT ... RETURNING id statement added."""
    return execute(conn, statement, values).fetchall()[0][0]


def rows(conn, statement, params: dict[str, Any] | None = None) -> list[tuple]:
    return execute(conn, statement, params).fetchall()


def scalar(conn, statement, params: dict[str, Any] | None = None):
    """The first column of the first row, or None (every row is read: no statement is left
    running, which would keep a savepoint from being released)."""
    found = execute(conn, statement, params).fetchall()
    return found[0][0] if found else None


@contextmanager
def savepoint(conn, name: str = "ties_savepoint"):
    """What conn.begin_nested() does, on the driver's cursor (SQLAlchemy builds and compiles its
    SAVEPOINT and RELEASE statements anew each time): the block's statements are undone when it
    raises, and the exception goes on."""
    _run(conn, f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        _run(conn, f"ROLLBACK TO SAVEPOINT {name}")
        _run(conn, f"RELEASE SAVEPOINT {name}")
        raise
    _run(conn, f"RELEASE SAVEPOINT {name}")


def _run(conn, sql: str) -> None:
    try:
        _cursor(conn).execute(sql)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, sql, (), exc) from exc


def _cursor(conn):
    return conn.connection.driver_connection.cursor()


def _compile(conn, statement, keys: tuple[str, ...]) -> _Compiled:
    dialect = conn.dialect
    cache_key = (id(statement), dialect.name, keys)
    found = _compiled.get(cache_key)
    if found is None:
        found = _compiled[cache_key] = _compile_for(statement, dialect, keys)
        _statements[id(statement)] = statement
    return found


def _compile_for(statement, dialect, keys: tuple[str, ...]) -> _Compiled:
    named = _SQLITE_NAMED if dialect.name == "sqlite" else dialect
    if named.paramstyle not in ("named", "pyformat"):
        raise ValueError(f"{dialect.name}: parameters in {named.paramstyle} style are not supported")
    compiled = statement.compile(dialect=named, column_keys=list(keys))
    if compiled.escaped_bind_names:
        raise ValueError(f"parameter names that need escaping in {compiled.string!r}")
    if any(_result_processor(c, named) for c in compiled._result_columns):
        raise ValueError(f"result columns that need processing in {compiled.string!r}")
    processors = compiled._bind_processors
    expanding = tuple(b.key for b in compiled.binds.values() if b.expanding)
    if any(name in processors for name in expanding):
        raise ValueError(f"an expanding list needs processing in {compiled.string!r}")
    defaults = {}
    for name, value in compiled.construct_params(_check=False).items():
        if name not in keys and name not in expanding:
            defaults[name] = processors[name](value) if name in processors else value
    given = {name: processors[name] for name in keys if name in processors}
    placeholder = ":{}" if named.paramstyle == "named" else "%({})s"
    copy = _copy_of(statement, dialect, (*keys, *defaults)) if dialect.name == "postgresql" else None
    in_lists = bool(expanding) and _in_lists_only(compiled.string, expanding)
    long_lists = dialect.name if in_lists and dialect.name in _LONG_LIST_SQL else None
    return _Compiled(compiled.string, defaults, expanding, given, placeholder, copy, long_lists)


def _in_lists_only(sql: str, expanding: tuple[str, ...]) -> bool:
    """Every list of SQL is the right side of a plain IN (...), whose form for one value is known."""
    return all(sql.count(_POSTCOMPILE.format(name)) == sql.count(" " + _in_list(name))
               and "NOT " + _in_list(name) not in sql for name in expanding)


def _in_list(name: str) -> str:
    """How SQLAlchemy renders `IN` over the list NAME (what a long list's one value replaces)."""
    return f"IN ({_POSTCOMPILE.format(name)})"


def _copy_of(statement, dialect, keys: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """COPY for a plain INSERT of table columns (no RETURNING, ON CONFLICT or values of its own)."""
    if not (isinstance(statement, Insert) and isinstance(statement.table, Table) and not statement._returning
            and statement._post_values_clause is None and statement._values is None
            and not statement._multi_values and keys and all(k in statement.table.c for k in keys)):
        return None
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(statement.table.c[k].name) for k in keys)
    return f"COPY {quote(statement.table.name)} ({columns}) FROM STDIN", keys


def _processed(processors: dict[str, Callable], values: dict[str, Any]) -> dict[str, Any]:
    return {**values, **{name: process(values[name]) for name, process in processors.items()}}


def _result_processor(column, dialect) -> bool:
    """Whether a result column's type converts what the driver returns."""
    type_ = column[3]
    return type_.dialect_impl(dialect).result_processor(dialect, None) is not None


def _bound(compiled: _Compiled, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The SQL with each expanding list as one placeholder per item (a long one as one value), and
    the values by name."""
    if not (compiled.defaults or compiled.processors or compiled.expanding):
        return compiled.sql, params  # most statements: the values as given
    values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
    if compiled.processors:
        values = _processed(compiled.processors, values)
    sql = compiled.sql
    for name in compiled.expanding:
        items = values.pop(name)
        if not items:
            raise ValueError(f"an empty list for {name}")
        if compiled.long_lists and len(items) >= LONG_LIST_MIN:
            sql = _as_one_value(sql, name, compiled.long_lists)
            values[name] = _LONG_LIST_VALUE[compiled.long_lists](items)
        else:
            sql, names = _expanded(sql, compiled.placeholder, name, len(items))
            values.update(zip(names, items))
    return sql, values


# A list at least this long is bound as one value: a JSON array read by json_each (SQLite), an
# array (PostgreSQL), so every such length is one statement. As one placeholder per item, every
# length was another statement to prepare (SQLite's cache keeps 128), and SQLite resolves named
# placeholders in quadratic time: the merge's story lookup at 150,000 documents (236 on average)
# took 1.7 ms to prepare, 0.4 ms to run. PostgreSQL: 100-400 ids, 2.3 ms as placeholders, 1.2 ms
# as an array. A short list stays placeholders: its few lengths stay prepared, and json_each costs
# about 12 µs more a query (the same at about 50 items when both are prepared).
LONG_LIST_MIN = 16
_LONG_LIST_SQL = {"sqlite": "IN (SELECT value FROM json_each(:{}))", "postgresql": "= ANY(%({})s)"}
_LONG_LIST_VALUE = {"sqlite": lambda items: json.dumps(list(items), ensure_ascii=False), "postgresql": list}


@lru_cache(maxsize=1024)
def _as_one_value(sql: str, name: str, dialect: str) -> str:
    return sql.replace(_in_list(name), _LONG_LIST_SQL[dialect].format(name))


@lru_cache(maxsize=4096)
def _expanded(sql: str, placeholder: str, name: str, size: int) -> tuple[str, tuple[str, ...]]:
    """SQL with the list NAME as SIZE placeholders, and their names (lists come in few sizes)."""
    names = tuple(f"{name}_{i}" for i in range(size))
    return sql.replace(_POSTCOMPILE.format(name), ", ".join(placeholder.format(n) for n in names)), names


def _wrapped(conn, sql: str, values: Iterable, exc: Exception) -> DBAPIError:
    """The driver's error as SQLAlchemy raises it (OperationalError for a busy database...)."""
    return DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error,
                               dialect=conn.dialect, ismulti=False)
