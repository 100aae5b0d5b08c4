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


WRAPPED_NO_BLANKS = """兩市締結姊妹市 深化智慧城市合作
某市長今天與某國某市市長以視訊方式簽署姊妹
市協定,雙方將在智慧交通、防災與青年交流等
領域展開合作,並規劃明年互派訪問團。
市長表示,兩市都重視數位治理,盼透過這次締
盟,讓市民直接感受到國際交流的成果。
"""


def test_wrapped_text_without_blank_lines_is_joined_per_paragraph():
    from ties.readers.paragraphs import join_hard_wraps
    out = join_hard_wraps(WRAPPED_NO_BLANKS.split("\n"))
    assert out[0] == "兩市締結姊妹市 深化智慧城市合作"
    assert out[1].startswith("某市長今天") and out[1].endswith("並規劃明年互派訪問團。")
    assert out[2] == "市長表示,兩市都重視數位治理,盼透過這次締盟,讓市民直接感受到國際交流的成果。"


def test_a_list_of_headlines_is_not_a_wrap():
    from ties.readers.paragraphs import join_hard_wraps
    lines = ["颱風季前防災演練 各縣市動員", "知名歌手演唱會門票秒殺 網友哀號", "美食節登場 人潮湧入夜市商圈",
             "外交部長出訪友邦 簽署醫療合作協定"]
    assert join_hard_wraps(lines) == lines


def test_display_width_counts_wide_characters_twice():
    from ties.readers.paragraphs import display_width

    assert display_width("") == 0
    assert display_width("abc 12") == 6
    assert display_width("臺北ＡＢ ab，") == 13  # Han and full-width forms take two columns
