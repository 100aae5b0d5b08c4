"""Scraped plain text full of page chrome: the article, its headline and its date."""
from conftest import run_extract, write

SCRAPED = """快報新聞台 | QuickNews
  • 首頁
  • 政治
  • 財經
  • 國際
  • 娛樂
搜尋
首頁 國際

台加簽署人工智慧研究合作備忘錄 盼共同培育AI人才

2025/03/12
記者 某某某
分享 複製連結
國科會主委今(12)日與加拿大駐台代表共同見證台加人工智慧研究合作備忘錄簽署，雙方將在可信任AI、醫療影像與氣候模型等領域推動聯合研究，並互派研究人員交流。
主委表示，加拿大在深度學習基礎研究領域居全球領先地位，台灣則擁有完整的半導體與資通訊產業鏈，雙方優勢互補，盼透過本次合作備忘錄，在三年內完成至少十項共同研究計畫。
加方代表指出，渥太華與台北將輪流舉辦年度研討會，首屆會議預計今年秋季登場，也歡迎台灣新創企業參與加拿大的AI加速器計畫。
推薦閱讀
台加簽署人工智慧研究合作備忘錄 盼共同培育AI人才
2025/03/12
颱風季前防災演練 各縣市動員
2025/03/11
更多新聞
知名歌手演唱會門票秒殺 網友哀號
美食節登場 人潮湧入
© 2025 快報新聞台 版權所有
"""


def test_scraped_page(tmp_path):
    code, [rec], _ = run_extract(str(write(tmp_path, "scraped.txt", SCRAPED)))
    assert code == 0
    assert rec["title"] == "台加簽署人工智慧研究合作備忘錄 盼共同培育AI人才"
    assert rec["published"] == "2025-03-12"
    assert rec["site"] is None
    text = rec["text"]
    assert text.startswith("國科會主委今(12)日")
    assert "也歡迎台灣新創企業參與加拿大的AI加速器計畫。" in text
    for chrome in ("推薦閱讀", "颱風季前", "演唱會", "美食節", "版權所有", "複製連結", "首頁", "QuickNews"):
        assert chrome not in text, chrome
    assert len(text.split("\n")) == 3


def test_date_in_site_banner_is_not_the_publication_date(tmp_path):
    page = "今天是 2025年4月1日 星期二\n首頁 國際\n\n外交部宣布與瓜地馬拉合作推動智慧農業計畫\n2025-03-28\n" \
           "外交部今天宣布，將與瓜地馬拉農業部合作推動智慧農業示範計畫，導入感測器與資料平台協助當地農民提升產量。\n" \
           "瓜方部長表示，感謝台灣長期技術協助，期待雙方在糧食安全與氣候調適方面有更多合作。\n"
    _, [rec], _ = run_extract(str(write(tmp_path, "banner.txt", page)))
    assert rec["published"] == "2025-03-28"
    assert rec["title"] == "外交部宣布與瓜地馬拉合作推動智慧農業計畫"


def test_chrome_only_file_gives_empty_text_and_warning(tmp_path):
    chrome = "首頁\n政治\n財經\n分享到Facebook\n熱門新聞\n某明星結婚了\n另一則娛樂新聞\n© 2025 某網站 版權所有\n"
    code, [rec], err = run_extract(str(write(tmp_path, "chrome.txt", chrome)))
    assert code == 0
    assert rec["text"] == ""
    assert "no article text found" in rec["warnings"][0]
    assert "warning" in err
