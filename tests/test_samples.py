"""Our own sample corpus (samples/, written by us in every format) reads right against its gold
(tests/gold/samples). This is the check that the readers generalise beyond the five seeds."""
import pytest

from conftest import SAMPLE_GOLD, SAMPLES, SHARED, run_extract
from test_seeds import score


@pytest.fixture
def sample_figures(tmp_path):
    if not (SHARED / "tools" / "score.py").is_file():
        pytest.skip(f"score.py not found under {SHARED}")
    code, records, _ = run_extract(str(SAMPLES))
    assert code == 0
    assert all("error" not in r for r in records)
    return score(SAMPLE_GOLD, records, tmp_path)


def test_every_sample_has_gold():
    stems = {p.name.split(".")[0] for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README"}
    gold = {p.name.split(".")[0] for p in SAMPLE_GOLD.glob("*.gold.json")}
    assert stems and stems == gold


def test_sample_reading(sample_figures):
    f = sample_figures
    assert f["missing"] == 0
    assert f["title_accuracy"] == 1.0
    assert f["published_accuracy"] == 1.0
    assert f["site_accuracy"] == 1.0
    assert f["text_keep_recall"] == 1.0
    assert f["text_chrome_leak"] == 0.0


def test_sample_extraction_floor(sample_figures):
    """Our own 14 articles (other partners, outlets, years, Simplified Chinese): a floor that
    guards against regressions, set a little under what the engine reaches today."""
    f = sample_figures
    assert f["overall"] >= 0.87
    assert f["persons_f1"] >= 0.97
    assert f["events_f1"] >= 0.75
    assert f["organizations_f1"] >= 0.88
