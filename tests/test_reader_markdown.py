"""Markdown press releases: generic headings skipped, metadata lines, tables as text lines."""
import pytest
from hypothesis import given, settings, strategies as st

from conftest import run_extract, write

RELEASE = """# 高雄市政府經濟發展局 新聞稿

發布單位：經濟發展局

發布日期：112-10-05

聯絡人：王小姐 07-1234567

## 高雄與美國姊妹市簽署智慧港口合作意向書

高雄市長今日與美國長灘港務局代表簽署智慧港口合作意向書，雙方將分享自動化碼頭與碳排管理經驗，並規劃明年互訪。

市長表示，高雄港正推動綠色轉型，期待與長灘港在岸電設施與數位孿生技術方面深入交流。

| 項目 | 城市 | 備註 |
|---|---|---|
| 智慧港口 | 美國長灘市<br>日本神戶市 | 合作意向書 |
| 城市交流 | 澳洲布里斯本市、菲律賓蘇比克灣 | 互訪 |

## 相關新聞

- [高雄燈會即將登場](https://example.gov.tw/news/1)
- [港區交通管制公告](https://example.gov.tw/news/2)
"""


def test_markdown_release(tmp_path):
    code, [rec], _ = run_extract(str(write(tmp_path, "release.md", RELEASE)))
    assert code == 0
    assert rec["title"] == "高雄與美國姊妹市簽署智慧港口合作意向書"
    assert rec["published"] == "2023-10-05"
    assert rec["site"] is None
    lines = rec["text"].split("\n")
    assert "美國長灘市" in lines and "日本神戶市" in lines  # <br> splits a cell into lines
    assert "澳洲布里斯本市、菲律賓蘇比克灣" in lines
    for chrome in ("相關新聞", "高雄燈會", "港區交通", "聯絡人", "07-1234567", "發布日期", "新聞稿"):
        assert chrome not in rec["text"], chrome


def test_slash_posting_date(tmp_path):
    text = "# 某市政府 新聞稿\n\n張貼日:2021/9/30\n\n## 某市與立陶宛城市交流\n\n市長今天接見立陶宛訪團，雙方同意推動青年交流計畫。\n"
    _, [rec], _ = run_extract(str(write(tmp_path, "r.md", text)))
    assert rec["published"] == "2021-09-30"
    assert rec["title"] == "某市與立陶宛城市交流"


def test_markdown_post_with_images_captions_and_related_links(tmp_path):
    post = """---
title: 台菲簽署農業合作備忘錄
date: 2025-06-03T02:00:00Z
url: https://news.example.ph/tw-ph-agri
---
![農業部長與菲律賓農業部長握手](https://img.example.ph/1.jpg)

▲農業部長與菲律賓農業部長握手。（農業部提供）

農業部今天與菲律賓農業部簽署合作備忘錄，雙方將在稻作育種與智慧灌溉技術上合作，並互派專家交流。

菲方表示，期盼借重台灣的農業技術，提升當地稻米產量。

**延伸閱讀**

- [颱風假最新消息](https://news.example.ph/a)
- [夜市美食排行](https://news.example.ph/b)
"""
    _, [rec], _ = run_extract(str(write(tmp_path, "post.md", post)))
    assert rec["title"] == "台菲簽署農業合作備忘錄" and rec["published"] == "2025-06-03"
    assert rec["site"] == "news.example.ph"
    assert "雙方將在稻作育種與智慧灌溉技術上合作" in rec["text"]
    for chrome in ("農業部提供", "延伸閱讀", "颱風假", "夜市", "img.example"):
        assert chrome not in rec["text"], chrome
    assert rec["text"].split("\n")[-1] == "農業部長與菲律賓農業部長握手。"  # the caption follows the article


INDENTED = """---
title: 某市與德國城市簽署合作備忘錄
from: https://news.example.tw/a/1
---

    某市與德國城市簽署合作備忘錄

    某市政府今日與德國某市以視訊方式簽署智慧城市合作備忘錄，雙方將交流淨零轉型經驗。

    市長致詞表示，期盼兩市在綠能與數位治理領域持續深化合作。
"""

WRAPPED = """---
title: 兩國簽署科研合作協議
from: https://news.example.tw/a/2
---

兩國簽署科研合作協議

國家科學委員會今天與某國研究部門簽署科
學合作協議(Science Cooperation Agreement
,SCA),雙方將在半導體、太空與量子等領
域展開聯合研究,並互派研究人員交流。

主委表示,這份協議是雙方多年努力的成
果,未來每年將輪流舉辦科學研討會。
"""


def test_four_space_indented_body_is_prose_not_code(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "indented.md", INDENTED)))
    assert "某市政府今日與德國某市以視訊方式簽署智慧城市合作備忘錄" in rec["text"]
    assert "期盼兩市在綠能與數位治理領域持續深化合作" in rec["text"]


def test_hard_wrapped_paragraphs_are_joined(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "wrapped.md", WRAPPED)))
    lines = rec["text"].split("\n")
    assert any(line.startswith("國家科學委員會今天") and line.endswith("並互派研究人員交流。") for line in lines)
    assert "(Science Cooperation Agreement,SCA)" in rec["text"]
    assert "主委表示,這份協議是雙方多年努力的成果,未來每年將輪流舉辦科學研討會。" in lines


def test_stacked_headline_subtitle_and_date_are_not_joined():
    from ties.readers.paragraphs import join_hard_wraps
    lines = ["總統接見某國國會議長訪問團並期許深化雙邊合作關係", "總統肯定兩國在醫療與農業領域的長年合作", "中華民國113年01月28日"]
    assert join_hard_wraps(lines) == lines


def test_one_paragraph_per_line_is_not_a_wrap():
    from ties.readers.paragraphs import join_hard_wraps
    lines = ["外交部長今天接見某國國會議員訪問團，雙方就經貿與安全議題交換意見。",
             "部長表示，兩國在半導體與能源領域的合作潛力很大，盼持續深化交流。",
             "訪團團長感謝台灣的熱情接待，並表示將推動兩國國會友好小組合作。"]
    assert join_hard_wraps(lines) == lines


# Prose with no Markdown in it skips the parser; it must read exactly as the parser reads it.
_PROSE_CHARS = "外交部長今天接見帛琉參議員雙方同意合作。，、：；！？（）「」 \t\n\n\u3000\u00a0AbZ09.,:;!?()'\"/@$%^{}=+-#"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_PROSE_CHARS, max_size=120))
def test_prose_without_markdown_reads_as_the_parser_reads_it(text):
    from ties.readers.markdown_release import _MARKUP_CHAR, _MARKUP_LINE, _parsed_blocks, parse_blocks
    if _MARKUP_CHAR.search(text) or _MARKUP_LINE.search(text):
        return  # markup: the parser reads it
    assert parse_blocks(text) == _parsed_blocks(text)


@pytest.mark.parametrize("text", [
    "部長今天接見訪團。\n\n雙方同意合作。  \n並簽署備忘錄。",  # two trailing spaces: a hard break
    "    部長今天接見訪團。\n\t雙方同意合作。",  # indented prose is prose (no code blocks)
    "\u3000\u3000部長今天接見訪團。\n\n\n",
    "2024年3月5日 部長接見訪團 (記者/台北) 100% 合作",
])
def test_plain_prose_fast_path_examples(text):
    from ties.readers.markdown_release import _parsed_blocks, parse_blocks
    assert parse_blocks(text) == _parsed_blocks(text)
