"""Extraction on a Dask cluster (dask.distributed): the client lists the inputs and cuts them
into batches; each task reads and extracts one batch where it runs and returns its rows as an
Arrow table; the client writes each table as one part of the dataset as it comes back. Only a
few batches per worker thread are in flight, so memory stays flat on any corpus."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .. import __version__
from ..errors import TiesError
from ..model import ReadFailure
from ..pipeline import failure_record, read_and_extract, stage_error
from .inputs import Input, load
from .rows import to_row, to_table

CONNECT_TIMEOUT = "10s"
# The model's on/off switch (--fast) is process-wide state, so the threads of one worker process
# extract in turn; CPU-bound Python gains nothing from threads anyway: use one thread per worker.
_ONE_BATCH_AT_A_TIME = threading.Lock()
IN_FLIGHT_PER_THREAD = 2


def extract_batch(items: list[Input], fast: bool, max_mb: float, timeout: float | None, version: str):
    """The task: one Arrow row per input. A document that fails is a row with its error; only a
    broken installation (another ties version, a broken knowledge file) fails the task."""
    if version != __version__:
        raise TiesError(f"the worker runs ties {__version__}, the client {version}: install the same version")
    with _ONE_BATCH_AT_A_TIME:
        rows = [to_row(*read_and_extract(load(item, max_mb), fast=fast, timeout=timeout)) for item in items]
    return to_table(rows)


def batches(items: Iterable[Input], size: int) -> Iterator[list[Input]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def connect(address: str):
    """A Client of the scheduler at address, or a one-line TiesError."""
    try:
        from distributed import Client
    except ImportError:
        raise TiesError("--dask needs Dask's distributed package: pip install distributed") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise TiesError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def run(client, items: Iterable[Input], size: int, write: Callable[[int, object], None], fast: bool,
        max_mb: float, timeout: float | None) -> None:
    """Submit the batches, at most IN_FLIGHT_PER_THREAD per worker thread at a time, and hand
    each finished table to write(batch number, table), in the order they finish."""
    from distributed import as_completed

    limit = max(2, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
    numbered = enumerate(batches(items, size))
    submitted: dict[str, tuple[int, list[Input]]] = {}

    def submit(index: int, batch: list[Input]):
        future = client.submit(extract_batch, batch, fast, max_mb, timeout, __version__, pure=False)
        submitted[future.key] = index, batch
        return future

    pending = as_completed([submit(i, b) for i, b in islice(numbered, limit)], loop=client.loop)
    for future in pending:
        index, batch = submitted.pop(future.key)
        write(index, _table_of(future, batch))
        future.release()
        for i, b in islice(numbered, 1):
            pending.add(submit(i, b))


def _table_of(future, batch: list[Input]):
    """The task's table; when the task failed as a whole (its worker died or was killed more
    times than the scheduler retries), a row with that error for each of its documents."""
    try:
        return future.result()
    except TiesError:
        raise  # the installation, not the documents: stop with one line
    except Exception as exc:
        error = stage_error("worker", exc)
        return to_table([failure_record(ReadFailure(item.path, error)) for item in batch])
