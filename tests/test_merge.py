"""Merging one engagement's reports across outlets: order independence, remerge, corrections,
different occasions of the same pair, stories of pages without text. Fixtures are invented."""
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from fastapi.testclient import TestClient

from ties.cli import main
from ties.resolve.engagement import make_report, same_engagement
from ties.resolve.keys import participant_keys

from conftest import SAMPLES, ingest_samples, write

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
SAME = {"o1", "o2", "o3"}  # one September meeting told by three outlets (one in Simplified script)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def groups(db):
    """Events as sets of source file stems: what must not depend on ingest order."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select s.event_id, d.path from event_sources s join documents d on d.id = s.document_id")
        found = {}
        for event_id, path in rows:
            found.setdefault(event_id, set()).add(Path(path).stem)
    return sorted(sorted(g) for g in found.values())


def event_of(db, stem):
    with sqlite3.connect(db) as conn:
        return conn.execute("select s.event_id from event_sources s join documents d on d.id = s.document_id "
                            "where d.path like ? order by s.event_id", (f"%{stem}.md",)).fetchone()[0]


def doc_id(db, stem):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from documents where path like ?", (f"%{stem}.md",)).fetchone()[0]


def test_three_outlets_one_event_and_a_later_meeting_of_the_same_pair_apart(tmp_path):
    db = tmp_path / "t.db"
    run("ingest", "--db", db, FIXTURES)
    found = groups(db)
    assert sorted(SAME) in found
    assert ["dec"] in found and ["other"] in found  # September and December are two occasions


def test_each_source_of_an_event_is_explained_once(tmp_path):
    """An event told by n documents keeps n - 1 reasons: each later source's strongest link to
    another source (not every linked pair, which grows as n²)."""
    from ties.store.db import connect
    from ties.store.queries import event_detail

    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES, folder)
    o2 = (folder / "o2.md").read_text(encoding="utf-8")
    for i, extra in enumerate(["雙方並就青年交流交換意見。", "外交部表示，會談氣氛融洽。"]):
        write(folder, f"again{i}.md", o2 + "\n" + extra + "\n")
    db = tmp_path / "t.db"
    run("ingest", "--db", db, folder)
    event = event_of(db, "o1")
    with sqlite3.connect(db) as conn:
        sources = {d for (d,) in conn.execute("select document_id from event_sources where event_id = ?", (event,))}
        rows = conn.execute("select document_id, other_document_id, score from merges "
                            "where kind = 'event' and into_id = ?", (event,)).fetchall()
    assert len(sources) == 5 and len(rows) == 4
    assert {d for d, _, _ in rows} == sources - {min(sources)}  # each later source, once
    assert all(other in sources and score > 0 for _, other, score in rows)
    with connect(str(db)).connect() as conn:
        assert len(event_detail(conn, event)["merged_because"]) == 4


def test_reposts_scored_once_store_what_scoring_each_stores(tmp_path, monkeypatch):
    """The twins of a scored candidate (reposts: same event, same report) are not scored again;
    every table, borderline candidates included, is as if each had been."""
    import ties.store.engagements as engagements

    folder = tmp_path / "docs"
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.md"))] + [
        "---\ntitle: 外交部長接見帛琉總統\ndate: 2024-09-10\n---\n\n外交部長林佳龍今天在外交部接見帛琉總統惠恕仁，"
        "雙方就醫療合作交換意見。\n"]  # the same minister, the same day, another visitor
    for i, text in enumerate(texts):
        for copy in range(3):
            write(folder, f"{i}_{copy}.md", text)
    twins = []
    real = engagements._twins
    # every pair not merged is borderline, so that the twins' pairs are recorded as candidates
    monkeypatch.setitem(engagements.rules(), "borderline", float("-inf"))
    engagements._same_engagement.cache_clear()  # (verdicts keep what they were judged)
    try:
        monkeypatch.setattr(engagements, "_twins", lambda *a: twins.append(real(*a)) or twins[-1])
        run("ingest", "--db", tmp_path / "once.db", folder)
        monkeypatch.setattr(engagements, "_twins", lambda *a: {})
        run("ingest", "--db", tmp_path / "each.db", folder)
    finally:
        engagements._same_engagement.cache_clear()
    assert any(twins)
    tables = ["events", "event_sources", "event_participants", "merges", "actions"]
    with sqlite3.connect(tmp_path / "once.db") as once, sqlite3.connect(tmp_path / "each.db") as each:
        assert once.execute("select count(*) from merges where kind = 'candidate'").fetchone()[0] > 3
        for table in tables:
            query = f"select * from {table} order by rowid"
            assert once.execute(query).fetchall() == each.execute(query).fetchall(), table


# a meeting in the lead, and one told in passing far from it (which no key finds)
REPOST_HEAD = ("---\ntitle: 外交部長接見馬紹爾群島外長\ndate: 2024-09-10\n---\n\n"
               "外交部長林佳龍今天在外交部接見來訪的馬紹爾群島外交部長卡布亞，雙方同意深化海洋合作。\n\n"
               + "外交部表示，雙方將持續推動各領域交流，深化夥伴關係。" * 8)
REPOST_TAIL = "\n\n經濟部次長今天也接見史瓦帝尼商業部長，雙方簽署投資合作備忘錄。\n"


def sources_per_event(db) -> list[tuple[int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(distinct document_id) from event_sources group by event_id").fetchall()


def test_a_repost_of_the_same_text_joins_every_event_of_its_original(tmp_path):
    """A second site's copy of a text reports the same engagements, one told in passing (far from
    the lead, which no key finds) included: each is one event with both documents as sources."""
    text = REPOST_HEAD + REPOST_TAIL
    one, both = tmp_path / "one", tmp_path / "both"
    for folder, copies in ((one, 1), (both, 2)):
        folder.mkdir()
        for i in range(copies):
            write(folder, f"site{i}.md", text)
        run("ingest", "--db", tmp_path / f"{folder.name}.db", folder)
    with sqlite3.connect(tmp_path / "one.db") as conn:
        alone = conn.execute("select count(*) from events").fetchone()[0]
    with sqlite3.connect(tmp_path / "both.db") as conn:
        why = conn.execute("select reason from merges where kind = 'event'").fetchall()
    assert alone >= 2 and sources_per_event(tmp_path / "both.db") == [(2,)] * alone
    assert any("the same sentence" in reason for (reason,) in why)
    from ties.store.db import connect, writing
    from ties.store.engagements import regroup_documents
    with writing(connect(str(tmp_path / "both.db"))) as conn:  # as after an analyst's correction
        regroup_documents(conn, {1, 2})
    assert sources_per_event(tmp_path / "both.db") == [(2,)] * alone


def test_a_repost_that_repeats_its_original_is_not_scored_again(tmp_path, monkeypatch):
    """Exact copies of a stored text join its events without looking for candidates of their own:
    every event, source and action is as if each copy had been scored, and the borderline pairs
    left for the analyst are the original's (not repeated for every copy)."""
    import ties.store.engagements as engagements

    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "a.md", REPOST_HEAD + REPOST_TAIL)
    write(folder, "b.md", "---\ntitle: 外交部長接見帛琉總統\ndate: 2024-09-10\n---\n\n外交部長林佳龍今天在外交部"
          "接見帛琉總統惠恕仁，雙方就醫療合作交換意見。\n")  # the same minister, the same day, another visitor
    for i in range(2):
        write(folder, f"c{i}.md", REPOST_HEAD + REPOST_TAIL)
    searched = []
    real = engagements._candidates
    monkeypatch.setattr(engagements, "_candidates", lambda conn, new, must: searched.append(new) or real(conn, new, must))
    monkeypatch.setitem(engagements.rules(), "borderline", float("-inf"))  # every pair left apart is recorded
    engagements._same_engagement.cache_clear()
    try:
        run("ingest", "--db", tmp_path / "once.db", folder)
        skipped = len(searched)
        monkeypatch.setattr(engagements, "_only_repeats", lambda *a: False)
        run("ingest", "--db", tmp_path / "each.db", folder)
    finally:
        engagements._same_engagement.cache_clear()
    assert skipped == 2 and len(searched) == 2 + 4  # the copies searched only when made to
    copies = (3, 4)  # their document ids
    with sqlite3.connect(tmp_path / "once.db") as once, sqlite3.connect(tmp_path / "each.db") as each:
        for table in ["events", "event_sources", "event_participants", "actions", "action_keys", "outcomes"]:
            query = f"select * from {table} order by rowid"
            assert once.execute(query).fetchall() == each.execute(query).fetchall(), table
        near = "select into_id, document_id, other_document_id, reason from merges where kind = 'candidate'"
        kept, all_pairs = once.execute(near).fetchall(), each.execute(near).fetchall()
        assert kept and kept == [row for row in all_pairs if not {row[1], row[2]} & set(copies)]
        assert len(all_pairs) > len(kept)


def test_a_near_identical_repost_joins_the_events_of_its_original(tmp_path):
    """A copy with a sentence added before the passing mention (so its offsets differ) is the same
    story: its actions join its original's events by their sentences' text."""
    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "site0.md", REPOST_HEAD + REPOST_TAIL)
    write(folder, "site1.md", REPOST_HEAD + "（中央社）" + REPOST_TAIL)
    run("ingest", "--db", tmp_path / "t.db", folder)
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("select count(*), count(distinct text_hash) from documents "
                            "group by story_id").fetchall() == [(2, 2)]  # one story, two texts
    sources = sources_per_event(tmp_path / "t.db")
    assert len(sources) >= 2 and set(sources) == {(2,)}


def test_a_repost_never_regroups_the_actions_of_its_text(tmp_path):
    """Within one document the headline and lead are no evidence that two actions are one; a copy
    of the same text on another site is no second witness either: the text's actions stay in the
    events they make alone, each with both documents as sources."""
    text = ("---\ntitle: 台捷簽署合作備忘錄 經濟部長率團訪問\n---\n\n"
            "經濟部長王美花率領訪問團抵達捷克，並簽署了5項合作備忘錄。\n\n"
            "【本報2023年6月20日訊】經濟部長王美花率中東歐經貿訪問團抵達捷克，在台捷投資論壇致詞時說，"
            "雙方將從供應鏈、人才等面向深化合作。\n")
    grouped = {}
    for copies in (1, 2):
        folder = tmp_path / f"x{copies}"
        folder.mkdir()
        for i in range(copies):
            write(folder, f"site{i}.md", text)
        run("ingest", "--fast", "--db", tmp_path / f"{copies}.db", folder)
        with sqlite3.connect(tmp_path / f"{copies}.db") as conn:
            grouped[copies] = conn.execute(
                "select group_concat(a.seq), count(distinct a.document_id) from actions a "
                "group by a.event_id order by min(a.seq)").fetchall()
    assert len(grouped[1]) >= 2  # apart in the text alone
    assert [seqs.split(",")[0] for seqs, _ in grouped[2]] == [seqs for seqs, _ in grouped[1]]
    assert all(docs == 2 for _, docs in grouped[2])


def test_order_and_batches_give_the_same_events(tmp_path):
    files = sorted(FIXTURES.glob("*.md"))
    forward, backward, batched = tmp_path / "f.db", tmp_path / "b.db", tmp_path / "x.db"
    run("ingest", "--db", forward, *files)
    run("ingest", "--db", backward, *reversed(files))
    for batch in (files[1::2], files[0::2]):
        run("ingest", "--db", batched, *batch)
    assert groups(forward) == groups(backward) == groups(batched)


def test_remerge_recomputes_the_same_events(tmp_path):
    db = tmp_path / "t.db"
    run("ingest", "--db", db, FIXTURES)
    before = groups(db)
    run("remerge", "--db", db)
    assert groups(db) == before


def test_corrections_survive_remerge_and_reingest(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES, folder)
    db = tmp_path / "t.db"
    run("ingest", "--db", db, folder)
    run("split", event_of(db, "o1"), doc_id(db, "o3"), "--db", db)
    run("merge", event_of(db, "other"), event_of(db, "o1"), "--db", db)
    expected = groups(db)
    assert ["o3"] in expected and any({"o1", "other"} <= set(g) for g in expected)
    run("remerge", "--db", db)
    assert groups(db) == expected
    o3 = folder / "o3.md"
    o3.write_text(o3.read_text(encoding="utf-8") + "\n双方并就青年交流交换意见。\n", encoding="utf-8")
    assert "updated 1" in run("ingest", "--db", db, folder).stderr
    assert groups(db) == expected
    listed = run("merges", "--db", db, "--format", "json").output
    assert "correction:split" in listed and "merged by the analyst" in listed


def test_merging_any_two_sample_events_puts_their_documents_in_one_event(tmp_path):
    """Regrouping after a correction meets links that the date rule did not follow (their ends
    are in different groups): they are no part of either group's explanation."""
    db = ingest_samples(tmp_path / "s.db")
    with sqlite3.connect(db) as conn:
        first, second = [e for (e,) in conn.execute("select id from events order by id limit 2")]
        docs = {d for (d,) in conn.execute("select document_id from event_sources where event_id in (?, ?)",
                                           (first, second))}
    run("merge", first, second, "--db", db)
    with sqlite3.connect(db) as conn:
        shared = conn.execute("select event_id from event_sources group by event_id "
                              f"having count(distinct case when document_id in ({','.join('?' * len(docs))}) "
                              "then document_id end) = ?", (*docs, len(docs))).fetchall()
    assert shared


def test_event_page_form_posts_corrections_on_loopback_only(tmp_path):
    from ties.web.app import create_app
    db = tmp_path / "t.db"
    run("ingest", "--db", db, FIXTURES)
    event, o2 = event_of(db, "o1"), doc_id(db, "o2")
    read_only = TestClient(create_app(str(db)))
    assert read_only.post(f"/events/{event}/split", data={"document": o2}).status_code in (404, 405)
    client = TestClient(create_app(str(db), corrections=True))
    assert "Split" in client.get(f"/events/{event}").text
    assert client.post(f"/events/{event}/split", data={"document": o2},
                       headers={"origin": "http://evil.example"}).status_code == 403
    answer = client.post(f"/events/{event}/split", data={"document": o2}, follow_redirects=False)
    assert answer.status_code == 303
    assert ["o2"] in groups(db)
    assert "split document" in client.get(f"/events/{event}").text


def test_pages_without_text_never_share_a_story(tmp_path):
    """A page left with no text is skipped, not stored; one with a line or two (under the story
    rule's minimum) is stored but is a story of its own, however alike."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("分享\n", encoding="utf-8")
    for name in ("c.txt", "d.txt"):
        (tmp_path / name).write_text("外交部今天發布新聞稿，說明相關安排。\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = run("ingest", "--db", db, *(tmp_path / n for n in ("a.txt", "b.txt", "c.txt", "d.txt")))
    assert "skipped 2" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct story_id) from documents").fetchone() == (2, 2)


def test_names_fold_scripts_latin_forms_and_glued_titles():
    assert participant_keys("卡布亞（Kalani Kaneko）") == {"卡布亚", "kalanikaneko"}
    assert participant_keys("外交部長林佳龍") == participant_keys("林佳龙")
    assert participant_keys("Kalani Kaneko表示") == {"kalanikaneko"}


def test_rule_dates_one_day_apart_fit_other_years_never():
    def report(date):
        return make_report("CONSULT", date, ["林佳龍"], ["卡布亞"], ["MH"], [], "台馬外長會談", "", True,
                           {"卡布亞"})
    assert same_engagement(report("2024-09-10"), report("2024-09-11")).same
    assert not same_engagement(report("2024-09-10"), report("2024-12-03")).same
    assert not same_engagement(report("2024-09-10"), report("2025-09-10")).same


def _report(date, prominent=True, counterpart="卡布亞", headline="台馬外長會談"):
    return make_report("CONSULT", date, ["林佳龍"], [counterpart], ["MH"], [], headline, "", prominent,
                       {counterpart})


def test_rule_never_merges_on_a_passing_mention_and_is_symmetric():
    assert not same_engagement(_report("2024-09-10"), _report("2024-09-10", prominent=False)).same
    a, b = _report("2024-09-10"), _report("2024-09-11", counterpart="卡布亞（Kalani Kaneko）")
    assert same_engagement(a, b).score == same_engagement(b, a).score


def test_rule_with_a_floor_compares_no_headlines_for_a_pair_that_cannot_reach_it(monkeypatch):
    """A year against a day, other counterparts and other partners: below the floor whatever the
    headlines give, so they are not compared, and the verdict is neither joined nor borderline. A
    pair that can reach the floor is judged exactly as without one."""
    from ties.resolve import engagement

    far = make_report("AGREE", "2024", ["林佳龍"], ["惠恕仁"], ["PW"], [], "台帛簽署協定", "", True, {"惠恕仁"})
    near = _report("2024-09-11")
    exact = {pair: same_engagement(*pair) for pair in ((_report("2024-09-10"), far), (_report("2024-09-10"), near))}

    def no_comparing(a, b):
        raise AssertionError("headlines compared")

    monkeypatch.setattr(engagement, "gist_similarity", no_comparing)
    floor = engagement.rules()["borderline"]
    below = same_engagement(_report("2024-09-10"), far, floor)
    assert below.score < floor and not below.same and not below.borderline
    assert exact[(_report("2024-09-10"), far)].score <= below.score  # the most it could reach
    monkeypatch.undo()
    judged = same_engagement(_report("2024-09-10"), near, floor)
    assert (judged.score, judged.signals) == (exact[(_report("2024-09-10"), near)].score,
                                              exact[(_report("2024-09-10"), near)].signals)


def test_the_analysts_merge_links_the_best_pair_by_its_exact_score():
    """Two documents the analyst merged are linked through their best-scoring pair of actions, by
    the exact score even where both pairs fall below the floor: B1 tells the meeting in the same
    words but dates it to the month (exact 0.0); B2 dates it to the day but in other words (exact
    -2.0, though without the headlines it could reach 2.0)."""
    from ties.store import engagements

    def action(id_, doc, type_, date, counterpart, partner, headline):
        report = make_report(type_, date, ["林佳龍"], [counterpart], [partner], [], headline, "", True, {counterpart})
        return engagements._Action.stored(id_, doc, type_, date, {"from_row": False}, report)

    a1 = action(1, 1, "CONSULT", "2024-09-10", "卡布亞", "MH", "台馬外長會談 深化醫療合作")
    b1 = action(2, 2, "AGREE", "2024-09", "惠恕仁", "PW", "台馬外長會談 深化醫療合作")
    b2 = action(3, 2, "AGREE", "2024-09-10", "惠恕仁", "PW", "帛琉總統訪台 簽署海巡協定")
    floor = engagements._floor()
    assert [same_engagement(a1.report, b.report).score for b in (b1, b2)] == [0.0, -2.0]
    assert all(same_engagement(a1.report, b.report, floor).score < floor for b in (b1, b2))
    links, near = engagements._links([a1, b1, b2], {frozenset((1, 2))}, set())
    assert [(a, b) for a, b, v in links if v.score == engagements.ANALYST_MERGE] == [(1, 2)] and not near


def test_rule_needs_more_than_the_same_pair_when_a_report_is_undated():
    other_headline = _report(None, headline="馬紹爾外長再訪 簽署醫療合作備忘錄")
    assert not same_engagement(_report("2024-09-10"), other_headline).same
    assert same_engagement(_report("2024-09-10"), _report(None)).same  # the same headline is evidence enough


def test_an_undated_report_never_bridges_two_occasions():
    """Linked to a September and a December meeting of the same pair, an undated report joins the
    one it matches best; the two occasions stay apart. A document the analyst split off is never
    joined through a third one either."""
    from ties.resolve.engagement import Verdict
    from ties.store.engagements import _components, _Node

    nodes = {"sep": _Node(frozenset({"2024-09-10"}), frozenset({1})),
             "dec": _Node(frozenset({"2024-12-03"}), frozenset({2})),
             "undated": _Node(frozenset(), frozenset({3}))}
    links = [("undated", "sep", Verdict(5.0)), ("undated", "dec", Verdict(6.0))]
    assert sorted(map(sorted, _components(nodes, links))) == [["dec", "undated"], ["sep"]]
    same_day = {"a": _Node(frozenset({"2024-09-10"}), frozenset({1})),
                "b": _Node(frozenset({"2024-09-11"}), frozenset({2})),
                "c": _Node(frozenset(), frozenset({3}))}
    links = [("c", "a", Verdict(6.0)), ("c", "b", Verdict(5.0))]
    assert len(_components(same_day, links)) == 1  # a day apart: one occasion told from two days
    assert len(_components(same_day, links, never={frozenset({1, 2})})) == 2


def test_a_report_dated_only_by_its_month_metadata_is_an_occasion_of_that_month():
    import json
    from ties.store.engagements import _parsed

    record = {"taiwan": ["林部長"], "counterparts": ["卡布亞"], "partners": ["MH"], "initiatives": [],
              "evidence": [[0, 20, "外交部長接見馬紹爾群島外長卡布亞"]], "headline": "外交部長接見卡布亞",
              "lead": "外交部長接見馬紹爾群島外長卡布亞", "persons": ["卡布亞"], "affiliations": {},
              "published": None, "published_partial": "2024-09"}
    _, report = _parsed("CONSULT", None, json.dumps(record, ensure_ascii=False))
    assert report.date == "2024-09"
    record["published_partial"] = None
    _, report = _parsed("CONSULT", None, json.dumps(record, ensure_ascii=False))
    assert report.date is None


def test_front_matter_with_only_a_month_keeps_it_apart_from_the_publication_date(tmp_path):
    from conftest import run_extract
    path = tmp_path / "m.md"
    path.write_text("---\ntitle: 外交部長接見馬紹爾群島外長\ndate: \"2024-09\"\n---\n\n外交部長林佳龍接見馬紹爾群島外交部長卡布亞，"
                    "雙方就醫療合作交換意見。\n", encoding="utf-8")
    _, records, _ = run_extract("--fast", str(path))
    assert records[0]["published"] is None and records[0]["published_partial"] == "2024-09"


def test_a_day_of_the_month_alone_links_alike_stories_and_parts_different_days():
    """Reposts without a publication date write 今(26)日: the day alone fits the 26th of any month
    (a day either side), never another day, and only for stories whose headlines are alike (the same
    officials meet often)."""
    dated = _report("2024-09-26", counterpart="卡布亞（Kalani Kaneko）")
    assert same_engagement(dated, _report("---26")).same
    assert same_engagement(dated, _report("---27")).same  # relative to another publication day
    assert not same_engagement(dated, _report("---20")).same
    unrelated = _report("---26", headline="國慶酒會賓客雲集 外長致詞感謝友邦")
    assert not same_engagement(dated, unrelated).same
    assert same_engagement(_report("---26"), dated).score == same_engagement(dated, _report("---26")).score


def test_the_day_alone_reaches_the_merge_but_not_the_record(tmp_path):
    """今(4)日 in a document without a publication date: the record's date is null (the text gives
    no month or year), the stored report compares the day."""
    import json
    from conftest import run_extract
    from ties.store.engagements import _parsed

    path = tmp_path / "undated.md"
    path.write_text("外交部長接見馬紹爾群島外長\n\n外交部長林佳龍今(4)日接見馬紹爾群島外交部長卡布亞，雙方就醫療合作交換意見。\n",
                    encoding="utf-8")
    _, records, _ = run_extract("--fast", str(path))
    [event] = records[0]["events"]
    assert records[0]["published"] is None and event["date"] is None
    record = {"taiwan": ["林佳龍"], "counterparts": ["卡布亞"], "partners": ["MH"], "initiatives": [],
              "evidence": [[0, 20, "外交部長林佳龍今(4)日接見"]], "headline": "外交部長接見馬紹爾群島外長",
              "lead": "外交部長林佳龍今(4)日接見", "persons": ["卡布亞"], "affiliations": {},
              "published": None, "published_partial": None, "day_of_month": 4}
    _, report = _parsed("CONSULT", None, json.dumps(record, ensure_ascii=False))
    assert report.date == "---04"


def test_an_undated_report_tells_an_occasion_shortly_before_its_publication():
    """No date in the text of a report published on 9/12: a meeting of the same pair on 9/10 fits,
    one in March does not (the same people meet often), and its candidates come from that window."""
    from ties.resolve.engagement import index_keys, probe_keys

    def undated(published):
        return make_report("CONSULT", None, ["林佳龍"], ["卡布亞"], ["MH"], [], "台馬外長會談", "", True,
                           {"卡布亞"}, published=published)
    assert same_engagement(undated("2024-09-12"), _report("2024-09-10")).same
    assert not same_engagement(undated("2024-09-12"), _report("2024-03-01")).same
    assert not same_engagement(_report("2024-03-01"), undated("2024-09-12")).same
    assert same_engagement(undated("2024-09-12"), undated("2024-09-14")).same
    assert not same_engagement(undated("2024-09-12"), undated("2024-12-14")).same
    near, _ = probe_keys(_report("2024-09-10"))
    assert index_keys(undated("2024-09-12")) & near
    assert not index_keys(undated("2024-12-14")) & near


def test_groups_join_unless_a_split_pair_spans_them_or_their_dates_differ():
    from ties.store.engagements import _may_join
    never = {frozenset((1, 2))}
    day = {"2024-03-05"}
    assert not _may_join(day, day, {1, 7}, {2}, never)
    assert not _may_join(day, day, {2}, {1, 8}, never)
    assert _may_join(day, day, {1, 2}, {3}, never)  # the split pair inside one group binds nothing else
    assert _may_join(day, {"2024-03-06"}, {1}, {3}, never)
    assert not _may_join(day, {"2024-03-08"}, {1}, {3}, set())


def _event_tables(db) -> dict:
    with sqlite3.connect(db) as conn:
        return {name: sorted(conn.execute(query).fetchall(), key=repr) for name, query in {
            "events": "select id, type, mode, date, date_sort, partner_countries, actions from events",
            "participants": "select event_id, side, name, entity_id from event_participants",
            "sources": "select event_id, document_id, evidence_start, evidence_end, trigger from event_sources",
            "actions": "select id, event_id from actions"}.items()}


def test_an_event_grown_report_by_report_equals_it_rebuilt_from_all_its_reports(tmp_path, monkeypatch):
    """An event that gains newer reports grows from its stored counts and participants without
    reading its actions; what it holds must be what rebuilding it from every action gives."""
    from ties.store import engagements
    from ties.store.db import connect
    grown = []
    real = engagements._grow_event
    monkeypatch.setattr(engagements, "_grow_event", lambda conn, event, *rest: (grown.append(event),
                                                                               real(conn, event, *rest))[1])
    later = write(tmp_path, "o4.md", "---\ntitle: 林佳龍會晤馬紹爾群島外長 經濟部次長陪同\ndate: 2024-09-10\n---\n\n"
                  "外交部長林佳龍10日在外交部接見馬紹爾群島外交部長卡布亞，經濟部次長陳正祺陪同出席，雙方就海洋保育與"
                  "漁業合作交換意見，並簽署漁業合作備忘錄。\n")  # a newer report adding a person, a body, an action
    db = tmp_path / "t.db"
    run("ingest", "--fast", "--db", db, FIXTURES, later, SAMPLES)
    assert grown  # the three outlets' meeting and the later report of it, the samples' visit reported twice
    assert event_of(db, "o4") == event_of(db, "o1")
    with sqlite3.connect(db) as conn:
        names = {n for (n,) in conn.execute("select name from event_participants where event_id = ?", (event_of(db, "o4"),))}
    assert {"林佳龍", "卡布亞", "陳正祺"} <= names
    before = _event_tables(db)
    with connect(str(db)).begin() as conn:
        engagements.regroup_documents(conn, {d for (d,) in conn.exec_driver_sql("select id from documents")})
    assert _event_tables(db) == before


# Groups follow links strongest first; only the first link between two groups can join them (a
# later one finds them joined, or kept apart by dates or a split that their growing groups still
# hold), so following one link per pair of nodes must give the groups that every link gives.
_DATES = ["2024-05-01", "2024-05-02", "2024-05-04", "2024-05", "2024"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_one_link_per_pair_of_nodes_gives_the_groups_of_every_link(data):
    from ties.resolve.engagement import Verdict
    from ties.store import engagements as E

    n = data.draw(st.integers(2, 7))
    nodes = {("a", i): E._Node(frozenset(data.draw(st.sets(st.sampled_from(_DATES), max_size=2))),
                               frozenset({i})) for i in range(n)}
    names = sorted(nodes)
    scores = st.sampled_from([2.0, 3.0, 3.0, 5.0, E.ANALYST_MERGE])
    links = [(data.draw(st.sampled_from(names)), data.draw(st.sampled_from(names)), Verdict(data.draw(scores)))
             for _ in range(data.draw(st.integers(0, 12)))]
    never = {frozenset(data.draw(st.sets(st.integers(0, n - 1), min_size=2, max_size=2)))
             for _ in range(data.draw(st.integers(0, 2)))}
    every_link = sorted(links, key=lambda link: (-link[2].score, str(link[0]), str(link[1])))
    kept = E._components(nodes, links, never)
    real = E._strongest_first
    try:
        E._strongest_first = lambda found: every_link  # the walk over every link, as before
        followed_all = E._components(nodes, links, never)
    finally:
        E._strongest_first = real
    assert sorted(map(sorted, kept)) == sorted(map(sorted, followed_all))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="台美日會談部長合作a😀 ", max_size=40), st.text(alphabet="台美日會談部長合作a😀 ", max_size=40))
def test_gist_similarity_is_the_jaccard_similarity_of_character_bigrams(a, b):
    from ties.resolve.engagement import gist_similarity

    x, y = {a[i:i + 2] for i in range(len(a) - 1)}, {b[i:i + 2] for i in range(len(b) - 1)}
    expected = len(x & y) / len(x | y) if x and y else 0.0
    assert gist_similarity(a, b) == gist_similarity(b, a) == expected


def test_a_report_sent_to_another_process_hashes_as_that_process_hashes(tmp_path):
    """Workers pickle reports to the writer; a hash cached under one process's string-hash seed
    would make equal reports miss each other as dictionary keys in another."""
    import os
    import pickle
    import subprocess
    import sys

    report = _report("2024-09-10")
    hash(report)  # cached before it is sent
    (tmp_path / "report.pickle").write_bytes(pickle.dumps(report))
    check = ("import pickle, sys\nfrom ties.resolve.engagement import make_report\n"
             "sent = pickle.load(open(sys.argv[1], 'rb'))\n"
             "again = make_report('CONSULT', '2024-09-10', ['林佳龍'], ['卡布亞'], ['MH'], [], '台馬外長會談', '', True, {'卡布亞'})\n"
             "assert sent == again and {again: 1}.get(sent) == 1\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", check, str(tmp_path / "report.pickle")], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_reports_share_their_empty_sets_and_their_names():
    """The store caches reports by the hundred thousand: an empty set is one object, and a name
    decoded again from stored JSON is the same string as before."""
    import json

    one, two = _report("2024-09-10"), _report("2024-09-11")
    assert one.initiatives is two.initiatives is one.bodies
    name = json.loads(json.dumps(sorted(one.taiwan)))[0]
    from ties.resolve.engagement import shared_set
    assert next(iter(shared_set([name]))) is next(iter(two.taiwan))
