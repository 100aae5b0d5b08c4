"""Every GET route, API and pages, with hostile path and query parameters: never a 500."""
import re
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import write
from ties.cli import main
from ties.web.app import create_app

ARTICLE = "外交部長今天在臺北接見來訪的瑙魯國會議長，雙方同意深化醫療合作。\n"

HOSTILE = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.sampled_from(["9223372036854775808", "-9223372036854775809", "1e309", "NaN", "0x10", "../../etc/passwd",
                     "%00", "<script>alert(1)</script>", "' OR 1=1 --", "臺灣", "\u202e", "9" * 400]),
    st.text(max_size=60),
)


@pytest.fixture(scope="module")
def app_and_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-http")
    db = folder / "t.db"
    write(folder, "a.txt", ARTICLE)
    assert CliRunner().invoke(main, ["ingest", "--fast", "--db", str(db), str(folder / "a.txt")]).exit_code == 0
    app = create_app(str(db))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client


def get_routes(routes):
    """Every GET route, those of included routers too."""
    found = []
    for r in routes:
        if isinstance(r, APIRoute) and "GET" in r.methods:
            found.append(r)
        elif hasattr(r, "original_router"):  # an included router (recent FastAPI)
            found += get_routes(r.original_router.routes)
    return found


def test_the_routes_are_found(app_and_client):
    paths = {r.path for r in get_routes(app_and_client[0].routes)}
    assert {"/api/events/{event_id}", "/documents/{document_id}", "/api/search"} <= paths


@pytest.mark.parametrize("path", ["/api/events/{}", "/api/documents/{}", "/api/persons/{}", "/api/organizations/{}",
                                  "/events/{}", "/documents/{}", "/persons/{}", "/organizations/{}"])
@pytest.mark.parametrize("value", ["9223372036854775808", "18446744073709551616", "-1", "2147483648", "99999"])
def test_ids_out_of_range_are_404_or_422(app_and_client, path, value):
    assert app_and_client[1].get(path.format(value)).status_code in (404, 422)


def test_document_page_event_parameter_out_of_range(app_and_client):
    assert app_and_client[1].get("/documents/1", params={"event": "9223372036854775808"}).status_code in (404, 422)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_route_with_hostile_parameters_is_never_a_500(app_and_client, data):
    app, client = app_and_client
    route = data.draw(st.sampled_from(get_routes(app.routes)))
    path = route.path
    for name in re.findall(r"{(\w+)(?::\w+)?}", path):
        value = quote(data.draw(HOSTILE), safe="") or "x"
        path = re.sub(r"{%s(?::\w+)?}" % name, value, path)
    params = {p.alias: data.draw(HOSTILE) for p in route.dependant.query_params}
    response = client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text[:200])
