"""Figures: a number with its unit and qualifier (invented examples)."""
from ties.extraction.initiatives import find_figures


def test_figures_with_qualifiers_multipliers_and_units():
    found = [(f.text, f.value, f.unit) for f in find_figures("本案逾30國的60件作品參展，累計3.5億元，約1,200人次參觀")]
    assert found == [("逾30國", 30.0, "國"), ("60件", 60.0, "件"), ("累計3.5億元", 350000000.0, "元"),
                     ("約1,200人次", 1200.0, "人次")]


def test_a_number_in_words_is_no_figure():
    assert find_figures("超過百人出席") == []
