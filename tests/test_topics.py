"""Topics: a field of the engagement named in a list counts even once; a passing mention, a cue
inside a longer cue or a Latin cue inside a longer word does not. Examples are invented."""
from ties.extraction.topics import find_topics


def test_fields_listed_for_the_cooperation_count_once_named():
    topics = find_topics("部長表示，兩國將在農業、醫療及觀光等領域深化合作。")
    assert "health" in topics and "tourism-culture" in topics


def test_a_list_of_issues_counts_too():
    topics = find_topics("雙方就災害防救、人才培育及經貿合作等議題交換意見。")
    assert {"disaster-resilience", "talent-education", "industry-investment"} <= set(topics)


def test_a_passing_mention_is_not_a_topic():
    assert find_topics("會後雙方參觀了當地的觀光夜市。") == []


def test_a_latin_cue_inside_a_longer_word_is_not_counted():
    text = "美國在台協會（AIT）處長出席。AIT表示歡迎；AIT也感謝主辦單位。"
    assert "ai" not in find_topics(text)


def test_a_cue_inside_a_longer_cue_counts_once():
    # 人才培育 holds 人才: one mention, not two
    assert "talent-education" not in find_topics("部長也提到人才培育的重要。")


def test_sister_cities_are_not_smart_city():
    text = "兩市締結姊妹市已十年，姊妹市交流頻繁，市長期盼姊妹市關係更加緊密。"
    assert "smart-city" not in find_topics(text)


def test_traditional_and_simplified_cues():
    assert "health" in find_topics("双方同意加强医疗卫生合作，并在公共卫生领域交流防疫经验。")


def test_a_hit_is_dropped_only_inside_a_longer_span_of_its_topic():
    from ties.extraction.topics import _Hit, _inside_longer
    spans = sorted([(4, 10, 14), (2, 10, 12), (2, 20, 22)], reverse=True)
    assert _inside_longer(_Hit("t", 10, 12, False), spans)
    assert not _inside_longer(_Hit("t", 20, 22, False), spans)  # an equal span is itself
    assert not _inside_longer(_Hit("t", 10, 14, False), spans)


def test_a_list_lies_within_one_line():
    # the same fields broken over two lines are no list: health is named once, in passing
    assert "health" not in find_topics("兩國將在農業、醫療\n及觀光等領域深化合作。")
    assert "health" in find_topics("部長致詞。\n兩國將在農業、醫療及觀光等領域深化合作。")
