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
    published_partial: str | None = None  # YYYY-MM or YYYY when the metadata gives no more
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


@dataclass
class Person:
    name: str
    spans: list[Span] = field(default_factory=list)
    title: str | None = None
    affiliation: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Organization:
    name: str  # canonical
    spans: list[Span] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # forms seen in this text
    country: str | None = None
    kind: str | None = None


@dataclass
class Place:
    name: str
    spans: list[Span] = field(default_factory=list)
    country: str | None = None
    kind: str | None = None


@dataclass
class Event:
    type: str  # PLOVER: CONSULT, AGREE, COOPERATE, AID, SUPPORT, REQUEST
    mode: str
    date: str | None  # YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD
    taiwan_side: list[str] = field(default_factory=list)
    counterparts: list[str] = field(default_factory=list)
    partner_countries: list[str] = field(default_factory=list)
    outcomes: list[tuple[str, Span]] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    trigger: str = ""
    location: str | None = None
    from_row: bool = False  # found in a schedule or table row (rows never merge with each other)
    # 今(5)日 in a document with no publication date: the day of the month alone. Not a date of
    # the record (date stays None); reports of one occasion from several outlets compare it.
    day_of_month: int | None = None


@dataclass
class Initiative:
    name: str
    kind: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Figure:
    text: str
    value: float | None
    unit: str
    span: Span


@dataclass
class Extraction:
    persons: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
