"""`dbp-archive search`: the archive's articles ranked for a reader's query, tone marks optional."""

from __future__ import annotations

import json
import sys

import click

from crawler.commands import archive_for_reading
from crawler.commands.export_options import article_filters


@click.command()
@click.argument("query")
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@article_filters
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--all-versions", is_flag=True, help="Search every version, not only each article's current one.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results.")
def search(query, db_path, since, until, category, author, limit, all_versions, as_json) -> None:
    """Search the archive's articles. QUERY is words and "quoted phrases", with or without tone
    marks (`dang bo` finds `Đảng bộ`); a word ending in * matches as a prefix. Exact spellings rank
    first. Nothing in QUERY is an operator: `AND`, `-`, `:` are words."""
    from archive.records import ArchiveError
    from archive.search import BadQuery, SearchFilters
    from crawler.cli import Failure
    from crawler.commands import filters_named

    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}")
    filters = SearchFilters(since=since, until=until, category=category, author=author,
                            all_versions=all_versions, limit=limit)
    with archive_for_reading(db_path) as archive:
        try:
            results = archive.search(query, filters)
        except BadQuery as exc:
            raise Failure(str(exc)) from None  # the line opens with the command's name already
        except ArchiveError as exc:
            raise Failure(str(exc)) from None
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return
    if not results:
        within = filters_named(db_path, since=since, until=until, category=category, author=author)
        click.echo(f"no {'version' if all_versions else 'article'} matches {query!r}{within}", err=True)
        return
    bold = sys.stdout.isatty()
    for number, result in enumerate(results, start=1):
        # The title shows its own matches marked; a match in the title alone makes it the snippet
        # too, so the snippet is not shown again below it.
        in_title = result["snippet"] == result["title_marked"]
        shown = result["title_marked"]
        title = click.style(shown, bold=True) if bold else shown
        version = f"  (version {result['version']})" if all_versions else ""
        click.echo(f"{number}. {title}{version}")
        click.echo(f"   {result['published_at'] or 'undated'} · {result['category'] or '-'} · {result['url']}")
        if not in_title:
            click.echo(f"   {result['snippet']}")
