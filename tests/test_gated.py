"""A gated pattern skips a text lacking a character every match needs; it finds exactly what
the pattern finds. Examples are invented."""
import re

from ties.extraction.text import Gated, needed_chars


def test_needed_characters_are_those_no_match_can_lack():
    assert needed_chars(re.compile("[^，]{2,9}?奠定[^，]{0,4}基礎")) == set("奠定基礎")
    assert needed_chars(re.compile("常態化|制度化")) == {"化"}  # shared by both alternatives
    assert needed_chars(re.compile("(?:以及)?承諾")) == set("承諾")  # an optional part needs nothing
    assert needed_chars(re.compile("(?<=邀)請")) == {"請"}  # a lookaround is not part of the match


def test_ignored_case_needs_nothing():
    assert needed_chars(re.compile("mou", re.IGNORECASE)) == frozenset()
    assert needed_chars(re.compile("(?i:mou)簽")) == {"簽"}


def test_a_gated_pattern_finds_what_the_pattern_finds():
    pattern = re.compile("(?<![^，。])[^，。]{2,12}?(?:奠定|建立)[^，。]{0,6}?基礎")
    gated = Gated(pattern)
    for text in ("雙方同意，為未來合作奠定良好基礎。", "兩市建立友好關係。", "", "基礎建設，奠定"):
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in pattern.finditer(text)]
    assert list(gated.finditer("雙方簽署備忘錄。")) == []


def test_a_choice_of_alternatives_needs_one_of_their_characters():
    from ties.extraction.text import needed_choices
    assert needed_choices(re.compile("(?:簽署|签署)協定")) == [{"署"}, {"簽", "签"}, {"協"}, {"定"}]
    assert needed_choices(re.compile("甲|乙丙|")) == []  # an empty alternative needs nothing
    gated = Gated(re.compile("(?:簽署|签署)[^。]{0,9}協定"))
    assert list(gated.finditer("雙方交換意見。")) == []
    assert [m.group() for m in gated.finditer("雙方签署經貿協定。")] == ["签署經貿協定"]
