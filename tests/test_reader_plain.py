"""Plain reports: title from the first heading-like line, no date unless one is written."""
from conftest import run_extract, write

REPORT = """第3屆「臺美教育倡議」會議順利舉行 雙方擴大華語教學合作

教育部國際司

教育部政務次長與美國國務院教育及文化事務局官員於 11 月 3 日以視訊方式召開第 3 屆「臺美教育倡議」會議，雙方就華語教學、學生交換及職業教育等議題交換意見。

美方表示，期待擴大在美國大學設立華語中心的數量，並鼓勵更多美國學生赴台學習。

我方指出，將持續提供獎學金與教師交流名額，未來將共同籌辦青年領袖論壇，深化雙邊夥伴關係。
"""


def test_report_without_year(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "report.txt", REPORT)))
    assert rec["title"] == "第3屆「臺美教育倡議」會議順利舉行 雙方擴大華語教學合作"
    assert rec["published"] is None
    assert rec["site"] is None
    assert rec["text"].startswith("教育部政務次長")
    assert rec["text"].endswith("深化雙邊夥伴關係。")


def test_page_break_inside_a_sentence_is_repaired(tmp_path):
    report = "標題在此\n\n" + "雙方同意在數位治理、資料流通與網路安全等領域持續合作，並規劃共同舉辦工作坊，邀請各國專家分享經" \
             "\n\n驗與最佳實務，以強化區域的數位韌性。\n"
    _, [rec], _ = run_extract(str(write(tmp_path, "broken.txt", report)))
    assert "分享經驗與最佳實務" in rec["text"]
