"""`dbp-archive reparse`: the running parser over the archive's stored captures.

Parsing is pure (bytes + URL → `Article`), so it runs in worker processes, and so does everything
else a capture costs: each worker opens the archive read-only (a WAL reader, never blocked by the
writer), reads and decompresses its batch's captures, parses them and compares the result with the
stored version (`Archive.reread`). It sends back only what differs. This process is the one writer:
it records each batch in one transaction (`Archive.record_reparses`). A kill loses at most the
batches in flight, and the next run resumes (`archive.reparse`).
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
from contextlib import contextmanager
from datetime import datetime

import click

from crawler.commands import archive_to_update, check_article, check_date, progress_bar

BATCH = 64  # captures per task and results per transaction: few commits, little lost to a kill
AHEAD = 4  # batches in flight per worker: none waits for the writer, and a kill loses few

_reader = None  # a worker's read-only archive, opened with its first batch




def _reread(path: str, version_ids: list[int]):
    """In a worker: one batch read again (`Archive.reread`), on the worker's own read-only
    connection, opened once the writer has checked (and, if need be, upgraded) the archive."""
    global _reader
    from archive.db import Archive
    from crawler.parsing import parse_article

    if _reader is None:
        _reader = Archive(path, readonly=True)
    return _reader.reread(version_ids, parse_article)


@contextmanager
def _worker_pool(workers: int):
    """Worker processes (None for one: this process parses), stopped on the way out, however it goes."""
    if workers <= 1:
        yield None
        return
    from crawler.parse_workers import start_parse_worker  # here, as the CLI imports every command to start

    pool = multiprocessing.get_context("spawn").Pool(workers, start_parse_worker)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


@click.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("--since", callback=check_date, help="Only articles published (else first seen) on or after this date.")
@click.option("--article", "article", metavar="URL_OR_IDENTITY", callback=check_article, help="Only this article.")
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
    from crawler.runner import (ArchiveUnusable, CrawlLocked, archive_problem, check_writable, crawl_lock,
                                storage_problem)
    from crawler import exits

    real = archive_to_update(db_path)
    try:
        check_writable(db_path, real, "reparse")
        # The workers start (and import the parser) while this process opens and checks the archive;
        # one article is one capture, parsed here.
        workers = 1 if article else workers
        with crawl_lock(real), _worker_pool(workers) as pool, \
                Archive(real, verify=True) as archive:
            identity = None
            if article:
                try:  # every way `history` and `show` take an article: a URL on any host, a path, an alias
                    identity = find_article(archive, article)
                except ArticleNotFound:
                    raise Failure(f"{article}: no such article in {db_path}") from None
            due = archive.due_for_reparse(PARSER_VERSION, since=since, identity=identity)
            made, failed = _run(archive, due, pool, workers, PARSER_VERSION)
    except CrawlLocked as exc:
        click.echo(f"dbp-archive reparse: {exc}; exiting", err=True)
        sys.exit(exits.LOCKED)
    except (ArchiveUnusable, ArchiveError) as exc:
        raise Failure(f"{db_path}: {archive_problem(exc, db_path, real)}") from None
    except (sqlite3.Error, OSError) as exc:  # a full disk mid-run: the batches recorded stay, the rest resumes
        raise Failure(f"{db_path}: cannot reparse: {storage_problem(exc)}; the next reparse resumes") from None
    click.echo(f"reparse: {len(due)} captures read, {made} versions made, {failed} failures "
               f"(parser {PARSER_VERSION})")
    if due and failed == len(due):
        sys.exit(exits.MOST_FAILED)


def _run(archive, due: list[int], pool, workers: int, parser_version: str) -> tuple[int, int]:
    """Read every due capture again and record the results a batch at a time: (versions made,
    failures). Without a pool, this process reads and parses too."""
    from crawler.parsing import parse_article

    made = failed = 0
    size = max(1, min(BATCH, -(-len(due) // workers)))  # a few captures due still keep every worker busy
    batches = [due[start:start + size] for start in range(0, len(due), size)]
    with progress_bar(len(due), "reparsing") as bar:
        reread = _in_flight(pool, str(archive.path), batches, workers) if pool is not None and len(batches) > 1 \
            else (archive.reread(batch, parse_article) for batch in batches)
        for results in reread:
            failed += sum(result.error is not None for result in results)
            made += archive.record_reparses(results, parser_version, datetime.now().astimezone())
            bar.update(len(results))
    return made, failed


def _in_flight(pool, path: str, batches: list[list[int]], workers: int):
    """The workers' results, batch by batch as they finish, with at most AHEAD batches per worker
    handed out and not yet recorded (so a kill loses little, and memory stays flat)."""
    from collections import deque

    waiting = deque()
    pending = iter(batches)
    for batch in pending:
        waiting.append(pool.apply_async(_reread, (path, batch)))
        if len(waiting) >= AHEAD * workers:
            break
    while waiting:
        results = waiting.popleft().get()
        batch = next(pending, None)
        if batch is not None:
            waiting.append(pool.apply_async(_reread, (path, batch)))
        yield results
