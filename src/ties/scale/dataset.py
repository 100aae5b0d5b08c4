"""A Parquet dataset of extracted documents, in a folder or at any fsspec URL:

    DIR/_ties_dataset.json   the marker: what wrote it, from which inputs, whether it is complete
    DIR/part-000000.parquet  one part per batch, numbered in input order (rows in order inside)

`ties ingest DIR` recognises the marker and stores the rows without extracting again, in input
order, so the database is the one a local ingest of the same inputs makes. pyarrow.dataset reads
the folder as one table (files starting with _ are not data)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Iterator

from .. import __version__
from ..errors import TiesError
from .inputs import has_scheme, is_fsspec_url

MARKER = "_ties_dataset.json"
KIND = "ties-extract-dataset"
READ_ROWS = 256  # rows decoded at a time when reading back: memory stays flat on any size


def filesystem(url: str):
    """(fsspec filesystem, path inside it) of a folder or URL."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # no driver installed for the scheme, a malformed URL
        raise TiesError(f"{url}: {(str(exc).splitlines() or [type(exc).__name__])[0]}") from None


@dataclass
class Writer:
    """Writes parts as they come (in any order) and the marker, first incomplete, then final."""

    url: str
    inputs: list[str]
    fast: bool
    parts: int = 0
    counts: dict = field(default_factory=lambda: {"documents": 0, "failed": 0})

    def __post_init__(self):
        self.fs, self.root = filesystem(self.url)
        if self.fs.exists(self.root) and self.fs.ls(self.root):
            raise TiesError(f"{self.url} is not empty: write the dataset to a new folder")
        self.fs.makedirs(self.root, exist_ok=True)
        self._marker(complete=False)

    def write(self, index: int, table) -> None:
        import pyarrow.parquet as pq

        name = f"part-{index:06d}.parquet"
        try:
            with self.fs.open(self._join(name), "wb") as out:
                pq.write_table(table, out, compression="zstd")
        except OSError as exc:  # disk full, permissions, the bucket gone: stop, keep the parts written
            raise TiesError(f"{self.url}: cannot write {name}: {exc.strerror or exc}") from None
        self.parts += 1
        self.counts["documents"] += table.num_rows
        self.counts["failed"] += table.num_rows - table.column("error").null_count

    def close(self) -> None:
        self._marker(complete=True)

    def _marker(self, complete: bool) -> None:
        marker = {"kind": KIND, "version": 1, "ties": __version__, "fast": self.fast, "complete": complete,
                  "cwd": os.getcwd(), "inputs": self.inputs, "parts": self.parts, **self.counts}
        with self.fs.open(self._join(MARKER), "w", encoding="utf-8") as out:
            json.dump(marker, out, ensure_ascii=False, indent=1)

    def _join(self, name: str) -> str:
        return self.root.rstrip("/") + "/" + name


def marker(url: str) -> dict | None:
    """The marker of the dataset at url, or None when url is not one."""
    if not (is_fsspec_url(url) or os.path.isdir(url)):
        return None
    fs, root = filesystem(url)
    path = root.rstrip("/") + "/" + MARKER
    try:
        with fs.open(path, "r", encoding="utf-8") as stream:
            found = json.load(stream)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("kind") == KIND else None


def read_results(url: str, warn=lambda line: None) -> Iterator[tuple]:
    """(Document or ReadFailure, Extraction or None) for each row, in input order."""
    import pyarrow.parquet as pq

    from .rows import from_row

    found = marker(url)
    if found is None:
        raise TiesError(f"{url}: not a ties dataset (no {MARKER})")
    if not found.get("complete"):
        warn(f"{url}: the run that wrote it did not finish: storing the parts it wrote")
    if found.get("ties") != __version__:
        warn(f"{url}: extracted by ties {found.get('ties')}, stored by ties {__version__}")
    base = found.get("cwd")
    fs, root = filesystem(url)
    for part in sorted((p for p in fs.ls(root, detail=False) if _part_number(p) is not None), key=_part_number):
        with fs.open(part, "rb") as stream:
            for batch in pq.ParquetFile(stream).iter_batches(batch_size=READ_ROWS):
                for row in batch.to_pylist():
                    row["path"] = _resolved(row["path"], base)
                    yield from_row(row)


def _part_number(path: str) -> int | None:
    """The batch number of a part file (numbers may outgrow their zero padding), else None."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    number = name.removeprefix("part-").removesuffix(".parquet")
    return int(number) if name != number and number.isdigit() else None


def _resolved(path: str, base: str | None) -> str:
    """A relative path as it was given, resolved against the folder the extract ran in when
    this ingest runs elsewhere (the store keys local files by absolute path)."""
    if not base or has_scheme(path) or path == "-" or os.path.isabs(path) or os.getcwd() == base:
        return path
    return os.path.join(base, path)

