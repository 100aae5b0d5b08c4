"""Search is exact: the documents found are the documents whose clean text contains the query,
for any string of two or more characters (compared with a plain substring scan)."""
import json
import random
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import ingest_samples
from ties.cli import main
from ties.store.search import bigrams, query_tokens


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return ingest_samples(tmp_path_factory.mktemp("search") / "t.db")


def found(db, query, *extra):
    result = CliRunner().invoke(main, ["search", "--db", str(db), "--format", "json", "--limit", "1000", *extra,
                                       "--", query])  # a query may start with "-"
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {r["document_id"] for r in data["results"]}, data["total"]


def scan(db, query):
    with sqlite3.connect(db) as conn:
        return {i for i, text in conn.execute("select id, text from documents") if query in text}


def test_two_character_queries(db):
    for query in ("台灣", "合作", "日本", "立陶", "半導", "AI", "總統"):
        ids, total = found(db, query)
        assert ids == scan(db, query) and total == len(ids), query


def test_random_substrings_match_a_substring_scan(db):
    rng = random.Random(42)
    with sqlite3.connect(db) as conn:
        texts = [t for (t,) in conn.execute("select text from documents")]
    for _ in range(150):
        text = rng.choice(texts)
        n = rng.choice([2, 2, 3, 4, 5, 8])
        start = rng.randrange(0, max(1, len(text) - n))
        query = text[start:start + n].strip()
        if len(query) < 2:
            continue
        ids, _ = found(db, query)
        assert ids == scan(db, query), query


def test_absent_and_reordered_strings(db):
    assert found(db, "百合小池")[0] == scan(db, "百合小池") == set()


def test_one_character_query_falls_back_to_a_scan(db):
    assert found(db, "鳳")[0] == scan(db, "鳳")


def test_snippet_marks_the_match(db):
    result = CliRunner().invoke(main, ["search", "立陶宛", "--db", str(db), "--format", "json"])
    snippet = json.loads(result.stdout)["results"][0]["snippet"]
    assert "[立陶宛]" in snippet


def test_tokens():
    assert bigrams("唐鳳今天") == ["唐鳳", "鳳今", "今天"]
    assert bigrams("AI新十大建設") == ["ai", "新十", "十大", "大建", "建設"]
    assert query_tokens("AI新") == []  # both words are cut by the query's edges: confirmed by scan
    assert query_tokens("推動AI新十") == ["推動", "ai", "新十"]
