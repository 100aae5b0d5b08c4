"""A document that is not Chinese is flagged, warned about and left unextracted."""
from conftest import run_extract, write

from ties.clean.language import is_chinese

ENGLISH = """Taiwan and the Czech Republic signed a memorandum on semiconductor research today. The two
sides agreed to exchange researchers and to hold a joint workshop in Prague next spring, officials said.
"""
JAPANESE = "台湾の外交部長は本日、東京で日本の国会議員団と会談し、経済安全保障や半導体分野での協力について意見を交わした。"
KOREAN = "대만 외교부장은 오늘 서울에서 한국 국회의원단과 만나 반도체 분야 협력에 대해 의견을 나눴다고 밝혔다. 양측은 교류를 확대하기로 했다."
CHINESE_WITH_ENGLISH = ("外交部長今天接見美國聯邦參議員訪問團(U.S. Senate Delegation led by Senator John Smith),"
                        "雙方就印太區域安全、供應鏈韌性與半導體合作交換意見,參議員表示將持續支持台灣。")


def test_script_share_rule():
    assert is_chinese(ENGLISH) is False
    assert is_chinese(JAPANESE) is False
    assert is_chinese(KOREAN) is False
    assert is_chinese(CHINESE_WITH_ENGLISH) is True
    assert is_chinese("Short note") is None  # too short to tell


def test_english_page_is_flagged_and_not_extracted(tmp_path):
    _, [rec], err = run_extract(str(write(tmp_path, "english.txt", ENGLISH)))
    assert rec["skipped"] is True
    assert any(w.startswith("not Chinese") for w in rec["warnings"])
    assert "not Chinese" in err
    assert rec["persons"] == [] and rec["events"] == [] and rec["countries"] == []


def test_chinese_page_is_not_flagged(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "zh.txt", CHINESE_WITH_ENGLISH)))
    assert rec["skipped"] is False
    assert not any(w.startswith("not Chinese") for w in rec["warnings"])


def test_markup_and_urls_are_not_words():
    page = ('<html><head><script>var a = "tracking code for analytics";</script></head><body>'
            '<div class="article-body main-content"><p>' + CHINESE_WITH_ENGLISH + '</p>'
            '<a href="https://example.com/a/very/long/path">x</a></div></body></html>')
    assert is_chinese(page) is True


def test_skip_reason_tells_ingest_what_to_count_as_skipped(tmp_path):
    from ties.pipeline import read_source, skip_reason
    from ties.sources import Source

    def reason(text: str):
        return skip_reason(read_source(Source(str(tmp_path / "doc.txt"), data=text.encode("utf-8"))))

    assert reason(ENGLISH).startswith("not Chinese")
    assert reason(CHINESE_WITH_ENGLISH) is None
    assert reason("選單\n首頁\n") == "no article text found"
