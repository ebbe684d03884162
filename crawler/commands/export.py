"""`dbp-archive export`: the archive for other tools. Each format is a subcommand of this group."""

from __future__ import annotations

import sqlite3
import sys

import click


@click.group()
def export() -> None:
    """Export the archive for other tools."""


@export.command("csv")
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - for stdout.")
@click.option("--force", is_flag=True, help="Replace an existing output file (never an archive).")
@click.option("--raw", is_flag=True, help="Write cell text exactly (no defusing of formula-like cells).")
def export_csv(db_path, output, force, raw) -> None:
    """One row per article (every state) with its current version, for spreadsheets (UTF-8 with BOM)."""
    from archive.records import ArchiveError
    from crawler.cli import Failure
    from crawler.commands import existing_archive_file
    from exports.csv import write_csv
    from exports.output import OutputRefused

    existing_archive_file(db_path)
    try:
        rows = write_csv(db_path, sys.stdout.buffer if output == "-" else output, raw=raw, force=force)
    except OutputRefused as exc:
        raise Failure(str(exc)) from None
    except ArchiveError as exc:
        raise Failure(str(exc)) from None
    except sqlite3.Error as exc:
        raise Failure(f"{db_path}: cannot read as an archive: {exc}") from None
    except OSError as exc:
        raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None
    if output != "-":
        click.echo(f"exported {rows} articles to {output}", err=True)
