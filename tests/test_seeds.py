"""The five seed documents: reading at 1.0 (issue 2) and extraction at the bar of issue 3
(overall ≥ 0.90, events ≥ 0.85, persons ≥ 0.90, outcomes ≥ 0.6)."""
import json
import subprocess
import sys

from conftest import SEEDS, SHARED, run_extract

READING = {"title_accuracy": 1.0, "published_accuracy": 1.0, "site_accuracy": 1.0, "text_keep_recall": 1.0}


def score(gold_dir, records, tmp_path) -> dict:
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(gold_dir), str(out), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_seed_reading(seeds_dir, tmp_path):
    code, records, _ = run_extract(*sorted(str(p) for p in seeds_dir.glob("*.txt")))
    assert code == 0 and len(records) == 5
    figures = score(SEEDS, records, tmp_path)
    for key, want in READING.items():
        assert figures[key] == want, (key, figures[key])
    assert figures["text_chrome_leak"] == 0.0


EXTRACTION = {"overall": 0.93, "events_f1": 0.95, "persons_f1": 0.97, "outcomes_f1": 0.62, "organizations_f1": 0.93}


def test_seed_extraction(seeds_dir, tmp_path):
    _, records, _ = run_extract(*sorted(str(p) for p in seeds_dir.glob("*.txt")))
    figures = score(SEEDS, records, tmp_path)
    for key, floor in EXTRACTION.items():
        assert figures[key] >= floor, (key, figures[key])
