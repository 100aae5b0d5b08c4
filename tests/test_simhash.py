"""The story fingerprint: stored databases compare new texts with fingerprints made by earlier
builds, so a faster SimHash must give the same 16 hex digits as its definition, bit for bit."""
from hypothesis import given, settings, strategies as st

from ties.resolve.text import simhash

MASK = (1 << 64) - 1


def _splitmix_finaliser(x: int) -> int:
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def reference_simhash(text: str) -> str:
    """The definition, one 4-gram at a time: the text without spaces (a lone space if none is
    left), padded with code 0 to four characters; each 4-gram folded through the finaliser; each
    distinct gram counted once; a bit is set when more than half of the grams set it; the 64 bits
    written as 8 bytes, least significant byte first, each byte's bits in order."""
    codes = [ord(c) for c in "".join(text.split()) or " "]
    codes += [0] * (4 - len(codes))
    grams = set()
    for i in range(len(codes) - 3):
        h = _splitmix_finaliser(codes[i])
        for k in (1, 2, 3):
            h = _splitmix_finaliser(h ^ codes[i + k])
        grams.add(h)
    value = sum(1 << bit for bit in range(64) if 2 * sum(g >> bit & 1 for g in grams) > len(grams))
    return value.to_bytes(8, "little").hex()


# texts of repeated words repeat 4-grams far apart, which must count once
TEXTS = st.one_of(st.text(alphabet="台美日會談部長合作，。a1 \n😀", max_size=60),
                  st.lists(st.sampled_from(["台美", "會談", "部長", "合作", "，", " ", "😀"]), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_simhash_is_its_definition(text):
    assert simhash(text) == reference_simhash(text)


def test_simhash_gives_the_fingerprints_earlier_builds_stored():
    assert simhash("外交部長林佳龍今天接見立陶宛國會代表團，雙方就半導體與供應鏈合作交換意見。") == "47058a81852b074d"
    assert simhash("台美") == "8db74cf47d30e5d3"
    assert simhash("") == "b069301f06688120"
