"""Answers kept while the database is unchanged (facets, counts, timelines, stats), for the web
server's read-only SQLite engine: computed once per state of the data, shared by every request."""
from __future__ import annotations

import threading
import weakref
from typing import Callable, TypeVar

from sqlalchemy.engine import Connection, Engine

ANSWERS = 256  # kept per engine: the unfiltered pages' and recent filters' answers
T = TypeVar("T")


class Memo:
    """One connection of the engine computes and checks every kept answer, under a lock. Each use
    is a new read transaction that first reads PRAGMA data_version, which changes when another
    connection commits and, inside a transaction, names the snapshot it reads: the answers are
    dropped when it changed, so a kept answer is always one of the newest state seen, never an
    older one. One connection, not one memo per pooled connection: each of those would compute
    every answer again."""

    def __init__(self, engine: Engine):
        self.engine, self.lock = engine, threading.Lock()
        self.conn: Connection | None = None
        self.version: int | None = None
        self.answers: dict = {}

    def get(self, key, compute: Callable[[Connection], T]) -> T:
        with self.lock:
            if self.conn is None:
                self.conn = self.engine.connect()
            try:
                version = self.conn.exec_driver_sql("PRAGMA data_version").scalar()
                if version != self.version:
                    self.answers.clear()
                    self.version = version
                if key not in self.answers:
                    if len(self.answers) >= ANSWERS:
                        self.answers.pop(next(iter(self.answers)))  # the oldest
                    self.answers[key] = compute(self.conn)
                return self.answers[key]
            finally:
                self.conn.rollback()  # no snapshot held between requests: writers' checkpoints go on

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()
                # another connection's data_version is not comparable: nothing kept survives
                self.conn, self.version, self.answers = None, None, {}


_memos: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def keep_answers(engine: Engine) -> None:
    """Let unchanged() keep answers for ENGINE: only for an engine whose connections never write
    (a connection's own commits do not change its data_version)."""
    _memos[engine] = Memo(engine)


def release(engine: Engine) -> None:
    """Close ENGINE's memo connection, if it keeps answers, and its pooled connections. A
    connection checked out for good keeps its pool, and so its engine, from ever being collected
    (SQLAlchemy's finalizer holds the pool): an engine that keeps answers lives until released,
    with its connections' page caches (up to 64 MB each)."""
    memo = _memos.pop(engine, None)
    if memo is not None:
        memo.close()
    engine.dispose()


def unchanged(conn: Connection, key, compute: Callable[[Connection], T]) -> T:
    """compute(a connection), kept while the database is unchanged when conn's engine keeps
    answers (see keep_answers); otherwise compute(conn) now. Kept answers are shared: callers
    copy one before changing it."""
    memo = _memos.get(conn.engine)
    return compute(conn) if memo is None else memo.get(key, compute)
