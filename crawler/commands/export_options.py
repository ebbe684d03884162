"""The options every `dbp-archive export` format shares, defined once so that their `--help` cannot
drift apart: where to read, whether to replace the output, and which articles (`archive.selection`).
`dbp-archive search` takes the same article filters (`article_filters`)."""

from __future__ import annotations

import click

from archive.selection import STATES
from crawler.commands import check_date


def _named(ctx, param, value):
    # An empty name would filter nothing, silently: refused as the other empty inputs are
    # (`--db ''`, `history ""`), before the archive is opened.
    if value is not None and not value.strip():
        from crawler.cli import Failure

        raise Failure(f"--{param.name} {value!r}: an empty name, not a filter")
    return value


_FILTERS = (
    click.option("--since", callback=check_date,
                 help="Articles published on or after this date (YYYY-MM-DD or DD/MM/YYYY)."),
    click.option("--until", callback=check_date,
                 help="Articles published on or before this date (YYYY-MM-DD or DD/MM/YYYY)."),
    click.option("--category", callback=_named, help="A category's name or slug (`Thời sự`, `thoi-su`; tone marks optional)."),
    click.option("--author", callback=_named, help="An author's name (tone marks optional); several, as the CSV's authors cell lists "
                 "them (`A; B`, `A, B`), must each be on the article."),
)


def article_filters(command):
    """A decorator giving a command `--since`, `--until`, `--category` and `--author`."""
    return _applied(_FILTERS, command)


def _applied(options, command):
    for option in reversed(options):
        command = option(command)
    return command


def export_options(output: click.option):
    """A decorator giving a command `--db`, its own `output` option (each format says where it writes),
    `--force` and the selection filters, in this order in its help."""
    options = [
        click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB"),
        output,
        click.option("--force", is_flag=True, help="Replace an existing output file (never an archive)."),
        *_FILTERS,
        click.option("--search", "query", metavar="QUERY",
                     help='Articles matching a search (as `dbp-archive search`: words, "phrases", tone marks optional).'),
        click.option("--state", type=click.Choice(STATES), default="all", show_default=True,
                     help="All articles, those still online (live), or those taken down (gone)."),
    ]

    return lambda command: _applied(options, command)
