"""`ties watch`: polls, feed state in the database, --once, clean stop."""
import os
import signal
import sqlite3
import threading

import pytest
from click.testing import CliRunner

from ties.cli import main
from ties.errors import TiesError
from ties.watch import parse_interval
from webfixtures import Site, page, rss

ITEMS = {
    "/a.html": ("經濟部接待德國代表團", "經濟部次長黃國華今天接待德國經濟部代表團，雙方就綠能產業合作交換意見。"),
    "/b.html": ("衛福部與加拿大簽署備忘錄", "衛生福利部長劉明德今天與加拿大衛生部代表簽署醫療合作備忘錄。"),
}


@pytest.fixture
def site():
    with Site() as s:
        for path, (title, body) in ITEMS.items():
            s.add(path, page(title, body))
        s.add("/rss", rss([(s.url(p), t, "Mon, 03 Mar 2025 02:00:00 GMT") for p, (t, _) in ITEMS.items()]),
              "application/rss+xml", etag='"v1"')
        yield s


def watch(db, *args):
    result = CliRunner().invoke(main, ["watch", "--db", str(db), "--fast", "--delay", "0", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_once_ingests_new_items_then_reports_unchanged(site, tmp_path):
    db = tmp_path / "w.db"
    first = watch(db, "--once", site.url("/rss"))
    assert first.exit_code == 0
    assert first.stderr.strip().endswith(f"{site.url('/rss')}: new 2, unchanged 0, failed 0")
    second = watch(db, "--once", site.url("/rss"))
    assert second.stderr.strip().endswith(f"{site.url('/rss')}: unchanged")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (2,)
        row = conn.execute("select etag, last_status, failures, checked_at from fetch_state where url = ?",
                           (site.url("/rss"),)).fetchone()
    assert row[:3] == ('"v1"', "unchanged", 0) and row[3]


def test_a_failing_feed_is_counted_in_the_state_and_exits_1(site, tmp_path):
    db = tmp_path / "w.db"
    result = watch(db, "--once", "--retries", "0", site.url("/nothing"))
    assert result.exit_code == 1 and "HTTP 404" in result.stderr and "failed 1" in result.stderr
    watch(db, "--once", "--retries", "0", site.url("/nothing"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select failures, last_status from fetch_state").fetchone() == (2, "failed")


def test_sigterm_stops_the_wait_cleanly(site, tmp_path):
    db = tmp_path / "w.db"
    timer = threading.Timer(4, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        result = watch(db, "--every", "1h", site.url("/rss"))
    finally:
        timer.cancel()
    assert result.exit_code == 0 and result.stderr.strip().endswith("stopped")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (2,)


@pytest.mark.parametrize("text,seconds", [("15m", 900), ("1h", 3600), ("30s", 30), ("90", 90), ("1d", 86400)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


def test_a_bad_interval_is_an_error():
    with pytest.raises(TiesError, match="not an interval"):
        parse_interval("soon")
