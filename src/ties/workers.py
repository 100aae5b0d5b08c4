"""Worker processes for `--jobs` that never outlive the process that started them: killed with
-9, the parent cannot clean up, so each worker asks the kernel to end it when its parent dies
(Linux PR_SET_PDEATHSIG), or elsewhere watches for it."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_CHECK_SECONDS = 1.0


# How much nicer than their parent the workers of `ties ingest` run: the parent is the single
# writer, the narrowest stage, and with as many workers as cores it would get only part of a core.
# Measured on 2,000 real-article copies with --jobs 2 on 2 cores: wall time per CPU-second 0.677 ->
# 0.638 (every one of 6 alternating rounds lower).
WRITER_FIRST_NICENESS = 10


def worker_pool(jobs: int, nice: int = 0) -> ProcessPoolExecutor:
    """JOBS worker processes, each NICE steps nicer than this one."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(), nice))


def die_with_parent(parent_pid: int, nice: int = 0) -> None:
    """Worker initializer: end this process when parent_pid ends; yield the CPU to it by NICE."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    if not _kill_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request above was in place
        os._exit(1)


def _kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
