"""`dbp-archive export`: the archive for other tools. Each format is a subcommand of this group."""

from __future__ import annotations

import sqlite3
import sys

import click

from crawler.commands.export_options import export_options

# What a row is, shape by shape, for the closing "exported N …" line.
_ROW_NOUNS = {"articles": "articles", "versions": "versions", "related": "links", "views": "view counts"}


@click.group()
def export() -> None:
    """Export the archive for other tools."""


def _filter_options(command):
    """The options `export csv` and `export jsonl` share: those of every export (`export_options`),
    then which shape and which columns."""
    options = [
        click.option("--all-versions", is_flag=True, help="One row per version, not per article."),
        click.option("--related", is_flag=True, help="One row per `Tin khác` link of the articles."),
        click.option("--views", is_flag=True, help="One row per view count read (the series)."),
        click.option("--columns", metavar="A,B,C|list",
                     help="The columns to write, in this order; `list` prints the shape's columns."),
    ]
    for option in reversed(options):
        command = option(command)
    return export_options(click.option("-o", "--output", default="-", show_default=True,
                                       help="File to write; - for stdout."))(command)


def _shape_of(all_versions: bool, related: bool, views: bool) -> str:
    """The shape the flags ask for: at most one of them."""
    given = {"--all-versions": "versions", "--related": "related", "--views": "views"}
    chosen = [flag for flag, asked in zip(given, (all_versions, related, views)) if asked]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)}: choose one shape")
    return given[chosen[0]] if chosen else "articles"


def _export(write, *, shape, db_path, output, force, since, until, category, author, query, state, columns,
            available, on_request=(), **options) -> None:
    """Check every input, then write: a bad one is one line and exit 2, with nothing written."""
    from archive.records import ArchiveError
    from archive.search import BadQuery, parse_query
    from archive.selection import Selection
    from crawler.cli import Failure
    from crawler.commands import counted, existing_archive_file, filters_named
    from exports.csv import UnknownColumn, choose_columns
    from exports.output import OutputRefused, output_name

    if columns is not None and columns.strip() == "list":
        for name, _ in available:
            click.echo(name)
        for name, _ in on_request:
            click.echo(f"{name}  (only when named)")
        return
    names = None
    if columns is not None:
        names = [name.strip() for name in columns.split(",")]
        try:
            choose_columns(available, names, shape, on_request)
        except UnknownColumn as exc:
            raise click.BadParameter(str(exc), param_hint="'--columns'") from None
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}")
    if query is not None:
        try:
            parse_query(query)
        except BadQuery as exc:
            raise Failure(f"--search: {exc}") from None
    existing_archive_file(db_path)
    selection = Selection(since=since, until=until, category=category, author=author, search=query, state=state)
    try:
        rows = write(db_path, sys.stdout.buffer if output == "-" else output, force=force, shape=shape,
                     selection=selection, columns=names, progress=_progress_bar if sys.stderr.isatty() else None,
                     **options)
    except OutputRefused as exc:
        raise Failure(str(exc)) from None
    except BadQuery as exc:
        raise Failure(f"--search: {exc}") from None
    except ArchiveError as exc:
        raise Failure(str(exc)) from None
    except sqlite3.Error as exc:
        raise Failure(f"{db_path}: cannot read as an archive: {exc}") from None
    except BrokenPipeError:
        raise  # the reader of stdout left (`| head`): click ends quietly, with status 1
    except OSError as exc:
        raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None
    # An empty export names its filters: a misspelt category or author shows beside the 0.
    within = "" if rows else filters_named(db_path, since=since, until=until, category=category, author=author,
                                             search=query, state=None if state == "all" else state)
    # On stderr whatever the output, so that a pipe or a cron job that matched nothing hears of it too,
    # and stdout holds the data alone.
    click.echo(f"exported {counted(rows, _ROW_NOUNS[shape])} to {output_name(output)}{within}", err=True)


def _progress_bar(rows, total):
    """The rows, drawing a bar on the terminal's stderr as they are written (never into the output)."""
    from crawler.commands import progress_bar

    with progress_bar(total, "exporting") as bar:
        for row in rows:
            yield row
            bar.update(1)


@export.command("csv")
@_filter_options
@click.option("--raw", is_flag=True, help="Write cell text exactly (no defusing of formula-like cells).")
@click.option("--no-bom", is_flag=True, help="No byte-order mark (Excel needs it to read UTF-8; some tools dislike it).")
def export_csv(all_versions, related, views, raw, no_bom, **options) -> None:
    """Articles for spreadsheets: UTF-8 with BOM, CRLF, formula-like cells defused, plain-integer counts,
    ISO times and a `published_local` dd/mm/yyyy HH:MM. One row per article (every state, its current
    version) unless --all-versions, --related or --views asks for another shape; the filters choose the
    articles."""
    from exports.csv import ON_REQUEST, SHAPE_COLUMNS, write_csv

    shape = _shape_of(all_versions, related, views)
    _export(write_csv, shape=shape, available=SHAPE_COLUMNS[shape], on_request=ON_REQUEST.get(shape, []), raw=raw,
            bom=not no_bom, **options)


@export.command("jsonl")
@_filter_options
def export_jsonl(all_versions, related, views, **options) -> None:
    """JSON Lines for programs: one object per line (UTF-8, no BOM) with every field of the version
    (lists and objects as JSON), the article's identity, state and aliases. Same shapes and filters as
    `export csv`."""
    from exports.jsonl import SHAPE_KEYS, write_jsonl

    shape = _shape_of(all_versions, related, views)
    _export(write_jsonl, shape=shape, available=SHAPE_KEYS[shape], **options)
from crawler.commands.export_warc import warc; export.add_command(warc)  # noqa: E402, E702
