"""One document as one Arrow row: the `ties extract` record (pipeline.to_record), plus what it
lacks to rebuild the Document and Extraction exactly (contacts, an event's location, row flag and
day of the month,
the error of an input that could not be read). Nested fields are Arrow lists and structs."""
from __future__ import annotations

import pyarrow as pa

from ..model import (Document, Event, Extraction, Figure, Initiative, Organization, Person, Place,
                     ReadFailure, Span)
from ..pipeline import failure_record, to_record

_str, _int = pa.string(), pa.int32()
_strings = pa.list_(_str)
_spans = pa.list_(pa.list_(_int))  # [[start, end], ...] as in the JSON record

PERSON = pa.struct([("name", _str), ("title", _str), ("affiliation", _str), ("country", _str),
                    ("aliases", _strings), ("spans", _spans)])
ORGANIZATION = pa.struct([("name", _str), ("aliases", _strings), ("country", _str), ("kind", _str),
                          ("spans", _spans)])
PLACE = pa.struct([("name", _str), ("country", _str), ("kind", _str), ("spans", _spans)])
EVIDENCE = pa.struct([("start", _int), ("end", _int), ("text", _str)])
EVENT = pa.struct([("type", _str), ("mode", _str), ("date", _str), ("taiwan_side", _strings),
                   ("counterparts", _strings), ("partner_countries", _strings), ("outcomes", _strings),
                   ("outcome_spans", _spans), ("trigger", _str), ("evidence", pa.list_(EVIDENCE)),
                   ("location", _str), ("from_row", pa.bool_()), ("day_of_month", _int)])
INITIATIVE = pa.struct([("name", _str), ("kind", _str), ("spans", _spans)])
FIGURE = pa.struct([("text", _str), ("value", pa.float64()), ("unit", _str), ("span", pa.list_(_int))])

SCHEMA = pa.schema([
    ("path", _str), ("error", _str),
    ("title", _str), ("published", _str), ("published_partial", _str), ("site", _str), ("text", _str),
    ("persons", pa.list_(PERSON)), ("organizations", pa.list_(ORGANIZATION)), ("countries", _strings),
    ("places", pa.list_(PLACE)), ("topics", _strings), ("events", pa.list_(EVENT)),
    ("initiatives", pa.list_(INITIATIVE)), ("figures", pa.list_(FIGURE)),
    ("format", _str), ("url", _str), ("author", _str), ("tags", _strings), ("captions", _strings),
    ("contacts", _strings), ("encoding", _str), ("warnings", _strings), ("skipped", pa.bool_()),
], metadata={b"ties": b'{"kind": "extract-rows", "version": 1}'})


def to_row(result: Document | ReadFailure, found: Extraction | None) -> dict:
    """The row of one result of pipeline.read_and_extract."""
    if isinstance(result, ReadFailure):
        return failure_record(result)
    row = to_record(result, found)
    row["contacts"] = result.contacts
    for event, record in zip((found or Extraction()).events, row["events"]):
        record["location"], record["from_row"] = event.location, event.from_row
        record["day_of_month"] = event.day_of_month
    return row


def to_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def from_row(row: dict) -> tuple[Document | ReadFailure, Extraction | None]:
    """The (Document, Extraction) a row was made from, or (ReadFailure, None)."""
    if row.get("error") is not None:
        return ReadFailure(row["path"], row["error"]), None
    doc = Document(path=row["path"], text=row["text"] or "", format=row["format"], title=row["title"],
                   published=row["published"], published_partial=row["published_partial"], site=row["site"],
                   url=row["url"], author=row["author"], tags=_list(row["tags"]),
                   captions=_list(row["captions"]), contacts=_list(row["contacts"]), encoding=row["encoding"],
                   warnings=_list(row["warnings"]))
    return doc, _extraction(row)


def _extraction(row: dict) -> Extraction:
    return Extraction(
        persons=[Person(p["name"], _span_list(p["spans"]), p["title"], p["affiliation"], p["country"],
                        _list(p["aliases"])) for p in _list(row["persons"])],
        organizations=[Organization(o["name"], _span_list(o["spans"]), _list(o["aliases"]), o["country"], o["kind"])
                       for o in _list(row["organizations"])],
        places=[Place(p["name"], _span_list(p["spans"]), p["country"], p["kind"]) for p in _list(row["places"])],
        countries=_list(row["countries"]),
        topics=_list(row["topics"]),
        events=[_event(e) for e in _list(row["events"])],
        initiatives=[Initiative(i["name"], i["kind"], _span_list(i["spans"])) for i in _list(row["initiatives"])],
        figures=[Figure(f["text"], f["value"], f["unit"], Span(*f["span"])) for f in _list(row["figures"])],
    )


def _event(e: dict) -> Event:
    return Event(type=e["type"], mode=e["mode"], date=e["date"], taiwan_side=_list(e["taiwan_side"]),
                 counterparts=_list(e["counterparts"]), partner_countries=_list(e["partner_countries"]),
                 outcomes=list(zip(_list(e["outcomes"]), _span_list(e["outcome_spans"]))),
                 evidence=[Span(s["start"], s["end"]) for s in _list(e["evidence"])],
                 trigger=e["trigger"] or "", location=e["location"], from_row=bool(e["from_row"]),
                 day_of_month=e.get("day_of_month"))


def _list(value) -> list:
    return list(value) if value is not None else []


def _span_list(pairs) -> list[Span]:
    return [Span(start, end) for start, end in _list(pairs)]
