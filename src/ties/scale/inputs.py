"""Inputs of a scale-out run. The client lists them (a folder is walked as `ties extract` walks
it, in the same order); each worker reads its own, so every path must be readable where the
workers run: a shared filesystem, or an fsspec URL (s3://, gs://, … with its driver installed).
A relative local path is resolved on the client; the record keeps it as given."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from .. import errors
from ..sources import DOCUMENT_SUFFIXES, Source, _walk, iter_sources

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
WEB_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Input:
    path: str  # as given on the command line or found under the folder: the record's path
    location: str  # where a worker reads it: an absolute path or an fsspec URL
    error: str | None = None  # found unusable while listing (a link leaving the folder, …)


def has_scheme(path: str) -> bool:
    return bool(_SCHEME.match(path))


def is_fsspec_url(path: str) -> bool:
    """A URL read through fsspec (s3://, gs://, memory://, file://); http(s) stays with ties.fetch."""
    return has_scheme(path) and not path.lower().startswith(WEB_SCHEMES)


def list_inputs(paths: list[str]) -> Iterator[Input]:
    for given in paths:
        if is_fsspec_url(given):
            yield from _list_url(given)
        elif Path(given).is_dir():
            for found, error in _walk(Path(given)):
                yield Input(str(found), os.path.abspath(found), error)
        else:
            yield Input(given, os.path.abspath(given))


def _list_url(url: str) -> Iterator[Input]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if not fs.isdir(root):
        yield Input(url, url)
        return
    for found in sorted(fs.find(root)):
        relative = PurePosixPath(found).relative_to(root.rstrip("/") or "/")
        if any(part.startswith(".") for part in relative.parts) or relative.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        yield Input(fs.unstrip_protocol(found), fs.unstrip_protocol(found))


def load(item: Input, max_mb: float) -> Source:
    """The Source of one input, read where this runs; never raises for a bad input."""
    if item.error:
        return Source(item.path, error=item.error)
    if is_fsspec_url(item.location):
        source = _load_url(item.location, max_mb)
    else:
        source = next(iter_sources([item.location], max_mb=max_mb))
    source.path = item.path
    return source


def _load_url(url: str, max_mb: float) -> Source:
    import fsspec

    limit = int(max_mb * 1_000_000)
    try:
        with fsspec.open(url, "rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        return Source(url, error=errors.NOT_FOUND)
    except Exception as exc:  # any driver's error (permissions, network, a missing driver)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Source(url, error=errors.UNREADABLE.format(reason=reason))
    if len(data) > limit:
        return Source(url, error=errors.TOO_LARGE_READ.format(limit_mb=max_mb))
    return Source(url, data=data)


def local_sources(paths: list[str], max_mb: float, web=None) -> Iterator[Source]:
    """Sources for a run in this process: as iter_sources, fsspec URLs included."""
    for given in paths:
        if is_fsspec_url(given):
            yield from (load(item, max_mb) for item in list_inputs([given]))
        else:
            yield from iter_sources([given], max_mb=max_mb, web=web)
