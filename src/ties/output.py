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


def render(rows: list[dict] | dict, fmt: str, columns: list[str] | None = None) -> None:
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
    table = Table(*columns, show_lines=False)
    for row in items:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    Console().print(table)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render_record(record: dict, fmt: str, sections: dict[str, list[str]]) -> None:
    """One record: as JSON whole; as tables, its plain fields first, then each non-empty list
    section with its columns."""
    if fmt == "json":
        render(record, fmt)
        return
    render([{k: v for k, v in record.items() if k not in sections}], fmt)
    for key, columns in sections.items():
        if record.get(key):
            render(record[key], fmt, columns)
