"""`dbp-archive export warc`: the stored responses of the selected articles as one WARC/1.1 file, for
pywb, ReplayWeb.page and other web-archive tools (`exports.warc` says what each record holds)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.commands.export_options import export_options


@click.command("warc")
@export_options(click.option(
    "-o", "--output", required=True,
    help="The WARC file to write: FILE.warc.gz gzips each record, FILE.warc is uncompressed; any other name,"
         " and - for stdout, is gzipped."))
def warc(db_path, output, force, since, until, category, author, query, state) -> None:
    """Write every stored capture of the selected articles as a WARC/1.1 file: a response (and its
    rebuilt request) per capture, a revisit per fetch that returned a stored body again or a 304, and
    the parsed article of each version as a JSON metadata record. Filters pick articles by their
    current version; an unfiltered export holds every capture of the archive."""
    from archive.records import ArchiveError
    from archive.search import BadQuery
    from archive.selection import Selection
    from archive.web_archive import WebArchiveScope
    from crawler import __version__
    from crawler.cli import Failure
    from crawler.commands import archive_for_reading, counted, existing_archive_file, filters_named, output_target
    from exports.output import atomic_output, output_name
    from exports.warc import RECORD_TYPES, gzipped_for, write_warc

    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}")
    if output == "-" and sys.stdout.isatty():
        raise Failure("-o -: a WARC is binary; redirect stdout to a file or a program")
    existing_archive_file(db_path)
    target = None if output == "-" else output_target(output, db_path, force=force)
    selection = Selection(since=since, until=until, category=category, author=author, search=query, state=state)
    asked = {"since": since, "until": until, "category": category, "author": author, "search": query,
             "state": None if state == "all" else state}
    description = {
        "description": f"the archive {Path(db_path).name}, written by dbp-archive export warc",
        "dbp-selection": ", ".join(f"{name}={value}" for name, value in asked.items() if value) or "everything",
    }
    filename = "-" if target is None else target.name
    with archive_for_reading(db_path) as archive:
        try:
            scope = WebArchiveScope(archive, selection)
            arguments = dict(filename=filename, description=description, software=f"dbp-archive {__version__}",
                             gzip=gzipped_for(output))
            if target is None:
                written = write_warc(archive, sys.stdout.buffer, scope, **arguments)
            else:
                with atomic_output(target) as stream:
                    written = write_warc(archive, stream, scope, **arguments)
        except BadQuery as exc:
            raise Failure(f"--search: {exc}") from None
        except ArchiveError as exc:
            raise Failure(str(exc)) from None
        except BrokenPipeError:
            raise  # the reader of stdout left: click ends quietly, with status 1
        except OSError as exc:
            raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None
    # The closing line reads as csv's and jsonl's: the filters belong to the articles, named beside a 0
    # (a misspelt category shows); the records they became follow, when there are any.
    articles = counted(written.articles, "articles")
    if not written.articles:
        click.echo(f"exported {articles} to {output_name(output)}{filters_named(db_path, **asked)}", err=True)
        return
    total = sum(written.records.values())
    by_type = ", ".join(f"{written.records[record_type]} {record_type}" for record_type in RECORD_TYPES)
    click.echo(f"exported {articles} to {output_name(output)} as {total} WARC records ({by_type})", err=True)
