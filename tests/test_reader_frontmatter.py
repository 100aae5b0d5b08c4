"""Posts with YAML front matter and an HTML (or Markdown) body."""
from conftest import run_extract, write

POST = """---
layout: post
title: "經濟部長會晤波蘭副部長 盼擴大半導體供應鏈合作"
date: 2023-11-09T17:30:00.000Z
author: 測試通訊社
from: https://www.example-news.com.tw/news/2023/1110/abc.html
tags: [ 測試通訊社 ]
---
<!--1699551000000-->
[經濟部長會晤波蘭副部長 盼擴大半導體供應鏈合作](https://www.example-news.com.tw/news/2023/1110/abc.html)
------

<div>
<figure><img src="https://img.example-news.com.tw/p/1.jpg" alt="x"><figcaption>經濟部長（左）與波蘭副部長合影。（經濟部提供）</figcaption></figure>
<p>（測試社記者王大同台北10日電）經濟部長今天在部內會晤來訪的波蘭發展部副部長一行，雙方就半導體、綠能與供應鏈韌性交換意見，並同意持續推動產業媒合。</p>
<div class="media"><a class="insert" href="https://www.example-news.com.tw/other"><span>另一則不相關的新聞標題在這裡</span></a></div>
<p>部長表示，台灣與波蘭在電動車電池與智慧製造領域互補性高，期盼明年在華沙舉辦產業論壇，帶領更多台灣企業赴歐投資。</p>
<p>波方感謝台灣在疫情期間捐贈口罩，並邀請台灣廠商參加當地的國際工業展。（編輯：陳小華）1121110</p>
<div class="articlekeywordGroup"><a href="/tag/1">#波蘭</a><a href="/tag/2">#半導體</a></div>
<div class="paragraph moreArticle"><div class="moreArticle-title">延伸閱讀</div>
<a class="moreArticle-link" href="/n/1"><span>颱風路徑最新預測出爐</span></a>
<a class="moreArticle-link" href="/n/2"><span>夜市美食排行榜公布</span></a></div>
</div>
"""


def test_front_matter_post(tmp_path):
    code, [rec], _ = run_extract(str(write(tmp_path, "post.md", POST)))
    assert code == 0
    assert rec["title"] == "經濟部長會晤波蘭副部長 盼擴大半導體供應鏈合作"
    assert rec["published"] == "2023-11-10"  # 17:30 UTC is 01:30 the next day in Taipei
    assert rec["site"] == "example-news.com.tw"
    assert rec["format"] == "frontmatter"
    text = rec["text"]
    assert "雙方就半導體、綠能與供應鏈韌性交換意見" in text
    assert "期盼明年在華沙舉辦產業論壇" in text
    for chrome in ("另一則不相關的新聞標題", "颱風路徑", "夜市美食", "img.example-news", "#波蘭", "經濟部提供", "](https"):
        assert chrome not in text
    assert rec["tags"] == ["波蘭", "半導體"]
    assert rec["captions"] == ["經濟部長（左）與波蘭副部長合影。"]  # the credit is no part of it
    assert text.endswith("\n經濟部長（左）與波蘭副部長合影。")  # after the article, for extraction
    assert text.count("\n") >= 2  # paragraph breaks kept


def test_front_matter_with_markdown_body(tmp_path):
    post = """---
title: 臺捷簽署無人機合作備忘錄
date: 2024-09-12
source_url: https://news.example.org/a/1
---
## 臺捷簽署無人機合作備忘錄

國防產業代表今日與捷克無人機協會簽署合作備忘錄，雙方將共同開發民用無人機標準，並規劃明年舉辦聯合展覽。

捷方表示，期待與臺灣業者建立長期夥伴關係，共同拓展歐洲市場。
"""
    _, [rec], _ = run_extract(str(write(tmp_path, "mdpost.md", post)))
    assert rec["title"] == "臺捷簽署無人機合作備忘錄"
    assert rec["published"] == "2024-09-12"
    assert rec["site"] == "news.example.org"
    assert "共同開發民用無人機標準" in rec["text"]
    assert "期待與臺灣業者建立長期夥伴關係" in rec["text"]


def test_no_date_in_front_matter_falls_back_to_edit_code(tmp_path):
    post = "---\ntitle: 測試標題\n---\n<p>外交部今天表示，雙方將持續推動合作交流。</p><p>第二段內容在此，雙方同意擴大交流。（編輯：林一）1130516</p>"
    _, [rec], _ = run_extract(str(write(tmp_path, "p.txt", post)))
    assert rec["published"] == "2024-05-16"
    assert rec["site"] is None


def test_month_only_front_matter_date_is_completed_from_url_or_dateline(tmp_path):
    body = "某國外長今天抵台訪問，外交部長親赴機場迎接，雙方將就經貿合作交換意見。\n"
    by_url = '---\ndate: "2024-05"\nfrom: https://news.example.tw/news/20240516/1.htm\n---\n\n' + body
    by_line = '---\ndate: "2024-05"\nfrom: https://news.example.tw/story/77\n---\n\n(中央社記者某某台北16日電)' + body
    wrong_month = '---\ndate: "2024-06"\nfrom: https://news.example.tw/news/20240516/1.htm\n---\n\n' + body
    for name, post, iso in (("u.md", by_url, "2024-05-16"), ("l.md", by_line, "2024-05-16"), ("w.md", wrong_month, None)):
        _, [rec], _ = run_extract(str(write(tmp_path, name, post)))
        assert rec["published"] == iso, name


def test_year_only_front_matter_date_still_constrains(tmp_path):
    body = "某國外長今天抵台訪問，外交部長親赴機場迎接，雙方將就經貿合作交換意見。\n"
    post = '---\ndate: 2024\nfrom: https://news.example.tw/news/20240516/1.htm\n---\n\n' + body
    _, [rec], _ = run_extract(str(write(tmp_path, "y.md", post)))
    assert rec["published"] == "2024-05-16"
    _, [rec], _ = run_extract(str(write(tmp_path, "z.md", post.replace("date: 2024", "date: 2023"))))
    assert rec["published"] is None


def test_front_matter_parsed_once_reads_as_parsed_twice():
    """The handler reuses the sniff's parse (the head without its last line break) only where
    that line break changes nothing; a block scalar keeps it, so it is parsed whole."""
    from ties import lenient_yaml
    from ties.lenient_yaml import LenientYAMLHandler

    handler = LenientYAMLHandler()
    plain = "\ntitle: 部長接見訪團\ndate: 2024-05-16\ntags: [甲, 乙]\n"
    lenient_yaml.load_front_matter(plain[:-1])
    assert handler.load(plain) == lenient_yaml.load(plain)
    block = "\ntitle: 標題\nsummary: |\n  第一行\n  第二行\n"
    assert handler.load(block)["summary"] == "第一行\n第二行\n" == lenient_yaml.load(block)["summary"]


def test_simple_front_matter_reads_as_the_full_yaml_parser_reads_it():
    from ties.lenient_yaml import _simple_mapping, load

    simple = ("\ntitle: 部長接見訪團：深化合作\ndate: 2024-05-16T08:00:00+08:00\nfrom: https://example.tw/n?id=1#top\n"
              "quoted: \"2024-05-16\"\nsingle: 'a: b'\nflag: yes\ncount: 12\nnothing: ~\nbad_date: 2024-13-45\n")
    assert _simple_mapping(simple) == load(simple)
    assert type(_simple_mapping(simple)["date"]) is type(load(simple)["date"])
    # Anything beyond `key: value` lines is left to the full parser.
    for other in ("\ntags: [甲, 乙]", "\ntitle: a: b", "\nsummary: |\n  一行", "\n  indented: x", "\nx: 1 # note",
                  "\nanchor: &a 1", "\n- item", "\ntab:\tx", "\n"):
        assert _simple_mapping(other) is None
