"""The README documents every command, and opens with the two commands for a fresh machine."""
from conftest import ROOT
from ties.cli import main


def test_readme_covers_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"ties {name}" in readme, name


def test_readme_opens_with_install_run_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash")[1:3]]
    assert "pip install -e ." in blocks[0] and "ties ingest samples/" in blocks[0] and "ties serve" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci
