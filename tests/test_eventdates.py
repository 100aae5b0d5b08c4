"""Event dates: every form the issue names, resolved against the publication date, never guessed."""
import datetime as dt

import pytest

from ties.eventdates import find_event_dates

PUB = dt.date(2026, 2, 4)


def values(text, anchor=PUB):
    return [d.value for d in find_event_dates(text, anchor)]


@pytest.mark.parametrize("text,expected", [
    ("部長今(4)日接見訪團", ["2026-02-04"]),
    ("部長今（4）日接見訪團", ["2026-02-04"]),
    ("昨（3）日抵台", ["2026-02-03"]),
    ("昨（16）日抵台", ["2026-01-16"]),  # the 16th is after the 4th: last month
    ("明(5)日出訪", ["2026-02-05"]),
    ("去(2025)年來台觀光", ["2025"]),
    ("今(2026)年舉辦", ["2026"]),
    ("當地時間2日簽署", ["2026-02-02"]),
    ("本(1)月15日公布", ["2026-01-15"]),
    ("105 年起合作", ["2016"]),
    ("民國105年3月1日", ["2016-03-01"]),
    ("113年2月7日", ["2024-02-07"]),
    ("2024年5月16日", ["2024-05-16"]),
    ("2023年11月", ["2023-11"]),
    ("去年10月訪日", ["2025-10"]),
    ("去年率團訪日", ["2025"]),
    ("今天接見", ["2026-02-04"]),
    ("昨天抵達", ["2026-02-03"]),
    ("1月28日", ["2026-01-28"]),
    ("12月28日", ["2025-12-28"]),  # far after publication: the year before
    ("3/2 上午", ["2026-03-02"]),
    ("外交部3日宣布", ["2026-02-03"]),
    ("（中央社記者王大明台北4日電）", ["2026-02-04"]),
    ("外交部28日宣布", ["2026-01-28"]),  # after the publication day: the month before
    ("投資30億日圓", []),
    ("30年來首次", []),  # a duration, not ROC year 30
    ("成長5%", []),
])
def test_with_publication_date(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("於 12 月 8 日以視訊方式", ["--12-08"]),
    ("今(4)日接見", ["---04"]),  # the day alone: month and year are not guessed
    ("市長十二日出席", ["---12"]),
    ("今天", []),
    ("去年", []),
    ("2019年起", ["2019"]),
    ("113年2月7日", ["2024-02-07"]),
])
def test_without_publication_date_nothing_is_guessed(text, expected):
    assert values(text, None) == expected


def test_spans_point_at_the_text():
    text = "國發會主委於 12 月 8 日與歐盟召開對話"
    [d] = find_event_dates(text, None)
    assert text[d.start:d.end] == "12 月 8 日"
    assert d.precision == "month-day"


@pytest.mark.parametrize("text,first,last", [
    ("部長於2月1日至3日率團訪問", "2026-02-01", "2026-02-03"),
    ("訪團1日至3日訪台", "2026-02-01", "2026-02-03"),
    ("訪團1到3日訪台", "2026-02-01", "2026-02-03"),
    ("1月28日至2月1日訪問", "2026-01-28", "2026-02-01"),
])
def test_a_range_is_dated_by_its_first_day(text, first, last):
    found = find_event_dates(text, PUB)
    assert [(d.value, d.until) for d in found] == [(first, last)]


@pytest.mark.parametrize("text,expected", [
    ("訪團昨晚抵達", ["2026-02-03"]),
    ("部長日前接見訪團", ["2026-02"]),
    ("雙方近日簽署備忘錄", ["2026-02"]),
])
def test_evening_and_recent_words(text, expected):
    assert values(text) == expected


def test_without_publication_date_a_month_day_takes_the_year_written_before():
    assert values("本(2025)年5月17日開幕，市長於5月16日接見各市市長", None) == ["2025-05-17", "2025-05-16"]
    assert values("自2011年締結以來，5月16日接見", None) == ["2011", "--05-16"]
    assert values("部長於本(106)年7月26日抵達", None) == ["2017-07-26"]


def test_years_ago_and_last_year_written():
    assert values("20年前大地震時") == ["2006"]
    assert values("上(2025)年率團來訪") == ["2025"]


def test_today_with_month_and_day_in_parentheses():
    assert values("今（2/3）日於酒會致詞") == ["2026-02-03"]


@pytest.mark.parametrize("text,expected", [
    ("十三日於東京舉辦慶祝會", ["2026-01-13"]),
    ("市長三日透過視訊簽署", ["2026-02-03"]),
    ("廿日抵達", ["2026-01-20"]),
    ("同一日也會見議長", []),
    ("為期三日內完成", []),
])
def test_a_day_in_chinese_numerals(text, expected):
    assert values(text) == expected


def test_years_ago_in_chinese_numerals():
    assert values("雙方於十餘年前簽署協定") == ["2016"]


def test_date_patterns_with_a_first_character_lookahead_still_match_at_the_text_start():
    import datetime as dt
    from ties.eventdates import find_event_dates
    found = find_event_dates("2024年5月6日雙方會談，113年7月成立，20年前，日前見面，三日內完成。", dt.date(2024, 5, 8))
    assert [d.value for d in found][:2] == ["2024-05-06", "2024-07"]


@pytest.mark.parametrize("text,expected", [
    # the character before a date's first digit or numeral still decides (patterns that open
    # with their first character's class check it with a lookbehind over both)
    ("編號12/3號", ["2025-12-03"]),  # a slash month-day after a word
    ("v1.2/3", []),  # a slash date never follows a dot
    ("共23日行程", ["2026-01-23"]),
    ("第三日", []),
    ("每三日", []),
    ("十三日抵達", ["2026-01-13"]),
    ("節日前", []),
    ("近日訪台", ["2026-02"]),
    ("日前抵達", ["2026-02"]),
    ("12年前曾訪台", ["2014"]),
    ("十餘年前", ["2016"]),
    ("2025/3/1簽署", ["2025-03-01"]),
    ("x2025/3/1", ["2025-03-01"]),
    ("12025/3/1", []),
    ("105/3/1", ["2016-03-01"]),
    ("3月5日", ["2026-03-05"]),
    ("年3月5日", []),  # a month right after 年 belongs to a year the text does not give
    ("紐約時間3日", ["2026-02-03"]),
])
def test_first_character_boundaries(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a space or digit outside ASCII (ideographic space, no-break space, Arabic-Indic three)
    # still counts as one: such a text is matched without the faster ASCII patterns
    ("2024年\u30005月\u30003日", ["2024-05-03"]),
    ("今(\u00a04\u00a0)日接見", ["2026-02-04"]),
    ("٣月5日訪台", ["2026-03-05"]),
    ("2024年 5月3日", ["2024-05-03"]),
])
def test_spaces_and_digits_outside_ascii(text, expected):
    assert values(text) == expected


def _clear_date_grammar():
    from ties import eventdates, knowledge
    knowledge.load.cache_clear()
    for f in (eventdates._patterns, eventdates._patterns_by_kind, eventdates._ascii_patterns, eventdates._gated,
              eventdates._offsets, eventdates._range_link):
        f.cache_clear()


def test_the_date_grammar_is_knowledge_a_user_can_extend(tmp_path, monkeypatch):
    # an invented colloquial word for "tonight" added in the user's dates.yaml
    (tmp_path / "dates.yaml").write_text("day_words: {今兒: 0}\n", encoding="utf-8")
    monkeypatch.setenv("TIES_KNOWLEDGE", str(tmp_path))
    _clear_date_grammar()
    try:
        assert values("部長今兒接見訪團") == ["2026-02-04"]
        assert values("昨天抵達") == ["2026-02-03"]  # the shipped words stay
    finally:
        monkeypatch.delenv("TIES_KNOWLEDGE")
        _clear_date_grammar()
    assert values("部長今兒接見訪團") == []


@pytest.mark.parametrize("text,expected", [
    ("市長於18日晚間設宴款待訪團", ["2024-03-18"]),          # a day of the published month
    ("部長今(9)日接見來訪的議員", ["2024-03-09"]),
    ("總統去年12月出訪友邦", ["2023-12"]),                     # a relative month needs no day
    ("雙方5月16日簽署協議", ["2024-05-16"]),
    ("代表團31日抵達", []),                                     # April has no 31st: no date
    ("訪團昨日抵台", []),                                       # its day is not known: not guessed
])
def test_a_month_only_publication_resolves_days_of_that_month(text, expected):
    month = "2024-04" if "31日" in text else "2024-03"
    assert [d.value for d in find_event_dates(text, None, month)] == expected


def test_a_full_publication_date_wins_over_its_month():
    assert [d.value for d in find_event_dates("部長今(4)日接見訪團", PUB, "2025-07")] == ["2026-02-04"]


@pytest.mark.parametrize("text,expected", [
    ("1月，市長曾率團訪問姊妹市", ["2026-01"]),  # a month alone: of the publication year
    ("11月，部長訪問友邦", ["2025-11"]),  # months after publication: the year before
    ("去年3月部長來訪；8月，次長回訪", ["2025-03", "2025-08"]),  # the year written before it, same paragraph
    ("前年3月部長來訪。\n8月，次長回訪", ["2024-03", "2025-08"]),  # another paragraph: its own year
    ("今年1至5月出口成長", ["2026"]),  # a range's end is no date of its own
    ("前5月訂單增加，為期5個月", []),  # the first five months; a count of months
    ("5月至今雙方持續合作", []),  # since May: a range that starts, not an occasion
])
def test_a_month_alone_is_a_month_of_the_story(text, expected):
    assert values(text) == expected
