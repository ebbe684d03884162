"""Run one crawl the way cron needs it: locked, summarised, with an honest exit status.

Scrapy's reactor cannot be restarted in one process, so a process runs at most one crawl; the CLI
calls `run_crawl` once and exits.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OUTCOMES = ("new", "updated", "unchanged", "not_modified", "reparsed", "gone", "failed")


class CrawlLocked(RuntimeError):
    """Another crawl holds the archive."""


class ArchiveUnusable(RuntimeError):
    """The archive file cannot be opened for writing (not SQLite, unreadable, read-only…)."""


def check_archive(db_path: str) -> None:
    """Open (create, migrate) the archive before any request: a crawl that cannot store is no crawl."""
    import sqlite3

    from archive.db import Archive
    from archive.records import ArchiveError

    try:
        Archive(db_path).close()
    except (sqlite3.Error, OSError, ArchiveError) as exc:
        raise ArchiveUnusable(f"{db_path}: cannot use as an archive: {exc}") from exc


@contextmanager
def crawl_lock(db_path: str):
    """An exclusive, non-blocking lock beside the archive; the kernel drops it if we are killed."""
    lock_path = Path(str(db_path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CrawlLocked(f"{db_path}: another crawl is running ({holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


@dataclass
class CrawlSummary:
    counts: dict
    requests: int
    seconds: float
    home_ok: bool
    store_errors: int = 0

    @property
    def fetches(self) -> int:
        return sum(self.counts.get(name, 0) for name in OUTCOMES)

    @property
    def exit_status(self) -> int:
        if self.store_errors or (not self.home_ok and not self.fetches):
            return 2  # the crawl could not run: archive refused writes, start page unreachable, …
        if self.fetches and self.counts.get("failed", 0) * 2 > self.fetches:
            return 1  # most fetches failed
        return 0

    def line(self) -> str:
        c = self.counts
        unchanged = c.get("unchanged", 0) + c.get("not_modified", 0)
        reparsed = f", {c['reparsed']} reparsed" if c.get("reparsed") else ""  # parser upgrades only
        return (f"crawl: {c.get('new', 0)} new, {c.get('updated', 0)} updated{reparsed}, {unchanged} unchanged, "
                f"{c.get('gone', 0)} gone, {c.get('failed', 0)} failed, {self.requests} requests "
                f"in {self.seconds:.1f}s")


def run_crawl(db_path: str, start_url: str | None = None, recheck_all: bool = False,
              max_articles: int | None = None, since: str | None = None,
              log_level: str | None = None, overrides: dict | None = None) -> CrawlSummary:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("DBP_ARCHIVE_DB", str(db_path), priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")

    started = time.monotonic()
    with crawl_lock(db_path):
        check_archive(db_path)
        process = CrawlerProcess(settings)
        crawler = process.create_crawler("baodienbienphu")
        process.crawl(crawler, start_url=start_url, recheck_all=recheck_all,
                      max_articles=max_articles, since=since)
        process.start()
    stats = crawler.stats
    counts = {name: stats.get_value(f"dbp/{name}", 0) for name in OUTCOMES}
    return CrawlSummary(
        counts=counts,
        requests=stats.get_value("downloader/request_count", 0),
        seconds=time.monotonic() - started,
        home_ok=bool(stats.get_value("dbp/home_ok")),
        store_errors=stats.get_value("dbp/store_error", 0),
    )
