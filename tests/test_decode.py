"""Bytes in every encoding users meet decode to the same text; binaries are refused."""
import pytest

from ties.decode import decode_bytes
from ties.errors import InputError

TEXT = "外交部長林佳龍今天接見立陶宛國會議員訪問團，雙方同意深化半導體與無人機合作。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950", "big5", "gb18030", "utf-16", "utf-16-le"])
def test_round_trip(encoding):
    text, used = decode_bytes(TEXT.encode(encoding))
    assert text == TEXT, used


def test_crlf_becomes_lf():
    text, _ = decode_bytes("第一段。\r\n第二段。\r\n".encode("utf-8"))
    assert text == "第一段。\n第二段。\n"


def test_bom_is_removed():
    text, _ = decode_bytes("\ufeff標題\n".encode("utf-8"))
    assert text == "標題\n"


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    (b"PK\x03\x04" + bytes(range(256)) * 4, "ZIP"),
    (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
])
def test_binary_is_refused(data, kind):
    with pytest.raises(InputError, match=kind):
        decode_bytes(data)


def test_random_bytes_are_refused():
    import random
    rng = random.Random(7)
    with pytest.raises(InputError):
        decode_bytes(bytes(rng.randrange(256) for _ in range(5000)))


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode("utf-8")])
def test_empty_is_refused(data):
    with pytest.raises(InputError, match="empty"):
        decode_bytes(data)


def test_a_few_invalid_bytes_are_replaced_with_a_warning():
    data = TEXT.encode("utf-8")
    warnings = []
    text, used = decode_bytes(data[:6] + b"\xff" + data[6:], warnings)
    assert used == "utf-8" and "\ufffd" in text and text.replace("\ufffd", "") == TEXT
    assert warnings == ["1 invalid byte(s) in utf-8 text replaced by U+FFFD"]


def test_a_few_invalid_bytes_after_a_bom_or_in_big5_are_replaced():
    warnings = []
    decode_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8") + b"\xc3", warnings)
    big5 = TEXT.encode("cp950") * 2
    text, used = decode_bytes(big5[:10] + b"\xff\xff" + big5[10:], warnings)
    assert used == "cp950" and len(warnings) == 2 and TEXT[5:] in text


def test_many_invalid_bytes_are_not_replaced():
    with pytest.raises(InputError):
        decode_bytes(b"\xef\xbb\xbf" + bytes(range(128, 256)) * 20)


def test_characters_skipped_by_the_garbage_count_are_never_garbage():
    """The garbage share skips a fast set of characters: none of them may be garbage."""
    import unicodedata

    from ties.decode import _GARBAGE_CATEGORIES, _NEVER_GARBAGE

    kept = _NEVER_GARBAGE.sub("", "".join(map(chr, range(0x30000))))
    skipped = {chr(c) for c in range(0x30000)} - set(kept)
    assert len(skipped) > 20000
    assert not [ch for ch in skipped if unicodedata.category(ch) in _GARBAGE_CATEGORIES and ch not in "\n\r\t\f"]
