"""The `ties` command line. Every command's help ends with an example; user errors are one line."""
from __future__ import annotations

import json
import os
import sys

import click

from . import __version__
from .errors import TiesError
from .extraction.run import extract as extract_document
from .model import ReadFailure
from .pipeline import failure_record, read_source, to_record
from .progress import progress
from .sources import DEFAULT_MAX_MB, iter_sources
from .store.db import DEFAULT_DB, connect
from .store.ingest import store_document


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
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per line; json: one indented array.")
@click.option("--max-mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Refuse files larger than this many megabytes.")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model (about 10x faster).")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, max_mb: float, fast: bool) -> None:
    """Read documents and print what was extracted, one JSON object per document.

    PATHS are files, folders (read recursively: .txt .md .html …) or - for standard input.
    Nothing is written to a database. The exit status is 1 only when every input failed.

    \b
    Example:
        ties extract --format jsonl samples/ > out.jsonl
        cat article.html | ties extract -
    """
    debug = ctx.obj.get("debug", False)
    if fast:
        os.environ["TIES_FAST"] = "1"
    records, failed, total = [], 0, 0
    for source in iter_sources(list(paths), max_mb=max_mb):
        total += 1
        result = read_source(source, debug=debug)
        if isinstance(result, ReadFailure):
            failed += 1
            record = failure_record(result)
            click.echo(f"ties: {result.path}: {result.error}", err=True)
        else:
            record = to_record(result, extract_document(result))
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file, or a postgresql:// URL.")
@click.option("--fast", is_flag=True, help="Rules only: skip the statistical NER model.")
@click.option("--max-mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Refuse files larger than this many megabytes.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str, fast: bool, max_mb: float) -> None:
    """Extract documents and store them in the engagement database.

    Each document is committed on its own: an interrupted ingest keeps what it stored, and a rerun
    completes the rest. Documents already stored unchanged are skipped; reposts of a stored story
    are added as its sources; events reported by several documents are merged.

    \b
    Example:
        ties ingest samples/ --db ties.db
        ties ingest --db postgresql://localhost/ties news/
    """
    if fast:
        os.environ["TIES_FAST"] = "1"
    engine = connect(db)
    sources = list(iter_sources(list(paths), max_mb=max_mb))
    counts = {"read": 0, "new": 0, "source": 0, "updated": 0, "unchanged": 0, "failed": 0}
    with progress(len(sources)) as advance:
        for source in sources:
            counts["read"] += 1
            result = read_source(source, debug=ctx.obj.get("debug", False))
            if isinstance(result, ReadFailure):
                counts["failed"] += 1
                click.echo(f"ties: {result.path}: {result.error}", err=True)
            else:
                counts[store_document(engine, result, extract_document(result))] += 1
            advance()
    click.echo("read {read}, new stories {new}, new sources of known stories {source}, updated {updated}, "
               "unchanged {unchanged}, failed {failed}".format(**counts), err=True)
    if counts["read"] and counts["failed"] == counts["read"]:
        sys.exit(1)
