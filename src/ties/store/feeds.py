"""Web fetching state in the database: validators for conditional GET, the outcome of each poll,
and whether a URL is already stored. Validators are written by commit(), after the batch that
used them is stored, so an interrupted ingest never marks unstored items as seen."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, or_, select, update

from .db import retrying, writing
from .schema import documents, fetch_state


class FetchState:
    def __init__(self, engine):
        self.engine = engine
        self._pending: dict[str, dict] = {}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        with self.engine.connect() as conn:
            row = conn.execute(select(fetch_state.c.etag, fetch_state.c.last_modified)
                               .where(fetch_state.c.url == url)).first()
        return (row.etag, row.last_modified) if row else (None, None)

    def is_stored(self, url: str) -> bool:
        """Stored under this URL: as its final URL, or as the URL it was fetched by (a redirect)."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(
                or_(documents.c.source_key == url, documents.c.url == url, documents.c.path == url))
                .limit(1)).first() is not None

    def fetched(self, url: str, response, error: str | None = None, new_items: int | None = None) -> None:
        """Remember the outcome; response None (a failure) keeps no validators."""
        status = "failed" if error else "unchanged" if response is not None and response.status == 304 \
            or new_items == 0 else "new"
        headers = response.headers if response is not None else {}
        self._pending[url] = dict(etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                                  last_status=status, new_items=new_items, last_error=error)

    def commit(self) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        retrying(lambda: self._write(now))
        self._pending.clear()

    def _write(self, now: str) -> None:
        """Read and update in one writer transaction, so a concurrent ingest cannot interleave."""
        with writing(self.engine) as conn:
            for url, values in self._pending.items():
                old = conn.execute(select(fetch_state).where(fetch_state.c.url == url)).first()
                values = dict(values, checked_at=now)
                if values["last_status"] == "failed":
                    values["failures"] = (old.failures if old else 0) + 1
                else:
                    values["failures"] = 0
                if old is not None and values["last_status"] == "unchanged" and not values["etag"]:
                    values["etag"], values["last_modified"] = old.etag, old.last_modified  # a 304 may omit them
                if old is None:
                    conn.execute(insert(fetch_state).values(url=url, **values))
                else:
                    conn.execute(update(fetch_state).where(fetch_state.c.url == url).values(**values))

    def feed_row(self, url: str):
        with self.engine.connect() as conn:
            return conn.execute(select(fetch_state).where(fetch_state.c.url == url)).first()
