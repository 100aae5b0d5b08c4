"""`ties watch`: poll feeds on an interval and ingest what is new, one line per poll.

A stop request (Ctrl-C, SIGTERM) is honoured between documents and during the wait, never in
the middle of a database write; the feed state is in the database, so a restart resumes."""
from __future__ import annotations

import datetime as dt
import re
import signal
import threading
from typing import Callable

from .errors import TiesError
from .fetch.http import FetchOptions
from .fetch.sources import url_sources, web_context
from .model import ReadFailure
from .pipeline import process
from .store.ingest import store_document

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m', '1h', '30s', '2d' or plain seconds."""
    m = _INTERVAL.match(text.lower())
    if not m or float(m.group(1)) <= 0:
        raise TiesError(f"not an interval: {text!r} (say 30s, 15m, 1h or 1d)")
    return float(m.group(1)) * _UNIT[m.group(2)]


class Stopper:
    """Turns SIGINT/SIGTERM into a flag checked between writes (handlers restored on exit)."""

    def __init__(self):
        self.event = threading.Event()
        self._old = {}

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, lambda *_: self.event.set())
        return self

    def __exit__(self, *exc):
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


def poll(engine, feed: str, options: FetchOptions, fast: bool, stopper: Stopper, log: Callable[[str], None]) -> dict:
    """Fetch one feed and store its new items; the counts of this poll."""
    notes: list[str] = []
    web = web_context(options, engine)
    web.log = notes.append
    counts = {"new": 0, "unchanged": 0, "failed": 0}
    try:
        for result, found in process(url_sources(feed, web), fast=fast):
            if isinstance(result, ReadFailure):
                counts["failed"] += 1
                log(f"{result.path}: {result.error}")
            else:
                warn = lambda note, path=result.path: log(f"{path}: warning: {note}")  # noqa: E731
                counts["unchanged" if store_document(engine, result, found, warn=warn) == "unchanged" else "new"] += 1
            if stopper.stopped:
                return counts  # state not committed: the next run fetches the rest
        web.state.commit()
    finally:
        web.fetcher.close()
    counts["not_modified"] = any("not modified" in note for note in notes)
    return counts


def poll_line(feed: str, counts: dict) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if counts.get("not_modified"):
        return f"{stamp} {feed}: unchanged"
    return f"{stamp} {feed}: new {counts['new']}, unchanged {counts['unchanged']}, failed {counts['failed']}"


def watch(engine, feeds: list[str], every: float, once: bool, options: FetchOptions, fast: bool,
          log: Callable[[str], None]) -> int:
    """Poll until stopped (or once); the number of polls that failed entirely."""
    failures = 0
    with Stopper() as stopper:
        while True:
            for feed in feeds:
                if stopper.stopped:
                    break
                try:
                    counts = poll(engine, feed, options, fast, stopper, log)
                except TiesError as exc:
                    counts = {"new": 0, "unchanged": 0, "failed": 1}
                    log(f"{feed}: {exc}")
                failures += counts["failed"] > 0 and counts["new"] == 0
                log(poll_line(feed, counts))
            if once or stopper.event.wait(every):
                break
    if stopper.stopped:
        log("stopped")
    return failures
