"""The position indexes used for speed answer as the plain scans they replace (random invented
spans, checked against the scan)."""
import random

from ties.extraction.events import _ByStart, _SentenceIndex
from ties.extraction.run import _Inside
from ties.extraction.text import sentences
from ties.model import Person, Span


def test_inside_another_span_as_the_scan():
    rng = random.Random(7)
    for _ in range(300):
        spans = [(s, s + rng.randint(1, 6)) for s in (rng.randint(0, 30) for _ in range(rng.randint(0, 8)))]
        inside = _Inside(spans)
        for start in range(32):
            for end in range(start + 1, start + 8):
                expected = any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
                assert inside(start, end) == expected, (spans, start, end)


def test_items_with_a_span_in_a_range_in_their_own_order():
    rng = random.Random(3)
    for _ in range(200):
        people = [Person(f"p{i}", [Span(s, s + 2) for s in rng.sample(range(40), rng.randint(1, 3))])
                  for i in range(rng.randint(0, 6))]
        index = _ByStart(people)
        for start, end in ((0, 10), (5, 25), (12, 13), (30, 60)):
            expected = [p for p in people if any(start <= sp.start < end for sp in p.spans)]
            assert index.within(start, end) == expected


def test_the_sentence_at_a_position():
    sents = sentences("甲乙丙。丁戊！\n\n己庚？辛")
    at = _SentenceIndex(sents)
    for pos in range(-1, 16):
        assert at(pos) == next((s for s in sents if s.start <= pos < s.end), None)


def test_clause_marks_found_as_find_and_rfind_find_them():
    from ties.extraction.text import after_last as _after_last, first_from as _first_from
    rng = random.Random(11)
    marks = "，,；;。"
    for _ in range(2000):
        text = "".join(rng.choice("甲乙，,；;。a\n") for _ in range(rng.randint(0, 12)))
        for at in range(-len(text) - 2, len(text) + 3):
            assert _after_last(text, marks, at) == max(text.rfind(c, 0, at) for c in marks) + 1
            ends = [i for i in (text.find(c, at) for c in marks) if i >= 0]
            assert _first_from(text, marks, at) == min(ends, default=len(text))
