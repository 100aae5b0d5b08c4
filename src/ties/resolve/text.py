"""Story near-duplicates: text hashes and SimHash fingerprints over real text only."""
from __future__ import annotations

import hashlib
from itertools import combinations

import numpy as np

SIMHASH_BITS = 64
# Of 64 bits (unrelated texts sit near 32). Two fingerprints within 6 bits share at least two of
# the 8 bands (pigeonhole), so candidates are the stories sharing a pair of bands: a handful, not a scan.
NEAR_DUPLICATE_DISTANCE = 6
BANDS = 8
# Below this many non-space characters a text is chrome or a lost body, not a story.
MIN_STORY_CHARS = 80


def text_hash(text: str) -> str:
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


def simhash(text: str) -> str:
    """64-bit SimHash over character 4-grams of the text without spaces, as 16 hex digits (the
    bytes of the majority bits, least significant first)."""
    compact = "".join(text.split()) or " "
    codes = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 4:
        codes = np.concatenate([codes, np.zeros(4 - len(codes), dtype=np.uint64)])
    # a 4-gram's 64 bits: its code points folded through the splitmix64 finaliser (vectorised,
    # stable across processes, unlike hash(); well mixed, unlike CRCs, whose linearity breaks SimHash)
    grams = len(codes) - 3
    h = _mix(codes[:grams].copy())
    for k in (1, 2, 3):
        h ^= codes[k:grams + k]
        _mix(h)
    # each distinct 4-gram once; sorting in place and masking repeats is np.unique without its
    # overhead, which was half the cost on a news article
    h.sort()
    distinct = h[np.concatenate(([True], h[1:] != h[:-1]))]
    counts = np.unpackbits(distinct.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=0, dtype=np.uint32)
    return bytes(np.packbits(counts * 2 > len(distinct))).hex()


_MIX_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MIX_FACTORS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place (uint64 arithmetic wraps; arrays never warn of it)."""
    x ^= x >> _MIX_SHIFTS[0]
    x *= _MIX_FACTORS[0]
    x ^= x >> _MIX_SHIFTS[1]
    x *= _MIX_FACTORS[1]
    x ^= x >> _MIX_SHIFTS[2]
    return x


_BAND_PAIRS = list(combinations(range(BANDS), 2))


def band_pair_keys(fingerprint: str) -> list[int]:
    """A key for each pair of the 8 bands of a 16-hex-digit SimHash: the pair's number above the
    two bands' 16 bits. Fingerprints within NEAR_DUPLICATE_DISTANCE bits share at least one."""
    band = [int(fingerprint[2 * i:2 * i + 2], 16) for i in range(BANDS)]
    return [(n << 16) | (band[i] << 8) | band[j] for n, (i, j) in enumerate(_BAND_PAIRS)]


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def has_real_text(text: str, minimum: int = 0) -> bool:
    """Enough text to compare: a page that lost its body (no text, or only a few words of chrome)
    must never be taken for a near-duplicate of another such page."""
    return len("".join(text.split())) >= (minimum or MIN_STORY_CHARS)
