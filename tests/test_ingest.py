"""`ties ingest`: stories, sources, merged events, idempotency, transactions."""
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, write
from ties.cli import main
from ties.store import schema

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


def test_band_pair_keys_are_shared_exactly_when_two_bands_are():
    """The near-duplicate candidates are the stories sharing two of the 8 SimHash bands; a story
    is found by a key per pair of bands, so sharing a key must be sharing two bands, and any
    fingerprint within NEAR_DUPLICATE_DISTANCE bits must share one."""
    import random

    from ties.resolve.text import BANDS, NEAR_DUPLICATE_DISTANCE, band_pair_keys
    rng = random.Random(5)

    def bands_shared(a: str, b: str) -> int:
        return sum(a[2 * i:2 * i + 2] == b[2 * i:2 * i + 2] for i in range(BANDS))

    for _ in range(3000):
        a = f"{rng.getrandbits(64):016x}"
        # a fingerprint sharing 0-8 bands with a, the others changed
        b = "".join(band if rng.random() < 0.3 else f"{(int(band, 16) + rng.randrange(1, 256)) % 256:02x}"
                    for band in (a[2 * i:2 * i + 2] for i in range(BANDS)))
        assert bool(set(band_pair_keys(a)) & set(band_pair_keys(b))) == (bands_shared(a, b) >= 2)
        near = int(a, 16)
        for bit in rng.sample(range(64), rng.randint(1, NEAR_DUPLICATE_DISTANCE)):
            near ^= 1 << bit
        assert set(band_pair_keys(a)) & set(band_pair_keys(f"{near:016x}"))
    assert len(set(band_pair_keys("0123456789abcdef"))) == BANDS * (BANDS - 1) // 2


NEAR_BODY = ("立法院長今天接見捷克參議院訪團，雙方就半導體、無人機與綠能供應鏈合作交換意見。訪團團長表示，"
             "捷克與台灣的經貿往來逐年成長，盼能在智慧製造、生技醫療及人才培育等領域擴大合作，並邀請台灣"
             "企業前往布拉格參加明年舉辦的產業博覽會。立法院長感謝捷克長期支持台灣參與國際組織，強調雙方"
             "同為民主夥伴，未來將持續推動國會交流與青年互訪，深化兩國在各層面的合作關係。{tail}")


def test_a_near_identical_text_joins_its_story_after_an_upgrade_from_version_7(tmp_path):
    """Version 7 kept single SimHash bands (story_bands); the upgrade keys every story that had
    bands by its pairs of bands, drops story_bands, and a near-identical text stored afterwards
    joins the story it repeats."""
    from ties.resolve.text import band_pair_keys
    db = tmp_path / "t.db"
    ingest(db, write(tmp_path, "first.txt", "台捷國會交流\n2024-03-05\n" + NEAR_BODY.format(tail="訪團並參訪科學園區。") + "\n"))
    with sqlite3.connect(db) as conn:  # the database as version 7 left it
        conn.execute("create table story_bands (story_id integer not null, band integer not null, value varchar(2) not null)")
        for story, fingerprint in conn.execute("select id, simhash from stories").fetchall():
            conn.executemany("insert into story_bands values (?, ?, ?)",
                             [(story, i, fingerprint[2 * i:2 * i + 2]) for i in range(8)])
        conn.execute("delete from story_keys")
        conn.execute("update schema_version set version = 7")
    summary = ingest(db, write(tmp_path, "second.txt", "台捷國會交流\n2024-03-05\n" + NEAR_BODY.format(tail="訪團並參訪科學園區！") + "\n"))
    assert "new sources of known stories 1" in summary
    assert rows(db, "select count(*) from sqlite_master where name = 'story_bands'") == [(0,)]
    (fingerprint,), = rows(db, "select simhash from stories")
    assert sorted(key for (key,) in rows(db, "select key from story_keys")) == sorted(band_pair_keys(fingerprint))
    assert rows(db, "select reason from merges where kind = 'story'")[0][0].startswith("near-identical")


def test_an_upgrade_from_version_8_indexes_each_documents_story_for_the_merge(tmp_path):
    """Version 9 reads the story of a merge candidate's document from a narrow index; a database
    of version 8 gets it, and the next document is merged through it."""
    db = tmp_path / "t.db"
    ingest(db, write(tmp_path, "first.txt", "台捷國會交流\n2024-03-05\n" + NEAR_BODY.format(tail="訪團並參訪科學園區。") + "\n"))
    with sqlite3.connect(db) as conn:  # the database as version 8 left it
        conn.execute("drop index ix_documents_id_story")
        conn.execute("update schema_version set version = 8")
    summary = ingest(db, write(tmp_path, "second.txt", "台捷國會交流\n2024-03-05\n" + NEAR_BODY.format(tail="訪團並參訪科學園區！") + "\n"))
    assert "new sources of known stories 1" in summary
    assert rows(db, "select count(*) from sqlite_master where name = 'ix_documents_id_story'") == [(1,)]
    assert rows(db, "select version from schema_version") == [(schema.SCHEMA_VERSION,)]
    assert rows(db, "select count(distinct event_id) from event_sources") == [(1,)]
