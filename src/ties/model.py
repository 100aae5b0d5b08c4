"""The core model: plain typed records with no I/O.

A reader turns raw input into a `Document` (clean text plus metadata); later stages add
entities and events, each keeping the `Span` of clean text it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Half-open character range [start, end) into a document's clean text."""

    start: int
    end: int


@dataclass
class Document:
    """One input document after reading and cleaning."""

    path: str
    text: str
    format: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, Taipei local date
    site: str | None = None
    url: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # press-contact lines: people who are not actors
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReadFailure:
    """An input that could not be read; it still yields one output line."""

    path: str
    error: str
