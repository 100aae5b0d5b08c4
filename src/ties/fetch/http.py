"""One polite HTTP client: an honest User-Agent, timeouts, redirects, a size cap, retries with
backoff on 429/5xx, robots.txt (cached per host) and a delay between requests to one host."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from protego import Protego

from .. import __version__
from ..errors import InputError

USER_AGENT = f"ties/{__version__} (+https://pypi.org/project/ties/; news research crawler)"
ROBOTS_AGENT = "ties"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


@dataclass
class FetchOptions:
    max_mb: float = 20.0
    timeout: float = 20.0
    delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay if longer)
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long, doubling each time
    ignore_robots: bool = False


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int  # 200, or 304 for a conditional GET that found nothing new
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"\'').lower()
        return None


class Fetcher:
    """Reuse one Fetcher for a batch: it keeps the connection pool, robots.txt and host timings."""

    def __init__(self, options: FetchOptions | None = None, sleep=time.sleep):
        self.options = options or FetchOptions()
        self._sleep = sleep
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}
        self._http = None  # made on the first fetch: most commands read only files

    @property
    def _client(self):
        if self._http is None:
            import httpx  # here, not at the top: every command imports this module, few fetch

            # its TLS context loads the system's certificates: about 0.1 s
            self._http = httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True,
                                      timeout=self.options.timeout, max_redirects=10)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """The page, or status 304 when the validators match; raise InputError with one line."""
        self._check_robots(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.options.retries + 1):
            response = self._once(url, headers)
            if response.status not in RETRY_STATUSES:
                break
            if attempt < self.options.retries:
                self._sleep(self._retry_wait(response, attempt))
        if response.status in (200, 304):
            return response
        raise InputError(f"HTTP {response.status}" + (" after retries" if response.status in RETRY_STATUSES else ""))

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        import httpx  # (imported by __init__ already: a lookup)

        self._wait_for_host(url)
        limit = int(self.options.max_mb * 1_000_000)
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                self._check_size(r.headers.get("content-length"), limit)
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    self._check_size(len(body), limit)
                return Response(str(r.url), r.status_code, bytes(body), {k.lower(): v for k, v in r.headers.items()})
        except httpx.TimeoutException as exc:
            raise InputError(f"timed out after {self.options.timeout:g} s") from exc
        except httpx.TooManyRedirects as exc:
            raise InputError("too many redirects") from exc
        except httpx.HTTPError as exc:
            raise InputError(f"cannot fetch: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
        finally:
            self._last[_host(url)] = time.monotonic()

    def _check_size(self, size, limit: int) -> None:
        if size is not None and str(size).isdigit() and int(size) > limit:
            raise InputError(f"response is over the {self.options.max_mb:g} MB limit (raise it with --max-mb)")

    def _retry_wait(self, response: Response, attempt: int) -> float:
        """Retry-After (seconds or a date) when the server gives it, else exponential backoff."""
        after = response.headers.get("retry-after", "")
        if after.isdigit():
            return min(float(after), MAX_RETRY_AFTER)
        if after:
            try:
                return min(max(0.0, parsedate_to_datetime(after).timestamp() - time.time()), MAX_RETRY_AFTER)
            except (TypeError, ValueError):
                pass
        return self.options.backoff * 2 ** attempt

    def _wait_for_host(self, url: str) -> None:
        host = _host(url)
        robots = self._robots.get(host)
        delay = max(self.options.delay, (robots.crawl_delay(ROBOTS_AGENT) or 0) if robots else 0)
        if host in self._last:
            wait = self._last[host] + delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)

    def _check_robots(self, url: str) -> None:
        if self.options.ignore_robots:
            return
        host = _host(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(url)
        robots = self._robots[host]
        if robots is not None and not robots.can_fetch(url, ROBOTS_AGENT):
            raise InputError("robots.txt forbids fetching this URL (override with --ignore-robots)")

    def _load_robots(self, url: str) -> Protego | None:
        """None (everything allowed) when the site has no robots.txt or it cannot be fetched."""
        parts = urlsplit(url)
        try:
            r = self._once(f"{parts.scheme}://{parts.netloc}/robots.txt", {})
        except InputError:
            return None
        if r.status != 200:
            return None
        return Protego.parse(r.content.decode("utf-8", errors="replace"))


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def is_url(given: str) -> bool:
    return given.lower().startswith(("http://", "https://"))
