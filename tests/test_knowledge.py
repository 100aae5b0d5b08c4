"""Users extend knowledge by dropping a file into $TIES_KNOWLEDGE: its entries join ours."""
import pytest

from ties import knowledge
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
