"""Sentences and clauses of the clean text, with their offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[」』”’）)]*)?")
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    out = []
    offset = 0
    for p_index, paragraph in enumerate(text.split("\n")):
        for m in SENTENCE.finditer(paragraph):
            if m.group().strip():
                out.append(Sentence(offset + m.start(), offset + m.end(), m.group(), p_index))
        offset += len(paragraph) + 1
    return out
