"""A per-document time budget, enforced where the work runs (the process extracting it).

A wall-clock timer (SIGALRM) interrupts the Python code working on the document; C code (the
model, the HTML parser) is interrupted when it returns, and every single call into it is bounded
(bounded sentences, capped input), so a runaway document ends soon after its budget.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class DocumentTimeout(BaseException):
    """The document's time budget ran out (a BaseException: no reader's `except Exception` may
    swallow it as a parse error)."""


def _expired(signum, frame):
    raise DocumentTimeout()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in this block after `seconds` (no budget: None or 0, or where a timer
    cannot be set: off the main thread, or on a platform without SIGALRM)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    before = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
