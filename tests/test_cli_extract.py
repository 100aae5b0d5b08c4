"""`ties extract`: folders, standard input, JSON Lines per the contract, exit status, help examples."""
import json
import subprocess
import sys

from click.testing import CliRunner

from conftest import ROOT, run_extract, write
from ties.cli import main

CONTRACT_FIELDS = {"path", "title", "published", "site", "text", "persons", "organizations", "countries",
                   "places", "topics", "events"}
ARTICLE = "標題：台日合作\n\n數位部長今天接見日本訪團，雙方就數位轉型與資安合作交換意見，並同意持續交流。\n"


def test_folder_is_read_recursively_in_order(tmp_path):
    write(tmp_path, "b.txt", ARTICLE)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.md", ARTICLE)
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n")  # not a document suffix: skipped under a folder
    code, records, _ = run_extract(str(tmp_path))
    assert code == 0
    assert [r["path"] for r in records] == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.md")]
    for rec in records:
        assert CONTRACT_FIELDS <= rec.keys()


def test_standard_input():
    code, [rec], _ = run_extract("-", input=ARTICLE.encode("utf-8"))
    assert code == 0 and rec["path"] == "-"
    assert "雙方就數位轉型與資安合作交換意見" in rec["text"]


def test_errors_are_lines_and_exit_status(tmp_path):
    good = write(tmp_path, "good.txt", ARTICLE)
    empty = write(tmp_path, "empty.txt", b"")
    code, records, err = run_extract(str(empty), str(good), str(tmp_path / "missing.txt"))
    assert code == 0  # not every input failed
    assert records[0] == {"path": str(empty), "error": "empty file"}
    assert records[1]["path"] == str(good) and "error" not in records[1]
    assert records[2]["error"] == "no such file or folder"
    assert f"{empty}: empty file" in err
    code, records, _ = run_extract(str(empty))
    assert code == 1


def test_json_array_format(tmp_path):
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(write(tmp_path, "a.txt", ARTICLE))])
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)


def test_every_command_has_an_example():
    runner = CliRunner()
    for name in [None, *main.commands]:
        args = ["--help"] if name is None else [name, "--help"]
        result = runner.invoke(main, args)
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_parallel_extraction_gives_the_same_records_in_order():
    from conftest import SAMPLES

    _, one, _ = run_extract("--fast", str(SAMPLES))
    _, two, _ = run_extract("--fast", "--jobs", "2", str(SAMPLES))
    assert one == two and len(one) == 14


def test_reading_files_loads_neither_the_http_client_nor_the_database_layer():
    """What a file-only `ties extract` leaves out of its start-up (httpx and its TLS context about
    0.2 s, SQLAlchemy about 0.3 s): checked in a fresh process, where nothing else imported them."""
    probe = ("import sys; from ties.cli import main; sys.argv = ['ties', 'extract', '--fast', sys.argv[1]]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('httpx', 'sqlalchemy') if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT / "samples" / "s01_moda_lithuania.md")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"].endswith("s01_moda_lithuania.md")
    assert done.stderr.strip().splitlines()[-1] == "[]"
