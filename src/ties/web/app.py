"""`ties serve`: one process with the JSON API (/api/…, OpenAPI at /openapi.json) and the web
page. Read-only: every database connection refuses writes, except the event page's merge/split
form, which is served only when corrections are enabled (the loopback default) and writes through
its own connection. Nothing in a request names a file: static assets come from the package's own
folder."""
from __future__ import annotations

import csv
import io
from contextlib import asynccontextmanager
from dataclasses import replace
from importlib import resources
from urllib.parse import parse_qsl, urlencode, urlsplit
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..filters import EVENT_TYPES, FilterError, Filters
from ..errors import TiesError
from ..knowledge import load
from ..store import corrections as store_corrections, export, queries
from ..store.db import connect, writing
from ..store.memo import release
from ..store.search import COUNT_CAP, search
from . import charts
from .brief import brief_markdown

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' blob:; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'")
PAGE_ROWS = 50  # events shown on a partner's or an entity's page; the full list pages


def _typed(description: str):
    """A filter as people type it (made exact by ties.filters.Filters.typed)."""
    return Annotated[str | None, Query(max_length=100, description=description)]


PartnerQ = _typed("ISO 3166-1 alpha-2 code or name: JP, jp, Japan, 日本, 臺日; EU for the EU")
PersonQ = _typed("a participant's name (any alias)")
TypeQ = _typed("an event type, any case: " + ", ".join(EVENT_TYPES))
DateQ = _typed("YYYY, YYYY-MM or YYYY-MM-DD (since: the period's first day; until: its last)")
SiteQ = _typed("only documents from this site: cna.com.tw")
# Ids are INTEGER columns (32 bits on PostgreSQL): one outside that range is a 422, never a 500.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=0, le=MAX_ID)]
TOPICS = tuple(load("topics").get("topics", {}))  # the 19 topic ids of the knowledge file
TopicQ = _typed("a topic id, any case: " + ", ".join(TOPICS))


def create_app(db: str, corrections: bool = False) -> FastAPI:
    """corrections: accept the event page's merge/split form (POST); `ties serve` enables it on loopback."""
    engine = connect(db, create=False, read_only=True)
    app = FastAPI(title="ties", version=__version__, docs_url=None, redoc_url=None, lifespan=_closing_engines,
                  description="Taiwan's international engagements, from Chinese-language news: events, "
                              "participants, partners, sources and evidence.")
    app.state.engine = engine
    static = resources.files("ties") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router())
    app.include_router(docs_router(app.openapi_url, app.title))
    templates = Jinja2Templates(directory=str(resources.files("ties") / "web" / "templates"))
    templates.env.filters["web_url"] = web_url
    templates.env.filters["country"] = queries.country_name
    app.include_router(page_router(templates))
    templates.env.globals["corrections"] = corrections
    if corrections:
        app.state.writer = connect(db, create=False)
        app.include_router(correction_router())

    @app.middleware("http")
    async def drop_empty_form_fields(request: Request, call_next):
        """A filter form sends its empty fields (partner=&since=): they mean "no filter"."""
        if not request.url.path.startswith("/api") and request.scope.get("query_string"):
            pairs = [p for p in parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True) if p[1]]
            request.scope["query_string"] = urlencode(pairs).encode("latin-1")
        return await call_next(request)

    install_error_pages(app, templates)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError):
        return JSONResponse(status_code=503, content={"detail": "database error: " + str(exc).splitlines()[0]})

    return app


@asynccontextmanager
async def _closing_engines(app: FastAPI):
    """At shutdown the app's engines are released (see memo.release): a process that makes and
    drops apps, as tests and benchmarks do, keeps no database connections from them."""
    yield
    for engine in (app.state.engine, getattr(app.state, "writer", None)):
        if engine is not None:
            release(engine)


def wants_html(request: Request) -> bool:
    """A browser asking for a page gets an HTML error; /api and other clients keep JSON."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def install_error_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    def page(request: Request, status: int, messages: list[str]):
        referer = request.headers.get("referer") or ""
        back = referer if urlsplit(referer).netloc == request.headers.get("host") else None
        return templates.TemplateResponse(request, "error.html", {"status": status, "messages": messages,
                                                                  "back": back}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_html(request):
            return page(request, exc.status_code, [str(exc.detail)])
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        if wants_html(request):
            return page(request, 422, [_said(err) for err in exc.errors()])
        return await request_validation_exception_handler(request, exc)


def _said(err: dict) -> str:
    """One validation error as a reader would put it: `since: expected YYYY-MM-DD`, no regular expression."""
    field = str(err.get("loc", ("",))[-1])
    message = "not a valid value" if err.get("type") == "string_pattern_mismatch" else err.get("msg", "invalid")
    return f"{field}: {message}"


def conn(request: Request):
    engine: Engine = request.app.state.engine
    with engine.connect() as connection:
        yield connection


Conn = Annotated[Connection, Depends(conn)]


def exact(**given: str | None) -> Filters:
    """Filters as people type them (日本, AI, 2024) made exact; an unknown value is a 422 naming its
    field and the closest known values (an HTML page for a browser, JSON under /api)."""
    try:
        return Filters.typed(**given)
    except FilterError as exc:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", exc.field), "msg": str(exc),
                                       "input": given.get(exc.field)}]) from None


def event_filters(partner: PartnerQ = None, person: PersonQ = None, topic: TopicQ = None, type: TypeQ = None,
                  since: DateQ = None, until: DateQ = None) -> Filters:
    """The event list's filters of a request, the same for the API and the pages."""
    return exact(partner=partner, person=person, topic=topic, type=type, since=since, until=until)


EventFilters = Annotated[Filters, Depends(event_filters)]


def _partner(code: str) -> str:
    """The ISO code of a partner named in a path (日本, Japan, JP); a blank one is not a page."""
    return found(exact(partner=code).partner, f"partner {code!r}")


def found(value, what: str):
    if value is None:
        raise HTTPException(status_code=404, detail=f"{what} not found")
    return value


def api_router() -> APIRouter:
    api = APIRouter(prefix="/api")

    @api.get("/events", summary="Engagements, newest first, filterable")
    def events(c: Conn, filters: EventFilters, limit: Limit = 50, offset: Offset = 0):
        items = queries.list_records(c, filters, limit=limit + 1, offset=offset)
        return {"items": items[:limit], "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(items) > limit else None,
                "total": queries.count_events(c, filters)}

    @api.get("/events.csv", summary="The filtered engagements as CSV",
             description="The columns of `ties export --format csv`, then " + ", ".join(export.RECORD_COLUMNS) + ".",
             response_class=Response, responses={200: {"content": {"text/csv": {}}}})
    def events_csv(c: Conn, filters: EventFilters):
        ids = queries.event_ids(c, filters)
        out = io.StringIO()
        writer = csv.DictWriter(out, export.FLAT_COLUMNS + export.RECORD_COLUMNS)
        writer.writeheader()  # the same rows as `ties export --format csv`
        writer.writerows(export.flat(record) | export.record_columns(record) for record in queries.export_records(c, ids))
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="ties-events.csv"'})

    @api.get("/events/{event_id}", summary="One engagement: participants, sources, evidence, outcomes")
    def event(c: Conn, event_id: Id):
        return found(queries.event_detail(c, event_id), f"event {event_id}")

    @api.get("/documents/{document_id}", summary="A source document with its clean text")
    def document(c: Conn, document_id: Id):
        return found(queries.document(c, document_id), f"document {document_id}")

    @api.get("/documents/{document_id}/versions/{version}", summary="One version of a document's text (1 is the first)")
    def document_version(c: Conn, document_id: Id, version: Id):
        return found(queries.document_version(c, document_id, version), f"version {version} of document {document_id}")

    @api.get("/search", summary="Full-text search, exact for any string of 2+ characters")
    def search(c: Conn, q: Annotated[str, Query(min_length=1, max_length=200)], since: DateQ = None,
               until: DateQ = None, site: SiteQ = None, limit: Limit = 20, offset: Offset = 0):
        return queries.search_with(c, exact(q=q, since=since, until=until, site=site), limit=limit, offset=offset)

    @api.get("/partners", summary="Per partner country: engagements, first/last date, top topics")
    def partners(c: Conn):
        return queries.partner_table(c)

    @api.get("/partners/{code}", summary="One partner country")
    def partner(c: Conn, code: Annotated[str, Path(pattern=r"^[A-Za-z]{2}$")]):
        return queries.partner(c, code)

    @api.get("/persons/{entity_id}", summary="A person: aliases, offices with terms, engagements")
    def person(c: Conn, entity_id: Id):
        return found(queries.entity(c, entity_id, "person"), f"person {entity_id}")

    @api.get("/organizations/{entity_id}", summary="An organisation: aliases, engagements, documents")
    def organization(c: Conn, entity_id: Id):
        return found(queries.entity(c, entity_id, "organization"), f"organization {entity_id}")

    @api.get("/initiatives", summary="Named agreements, programmes and platforms")
    def initiatives(c: Conn, limit: Limit = 100, offset: Offset = 0):
        return queries.initiatives(c, limit=limit, offset=offset)

    @api.get("/stats", summary="Counts")
    def stats(c: Conn):
        return queries.stats(c)

    @api.get("/graph", summary="Participants as nodes, shared engagements as links")
    def graph(c: Conn, max_nodes: Annotated[int, Query(ge=2, le=300)] = 80):
        return queries.top_participant_graph(c, max_nodes)

    return api


def docs_router(openapi_url: str, title: str) -> APIRouter:
    """/docs (Swagger UI) and /redoc from the vendored assets under static/vendor: no CDN, no web
    fonts, no validator badge, so they work offline. Their policy keeps the browser on this server
    (ReDoc's bundle would fetch its logo from its CDN)."""
    docs = APIRouter(include_in_schema=False)
    vendor = "/static/vendor"
    offline = {"Content-Security-Policy": DOCS_POLICY}

    @docs.get("/docs")
    def swagger() -> HTMLResponse:
        return _with(offline, get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title} — API", swagger_js_url=f"{vendor}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/swagger-ui/favicon-32x32.png", swagger_ui_parameters={"validatorUrl": None}))

    @docs.get("/redoc")
    def redoc() -> HTMLResponse:
        return _with(offline, get_redoc_html(
            openapi_url=openapi_url, title=f"{title} — API", redoc_js_url=f"{vendor}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{vendor}/swagger-ui/favicon-32x32.png", with_google_fonts=False))
    return docs


def paging(request: Request, total: int, limit: int, offset: int, shown: int) -> dict:
    """Where this page sits in the matches, and links to its neighbours keeping every other parameter."""
    def at(start: int) -> str:
        return _link(request, limit=limit, offset=start)
    return {"total": total, "first": offset + 1 if shown else 0, "last": offset + shown,
            "prev": at(max(0, offset - limit)) if offset > 0 else None,
            "next": at(offset + limit) if offset + shown < total else None}


def _link(request: Request, **changes) -> str:
    """This page's URL with some parameters changed (None drops one)."""
    params = {**request.query_params, **changes}
    return request.url.path + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def _flip(sort: str) -> str:
    return "date" if sort == "-date" else "-date"


def facet_links(request: Request, facets: dict, filters: Filters) -> dict:
    """Per facet its values as (label, count, link to the list narrowed to it, selected)."""
    def entry(name: str, value: str, count: int) -> tuple:
        if name == "year":
            chosen = (filters.since or "").startswith(value) and (filters.until or "").startswith(value)
            return value, count, _link(request, since=value, until=value, offset=None), chosen
        label = f"{queries.country_name(value)} {value}" if name == "partner" else value
        chosen = getattr(filters, name) == value
        return label, count, _link(request, **{name: value, "offset": None}), chosen
    return {name: [entry(name, v, n) for v, n in pairs] for name, pairs in facets.items()}


def _exports(filters: Filters) -> dict:
    """The API's CSV and JSON of the list as filtered: exactly its event filters, as exact values."""
    params = filters.events().params()
    return {"csv": "/api/events.csv?" + urlencode(params), "json": "/api/events?" + urlencode({**params, "limit": 500})}


def _with(headers: dict, response: HTMLResponse) -> HTMLResponse:
    response.headers.update(headers)
    return response


def page_router(templates: Jinja2Templates) -> APIRouter:
    pages = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

    def render(request: Request, name: str, **context):
        return templates.TemplateResponse(request, name, context)

    @pages.get("/")
    def home(request: Request, c: Conn, filters: EventFilters, q: Annotated[str | None, Query(max_length=200)] = None,
             site: SiteQ = None, limit: Limit = 50, offset: Offset = 0, sort: Literal["date", "-date"] = "-date"):
        """With q a search page (documents, paged); without, the filtered engagement list (paged)."""
        filters = replace(filters, **exact(q=q, site=site).params())
        context = dict(q=filters.q or "", topics=TOPICS, types=EVENT_TYPES, filters=filters, site=filters.site or "",
                       stats=queries.stats(c), exports=_exports(filters), partner_codes=queries.partner_codes(c))
        if filters.q:
            total, hits = search(c, filters.q, limit=limit, offset=offset, **filters.within())
            facets = facet_links(request, queries.search_facets(c, filters), filters)
            return render(request, "index.html", total=total, hits=hits, facets=facets,
                          page=paging(request, min(total, COUNT_CAP), limit, offset, len(hits)), **context)
        rows = queries.list_records(c, filters, limit=limit, offset=offset, oldest_first=sort == "date")
        return render(request, "index.html", events=rows, sort=sort, resort=_link(request, sort=_flip(sort), offset=0),
                      facets=facet_links(request, queries.event_facets(c, filters), filters),
                      page=paging(request, queries.count_events(c, filters), limit, offset, len(rows)),
                      timeline=charts.timeline_svg(queries.timeline(c, filters)), **context)

    @pages.get("/events/{event_id}")
    def event(request: Request, c: Conn, event_id: Id):
        detail = found(queries.event_detail(c, event_id), f"event {event_id}")
        return render(request, "event.html", event=detail)

    @pages.get("/documents/{document_id}")
    def document(request: Request, c: Conn, document_id: Id,
                 event: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
                 version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None):
        doc = found(queries.document(c, document_id), f"document {document_id}")
        if version and version < len(doc["versions"]):  # an earlier text: shown as it was, no evidence marks
            earlier = found(queries.document_version(c, document_id, version), f"version {version}")
            return render(request, "document.html", doc=doc, pieces=[(earlier["text"], False)], event_id=None,
                          shown=earlier, changes=queries.changes(earlier["text"], doc["text"]))
        marks = [(e["evidence_start"], e["evidence_end"]) for e in doc["events"] if event is None or e["event_id"] == event]
        return render(request, "document.html", doc=doc, pieces=_highlight(doc["text"], marks), event_id=event,
                      shown=None, changes=[])

    @pages.get("/partners")
    def partners(request: Request, c: Conn):
        rows = queries.partner_table(c)
        return render(request, "partners.html", partners=rows,
                      map=charts.world_map_svg({p["country"]: p["engagements"] for p in rows}))

    @pages.get("/partners/{code}")
    def partner(request: Request, c: Conn, code: str):
        if not (len(code) == 2 and code.isascii() and code.isalpha()):  # 日本, Japan, 臺日: the page of its code
            return RedirectResponse(f"/partners/{_partner(code)}", status_code=307)
        info = queries.partner_page(c, code, rows=PAGE_ROWS)  # the rest of its events: the list, filtered
        return render(request, "partner.html", partner=info, timeline=charts.timeline_svg(info["timeline"]))

    @pages.get("/partners/{code}/brief")
    def partner_brief(request: Request, c: Conn, code: str, since: DateQ = None, until: DateQ = None,
                      format: Literal["html", "md"] = "html"):
        """A dated brief of one partner's engagements with footnoted sources, as HTML or Markdown."""
        brief = queries.partner_brief(c, replace(exact(since=since, until=until), partner=_partner(code)))
        if format == "md":
            return Response(brief_markdown(brief), media_type="text/markdown; charset=utf-8")
        return render(request, "brief.html", brief=brief, markdown=_link(request, format="md"))

    @pages.get("/persons/{entity_id}")
    def person(request: Request, c: Conn, entity_id: Id):
        return entity_page(request, c, entity_id, "person")

    @pages.get("/organizations/{entity_id}")
    def organization(request: Request, c: Conn, entity_id: Id):
        return entity_page(request, c, entity_id, "organization")

    def entity_page(request: Request, c: Connection, entity_id: int, kind: str):
        entity = found(queries.entity_page(c, entity_id, kind, rows=PAGE_ROWS), f"{kind} {entity_id}")
        return render(request, "entity.html", entity=entity)

    @pages.get("/graph")
    def graph(request: Request, c: Conn):
        return render(request, "graph.html", graph=charts.graph_svg(queries.top_participant_graph(c, 60)))

    return pages


def correction_router() -> APIRouter:
    """POST /events/{id}/merge (other=EVENT) and /events/{id}/split (document=ID), then back to the
    event page. A form from another site is refused (its Origin is not this server)."""
    router = APIRouter(include_in_schema=False)

    @router.post("/events/{event_id}/{action}")
    async def correct(request: Request, event_id: Id, action: Literal["merge", "split"]):
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(status_code=403, detail="cross-site form refused")
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        field = "other" if action == "merge" else "document"
        try:
            value = int(form.get(field, ""))
            if not 0 <= value <= MAX_ID:
                raise ValueError
        except ValueError:
            raise HTTPException(status_code=422, detail=f"{field} must be a number") from None
        try:
            with writing(request.app.state.writer) as c:
                if action == "merge":
                    event_id = store_corrections.merge_events(c, event_id, value) or event_id
                else:
                    store_corrections.split_document(c, event_id, value)
        except TiesError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        return RedirectResponse(f"/events/{event_id}", status_code=303)
    return router


def web_url(url: str | None) -> str | None:
    """Only http(s) URLs become links: a document's `javascript:` or `data:` URL stays text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _highlight(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, highlighted) for the template to escape."""
    pieces, at = [], 0
    for start, end in sorted(set(marks)):
        if start < at:
            start = at
        if start >= end:
            continue
        pieces += [(text[at:start], False), (text[start:end], True)]
        at = end
    pieces.append((text[at:], False))
    return [p for p in pieces if p[0]]
