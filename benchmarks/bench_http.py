"""Load test on loopback: `ties serve` on a database, then a bounded number of requests per route
with a fixed concurrency, route after route. Stops by itself; reports per route the errors, p50
and p95 latency, and the server's CPU time per request (steadier than latency on a shared machine).

    python benchmarks/bench_http.py [--docs 5000 | --db FILE] [--requests 200] [--concurrency 8]

Without --db the database is built like benchmarks/bench_store.py builds one: DOCS synthetic
documents arranged from the samples' sentences, ingested rules-only (--keep DIR keeps it).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import build, percentile, sample_sentences  # noqa: E402  (the same synthetic corpus)

QUERIES = ["台灣", "合作", "日本", "半導體", "立陶宛", "人工智慧", "備忘錄", "美國", "數位", "交流"]
LIST_FILTERS = [{"partner": "JP"}, {"topic": "ai"}, {"type": "AGREE"}, {"since": "2022", "until": "2024"},
                {"partner": "日本", "type": "CONSULT"}, {"topic": "semiconductors", "since": "2020"},
                {"offset": 50}, {"sort": "date"}]
API_FILTERS = [{}, {"partner": "JP"}, {"type": "AGREE"}, {"since": "2022-01-01"}, {"topic": "ai"},
               {"partner": "US", "since": "2020"}, {"offset": 100}]


def routes(partners: list[str], rng: random.Random) -> dict[str, callable]:
    """Route name → a function giving one request's (path, params)."""
    return {
        "/ (home)": lambda: ("/", {}),
        "/ with filters and facets": lambda: ("/", rng.choice(LIST_FILTERS)),
        "/?q= faceted search": lambda: ("/", {"q": rng.choice(QUERIES), **rng.choice([{}, {"since": "2022"}])}),
        "/partners/{code}": lambda: (f"/partners/{rng.choice(partners)}", {}),
        "/api/events with filters": lambda: ("/api/events", rng.choice(API_FILTERS)),
        "/api/search": lambda: ("/api/search", {"q": rng.choice(QUERIES)}),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_route(base: str, make, n: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    jobs = [make() for _ in range(n)]

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while jobs:
            path, params = jobs.pop()
            t = time.perf_counter()
            try:
                ok = (await client.get(base + path, params=params, timeout=30)).status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - t) * 1000)
            errors += not ok

    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return {"latencies": latencies, "errors": errors}


def make_db(docs: int, keep: Path | None) -> Path:
    work = keep or Path(tempfile.mkdtemp(prefix="ties-http-"))
    db, corpus = work / "bench.db", work / "corpus"
    if db.exists():
        return db
    corpus.mkdir(parents=True, exist_ok=True)
    samples = Path(__file__).resolve().parents[1] / "samples"
    build(corpus, docs, sample_sentences(samples), random.Random(7))
    t = time.perf_counter()
    subprocess.run([*TIES, "ingest", "--fast", "--db", str(db), str(corpus)], check=True, capture_output=True)
    print(f"database: {docs} documents ingested (rules only) in {time.perf_counter() - t:.0f} s, {db}")
    return db


TIES = [sys.executable, "-c", "from ties.cli import main; main()"]


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([*TIES, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/api/stats", timeout=1)
            return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("ties serve did not answer")


def report(name: str, result: dict, cpu: float) -> None:
    lat, n = result["latencies"], len(result["latencies"])
    print(f"{name:28} {n:5d} {result['errors']:6d} {statistics.median(lat):9.1f} {percentile(lat, 0.95):9.1f} "
          f"{1000 * cpu / n:11.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="synthetic documents in the database built (no --db)")
    ap.add_argument("--db", type=Path, help="an existing ties database instead")
    ap.add_argument("--keep", type=Path, help="build the database in this folder (reused when it holds bench.db)")
    ap.add_argument("--requests", type=int, default=200, help="requests per route")
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    db = args.db or make_db(args.docs, args.keep)
    server, base = serve(db)
    rng = random.Random(3)
    try:
        stats = httpx.get(base + "/api/stats").json()
        partners = [p["country"] for p in httpx.get(base + "/api/partners", timeout=60).json()[:20]] or ["JP"]
        print(f"{stats['documents']} documents, {stats['events']} events; {args.requests} requests per route, "
              f"{args.concurrency} concurrent")
        print(f"{'route':28} {'reqs':>5} {'errors':>6} {'p50 ms':>9} {'p95 ms':>9} {'CPU ms/req':>11}")
        for name, make in routes(partners, rng).items():
            asyncio.run(one_route(base, make, min(10, args.requests), 2))  # warm-up
            before = cpu_seconds(server.pid)
            result = asyncio.run(one_route(base, make, args.requests, args.concurrency))
            report(name, result, cpu_seconds(server.pid) - before)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
