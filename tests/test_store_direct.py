"""Storing's hot statements run on the driver's cursor (ties.store.direct): the same SQL and rows
as SQLAlchemy gives, errors raised as SQLAlchemy raises them, and what it cannot run as SQLAlchemy
would is refused rather than run differently."""
import pytest
from sqlalchemy import Boolean, bindparam, insert, select, text, type_coerce
from sqlalchemy.exc import IntegrityError, OperationalError

from ties.store import direct
from ties.store.db import connect, writing
from ties.store.schema import entities, merges

PEOPLE = [("person", "林佳龍", "林佳龍"), ("person", "蕭美琴", "蕭美琴"), ("organization", "外交部", "外交部"),
          ("person", "卓榮泰", "卓榮泰")]
BY_KEYS = select(entities.c.id, entities.c.name).where(
    entities.c.kind == "person", entities.c.key.in_(bindparam("keys", expanding=True))).order_by(entities.c.id).limit(2)
ADD = insert(entities).returning(entities.c.id)


@pytest.fixture
def engine(tmp_path):
    return connect(str(tmp_path / "direct.db"))


def add_people(conn) -> list[int]:
    return [direct.inserted_id(conn, ADD, {"kind": kind, "name": name, "key": key}) for kind, name, key in PEOPLE]


def test_rows_are_the_ones_sqlalchemy_reads(engine):
    """An IN list, a preset value (the kind) and a LIMIT: the rows SQLAlchemy's execute gives."""
    with writing(engine) as conn:
        ids = add_people(conn)
        assert ids == sorted(ids) and len(set(ids)) == 4
        keys = ["卓榮泰", "外交部", "林佳龍", "蕭美琴"]
        assert direct.rows(conn, BY_KEYS, {"keys": keys}) == [tuple(r) for r in conn.execute(BY_KEYS, {"keys": keys})]
        assert [name for _, name in direct.rows(conn, BY_KEYS, {"keys": keys})] == ["林佳龍", "蕭美琴"]
        assert direct.rows(conn, BY_KEYS, {"keys": ["卓榮泰"]}) == [(ids[3], "卓榮泰")]  # another list size
        assert direct.scalar(conn, BY_KEYS, {"keys": ["外交部"]}) is None  # an organisation: not of this kind


def test_a_long_list_of_any_length_is_one_statement_for_sqlite(engine, monkeypatch):
    """SQLite reads a long IN list as one JSON array (json_each)."""
    with writing(engine) as conn:
        seen = check_lists_bound_as_one_value(conn, monkeypatch)
    assert "json_each" in seen[0] + seen[2]


def check_lists_bound_as_one_value(conn, monkeypatch) -> list[str]:
    """A long IN list is bound as one value: every long length runs the same SQL (one prepared
    statement), and names with quotes, brackets or other scripts, and numbers, come back as given.
    A short list stays one placeholder per item. The SQL run, in order (for the backend's form)."""
    odd = [("person", 'Kalani "K." Kaneko', 'Kalani "K." Kaneko'), ("person", "[卡布亞]", "[卡布亞]"),
           ("person", "O'Brien, 歐布萊恩", "O'Brien, 歐布萊恩")]
    seen = []
    ids = add_people(conn) + [direct.inserted_id(conn, ADD, {"kind": k, "name": n, "key": key}) for k, n, key in odd]
    real = direct._cursor

    class Recording:  # the SQL each execute runs
        def __init__(self, conn):
            self.cursor = real(conn)

        def execute(self, sql, values):
            seen.append(sql)
            return self.cursor.execute(sql, values)

        def __getattr__(self, name):  # fetchall and the rest: the driver's
            return getattr(self.cursor, name)

    monkeypatch.setattr(direct, "_cursor", Recording)
    by_ids = select(entities.c.name).where(entities.c.id.in_(bindparam("ids", expanding=True))).order_by(entities.c.id)
    absent = [-n for n in range(1, 30)]
    long = direct.LONG_LIST_MIN
    assert direct.rows(conn, by_ids, {"ids": ids[:1] + absent[:long - 1]}) == [("林佳龍",)]
    assert [n for n, in direct.rows(conn, by_ids, {"ids": ids[::-1] + absent})] == [n for _, n, _ in PEOPLE + odd]
    every = [key for _, _, key in odd]
    others = [f"無此人{n}" for n in range(long)]
    assert direct.rows(conn, BY_KEYS, {"keys": every + others}) == [(i, n) for i, (_, n, _) in zip(ids[4:6], odd)]
    assert direct.rows(conn, BY_KEYS, {"keys": others + every[2:]}) == [(ids[6], odd[2][1])]
    assert direct.rows(conn, BY_KEYS, {"keys": every[2:]}) == [(ids[6], odd[2][1])]  # short lists
    assert direct.rows(conn, BY_KEYS, {"keys": every}) == [(i, n) for i, (_, n, _) in zip(ids[4:6], odd)]
    monkeypatch.undo()
    assert len(seen) == 6 and seen[0] == seen[1] and seen[2] == seen[3] and seen[4] != seen[5]
    assert all(" IN (" in sql for sql in seen[4:])
    return seen


def test_many_rows_are_bound_as_their_columns_bind_them(engine):
    """A float column binds an integer score as a float, as SQLAlchemy does."""
    with writing(engine) as conn:
        direct.execute_many(conn, insert(merges), [
            {"kind": "event", "into_id": 1, "document_id": None, "reason": "同一場會談", "score": 7},
            {"kind": "event", "into_id": 1, "document_id": None, "reason": "同一場會談", "score": None}])
        assert conn.exec_driver_sql("SELECT typeof(score) FROM merges ORDER BY rowid").scalars().all() == ["real", "null"]


def test_driver_errors_are_sqlalchemy_errors(engine):
    """A batch tells a document's failure (IntegrityError) from the database's (OperationalError)."""
    with writing(engine) as conn:
        add_people(conn)
        with pytest.raises(IntegrityError):  # (kind, key) is unique
            direct.inserted_id(conn, ADD, {"kind": "person", "name": "林佳龍", "key": "林佳龍"})
    with engine.connect() as conn:
        with pytest.raises(OperationalError):
            direct.rows(conn, text("SELECT id FROM no_such_table WHERE id = :id"), {"id": 1})


def test_what_needs_converting_is_refused(engine):
    """A result the driver gives in another form than SQLAlchemy (a boolean read back), or an
    empty IN list, is refused, not run differently."""
    with engine.connect() as conn:
        with pytest.raises(ValueError, match="result columns"):
            direct.rows(conn, select(type_coerce(entities.c.id > 1, Boolean)))
        with pytest.raises(ValueError, match="empty list"):
            direct.rows(conn, BY_KEYS, {"keys": []})


def test_a_savepoint_undoes_its_block_only(engine):
    """A failing document's rows go, the batch's earlier rows stay, the error goes on."""
    with writing(engine) as conn:
        direct.inserted_id(conn, ADD, {"kind": "person", "name": "林佳龍", "key": "林佳龍"})
        with pytest.raises(IntegrityError):
            with direct.savepoint(conn):
                direct.inserted_id(conn, ADD, {"kind": "person", "name": "蕭美琴", "key": "蕭美琴"})
                direct.inserted_id(conn, ADD, {"kind": "person", "name": "林佳龍", "key": "林佳龍"})
        with direct.savepoint(conn):
            direct.inserted_id(conn, ADD, {"kind": "person", "name": "卓榮泰", "key": "卓榮泰"})
    with engine.connect() as conn:
        assert conn.execute(select(entities.c.name).order_by(entities.c.id)).scalars().all() == ["林佳龍", "卓榮泰"]
