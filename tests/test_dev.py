"""The real-article development corpus (../shared/corpus/dev, 90 articles with gold): floors set a
little under what `ties evaluate` measures today, so a change that drops a figure fails here.
Skips when ../shared is not beside the project."""
import json

import pytest
from click.testing import CliRunner

from conftest import SHARED
from ties.cli import main

DEV = SHARED / "corpus" / "dev"

# Measured with `ties evaluate ../shared/corpus/dev --format json` (see README), minus a margin.
FLOORS = {
    "overall": 0.70,
    "events_f1": 0.30,
    "organizations_f1": 0.66,
    "persons_f1": 0.86,
    "outcomes_f1": 0.18,
    "topics_f1": 0.64,
    "text_keep_recall": 0.94,
}
CEILINGS = {"text_chrome_leak": 0.24}


@pytest.fixture(scope="module")
def dev_figures() -> dict:
    if not (DEV / "INDEX-a.md").is_file():
        pytest.skip(f"dev corpus not found at {DEV}")
    result = CliRunner().invoke(main, ["evaluate", str(DEV), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_dev_figure_holds(dev_figures, key):
    assert dev_figures[key] >= FLOORS[key], (key, dev_figures[key])


@pytest.mark.parametrize("key", sorted(CEILINGS))
def test_dev_leak_stays_low(dev_figures, key):
    assert dev_figures[key] <= CEILINGS[key], (key, dev_figures[key])


def test_every_dev_document_is_read(dev_figures):
    assert dev_figures["documents"] == 90 and dev_figures["missing"] == 0 and dev_figures["errors"] == 0
