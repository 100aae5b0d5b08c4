"""Is the document Chinese? A script-share rule, not a statistical model: every rule of ties reads
Chinese, so a page written mostly in another script gives nothing worth storing.

Chinese characters are counted one by one and other writing word by word (an English word is
about as much text as one Chinese character is), so English names and quotations inside a
Chinese article do not outweigh it. Kana mark Japanese and Hangul marks Korean, even though
both may be written with many Chinese characters too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff]")  # without the middle dot ・
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_CJK_RANGES = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
OTHER_WORD = re.compile(rf"[^\W\d_{_CJK_RANGES}]+")  # a run of letters of any other script
MIN_UNITS = 20  # below this the text is too short to judge
MIN_CHINESE_SHARE = 0.5
MAX_KANA_SHARE = 0.15  # of Han plus kana: Chinese has almost none, Japanese a third or more
NOT_CHINESE_START = "not Chinese"
NOT_CHINESE = (NOT_CHINESE_START
               + " ({share:.0%} of its words are Chinese characters): nothing extracted, count it as skipped")


@dataclass(frozen=True)
class ScriptShare:
    han: int
    kana: int
    hangul: int
    other_words: int

    @property
    def units(self) -> int:
        return self.han + self.kana + self.hangul + self.other_words

    @property
    def chinese_share(self) -> float:
        return self.han / self.units if self.units else 0.0


MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|https?://\S+|&\w+;", re.S | re.I)


def script_share(text: str) -> ScriptShare:
    """Counts over the text without markup and URLs (a raw page is judged by what it shows)."""
    text = MARKUP.sub(" ", text)
    return ScriptShare(_count(HAN, text), _count(KANA, text), _count(HANGUL, text), len(OTHER_WORD.findall(text)))


def _count(one_char: re.Pattern, text: str) -> int:
    """How many characters match: removing them is faster than listing them."""
    return len(text) - len(one_char.sub("", text))


def is_chinese(text: str) -> bool | None:
    """True or False; None when the text is too short to tell (or empty)."""
    s = script_share(text)
    if s.units < MIN_UNITS:
        return None
    if s.kana > MAX_KANA_SHARE * (s.han + s.kana):
        return False
    return s.chinese_share >= MIN_CHINESE_SHARE


def not_chinese_warning(text: str) -> str | None:
    """The warning for a document that is not Chinese, else None."""
    if is_chinese(text) is False:
        return NOT_CHINESE.format(share=script_share(text).chinese_share)
    return None


def is_not_chinese_warning(warning: str) -> bool:
    return warning.startswith(NOT_CHINESE_START)
