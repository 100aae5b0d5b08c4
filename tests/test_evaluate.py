"""`ties evaluate`: scores a folder of documents with gold files, as the reference scorer does."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import SEEDS, SHARED
from ties.cli import main
from ties.evaluate import Counts, evaluate, overlaps, same_name

ARTICLE = """---
title: 數位部長與立陶宛副部長會談
date: 2025-03-05
from: https://example.org/news/1
---
數位發展部部長黃彥男今(5)日接見立陶宛經濟與創新部副部長一行，雙方同意深化數位韌性合作。
"""


def _gold(**over) -> dict:
    gold = {"title": "數位部長與立陶宛副部長會談", "published": "2025-03-05", "site": "example.org",
            "persons": ["黃彥男"], "organizations": ["數位發展部"], "countries": ["TW", "LT"], "topics": [],
            "events": [{"type": "CONSULT", "mode": "meeting", "date": "2025-03-05", "taiwan_side": ["黃彥男"],
                        "counterparts": ["立陶宛經濟與創新部"], "partner_countries": ["LT"],
                        "outcomes": ["雙方同意深化數位韌性合作"]}],
            "must_contain": ["雙方同意深化數位韌性合作"], "must_not_contain": ["請繼續往下閱讀"]}
    gold.update(over)
    return gold


def test_name_matching_is_the_scorers():
    assert same_name("唐鳳", "數位部長唐鳳", True)
    assert not same_name("唐鳳", "數位部長唐鳳", False)
    assert same_name("國發會", "國家發展委員會", True)  # an abbreviation in order
    assert overlaps("雙方同意深化合作", "並表示雙方同意深化合作關係")


def test_counts_precision_recall():
    c = Counts()
    missed, extras = c.add(["a", "b"], ["a", "c", "d"])
    assert (missed, extras) == (["b"], ["c", "d"])
    p, r, f = c.prf()
    assert (round(p, 3), r) == (0.333, 0.5)


def test_event_needs_the_same_date_and_a_shared_participant():
    record = {"path": "x/a1.md", "title": "數位部長與立陶宛副部長會談", "published": "2025-03-05",
              "events": [{"type": "CONSULT", "date": "2025-03-04", "taiwan_side": ["黃彥男"], "counterparts": []}]}
    fig, logs = evaluate({"a1": _gold()}, [record])
    assert fig["events_f1"] == 0.0 and any("event missed" in line for line in logs["a1"])
    record["events"][0]["date"] = "2025-03-05"
    fig, _ = evaluate({"a1": _gold()}, [record])
    assert fig["events_f1"] == 1.0 and fig["event_type_accuracy"] == 1.0


def test_missing_output_is_counted():
    fig, logs = evaluate({"a1": _gold(), "a2": _gold()}, [{"path": "a1.md"}])
    assert fig["missing"] == 1 and logs["a2"][0] == "no output"


def test_cli_scores_a_folder(tmp_path):
    (tmp_path / "a1.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a1.gold.json").write_text(json.dumps(_gold(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "unannotated.md").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--format", "json", "--fast", "--verbose"])
    assert result.exit_code == 0, result.output
    fig = json.loads(result.stdout)
    assert fig["documents"] == 1 and fig["missing"] == 0
    assert fig["title_accuracy"] == 1.0 and fig["published_accuracy"] == 1.0
    assert fig["text_keep_recall"] == 1.0 and fig["text_chrome_leak"] == 0.0
    assert fig["events_f1"] == 1.0


def test_cli_without_gold_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 1 and "no *.gold.json" in result.output


@pytest.mark.parametrize("folder", [SEEDS, SHARED / "corpus" / "dev"], ids=["seeds", "dev"])
def test_agrees_with_the_reference_scorer(folder, tmp_path):
    if not (SHARED / "tools" / "score.py").is_file() or not folder.is_dir():
        pytest.skip(f"{folder} or the reference scorer is not there")
    result = CliRunner().invoke(main, ["evaluate", str(folder), "--format", "json", "--fast"])
    ours = json.loads(result.stdout)
    extracted = CliRunner().invoke(main, ["extract", "--fast", *sorted(
        str(p) for p in folder.iterdir() if p.is_file() and not p.name.endswith(".json")
        and (folder / (p.name.split(".")[0] + ".gold.json")).is_file())])
    out = tmp_path / "out.jsonl"
    out.write_text(extracted.stdout, encoding="utf-8")
    ref = json.loads(subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(folder), str(out),
                                     "--json"], capture_output=True, text=True, check=True).stdout)
    assert ours.keys() == ref.keys()
    assert all(abs(ours[k] - ref[k]) <= 0.005 for k in ref), {k: (ours[k], ref[k]) for k in ref}


def test_cli_match_selects_part_of_a_folder(tmp_path):
    for stem in ("a1", "b1"):
        (tmp_path / f"{stem}.md").write_text(ARTICLE, encoding="utf-8")
        (tmp_path / f"{stem}.gold.json").write_text(json.dumps(_gold(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--format", "json", "--fast", "--match", "b*"])
    assert json.loads(result.stdout)["documents"] == 1
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--match", "z*"])
    assert result.exit_code == 1 and "matching z*" in result.output
