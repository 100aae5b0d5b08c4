"""The analyst's workbench over HTTP: humane error pages for browsers (JSON stays JSON under /api),
filters typed as people type them, offline API docs, paging, counts and CSV export."""
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
