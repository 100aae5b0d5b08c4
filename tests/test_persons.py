"""Persons: every way a name meets a title, back-references, two scripts, and what is not a person."""

import pytest

from ties.extraction.run import extract
from ties.model import Document


def persons(text, published="2024-05-20"):
    doc = Document(path="t", text=text, format="text", published=published)
    return {p.name: p for p in extract(doc).persons}


@pytest.fixture(params=[False, True], ids=["model", "rules-only"])
def mode(request, monkeypatch):
    if request.param:
        monkeypatch.setenv("TIES_FAST", "1")
    return request.param


def test_title_then_name(mode):
    found = persons("外交部長林佳龍今天接見立陶宛國會訪團，雙方就經貿合作交換意見。")
    assert "林佳龍" in found
    assert found["林佳龍"].country == "TW"
    assert "外交部" in (found["林佳龍"].affiliation or "")


def test_surname_title_given_name(mode):
    found = persons("經濟部王部長美花今日與美國商務部官員舉行視訊會議，雙方同意持續合作。", "2021-03-02")
    assert "王美花" in found
    assert not any(n.startswith("王部") for n in found)


def test_back_reference_resolves_to_the_full_name(mode):
    text = "行政院長陳建仁今天接見日本眾議員訪團。陳院長表示，感謝日方長期支持，盼深化雙邊合作。"
    found = persons(text, "2023-06-01")
    assert set(found) == {"陳建仁"}
    assert len(found["陳建仁"].spans) == 2


def test_back_reference_resolved_by_office_and_date(mode):
    # No full name in the text: the office holder on the article's date.
    found = persons("蔡總統今天在總統府接見美國參議員訪團，雙方就區域安全交換意見。", "2019-04-15")
    assert "蔡英文" in found


def test_foreign_names_in_two_scripts(mode):
    text = "美國在台協會處長孫曉雅（Sandra Oudkirk）今天拜會經濟部，雙方討論半導體供應鏈合作。"
    found = persons(text, "2022-10-05")
    assert "孫曉雅" in found
    assert "Sandra Oudkirk" in found["孫曉雅"].aliases
    assert "Sandra Oudkirk" not in found


def test_latin_name_after_title(mode):
    found = persons("國發會與歐盟執委會召開對話，歐方由副總署長 Maria Rossi 主持，雙方同意深化合作。", None)
    assert "Maria Rossi" in found


def test_japanese_name_with_prefecture_title(mode):
    found = persons("熊本縣知事蒲島郁夫今天率團拜會經濟部，盼擴大半導體產業合作。", "2023-03-01")
    assert "蒲島郁夫" in found
    assert found["蒲島郁夫"].country == "JP"


def test_bylines_and_pets_are_not_persons(mode):
    text = ("（中央社記者王大明台北5日電）總統賴清德今天接見巴拉圭訪團，總統的愛犬「小黑」也一同迎賓。"
            "雙方同意擴大農業合作。（編輯：李小華）1130605")
    found = persons(text, "2024-06-05")
    assert "賴清德" in found
    for not_person in ("王大明", "小黑", "李小華"):
        assert not_person not in found


def test_foreign_sides_from_context(mode):
    text = ("美國國務院經濟成長、能源暨環境次卿柯拉克（Keith Krach）與經濟部次長共同主持對話。"
            "外交部長拜會土耳其駐台北代表 Ahmet Yilmaz 致意。印度總理莫迪出席塔塔電子（Tata Electronics）晶圓廠動土典禮。")
    found = persons(text, "2023-02-09")
    assert found["柯拉克"].country == "US"
    assert found["Ahmet Yilmaz"].country == "TR"  # 駐台北: Turkey's office in Taipei
    assert "塔塔電子" not in found  # a company with its Latin name, not a person
    if "莫迪" in found:
        assert found["莫迪"].country == "IN"
