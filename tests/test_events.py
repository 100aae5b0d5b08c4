"""Events: one per engagement, typed, dated, sides split, planned ones left out."""
from ties.extraction.run import extract
from ties.model import Document


def events(text, published):
    return extract(Document(path="t", text=text, format="text", published=published)).events


def test_one_meeting_reported_in_several_sentences():
    text = ("數位發展部長黃彥男今(3)日接見捷克參議院副議長一行，雙方就資安與半導體合作交換意見。\n"
            "黃彥男表示，台灣與捷克是民主夥伴，盼未來擴大人才交流。\n"
            "捷克參議院副議長在會中感謝台灣協助，並邀請數位部明年赴布拉格參加論壇。")
    [ev] = events(text, "2024-09-03")
    assert ev.type == "CONSULT" and ev.mode == "meeting"
    assert ev.date == "2024-09-03"
    assert "黃彥男" in ev.taiwan_side
    assert ev.partner_countries == ["CZ"]


def test_signing_is_agree_with_the_local_date():
    text = "經濟部次長陳正祺當地時間12日在華沙與波蘭發展部次長簽署產業合作備忘錄，雙方同意成立工作小組。"
    [ev] = events(text, "2024-05-13")
    assert ev.type == "AGREE" and ev.date == "2024-05-12"
    assert ev.partner_countries == ["PL"]


def test_planned_visit_is_not_an_event():
    text = "外交部表示，立陶宛經濟部長預計下月率團訪台，將出席半導體論壇。"
    assert events(text, "2024-01-10") == []


def test_past_visit_needs_a_named_participant():
    text = ("國科會主委吳誠文今天接見英國研究與創新署訪團，雙方簽署研究合作協議。\n"
            "英方去年也曾派團訪台。\n"
            "國科會副主委林法正去年率團訪問倫敦，參觀多所大學。")
    found = events(text, "2025-03-12")
    assert sorted((e.date, e.type) for e in found) == [
        ("2024", "CONSULT"), ("2025-03-12", "AGREE"), ("2025-03-12", "CONSULT")]  # meeting + signing
    # 英方去年也曾派團訪台 names nobody: not an event
    past = next(e for e in found if e.date == "2024")
    assert past.taiwan_side == ["林法正"] and past.partner_countries == ["GB"]


def test_two_guests_met_separately_are_two_meetings():
    text = ("副總統賴清德今天在亞松森會見巴拉圭總統當選人潘尼亞（Santiago Peña），雙方就農業合作交換意見。\n"
            "賴清德同一天也會晤巴拉圭總統阿布鐸（Mario Abdo Benítez），感謝巴國長期支持。")
    found = events(text, "2023-08-14")
    assert len(found) == 2
    assert {tuple(e.counterparts) for e in found} == {("潘尼亞",), ("阿布鐸",)}


def test_outcomes_are_clauses_of_the_event():
    text = ("農業部長陳駿季今天接見瓜地馬拉農業部長，雙方同意擴大智慧農業技術合作。\n"
            "陳駿季表示，期盼兩國在糧食安全領域有更多交流，共同因應氣候變遷。")
    [ev] = events(text, "2024-11-05")
    clauses = [c for c, _ in ev.outcomes]
    assert any(c.startswith("同意擴大智慧農業技術合作") for c in clauses)
    assert any(c.startswith("期盼兩國在糧食安全領域有更多交流") for c in clauses)
    assert all(len(c) < 40 for c in clauses)


def test_the_delegation_and_that_day():
    text = ("捷克參議院訪問團今（4）日拜會外交部，由外交部長林佳龍接待，團長韋德齊（Miloš Vystrčil）表示盼深化合作。\n"
            "訪團昨（3）日抵台後，已先與數位發展部長黃彥男會面，了解台灣的資安經驗。\n"
            "外交部3日宣布將捐贈醫療器材給捷克醫院。外交部長林佳龍當天下午也前往捷克經濟文化辦事處拜會。")
    found = events(text, "2024-09-04")
    by_date = {}
    for e in found:
        by_date.setdefault(e.date, []).append(e)
    meeting_3rd = [e for e in by_date.get("2024-09-03", []) if "黃彥男" in e.taiwan_side]
    assert meeting_3rd and "韋德齊" in meeting_3rd[0].counterparts  # the delegation = the lead's visitors
    # 當天 is the day of the sentence before (3日), not the story's lead date
    assert any("林佳龍" in e.taiwan_side for e in by_date.get("2024-09-03", []))
    assert "2024-09-04" in by_date


def test_schedule_rows_are_sessions_with_their_listed_guests(tmp_path):
    from conftest import run_extract, write

    release = """# 高雄市政府 新聞稿

發布日期：113-10-01

## 2024 亞太港灣城市論壇登場

高雄市長陳其邁今(1)日出席亞太港灣城市論壇開幕，論壇分別在今(1)日與明(2)日舉行，由副市長林欽榮主持城市對談。

| 場次 | 日期 | 與會城市 |
|---|---|---|
| 港灣城市論壇<br>亞洲場 | 10/1 | 日本橫濱市、菲律賓宿霧市、越南峴港市 |
| 港灣城市論壇<br>歐美場 | 10/2 | 美國西雅圖市、荷蘭鹿特丹市 |
"""
    _, [rec], _ = run_extract(str(write(tmp_path, "forum.md", release)))
    by_date = {e["date"]: e for e in rec["events"]}
    assert {"2024-10-01", "2024-10-02"} <= set(by_date)
    assert "橫濱市" in by_date["2024-10-01"]["counterparts"] and "JP" in by_date["2024-10-01"]["partner_countries"]
    assert "鹿特丹市" in by_date["2024-10-02"]["counterparts"] and "NL" in by_date["2024-10-02"]["partner_countries"]
    assert "JP" not in by_date["2024-10-02"]["partner_countries"]  # two sessions, not one


def test_both_sides_sign_after_the_meeting_and_a_second_guest_is_a_second_meeting():
    text = ("總統蔡英文當地時間11日在瓜地馬拉市與瓜國總統莫拉雷斯（Jimmy Morales）舉行會談。\n"
            "會談結束後，雙方共同簽署聯合公報，同意擴大農業合作。\n"
            "蔡總統同一天也與瓜國國會議長阿斯圖里亞斯（Mario Asturias）會晤，感謝國會支持。\n"
            "蔡總統表示，雙方的友誼就像兄弟。")
    found = events(text, "2017-01-12")
    kinds = sorted((e.type, tuple(e.counterparts)) for e in found)
    assert ("AGREE", ("莫拉雷斯",)) in kinds  # 雙方 = the lead meeting's parties
    assert len([e for e in found if e.type == "CONSULT"]) == 2  # two guests, two meetings
    assert all(e.date == "2017-01-11" for e in found)


def test_a_trip_is_dated_by_its_first_day_and_its_forum_by_its_month():
    text = "農業部長陳駿季3日至6日率團訪問瓜地馬拉，除出席台瓜農業論壇外，也見證雙方簽署漁業合作備忘錄。"
    found = events(text, "2024-11-07")
    assert {(e.type, e.mode, e.date) for e in found} >= {("CONSULT", "visit", "2024-11-03"), ("AGREE", "signing", "2024-11")}


def test_an_engagement_tomorrow_or_with_future_auxiliary_is_a_plan():
    text = ("斐濟貿易部長今天抵台訪問，外交部表示，部長明(8)日將與經濟部長共同簽署貿易合作協定。\n"
            "總統府指出，總統將於今天下午接見訪團。")
    found = events(text, "2024-05-07")
    assert [e.type for e in found] == ["CONSULT"] and found[0].date == "2024-05-07"


def test_a_reception_is_a_consult_other():
    text = "外交部次長吳志中25日晚間出席荷蘭在台辦事處舉辦的國王節酒會，並代表政府致詞祝賀。"
    [ev] = events(text, "2024-04-26")
    assert (ev.type, ev.mode, ev.date) == ("CONSULT", "other", "2024-04-25")


def test_an_undated_engagement_takes_the_publication_month():
    text = ("教育部長潘文忠率團抵達史瓦帝尼後，隨即前往王宮晉見史瓦帝尼國王恩史瓦帝三世。\n"
            "去(2023)年8月，潘文忠也曾接見史瓦帝尼教育部長。")
    found = events(text, "2024-03-12")
    assert "2024-03" in {e.date for e in found}


def test_the_dateline_day_is_not_the_engagement_day():
    text = "（中央社記者王小明台北26日電）歐洲議會代表團由外交委員會副主席白樂德（Peter Brand）率領，昨晚抵達台灣，展開為期3天訪問。"
    [ev] = events(text, "2024-06-26")
    assert ev.date == "2024-06-25"


def test_a_date_in_an_agreement_name_or_a_period_end_is_not_the_date():
    text = ("外交部長林大明於本(113)年3月5日抵達貝里斯訪問，並與貝國外長艾倫（Tom Allen）共同簽署《2024至2027年農業合作備忘錄》。\n"
            "吉里巴斯總統馬茂（Taneti Maamau）於今(7)日抵達臺灣，展開至3月11日、為期5天的訪問行程。")
    found = events(text, "2024-03-07")
    assert {e.date for e in found} == {"2024-03-05", "2024-03-07"}


def test_a_trigger_opening_a_period_is_history():
    text = "市長陳大同今天接見姊妹市市長布朗（Tom Brown），兩市自2011年締結姊妹市以來交流密切。"
    [ev] = events(text, "2024-05-16")
    assert ev.type == "CONSULT"


def test_a_spokesperson_is_not_a_participant():
    text = "帛琉總統惠大衛（David Whip）今天抵達台灣訪問，總統府發言人李小華表示，總統將以軍禮歡迎。"
    [ev] = events(text, "2024-05-16")
    assert "李小華" not in ev.taiwan_side + ev.counterparts


def test_a_trip_describing_a_person_is_not_reported_again():
    text = ("總統王大明出訪中美洲友邦，當地時間11日與瓜地馬拉總統莫拉（Jim Mora）舉行雙邊會談。\n"
            "隨同出訪的外交部長李小明說明，台灣也將捐贈醫療器材。")
    found = events(text, "2024-01-12")
    assert all("李小明" not in e.taiwan_side for e in found)
    assert "2024-01-11" in {e.date for e in found}


def test_a_taiwanese_trip_abroad_and_its_meeting_are_two_engagements():
    text = "立法院副院長王大同率多位立委訪問巴拉圭，當地時間21日拜會巴拉圭外交部長羅培茲（Juan López）。"
    found = events(text, "2025-11-22")
    assert sorted((e.mode, e.date) for e in found) == [("meeting", "2025-11-21"), ("visit", "2025-11")]


def test_the_witnesses_of_a_signing_tell_the_same_signing():
    text = ("市長陳大同今天與聖露西亞總理皮爾（John Peer）簽署姊妹市協定。\n"
            "雙方在市議長林小美、外交部次長王大中等人的見證下，簽署協定。")
    found = [e for e in events(text, "2024-06-25") if e.type == "AGREE"]
    assert len(found) == 1


def test_a_session_named_again_takes_its_date():
    text = ("越南台商聯合總會年會13到14日於胡志明市召開。\n"
            "年會由駐越南代表陳大文主持，越南工貿部副部長阮文山（Nguyen Van Son）出席。")
    found = events(text, "2025-09-15")
    assert [e.date for e in found] == ["2025-09-13"]


def test_a_video_meeting_is_a_call_and_comes_before_its_signing():
    text = "市長黃大偉今(25)日透過視訊與美國奧斯汀市長華森（Kirk Watson）會面，並簽署姊妹市協定。"
    found = events(text, "2022-10-25")
    assert [(e.type, e.mode) for e in found] == [("CONSULT", "call"), ("AGREE", "signing")]


def test_a_meeting_lists_its_people_not_their_ministries():
    text = "外交部長林志遠今(5)日接見史瓦帝尼觀光部長姆坎達（Jane Mkanda），外交部表示，雙方就觀光合作交換意見。"
    [ev] = events(text, "2025-10-05")
    assert "外交部" not in ev.taiwan_side and "林志遠" in ev.taiwan_side


def test_a_date_told_as_once_before_is_not_the_signing_date():
    text = "關島總督羅拉（Lou Lora）曾於2023年率團訪問高雄，這次再度來訪，與市長陳大同正式完成姊妹市簽署程序。"
    found = [e for e in events(text, "2026-03-05") if e.type == "AGREE"]
    assert found and all(e.date != "2023" for e in found)


def test_an_undated_signing_takes_the_date_of_the_dated_one():
    text = ("高雄市政府於3月5日與關島正式締結姊妹市。\n"
            "關島總督羅拉（Lou Lora）與市長陳大同共同簽署姊妹市協定。")
    found = [e for e in events(text, None) if e.type == "AGREE"]
    assert [e.date for e in found] == ["--03-05"]


def test_a_forum_of_cities_lists_them_and_a_lone_city_is_a_venue():
    text = ("市長陳大同今(24)日出席智慧城市論壇，與各城市代表交流。\n"
            "帛琉科羅州介紹衛星網路的做法；美國鳳凰城分享熱浪預警經驗，與會代表熱烈討論。\n"
            "副市長李小美同日在東京拜會日本經濟產業省次長佐藤健（Ken Sato）。")
    found = events(text, "2026-03-24")
    assert any({"科羅州", "鳳凰城"} <= set(e.counterparts) for e in found)
    assert all("東京" not in e.counterparts for e in found)


def test_an_interview_given_is_not_a_visit():
    text = "駐印尼代表王大同今天接受中央社訪問表示，台灣與印尼經貿往來密切。"
    assert events(text, "2025-12-02") == []


def test_an_announced_visit_is_a_plan_but_an_announced_gift_is_the_gift():
    assert events("捷克眾議院議長韋大衛（David Wei）9日宣布今年秋季訪台。", "2025-06-10") == []
    found = events("外交部今天宣布捐贈菲律賓50萬美元賑災，由部長林志遠轉交菲律賓代表柯南（Ken Cole）。", "2025-06-10")
    assert [e.type for e in found] == ["AID"]


def test_lai_ending_another_word_and_a_welcome_to_visit_are_not_visits():
    text = ("美國在台協會處長葛瑞（Ray Gray）表示，近兩年來台灣皆為重要投資來源。\n"
            "市長陳大同恭喜葛瑞（Ray Gray）升任，並歡迎他上任後再次訪台。")
    assert events(text, "2025-12-02") == []


def test_a_guests_stay_told_with_a_meeting_is_not_an_event_of_its_own():
    text = "索羅門群島總理馬奈（John Manele）20日至23日率團來台進行國是訪問，22日到台中與市長林大同會面。"
    [ev] = events(text, "2024-06-23")
    assert (ev.mode, ev.date) == ("meeting", "2024-06-22")
    assert ev.counterparts == ["馬奈"]


def test_people_lined_up_in_a_photo_are_at_the_engagement_told_before():
    text = ("圖說：市府今(5)日於東京舉辦交流酒會，日本產官學代表出席。"
            "左起為日本經濟產業省審議官佐藤一郎、副市長陳小華。")
    [ev] = events(text, "2024-06-05")
    assert ev.taiwan_side == ["陳小華"] and ev.counterparts == ["佐藤一郎"]


def test_a_summit_described_is_no_event_and_the_signing_clause_names_its_bodies():
    text = ("駐韓代表處處長王大明說明，東亞峰會是我國重視的區域平台，"
            "去年10月促成台中商業總會與大邱商工會議所締結姊妹會。")
    [ev] = events(text, "2025-10-29")
    assert (ev.type, ev.date) == ("AGREE", "2024-10")
    assert ev.taiwan_side == ["台中商業總會"] and "駐韓代表處" not in ev.counterparts


def test_a_guests_stay_with_a_meeting_of_no_day_of_its_own_is_the_stay():
    text = "日本眾議院代表團去年12月19日至21日訪問台灣，並與總統會晤。"
    found = events(text, "2023-07-18")
    assert [(e.mode, e.date) for e in found] == [("visit", "2022-12-19")]


def test_signing_in_a_row_is_no_renewal():
    text = "主委王大明日前也指出，台灣近年與美國、德國陸續簽署科技合作協議。"
    assert events(text, "2024-02-25") == []


def test_a_meeting_with_no_time_of_its_own_in_a_trips_sentence_is_the_trip():
    text = "昨(18)日，台中市副市長王大明率領代表團赴馬來西亞檳城，與當地行政議員陳小華進行了深入的交流與討論。"
    assert [(e.mode, e.date) for e in events(text, "2024-10-19")] == [("visit", "2024-10-18")]


def test_a_meeting_with_its_own_time_or_as_a_next_step_stays_its_own():
    text = "外交部長林大同於7月26日抵達貝里斯訪問，當日下午赴外交部拜會外長艾林頓。"
    assert sorted(e.mode for e in events(text, "2017-07-29")) == ["meeting", "visit"]
    text = "外交部長林大同率團抵達帛琉後，首站即前往總統府，晉見帛琉總統惠恕仁。"
    assert sorted(e.mode for e in events(text, "2025-12-19")) == ["meeting", "visit"]


def test_a_courtesy_call_on_a_trip_is_not_the_forum_attended():
    text = ("經濟部長王大明9日至11日率團訪問波蘭，並出席台波企業論壇。\n"
            "王大明此行拜會波蘭參議院副議長諾瓦克（Jan Nowak），就供應鏈安全交流意見。")
    found = events(text, "2025-12-11")
    assert sorted(e.mode for e in found) == ["conference", "meeting", "visit"]


def test_a_visit_made_once_before_with_no_date_is_undated():
    text = ("台灣與印尼商會今(30)日簽署合作備忘錄。\n"
            "印尼商會副主席莎莉（Sari Dewi）表示，她曾在總統林大同就職前赴台拜會，就新南向政策交換意見。")
    found = events(text, "2018-03-30")
    assert ("CONSULT", None) in [(e.type, e.date) for e in found]


def test_the_one_on_whose_behalf_a_trip_is_made_is_not_on_it():
    text = "副總統陳大文表示，這次我代表蔡總統率團訪問帛琉共和國，出席建交週年慶祝活動。"
    assert not any("蔡英文" in e.taiwan_side for e in events(text, "2019-12-30"))
    text = "駐美代表蕭美琴今(5)日拜會美國國務院副助卿史密斯（John Smith）。"
    [ev] = events(text, "2020-11-05")
    assert ev.taiwan_side == ["蕭美琴"]


def test_a_home_and_a_foreign_city_joined_by_yu_are_the_parties():
    text = "台南市與日本仙台市今(3)日共同辦理姊妹市締盟週年活動，促成兩市圖書館交流。"
    [ev] = events(text, "2022-11-03")
    assert (ev.type, ev.taiwan_side, ev.counterparts) == ("COOPERATE", ["台南市"], ["仙台市"])


def test_a_welcome_ceremony_hosted_abroad_is_a_reception_with_its_attendees():
    # 舉行歡迎儀式: a reception (CONSULT, mode other); the Taiwanese side attends in the next sentence
    text = ("英國愛丁堡市政府於4日上午在市政廳舉行歡迎儀式，由副市長約翰史密斯主持。\n"
            "駐愛丁堡辦事處處長王建國應邀出席。")
    [ev] = events(text, "2024-10-06")
    assert (ev.type, ev.mode, ev.date) == ("CONSULT", "other", "2024-10-04")
    assert ev.taiwan_side == ["王建國"] and ev.counterparts == ["約翰史密斯"]


def test_days_of_a_story_published_in_a_known_month_are_dated():
    # front matter `date: "2025-05"`: the 20th is 2025-05-20, not a day of an unknown month
    text = "帛琉總統惠大衛伉儷於19日傍晚抵達台灣訪問，外交部長林志明20日中午在台北賓館設宴款待訪團。"
    doc = Document(path="t", text=text, format="text", published=None, published_partial="2025-05")
    [ev] = extract(doc).events
    assert ev.date == "2025-05-20" and ev.taiwan_side == ["林志明"] and ev.counterparts == ["惠大衛"]


def test_a_delegation_received_by_name_meets_the_guests_named_next():
    # 接見「某某訪問團」: the delegation is named by its body; its foreign member in the next sentence
    text = ("蔡英文總統今(12)日上午接見「北歐創新協會訪問團」時表示，台灣重視創新。\n"
            "總統致詞時首先歡迎瑞典前首相卡爾森(Carl Karlsson)主席來到總統府。")
    [ev] = events(text, "2024-06-12")
    assert (ev.type, ev.date) == ("CONSULT", "2024-06-12")
    assert ev.taiwan_side == ["蔡英文"] and ev.counterparts == ["卡爾森"] and ev.partner_countries == ["SE"]


def test_guests_named_far_from_the_reception_are_not_its_guests():
    text = ("蔡英文總統今(12)日上午接見「北歐創新協會訪問團」時表示，台灣重視創新。\n"
            "總統指出，台灣重視人才培育。\n總統說，台灣也重視數位轉型。\n"
            "瑞典前首相卡爾森(Carl Karlsson)以推動創新聞名。")
    assert not [e for e in events(text, "2024-06-12") if "蔡英文" in e.taiwan_side]


def test_a_dated_clause_after_a_semicolon_keeps_its_people_to_itself():
    # 今年1月…率團訪問；今年3月，某某則聘任…: the people of the second occasion are not the trip's
    text = "外交部長林志明表示，他今年1月率團訪問帛琉；今年3月，帛琉總統惠大衛則聘任企業家陳大同為高級顧問。"
    trips = [e for e in events(text, "2025-05-20") if e.date == "2025-01"]
    assert trips and not any({"惠大衛", "陳大同"} & set(e.taiwan_side + e.counterparts) for e in trips)

