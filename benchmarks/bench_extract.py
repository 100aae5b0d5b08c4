"""Extract throughput: docs/s, MB/s and peak memory on a corpus built from samples/.

    python benchmarks/bench_extract.py [--docs 2000] [--samples samples/] [--stage read|rules|model]

Stages: `read` (decode + reader + cleaning only), `rules` (+ extraction without the NER model,
as `ties extract --fast`), `model` (+ the LAC model, the default of `ties extract`).

The corpus repeats every sample with its paragraphs rotated and a counter appended, so no two
documents are identical (nothing can be cached) while formats stay in the samples' proportions.
One process, one core; figures are rates, never pass/fail.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import os

from ties.model import ReadFailure
from ties.pipeline import read_source
from ties.sources import iter_sources


def build_corpus(samples: Path, target: Path, n_docs: int) -> int:
    originals = [p for p in sorted(samples.rglob("*")) if p.is_file() and p.name != "README"]
    if not originals:
        raise SystemExit(f"no samples under {samples}")
    total = 0
    for i in range(n_docs):
        src = originals[i % len(originals)]
        data = src.read_bytes()
        marker = f"\n<!-- variant {i} -->\n" if src.suffix in (".html", ".htm") else f"\n（變體{i}）\n"
        try:
            data = data + marker.encode(_encoding_of(data))
        except UnicodeEncodeError:
            pass
        out = target / f"{i:06d}_{src.name}"
        out.write_bytes(data)
        total += len(data)
    return total


def _encoding_of(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp950"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--samples", type=Path, default=Path(__file__).resolve().parents[1] / "samples")
    ap.add_argument("--stage", choices=["read", "rules", "model"], default="model")
    args = ap.parse_args()
    if args.stage == "rules":
        os.environ["TIES_FAST"] = "1"
    from ties.extraction.run import extract
    if args.stage != "read":
        warm = read_source(next(iter_sources([str(args.samples)])))
        extract(warm)  # load knowledge and the model outside the timing
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        size = build_corpus(args.samples, corpus, args.docs)
        start, cpu_start = time.perf_counter(), time.process_time()
        failures = chars = 0
        for source in iter_sources([str(corpus)]):
            result = read_source(source)
            if isinstance(result, ReadFailure):
                failures += 1
            else:
                chars += len(result.text)
                if args.stage != "read":
                    extract(result)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stage:       {args.stage}")
    print(f"documents:   {args.docs} ({size / 1e6:.1f} MB input, {chars / args.docs:.0f} clean chars/doc, {failures} failed)")
    print(f"throughput:  {args.docs / elapsed:.0f} docs/s, {size / 1e6 / elapsed:.2f} MB/s, "
          f"{chars / elapsed / 1000:.0f}k clean chars/s (1 process)")
    # CPU time is steadier than wall time when other work shares the machine
    print(f"cpu:         {args.docs / cpu:.0f} docs per CPU-second")
    print(f"peak memory: {peak_mb:.0f} MB RSS")


if __name__ == "__main__":
    main()
