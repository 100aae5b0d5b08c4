"""Hostile input (issue 13): every document its own failure domain, bounded work, sources that
cannot hang, skipped documents counted. All text is invented for the tests."""
import os
import sqlite3
import time

import pytest
from click.testing import CliRunner

from conftest import write
from ties import limits
from ties.cli import main
from ties.extraction import ner
from ties.model import Document
from ties.sources import iter_sources

ARTICLE = "外交部長今天在臺北接見來訪的吐瓦魯總理，雙方同意深化氣候變遷合作。\n部長表示，臺吐友誼堅定。\n"
OTHER = "經濟部長今天接見來訪的史瓦帝尼商業部長，雙方簽署投資合作備忘錄。\n"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def stored(db):
    with sqlite3.connect(db) as conn:
        return sorted(os.path.basename(p) for (p,) in conn.execute("select path from documents"))


def test_fifo_device_link_and_upward_link_are_reported_and_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "good.txt", ARTICLE)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")
    os.symlink(folder / "good.txt", folder / "sub" / "same.txt")  # inside the folder: followed
    found = {os.path.basename(s.path): s.error for s in iter_sources([str(folder)])}
    assert found["good.txt"] is None and found["same.txt"] is None
    assert "FIFO" in found["pipe.txt"] and "outside" in found["zero.txt"] and "loop" in found["up"]


def test_a_device_named_on_the_command_line_is_not_read(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    (source,) = iter_sources([str(tmp_path / "zero.txt")])
    assert "character device" in source.error


def test_the_byte_cap_is_applied_while_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", ARTICLE * 100)
    (source,) = iter_sources([str(path)], max_mb=0.001)
    assert "limit" in source.error and source.data is None


def test_sources_are_streamed_not_read_first(tmp_path):
    for i in range(3):
        write(tmp_path, f"{i}.txt", ARTICLE)
    sources = iter_sources([str(tmp_path)])
    first = next(sources)
    os.remove(tmp_path / "2.txt")  # not read yet: the folder is walked as the batch goes
    assert first.data and [s.error for s in sources][-1] is not None


def test_an_extraction_failure_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    import ties.extraction.run as run_module

    real = run_module.extract

    def fragile(doc):
        if "吐瓦魯" in doc.text:
            raise MemoryError("cannot allocate 4 GB")
        return real(doc)

    monkeypatch.setattr(run_module, "extract", fragile)
    bad, good = write(tmp_path, "a.txt", ARTICLE), write(tmp_path, "b.txt", OTHER)
    result = run("ingest", "--fast", "--db", tmp_path / "t.db", bad, good)
    assert result.exit_code == 0
    assert f"ties: {bad}: extraction failed (MemoryError: cannot allocate 4 GB)" in result.stderr
    assert "Traceback" not in result.stderr and "failed 1" in result.stderr
    assert stored(tmp_path / "t.db") == ["b.txt"]
    with pytest.raises(MemoryError):
        CliRunner().invoke(main, ["--debug", "extract", "--fast", str(bad)], catch_exceptions=False)


def test_a_document_over_its_time_budget_fails_in_one_line(tmp_path, monkeypatch):
    import ties.extraction.run as run_module

    real = run_module.extract
    monkeypatch.setattr(run_module, "extract", lambda doc: time.sleep(5) if "吐瓦魯" in doc.text else real(doc))
    slow, good = write(tmp_path, "a.txt", ARTICLE), write(tmp_path, "b.txt", OTHER)
    start = time.monotonic()
    result = run("extract", "--fast", "--doc-timeout", "0.5", slow, good)
    assert time.monotonic() - start < 4
    assert f"ties: {slow}: extraction took longer than 0.5 s: given up" in result.stderr
    assert '"path": "' + str(good) in result.stdout


def test_documents_without_chinese_text_are_skipped_not_stored(tmp_path):
    english = write(tmp_path, "en.txt", "The minister met the visiting delegation today to discuss trade.\n" * 3)
    empty_page = write(tmp_path, "e.html", "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>")
    good = write(tmp_path, "good.txt", ARTICLE)
    result = run("ingest", "--fast", "--db", tmp_path / "t.db", english, empty_page, good)
    assert result.exit_code == 0
    assert f"ties: {english}: skipped: " in result.stderr and f"ties: {empty_page}: skipped: " in result.stderr
    assert "skipped 2, failed 0" in result.stderr
    assert stored(tmp_path / "t.db") == ["good.txt"]


def test_the_model_sees_bounded_pieces_cut_after_clause_marks():
    text = "甲" * 250 + "，" + "乙" * 400 + "丙" * 10
    pieces = list(ner.pieces(text))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= ner.MAX_CHARS for _, p in pieces)
    assert pieces[0] == (0, "甲" * 250 + "，") and pieces[1][0] == 251


def test_extraction_reads_a_bounded_prefix_with_a_warning():
    doc = Document(path="x", text=(ARTICLE * 5000), format="plain")
    cut = limits.for_extraction(doc)
    assert len(cut.text) <= limits.MAX_EXTRACT_CHARS and cut.text.endswith("\n")
    assert doc.text == ARTICLE * 5000 and "facts are extracted from its first" in doc.warnings[0]
    assert limits.for_extraction(Document(path="y", text=ARTICLE, format="plain")).text == ARTICLE


def test_html_with_huge_attribute_lists_or_unclosed_elements_is_bounded():
    attrs = " ".join(f'a{i}="v"' for i in range(2000))
    assert limits.bound_html(f'<p id="k" {attrs}>文</p>') == '<p id="k">文</p>'
    deep = "<body>" + "<div>文" * (limits.MAX_UNCLOSED + 5)
    assert limits.bound_html(deep).count("</div>") == limits.MAX_UNCLOSED + 5
    page = "<body>" + "<div>文</div>" * 3000 + "<br>" * 3000
    assert limits.bound_html(page) == page


@pytest.mark.parametrize("ahead", [0, 40])  # one source per task, or five
def test_in_worker_processes_a_dying_worker_fails_only_its_document(tmp_path, monkeypatch, ahead):
    import ties.extraction.run as run_module
    from ties.model import ReadFailure
    from ties.pipeline import process

    real = run_module.extract
    monkeypatch.setattr(run_module, "extract", lambda doc: os._exit(9) if "吐瓦魯" in doc.text else real(doc))
    paths = [write(tmp_path, f"{i}.txt", ARTICLE if i == 2 else OTHER) for i in range(6)]
    results = list(process(iter_sources([str(p) for p in paths]), jobs=2, fast=True, ahead=ahead))
    assert [os.path.basename(r.path) for r, _ in results] == [f"{i}.txt" for i in range(6)]
    failed = [os.path.basename(r.path) for r, _ in results if isinstance(r, ReadFailure)]
    assert failed == ["2.txt"] and "died" in results[2][0].error


def test_in_worker_processes_a_result_that_cannot_be_sent_back_fails_only_its_document(tmp_path, monkeypatch):
    """Sent in a task of several sources, the others' results still come back."""
    import ties.extraction.run as run_module
    from ties.model import ReadFailure
    from ties.pipeline import process

    real = run_module.extract
    monkeypatch.setattr(run_module, "extract", lambda doc: (lambda: 0) if "吐瓦魯" in doc.text else real(doc))
    paths = [write(tmp_path, f"{i}.txt", ARTICLE if i == 3 else OTHER) for i in range(6)]
    results = list(process(iter_sources([str(p) for p in paths]), jobs=2, fast=True, ahead=40))
    assert [os.path.basename(r.path) for r, _ in results] == [f"{i}.txt" for i in range(6)]
    failed = [os.path.basename(r.path) for r, _ in results if isinstance(r, ReadFailure)]
    assert failed == ["3.txt"] and "worker" in results[3][0].error
    assert all(found.events for r, found in results if not isinstance(r, ReadFailure))


_GO = {}  # the file whose existence lets the test's workers start (they inherit it by fork)


def _after_go(work, group):
    """A worker's task, run once the consumer has asked for its first result (made _GO's file)."""
    while not _GO["file"].exists():
        time.sleep(0.01)
    return _GO["run_each"](work, group)


@pytest.mark.parametrize("ahead, in_flight", [(0, 4), (9, 9), (16, 16)])  # 16: tasks of two sources
def test_in_worker_processes_sources_in_flight_are_bounded_by_what_the_consumer_asks(tmp_path, monkeypatch,
                                                                                     ahead, in_flight):
    """Two workers keep 2 × 2 sources in flight, or as many as a consumer that pauses (the writer
    committing a batch) asks for; results still come in order. The workers start only when the
    consumer waits for its first result, so a busy machine cannot finish one before all are sent."""
    from ties import pipeline

    _GO.update(file=tmp_path / "go", run_each=pipeline._run_each)
    monkeypatch.setattr(pipeline, "_run_each", _after_go)
    paths = [write(tmp_path, f"{i}.txt", OTHER) for i in range(24)]
    pulled = []

    def sources():
        for source in iter_sources([str(p) for p in paths]):
            pulled.append(source.path)
            yield source

    results = pipeline.process(sources(), jobs=2, fast=True, ahead=ahead, on_wait=_GO["file"].touch)
    first = next(results)
    assert len(pulled) == in_flight
    rest = list(results)
    assert [os.path.basename(r.path) for r, _ in [first, *rest]] == [f"{i}.txt" for i in range(24)]


def test_sources_that_come_slowly_are_not_held_back_for_a_full_task(monkeypatch):
    """Sources go to the workers in tasks of several; one that comes more than TASK_FILL_SECONDS
    after the first of its task (a page fetched from the web) does not wait for the rest."""
    from concurrent.futures import ThreadPoolExecutor
    from ties import pipeline

    sizes = []
    real = pipeline._run_each
    monkeypatch.setattr(pipeline, "_run_each", lambda work, group: (sizes.append(len(group)), real(work, group))[1])

    def slowly(n, pause):
        for i in range(n):
            time.sleep(pause)
            yield i

    for pause, expected in ((0.0, [1, 1, 2, 2, 4]), (2 * pipeline.TASK_FILL_SECONDS, None)):
        sizes.clear()
        pulled = []
        sources = (pulled.append(i) or i for i in slowly(10, pause))
        results = pipeline._in_workers(sources, lambda source: (source, None), lambda: ThreadPoolExecutor(2),
                                       False, ahead=64, size=8)
        first, pulled_by_then = next(results), len(pulled)
        assert [first[0]] + [r for r, _ in results] == list(range(10))
        assert sizes == expected if expected else max(sizes) <= 2
        if not expected:  # and their results come as they are done, not once AHEAD are read
            assert pulled_by_then < 10


def test_in_worker_processes_a_consumer_is_told_when_it_would_wait(tmp_path):
    """ON_WAIT runs in the consumer before it waits for a result not ready yet (the workers have
    only just started on the first)."""
    from ties.pipeline import process

    paths = [write(tmp_path, f"{i}.txt", OTHER) for i in range(6)]
    calls = []
    results = process(iter_sources([str(p) for p in paths]), jobs=2, fast=True, on_wait=lambda: calls.append(1))
    first = next(results)
    assert calls and os.path.basename(first[0].path) == "0.txt"
    assert len([first, *results]) == 6


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no nice() on this platform")
def test_workers_can_yield_the_cpu_to_the_process_that_takes_their_results():
    """ties ingest's workers run nicer than its single writer; by default they run as it does."""
    from ties.workers import worker_pool

    for nice in (0, 3):
        pool = worker_pool(1, nice)
        try:
            assert pool.submit(os.nice, 0).result() == os.nice(0) + nice
        finally:
            pool.shutdown()


def test_ingest_over_good_and_hostile_files_stores_the_good_and_the_recoverable(tmp_path):
    """The issue's acceptance run in small (benchmarks/bench_hostile.py has the full-size files)."""
    import resource
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "good.txt", ARTICLE)
    write(folder, "other.md", "# 史瓦帝尼投資\n\n" + OTHER)
    write(folder, "one_bad_byte.txt", ARTICLE.encode()[:20] + b"\xff" + ARTICLE.encode()[20:])
    write(folder, "bad_date.md", "---\ntitle: 臺吐合作\ndate: 2024-13-45\n---\n\n" + ARTICLE)
    write(folder, "long.txt", "臺灣與吐瓦魯在氣候領域持續深化合作，" * 60_000)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (8 * 1024 ** 3, 8 * 1024 ** 3))  # noqa: E731
    proc = subprocess.run([sys.executable, "-c", "from ties.cli import main; main()", "ingest", "--fast",
                           "--db", str(tmp_path / "t.db"), str(folder)],
                          capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert stored(tmp_path / "t.db") == ["bad_date.md", "good.txt", "long.txt", "one_bad_byte.txt", "other.md"]
    assert "failed 3" in proc.stderr and "invalid byte(s) in utf-8" in proc.stderr and "2024-13-45" in proc.stderr


def test_the_time_budget_is_enforced_in_worker_processes(tmp_path, monkeypatch):
    import ties.extraction.run as run_module
    from ties.model import ReadFailure
    from ties.pipeline import process

    real = run_module.extract
    monkeypatch.setattr(run_module, "extract", lambda doc: time.sleep(30) if "吐瓦魯" in doc.text else real(doc))
    paths = [write(tmp_path, f"{i}.txt", ARTICLE if i == 1 else OTHER) for i in range(3)]
    start = time.monotonic()
    results = list(process(iter_sources([str(p) for p in paths]), jobs=2, fast=True, timeout=1))
    assert time.monotonic() - start < 20
    assert [isinstance(r, ReadFailure) for r, _ in results] == [False, True, False]
    assert results[1][0].error == "extraction took longer than 1 s: given up"
