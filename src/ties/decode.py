"""Bytes to text: BOMs, UTF-8, then charset detection for Big5/CP950, GB18030, UTF-16 …

Binary files (images, archives) are refused by their magic numbers before any guessing,
because charset detection will happily "decode" a PNG.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from . import errors
from .errors import InputError

MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media file"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
]

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Encodings users of Chinese text meet, tried in this order when detection is unsure.
FALLBACKS = ("cp950", "big5hkscs", "gb18030")


def binary_kind(data: bytes) -> str | None:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return None


def decode_bytes(data: bytes, warnings: list[str] | None = None) -> tuple[str, str]:
    """Return (text, encoding name) with CRLF/CR normalised to LF; raise InputError. A few invalid
    bytes in text whose encoding is otherwise clear are replaced (U+FFFD), with a warning added to
    `warnings` giving how many."""
    if not data.strip():
        raise InputError(errors.EMPTY)
    kind = binary_kind(data)
    if kind:
        raise InputError(errors.BINARY.format(kind=kind))
    text, encoding, replaced = _decode(data)
    if replaced and warnings is not None:
        warnings.append(errors.BYTES_REPLACED.format(count=replaced, encoding=encoding))
    if "\x00" in text or _garbage_ratio(text) > 0.05:
        raise InputError(errors.BINARY.format(kind="mostly control or unassigned characters"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(errors.EMPTY)
    return text, encoding


def _decode(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, how many invalid bytes were replaced)."""
    for bom, name in BOMS:
        if data.startswith(bom):  # the encoding is clear: a few bytes that do not fit are replaced
            if decoded := _few_replaced(data, name):
                return decoded
            raise InputError(errors.UNDECODABLE)
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    if lenient := _few_replaced(data, "utf-8"):
        return lenient
    if _looks_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(name), name, 0
            except UnicodeDecodeError:
                continue
    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8",):
        return str(best), best.encoding, 0
    for name in FALLBACKS:
        try:
            return data.decode(name), name, 0
        except UnicodeDecodeError:
            continue
    for name in FALLBACKS:
        if lenient := _few_replaced(data, name):
            return lenient
    raise InputError(errors.UNDECODABLE)


# An encoding is clear when decoding in it needs few replacements: one byte in a thousand, and
# at least 4 are tolerated (a stray byte, a cut character). Big5 read as UTF-8 needs thousands.
MAX_REPLACED_PER_MILLE = 1
MIN_REPLACED_ALLOWED = 4
_replaced = [0, 0]  # bytes replaced so far, bytes allowed


class _TooMany(Exception):
    pass


def _count_and_replace(exc: UnicodeDecodeError) -> tuple[str, int]:
    _replaced[0] += exc.end - exc.start
    if _replaced[0] > _replaced[1]:
        raise _TooMany  # the wrong encoding: no need to decode the rest
    return "\ufffd", exc.end


codecs.register_error("ties-count-replace", _count_and_replace)


def _few_replaced(data: bytes, name: str) -> tuple[str, str, int] | None:
    """(text, name, bytes replaced) when decoding in NAME needs few replacements, else None."""
    _replaced[:] = [0, max(MIN_REPLACED_ALLOWED, len(data) * MAX_REPLACED_PER_MILLE // 1000)]
    try:
        text = data.decode(name, errors="ties-count-replace")
    except _TooMany:
        return None
    return text, name, _replaced[0]


_GARBAGE_CATEGORIES = ("Cc", "Cn", "Co", "Cs")
# Printable ASCII, usual whitespace, common Han, CJK punctuation and full-width forms: never garbage.
_NEVER_GARBAGE = re.compile(r"[\x20-\x7e\n\r\t\f\u4e00-\u9fcc\u3000-\u303f\uff01-\uff5e]+")


def _garbage_ratio(text: str) -> float:
    sample = text[:20000]
    rest = _NEVER_GARBAGE.sub("", sample)
    # Each other distinct character is classified once, then counted.
    bad = sum(rest.count(ch) for ch in set(rest)
              if unicodedata.category(ch) in _GARBAGE_CATEGORIES and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


def _looks_utf16(data: bytes) -> bool:
    """BOM-less UTF-16 of mostly ASCII markup has a NUL in every other byte."""
    sample = data[:4000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4
