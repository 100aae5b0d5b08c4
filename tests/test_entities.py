"""Organisations, places, countries, topics, initiatives and figures."""
from ties.extraction.run import extract
from ties.model import Document

TEXT = ("數位部今天與立陶宛駐台貿易代表處簽署「臺立數位韌性合作備忘錄」，並宣布擴大「國際松」規模，"
        "去年已有逾30國的60件作品參賽。雙方將在資安、5G專網與人工智慧等領域深化合作，"
        "並於捷克布爾諾市舉辦聯合展覽。國科會也將與資策會共同推動量子科技研究。")


def found(text=TEXT, published="2024-04-10"):
    return extract(Document(path="t", text=text, format="text", published=published))


def test_organizations_are_named_as_written_with_canonical_aliases():
    orgs = {o.name: o for o in found().organizations}
    assert "數位部" in orgs and "數位發展部" in orgs["數位部"].aliases
    assert "國家科學及技術委員會" in orgs["國科會"].aliases
    assert "資訊工業策進會" in orgs["資策會"].aliases
    assert orgs["數位部"].country == "TW"


def test_a_chinese_form_wins_over_an_acronym():
    text = "美方代表在WHO年會上發言，強調將持續支持臺灣參與世界衛生組織的技術會議。"
    orgs = {o.name: o for o in found(text, "2024-05-20").organizations}
    assert "世界衛生組織" in orgs and "WHO" in orgs["世界衛生組織"].aliases


def test_countries_from_compounds_and_events():
    countries = found().countries
    assert countries[0] == "TW"
    assert "LT" in countries


def test_place_with_country_prefix():
    places = {p.name: p for p in found().places}
    assert "布爾諾市" in places and places["布爾諾市"].country == "CZ"


def test_topics_need_more_than_a_passing_mention():
    text = ("雙方就資安與人工智慧合作交換意見。資安認證方面，雙方同意建立物聯網資安標準；"
            "人工智慧方面，將共同推動可信任AI評測。會中也提到觀光。")
    topics = found(text).topics
    assert "cybersecurity" in topics and "ai" in topics
    assert "tourism-culture" not in topics  # mentioned once, in passing


def test_initiatives_and_figures():
    result = found()
    kinds = {i.name: i.kind for i in result.initiatives}
    assert kinds.get("臺立數位韌性合作備忘錄") == "agreement"
    assert "國際松" in kinds
    figures = {f.text: f for f in result.figures}
    assert "逾30國" in figures and figures["逾30國"].value == 30
    assert any(f.unit == "件" and f.value == 60 for f in result.figures)


def test_simplified_chinese_is_matched():
    text = ("台湾数位发展部与印度电子信息技术部签署合作备忘录，双方将加强半导体与人工智能合作。"
            "半导体方面将共同培训芯片设计人才，人工智能方面将推动大型语言模型评测。")
    result = found(text, "2024-03-13")
    org = next(o for o in result.organizations if "數位發展部" in o.aliases)
    assert org.name == "数位发展部"  # the article's script
    assert "IN" in result.countries
    assert "semiconductors" in result.topics and "ai" in result.topics


def test_bodies_named_after_a_country_or_city():
    text = ("數位部今天與立陶宛交通與通訊部簽署合作備忘錄，新竹市消防局也派員參加土耳其南部的救災。"
            "波蘭設立研發中心的計畫仍在討論。")
    names = {o.name for o in found(text, "2024-01-10").organizations}
    assert {"立陶宛交通與通訊部", "新竹市消防局"} <= names
    assert not any(n.startswith(("土耳其南部", "波蘭設立")) for n in names)


def test_names_inside_longer_names_are_not_places_or_parties():
    text = ("國發會主委今天與歐盟執委會官員舉行視訊對話，我方由國發會、駐歐盟兼駐比利時代表處及臺灣區塊鏈大聯盟代表出席，"
            "雙方除就各自區塊鏈發展交換意見外，同意深化合作。")
    result = found(text, "2020-12-08")
    assert "BE" not in result.countries  # 比利時 inside the name of our own office
    assert not any(p.name in ("灣區",) or "雙方" in p.name for p in result.places)
    assert result.countries == ["TW", "EU"]


def test_clauses_and_ordinary_words_are_not_bodies():
    text = ("兩國代表在華沙簽署合作備忘錄，並強化臺灣在北歐布局。芬蘭是最早與臺灣簽署「投資保障協定」的國家之一，"
            "雙方也依「災害救助處理辦法」交換意見，並指出雙邊貿易仍有「不平衡之處」。颱風重創越南中南部。"
            "應我國政府邀請，芬蘭經濟部次長今天抵台。")
    names = {o.name for o in found(text, "2024-06-01").organizations}
    assert not any(n.endswith(("簽署", "布局", "處", "中南部")) or n == "國政府" for n in names), names


def test_bodies_named_after_a_place_or_a_model_name():
    text = ("高雄市議會與日本岐阜縣高山市議會今天簽署友好交流協定，見證人包括加拿大紅十字會代表。"
            "臺灣與關島議會也持續交流，日本也非常重視國會交流。")
    names = {o.name for o in found(text, "2024-06-01").organizations}
    assert any(n.endswith("高山市議會") for n in names) and "加拿大紅十字會" in names, names
    assert not any(n.startswith(("臺灣與", "日本也")) for n in names), names


def test_the_canonical_name_is_used_where_the_article_writes_it():
    text = "國發會官員與歐盟執委會資通訊網絡暨科技總署會談，資通訊網絡暨科技總署署長也出席。"
    orgs = {o.name for o in found(text, "2024-06-01").organizations}
    assert "資通訊網絡暨科技總署" in orgs, orgs


def test_units_and_missions_take_in_their_body_and_sender():
    text = ("日本台灣交流協會福岡分處處長今天拜會市府。捐贈儀式在中華民國駐泰國代表處舉行，"
            "駐泰代表處人員與泰國紅十字會代表出席。")
    names = {o.name for o in found(text, "2024-06-01").organizations}
    assert "日本台灣交流協會福岡分處" in names, names
    assert "中華民國駐泰國代表處" in names and "駐泰代表處" not in names, names


def test_a_body_named_before_its_heads_title():
    text = ("芬蘭代表團成員包括，能源暨氣候轉型委員會主席柯思坦，以及外交部長林佳龍。"
            "市長偕觀光及國際交流處處長迎接訪賓。")
    names = {o.name for o in found(text, "2024-06-01").organizations}
    assert "能源暨氣候轉型委員會" in names, names
    assert any(n.endswith("國際交流處") for n in names), names
    assert not any(n.endswith("外交部") and n != "外交部" for n in names), names


def test_a_short_name_inside_a_word_is_not_found():
    text = "泰國順利完成大選後，駐台大使今天拜會經濟部，並與泰國商工總會代表會談。"
    names = {o.name for o in found(text, "2024-06-01").organizations}
    assert not names & {"成大", "台大", "工總", "商總"}, names


def test_simplified_quotes_and_model_named_bodies():
    text = ("欧洲议会“外国势力干预民主程序特别委员会”代表团今日访台。"
            "（中央社記者王小明台北5日電）外交部長今天感謝參政黨訪團，並與明德幼兒園的小朋友互動。")
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "外国势力干预民主程序特别委员会" in names, names
    assert "中央社" not in names, names


def test_an_acronym_stands_for_the_name_before_it():
    text = "雙方盼推動簽署「全面經濟夥伴協定」(EPA)。國科會主委與德國聯邦教研部(BMBF)次長會面。"
    result = found(text, "2024-06-05")
    names = {o.name for o in result.organizations}
    assert "EPA" not in names and not any("EPA" in o.aliases for o in result.organizations), names
    orgs = {o.name: o for o in result.organizations}
    assert "德國聯邦教研部" in orgs and "BMBF" in orgs["德國聯邦教研部"].aliases, names


def test_a_body_named_with_its_acronym_in_brackets():
    text = "捐款將轉交給菲律賓國家減災暨管理委員會（NDRRMC）統籌運用。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert any(n.endswith("國家減災暨管理委員會") for n in names), names


def test_a_unit_of_a_known_body_ends_before_its_heads_title():
    text = "訪團成員包括歐洲議會對東協關係代表團團長，以及歐洲議會代表團團長。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "歐洲議會對東協關係代表團" in names and "歐洲議會代表團" not in names, names


def test_bodies_listed_after_a_body_and_after_a_legal_prefix():
    text = "訪團參訪國立海洋科技博物館、國立自然科學博物館，並拜會釜山市觀光局、港灣事務局等單位。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "港灣事務局" in names, names


def test_a_country_before_a_known_body_is_part_of_its_name():
    text = "芬蘭經濟部次長今天拜會臺灣外交部，雙方並與菲律賓馬尼拉經濟文化辦事處代表會面。"
    orgs = {o.name: o for o in found(text, "2024-06-05").organizations}
    assert "芬蘭經濟部" in orgs and orgs["芬蘭經濟部"].country == "FI", orgs
    assert "經濟部" not in orgs, orgs
    assert "菲律賓馬尼拉經濟文化辦事處" in orgs and "馬尼拉經濟文化辦事處" not in orgs, orgs


def test_one_body_written_with_and_without_its_country():
    text = ("日本岐阜市議會議長今天拜會嘉義市議會，駐大阪辦事處處長陪同。嘉義市議會議長感謝岐阜市議會的支持，"
            "雙方並與台灣地方政府代表交流。")
    orgs = {o.name: o for o in found(text, "2024-06-05").organizations}
    assert "岐阜市議會" in orgs and "日本岐阜市議會" in orgs["岐阜市議會"].aliases, orgs
    assert orgs["岐阜市議會"].country == "JP", orgs
    assert "駐大阪辦事處" in orgs and "大阪辦事處" not in orgs and "台灣地方政府" not in orgs, orgs


def test_simplified_articles_get_the_same_rules():
    text = "比利时国会友台小组主席今天访台，并与中华民国驻泰国代表处及清迈市议会代表交流。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "比利时国会" in names and "清迈市议会" in names, names


def test_a_company_written_with_and_without_its_company_word_is_one():
    text = "國科會主委吳大同和文化局局長出席，鴻海精密公司董事長致詞，鴻海精密也宣布投資。"
    names = [o.name for o in found(text, "2024-06-05").organizations]
    assert sum(n.startswith("鴻海精密") for n in names) == 1, names
    assert not any("主委" in n for n in names), names


def test_two_parties_joined_by_a_conjunction_are_not_one_body():
    text = "除了台湾之外，宿务台湾协会、欧洲联盟、日本和新加坡红十字会也提供援助。丁赛接受中央社记者访问时说明。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "新加坡红十字会" in names and not any(n.startswith("日本") for n in names), names
    assert "中央社" not in names, names


def test_a_body_named_before_a_word_for_its_people():
    text = "訪團包括多位議員，以及歐洲議會預算總處官員，與澳洲災害應變署區域主管共同出席。"
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert "歐洲議會預算總處" in names, names
    assert any(n.endswith("災害應變署") for n in names), names


def test_latin_names_of_bodies():
    text = ("代表團參訪Grenada Institute of Marine Science，並與Nordic Innovation Network簽署合作意向書。"
            "雙方在Science and Technology領域合作，國科會（National Science Council）也出席。")
    names = {o.name for o in found(text, "2024-06-05").organizations}
    assert {"Grenada Institute of Marine Science", "Nordic Innovation Network"} <= names, names
    assert "Technology" not in names and "National Science Council" not in names, names


def test_a_latin_translation_names_the_same_body_later():
    text = "安大略省向量研究院（Vector Institute）代表與會；會後Vector Institute 代表表示願意合作。日本京都大學也出席。"
    orgs = {o.name: o for o in found(text, "2024-06-05").organizations}
    assert "安大略省向量研究院" in orgs and "Vector Institute" in orgs["安大略省向量研究院"].aliases, orgs
    assert "Vector Institute" not in orgs, orgs
    assert any(n.endswith("京都大學") for n in orgs), orgs


def test_a_bare_ending_is_no_name_and_a_unit_is_named_once():
    text = "雙方在市政府與議會層級上持續互動。外交部駐關島辦事處總領事與關島官員會面。"
    names = [o.name for o in found(text, "2024-06-05").organizations]
    assert "市政府" not in names, names
    assert sum(n.endswith("駐關島辦事處") for n in names) == 1, names


def test_names_at_the_edges_of_the_text():
    for text in ("WHO表示支持。", "Nordic Innovation Network今天來訪", "芬蘭", "今天拜會芬蘭國會"):
        found(text, "2024-06-05")  # no error at the first or last character
    assert "WHO" in {o.name for o in found("WHO表示支持。").organizations}


def test_a_country_inside_a_persons_name_anchors_no_body():
    text = "散會前，院長韓國瑜突然向院會說明，今天是立法院要求行政院來報告。"
    names = {o.name for o in found(text, "2025-08-12").organizations}
    assert not any(n.startswith("韓國") or n.endswith("院院") for n in names), names


def test_gazetteer_offsets_hold_after_characters_outside_the_bmp():
    from ties.extraction.gazetteer import gazetteer

    text = "𠀋𠀋美國與日本"  # two characters written with a surrogate pair each in UTF-16
    countries = [(h.start, h.end, h.surface) for h in gazetteer().hits(text) if h.entry.kind == "country"]
    assert (2, 4, "美國") in countries and (5, 7, "日本") in countries
    assert all(text[s:e] == surface for s, e, surface in countries)


def test_simplified_only_characters_are_those_taiwan_forms_change_one_by_one():
    from opencc import OpenCC

    from ties.extraction.gazetteer import has_simplified
    from ties.knowledge import load

    both, s2tw = load("names")["both_script_chars"], OpenCC("s2tw")
    for ch in map(chr, range(0x4E00, 0x5200)):
        assert has_simplified(f"台灣{ch}") == (s2tw.convert(ch) != ch and ch not in both)
    assert has_simplified("赖清德") and not has_simplified("賴清德在台灣")


def test_holder_hits_are_the_person_hits():
    from ties.extraction.gazetteer import gazetteer

    g = gazetteer()
    holder = next(h["name"] for o in g.offices for h in o.get("holders") or [])
    text = f"美國國務院發言人與{holder}在台北會面，外交部表示歡迎。"
    assert g.holder_hits(text) == g.hits(text, {"person"}) != []


def test_within_names_is_strict_containment():
    import random

    from ties.extraction.places import within_names

    rng = random.Random(7)
    for _ in range(200):
        names = [(s, s + rng.randint(1, 6)) for s in (rng.randint(0, 20) for _ in range(rng.randint(0, 6)))]
        inside = within_names(names)
        for start in range(0, 24):
            for end in range(start + 1, start + 6):
                expected = any(s <= start and end <= e and (s, e) != (start, end) for s, e in names)
                assert inside(start, end) == expected


def test_a_documents_leftmost_longest_choice_is_kept_and_handed_out_as_a_copy():
    from ties.extraction.gazetteer import gazetteer, leftmost_longest

    hits = gazetteer().hits("美國國務院與日本外務省及法國外交部今天在台北會面。")
    first = leftmost_longest(hits, "country")
    first.append(None)  # a caller extending its list changes nobody else's
    assert leftmost_longest(hits, "country") == leftmost_longest(list(hits), "country") == first[:-1]
    assert leftmost_longest(hits) == leftmost_longest(list(hits))
