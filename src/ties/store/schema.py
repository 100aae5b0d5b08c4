"""The database schema, declared once for both backends. Documented in docs/schema.md.

stories      one per story; near-identical reposts of a story are documents of one story
story_keys   each pair of 8-bit bands of the story's SimHash, to find near-duplicate candidates by index
documents    one per source (URL, or file path when there is no URL), with clean text: its latest version
document_versions  every text a document has had (corrections, updates), numbered from 1
entities     one per real person or organisation; entity_aliases holds every name seen
mentions     where a document names an entity (character offsets into documents.text)
events       one per engagement, merged across documents
event_partners  each partner country of an event (kept in step with events.partner_countries by triggers)
event_sources    each document that reports an event, with its evidence sentence
event_participants  who took part, on which side
outcomes     commitments and expectations, with the document and span they came from
doc_topics   topics per document
event_topics  each topic of an event: its source documents' topics (kept in step by triggers)
partner_topics  per partner and topic, how many events have both (kept in step by triggers)
doc_initiatives  named agreements, programmes, platforms per document, with spans
merges       why two things were merged (explainable resolution), and borderline candidates
actions      each action a document reports (its extraction), the input events are recomputed from
action_keys  participant and initiative keys per action, to find merge candidates by index
corrections  the analyst's merge and split decisions, applied on every (re)merge
fetch_state  HTTP validators and poll outcomes of fetched URLs and watched feeds (ties.store.feeds)
"""
from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table,
                        Text, UniqueConstraint)

SCHEMA_VERSION = 10
metadata = MetaData()
STORY_OF_DOCUMENT_INDEX = "ix_documents_id_story"

schema_version = Table("schema_version", metadata, Column("version", Integer, primary_key=True))

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("simhash", String(16), nullable=False, index=True),
    Column("title", Text),
    Column("published", String(10)),
)

# SimHash cut into 8 bands of 8 bits: two fingerprints within 6 bits share at least two bands
# (pigeonhole), so each pair of bands is a key (28 a story, of 16 bits) and the candidates are the
# stories sharing a key: about N/65,536 stories per key. Single bands (version 7 and before) were
# read as N/256 stories each and grouped: a 32nd of all stories for every document stored.
story_keys = Table(
    "story_keys", metadata,
    Column("key", Integer, nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "story_id"),  # candidates read from the key alone
    sqlite_with_rowid=False,
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_key", Text, nullable=False, unique=True),  # URL, else the file's path
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("url", Text),
    Column("site", String(255)),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("format", String(32)),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False, index=True),
    Column("extractor_version", String(32), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    # the story of each merge candidate's document, read from a narrow index: by the primary key
    # it was a page of this wide table per document (cold at 150,000 documents, 2-4 ms for 200)
    Index(STORY_OF_DOCUMENT_INDEX, "id", "story_id"),
)

# Every text a document has had; the highest version is the one in documents.text, the one its
# facts come from. origin is where that text was read: an absolute file path, a fetched URL, stdin.
document_versions = Table(
    "document_versions", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("origin", Text, nullable=False),
    Column("title", Text),
    Column("published", String(10)),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("document_id", "version"),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # person, organization
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),  # normalised name: no spaces, 臺 → 台
    Column("country", String(2)),
    Column("title", Text),
    Column("affiliation", Text),
    UniqueConstraint("kind", "key"),
)

entity_aliases = Table(
    "entity_aliases", metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("alias_key", Text, nullable=False),
    Column("alias", Text, nullable=False),
    UniqueConstraint("entity_id", "alias_key"),
    Index("ix_alias_key", "alias_key"),
)

mentions = Table(
    "mentions", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("type", String(16), nullable=False, index=True),
    Column("mode", String(16)),
    Column("date", String(10), index=True),  # YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD or NULL
    Column("date_sort", String(10)),  # for ranges: partial dates at their earliest day
    Column("partner_countries", Text),  # space-separated ISO codes
    Column("actions", Text),  # every action type of the occasion, space-separated (AGREE CONSULT)
    Index("ix_events_date_sort", "date_sort"),  # lists newest (or oldest) first: a page read in order, no sort
)

# One row per partner of an event, for filters and counts by index. The database fills it from
# events.partner_countries (triggers in db.py), so every writer of events keeps it right.
event_partners = Table(
    "event_partners", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(2), primary_key=True),
    Index("ix_event_partners_code", "code", "event_id"),  # covering: a partner's events read from the index only
)

event_sources = Table(
    "event_sources", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("trigger", Text),
)

event_participants = Table(
    "event_participants", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE")),
    Column("name", Text, nullable=False),
    Column("side", String(12), nullable=False),  # taiwan, counterpart
    UniqueConstraint("event_id", "name", "side"),
)

outcomes = Table(
    "outcomes", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

doc_topics = Table(
    "doc_topics", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("topic", String(32), nullable=False, index=True),
)

# One row per topic of an event (the union of its source documents' topics), for the topic filter,
# facets and row topics by index. support counts the (event_sources row, doc_topics row) pairs that
# give the event the topic, so triggers in db.py on both tables add and subtract in any order
# (cascades included) and drop the row at zero.
event_topics = Table(
    "event_topics", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("support", Integer, nullable=False),
    Index("ix_event_topics_topic", "topic", "event_id"),  # covering: the topic filter reads no table row
)

# Per partner code and topic, the events that have both (an event_partners row and an event_topics
# row): a partner's top topics without reading its events. Triggers in db.py on both tables add and
# subtract the pairs a changed row makes, so the count is exact whatever order rows (and cascades)
# arrive in; a row may stay at 0.
partner_topics = Table(
    "partner_topics", metadata,
    Column("code", String(2), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("events", Integer, nullable=False),
)

doc_initiatives = Table(
    "doc_initiatives", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

merges = Table(
    "merges", metadata,
    Column("kind", String(16), nullable=False),  # story, event, candidate (not merged), correction
    Column("into_id", Integer, nullable=False),  # the story or event (for a candidate: its event)
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE")),
    Column("reason", Text, nullable=False),  # the signals
    Column("score", Float),
    Column("other_document_id", Integer),  # the report it was matched with
    # merging events moves their rows and re-storing a document drops its rows: by index, not a scan
    Index("ix_merges_into", "into_id"),
    Index("ix_merges_document", "document_id"),
    Index("ix_merges_other_document", "other_document_id"),
)

actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),  # order in the document
    Column("event_id", Integer, index=True),
    Column("type", String(16), nullable=False),
    Column("date", String(10)),
    Column("record", Text, nullable=False),  # JSON: sides, partners, evidence, outcomes, headline, lead...
    Column("report", Text),  # JSON list: what the merge reads of a candidate (keys folded); null before version 5
    # read when an event grows, without parsing JSON (version 7): the record's mode, and the date
    # the report trusts (its first item; null when it trusts none, or has no report)
    Column("mode", String(16)),
    Column("trusted", String(10)),
)

action_keys = Table(
    "action_keys", metadata,
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key", Text, nullable=False),  # p:NAME@YEAR or i:INITIATIVE@YEAR (YEAR empty when undated)
    Index("ix_action_keys_key", "key", "action_id"),  # covering: candidates read from the index only
)

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(8), nullable=False),  # merge (must link), split (must not link)
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("other_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("note", Text),
    Column("created_at", String(32), nullable=False),
)

# Web fetching state (ties.store.feeds): HTTP validators for conditional GET of pages, feeds and
# sitemaps, and for feeds polled by `ties watch` the last poll's outcome.
fetch_state = Table(
    "fetch_state", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", String(32)),
    Column("last_status", String(16)),  # new, unchanged, failed
    Column("new_items", Integer),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text),
)
