"""Load test on loopback: `ties serve` on the samples, then a bounded number of requests to
/api/events and /api/search with a fixed concurrency. Stops by itself; reports errors and latency.

    python benchmarks/bench_http.py [--requests 2000] [--concurrency 8] [--db FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

QUERIES = ["台灣", "合作", "日本", "半導體", "立陶宛", "人工智慧", "備忘錄", "美國", "數位", "交流"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def worker(client: httpx.AsyncClient, jobs: asyncio.Queue, results: dict) -> None:
    while True:
        try:
            kind, url, params = jobs.get_nowait()
        except asyncio.QueueEmpty:
            return
        t = time.perf_counter()
        try:
            response = await client.get(url, params=params, timeout=10)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        results[kind].append((time.perf_counter() - t) * 1000)
        if not ok:
            results["errors"].append(kind)


async def load(base: str, n: int, concurrency: int) -> dict:
    rng = random.Random(3)
    jobs: asyncio.Queue = asyncio.Queue()
    for i in range(n):
        if i % 2:
            jobs.put_nowait(("search", base + "/api/search", {"q": rng.choice(QUERIES)}))
        else:
            params = rng.choice([{}, {"partner": "JP"}, {"type": "AGREE"}, {"since": "2022-01-01"}, {"topic": "ai"}])
            jobs.put_nowait(("events", base + "/api/events", params))
    results: dict = {"events": [], "search": [], "errors": []}
    async with httpx.AsyncClient() as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, jobs, results) for _ in range(concurrency)))
        results["elapsed"] = time.perf_counter() - start
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--db", type=Path, help="an existing ties database (default: the samples, ingested now)")
    args = ap.parse_args()
    ties = [sys.executable, "-c", "from ties.cli import main; main()"]
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="ties-http-")) / "bench.db"
        samples = Path(__file__).resolve().parents[1] / "samples"
        subprocess.run([*ties, "ingest", "--fast", "--db", str(db), str(samples)], check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*ties, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/stats", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        results = asyncio.run(load(base, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = len(results["events"]) + len(results["search"])
    print(f"{total} requests, {args.concurrency} concurrent, {len(results['errors'])} errors, "
          f"{total / results['elapsed']:.0f} requests/s")
    for kind in ("events", "search"):
        lat = sorted(results[kind])
        print(f"/api/{kind}: p50 {statistics.median(lat):.1f} ms, p95 {lat[int(0.95 * len(lat)) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
