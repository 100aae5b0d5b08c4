"""`ties extract --format parquet -o DIR`: the dataset written here (jobs as for any extract) or
on a Dask cluster (--dask ADDRESS); the same rows either way."""
from __future__ import annotations

from collections.abc import Callable

from ..errors import TiesError
from ..pipeline import process
from .cluster import batches, connect, run
from .dataset import Writer
from .inputs import WEB_SCHEMES, list_inputs, local_sources
from .rows import to_row, to_table

DEFAULT_BATCH = 100


def extract_dataset(paths: list[str], output: str, *, dask: str | None, batch: int, fast: bool, jobs: int,
                    max_mb: float, timeout: float | None, debug: bool, web=None,
                    report: Callable[[object], None] = lambda table: None) -> dict:
    """Write the dataset; its counts ({"documents", "failed", "parts"}). report(table) sees each
    part as it is written (for the per-document lines on standard error)."""
    if dask:
        _refuse_local_only(paths)
        client = connect(dask)  # before the writer: an unreachable scheduler leaves no folder behind
    writer = Writer(output, inputs=paths, fast=fast)

    def write(index: int, table) -> None:
        writer.write(index, table)
        report(table)

    try:
        if dask:
            run(client, list_inputs(paths), batch, write, fast, max_mb, timeout)
        else:
            results = process(local_sources(paths, max_mb, web), jobs=jobs, debug=debug, fast=fast, timeout=timeout)
            for index, rows in enumerate(batches((to_row(*r) for r in results), batch)):
                write(index, to_table(rows))
    finally:
        if dask:
            client.close()
    writer.close()
    return {**writer.counts, "parts": writer.parts}


def _refuse_local_only(paths: list[str]) -> None:
    for path in paths:
        if path == "-" or path.lower().startswith(WEB_SCHEMES):
            raise TiesError(f"{path}: --dask reads files, folders and fsspec URLs (s3://, gs://); "
                            "extract standard input and web pages without --dask")
