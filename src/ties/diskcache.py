"""What takes long to build and depends only on files (the checked knowledge, the gazetteer), kept
on disk between processes under a key of the package version and those files' bytes, so every
command and every worker starts without parsing YAML or building automata again. A changed file
changes the key; a damaged cache is rebuilt; TIES_NO_CACHE=1 skips the cache."""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from . import __version__

T = TypeVar("T")


def cached(label: str, sources: Iterable, build: Callable[[], T]) -> T:
    """BUILD's result, from the cache when SOURCES (files: Path or importlib Traversable) are unchanged."""
    path = _path(label, sources)
    if path and path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a stale or damaged cache is rebuilt
            pass
    built = build()
    if path:
        _write(path, built)
    return built


def _path(label: str, sources: Iterable) -> Path | None:
    if os.environ.get("TIES_NO_CACHE"):
        return None
    digest = hashlib.sha256(__version__.encode())
    for source in sources:  # raw bytes: hashing is cheap, parsing is not
        digest.update(source.read_bytes())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "ties" / f"{label}-{digest.hexdigest()[:16]}.pickle"


def _write(path: Path, built) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # workers starting together write apart
        tmp.write_bytes(pickle.dumps(built))
        tmp.replace(path)
    except OSError:  # a read-only home: build each time
        pass
