"""Outcomes: which clauses are commitments or expectations, where they are cut, and which event
they belong to. All examples are invented."""
import pytest

from ties.extraction.outcomes import attach_outcomes, find_outcomes
from ties.model import Event, Span


def clauses(text):
    return [o.clause for o in find_outcomes(text)]


@pytest.mark.parametrize("text, expected", [
    # hopes and expectations
    ("部長致詞時表示，期望兩國在農業科技領域擴大合作。", "期望兩國在農業科技領域擴大合作"),
    ("市長期許兩市持續深化觀光交流。", "期許兩市持續深化觀光交流"),
    # commitments voiced with 會
    ("代表強調，未來會繼續深化雙方在教育方面的合作。", "未來會繼續深化雙方在教育方面的合作"),
    # the effect expected of a visit or an agreement
    ("此行有助雙方在離岸風電領域建立更緊密的夥伴關係。", "有助雙方在離岸風電領域建立更緊密的夥伴關係"),
    # an agreement reached, with its object in between
    ("兩位市長在會中達成互設辦事處之共識。", "達成互設辦事處之共識"),
    # an invitation to take part
    ("縣長也邀請訪團明年回訪參加國際花卉博覽會。", "邀請訪團明年回訪參加國際花卉博覽會"),
    # a sister-city tie concluded
    ("兩市今天正式締結為姊妹市。", "締結為姊妹市"),
    # what the parties believe will follow
    ("大使說，相信兩國關係將更加緊密。", "相信兩國關係將更加緊密"),
    # future-tense commitments, also in Simplified articles
    ("兩市將規劃智慧交通與防災主題進行合作。", "將規劃智慧交通與防災主題進行合作"),
    ("协会也将不遗余力推动双边连结。", "也将不遗余力推动双边连结"),
    # the purpose given right after a signing
    ("雙方簽署漁業合作備忘錄（MOU），共同推動遠洋漁業人才培訓。", "共同推動遠洋漁業人才培訓"),
    # a foundation laid, said at the clause's end
    ("這次會談，為未來雙邊合作奠定堅實基礎。", "為未來雙邊合作奠定堅實基礎"),
    # a commitment named at the clause's end
    ("部長重申，台灣對區域穩定的堅定承諾。", "台灣對區域穩定的堅定承諾"),
])
def test_cues_open_an_outcome(text, expected):
    assert expected in clauses(text)  # the whole clause, from its cue


@pytest.mark.parametrize("text", [
    "議長應市長邀請率團參加燈會開幕。",              # how the visit came about
    "兩市締結姊妹市以來，交流不斷。",                # the tie's history, not a new one
    "兩縣締結友好城市象徵農業交流進入新階段。",        # the tie as the subject of what it means
    "這次兩個商會締結姊妹會，不僅深化會員往來。",      # …of a 不僅 clause
    "兩市締結姊妹市關係，源於市長三年前的一次參訪。",  # …of where it came from
    "兩國多年前簽署投資保障協定，雙邊貿易逐年成長。",  # a signing long ago
    "兩國近年簽署多項協定，包括漁業與教育協定。",      # a list of past agreements
    "雙方亦簽署海關合作備忘錄等，持續擴大往來。",      # agreements listed (…等), not one signed now
    "兩市簽署觀光合作備忘錄，象徵兩市友誼邁入新階段。",  # what a signing means is no commitment
    "兩國友誼將持續深化，雙邊貿易也屢創新高。",        # a cue closing its clause: what follows is no outcome
    "總統重申承諾，強調兩國邦誼穩固。",              # …a cue word as the object before the comma
    "兩市簽署農業合作備忘錄，市長王大明表示，兩地氣候相近。",  # a speaker after a signing: speech, not its purpose
    "兩校簽署學術交流協議，不僅代表多年往來開花結果。",  # …nor is its 不僅… significance
    "兩市簽署智慧城市合作意向書，展現雙方推動數位治理的決心。",  # …nor what it shows
])
def test_narrative_is_not_an_outcome(text):
    assert clauses(text) == []


def test_an_outcome_ends_at_the_clause_or_when_long():
    [clause] = clauses("雙方同意擴大農業技術合作，並研議設立聯合實驗室，以提升糧食安全。")[:1]
    assert clause == "同意擴大農業技術合作"
    assert clauses("期盼兩國深化合作，共同培育人才。") == ["期盼兩國深化合作，共同培育人才"]
    long_one = clauses("期盼兩國在半導體、人工智慧、綠色能源與智慧醫療等多個領域深化合作，共同培育科技人才。")
    assert long_one == ["期盼兩國在半導體、人工智慧、綠色能源與智慧醫療等多個領域深化合作"]


def test_a_hope_verb_before_its_comma_opens_the_next_clause():
    assert clauses("部長期待，未來兩國能在農業領域擴大合作。") == ["期待，未來兩國能在農業領域擴大合作"]


def test_an_outcome_matched_whole_ends_with_its_key_phrase():
    found = clauses("此行為兩國合作奠定堅實基礎，盼望兩國持續在農業領域密切合作。")
    assert found == ["此行為兩國合作奠定堅實基礎", "盼望兩國持續在農業領域密切合作"]


def test_an_outcome_ends_where_a_speaker_comes_in():
    assert clauses("兩市正式締結為友好城市，市長王大明表示，兩市在農業方面有許多共通點。") == ["締結為友好城市"]


def test_regular_cooperation_is_an_outcome():
    assert "雙方正推動聯合演練常態化" in clauses("報導指出，雙方正推動聯合演練常態化。")


def test_a_long_hope_runs_on_into_the_result_hoped_for():
    [clause] = clauses("市長希望藉由這次在台北舉行的亞洲城市首長論壇交流平台，分享智慧防災經驗，讓城市間的合作更加緊密。")
    assert clause.endswith("讓城市間的合作更加緊密")


def test_the_outcome_goes_to_the_event_of_the_person_who_voices_it():
    text = ("部長甲今天接見訪問團團長乙。\n去年處長丙曾率團訪問東京。\n部長甲表示，期盼與日本有更多合作。")
    main = Event("CONSULT", "meeting", "2024-05-01", ["甲"], ["乙"], evidence=[Span(0, 14)])
    past = Event("CONSULT", "visit", "2023", ["丙"], [], evidence=[Span(15, 28)])
    attach_outcomes([main, past], find_outcomes(text.replace("部長甲", "甲")))
    assert [c for c, _ in main.outcomes] == ["期盼與日本有更多合作"] and past.outcomes == []


def test_the_outcome_goes_to_the_meeting_of_its_paragraph():
    text = ("市長甲今天分別接見乙市長與丙市長。\n與乙市長會談時，雙方就智慧交通交換意見。"
            "甲表示，期盼兩市在智慧交通領域深化合作。\n與丙市長會談時，雙方就防災交換意見。甲表示，盼兩市加強防災合作。")
    first_line = text.index("\n")
    second = text.index("\n", first_line + 1)
    ev_b = Event("CONSULT", "meeting", "2024-05-01", ["甲"], ["乙"], evidence=[Span(first_line + 1, first_line + 20)])
    ev_c = Event("CONSULT", "meeting", "2024-05-01", ["甲"], ["丙"], evidence=[Span(second + 1, second + 19)])
    attach_outcomes([ev_b, ev_c], find_outcomes(text))
    assert [c for c, _ in ev_b.outcomes] == ["期盼兩市在智慧交通領域深化合作"]
    assert [c for c, _ in ev_c.outcomes] == ["盼兩市加強防災合作"]


def test_outcomes_not_about_the_partnership_are_left_out():
    ev = Event("CONSULT", "meeting", "2024-05-01", ["甲"], ["乙"], evidence=[Span(0, 5)])
    attach_outcomes([ev], find_outcomes("甲接見乙。甲希望國人多多支持在地農產品。"))
    assert ev.outcomes == []
