"""`dbp-archive`: one command, a subcommand per job. Each subcommand is a thin shell over a module."""

from __future__ import annotations

import datetime
import sqlite3
import sys
from pathlib import Path

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Crawl Báo Điện Biên Phủ into a versioned SQLite archive, and export it."""


@main.command()
@click.argument("source")
@click.option("--url", "page_url", help="The page's URL, when SOURCE is a file (resolves links and the id).")
def parse(source: str, page_url: str | None) -> None:
    """Parse one article page (a FILE or a URL) and print it as JSON."""
    from crawler.parsing import parse_article
    from crawler.article import NotAnArticle

    headers: dict[str, str] = {}
    try:
        if source.startswith(("http://", "https://")):
            import urllib.request

            with urllib.request.urlopen(source, timeout=30) as response:
                body = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
                page_url = page_url or response.geturl()
        else:
            body = Path(source).read_bytes()
            page_url = page_url or Path(source).resolve().as_uri()
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{source}: cannot read: {exc}") from exc
    try:
        article = parse_article(body, page_url, headers)
    except NotAnArticle as exc:
        raise click.ClickException(f"{source}: not an article: {exc}") from exc
    sys.stdout.buffer.write(article.to_json(indent=2).encode("utf-8") + b"\n")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, help="0 picks a free port.")
@click.option("--seed", default=1, show_default=True)
@click.option("--articles", default=200, show_default=True)
@click.option("--epoch", default=0, show_default=True, help="The replica's clock at start.")
@click.option("--obfuscate", is_flag=True, help="Rename classes/ids and swap block wrappers on every page.")
@click.option("--url-file", type=click.Path(dir_okay=False), help="Write the base URL here once serving.")
def replica(host, port, seed, articles, epoch, obfuscate, url_file) -> None:
    """Serve the replica of the site on loopback until interrupted."""
    from crawler.replica.server import run_forever

    run_forever(host=host, port=port, seed=seed, articles=articles, epoch=epoch,
                obfuscate=obfuscate, url_file=url_file)


@main.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB",
              help="The SQLite archive (created if missing).")
@click.option("--start-url", help="Crawl this host instead of the real site (the replica, a mirror).")
@click.option("--recheck-all", is_flag=True, help="Re-fetch every known article, due or not.")
@click.option("--max-articles", type=int, help="Fetch at most this many article pages.")
@click.option("--since", help="Keep only articles published on or after this date (YYYY-MM-DD).")
@click.option("--no-politeness", is_flag=True, help="No delay, no AutoThrottle: only for your own mirror.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@click.option("-v", "--verbose", count=True, help="-v for progress, -vv for Scrapy's debug log.")
def crawl(db_path, start_url, recheck_all, max_articles, since, no_politeness, overrides, verbose) -> None:
    """Crawl the site into the archive. Prints one summary line; exit 0 ok, 1 most fetches failed,
    2 the crawl could not run, 75 another crawl holds the archive."""
    from crawler.runner import ArchiveUnusable, CrawlLocked, run_crawl

    if since:
        try:
            datetime.date.fromisoformat(since)
        except ValueError:
            raise click.ClickException(f"--since {since!r}: not a date like 2024-01-31") from None
    settings = dict(item.split("=", 1) for item in overrides if "=" in item)
    if no_politeness:
        settings.update(DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False, CONCURRENT_REQUESTS_PER_DOMAIN=8)
    level = {0: None, 1: "INFO"}.get(verbose, "DEBUG")
    try:
        summary = run_crawl(db_path, start_url=start_url, recheck_all=recheck_all,
                            max_articles=max_articles, since=since, log_level=level, overrides=settings)
    except CrawlLocked as exc:
        click.echo(f"dbp-archive crawl: {exc}; exiting", err=True)
        sys.exit(75)
    except ArchiveUnusable as exc:
        click.echo(f"dbp-archive crawl: {exc}", err=True)
        sys.exit(2)
    click.echo(summary.line())
    if summary.store_errors:
        click.echo(f"dbp-archive crawl: {db_path}: the archive refused writes; crawl stopped", err=True)
    elif summary.exit_status == 2:
        click.echo(f"dbp-archive crawl: could not reach {start_url or 'the start page'}", err=True)
    sys.exit(summary.exit_status)


@main.group()
def export() -> None:
    """Export the archive for other tools."""


@export.command("csv")
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - for stdout.")
@click.option("--raw", is_flag=True, help="Write cell text exactly (no defusing of formula-like cells).")
def export_csv(db_path, output, raw) -> None:
    """One row per article (every state) with its current version, for spreadsheets (UTF-8 with BOM)."""
    from exports.csv import write_csv

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such archive")
    try:
        rows = write_csv(db_path, sys.stdout.buffer if output == "-" else output, raw=raw)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        raise click.ClickException(f"{db_path}: cannot read as an archive: {exc}") from exc
    if output != "-":
        click.echo(f"exported {rows} articles to {output}", err=True)


if __name__ == "__main__":
    main()
