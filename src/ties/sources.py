"""Where documents come from: files, folders (recursive), standard input (`-`) and http(s) URLs
(pages, feeds, sitemaps: ties.fetch)."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import errors
from .errors import InputError

# Under a folder only these are read; a file named on the command line is read whatever its name.
DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".odt"}
DEFAULT_MAX_MB = 20.0


@dataclass
class Source:
    path: str  # as given on the command line or found under a folder
    data: bytes | None = None
    error: str | None = None


def iter_sources(paths: list[str], max_mb: float = DEFAULT_MAX_MB, web=None) -> Iterator[Source]:
    """`web` is a ties.fetch.sources.WebContext (fetch options, database state) for URLs."""
    for given in paths:
        if given.lower().startswith(("http://", "https://")):
            from .fetch.sources import default_context, url_sources

            yield from url_sources(given, web or default_context(max_mb))
            continue
        if given == "-":
            yield _from_stdin(max_mb)
            continue
        path = Path(given)
        if path.is_dir():
            for found in _walk(path):
                yield _load(str(found), max_mb)
        else:
            yield _load(given, max_mb)


def _walk(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if not name.startswith(".") and p.suffix.lower() in DOCUMENT_SUFFIXES:
                found.append(p)
    return found


def _load(path: str, max_mb: float) -> Source:
    p = Path(path)
    try:
        if not p.exists():
            return Source(path, error=errors.NOT_FOUND)
        size = p.stat().st_size
        if size > max_mb * 1_000_000:
            return Source(path, error=errors.TOO_LARGE.format(size_mb=size / 1e6, limit_mb=max_mb))
        return Source(path, data=p.read_bytes())
    except OSError as exc:
        return Source(path, error=errors.UNREADABLE.format(reason=exc.strerror or exc))


def _from_stdin(max_mb: float) -> Source:
    data = sys.stdin.buffer.read(int(max_mb * 1_000_000) + 1)
    if len(data) > max_mb * 1_000_000:
        return Source("-", error=errors.TOO_LARGE.format(size_mb=len(data) / 1e6, limit_mb=max_mb))
    return Source("-", data=data)


def require_readable(source: Source) -> bytes:
    if source.error is not None or source.data is None:
        raise InputError(source.error or errors.EMPTY)
    return source.data
