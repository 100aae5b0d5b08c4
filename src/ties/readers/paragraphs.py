"""Paragraph repair shared by the readers."""
from __future__ import annotations

import re

_ENDS_MID_SENTENCE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]$")
_STARTS_AS_CONTINUATION = re.compile(r"^[\u3400-\u9fff，、；。）」]")
MIN_BROKEN_LEN = 30


def repair_breaks(paragraphs: list[str]) -> list[str]:
    """Rejoin a paragraph cut in two by a page break (PDF or print conversions leave
    `…積極強` / `化數位基礎建設…`): a long paragraph that stops mid-sentence is continued
    by the next one when that one starts with a Han character or closing punctuation."""
    out: list[str] = []
    for para in paragraphs:
        if out and len(out[-1]) >= MIN_BROKEN_LEN and _ENDS_MID_SENTENCE.search(out[-1]) \
                and _STARTS_AS_CONTINUATION.match(para) and re.search("[，,；]", out[-1]):
            out[-1] += para
        else:
            out.append(para)
    return out
