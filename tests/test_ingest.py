"""`ties ingest`: stories, sources, merged events, idempotency, transactions."""
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, write
from ties.cli import main

REPOST_CHROME = """熱門新聞網 | HotNews
首頁 政治 國際
{title}
2024-02-08
分享 複製連結
{body}
推薦閱讀
某藝人今天宣布結婚
© 2024 熱門新聞網 版權所有
"""


def ingest(db, *paths):
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.stderr


def rows(db, query):
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


def test_seeds_give_five_stories_and_one_merged_meeting(seeds_dir, tmp_path):
    db = tmp_path / "t.db"
    ingest(db, *sorted(seeds_dir.glob("*.txt")))
    assert rows(db, "select count(*) from stories") == [(5,)]
    merged = rows(db, """
        select e.id, count(distinct s.document_id) from events e join event_sources s on s.event_id = e.id
        join event_participants a on a.event_id = e.id and a.name = '唐鳳'
        join event_participants b on b.event_id = e.id and b.name = '小池百合子'
        where e.date = '2024-02-07' group by e.id""")
    assert len(merged) == 1 and merged[0][1] == 2
    reasons = rows(db, f"select reason from merges where kind = 'event' and into_id = {merged[0][0]}")
    assert reasons and "shared counterpart 小池百合子" in reasons[0][0]


def test_ingesting_twice_changes_nothing(tmp_path):
    db = tmp_path / "t.db"
    first = ingest(db, SAMPLES)
    snapshot = [rows(db, f"select count(*) from {t}") for t in ("stories", "documents", "events", "entities",
                                                                 "event_sources", "mentions")]
    second = ingest(db, SAMPLES)
    assert "unchanged 14" in second and "new stories 14" in first
    assert snapshot == [rows(db, f"select count(*) from {t}") for t in ("stories", "documents", "events",
                                                                         "entities", "event_sources", "mentions")]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_repost_with_other_chrome_adds_a_source_not_a_story(tmp_path):
    body = ("行政院長今天接見斯洛伐克國會訪團，雙方就半導體與電動車供應鏈合作交換意見，並同意持續推動青年交流。\n"
            "訪團團長表示，感謝台灣長期支持，期盼兩國在智慧製造領域有更多合作。")
    original = write(tmp_path, "original.txt", "台斯深化半導體合作\n2024-02-08\n" + body + "\n")
    repost = write(tmp_path, "repost.txt", REPOST_CHROME.format(title="台斯深化半導體合作", body=body))
    db = tmp_path / "t.db"
    ingest(db, original)
    summary = ingest(db, repost)
    assert "new sources of known stories 1" in summary
    assert rows(db, "select count(*) from stories") == [(1,)]
    assert rows(db, "select count(*) from documents") == [(2,)]
    assert rows(db, "select reason from merges where kind = 'story'")[0][0].startswith("identical")


def test_changed_document_is_refreshed_in_place(tmp_path):
    path = write(tmp_path, "a.txt", "標題一\n外交部長今天接見美國參議員訪團，雙方就區域安全交換意見。\n")
    db = tmp_path / "t.db"
    ingest(db, path)
    path.write_text("標題一\n外交部長今天接見日本眾議員訪團，雙方就經貿合作交換意見。\n", encoding="utf-8")
    assert "updated 1" in ingest(db, path)
    assert rows(db, "select count(*) from documents") == [(1,)]
    assert "日本" in rows(db, "select text from documents")[0][0]


def test_a_failure_inside_a_document_rolls_back_only_that_document(tmp_path, monkeypatch):
    import ties.store.ingest as store
    db = tmp_path / "t.db"
    good = write(tmp_path, "good.txt", "標題\n經濟部長今天接見波蘭副部長，雙方同意擴大半導體合作。\n")
    bad = write(tmp_path, "bad.txt", "標題二\n數位部長今天接見立陶宛訪團，雙方就資安合作交換意見。\n")
    ingest(db, good)
    real = store._store_entities

    def boom(conn, doc_id, found):
        real(conn, doc_id, found)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_store_entities", boom)
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(bad)])
    assert result.exit_code == 1  # every document failed
    assert f"ties: {bad}: storing failed (RuntimeError: disk on fire)" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(RuntimeError):  # --debug: the traceback
        CliRunner().invoke(main, ["--debug", "ingest", "--db", str(db), str(bad)], catch_exceptions=False)
    assert rows(db, "select path from documents") == [(str(good),)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_repost_of_seed_000_with_other_chrome_adds_a_source(seeds_dir, tmp_path):
    from ties.pipeline import read_source
    from ties.sources import iter_sources

    seed = next(seeds_dir.glob("000_*.txt"))
    original = read_source(next(iter_sources([str(seed)])))
    paragraphs = "".join(f"<p>{p}</p>" for p in original.text.split("\n"))
    page = (f"<!DOCTYPE html><html><head><title>{original.title} | 聚合新聞網</title>"
            "<meta property='og:site_name' content='聚合新聞網'>"
            "<link rel='canonical' href='https://aggregator.example.com/n/12345'></head><body>"
            "<nav><a href='/'>首頁</a><a href='/p'>政治</a><a href='/t'>科技</a></nav>"
            f"<article><h1>{original.title}</h1><time datetime='2024-02-07T23:10:00+08:00'>2024/02/07</time>"
            f"{paragraphs}</article><aside><h3>熱門新聞</h3><ul><li><a href='/x'>颱風最新動態</a></li>"
            "<li><a href='/y'>股市收盤</a></li></ul></aside><footer>© 聚合新聞網 版權所有</footer></body></html>")
    repost = write(tmp_path, "repost.html", page)
    db = tmp_path / "t.db"
    ingest(db, *sorted(seeds_dir.glob("*.txt")))
    summary = ingest(db, repost)
    assert "new sources of known stories 1" in summary
    assert rows(db, "select count(*) from stories") == [(5,)]
    assert rows(db, "select count(*) from documents") == [(6,)]
    sources = rows(db, """
        select count(distinct s.document_id) from events e join event_sources s on s.event_id = e.id
        join event_participants a on a.event_id = e.id and a.name = '唐鳳'
        join event_participants b on b.event_id = e.id and b.name = '小池百合子'
        where e.date = '2024-02-07'""")
    assert sources == [(3,)]


def test_entities_resolve_across_documents_and_scripts(tmp_path):
    a = write(tmp_path, "a.txt", "標題甲\n國發會主委今天接見歐洲經貿辦事處處長高哲夫（Filip Grzegorzewski），雙方就數位經濟交換意見。\n")
    b = write(tmp_path, "b.txt", "標題乙\n數位部今天與歐洲經貿辦事處處長 Filip Grzegorzewski 會談，雙方同意深化資安合作。\n")
    db = tmp_path / "t.db"
    ingest(db, a, b)
    people = rows(db, "select e.id, e.name from entities e join mentions m on m.entity_id = e.id "
                      "where e.kind = 'person' group by e.id")
    assert len(people) == 1 and people[0][1] == "高哲夫"
    orgs = rows(db, "select count(distinct m.document_id) from entities e join mentions m on m.entity_id = e.id "
                    "where e.kind = 'organization' and e.name = '歐洲經貿辦事處'")
    assert orgs == [(2,)]


def test_querying_a_missing_database_is_one_line_and_creates_nothing(tmp_path):
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["events", "--db", str(missing)])
    assert result.exit_code == 1 and "no database at" in result.output
    assert not missing.exists()
