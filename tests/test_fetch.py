"""URLs, feeds and sitemaps in `ties extract` and `ties ingest`, against a loopback server."""
import json
import sqlite3

import pytest
from click.testing import CliRunner

from ties.cli import main
from ties.fetch.feeds import feed_kind, items
from ties.fetch.http import USER_AGENT, Fetcher, FetchOptions
from webfixtures import Site, page, rss, sitemap

FAST = ["--delay", "0", "--timeout", "1", "--fast"]
ARTICLES = {
    "/news/1.html": ("外交部接見日本訪問團", "外交部次長陳建宏今天在臺北接見日本眾議院議員山田太郎率領的訪問團，雙方就半導體供應鏈合作交換意見。\n"
                     "陳建宏表示，臺灣與日本共享民主價值，期盼雙方持續深化合作。"),
    "/news/2.html": ("數位部與歐盟對話", "數位發展部長林書豪今天與歐盟執行委員會代表舉行視訊會議，雙方就人工智慧治理及資安合作深入討論。\n"
                     "林書豪指出，臺歐盟在數位領域的合作日益緊密。"),
    "/news/3.html": ("國防部接待美國參訪團", "國防部副部長張志遠今天接待美國智庫學者組成的參訪團，雙方就區域安全情勢交換意見。\n"
                     "張志遠感謝美方長期支持臺灣的自我防衛能力。"),
}


@pytest.fixture
def site():
    with Site() as s:
        s.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        for path, (title, body) in ARTICLES.items():
            s.add(path, page(title, body))
        dates = ["Tue, 04 Mar 2025 02:00:00 GMT", "Wed, 05 Mar 2025 20:00:00 GMT", "Thu, 06 Mar 2025 03:00:00 GMT"]
        s.add("/feed.xml", rss([(s.url(p), t, d) for (p, (t, _)), d in zip(ARTICLES.items(), dates)]),
              "application/rss+xml", etag='"feed-v1"')
        yield s


def run(*args):
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def records(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_a_page_url_is_extracted_with_url_and_site_from_the_final_url(site):
    site.add("/old", status=301, headers={"Location": "/news/1.html"})
    [record] = records(run("extract", *FAST, site.url("/old")))
    assert record["url"] == site.url("/news/1.html") and record["path"] == site.url("/old")
    assert record["title"] == "外交部接見日本訪問團" and "山田太郎" in record["text"]
    assert "陳建宏" in [p["name"] for p in record["persons"]]


def test_user_agent_names_ties_and_its_version(site):
    run("extract", *FAST, site.url("/news/1.html"))
    agents = {headers.get("User-Agent") for path, headers in site.requests}
    assert agents == {USER_AGENT} and USER_AGENT.startswith("ties/")


def test_failures_are_one_line_naming_the_url_and_the_batch_goes_on(site):
    site.add("/slow.html", page("慢", "內容"), sleep=2)
    site.add("/big.html", "<p>" + "臺灣" * 20000 + "</p>")
    site.add("/private/secret.html", page("秘密", "內容"))
    site.add("/loop", status=302, headers={"Location": "/loop"})
    urls = [site.url(p) for p in ("/missing", "/slow.html", "/big.html", "/private/secret.html", "/loop",
                                  "/news/2.html")]
    result = run("extract", *FAST, "--max-mb", "0.05", "--retries", "0", *urls)
    assert result.exit_code == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    for line, expected in zip(lines, ["HTTP 404", "timed out", "over the 0.05 MB limit", "robots.txt forbids",
                                      "too many redirects"]):
        assert line.startswith("ties: http://127.0.0.1:") and expected in line, line
    assert [r.get("title") for r in records(result)][-1] == "數位部與歐盟對話"
    assert "/private/secret.html" not in [path for path, _ in site.requests]


def test_ignore_robots_fetches_a_forbidden_path(site):
    site.add("/private/secret.html", page("內部公告", "外交部今天發布內部公告。"))
    [record] = records(run("extract", *FAST, "--ignore-robots", site.url("/private/secret.html")))
    assert record["title"] == "內部公告"


def test_a_500_is_retried_with_backoff(site):
    route = site.add("/flaky.html", page("外交部接見日本訪問團", ARTICLES["/news/1.html"][1]), fail_first=1)
    fetcher = Fetcher(FetchOptions(delay=0, backoff=0.01))
    response = fetcher.get(site.url("/flaky.html"))
    assert response.status == 200 and route.hits == 2


def test_a_429_honours_retry_after_and_gives_up_after_the_retries(site):
    site.add("/busy", "slow down", "text/plain", status=429, headers={"Retry-After": "3"})
    waits = []
    fetcher = Fetcher(FetchOptions(delay=0, retries=2), sleep=waits.append)
    with pytest.raises(Exception, match="HTTP 429 after retries"):
        fetcher.get(site.url("/busy"))
    assert waits == [3.0, 3.0]


def test_requests_to_one_host_are_spaced_by_the_delay(site):
    waits = []
    fetcher = Fetcher(FetchOptions(delay=5), sleep=waits.append)
    fetcher.get(site.url("/news/1.html"))
    fetcher.get(site.url("/news/2.html"))
    assert waits and all(4 < w <= 5 for w in waits)  # after robots.txt, and between the pages


def test_the_charset_of_the_headers_is_used(site):
    html = page("臺美合作", "外交部今天宣布臺灣與美國簽署合作備忘錄，雙方將加強經貿交流。").replace("charset='utf-8'", "")
    site.add("/big5.html", html.encode("big5"), "text/html; charset=big5")
    [record] = records(run("extract", *FAST, site.url("/big5.html")))
    assert record["title"] == "臺美合作" and record["encoding"] == "big5"


def test_a_feed_is_expanded_to_its_items_with_their_urls(site):
    result = run("extract", *FAST, site.url("/feed.xml"))
    got = records(result)
    assert [r["url"] for r in got] == [site.url(p) for p in ARTICLES]
    assert "feed of 3 items" in result.stderr


def test_item_title_and_date_are_fallbacks(site):
    site.add("/bare.html", "<html><body><p>外交部次長陳建宏今天接見日本眾議院議員訪問團，雙方就半導體合作交換意見。</p>"
             "<p>陳建宏表示，臺灣與日本共享民主價值。</p></body></html>")
    site.add("/bare.xml", rss([(site.url("/bare.html"), "次長接見日本訪問團", "Tue, 04 Mar 2025 20:00:00 GMT")]),
             "application/rss+xml")
    [record] = records(run("extract", *FAST, site.url("/bare.xml")))
    assert record["title"] == "次長接見日本訪問團"
    assert record["published"] == "2025-03-05"  # 20:00 UTC is the next morning in Taipei


def test_a_sitemap_is_expanded(site):
    site.add("/sitemap.xml", sitemap([site.url("/news/2.html"), site.url("/news/3.html")]), "application/xml")
    got = records(run("extract", *FAST, site.url("/sitemap.xml")))
    assert [r["url"] for r in got] == [site.url("/news/2.html"), site.url("/news/3.html")]


def test_a_sitemap_index_is_followed(site):
    site.add("/part.xml", sitemap([site.url("/news/3.html")]), "application/xml")
    site.add("/index.xml", "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<sitemap><loc>{site.url('/part.xml')}</loc></sitemap></sitemapindex>", "application/xml")
    got = records(run("extract", *FAST, site.url("/index.xml")))
    assert [r["url"] for r in got] == [site.url("/news/3.html")]


def test_ingesting_a_feed_again_adds_nothing(site, tmp_path):
    db = str(tmp_path / "t.db")
    first = run("ingest", *FAST, "--db", db, site.url("/feed.xml"))
    assert first.exit_code == 0 and "read 3" in first.stderr
    with sqlite3.connect(db) as conn:
        urls = sorted(u for (u,) in conn.execute("select url from documents"))
    assert urls == sorted(site.url(p) for p in ARTICLES)
    fetched = len(site.requests)
    again = run("ingest", *FAST, "--db", db, site.url("/feed.xml"), site.url("/news/2.html"))
    assert again.exit_code == 0 and "not modified" in again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (3,)
    conditional = [h for p, h in site.requests[fetched:] if p == "/feed.xml"]
    assert conditional[0].get("If-None-Match") == '"feed-v1"'


def test_a_changed_feed_fetches_only_its_new_items(site, tmp_path):
    db = str(tmp_path / "t.db")
    run("ingest", *FAST, "--db", db, site.url("/feed.xml"))
    site.add("/news/4.html", page("經濟部與英國簽署備忘錄", "經濟部長周文華今天與英國貿易大臣簽署合作備忘錄，雙方將擴大離岸風電合作。"))
    items_now = [(site.url(p), "t", "Fri, 07 Mar 2025 03:00:00 GMT") for p in [*ARTICLES, "/news/4.html"]]
    site.add("/feed.xml", rss(items_now), "application/rss+xml", etag='"feed-v2"')
    fetched = len(site.requests)
    result = run("ingest", *FAST, "--db", db, site.url("/feed.xml"))
    assert "3 already stored" in result.stderr
    assert [p for p, _ in site.requests[fetched:] if p != "/robots.txt"] == ["/feed.xml", "/news/4.html"]


def test_a_failed_item_is_reported_and_the_rest_is_stored(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.add("/feed.xml", rss([(site.url("/news/1.html"), "a", ""), (site.url("/gone.html"), "b", "")]),
             "application/rss+xml", etag='"x"')
    result = run("ingest", *FAST, "--retries", "0", "--db", db, site.url("/feed.xml"))
    assert f"ties: {site.url('/gone.html')}: HTTP 404" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (1,)
        # no validators kept for a feed with a failed item: the next poll retries it
        assert conn.execute("select etag, last_status from fetch_state where url = ?",
                            (site.url("/feed.xml"),)).fetchone() == (None, "failed")


def test_feed_and_sitemap_are_recognised_by_content():
    assert feed_kind(b"<?xml version='1.0'?>\n<rss version='2.0'>", "text/xml") == "feed"
    assert feed_kind(b"<feed xmlns='http://www.w3.org/2005/Atom'>", "") == "feed"
    assert feed_kind(b"<?xml version='1.0'?><urlset xmlns='x'>", "") == "sitemap"
    assert feed_kind(b"<!DOCTYPE html><html><body>rss</body></html>", "text/html") is None


def test_atom_entries_become_items():
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
            "<entry><title>新聞</title><link href='https://example.org/a'/><updated>2025-01-02T18:30:00Z</updated>"
            "</entry></feed>").encode("utf-8")
    [item] = items(atom, "https://example.org/feed", "feed")
    assert (item.url, item.title, item.published) == ("https://example.org/a", "新聞", "2025-01-03")


def test_a_feed_item_that_redirects_is_known_by_its_feed_url(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.add("/go/1", status=301, headers={"Location": "/news/1.html"})
    site.add("/short.xml", rss([(site.url("/go/1"), "t", "")]), "application/rss+xml")
    run("ingest", *FAST, "--db", db, site.url("/short.xml"))
    fetched = len(site.requests)
    result = run("ingest", *FAST, "--db", db, site.url("/short.xml"))
    assert "1 already stored" in result.stderr
    assert [p for p, _ in site.requests[fetched:] if p != "/robots.txt"] == ["/short.xml"]
