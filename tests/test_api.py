"""The HTTP API: every endpoint answers JSON, bad parameters give 422, unknown ids 404, and the
server cannot write to the database."""
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import text

from conftest import SAMPLES
from ties.cli import main
from ties.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "t.db"
    assert CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(SAMPLES)]).exit_code == 0
    app = create_app(str(db))
    with TestClient(app) as c:
        c.app_state = app.state
        yield c


def test_events_paginate_and_filter(client):
    first = client.get("/api/events", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    second = client.get("/api/events", params={"limit": 3, "offset": 3}).json()
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})
    japan = client.get("/api/events", params={"partner": "JP"}).json()["items"]
    assert japan and all("JP" in e["partner_countries"] for e in japan)
    agree = client.get("/api/events", params={"type": "AGREE"}).json()["items"]
    assert agree and all(e["type"] == "AGREE" for e in agree)


def test_event_document_entity_endpoints(client):
    event_id = client.get("/api/events").json()["items"][0]["id"]
    event = client.get(f"/api/events/{event_id}").json()
    assert event["evidence"] and {"taiwan_side", "counterparts", "outcomes"} <= event.keys()
    doc = client.get(f"/api/documents/{event['evidence'][0]['document_id']}").json()
    start, end = event["evidence"][0]["evidence_start"], event["evidence"][0]["evidence_end"]
    assert doc["text"][start:end] == event["evidence"][0]["evidence"]
    graph = client.get("/api/graph").json()
    person = next(n for n in graph["nodes"] if n["kind"] == "person")
    assert client.get(f"/api/persons/{person['id']}").json()["name"] == person["name"]
    org = next((n for n in graph["nodes"] if n["kind"] == "organization"), None)
    if org:
        assert client.get(f"/api/organizations/{org['id']}").status_code == 200


@pytest.mark.parametrize("path", ["/api/partners", "/api/partners/JP", "/api/initiatives", "/api/stats",
                                  "/openapi.json", "/", "/partners", "/partners/JP", "/graph", "/?q=合作"])
def test_other_endpoints(client, path):
    assert client.get(path).status_code == 200


def test_search(client):
    found = client.get("/api/search", params={"q": "立陶宛"}).json()
    assert found["total"] >= 1 and "[立陶宛]" in found["results"][0]["snippet"]


@pytest.mark.parametrize("path,params", [
    ("/api/events", {"type": "MEET"}), ("/api/events", {"since": "2024-13"}), ("/api/events", {"limit": 0}),
    ("/api/events", {"partner": "JPN"}), ("/api/events", {"offset": -1}), ("/api/search", {}),
    ("/api/events/abc", {}), ("/api/partners/J1", {}), ("/api/events", {"topic": "cooking"}),
])
def test_bad_parameters_are_422(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_api_takes_filters_as_the_pages_and_the_cli_do(client):
    exact = client.get("/api/events", params={"partner": "JP", "since": "2020-01-01", "until": "2030-12-31"}).json()
    typed = client.get("/api/events", params={"partner": "日本", "since": "2020", "until": "2030"}).json()
    assert typed == exact and exact["total"] > 0
    assert client.get("/api/events", params={"type": "agree"}).json() == client.get(
        "/api/events", params={"type": "AGREE"}).json()
    assert client.get("/api/events", params={"partner": ""}).json()["total"] == client.get("/api/events").json()["total"]


def test_a_bad_api_filter_names_its_field_and_the_closest_values(client):
    detail = client.get("/api/events", params={"topic": "healthcare"}).json()["detail"]
    assert detail[0]["loc"] == ["query", "topic"] and "did you mean health" in detail[0]["msg"]


@pytest.mark.parametrize("path", ["/api/events/999999", "/api/documents/999999", "/api/persons/999999",
                                  "/events/999999"])
def test_unknown_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


def test_static_files_do_not_leave_their_folder(client):
    assert client.get("/static/app.css").status_code == 200
    for path in ("/static/../pyproject.toml", "/static/%2e%2e/cli.py", "/static/..%2f..%2fpyproject.toml"):
        assert client.get(path).status_code == 404


def test_server_is_read_only(client):
    engine = client.app_state.engine
    with pytest.raises(Exception, match="readonly|read-only|query_only|attempt to write"):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM events"))


def test_serve_binds_to_loopback_by_default():
    host = next(p for p in main.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"
