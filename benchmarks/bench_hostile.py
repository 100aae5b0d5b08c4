"""Hostile-input acceptance (issue 13): an ingest over good files mixed with hostile ones.

    python benchmarks/bench_hostile.py [--keep DIR] [--fast] [--only NAME ...]

Builds a folder with the samples plus: a 10 MB sentence with no full stop, 100,000 lines of one
sentence, a <p> with a million attributes, 200,000 <p>, 100,000 unclosed <div>, a FIFO, a
symlink to /dev/zero, an upward directory symlink, an article with one invalid byte and a
document with a bad front-matter date. Runs `ties ingest` on it under an 8 GB address-space
limit and a 5-minute wall clock, then reports the time, the peak memory, the summary line,
whether a traceback was printed and how many documents were stored. With --only, each named
hostile file is ingested alone (for measuring one case).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ADDRESS_LIMIT = 8 * 1024 ** 3
WALL_LIMIT = 300
CLAUSE = "臺灣與友好國家在經濟與科技領域持續深化合作並推動多項交流計畫，"
SENTENCE = "外交部長今天在臺北接見來訪的友好國家議員訪問團，雙方就經貿合作交換意見。"
GOOD_ARTICLE = ("外交部今天表示，部長在臺北接見來訪的立陶宛國會議員訪問團，雙方就半導體與經貿合作交換意見。\n"
                "部長感謝立陶宛長期支持臺灣參與國際組織，並期盼雙方深化合作。\n")


def hostile_files(folder: Path) -> dict[str, Path]:
    """Write the hostile files into folder; their names by case."""
    made = {}

    def write(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        made[name] = folder / name

    write("h_10mb_sentence.txt", (CLAUSE * (10_000_000 // len(CLAUSE.encode()))).encode())
    write("h_100k_lines.txt", ((SENTENCE + "\n") * 100_000).encode())
    attrs = " ".join(f"a{i}=\"x\"" for i in range(1_000_000))
    write("h_1m_attributes.html", f"<html><body><p {attrs}>{SENTENCE}</p></body></html>".encode())
    write("h_200k_p.html", ("<html><body>" + "<p>雙方合作交流。</p>" * 200_000 + "</body></html>").encode())
    write("h_100k_div.html", ("<html><body>" + f"<div>{SENTENCE}" * 100_000).encode())
    os.mkfifo(folder / "h_fifo.txt")
    made["h_fifo.txt"] = folder / "h_fifo.txt"
    os.symlink("/dev/zero", folder / "h_dev_zero.txt")
    made["h_dev_zero.txt"] = folder / "h_dev_zero.txt"
    (folder / "h_up").mkdir()
    os.symlink("..", folder / "h_up" / "loop")
    made["h_up"] = folder / "h_up"
    write("h_invalid_byte.txt", GOOD_ARTICLE.encode()[:40] + b"\xff" + GOOD_ARTICLE.encode()[40:])
    write("h_bad_date.md", ("---\ntitle: 外交部接見訪問團\ndate: 2024-13-45\n---\n\n" + GOOD_ARTICLE).encode())
    return made


RECOVERABLE = ("h_invalid_byte.txt", "h_bad_date.md")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))


def run_ingest(paths: list[str], db: Path, fast: bool) -> dict:
    cmd = [str(Path(sys.executable).parent / "ties"), "ingest", "--db", str(db), *paths] + (["--fast"] if fast else [])
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=WALL_LIMIT, preexec_fn=_limit_memory)
        out = {"rc": proc.returncode, "stderr": proc.stderr}
    except subprocess.TimeoutExpired as exc:
        out = {"rc": "timeout", "stderr": (exc.stderr or b"").decode(errors="replace")}
    out["seconds"] = round(time.monotonic() - start, 1)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    out["traceback"] = "Traceback" in out["stderr"]
    out["stored"] = _stored(db)
    return out


def _stored(db: Path) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return [row[0] for row in conn.execute("SELECT path FROM documents")]
        except sqlite3.Error:
            return []


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="Build the folder here (kept) instead of a temporary one.")
    ap.add_argument("--fast", action="store_true", help="Rules only.")
    ap.add_argument("--only", nargs="*", help="Ingest these hostile files one by one.")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="ties-hostile-"))
    corpus = folder / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(SAMPLES, corpus)
    made = hostile_files(corpus)
    if args.only is not None:
        for name in args.only or made:
            result = run_ingest([str(made[name])], folder / f"{name}.db", args.fast)
            print(name, {k: v for k, v in result.items() if k not in ("stderr", "stored")},
                  result["stderr"].strip().splitlines()[-3:], flush=True)
        return
    result = run_ingest([str(corpus)], folder / "all.db", args.fast)
    good = sorted(p.name for p in corpus.iterdir() if p.name in RECOVERABLE or not p.name.startswith(("h_", "README")))
    stored = {Path(p).name for p in result["stored"]}
    print(result["stderr"])
    print(f"exit {result['rc']}, {result['seconds']} s, peak {result['peak_mb']} MB, "
          f"traceback {result['traceback']}, stored {len(stored)}, "
          f"good files not stored: {sorted(set(good) - stored) or 'none'}")


if __name__ == "__main__":
    main()
