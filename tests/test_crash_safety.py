"""kill -9 during a long ingest, then a rerun: the database is intact, holds every document once,
and matches a clean run."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import SAMPLES

TIES = [sys.executable, "-c", "from ties.cli import main; main()"]


def build_corpus(folder, copies=12):
    originals = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
    for i in range(copies):
        for src in originals:
            data = src.read_bytes()
            marker = f"\n本文第{i}版，僅供測試比對使用，特此說明。\n".encode("cp950" if "big5" in src.name else "utf-8")
            (folder / f"{i:03d}_{src.name}").write_bytes(data + marker if src.suffix != ".html" else data.replace(
                b"</body>", f"<p>本文第{i}版，僅供測試比對使用，特此說明。</p></body>".encode()))


def table_dump(db):
    with sqlite3.connect(db) as conn:
        docs = conn.execute("select path, text_hash from documents order by path").fetchall()
        counts = [conn.execute(f"select count(*) from {t}").fetchone()[0]
                  for t in ("stories", "documents", "events", "event_sources", "mentions")]
        return docs, counts


def count_docs(db):
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_during_ingest_then_rerun(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    build_corpus(corpus)
    total = len(list(corpus.iterdir()))
    env = {**os.environ, "TIES_FAST": "1", "TIES_BATCH_DOCS": "10"}  # several batches, whatever the machine's speed
    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen([*TIES, "ingest", "--db", str(killed_db), str(corpus)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while count_docs(killed_db) < total // 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < count_docs(killed_db) < total, "the kill should land mid-ingest"

    subprocess.run([*TIES, "ingest", "--db", str(killed_db), str(corpus)], env=env, check=True,
                   capture_output=True)
    clean_db = tmp_path / "clean.db"
    subprocess.run([*TIES, "ingest", "--db", str(clean_db), str(corpus)], env=env, check=True, capture_output=True)

    with sqlite3.connect(killed_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored, distinct = conn.execute("select count(*), count(distinct source_key) from documents").fetchone()
    assert stored == distinct  # every source once (copies sharing a URL are one source)
    assert table_dump(killed_db) == table_dump(clean_db)
