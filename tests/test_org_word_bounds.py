"""Short organisation names and word boundaries: the segmenter reads only the clause around a name
that no mark or sentence edge bounds, and a sentence the tagger read costs no second run."""
import pytest

from ties.extraction import ner
from ties.extraction import organizations as orgs
from ties.extraction.gazetteer import Entry, Hit


def _hit(text: str, surface: str) -> Hit:
    start = text.index(surface)
    return Hit(start, start + len(surface), surface, Entry("org", surface))


@pytest.fixture
def model_on(monkeypatch):
    monkeypatch.delenv("TIES_FAST", raising=False)
    ner.new_document()
    yield
    ner.new_document()


@pytest.fixture
def segmented(monkeypatch):
    """The texts the segmenter is asked about."""
    asked = []
    real = ner.words
    monkeypatch.setattr(ner, "words", lambda text: asked.append(text) or real(text))
    return asked


def test_names_between_marks_need_no_segmenter(model_on, segmented):
    text = "雙方代表出席，農委會、科技部、成大，今天簽約。"
    hits = [_hit(text, "科技部"), _hit(text, "成大")]
    assert orgs._whole_words(text, hits) == hits
    assert segmented == []


def test_a_name_at_the_sentence_start_needs_no_segmenter(model_on, segmented):
    text = "前言。科技部今天宣布新計畫。"
    hits = [_hit(text, "科技部")]
    assert orgs._whole_words(text, hits) == hits
    assert segmented == []


def test_a_name_inside_a_word_is_left_to_the_segmenter_on_its_clause(model_on, segmented):
    text = "雙方會談後，泰國順利完成大選後，政局穩定。"
    assert orgs._whole_words(text, [_hit(text, "成大")]) == []
    assert segmented == ["泰國順利完成大選後"]


def test_a_two_character_name_before_a_character_is_left_to_the_segmenter(model_on, segmented):
    text = "雙方會談，成大選手今天出賽。"
    orgs._whole_words(text, [_hit(text, "成大")])
    assert segmented == ["成大選手今天出賽"]


def test_each_clause_is_segmented_once(model_on, segmented):
    text = "他說，泰國商工總會與外貿協會合作，雙方滿意。"
    orgs._whole_words(text, [_hit(text, "工總"), _hit(text, "貿協")])
    assert segmented == ["泰國商工總會與外貿協會合作"]


def test_a_sentence_the_tagger_read_is_segmented_from_its_run(model_on, monkeypatch):
    text = "科技部今天與泰國商工總會代表會談。"
    ner.tag(text)
    assert ner.has_read(text)
    monkeypatch.setattr(ner, "_model", lambda: pytest.fail("the model ran again"))
    bounds = orgs._word_bounds(text, [_hit(text, "工總")])
    assert 0 in bounds and len(text) in bounds


def test_a_new_document_forgets_the_runs(model_on):
    text = "科技部今天與泰國代表會談。"
    ner.tag(text)
    ner.new_document()
    assert not ner.has_read(text)
