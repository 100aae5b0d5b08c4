"""Shared test helpers. Tests that need ../shared skip with a message when it is absent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ties.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SAMPLES = ROOT / "samples"
SAMPLE_GOLD = ROOT / "tests" / "gold" / "samples"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seed corpus not found at {SEEDS}")
    return SEEDS


def run_extract(*args: str, input: bytes | None = None) -> tuple[int, list[dict], str]:
    """Run `ties extract` in-process; return (exit code, records, stderr)."""
    result = CliRunner().invoke(main, ["extract", *args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, records, result.stderr


def ingest_samples(path: Path) -> Path:
    """A database at PATH holding the samples, ingested rules-only (for read-only tests)."""
    result = CliRunner().invoke(main, ["ingest", "--fast", "--db", str(path), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    return path


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
