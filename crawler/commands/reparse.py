"""`dbp-archive reparse`: the running parser over the archive's stored captures.

Parsing is pure (bytes + URL → `Article`), so it runs in worker processes; the archive has one
writer, this process, which records each batch of results in one transaction. A kill loses at most
the batch in flight, and the next run resumes (`archive.reparse`).
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
from datetime import datetime

import click

from crawler.commands import archive_to_update, check_date, progress_bar

BATCH = 64  # results per transaction: few commits, little lost to a kill


def _parse(item: tuple[int, bytes, str, dict]):
    """In a worker: (position, Article or None, error or None)."""
    from crawler.parsing import parse_article

    position, body, url, headers = item
    try:
        return position, parse_article(body, url, headers), None
    except Exception as exc:  # noqa: BLE001 - every failure of one page is that page's outcome
        return position, None, f"{type(exc).__name__}: {exc}"


@click.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("--since", callback=check_date, help="Only articles published (else first seen) on or after this date.")
@click.option("--article", "article", metavar="URL_OR_IDENTITY", help="Only this article.")
@click.option("--workers", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default="the CPU count",
              help="Parsing processes (1: parse in this process).")
def reparse(db_path, since, article, workers) -> None:
    """Re-read stored captures with this release's parser. What it reads differently becomes a
    `parser` version (never an edit); an interrupted reparse resumes where it stopped. Prints one
    summary line; exit 0, or 1 when every capture failed to parse."""
    from archive.db import Archive
    from archive.history import ArticleNotFound, find_article
    from archive.records import ArchiveError
    from crawler.cli import Failure
    from crawler.parsing import PARSER_VERSION
    from crawler.runner import (ArchiveUnusable, CrawlLocked, check_writable, crawl_lock,
                                storage_problem)
    from crawler import exits

    real = archive_to_update(db_path)
    try:
        check_writable(db_path, real)
        with crawl_lock(real), Archive(real, verify=True) as archive:
            identity = None
            if article:
                try:  # every way `history` and `show` take an article: a URL on any host, a path, an alias
                    identity = find_article(archive, article)
                except ArticleNotFound:
                    raise Failure(f"{article}: no such article in {db_path}") from None
            due = archive.due_for_reparse(PARSER_VERSION, since=since, identity=identity)
            made, failed = _run(archive, due, workers, PARSER_VERSION)
    except CrawlLocked as exc:
        click.echo(f"dbp-archive reparse: {exc}; exiting", err=True)
        sys.exit(exits.LOCKED)
    except (ArchiveUnusable, ArchiveError) as exc:
        raise Failure(str(exc)) from None
    except (sqlite3.Error, OSError) as exc:  # a full disk mid-run: the batches recorded stay, the rest resumes
        raise Failure(f"{db_path}: cannot reparse: {storage_problem(exc)}; the next reparse resumes") from None
    click.echo(f"reparse: {len(due)} captures read, {made} versions made, {failed} failures "
               f"(parser {PARSER_VERSION})")
    if due and failed == len(due):
        sys.exit(exits.MOST_FAILED)


def _run(archive, due, workers: int, parser_version: str) -> tuple[int, int]:
    """Parse every due capture and record the results a batch at a time: (versions made, failures).
    Bodies are read here, a batch ahead (the archive's connection stays in this thread)."""
    made = failed = 0
    pool = multiprocessing.get_context("spawn").Pool(workers) if workers > 1 and len(due) > 1 else None
    try:
        with progress_bar(len(due), "reparsing") as bar:
            for start in range(0, len(due), BATCH):
                batch = due[start:start + BATCH]
                items = [(position, body, capture.url, capture.headers)
                         for position, (capture, body) in enumerate(archive.iter_capture_bodies(batch))]
                parsed = pool.map(_parse, items, chunksize=max(1, len(items) // (4 * workers))) if pool \
                    else map(_parse, items)
                results = [(batch[position], article, error) for position, article, error in parsed]
                failed += sum(article is None for _, article, _ in results)
                made += archive.record_reparses(results, parser_version, datetime.now().astimezone())
                bar.update(len(batch))
    finally:
        if pool is not None:
            pool.terminate()
    return made, failed

