"""The analyst's workbench over HTTP: humane error pages for browsers (JSON stays JSON under /api),
filters typed as people type them, offline API docs, paging, counts and CSV export."""
import csv
import io
import re
from html.parser import HTMLParser
from importlib import resources

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SAMPLES
from ties.cli import main
from ties.web.app import create_app

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("workbench") / "t.db"
    assert CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(SAMPLES)]).exit_code == 0
    with TestClient(create_app(str(db))) as c:
        yield c


@pytest.mark.parametrize("path", ["/events/999999", "/documents/999999", "/persons/999999", "/no/such/page"])
def test_a_browser_gets_an_html_404_with_a_way_back(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error"' in response.text and 'href="/"' in response.text and "/static/app.css" in response.text


@pytest.mark.parametrize("path", ["/api/events/999999", "/api/nothing"])
def test_api_errors_stay_json_even_for_a_browser(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404 and response.json()["detail"]


def test_api_validation_stays_json(client):
    response = client.get("/api/events", params={"since": "yesterday"}, headers=BROWSER)
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)


def test_the_back_link_goes_only_to_this_site(client):
    own = client.get("/events/999999", headers={**BROWSER, "referer": "http://testserver/?partner=JP"})
    assert 'href="http://testserver/?partner=JP"' in own.text
    other = client.get("/events/999999", headers={**BROWSER, "referer": "http://evil.example/"})
    assert "evil.example" not in other.text


def test_partner_typed_as_a_name_filters_like_its_code(client):
    by_code = client.get("/", params={"partner": "JP"})
    for typed in ("日本", "Japan", "jp", "臺日"):
        response = client.get("/", params={"partner": typed})
        assert response.status_code == 200
        assert response.text.count('class="event-row"') == by_code.text.count('class="event-row"') > 0


def test_dates_as_year_or_month(client):
    assert client.get("/", params={"since": "2020", "until": "2030-12"}).status_code == 200


@pytest.mark.parametrize("params,said", [({"partner": "Narnia"}, "unknown partner"), ({"topic": "cookery"}, "unknown topic"),
                                         ({"since": "yesterday"}, "expected YYYY"), ({"type": "MEET"}, "type:")])
def test_a_bad_filter_is_an_html_422_that_says_why(client, params, said):
    response = client.get("/", params=params, headers=BROWSER)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert said in response.text and "regular expression" not in response.text and "^" not in response.text


def test_partner_page_by_name_redirects_to_its_code(client):
    response = client.get("/partners/日本", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/partners/JP"


class _References(HTMLParser):
    """Every URL a page loads or links to, except the links to an article's original (its data)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "external" in (attrs.get("class") or ""):
            return
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "action", "spec-url") and v]


def _external(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    inline = re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)|@import[^;]*", html)
    return [u for u in parser.urls if re.match(r"^(https?:)?//", u.strip(), re.I)] + inline


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_name_no_external_url_and_their_assets_load(client, path):
    page = client.get(path)
    assert page.status_code == 200 and not re.search(r"https?://|//cdn|fonts\.", page.text)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert len(assets) >= 2
    for asset in assets:
        assert client.get(asset).status_code == 200


def test_vendored_docs_assets_carry_their_licences():
    vendor = resources.files("ties") / "web" / "static" / "vendor"
    for folder in ("swagger-ui", "redoc"):
        assert (vendor / folder / "LICENSE").is_file()


def test_no_page_references_an_external_url(client):
    event = client.get("/api/events").json()["items"][0]["id"]
    detail = client.get(f"/api/events/{event}").json()
    person = next(n["id"] for n in client.get("/api/graph").json()["nodes"] if n["kind"] == "person")
    paths = ["/", "/?q=合作", "/partners", "/partners/JP", "/partners/JP/brief", "/graph", "/docs", "/redoc", f"/events/{event}",
             f"/documents/{detail['evidence'][0]['document_id']}", f"/persons/{person}", "/events/999999"]
    for path in paths:
        response = client.get(path, headers=BROWSER)
        assert _external(response.text) == [], path
    css = client.get("/static/app.css").text
    assert not re.search(r"https?://|@import", css)


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="event-row">\s*<td><a href="/events/(\d+)"', html)


def test_the_list_pages_with_next_and_prev_links(client):
    total = client.get("/api/events", params={"limit": 1}).json()["total"]
    assert total > 4
    first = client.get("/", params={"limit": 2})
    assert len(_rows(first.text)) == 2 and 'rel="prev"' not in first.text
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)[1].replace("&amp;", "&")
    assert "offset=2" in following and "limit=2" in following
    second = client.get(following)
    assert set(_rows(second.text)).isdisjoint(_rows(first.text)) and 'rel="prev"' in second.text
    last = client.get("/", params={"limit": 2, "offset": total - 1})
    assert len(_rows(last.text)) == 1 and 'rel="next"' not in last.text


def test_paging_keeps_the_filters(client):
    page = client.get("/", params={"type": "AGREE", "limit": 1}).text
    if 'rel="next"' in page:
        assert "type=AGREE" in re.search(r'<a rel="next" href="([^"]+)"', page)[1]


def test_the_heading_counts_the_matches_not_the_database(client):
    everything = client.get("/api/stats").json()["events"]
    agree = client.get("/api/events", params={"type": "AGREE", "limit": 500}).json()
    assert agree["total"] == len(agree["items"]) < everything
    page = client.get("/", params={"type": "AGREE"}).text
    assert f'<span class="matches">{agree["total"]}</span>' in page


def test_the_export_link_returns_the_filtered_csv(client):
    page = client.get("/", params={"partner": "日本"}).text
    link = re.search(r'class="export-csv" href="([^"]+)"', page)[1].replace("&amp;", "&")
    assert link == "/api/events.csv?partner=JP"
    response = client.get(link)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    japan = client.get("/api/events", params={"partner": "JP", "limit": 500}).json()
    assert [int(r["id"]) for r in rows] == [e["id"] for e in japan["items"]]
    assert all("JP" in r["partner_countries"].split() for r in rows)
    by_id = {e["id"]: e for e in japan["items"]}
    assert all(r["summary"] == by_id[int(r["id"])]["summary"] and r["topics"] == "; ".join(by_id[int(r["id"])]["topics"])
               for r in rows)
    json_link = re.search(r'class="export-json" href="([^"]+)"', page)[1].replace("&amp;", "&")
    assert client.get(json_link).json()["total"] == len(rows)


def test_search_pages(client):
    first = client.get("/", params={"q": "台", "limit": 2})
    total = int(re.search(r'class="total">(\d+)', first.text)[1])
    assert total > 2 and first.text.count('class="hit"') == 2 and 'rel="next"' in first.text
    second = client.get("/", params={"q": "台", "limit": 2, "offset": 2})
    assert second.text.count('class="hit"') == 2 and 'rel="prev"' in second.text
    hrefs = lambda html: set(re.findall(r'class="hit"><a href="([^"]+)"', html))  # noqa: E731
    assert hrefs(first.text).isdisjoint(hrefs(second.text))


def test_events_read_like_a_record_in_the_api(client):
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    assert all({"summary", "headline", "topics", "participants", "place", "initiatives"} <= e.keys() for e in items)
    signed = [e for e in items if any(i["kind"] == "agreement" for i in e["initiatives"])]
    assert signed and all("signed 「" in e["summary"] for e in signed)
    linked = [p for e in items for p in e["participants"] if p["url"]]
    assert linked and all(p["url"].startswith(("/persons/", "/organizations/")) for p in linked)
    for e in items:
        detail = client.get(f"/api/events/{e['id']}").json()
        assert detail["summary"] == e["summary"] and detail["sources"] == len(detail["source_documents"])


def test_summary_is_built_from_the_fields():
    from ties.store.queries import summary
    row = {"type": "CONSULT", "partner_countries": ["JP"], "place": "東京",
           "participants": [{"name": "甲部", "side": "taiwan", "kind": "organization", "title": None, "affiliation": None},
                            {"name": "王大明", "side": "taiwan", "kind": "person", "title": "部長", "affiliation": "甲部"}],
           "initiatives": [{"name": "臺日乙協定", "kind": "agreement"}, {"name": "丙論壇", "kind": "event"}]}
    assert summary(row) == "王大明（甲部）、甲部 met 日本 in 東京; signed 「臺日乙協定」"


def test_event_page_links_participants_and_topics(client):
    event = next(e for e in client.get("/api/events", params={"limit": 500}).json()["items"]
                 if e["topics"] and any(p["url"] for p in e["participants"]))
    page = client.get(f"/events/{event['id']}").text
    assert event["summary"].split(" ")[0] in page
    for p in event["participants"]:
        if p["url"]:
            assert f'href="{p["url"]}"' in page
            assert p["name"] in client.get(p["url"]).text
    topic = event["topics"][0]
    assert f'href="/?topic={topic}"' in page
    filtered = client.get("/api/events", params={"topic": topic, "limit": 500}).json()["items"]
    assert event["id"] in [e["id"] for e in filtered]
    assert page.count('class="source"') == event["sources"]


def test_partners_are_named(client):
    assert "日本" in client.get("/partners").text


def test_facets_count_the_filtered_events_and_link_to_them(client):
    page = client.get("/", params={"type": "AGREE"}).text
    facets = page[page.index('id="facets"'):page.index("</aside>")]
    agree = client.get("/api/events", params={"type": "AGREE", "limit": 500}).json()["items"]
    japan = sum("JP" in e["partner_countries"] for e in agree)
    if japan:
        link, count = re.search(r'<a href="([^"]*partner=JP[^"]*)">日本 JP</a> <small>(\d+)</small>', facets).groups()
        assert int(count) == japan and "type=AGREE" in link
        assert client.get(link.replace("&amp;", "&")).text.count('class="event-row"') == japan
    years = re.findall(r'since=(\d{4})&amp;until=\1[^"]*">\1</a> <small>(\d+)</small>', facets)
    assert years and sum(int(n) for _, n in years) <= len(agree)


def test_the_date_column_sorts_both_ways(client):
    newest = _rows(client.get("/", params={"limit": 500}).text)
    oldest = _rows(client.get("/", params={"limit": 500, "sort": "date"}).text)
    assert set(newest) == set(oldest) and newest != oldest
    assert 'class="sort" href="/?limit=500&amp;sort=date&amp;offset=0"' in client.get("/", params={"limit": 500}).text


def test_search_facets_by_site_and_year(client):
    page = client.get("/", params={"q": "台"}).text
    facets = page[page.index('id="search-facets"'):page.index("</aside>")]
    site_link, count = re.search(r'<a href="([^"]*site=[^"]*)">[^<]+</a> <small>(\d+)</small>', facets).groups()
    narrowed = client.get(site_link.replace("&amp;", "&")).text
    assert int(re.search(r'class="total">(\d+)', narrowed)[1]) == int(count)
    year_link, count = re.search(r'<a href="([^"]*since=(\d{4})[^"]*)">\2</a> <small>(\d+)</small>', facets).group(1, 3)
    narrowed = client.get(year_link.replace("&amp;", "&")).text
    assert int(re.search(r'class="total">(\d+)', narrowed)[1]) == int(count)


def test_partner_box_suggests_known_partners(client):
    page = client.get("/").text
    assert '<datalist id="partner-codes">' in page and '<option value="JP">日本</option>' in page


def test_partner_brief_is_dated_with_footnoted_sources(client):
    md = client.get("/partners/日本/brief", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    text = md.text
    assert text.startswith("# 臺灣—日本交流簡報")
    dates = re.findall(r"^## (\d{4}[-\d]*) ·", text, re.M)
    assert dates and dates == sorted(dates)
    cited = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^(\d+)\]:", text, re.M))
    assert cited and cited == defined
    japan = client.get("/api/events", params={"partner": "JP", "limit": 500}).json()["total"]
    assert len(dates) + text.count("## 日期不明") == japan
    page = client.get("/partners/JP/brief").text
    assert page.count('class="brief-event"') == japan and 'href="/partners/JP/brief?format=md"' in page
    assert client.get("/partners/JP/brief", params={"since": "2999"}).text.count('class="brief-event"') == 0


def test_partner_page_agrees_with_the_partner_query(client):
    from ties.store import queries
    engine = client.app.state.engine
    with engine.connect() as c:
        for code in ("JP", "US", "CZ"):
            full, page = queries.partner(c, code), queries.partner_page(c, code, rows=2)
            assert page["engagements"] == full["engagements"] and page["by_year"] == full["by_year"]
            assert set(page["people_met"]) == set(full["people_met"])
            assert [e["id"] for e in page["events"]] == [e["id"] for e in full["events"][:2]]


def test_entity_page_agrees_with_the_entity_query(client):
    from ties.store import queries
    nodes = client.get("/api/graph").json()["nodes"]
    with client.app.state.engine.connect() as c:
        for node in nodes[:6]:
            full, page = queries.entity(c, node["id"], node["kind"]), queries.entity_page(c, node["id"], node["kind"], rows=1)
            assert page["total_engagements"] == len(full["engagements"]) and page["total_documents"] == len(full["documents"])
            assert [e["id"] for e in page["engagements"]] == [e["id"] for e in full["engagements"][:1]]
            assert page["aliases"] == full["aliases"] and page["offices"] == full["offices"]


def test_partner_table_agrees_with_partners(client):
    from ties.store import queries
    with client.app.state.engine.connect() as c:
        slow, fast = queries.partners(c), queries.partner_table(c)
    assert [{k: p[k] for k in ("country", "engagements", "first", "last")} for p in slow] == \
        [{k: p[k] for k in ("country", "engagements", "first", "last")} for p in fast]
    for partner in fast:  # the topics of its events' documents, most first, ties by name
        events = client.get("/api/events", params={"partner": partner["country"], "limit": 500}).json()["items"]
        counts = {}
        topics = [t for e in events for d in {x["document_id"] for x in client.get(f"/api/events/{e['id']}").json()["evidence"]}
                  for t in client.get(f"/api/documents/{d}").json()["topics"]]
        for t in topics:
            counts[t] = counts.get(t, 0) + 1
        assert partner["top_topics"] == [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]


def test_graph_counted_in_sql_agrees_with_the_python_one(client):
    from ties.store import queries
    with client.app.state.engine.connect() as c:
        slow, fast = queries.participant_graph(c, 300), queries.top_participant_graph(c, 300)
    assert {(n["id"], n["weight"]) for n in slow["nodes"]} == {(n["id"], n["weight"]) for n in fast["nodes"]}
    pairs = lambda g: {(min(l["source"], l["target"]), max(l["source"], l["target"]), l["weight"]) for l in g["links"]}  # noqa: E731
    assert pairs(slow) == pairs(fast)
    few = client.get("/api/graph", params={"max_nodes": 3}).json()
    assert len(few["nodes"]) == 3 and all(l["source"] in {n["id"] for n in few["nodes"]} for l in few["links"])


def test_export_records_flatten_like_event_detail(client):
    from ties.store import export, queries
    with client.app.state.engine.connect() as c:
        ids = queries.event_ids(c)
        fast = [export.flat(r) for r in queries.export_records(c, ids, chunk=3)]
        slow = [export.flat(queries.event_detail(c, i)) for i in ids]
    assert fast == slow and len(fast) == len(ids) > 3
