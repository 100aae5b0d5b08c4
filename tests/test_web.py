"""The web page in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
search, filter, open an event, follow a source; hostile article HTML is shown as text and never
runs. Screenshots of the main pages go to test-output/screenshots/."""
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from ties.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
FIXTURES = Path(__file__).parent / "fixtures"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    import uvicorn

    from ties.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "t.db"
    result = CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(SAMPLES),
                                       str(FIXTURES / "hostile.md"), str(FIXTURES / "hostile.txt")])
    assert result.exit_code == 0, result.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def test_search_shows_highlighted_snippets(page, server):
    page.goto(server + "/")
    page.fill("input[name=q]", "立陶宛")
    page.click("form.search button")
    page.wait_for_selector("#results")
    marks = page.locator("#results mark").all_inner_texts()
    assert marks and all(m == "立陶宛" for m in marks)
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_filter_by_type(page, server):
    page.goto(server + "/")
    page.select_option("select[name=type]", "AGREE")
    page.click("#filters button")
    page.wait_for_url("**type=AGREE**")
    types = page.locator("#events .event-row .type").all_inner_texts()
    assert types and set(types) == {"AGREE"}
    page.screenshot(path=str(SHOTS / "events_filtered.png"), full_page=True)


def test_open_an_event_and_follow_a_source(page, server):
    page.goto(server + "/?partner=JP")
    page.locator("#events .event-row a").first.click()
    page.wait_for_selector("ol.evidence")
    evidence = page.locator("ol.evidence blockquote").first.inner_text()
    page.screenshot(path=str(SHOTS / "event.png"), full_page=True)
    page.locator("a.source-link").first.click()
    page.wait_for_selector("article.text")
    highlighted = page.locator("mark.evidence").all_inner_texts()
    assert evidence.strip() in [h.strip() for h in highlighted]
    page.screenshot(path=str(SHOTS / "document.png"), full_page=True)


def test_map_and_graph(page, server):
    page.goto(server + "/partners")
    assert page.locator("svg.worldmap path.partner").count() > 3
    page.screenshot(path=str(SHOTS / "partners_map.png"), full_page=True)
    page.goto(server + "/graph")
    assert page.locator("svg.graph circle").count() > 3
    page.screenshot(path=str(SHOTS / "graph.png"), full_page=True)


def test_hostile_article_is_shown_as_text_and_never_runs(page, server):
    """Titles and text with <script>, onerror= and javascript: links, and a javascript: source URL."""
    page.goto(server + "/?q=" + "alert")
    page.wait_for_selector("#results")
    shown = page.locator("body").inner_text()
    for query in ("斯洛伐克國會訪團", "智慧製造領域"):
        page.goto(server + "/?q=" + query)
        page.wait_for_selector("#results")
        for href in [a.get_attribute("href") for a in page.locator("#results li.hit > a").all()]:
            page.goto(server + href)
            page.wait_for_selector("article.text")
            page.mouse.move(30, 60)  # over the title: an onmouseover would fire now
            shown += page.locator("body").inner_text()
            assert page.locator("a[href^='javascript:']").count() == 0
            assert page.locator("main script, main img").count() == 0
            for event_href in [a.get_attribute("href") for a in page.locator("a[href^='/events/']").all()]:
                page.goto(server + event_href)
                page.mouse.move(10, 10)
                assert page.locator("a[href^='javascript:']").count() == 0
    page.screenshot(path=str(SHOTS / "xss.png"), full_page=True)
    assert page.dialogs == []
    for payload in ("<script>alert('title')</script>", "<script>alert('body')</script>",
                    "<img src=x onerror=alert('onerror')>"):
        assert payload in shown  # visible, as text


def test_unknown_event_is_a_page_with_a_way_back(page, server):
    response = page.goto(server + "/events/999999")
    assert response.status == 404
    assert page.locator("#error h1").inner_text().startswith("找不到")
    page.screenshot(path=str(SHOTS / "not_found.png"), full_page=True)
    page.click("#error .way-back a[href='/']")
    page.wait_for_selector("#events")


def test_a_partner_typed_in_chinese_filters_the_list(page, server):
    page.goto(server + "/")
    page.fill("#filters input[name=partner]", "日本")
    page.click("#filters button")
    page.wait_for_url("**partner=**")
    assert page.locator("#events .event-row").count() > 0
    page.fill("#filters input[name=partner]", "Narnia")
    page.click("#filters button")
    page.wait_for_selector("#error")
    assert "unknown partner" in page.locator("#error").inner_text()
    page.screenshot(path=str(SHOTS / "bad_filter.png"), full_page=True)


def test_api_docs_work_offline(page, server):
    """Swagger UI and ReDoc render from the package's own assets; any request off this server fails."""
    outside = []
    page.route(lambda url: not url.startswith(server), lambda route: (outside.append(route.request.url), route.abort()))
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 5
    page.screenshot(path=str(SHOTS / "docs.png"))
    page.goto(server + "/redoc")
    page.wait_for_selector("h1", timeout=15000)
    assert "ties" in page.locator("h1").first.inner_text()
    page.screenshot(path=str(SHOTS / "redoc.png"))
    assert outside == []


def test_paging_and_the_export_link(page, server):
    page.goto(server + "/?limit=3")
    assert page.locator("#events .event-row").count() == 3
    first = page.locator("#events .event-row a").first.get_attribute("href")
    page.locator("a[rel=next]").first.click()
    page.wait_for_url("**offset=3**")
    assert page.locator("#events .event-row a").first.get_attribute("href") != first
    page.screenshot(path=str(SHOTS / "events_page2.png"), full_page=True)
    page.locator("a[rel=prev]").first.click()
    page.wait_for_url("**offset=0**")
    assert page.locator("#events .event-row a").first.get_attribute("href") == first
    page.goto(server + "/?type=AGREE")
    href = page.locator("a.export-csv").get_attribute("href")
    assert href == "/api/events.csv?type=AGREE"
    response = page.request.get(server + href)
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text().strip().splitlines()
    assert lines[0].startswith("id,") and len(lines) - 1 == int(page.locator("span.matches").inner_text())


def test_event_record_links_participants_and_topics(page, server):
    page.goto(server + "/?type=AGREE")
    page.locator("#events .event-row a.summary").first.click()
    page.wait_for_selector("#summary")
    assert page.locator("#summary").inner_text().strip()
    assert page.locator("ol.evidence li.source").count() == int(page.locator("dd.sources-count").inner_text())
    page.screenshot(path=str(SHOTS / "event_record.png"), full_page=True)
    person = page.locator("dd.participants a.participant").first
    name = person.inner_text()
    person.click()
    page.wait_for_url(re.compile(r"/(persons|organizations)/\d+$"))
    assert name in page.locator("h1").inner_text()
    page.go_back()
    topic = page.locator("dd.topics a.topic").first
    wanted = topic.inner_text()
    topic.click()
    page.wait_for_url(f"**topic={wanted}**")
    assert page.locator("#events .event-row").count() > 0
    assert page.locator(f"#events .event-row a.topic:text-is('{wanted}')").count() == page.locator("#events .event-row").count()
    page.screenshot(path=str(SHOTS / "events_by_topic.png"), full_page=True)


def test_facets_narrow_the_list(page, server):
    page.goto(server + "/")
    facet = page.locator("#facets ul.partner li").first
    expected = int(facet.locator("small").inner_text())
    facet.locator("a").click()
    page.wait_for_url("**partner=**")
    assert page.locator("#events .event-row").count() == expected == int(page.locator("span.matches").inner_text())
    page.locator("a.sort").click()
    page.wait_for_url("**sort=date**")
    page.screenshot(path=str(SHOTS / "events_facets.png"), full_page=True)


def test_partner_brief(page, server):
    page.goto(server + "/partners/JP")
    page.click("a.brief-link")
    page.wait_for_selector("#brief")
    assert page.locator("#brief li.brief-event").count() > 0
    note = page.locator("#brief sup a").first
    note.click()
    assert page.locator(note.get_attribute("href")).count() == 1
    page.screenshot(path=str(SHOTS / "brief.png"), full_page=True)
    markdown = page.request.get(server + page.locator("a.brief-md").get_attribute("href"))
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text().startswith("# ")
