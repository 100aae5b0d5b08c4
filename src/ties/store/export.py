"""Exports of the engagement database: JSON Lines (full events), CSV and Parquet (a flat event
table for pandas), PLOVER-style event records, and FollowTheMoney entities for Aleph."""
from __future__ import annotations

import csv
import json
from typing import Iterator

from sqlalchemy import select

from .queries import event_detail, export_records
from .schema import documents, entities, entity_aliases, event_participants, events, mentions

FLAT_COLUMNS = ["id", "date", "type", "mode", "partner_countries", "taiwan_side", "counterparts", "sources",
                "outcomes", "source_urls", "evidence"]
# The event record's fields (as on the event page), after the flat columns in CSV and Parquet.
RECORD_COLUMNS = ["summary", "headline", "place", "topics", "initiatives", "participants"]
LIST_COLUMNS = {"partner_countries", "taiwan_side", "counterparts", "outcomes", "source_urls", "evidence", "topics"}


def detailed_events(conn) -> Iterator[dict]:
    for event_id in conn.execute(select(events.c.id).order_by(events.c.id)).scalars():
        yield event_detail(conn, event_id)


def flat(detail: dict) -> dict:
    return {
        "id": detail["id"], "date": detail["date"], "type": detail["type"], "mode": detail["mode"],
        "partner_countries": " ".join(detail["partner_countries"]),
        "taiwan_side": "; ".join(detail["taiwan_side"]), "counterparts": "; ".join(detail["counterparts"]),
        "sources": detail["sources"], "outcomes": "; ".join(o["text"] for o in detail["outcomes"]),
        "source_urls": " ".join(dict.fromkeys(e["url"] or "" for e in detail["evidence"] if e["url"])),
        "evidence": " ‖ ".join(e["evidence"] for e in detail["evidence"]),
    }


def record_columns(record: dict) -> dict:
    """The record's fields flat for CSV: lists joined with "; ", each participant with its office."""
    return {"summary": record["summary"], "headline": record["headline"], "place": record["place"],
            "topics": "; ".join(record["topics"]), "initiatives": "; ".join(i["name"] for i in record["initiatives"]),
            "participants": "; ".join(_participant(p) for p in record["participants"])}


def _participant(p: dict) -> str:
    office = "，".join(x for x in (p["title"], p["affiliation"]) if x)
    return p["name"] + (f"（{office}）" if office else "")


def listed(record: dict) -> dict:
    """The flat columns and the record's fields with lists kept as lists (Parquet, JSON)."""
    return {
        "id": record["id"], "date": record["date"], "type": record["type"], "mode": record["mode"],
        "partner_countries": list(record["partner_countries"]), "taiwan_side": record["taiwan_side"],
        "counterparts": record["counterparts"], "sources": record["sources"],
        "outcomes": [o["text"] for o in record["outcomes"]],
        "source_urls": list(dict.fromkeys(e["url"] for e in record["evidence"] if e["url"])),
        "evidence": [e["evidence"] for e in record["evidence"]],
        "summary": record["summary"], "headline": record["headline"], "place": record["place"],
        "topics": record["topics"], "initiatives": record["initiatives"],
        "participants": [{k: p[k] for k in PARTICIPANT_FIELDS} for p in record["participants"]],
    }


PARTICIPANT_FIELDS = ("name", "side", "kind", "title", "affiliation", "entity_id")


def all_records(conn) -> Iterator[dict]:
    """Every event as a record, in a few queries per chunk of events."""
    return export_records(conn, list(conn.execute(select(events.c.id).order_by(events.c.id)).scalars()))


def plover(detail: dict) -> dict:
    """A PLOVER-style record (event_type, mode, actors and recipients with countries, date,
    sources with their evidence)."""
    return {
        "event_id": f"ties-{detail['id']}",
        "event_type": detail["type"],
        "mode": detail["mode"],
        "event_date": detail["date"],
        "actor": detail["taiwan_side"], "actor_country": "TWN" if detail["taiwan_side"] else None,
        "recipient": detail["counterparts"], "recipient_countries": detail["partner_countries"],
        "contexts": [],
        "outcomes": [o["text"] for o in detail["outcomes"]],
        "sources": [{"document_id": e["document_id"], "url": e["url"], "site": e["site"],
                     "published": e["published"], "text": e["evidence"],
                     "start": e["evidence_start"], "end": e["evidence_end"]} for e in detail["evidence"]],
    }


def write_jsonl(conn, out, record=lambda d: d) -> int:
    n = 0
    for detail in detailed_events(conn):
        out.write(json.dumps(record(detail), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(conn, out) -> int:
    writer = csv.DictWriter(out, FLAT_COLUMNS + RECORD_COLUMNS)
    writer.writeheader()
    n = 0
    for record in all_records(conn):
        writer.writerow(flat(record) | record_columns(record))
        n += 1
    return n


def write_parquet(conn, path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [listed(r) for r in all_records(conn)]
    pq.write_table(pa.Table.from_pylist(rows, schema=parquet_schema()), path)
    return len(rows)


def parquet_schema():
    import pyarrow as pa

    text = pa.string()
    initiative = pa.struct([("name", text), ("kind", text)])
    participant = pa.struct([(f, pa.int64() if f == "entity_id" else text) for f in PARTICIPANT_FIELDS])
    special = {"id": pa.int64(), "sources": pa.int64(), "initiatives": pa.list_(initiative),
               "participants": pa.list_(participant)}
    return pa.schema([(c, special.get(c) or (pa.list_(text) if c in LIST_COLUMNS else text))
                      for c in FLAT_COLUMNS + RECORD_COLUMNS])


def ftm_entities(conn) -> Iterator[dict]:
    """Person / Organization entities, an Article per source document, Documentation links from
    each article to the entities it mentions, and an Event per engagement with its participants."""
    from followthemoney import model

    entity_ids: dict[int, str] = {}
    for row in conn.execute(select(entities)).mappings():
        proxy = model.make_entity("Person" if row["kind"] == "person" else "Organization")
        proxy.make_id("ties-entity", str(row["id"]))
        proxy.add("name", row["name"])
        aliases = conn.execute(select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == row["id"])).scalars()
        proxy.add("alias", [a for a in aliases if a != row["name"]])
        if row["country"]:
            proxy.add("country", row["country"].lower())
        if row["kind"] == "person" and row["title"]:
            proxy.add("position", row["title"])
        entity_ids[row["id"]] = proxy.id
        yield proxy.to_dict()
    doc_ids: dict[int, str] = {}
    for row in conn.execute(select(documents.c.id, documents.c.title, documents.c.url, documents.c.published,
                                   documents.c.site, documents.c.text)).mappings():
        article = model.make_entity("Article")
        article.make_id("ties-document", str(row["id"]))
        article.add("title", row["title"] or row["url"] or f"document {row['id']}")
        article.add("sourceUrl", row["url"])
        article.add("publishedAt", row["published"])
        article.add("publisher", row["site"])
        article.add("bodyText", row["text"])
        article.add("language", "zho")
        doc_ids[row["id"]] = article.id
        yield article.to_dict()
        linked = set(conn.execute(select(mentions.c.entity_id).where(mentions.c.document_id == row["id"])).scalars())
        for entity_id in sorted(linked):
            link = model.make_entity("Documentation")
            link.make_id("ties-documentation", str(row["id"]), str(entity_id))
            link.add("document", article.id)
            link.add("entity", entity_ids[entity_id])
            link.add("role", "mentioned")
            yield link.to_dict()
    for detail in detailed_events(conn):
        ev = model.make_entity("Event")
        ev.make_id("ties-event", str(detail["id"]))
        people = detail["taiwan_side"] + detail["counterparts"]
        ev.add("name", f"{detail['type']} {detail['mode']}: {', '.join(people)}"[:200])
        if detail["date"] and not detail["date"].startswith("--"):
            ev.add("date", detail["date"])
        ev.add("country", [c.lower() for c in detail["partner_countries"] if c != "EU"] + ["tw"])
        ev.add("summary", [o["text"] for o in detail["outcomes"]])
        ev.add("sourceUrl", [e["url"] for e in detail["evidence"] if e["url"]])
        ev.add("proof", [doc_ids[e["document_id"]] for e in detail["evidence"]])
        ev.add("involved", _involved(conn, detail["id"], entity_ids))
        yield ev.to_dict()


def _involved(conn, event_id: int, entity_ids: dict[int, str]) -> list[str]:
    ids = conn.execute(select(event_participants.c.entity_id).where(
        event_participants.c.event_id == event_id, event_participants.c.entity_id.is_not(None))).scalars()
    return [entity_ids[i] for i in ids if i in entity_ids]


def write_ftm(conn, out) -> int:
    n = 0
    for entity in ftm_entities(conn):
        out.write(json.dumps(entity, ensure_ascii=False) + "\n")
        n += 1
    return n

