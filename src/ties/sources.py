"""Where documents come from: files, folders (recursive), standard input (`-`) and http(s) URLs
(pages, feeds, sitemaps: ties.fetch).

Sources are yielded one at a time, so a batch reads, extracts and stores as it goes. Nothing here
can hang or exhaust memory: only regular files are read (a FIFO, socket or device is reported),
the byte cap is applied while reading (a device reports size 0), and under a folder symbolic
links are followed only when they lead inside it, each folder once (loops are reported).
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import errors
from .errors import InputError

# Under a folder only these are read; a file named on the command line is read whatever its name.
DOCUMENT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx", ".odt"}
DEFAULT_MAX_MB = 20.0
_CHUNK = 1 << 20


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
            for found, error in _walk(path):
                yield Source(str(found), error=error) if error else _load(str(found), max_mb)
        else:
            yield _load(given, max_mb)


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each document file under folder, in name order; (path, reason) for a
    symbolic link that leaves the folder or loops back into a folder already walked."""
    root = os.path.realpath(folder)
    seen = {root}
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            yield here, errors.UNREADABLE.format(reason=exc.strerror or exc)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            is_document = Path(entry.name).suffix.lower() in DOCUMENT_SUFFIXES
            if entry.is_symlink() and (is_document or _is_dir(entry)):
                target = os.path.realpath(path)
                if not _inside(target, root):
                    yield path, errors.LINK_OUTSIDE
                    continue
            if _is_dir(entry):
                target = os.path.realpath(path)
                if target in seen:
                    yield path, errors.LINK_LOOP
                else:
                    seen.add(target)
                    subfolders.append(path)
            elif is_document:
                yield path, None
        pending.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _load(path: str, max_mb: float) -> Source:
    """The file's bytes, read with the cap; never blocks on a FIFO nor reads a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return Source(path, error=errors.NOT_FOUND)
    except OSError as exc:
        return Source(path, error=errors.UNREADABLE.format(reason=exc.strerror or exc))
    try:
        info = os.fstat(fd)
        if kind := _special_kind(info.st_mode):
            return Source(path, error=errors.NOT_REGULAR.format(kind=kind))
        if info.st_size > max_mb * 1_000_000:
            return Source(path, error=errors.TOO_LARGE.format(size_mb=info.st_size / 1e6, limit_mb=max_mb))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return _capped(path, stream, max_mb)
    except OSError as exc:
        return Source(path, error=errors.UNREADABLE.format(reason=exc.strerror or exc))
    finally:
        os.close(fd)


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a regular file"


def _capped(path: str, stream, max_mb: float) -> Source:
    """Read at most the cap plus one byte: going over it is the error, whatever stat said."""
    limit = int(max_mb * 1_000_000)
    data = bytearray()
    while len(data) <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    if len(data) > limit:
        return Source(path, error=errors.TOO_LARGE_READ.format(limit_mb=max_mb))
    return Source(path, data=bytes(data))


def _from_stdin(max_mb: float) -> Source:
    data = sys.stdin.buffer.read(int(max_mb * 1_000_000) + 1)
    if len(data) > max_mb * 1_000_000:
        return Source("-", error=errors.TOO_LARGE.format(size_mb=len(data) / 1e6, limit_mb=max_mb))
    return Source("-", data=data)


def require_readable(source: Source) -> bytes:
    if source.error is not None or source.data is None:
        raise InputError(source.error or errors.EMPTY)
    return source.data
