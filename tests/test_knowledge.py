"""Users extend knowledge by dropping a file into $TIES_KNOWLEDGE: its entries join ours."""
import pytest

from ties import knowledge
from ties.knowledge_schema import SCHEMAS
from ties.extraction import gazetteer as gaz
from ties.extraction.run import extract
from ties.model import Document


@pytest.fixture
def user_knowledge(tmp_path, monkeypatch):
    (tmp_path / "organizations.yaml").write_text(
        "organizations:\n  - {name: 臺灣無人機產業發展協會, aliases: [無人機協會], country: TW, kind: association}\n",
        encoding="utf-8")
    (tmp_path / "page_chrome.yaml").write_text("chrome_phrases: [本報訂閱專線]\n", encoding="utf-8")
    monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path))
    _clear()
    yield
    monkeypatch.delenv("TIES_KNOWLEDGE")
    _clear()


@pytest.fixture
def user_file(tmp_path, monkeypatch):
    """A context that puts one knowledge file in $TIES_KNOWLEDGE and clears the caches around it."""
    from contextlib import contextmanager

    @contextmanager
    def put(name: str, content: str):
        (tmp_path / name).write_text(content, encoding="utf-8")
        monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path))
        _clear()
        try:
            yield
        finally:
            monkeypatch.delenv("TIES_KNOWLEDGE")
            _clear()
    return put


def _clear():
    from ties.clean import chrome
    knowledge.load.cache_clear()
    gaz.gazetteer.cache_clear()
    chrome.rules.cache_clear()


def test_an_added_organisation_is_recognised(user_knowledge):
    text = "無人機協會今天與捷克無人機業者簽署合作備忘錄，雙方將共同開發民用無人機標準。"
    orgs = {o.name: o for o in extract(Document(path="t", text=text, format="text")).organizations}
    assert "無人機協會" in orgs and "臺灣無人機產業發展協會" in orgs["無人機協會"].aliases
    assert "數位發展部" in extract(Document(path="t", text="數位部今天表示。", format="text")).organizations[0].aliases


def test_an_added_chrome_phrase_is_dropped(user_knowledge):
    from ties.clean.chrome import rules
    assert rules().is_chrome("本報訂閱專線 02-1234")
    assert rules().is_chrome("分享到Facebook")  # ours are still there


def test_a_bad_knowledge_file_is_one_clear_error(tmp_path, monkeypatch):
    from ties.errors import TiesError
    (tmp_path / "page_chrome.yaml").write_text("chrome_phrases: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path))
    _clear()
    try:
        with pytest.raises(TiesError, match="page_chrome.yaml"):
            knowledge.load("page_chrome")
    finally:
        monkeypatch.delenv("TIES_KNOWLEDGE")
        _clear()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_shipped_file_matches_its_declaration(name):
    assert knowledge.load(name)


@pytest.mark.parametrize("content, message", [
    ("chrome_phrase: [本報訂閱專線]\n", "unknown key 'chrome_phrase'"),
    ("chrome_phrases: []\n", "chrome_phrases: empty list"),
    ("chrome_phrase_max_len: many\n", "chrome_phrase_max_len: expected a whole number"),
    ("chrome_phrases: [ok, 7]\n", r"chrome_phrases\[1\]: expected a string"),
])
def test_a_misspelt_or_mistyped_key_is_an_error_naming_file_and_key(user_file, content, message):
    from ties.errors import TiesError
    with user_file("page_chrome.yaml", content), pytest.raises(TiesError, match=f"page_chrome.yaml: {message}"):
        knowledge.load("page_chrome")


def test_a_record_with_an_unknown_field_is_an_error(user_file):
    from ties.errors import TiesError
    content = "organizations:\n  - {name: 某某協會, alias: [某協會]}\n"
    with user_file("organizations.yaml", content), \
            pytest.raises(TiesError, match=r"organizations\[0\]: unknown key 'alias'"):
        knowledge.load("organizations")


def test_code_asking_for_an_undeclared_key_is_an_error():
    from ties.errors import TiesError
    with pytest.raises(TiesError, match="declares no key 'chrome_phrase'"):
        knowledge.load("page_chrome").get("chrome_phrase", [])


def test_a_regex_from_an_empty_word_list_fails():
    from ties.errors import TiesError
    assert knowledge.alternation(["會談", "會談並", ""], "x") == "會談並|會談"
    with pytest.raises(TiesError, match="no words for speech verbs"):
        knowledge.alternation([], "speech verbs")


@pytest.mark.parametrize("jobs", ["1", "2"])  # with workers, the rules are loaded before they start
def test_a_broken_knowledge_file_stops_the_run_with_one_line(tmp_path, monkeypatch, jobs):
    from click.testing import CliRunner
    from ties.cli import main
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "page_chrome.yaml").write_text("chrome_phrase: [x]\n", encoding="utf-8")
    for i in range(3):
        (tmp_path / f"doc{i}.txt").write_text("數位發展部今天與立陶宛簽署合作備忘錄。", encoding="utf-8")
    monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path / "kb"))
    monkeypatch.setenv("TIES_NO_CACHE", "1")
    _clear()
    try:
        result = CliRunner().invoke(main, ["extract", "--fast", "--jobs", jobs, str(tmp_path)])
    finally:
        monkeypatch.delenv("TIES_KNOWLEDGE")
        _clear()
    assert result.exit_code == 1
    assert result.output.count("unknown key 'chrome_phrase'") == 1 and '"path"' not in result.output


def test_every_declared_key_is_read_by_some_code():
    """Knowledge nobody reads is a rule silently switched off: each declared key appears in code."""
    import re
    from pathlib import Path
    src = Path(knowledge.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in src.rglob("*.py") if p.name != "knowledge_schema.py")
    unread = [f"{name}.{key}" for name, record in SCHEMAS.items() for key in record.keys()
              if not re.search(rf"\b{re.escape(key)}\b", code)]
    assert not unread, unread


def test_a_users_persons_file_extends_the_person_rules(user_file):
    from ties.extraction import persons

    persons.rules.cache_clear()
    try:
        with user_file("persons.yaml", "list_enders: [諸位]\nreporter_words: [特約撰述]\n"):
            persons.rules.cache_clear()
            rules = persons.rules()
            assert {"等", "諸位"} <= set(rules.list_enders) and "特約撰述" in rules.reporter_words
            assert rules.time_word.match("今天") and rules.list_sep.match("、")
    finally:
        persons.rules.cache_clear()


def test_figure_words_come_from_names_yaml_and_a_user_adds_a_unit(user_file):
    from ties.extraction import initiatives

    assert [(f.value, f.unit) for f in initiatives.find_figures("逾30國的60件作品，共116萬人次參觀")] == \
        [(30.0, "國"), (60.0, "件"), (1160000.0, "人次")]
    initiatives._figure_rules.cache_clear()
    try:
        with user_file("names.yaml", "figure_units: [艘]\n"):
            initiatives._figure_rules.cache_clear()
            assert [(f.value, f.unit) for f in initiatives.find_figures("捐贈2艘巡邏艇")] == [(2.0, "艘")]
    finally:
        initiatives._figure_rules.cache_clear()


def test_a_voiced_type_that_no_trigger_has_is_an_error(tmp_path, monkeypatch):
    """voiced_types (thanks, appeals) names trigger types: a misspelt one would switch its rule off."""
    from ties.errors import KnowledgeError
    from ties.extraction import events
    (tmp_path / "events.yaml").write_text("voiced_types: [SUPORT]\n", encoding="utf-8")
    monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path))
    monkeypatch.setenv("TIES_NO_CACHE", "1")
    knowledge.load.cache_clear()
    events._voiced_types.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="SUPORT"):
            events._voiced("SUPPORT")
    finally:
        monkeypatch.delenv("TIES_KNOWLEDGE")
        knowledge.load.cache_clear()
        events._voiced_types.cache_clear()
    assert events._voiced("SUPPORT") and events._voiced("REQUEST") and not events._voiced("CONSULT")


_KNOWLEDGE_READ_BY_A_DOCUMENT = """
import sys
from ties import knowledge
from ties.pipeline import load_rules, read_and_extract
from ties.sources import iter_sources
if sys.argv[1] == "loaded":
    load_rules()
before = knowledge.load.cache_info().misses
for source in iter_sources([sys.argv[2]]):
    read_and_extract(source, fast=True)
print(knowledge.load.cache_info().misses - before)
"""


@pytest.mark.parametrize("state, files_read", [("loaded", "0"), ("fresh", "many")])
def test_rules_loaded_before_workers_fork_leave_nothing_for_a_document_to_load(state, files_read):
    """`process` loads the rules before it starts --jobs workers, so each inherits them: after
    load_rules() the bundled samples read no knowledge file (a fresh process reads many)."""
    import subprocess
    import sys
    from pathlib import Path
    samples = Path(__file__).resolve().parents[1] / "samples"
    done = subprocess.run([sys.executable, "-c", _KNOWLEDGE_READ_BY_A_DOCUMENT, state, str(samples)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    read = int(done.stdout.strip())
    assert read == 0 if files_read == "0" else read > 5
