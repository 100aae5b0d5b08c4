"""URLs as sources: a page is one source; a feed or sitemap is expanded to its items, each
fetched in turn. With a database, validators (ETag / Last-Modified) make re-polling cheap and
items already stored are skipped by URL."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

from ..decode import binary_kind
from ..errors import InputError
from ..model import Document
from ..sitemeta import site_from_url
from ..sources import Source
from .feeds import Item, feed_kind, items
from .http import Fetcher, FetchOptions, Response

MAX_SITEMAP_DEPTH = 2


@dataclass
class WebSource(Source):
    url: str | None = None  # final URL after redirects
    encoding: str | None = None  # the charset the server declared, when the bytes were transcoded by it
    item_title: str | None = None  # from the feed: fallbacks for the page's own
    item_published: str | None = None

    def complete(self, doc: Document) -> None:
        """The document's url and site are the final URL's; the feed item fills what the page lacks."""
        if self.url:
            doc.url, doc.site = self.url, site_from_url(self.url) or doc.site
        doc.title = doc.title or self.item_title
        doc.published = doc.published or self.item_published
        if self.encoding:
            doc.encoding = self.encoding


class State(Protocol):
    """What a database offers (ties.store.feeds.FetchState); `ties extract` has none."""

    def validators(self, url: str) -> tuple[str | None, str | None]: ...
    def is_stored(self, url: str) -> bool: ...
    def fetched(self, url: str, response: Response | None, error: str | None = None,
                new_items: int | None = None) -> None: ...


@dataclass
class WebContext:
    fetcher: Fetcher
    state: State | None = None
    log: Callable[[str], None] = field(default=lambda line: print("ties: " + line, file=sys.stderr))


def url_sources(url: str, web: WebContext) -> Iterator[Source]:
    try:
        response = _get(web, url)
    except InputError as exc:
        if web.state:
            web.state.fetched(url, None, error=str(exc))
        yield Source(url, error=str(exc))
        return
    if response.status == 304:
        web.log(f"{url}: not modified since the last fetch")
        if web.state:
            web.state.fetched(url, response, new_items=0)
        return
    kind = feed_kind(response.content, response.content_type)
    if kind is None:
        yield _page_source(url, response)
        if web.state:
            web.state.fetched(url, response)
        return
    yield from _expand(url, response, kind, web, depth=0)


def _expand(url: str, response: Response, kind: str, web: WebContext, depth: int) -> Iterator[Source]:
    found = items(response.content, response.url, kind)
    stored = [i for i in found if web.state and web.state.is_stored(i.url)]
    web.log(f"{url}: {kind} of {len(found)} items, {len(stored)} already stored")
    new = failed = 0
    for item in found:
        if item in stored:
            continue
        if item.is_sitemap:
            if depth < MAX_SITEMAP_DEPTH:
                yield from _nested_sitemap(item.url, web, depth + 1)
            continue
        source = _item_source(item, web)
        if source is not None:
            new += 1
            failed += source.error is not None
            yield source
    if web.state:  # with a failed item, keep no validators, so the next poll retries it
        web.state.fetched(url, response if not failed else None, new_items=new,
                          error=f"{failed} items failed" if failed else None)


def _nested_sitemap(url: str, web: WebContext, depth: int) -> Iterator[Source]:
    try:
        response = _get(web, url)
    except InputError as exc:
        yield Source(url, error=str(exc))
        return
    if response.status == 200:
        yield from _expand(url, response, "sitemap", web, depth)


def _item_source(item: Item, web: WebContext) -> Source | None:
    try:
        response = _get(web, item.url)
    except InputError as exc:
        return Source(item.url, error=str(exc))
    if response.status == 304:
        return None
    if web.state:
        web.state.fetched(item.url, response)
    source = _page_source(item.url, response)
    source.item_title, source.item_published = item.title, item.published
    return source


def _get(web: WebContext, url: str) -> Response:
    etag, modified = web.state.validators(url) if web.state else (None, None)
    return web.fetcher.get(url, etag, modified)


def _page_source(url: str, response: Response) -> WebSource:
    data, encoding = _transcoded(response)
    return WebSource(url, data=data, url=response.url, encoding=encoding)


def _transcoded(response: Response) -> tuple[bytes, str | None]:
    """Bytes that are not UTF-8 but decode cleanly in the charset the server declared are
    re-encoded as UTF-8; otherwise the document's own signals decide, as for files."""
    data, charset = response.content, response.charset
    if not charset or binary_kind(data):
        return data, None
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(charset).encode("utf-8"), charset
    except (LookupError, UnicodeDecodeError):
        return data, None


_default: WebContext | None = None


def default_context(max_mb: float) -> WebContext:
    """For callers that pass no context: one polite fetcher for the process, no database."""
    global _default
    if _default is None or _default.fetcher.options.max_mb != max_mb:
        _default = WebContext(Fetcher(FetchOptions(max_mb=max_mb)))
    return _default


def web_context(options: FetchOptions, engine=None) -> WebContext:
    """A context for one command; with a database engine, validators and stored URLs are used."""
    if engine is None:
        return WebContext(Fetcher(options), None)
    from ..store.feeds import FetchState  # with a database only (SQLAlchemy)

    return WebContext(Fetcher(options), FetchState(engine))
