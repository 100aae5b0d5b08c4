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


CHROME_IN_BODY = """---
title: 外交部與某國簽署農業合作協定
from: https://news.example.tw/politics/100
---

為達最佳瀏覽效果，建議使用 Chrome、Firefox 或 Microsoft Edge 的瀏覽器。

請至Chrome官網下載 請至Edge官網下載 請至Google官網下載

熱門: 颱風 股市 演唱會

人氣: 2,048

外交部今(3)日與某國駐台大使簽署農業技術合作協定，雙方將在稻作育種與灌溉技術上合作。

上圖為協定簽署儀式會場。Photo Credit:外交部 提供

請繼續往下閱讀...

廣告 廣告

請同意我們的隱私權規範,才能啟用聽新聞的功能。

部長表示，這項協定將讓兩國農民直接受惠，雙方也同意明年互派專家交流。

發表意見

本報對留言系統使用者發布的文字、圖片或檔案保有片面修改或移除的權利，請使用者遵守留言板規則。

回到頂端
"""


def test_chrome_shared_by_news_sites_is_dropped(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "chrome.md", CHROME_IN_BODY)))
    text = rec["text"]
    assert "外交部今(3)日與某國駐台大使簽署農業技術合作協定" in text
    assert "部長表示，這項協定將讓兩國農民直接受惠" in text
    assert "上圖為協定簽署儀式會場。" in text  # the caption stays, its credit goes
    for chrome in ("最佳瀏覽效果", "官網下載", "熱門", "人氣", "Photo Credit", "請繼續往下閱讀", "廣告",
                   "隱私權規範", "發表意見", "留言系統", "回到頂端"):
        assert chrome not in text, chrome


def test_a_few_br_tags_do_not_make_a_markdown_body_html(tmp_path):
    post = CHROME_IN_BODY.replace("上圖為協定簽署儀式會場。", "上圖為協定簽署儀式會場。<br /><br />")
    _, [rec], _ = run_extract(str(write(tmp_path, "br.md", post)))
    assert "人氣" not in rec["text"] and "外交部今(3)日" in rec["text"]


def test_a_byline_is_never_the_title(tmp_path):
    for byline in ("記者王小明／台北報導", "即時中心／李大同報導", "記者陳某∕台北報導"):
        page = f"按 Enter 到主內容區\n\n某某新聞LOGO\n\n{byline}\n\n外交部今(2)日表示，某國議員訪問團將於下週抵台，並拜會立法院與國科會。\n\n外交部指出，訪團將就供應鏈韌性與能源合作交換意見。\n"
        _, [rec], _ = run_extract(str(write(tmp_path, "byline.md", page)))
        assert rec["title"] is None, byline


CAPTIONED = """---
title: 某國國會議長訪台 立法院長設宴款待
from: https://news.example.tw/politics/200
---

▲立法院副院長王大明（左二）與某國國會議長（右二）合影。（立法院提供）

某國國會議長今(8)日率團抵台訪問，立法院長於晚間設宴款待，雙方就國會交流交換意見。

議長表示，兩國國會將持續深化交流，並邀請立法院組團回訪。

（圖／外交部提供）

國際中心某某某攝影：李攝影師
"""


def test_caption_persons_reach_the_text_and_credits_do_not(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "cap.md", CAPTIONED)))
    assert rec["captions"] == ["立法院副院長王大明（左二）與某國國會議長（右二）合影。"]
    assert rec["text"].endswith("立法院副院長王大明（左二）與某國國會議長（右二）合影。")
    assert "立法院提供" not in rec["text"] and "外交部提供" not in rec["text"]
    assert rec["text"].startswith("某國國會議長今(8)日率團抵台訪問")


def test_caption_text_drops_credits():
    from ties.clean.chrome import rules
    r = rules()
    assert r.caption_text("部長（左）與大使握手致意。中央社記者某某台北攝 113年5月16日") == "部長（左）與大使握手致意。"
    assert r.caption_text("市長與訪團合影。（圖／市政府提供，下同）") == "市長與訪團合影。"
    assert r.caption_text("圖／某市政府新聞處提供") == ""
    assert r.caption_text("（圖／取自某國國會網站）") == ""
    assert r.is_caption("代表（右）表示，兩國合作前景可期。 中央社記者某某攝 113年5月16日")


APP_PROMPTS = """某某新聞網

TOP

台日城市簽署觀光交流備忘錄

2024/09/02 10:15

〔記者某某／台中報導〕台中市長今(2)日與日本某縣知事簽署觀光交流備忘錄，雙方將互推旅遊路線並擴大包機航點。

市長表示，兩地將在明年舉辦觀光推廣週，並邀請學生團體互訪交流，深化青年交流。

不用抽 不用搶 現在用APP看新聞 保證天天中獎 點我下載APP 按我看活動辦法

本網站之文字、圖片及影音,非經授權,不得轉載、公開播送或公開傳輸及利用。

責任編輯：某某某

【延伸閱讀】

台中燈會明年移師海線 預計吸引百萬人次
"""


def test_app_prompts_copyright_notices_and_editor_lines_are_dropped(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "app.txt", APP_PROMPTS)))
    text = rec["text"]
    assert rec["title"] == "台日城市簽署觀光交流備忘錄" and rec["published"] == "2024-09-02"
    assert "雙方將互推旅遊路線" in text and "深化青年交流" in text
    for chrome in ("APP", "非經授權", "責任編輯", "延伸閱讀", "台中燈會", "TOP"):
        assert chrome not in text, chrome


def test_a_headline_ending_like_a_byline_word_is_still_a_title():
    from ties.clean.chrome import rules
    assert not rules().is_byline("經濟部長率團拜會台電")
    assert not rules().is_byline("台日合作受矚目 日媒大篇幅報導")
    assert rules().is_byline("中央社記者某某台北16日電")
    assert rules().is_byline("國際中心／綜合報導")


BYLINE_IN_BODY = """某國外長訪台 外交部長設宴款待

▲外交部長與某國外長握手致意。（外交部提供）

記者王小明／台北報導

2024/06/11 18:20

某國外長今(11)日抵台訪問，外交部長晚間設宴款待，雙方就農業與醫療合作交換意見。

外交部長表示，台灣將持續與友邦攜手，推動醫療人員培訓與智慧農業計畫。

雙方簽署醫衛合作協定。某某某攝

記者會上外長表示，將持續推動兩國合作。
"""


def test_bylines_and_timestamps_leave_the_text_but_give_the_date(tmp_path):
    _, [rec], _ = run_extract(str(write(tmp_path, "byline.txt", BYLINE_IN_BODY)))
    text = rec["text"]
    assert rec["published"] == "2024-06-11"
    assert rec["title"] == "某國外長訪台 外交部長設宴款待"
    assert "王小明" not in text and "2024/06/11" not in text and "某某某" not in text
    assert "記者會上外長表示，將持續推動兩國合作。" in text  # 記者會 is not a byline
    assert rec["captions"] == ["外交部長與某國外長握手致意。", "雙方簽署醫衛合作協定。"]


def test_outlet_named_more_stories_heading_ends_the_article(tmp_path):
    page = ("某國議員訪團抵台\n\n某國國會議員訪團今(5)日抵台，將拜會總統府與外交部，並參訪科學園區。\n\n"
            "訪團團長表示，期盼深化兩國在半導體與再生能源領域的合作。\n\n更多 某某新聞 報導\n\n"
            "另一則新聞的標題在這裡，內容與本文無關，但也寫成了完整的句子。\n")
    _, [rec], _ = run_extract(str(write(tmp_path, "more.txt", page)))
    assert "訪團團長表示" in rec["text"] and "另一則新聞" not in rec["text"]


def test_a_menu_of_short_words_is_not_the_title(tmp_path):
    page = ("即時 熱門 政治 軍武 社會 生活 健康 國際 地方 財經\n\n某國議員團訪台 拜會外交部\n\n2024/03/05 11:20\n\n"
            "某國國會議員訪團今(5)日抵台，下午拜會外交部，雙方就經貿與安全議題交換意見。\n")
    _, [rec], _ = run_extract(str(write(tmp_path, "menu.txt", page)))
    assert rec["title"] == "某國議員團訪台 拜會外交部"


def test_app_banners_link_lines_and_newsroom_labels_are_dropped(tmp_path):
    page = """---
from: https://radio.example.tw/news/1
---

close
某某之音立刻下載官方APP
開啟

某國外長訪台 外交部設宴款待

  • 新聞引據:採訪
  • 撰稿編輯:某某某

(http://www.example.com)

外交部長今(3)日設宴款待訪台的某國外長，雙方就農業與醫療合作交換意見。

某國外長表示，感謝台灣長期協助，盼雙方在智慧農業領域擴大合作。

相關留言

本分類最新更多
"""
    _, [rec], _ = run_extract(str(write(tmp_path, "radio.md", page)))
    assert rec["title"] == "某國外長訪台 外交部設宴款待"
    assert rec["text"].split("\n") == ["外交部長今(3)日設宴款待訪台的某國外長，雙方就農業與醫療合作交換意見。",
                                       "某國外長表示，感謝台灣長期協助，盼雙方在智慧農業領域擴大合作。"]


def test_sentences_that_mention_apps_or_privacy_are_not_chrome():
    from ties.clean.chrome import rules
    r = rules()
    assert not r.is_chrome("民眾可至官網下載申請表，或下載APP查詢進度。")
    assert not r.is_chrome("數位部今天修訂隱私權政策，強化個資保護。")
    assert r.is_chrome("iOS App下載Android App下載")
    assert r.is_chrome("版權所有，轉載必究。")


def test_number_lines_are_not_timestamps():
    from ties.clean.text_blocks import is_furniture
    assert is_furniture("2024/06/11 18:20")
    assert not is_furniture("1,234")
    assert not is_furniture("113年度 3,000萬元")


def test_bare_line_loses_leading_bullets_and_trailing_marks_only():
    from ties.clean.chrome import bare

    assert bare("  ● 【相關新聞】：  ") == "相關新聞"
    assert bare("▶ 延伸閱讀 >>") == "延伸閱讀"
    assert bare("a：b：") == "a：b"
    assert bare("】】") == "" and bare("【【") == "" and bare("   ") == ""
    assert bare("《部長》出訪") == "部長》出訪"


def test_caption_credit_counter_and_glued_site_words_come_from_page_chrome_yaml():
    from ties.clean.chrome import rules
    from ties.sitemeta import headline_from_page_title

    r = rules()
    assert r.counter.fullmatch("瀏覽次數1,024次") and r.counter.fullmatch("閱讀12Views")
    assert not r.counter.fullmatch("閱讀12頁")
    assert r.caption_text("市長與訪團合影留念。記者王小明攝 一一三年五月十六日") == "市長與訪團合影留念。"
    assert headline_from_page_title("訪團參觀園區｜產業交流-測試部", []) == "訪團參觀園區｜產業交流"
    assert headline_from_page_title("訪團參觀園區｜產業交流-測試隊", []) == "訪團參觀園區｜產業交流-測試隊"
