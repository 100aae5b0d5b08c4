"""Persons: every way a name meets a title, back-references, two scripts, and what is not a person."""

import pytest

from ties.extraction.run import extract
from ties.model import Document


def persons(text, published="2024-05-20"):
    doc = Document(path="t", text=text, format="text", published=published)
    return {p.name: p for p in extract(doc).persons}


@pytest.fixture(params=[False, True], ids=["model", "rules-only"])
def mode(request, monkeypatch):
    if request.param:
        monkeypatch.setenv("TIES_FAST", "1")
    return request.param


def test_title_then_name(mode):
    found = persons("外交部長林佳龍今天接見立陶宛國會訪團，雙方就經貿合作交換意見。")
    assert "林佳龍" in found
    assert found["林佳龍"].country == "TW"
    assert "外交部" in (found["林佳龍"].affiliation or "")


def test_surname_title_given_name(mode):
    found = persons("經濟部王部長美花今日與美國商務部官員舉行視訊會議，雙方同意持續合作。", "2021-03-02")
    assert "王美花" in found
    assert not any(n.startswith("王部") for n in found)


def test_back_reference_resolves_to_the_full_name(mode):
    text = "行政院長陳建仁今天接見日本眾議員訪團。陳院長表示，感謝日方長期支持，盼深化雙邊合作。"
    found = persons(text, "2023-06-01")
    assert set(found) == {"陳建仁"}
    assert len(found["陳建仁"].spans) == 2


def test_back_reference_resolved_by_office_and_date(mode):
    # No full name in the text: the office holder on the article's date.
    found = persons("蔡總統今天在總統府接見美國參議員訪團，雙方就區域安全交換意見。", "2019-04-15")
    assert "蔡英文" in found


def test_foreign_names_in_two_scripts(mode):
    text = "美國在台協會處長孫曉雅（Sandra Oudkirk）今天拜會經濟部，雙方討論半導體供應鏈合作。"
    found = persons(text, "2022-10-05")
    assert "孫曉雅" in found
    assert "Sandra Oudkirk" in found["孫曉雅"].aliases
    assert "Sandra Oudkirk" not in found


def test_japanese_name_with_prefecture_title(mode):
    found = persons("熊本縣知事蒲島郁夫今天率團拜會經濟部，盼擴大半導體產業合作。", "2023-03-01")
    assert "蒲島郁夫" in found
    assert found["蒲島郁夫"].country == "JP"


def test_bylines_and_pets_are_not_persons(mode):
    text = ("（中央社記者王大明台北5日電）總統賴清德今天接見巴拉圭訪團，總統的愛犬「小黑」也一同迎賓。"
            "雙方同意擴大農業合作。（編輯：李小華）1130605")
    found = persons(text, "2024-06-05")
    assert "賴清德" in found
    for not_person in ("王大明", "小黑", "李小華"):
        assert not_person not in found


def test_foreign_sides_from_context(mode):
    text = ("美國國務院經濟成長、能源暨環境次卿柯拉克（Keith Krach）與經濟部次長共同主持對話。"
            "外交部長拜會土耳其駐台北代表 Ahmet Yilmaz 致意。印度總理莫迪出席塔塔電子（Tata Electronics）晶圓廠動土典禮。")
    found = persons(text, "2023-02-09")
    assert found["柯拉克"].country == "US"
    assert found["Ahmet Yilmaz"].country == "TR"  # 駐台北: Turkey's office in Taipei
    assert "塔塔電子" not in found  # a company with its Latin name, not a person
    if "莫迪" in found:
        assert found["莫迪"].country == "IN"


def test_transliteration_after_title_with_latin_in_parentheses(mode):
    found = persons("外交部長今天接見吐瓦魯總理巴德那(Kenton Dean Badona)，雙方就氣候議題交換意見。")
    assert "巴德那" in found
    assert "Kenton Dean Badona" in found["巴德那"].aliases


def test_dotted_transliteration_is_one_person(mode):
    found = persons("衛福部長今天會晤英國前衛生大臣約翰.麥克道格拉斯(Dr. John McDougalls)，討論醫療合作。")
    assert "約翰.麥克道格拉斯" in found
    assert "約翰" not in found and "麥克道格拉斯" not in found


def test_a_word_before_a_transliteration_is_not_part_of_it(mode):
    found = persons("總統府表示，總督及蘭戈薩（Peter Langosa）總理長期支持台灣。")
    assert not any(n.startswith("及") for n in found)


def test_latin_name_does_not_swallow_the_verb(mode):
    found = persons("波蘭投資局副局長 Marek Wolski表示，雙方將擴大合作。", None)
    assert "Marek Wolski" in found
    assert not any("表示" in n for n in found)


def test_one_latin_word_in_parentheses_is_not_a_person(mode):
    found = persons("雙方將在雅加達近郊的芝卡朗(Cikarang)設廠，並把新生小犀牛命名為福爾摩莎（Formosa）。", None)
    assert not ({"芝卡朗", "福爾摩莎"} & set(found))


def test_an_english_phrase_in_parentheses_is_not_a_person(mode):
    found = persons("外交部長獲頒卓越勳章(Order of Merit)，並推動全民均健(Health for All)計畫。", None)
    assert not ({"卓越勳章", "全民均健"} & set(found))


def test_caption_list_after_left_to_right(mode):
    found = persons("圖說：左起為王大明、李小華、陳美玲及林志強。外交部長今天出席晚宴。")
    assert {"王大明", "李小華", "陳美玲", "林志強"} <= set(found)


def test_a_list_that_begins_with_a_titled_person_goes_on(mode):
    found = persons("與會貴賓包括奧克蘭市議員 Sharon Miles、Peter Grant、市府官員等。", None)
    assert {"Sharon Miles", "Peter Grant"} <= set(found)


def test_a_country_inside_a_person_is_no_party():
    from ties.extraction.run import extract as run_extract
    doc = Document(path="t", text="立法院長韓國瑜今天在立法院接見澳洲國會議員訪團，雙方就經貿合作交換意見。",
                   format="text", published="2025-03-01")
    result = run_extract(doc)
    assert "KR" not in result.countries
    assert "AU" in result.countries


def test_a_domestic_article_has_no_countries():
    doc = Document(path="t", text="台南市長今天視察防汛整備工作，要求各區公所加強巡查。", format="text",
                   published="2025-03-01")
    assert extract(doc).countries == []


def test_photo_credit_with_a_slash_is_not_a_person(mode):
    found = persons("經濟部長與印尼官員舉行會談。圖/吳明德\n雙方同意擴大投資。")
    assert "吳明德" not in found


def test_a_name_cannot_begin_with_a_place(mode):
    found = persons("市長陳其邁表示，高雄跟帛琉同為海洋國家，雙方將持續交流。", "2024-06-25")
    assert not any(n.startswith("帛琉") for n in found)


def test_a_clause_word_before_a_transliteration_is_cut(mode):
    found = persons("上次與議長見面，是在阿比特(Mario Abito Benítez)總統任內。", "2019-01-28")
    assert "阿比特" in found
    assert not any(n.startswith("是在") for n in found)


def test_a_foreign_country_before_a_ministry_name_is_the_affiliation(mode):
    found = persons("雙方簽署備忘錄，立陶宛財政部政務次長瑪莉娜(Vaida Marinaite)出席見證。", "2023-10-24")
    assert found["瑪莉娜"].country == "LT"


def test_chinese_looking_name_with_a_western_latin_form_is_not_taiwanese(mode):
    found = persons("典禮由副處長顧山明(Sam Grover)主持。", "2023-09-11")
    assert found["顧山明"].country != "TW"


def test_romanised_chinese_latin_form_keeps_taiwan(mode):
    found = persons("典禮由部長林大明(Lin Ta-ming)主持。", "2023-09-11")
    assert found["林大明"].country == "TW"


def test_foreign_context_does_not_cross_a_sentence(mode):
    found = persons("這將有助烏克蘭重建。\n局長 Adam Nowicki表示，雙方將簽署合作備忘錄。", None)
    assert found["Adam Nowicki"].country != "UA"


def test_foreign_names_in_a_list_take_the_country_named_earlier_in_the_sentence(mode):
    text = "美方由國務院助卿康大衛(David Conway)率領，包括副助卿道莉(Camille Dorey)、幕僚長巴蕾(Lexi Barre)等人。"
    found = persons(text, "2024-03-05")
    assert found["道莉"].country == "US"
    assert found["巴蕾"].country == "US"


def test_transliteration_before_a_title_with_latin_after_it(mode):
    found = persons("外交部長歡迎德國國會訪團，感謝施密特團長(Anna Schmiedel)及佛朗茲團長(Peter Franzen)支持台灣。", None)
    assert "佛朗茲" in found and "施密特" in found
    assert "Peter Franzen" in found["佛朗茲"].aliases


def test_a_list_may_end_the_text(mode):
    persons("與會者包括市議員 Sharon Miles、")  # no error at the end of the text


def test_second_reporter_of_a_byline_is_not_a_person(mode):
    found = persons("（中央社記者王大明、李小華台北12日電）外交部長林佳龍今天接見美國參議員訪團。")
    assert set(found) == {"林佳龍"}


def test_ming_begins_a_given_name(mode):
    found = persons("外交部長林佳龍、次長陳明祺今天接見美國參議員訪團。")
    assert "陳明祺" in found


def test_japanese_name_stops_before_the_conjunction_he(mode):
    found = persons("出席者包括外務副大臣岸信雄和前首相福田康太等日本政界人士。", None)
    assert "岸信雄" in found
    assert found["岸信雄"].country == "JP"


def test_a_country_before_an_unknown_body_and_title_gives_the_country(mode):
    found = persons("他擔任縣長時，邀請時任新加坡城市規劃局長陳大方先生協助規劃。", None)
    assert found["陳大方"].country == "SG"


def test_persons_named_only_in_a_caption_count_and_credits_do_not(mode):
    doc = Document(path="t", text="外交部長林佳龍今天接見美國參議員訪團，雙方就經貿合作交換意見。", format="text",
                   published="2024-06-01",
                   captions=["外交部長林佳龍（右）與立法院長韓國瑜（左）合影。（圖／記者王大明攝）"])
    names = {p.name: p for p in extract(doc).persons}
    assert "韓國瑜" in names and names["韓國瑜"].spans == []
    assert "王大明" not in names
    assert len(names["林佳龍"].spans) == 1


def test_four_characters_after_a_surname_are_a_name_only_with_a_compound_surname(mode):
    found = persons("外交部長林佳龍及周邊國家代表出席會議。")
    assert "周邊國家" not in found


def test_japanese_given_name_may_end_in_he(mode):
    found = persons("團員包括青年局長鈴木正和、眾議員藤原健等6位國會議員。", "2023-05-02")
    assert "鈴木正和" in found


# (text, publication date, names found, names not found): each a rule of persons.py, in both modes
NAMED = {
    "latin_name_after_title": ("國發會與歐盟執委會召開對話，歐方由副總署長 Maria Rossi 主持，雙方同意深化合作。", None,
        ["Maria Rossi"], []),
    "honorific_before_a_latin_name_is_skipped": ("經濟部與印尼官員會談，印尼投資局長 Dr. Ir. Budi Santosa 表示將持續合作。", None,
        ["Budi Santosa"], []),
    "simplified_article_keeps_simplified_names": ("行政院政务委员邓振中、外交部长吴钊燮出席酒会，与印度代表交流。", "2022-01-27",
        ["吴钊燮"], ["吳釗燮"]),
    "known_latin_name_without_chinese_form_is_kept_as_written": ("美國在台協會副處長 Raymond F. Greene 出席論壇並致詞。", "2019-12-18",
        ["Raymond F. Greene"], []),
    "name_before_a_title_cannot_contain_a_title": ("總統府發言人表示，蔡總統代表我國政府及人民，表達誠摯歡迎之意。", "2023-10-07",
        ["蔡英文"], ["蔡總統"]),
    "malaysian_honorific_before_a_name": ("馬台經貿協會會長拿督斯里陳國立讚揚代表處推動新南向政策。", "2018-06-27",
        ["陳國立"], []),
    "a_name_ending_like_a_title_is_not_cut": ("經濟部長今天接見企業代表陳國立，雙方討論投資。", "2018-06-27",
        ["陳國立"], []),
    "a_language_is_not_a_person": ("總統陳大同在致詞時以當地語言查莫洛語打招呼，感謝邀請。", None,
        [], ["莫洛語"]),
    "a_name_closed_by_a_list_comma_needs_no_model_vote": ("美國在台協會執行理事藍鶯、副理事長等人出席。", None,
        ["藍鶯"], []),
    "regnal_name_after_a_chief_title": ("英國將權力交給史瓦帝尼最高酋長索布扎二世(Sobhuza II)，史國隨後獨立。", None,
        ["索布扎二世"], []),
    "mixed_script_known_holder_is_whole": ("欧洲议会访团将接受外交部长吴釗燮款宴，双方讨论合作。", "2022-07-20",
        ["吴釗燮"], []),
    "japanese_given_name_ending_in_ya": ("數位廳部長佐佐木拓也等人出席論壇，與台灣代表交流。", "2019-10-10",
        ["佐佐木拓也"], []),
    "japanese_name_stops_before_together_with": ("由眾議員奧野信亮偕同眾議員等4人訪台。", "2023-05-02",
        ["奧野信亮"], ["奧野信亮偕"]),
    "honorific_suffix_is_not_part_of_a_transliteration": ("總統伉儷歡迎帛琉總統與夫人惠瑪莉女士（Madam Mary Whipson）來訪。", "2024-05-01",
        ["惠瑪莉"], ["惠瑪莉女士"]),
    "member_is_a_title_before_a_transliteration": ("吳部長與國會友台小組主席及委員會成員亞倫伯格(Thomas Arenberg)會談。", None,
        ["亞倫伯格"], []),
    "last_list_item_before_a_photo_credit": ("出席者包括前兩任英國在台辦事處代表 Mary Keating與John Dunmore(圖/工研院)", None,
        ["John Dunmore"], []),
    "a_title_word_is_not_a_transliterated_name": ("出席者包括集團執行主席丹斯里李國強、商會會長拿督陳大文等。", None,
        [], ["丹斯里"]),
    "japanese_names_continue_a_list": ("日方出席者包括:會長古屋圭司、木原稔、福島伸亨、井上信治等。", None,
        ["福島伸亨"], []),
    "back_reference_in_simplified_resolves_by_office": ("赖副总统今天在总统府接见日本众议员访团，双方就经贸合作交换意见。", "2021-05-03",
        ["赖清德"], []),
}


@pytest.mark.parametrize("text,published,present,absent", NAMED.values(), ids=NAMED.keys())
def test_names_found_and_not_found(mode, text, published, present, absent):
    found = persons(text, published)
    for name in present:
        assert name in found
    for name in absent:
        assert name not in found
