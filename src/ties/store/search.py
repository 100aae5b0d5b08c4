"""Chinese full-text search that is exact for queries of two or more characters.

Han runs are indexed as overlapping bigrams (唐鳳今天 → 唐鳳 鳳今 今天) and queried as a phrase of
bigrams, so a 2-character query is one token (the trigram tokenizer of the system SQLite silently
misses those). The index proposes; `instr`/`strpos` on the stored text confirms, so results are
exactly the documents containing the string. One-character queries scan the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from operator import add

from sqlalchemy import text as sql

WORD = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z]+)")  # a Han run (group 1), or else a word


def _pairs(han: str) -> list[str]:
    """Each character of a Han run joined to the next (map: every document is indexed, so it counts)."""
    return list(map(add, han, han[1:]))


def bigrams(text: str) -> list[str]:
    tokens: list[str] = []
    for han, other in WORD.findall(text.replace("臺", "台")):
        if han:
            tokens.extend(_pairs(han)) if len(han) > 1 else tokens.append(han)
        else:
            tokens.append(other.lower())
    return tokens


def index_text(text: str) -> str:
    return " ".join(bigrams(text))


def query_tokens(query: str) -> list[str]:
    """Tokens every document containing `query` is sure to have, in order. A word cut by the
    query's edge (`AI新` inside `AI新十大建設`, `Viol` inside `Viola`) is left to the confirmation."""
    words = list(WORD.finditer(query.replace("臺", "台")))
    tokens: list[str] = []
    for i, m in enumerate(words):
        at_edge = (i == 0 and m.start() == 0) or (i == len(words) - 1 and m.end() == len(query))
        if m.group(1):
            tokens.extend(_pairs(m.group(1)))  # (none for a single character)
        elif not at_edge:
            tokens.append(m.group().lower())
    return tokens


@dataclass
class Hit:
    document_id: int
    title: str | None
    published: str | None
    site: str | None
    snippet: str
    parts: tuple[str, str, str]


def fts_match(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', "") for t in tokens) + '"'


def search(conn, query: str, limit: int = 20, offset: int = 0, since: str | None = None,
           until: str | None = None, site: str | None = None, fold: bool = False) -> tuple[int, list[Hit]]:
    """(total matches, one page of hits ranked by relevance, then by date). Exact substring
    semantics; with fold=True 臺 and 台 are the same character."""
    query = query.strip()
    if not query:
        return 0, []
    tokens = query_tokens(query)
    params = {"q": query.replace("臺", "台") if fold else query, "limit": limit, "offset": offset,
              "since": since, "until": until, "site": site}
    filters = " AND ".join(clause for clause, value in (
        ("d.published >= :since", since), ("d.published <= :until", until), ("d.site = :site", site)) if value) or "1=1"
    contains = _contains(conn, fold)
    scan = f"FROM documents d WHERE {contains} AND {filters}"  # every document, each confirmed on its text
    if tokens and conn.dialect.name == "sqlite":
        params["match"] = fts_match(tokens)
        base = (f"FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                f"WHERE documents_fts MATCH :match AND {contains} AND {filters}")
        order = "ORDER BY bm25(documents_fts), d.published DESC"
    elif tokens:
        # every token, not the phrase: the index answers that alone, while a phrase makes PostgreSQL
        # read each candidate's whole vector for positions, and the text's confirmation is exact
        # anyway (3-5 characters at 50,000 documents: p50 about 115 -> 55 ms); ranked by the phrase
        params["match"], params["phrase"] = " & ".join(tokens), " <-> ".join(tokens)
        base = f"FROM documents d WHERE d.search @@ to_tsquery('simple', :match) AND {contains} AND {filters}"
        order = "ORDER BY ts_rank(d.search, to_tsquery('simple', :phrase)) DESC, d.published DESC"
    else:
        base, order = scan, "ORDER BY d.published DESC"
    # Counting stops at COUNT_CAP; above it, relevance ranking (which scores every match) gives way
    # to newest-first, which the index streams: common words stay fast on large corpora.
    total = conn.execute(sql(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP + 1}) AS capped"), params).scalar()
    if total > COUNT_CAP or not tokens:
        # newest first; on SQLite by the index's own rowid, which FTS5 walks backwards without sorting
        order = "ORDER BY f.rowid DESC" if tokens and conn.dialect.name == "sqlite" else "ORDER BY d.id DESC"
        if tokens and conn.dialect.name != "sqlite" and offset + limit <= WALK_ROWS:
            # PostgreSQL walks the documents newest first, confirming each, and stops at a page: a
            # common query has a match every N / total documents. Through the bigram index it read
            # and sorted every candidate (3-5 characters at 100,000: p50 about 130 -> 15 ms). Not
            # for many rows (the search facets' 500): a walk reads about rows x N / total.
            base = scan
    rows = conn.execute(sql(f"SELECT d.id, d.title, d.published, d.site, d.text {base} {order} "
                            f"LIMIT :limit OFFSET :offset"), params).all()
    return total, [Hit(r[0], r[1], r[2], r[3], snippet(r[4], query), snippet_parts(r[4], query)) for r in rows]


COUNT_CAP = 500
WALK_ROWS = 100  # PostgreSQL walks a search past COUNT_CAP only up to this many rows (offset + limit)


def _contains(conn, fold: bool) -> str:
    """The confirmation on the stored text (the index folds 臺→台 and so may propose more)."""
    column = "replace(d.text, '臺', '台')" if fold else "d.text"
    return f"instr({column}, :q) > 0" if conn.dialect.name == "sqlite" else f"strpos({column}, :q) > 0"


def snippet_parts(text: str, query: str, width: int = 40) -> tuple[str, str, str]:
    """(before, match, after) around the first match, for a page to escape and highlight."""
    at = text.replace("臺", "台").find(query.replace("臺", "台"))
    if at < 0:
        return text[: 2 * width], "", ""
    start, end = max(0, at - width), min(len(text), at + len(query) + width)
    return (("…" if start else "") + text[start:at], text[at:at + len(query)],
            text[at + len(query):end] + ("…" if end < len(text) else ""))


def snippet(text: str, query: str, width: int = 40) -> str:
    """The text around the first match, the match between [ and ] (for terminals and JSON)."""
    before, match, after = snippet_parts(text, query, width)
    return f"{before}[{match}]{after}" if match else before
