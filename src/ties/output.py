"""Rendering query rows as a table (on a terminal), JSON or CSV — one option shared by every
query command, as sqlite-utils does."""
from __future__ import annotations

import csv
import functools
import json
import sys

import click
from rich.console import Console
from rich.table import Table


def output_option(func):
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
                  help="Output format (default: table on a terminal, json otherwise).")
    @functools.wraps(func)
    def wrapper(*args, fmt=None, **kwargs):
        return func(*args, fmt=fmt or ("table" if sys.stdout.isatty() else "json"), **kwargs)
    return wrapper


# Short values a reader scans down (ids, dates, counts): never wrapped nor cut.
NO_WRAP = {"id", "document_id", "date", "published", "from", "to", "first", "last", "sources", "engagements"}
HEADERS = {"partner_countries": "partners", "document_id": "doc"}  # shorter headers leave room for text


def render(rows: list[dict] | dict, fmt: str, columns: list[str] | None = None, title: str | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    items = rows if isinstance(rows, list) else [rows]
    columns = columns or (list(items[0]) if items else [])
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in items:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return
    # Text folds onto more lines rather than ending in "…": a cut date or name is a wrong answer.
    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(HEADERS.get(c, c.replace("_", " ")), no_wrap=c in NO_WRAP, overflow="fold")
    for row in items:
        table.add_row(*[_text(row.get(c)) for c in columns])
    Console().print(table)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _text(value) -> str:
    """A value as a reader wants it in a table: lists joined, records as "name (kind, …)"."""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(_text, value)) if any(isinstance(v, dict) for v in value) else ", ".join(map(str, value))
    if isinstance(value, dict):
        first, *rest = [str(v) for v in value.values() if v not in (None, "", [])] or [""]
        return first + (f" ({', '.join(rest)})" if rest else "")
    return "" if value is None else str(value)


def render_record(record: dict, fmt: str, sections: dict[str, list[str]], hide: tuple[str, ...] = ()) -> None:
    """One record: as JSON whole; as CSV its plain fields then each list section; on a terminal
    its fields one per line (HIDE left out: what a section already shows), then each non-empty
    section as a titled table."""
    if fmt == "json":
        render(record, fmt)
        return
    fields = {k: v for k, v in record.items() if k not in sections}
    if fmt == "csv":
        render([fields], fmt)
    else:
        _print_fields({k: v for k, v in fields.items() if k not in hide})
    for key, columns in sections.items():
        if record.get(key):
            render(record[key], fmt, columns, title=key.replace("_", " "))


def _print_fields(fields: dict) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in fields.items():
        if value not in (None, "", []):
            grid.add_row(key.replace("_", " "), _text(value))
    Console().print(grid)
