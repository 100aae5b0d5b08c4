"""Extraction does not depend on Python's hash seed (set and dict order): the same documents give
the same records in every process, which cross-document merging relies on."""
import os
import subprocess
import sys

from conftest import SAMPLES


def _extract(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "from ties.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code, "extract", "--fast", str(SAMPLES)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return out.replace(str(SAMPLES), "")


def test_same_records_whatever_the_hash_seed():
    assert _extract("1") == _extract("2") == _extract("3")
