"""The faster Viterbi decoder gives the same path as the plain one (argmax, then index by it)."""
import numpy as np

from ties.extraction.ner import _viterbi_decode


def _plain(emissions, transitions, n):
    dp, back = emissions[0].copy(), []
    for t in range(1, n):
        scores = dp[:, None] + transitions
        bp = np.argmax(scores, axis=0)
        dp = scores[bp, np.arange(emissions.shape[1])] + emissions[t]
        back.append(bp)
    path = [int(np.argmax(dp))]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return path[::-1]


def test_same_path_as_the_plain_decoder():
    rng = np.random.default_rng(7)
    for n in (1, 2, 9, 120):
        emissions = rng.standard_normal((n, 12)).astype(np.float32)
        transitions = rng.standard_normal((12, 12)).astype(np.float32)
        assert _viterbi_decode(emissions, transitions, n) == _plain(emissions, transitions, n)


def test_ties_keep_the_first_tag():
    emissions = np.zeros((4, 3), dtype=np.float32)
    transitions = np.zeros((3, 3), dtype=np.float32)
    assert _viterbi_decode(emissions, transitions, 4) == [0, 0, 0, 0]


def test_same_path_with_many_ties():
    rng = np.random.default_rng(11)
    for n in (1, 3, 40):
        emissions = rng.integers(-1, 2, (n, 9)).astype(np.float32)
        transitions = rng.integers(-1, 2, (9, 9)).astype(np.float32)
        assert _viterbi_decode(emissions, transitions, n) == _plain(emissions, transitions, n)
