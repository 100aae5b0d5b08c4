"""Markdown press releases: generic headings skipped, metadata lines, tables as text lines."""
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
    for chrome in ("握手", "延伸閱讀", "颱風假", "夜市", "img.example"):
        assert chrome not in rec["text"], chrome
