"""Full HTML pages: headline without the site name, canonical site, dates from metadata or text."""
import pytest

from conftest import run_extract, write

BODY = """
<header><nav><ul><li><a href="/">首頁</a></li><li><a href="/p">政治</a></li><li><a href="/w">國際</a></li>
<li><a href="/l">生活</a></li><li><a href="/s">運動</a></li></ul></nav><div class="search">搜尋</div></header>
<div class="breadcrumb"><a href="/">首頁</a> &gt; <a href="/w">國際</a></div>
<main><article>
<h1>{h1}</h1>
{dateline}
<div class="share"><a>分享到Facebook</a><a>分享到LINE</a><a>複製連結</a></div>
<div class="article-body">
<p>菲律賓眾議院代表團今天拜會立法院，與我國立委就農業技術、防災合作與移工權益交換意見，雙方同意建立定期交流機制。</p>
<p>訪問團團長表示，感謝台灣在颱風災後提供救援物資，盼未來在智慧農業與漁業管理方面展開更多合作，並邀請台灣代表團明年回訪馬尼拉。</p>
<p>我方表示，台灣與菲律賓是重要鄰國，將透過新南向政策持續深化人才培育與產業合作，共同維護區域和平穩定。</p>
</div>
</article>
<aside><h3>熱門新聞</h3><ul>
<li><a href="/x/1">影星婚禮現場曝光 粉絲大驚喜</a></li>
<li><a href="/x/2">股市今日收盤漲百點 電子股領軍</a></li>
<li><a href="/x/3">寒流來襲 週末低溫探8度</a></li></ul></aside>
</main>
<footer><p>關於我們 | 隱私權政策 | 聯絡我們</p><p>© 2024 測試新聞網 版權所有 台北市中正區某路1號</p></footer>
"""


def page(head: str, h1: str = "菲律賓眾議員訪立法院 盼深化農業與防災合作", dateline: str = "") -> str:
    return f"<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'>{head}</head><body>" \
           + BODY.format(h1=h1, dateline=dateline) + "</body></html>"


HEAD = """<title>菲律賓眾議員訪立法院 盼深化農業與防災合作 - 測試新聞網</title>
<meta property="og:site_name" content="測試新聞網">
<link rel="canonical" href="https://www.testnews.com.tw/news/politics/20240516001">
<meta property="article:published_time" content="2024-05-15T17:10:00+00:00">"""


def extract_page(tmp_path, html: str, name: str = "page.html") -> dict:
    code, [rec], _ = run_extract(str(write(tmp_path, name, html)))
    assert code == 0
    return rec


def test_page_with_chrome(tmp_path):
    rec = extract_page(tmp_path, page(HEAD))
    assert rec["title"] == "菲律賓眾議員訪立法院 盼深化農業與防災合作"
    assert rec["site"] == "testnews.com.tw"
    assert rec["published"] == "2024-05-16"  # 17:10 UTC = 01:10 in Taipei the next day
    text = rec["text"]
    assert "雙方同意建立定期交流機制" in text and "共同維護區域和平穩定" in text
    for chrome in ("熱門新聞", "影星婚禮", "股市今日", "隱私權政策", "版權所有", "分享到Facebook", "首頁", "政治"):
        assert chrome not in text, chrome


@pytest.mark.parametrize("head,dateline,iso", [
    ('<title>標題 | 測試新聞網</title><script type="application/ld+json">'
     '{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","datePublished":"2023-08-01T09:00:00+08:00"}]}</script>',
     "", "2023-08-01"),
    ("<title>標題 | 測試新聞網</title>", '<time datetime="2022-12-03T10:00:00+08:00">2022/12/03</time>', "2022-12-03"),
    ("<title>標題 | 測試新聞網</title>", "<div class='date'>2021/07/09 18:56</div>", "2021-07-09"),
    ("<title>標題 | 測試新聞網</title>", "<p>發布日期：113-05-16</p>", "2024-05-16"),
    ("<title>標題 | 測試新聞網</title>", "", None),
])
def test_publication_date_sources(tmp_path, head, dateline, iso):
    rec = extract_page(tmp_path, page(head, dateline=dateline))
    assert rec["published"] == iso


def test_site_name_only_title_is_null(tmp_path):
    html = "<html><head><title>測試新聞網</title><meta property='og:site_name' content='測試新聞網'></head><body>" \
           "<p>外交部今天宣布，將與巴拉圭合作推動醫療資訊系統，雙方同意互派專家進行培訓交流活動。</p>" \
           "<p>巴方感謝台灣長期協助，盼未來在農業與教育領域擴大合作，並共同推動青年交流計畫。</p></body></html>"
    rec = extract_page(tmp_path, html)
    assert rec["title"] is None
    assert rec["site"] is None


def test_title_separators_inside_headline_are_kept(tmp_path):
    head = "<title>台美「21世紀貿易倡議」第二輪談判 - 聚焦數位貿易 | 測試新聞網</title>" \
           "<meta property='og:site_name' content='測試新聞網'>"
    rec = extract_page(tmp_path, page(head, h1="台美「21世紀貿易倡議」第二輪談判 - 聚焦數位貿易"))
    assert rec["title"] == "台美「21世紀貿易倡議」第二輪談判 - 聚焦數位貿易"


def test_truncated_page_still_reads(tmp_path):
    html = page(HEAD)
    cut = html[: html.index("我方表示")]
    rec = extract_page(tmp_path, cut)
    assert "雙方同意建立定期交流機制" in rec["text"]
