"""The `ties` command line. Every command's help ends with an example; user errors are one line."""
from __future__ import annotations

import json
import sys
from fnmatch import fnmatch
from pathlib import Path

import click

from . import __version__, filters
from .errors import TiesError
from .fetch.options import fetch_options
from .model import ReadFailure
from .pipeline import failure_record, process, skip_reason, stage_error, to_record
from .progress import progress
from .scale import DEFAULT_BATCH
from .sources import DEFAULT_MAX_MB, iter_sources
from .workers import WRITER_FIRST_NICENESS
from .store import DEFAULT_DB  # the store (SQLAlchemy: 0.5 s of imports) is imported by the commands using it
from .output import output_option, render, render_record


def jobs_option(func):
    return click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
                        help="Worker processes reading and extracting in parallel (the database is written "
                             "by one).")(func)


DEFAULT_DOC_TIMEOUT = 120.0


def doc_timeout_option(func):
    return click.option("--doc-timeout", type=click.FloatRange(0), default=DEFAULT_DOC_TIMEOUT, show_default=True,
                        help="Give up a document (one line on standard error, the batch goes on) after this "
                             "many seconds of reading and extracting; 0: no limit.")(func)


class TiesGroup(click.Group):
    """Turns TiesError into a one-line message unless --debug was given."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TiesError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            sys.stderr.close()  # output piped into `head`: stop quietly
            raise click.exceptions.Exit(0) from None


@click.group(cls=TiesGroup)
@click.version_option(__version__, prog_name="ties")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Taiwan's international engagements, extracted from Chinese-language news.

    \b
    Example:
        ties extract samples/
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "parquet"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per line; json: one indented array; parquet: a Parquet dataset "
                   "in the folder given by --output, which `ties ingest` stores without extracting again.")
@click.option("--output", "-o", help="With --format parquet: the dataset's new folder, or an fsspec URL (s3://…).")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs "
                   "--format parquet. Workers read the inputs: use a shared filesystem or fsspec URLs.")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH, show_default=True,
              help="With --format parquet: documents per task and per part file.")
@click.option("--max-mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Refuse files larger than this many megabytes.")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model (about 3x faster).")
@jobs_option
@doc_timeout_option
@fetch_options
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, output: str | None, dask: str | None,
            batch_size: int, max_mb: float, fast: bool, jobs: int, doc_timeout: float, fetch) -> None:
    """Read documents and print what was extracted, one JSON object per document.

    PATHS are files, folders (read recursively: .txt .md .html .pdf .docx .odt …), - for standard
    input, or http(s) URLs of pages, documents, RSS/Atom feeds and sitemaps (a feed is read item
    by item). Nothing is written to a database. The exit status is 1 only when every input failed.

    \b
    Example:
        ties extract --format jsonl samples/ > out.jsonl
        cat article.html | ties extract -
        ties extract https://example.org/news/rss.xml
        ties extract --dask tcp://scheduler:8786 --format parquet -o /shared/out /shared/news/
    """
    from .fetch.sources import web_context

    records, failed, total = [], 0, 0
    debug = ctx.obj.get("debug", False)
    fetch.max_mb = max_mb
    web = web_context(fetch)
    if (fmt == "parquet") != bool(output) or (dask and fmt != "parquet"):
        raise click.UsageError("--format parquet writes a dataset to --output DIR (and --dask needs both)")
    if fmt == "parquet":
        _extract_dataset(list(paths), output, dask, batch_size, fast, jobs, max_mb, doc_timeout, debug, web)
        return
    for result, found in process(iter_sources(list(paths), max_mb=max_mb, web=web), jobs=jobs, debug=debug,
                                 fast=fast, timeout=doc_timeout):
        total += 1
        if isinstance(result, ReadFailure):
            failed += 1
            record = failure_record(result)
            click.echo(f"ties: {result.path}: {result.error}", err=True)
        else:
            record = to_record(result, found)
            for warning in result.warnings:
                click.echo(f"ties: {result.path}: warning: {warning}", err=True)
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            records.append(record)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    if total == 0:
        raise click.ClickException("no documents found in " + ", ".join(paths))
    if failed == total:
        sys.exit(1)


def _extract_dataset(paths, output, dask, batch_size, fast, jobs, max_mb, doc_timeout, debug, web) -> None:
    from .scale.extract import extract_dataset

    counts = extract_dataset(paths, output, dask=dask, batch=batch_size, fast=fast, jobs=jobs, max_mb=max_mb,
                             timeout=doc_timeout, debug=debug, web=web, report=_report_rows)
    click.echo("ties: wrote {documents} documents ({failed} failed) in {parts} parts to ".format(**counts)
               + output, err=True)
    if counts["documents"] == 0:
        raise click.ClickException("no documents found in " + ", ".join(paths))
    if counts["failed"] == counts["documents"]:
        sys.exit(1)


def _report_rows(table) -> None:
    """The lines `ties extract` prints on standard error, for one part of a dataset."""
    for row in table.select(["path", "error", "warnings"]).to_pylist():
        for line in [row["error"]] if row["error"] else [f"warning: {w}" for w in row["warnings"] or ()]:
            click.echo(f"ties: {row['path']}: {line}", err=True)


@main.command("evaluate")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: one figure a line; json: one object with the reference scorer's keys.")
@click.option("--verbose", "-v", is_flag=True, help="List each document's misses and extras (on standard error).")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model.")
@click.option("--match", "pattern", default="*", show_default=True,
              help="Only documents whose name matches this glob (a* for one part of a corpus).")
@jobs_option
@click.pass_context
def evaluate_command(ctx: click.Context, folder: str, fmt: str, verbose: bool, fast: bool, pattern: str,
                     jobs: int) -> None:
    """Extract every document of FOLDER that has a NAME.gold.json beside it, and score the result.

    Gold files follow ../shared/gold/SCHEMA.md; the figures are those of the reference scorer
    (shared/tools/score.py), with the same keys in --format json.

    \b
    Example:
        ties evaluate ../shared/corpus/dev --verbose
        ties evaluate my-annotated-articles/ --format json
        ties evaluate ../shared/corpus/dev --match 'b*'
    """
    from .evaluate import evaluate, load_gold, stem

    gold = {key: value for key, value in load_gold(Path(folder)).items() if fnmatch(key, pattern)}
    if not gold:
        raise click.ClickException(f"{folder}: no *.gold.json files" + (f" matching {pattern}" if pattern != "*" else ""))
    inputs = [str(p) for p in sorted(Path(folder).iterdir())
              if p.is_file() and stem(p.name) in gold and not p.name.endswith(".gold.json")]
    records = []
    for result, found in process(iter_sources(inputs), jobs=jobs, debug=ctx.obj.get("debug", False), fast=fast):
        records.append(failure_record(result) if isinstance(result, ReadFailure) else to_record(result, found))
    fig, logs = evaluate(gold, records)
    if verbose:
        for key, lines in logs.items():
            click.echo(key + "\n" + "\n".join("  " + line for line in lines), err=True)
    if fmt == "json":
        click.echo(json.dumps(fig, indent=1))
    else:
        for key, value in fig.items():
            click.echo(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file, or a postgresql:// URL.")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model.")
@click.option("--max-mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Refuse files larger than this many megabytes.")
@jobs_option
@doc_timeout_option
@fetch_options
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str, fast: bool, max_mb: float, jobs: int,
           doc_timeout: float, fetch) -> None:
    """Extract documents and store them in the engagement database.

    PATHS are as for `ties extract`, URLs included, or datasets written by `ties extract --format
    parquet` (a folder or fsspec URL), stored without extracting again. Documents are committed in
    batches (at most 200 documents or 2 seconds each): an interrupted ingest keeps the batches it
    committed, and a rerun completes the rest. Documents already stored unchanged are skipped;
    reposts of a stored story are added as its sources; events reported by several documents are
    merged. A feed's items already stored are not fetched
    again, and pages and feeds unchanged since the last fetch (ETag, Last-Modified) neither.

    \b
    Example:
        ties ingest samples/ --db ties.db
        ties ingest --db postgresql://localhost/ties news/
        ties ingest https://example.org/press/rss.xml
        ties ingest --db postgresql://localhost/ties /shared/out
    """
    from .store.db import connect
    from .store.ingest import Batch, collecting_rarely
    from .store.prepare import prepare
    from .fetch.sources import web_context

    engine = connect(db)
    fetch.max_mb = max_mb
    web = web_context(fetch, engine)
    sources = iter_sources(list(paths), max_mb=max_mb, web=web)  # streamed: read, extract, store as we go
    counts = {"read": 0, "new": 0, "source": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    debug = ctx.obj.get("debug", False)
    batch = Batch(engine, lambda doc, outcome, notes: _stored(counts, doc, outcome, notes, debug))
    # the workers extract the next batch while the writer stores this one, yield it the CPU, and
    # compute what storing needs of each document alone (one writer: it must do only the rest);
    # a writer that would wait stores what is queued
    results = _dataset_results(paths) or process(sources, jobs=jobs, debug=debug, fast=fast, timeout=doc_timeout,
                                                 ahead=batch.max_docs, nice=WRITER_FIRST_NICENESS,
                                                 prepare=prepare if jobs > 1 else None,
                                                 on_wait=lambda: _store_one(batch, counts, None, None, waiting=True))
    with progress(None) as advance, collecting_rarely():
        for result, found, *ready in results:
            counts["read"] += 1
            _store_one(batch, counts, result, found, *ready)
            advance()
        _store_one(batch, counts, None, None)
    web.state.commit()
    click.echo("read {read}, new stories {new}, new sources of known stories {source}, updated {updated}, "
               "unchanged {unchanged}, skipped {skipped}, failed {failed}".format(**counts), err=True)
    if counts["read"] and counts["failed"] == counts["read"]:
        sys.exit(1)


def _dataset_results(paths: tuple[str, ...]):
    """The stored results of `ties extract --format parquet` datasets, in order; None when PATHS
    are documents to extract."""
    from .scale.dataset import marker, read_results

    datasets = [path for path in paths if marker(path) is not None]
    if not datasets:
        return None
    if len(datasets) < len(paths):
        raise click.UsageError("give either datasets of `ties extract --format parquet` or documents, not both")
    warn = lambda line: click.echo("ties: warning: " + line, err=True)  # noqa: E731
    return (result for path in datasets for result in read_results(path, warn))


def _store_one(batch, counts: dict, result, found, ready=None, waiting: bool = False) -> None:
    """Queue one read document for storing (None: store what is queued; waiting: the workers
    have nothing ready, so store what is queued if it is a batch's worth). A document that fails
    to store is one line and the batch goes on; a database that fails (locked, disk full) stops
    the run, keeping the batches already committed."""
    from sqlalchemy.exc import OperationalError
    try:
        if result is None:
            batch.flush_waiting() if waiting else batch.flush()
        elif isinstance(result, ReadFailure):
            click.echo(f"ties: {result.path}: {result.error}", err=True)
            counts["failed"] += 1
        elif reason := skip_reason(result):  # no article text, or not Chinese: never stored empty
            click.echo(f"ties: {result.path}: skipped: {reason}", err=True)
            counts["skipped"] += 1
        else:
            for warning in result.warnings:  # bytes replaced, a date dropped, a text cut for extraction
                click.echo(f"ties: {result.path}: warning: {warning}", err=True)
            batch.add(result, found, ready)
    except OperationalError as exc:  # the database, not the document: stop, keep what is committed
        raise TiesError(f"database error: {str(exc).splitlines()[0]}") from exc


def _stored(counts: dict, doc, outcome, notes: list[str], debug: bool) -> None:
    """Count a document of a committed batch: its status, or its failure as one line."""
    for note in notes:
        click.echo(f"ties: {doc.path}: warning: {note}", err=True)
    if isinstance(outcome, Exception):
        if debug:
            raise outcome
        click.echo(f"ties: {doc.path}: {stage_error('storing', outcome)}", err=True)
        outcome = "failed"
    counts[outcome] += 1


def _db_option(func):
    return click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file, or a postgresql:// URL.")(func)


def _since_until(func):
    """Dates as typed: made exact, with the other filters, by filters.Filters.typed (one line on error)."""
    func = click.option("--until", help="On or before: YYYY, YYYY-MM or YYYY-MM-DD (the end of that period).")(func)
    return click.option("--since", help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")(func)


@main.command("remerge")
@_db_option
def remerge_command(db) -> None:
    """Recompute every event from the stored extractions (after the merge rules change), without
    reading the documents again. The analyst's merge and split corrections are applied again.

    \b
    Example:
        ties remerge --db ties.db
    """
    from .store import engagements
    from .store.db import connect, writing
    with writing(connect(db, create=False)) as conn:
        count = engagements.remerge(conn)
    click.echo(f"{count} events", err=True)


@main.command("merges")
@_db_option
@click.option("--event", "event_id", type=int, help="Only this event.")
@click.option("--no-candidates", is_flag=True, help="Leave out the borderline pairs that were not merged.")
@output_option
def merges_command(db, event_id, no_candidates, fmt) -> None:
    """Why reports were merged into one event (signals and score), the borderline candidates that
    were not merged, and the analyst's corrections.

    \b
    Example:
        ties merges --event 12
    """
    from .store import corrections
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        rows = corrections.listing(conn, event_id, candidates=not no_candidates)
    render(rows, fmt, ["kind", "event_id", "document_id", "other_document_id", "score", "reason"])


@main.command("merge")
@click.argument("first", type=int)
@click.argument("second", type=int)
@_db_option
def merge_command(first, second, db) -> None:
    """Merge two events: the analyst's decision is stored and survives remerge and re-ingest.

    \b
    Example:
        ties merge 12 15
    """
    from .store import corrections
    from .store.db import connect, writing
    with writing(connect(db)) as conn:
        event_id = corrections.merge_events(conn, first, second)
    click.echo(f"events {first} and {second} are event {event_id}", err=True)


@main.command("split")
@click.argument("event_id", type=int)
@click.argument("document_id", type=int)
@_db_option
def split_command(event_id, document_id, db) -> None:
    """Take a document out of an event: it will not be merged with the event's other sources again.

    \b
    Example:
        ties split 12 40
    """
    from .store import corrections
    from .store.db import connect, writing
    with writing(connect(db)) as conn:
        corrections.split_document(conn, event_id, document_id)
    click.echo(f"document {document_id} split off event {event_id}", err=True)


@main.command("search")
@click.argument("query")
@_db_option
@_since_until
@click.option("--site", help="Only documents from this site (cna.com.tw).")
@click.option("--fold", is_flag=True, help="Treat 臺 and 台 as the same character.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@output_option
def search_command(query, db, since, until, site, fold, limit, offset, fmt) -> None:
    """Full-text search of the stored articles (exact for any string of 2+ characters).

    \b
    Example:
        ties search 唐鳳
        ties search 半導體 --since 2024-01-01 --format json
    """
    from .store import queries
    from .store.db import connect
    wanted = filters.Filters.typed(q=query, since=since, until=until, site=site)
    with connect(db, create=False).connect() as conn:
        found = queries.search_with(conn, wanted, limit=limit, offset=offset, fold=fold)
    if fmt == "json":
        render(found, fmt)
    else:
        render(found["results"], fmt, ["document_id", "published", "site", "title", "snippet"])


@main.command("events")
@_db_option
@click.option("--partner", help="A partner country as ISO code or name: JP, Japan, 日本, 臺日; EU for the EU.")
@click.option("--person", help="A participant's name (any alias).")
@click.option("--topic", help="A topic id: " + ", ".join(filters.topic_ids()) + ".")
@click.option("--type", "etype", type=click.Choice(filters.EVENT_TYPES, case_sensitive=False))
@_since_until
@click.option("--limit", type=click.IntRange(1, 10000), default=100, show_default=True)
@output_option
def events_command(db, partner, person, topic, etype, since, until, limit, fmt) -> None:
    """List engagements, newest first, with filters.

    \b
    Example:
        ties events --partner JP --since 2024-01-01
        ties events --person 唐鳳 --format csv
    """
    from .store import queries
    from .store.db import connect
    wanted = filters.Filters.typed(partner=partner, person=person, topic=topic, type=etype, since=since, until=until)
    with connect(db, create=False).connect() as conn:
        rows = queries.list_events(conn, wanted, limit=limit)
    render(rows, fmt, ["id", "date", "type", "mode", "partner_countries", "taiwan_side", "counterparts", "sources"])


@main.command("event")
@click.argument("event_id", type=int)
@_db_option
@output_option
def event_command(event_id, db, fmt) -> None:
    """One engagement with every source, its evidence sentences and outcomes.

    \b
    Example:
        ties event 1
    """
    from .store import queries
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        detail = queries.event_detail(conn, event_id)
    if detail is None:
        raise click.ClickException(f"no event {event_id}")
    render_record(detail, fmt, {"participants": ["side", "name", "title", "affiliation"],
                                "evidence": ["document_id", "published", "site", "title", "evidence"],
                                "outcomes": ["document_id", "text"]},
                  hide=("taiwan_side", "counterparts", "source_documents"))


@main.command("document")
@click.argument("document_id", type=int)
@click.option("--versions", "list_versions", is_flag=True, help="List every version of its text, oldest first.")
@click.option("--version", "number", type=click.IntRange(1), help="Show this version's text (1 is the first).")
@click.option("--changes", is_flag=True, help="With --version: the sentences removed and added since it, up to the latest.")
@_db_option
@output_option
def document_command(document_id, list_versions, number, changes, db, fmt) -> None:
    """A stored document with its clean text. When its source published a corrected or updated
    text, each text is a version: the latest drives the facts, the earlier ones stay readable.

    \b
    Example:
        ties document 3 --versions
        ties document 3 --version 1 --changes
    """
    from .store import queries
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        doc = queries.document(conn, document_id)
        if doc is None:
            raise click.ClickException(f"no document {document_id}")
        version = queries.document_version(conn, document_id, number, origin=True) if number else None
        doc["versions"] = queries.versions(conn, document_id, origin=True)
    if number and version is None:
        raise click.ClickException(f"document {document_id} has no version {number} (it has {len(doc['versions'])})")
    if version and changes:
        render(queries.changes(version["text"], doc["text"]), fmt, ["change", "sentence"])
    elif version:
        render_record(version, fmt, {})
    elif list_versions:
        render(doc["versions"], fmt, [*queries.VERSION_COLUMNS, "origin", "chars"])
    else:
        render_record({k: v for k, v in doc.items() if k not in ("versions", "other_sources", "events")}
                      | {"versions": len(doc["versions"])}, fmt, {})


@main.command("brief")
@_db_option
@click.option("--partner", required=True, help="The partner: JP, Japan, 日本, 臺日; EU for the EU.")
@_since_until
def brief_command(db, partner, since, until) -> None:
    """A dated brief of one partner's engagements, oldest first, with outcomes, named agreements
    and footnoted sources, as Markdown to paste into a report (also /partners/CODE/brief).

    \b
    Example:
        ties brief --partner JP --since 2025 > japan-2025.md
    """
    from .store import queries
    from .store.db import connect
    from .web.brief import brief_markdown

    wanted = filters.Filters.typed(partner=partner, since=since, until=until)
    if not wanted.partner:
        raise click.BadParameter("a partner is needed", param_hint="--partner")
    with connect(db, create=False).connect() as conn:
        click.echo(brief_markdown(queries.partner_brief(conn, wanted)), nl=False)


@main.command("partners")
@_db_option
@output_option
def partners_command(db, fmt) -> None:
    """Engagements per partner country: count, first and last date, top topics.

    \b
    Example:
        ties partners --format csv
    """
    from .store import queries
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        render(queries.partners(conn), fmt, ["country", "engagements", "first", "last", "top_topics"])


@main.command("person")
@click.argument("name")
@_db_option
@output_option
def person_command(name, db, fmt) -> None:
    """A person: aliases, offices with terms, engagements. NAME is any of the person's names, a
    word of a Latin name (Tang) or a surname with a short title (龔主委); otherwise the closest
    names are suggested.

    \b
    Example:
        ties person 唐鳳
        ties person Tang
    """
    from .store import queries
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        found, suggestions = queries.find_person(conn, name)
    if found is None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise click.ClickException(f"no single person named {name}{hint}")
    render_record(found, fmt, {"offices": ["office", "from", "to"],
                               "engagements": ["id", "date", "type", "partner_countries", "taiwan_side", "counterparts"],
                               "documents": ["id", "published", "site", "title"]})


@main.command("stats")
@_db_option
@output_option
def stats_command(db, fmt) -> None:
    """Counts of stories, documents, events, persons and organisations.

    \b
    Example:
        ties stats
    """
    from .store import queries
    from .store.db import connect
    with connect(db, create=False).connect() as conn:
        render(queries.stats(conn), fmt)


@main.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "ftm", "plover"]), default="jsonl",
              show_default=True, help="jsonl: full events; csv/parquet: a flat event table; ftm: FollowTheMoney "
              "entities for Aleph; plover: PLOVER-style event records.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-", show_default=True,
              help="File to write (parquet needs one).")
def export_command(db, fmt, output) -> None:
    """Export the engagements for other tools.

    \b
    Example:
        ties export --format csv -o events.csv
        ties export --format ftm | ftm validate
    """
    from .store import export
    from .store.db import connect
    if fmt == "parquet" and output == "-":
        raise click.ClickException("parquet is binary: give a file with --output")
    engine = connect(db, create=False)
    with engine.connect() as conn, click.open_file(output, "w", encoding="utf-8") as out:
        if fmt == "parquet":
            n = export.write_parquet(conn, output)
        elif fmt == "csv":
            n = export.write_csv(conn, out)
        elif fmt == "ftm":
            n = export.write_ftm(conn, out)
        else:
            n = export.write_jsonl(conn, out, export.plover if fmt == "plover" else (lambda d: d))
    click.echo(f"exported {n} {'entities' if fmt == 'ftm' else 'events'}", err=True)


@main.command("serve")
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback only unless you say otherwise).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve_command(db, host, port) -> None:
    """Serve the HTTP API (/api, OpenAPI at /openapi.json) and the web page, read-only; on a
    loopback address the event page also takes merge/split corrections (a form, POST).

    \b
    Example:
        ties serve --db ties.db
        then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .web.app import create_app

    app = create_app(db, corrections=host in ("127.0.0.1", "localhost", "::1"))
    click.echo(f"ties: serving {db} at http://{host}:{port}/ (API docs at /docs), Ctrl-C to stop", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@_db_option
@click.option("--every", default="15m", show_default=True, help="Time between polls: 30s, 15m, 1h, 1d.")
@click.option("--once", is_flag=True, help="Poll each feed once and exit (for cron).")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model.")
@click.option("--max-mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Refuse responses larger than this many megabytes.")
@fetch_options
def watch_command(feeds, db, every, once, fast, max_mb, fetch) -> None:
    """Poll RSS/Atom feeds (or sitemaps) and ingest their new items, one line per poll.

    Feed state (ETag, Last-Modified, last poll, failures) is kept in the database, so a restart
    resumes; Ctrl-C or SIGTERM stops between two documents, never in the middle of a write.

    \b
    Example:
        ties watch https://example.org/rss.xml --every 15m --db ties.db
        */15 * * * * ties watch --once --db /data/ties.db https://example.org/rss.xml   (crontab)
    """
    from .store.db import connect
    from .watch import parse_interval, watch

    interval = parse_interval(every)
    fetch.max_mb = max_mb
    engine = connect(db)
    failed = watch(engine, list(feeds), interval, once, fetch, fast, lambda line: click.echo("ties: " + line, err=True))
    if once and failed == len(feeds):
        sys.exit(1)
