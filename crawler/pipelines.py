"""The item pipeline: every `PageFetch` goes into the archive, one atomic transaction each.

The archive is written from a thread of its own, which alone holds the write connection: SQLite,
zstd and hashlib let go of the GIL while they work, so the reactor thread keeps downloading and
parsing while a fetch is compressed and committed. Items still reach the archive one at a time, in the
order Scrapy hands them over.
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from scrapy import signals

from archive.records import ArchiveError
from crawler.items import LinksFound, ListingWalked, PageFetch
from crawler.parsing import PARSER_VERSION, parse_article
from crawler.stopping import ARCHIVE_ERROR, close_crawl

# Settings recorded with each run, so an archivist can tell how a run behaved.
RECORDED_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED",
                     "CONCURRENT_REQUESTS_PER_DOMAIN", "RETRY_TIMES", "DOWNLOAD_TIMEOUT",
                     "DOWNLOAD_MAXSIZE", "DBP_PARSE_WORKERS")


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive = None
        self.run_id = None
        self.writer: ThreadPoolExecutor | None = None  # the one thread that touches self.archive

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run is closed on `spider_closed`, the first moment Scrapy knows why the crawl ended
        # (pipelines' close_spider runs before the finish reason is set).
        crawler.signals.connect(pipeline.finish_run, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        from archive.db import Archive

        settings = self.crawler.settings
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="archive-writer")
        self.archive = self._in_writer(Archive, settings.get("DBP_ARCHIVE_DB"), reparse=parse_article)
        recorded = {name: settings.get(name) for name in RECORDED_SETTINGS}
        spider = spider or self.crawler.spider
        recorded.update(start_url=spider.start_url, recheck_all=spider.recheck_all,
                        max_articles=spider.max_articles,
                        since=spider.since.date().isoformat() if spider.since else None)
        try:
            self.run_id = self._in_writer(self.archive.start_run, recorded, PARSER_VERSION)
        except (sqlite3.Error, ArchiveError, OSError) as exc:  # a disk already full: no run, no fetch
            self._close_archive()
            self._refused(exc, "the run")

    def _in_writer(self, work, *args, **kwargs):
        """`work(*args)` in the writer thread, waited for (opening and closing: not per item)."""
        return self.writer.submit(work, *args, **kwargs).result()

    def _store(self, item):
        """In the writer thread: the item into the archive; (the fetch's outcome, the earlier
        outcomes it recounted), or None."""
        if isinstance(item, ListingWalked):
            self.archive.record_listing_walk(self.run_id, item.category, item.completed_at)
            return None
        if isinstance(item, LinksFound):
            self.archive.record_links_found(self.run_id, item.urls, item.found_on, item.found_at)
            return None
        return self.archive.record_fetch(self.run_id, item), self.archive.take_recounted()

    async def process_item(self, item, spider=None):
        if isinstance(item, (PageFetch, ListingWalked, LinksFound)) and self.archive is not None:
            try:
                stored = await asyncio.wrap_future(self.writer.submit(self._store, item))
            except (sqlite3.Error, ArchiveError, OSError) as exc:
                # Fetching on would only download pages we cannot keep: stop, and say why, once (the
                # summary's one line): the fetches still in flight fail the same way.
                self._refused(exc, item)
                return item
            if stored is None:
                return item
            outcome, recounted = stored
            self.crawler.stats.inc_value(f"dbp/{outcome}")
            for was, now in recounted:  # a re-slugged article met at its new address first
                self.crawler.stats.inc_value(f"dbp/{was}", -1)
                self.crawler.stats.inc_value(f"dbp/{now}")
            if item.article is not None:
                self.crawler.stats.inc_value("dbp/parsed")
                for field in item.article.missing:
                    self.crawler.stats.inc_value(f"dbp/missing/{field}")
        return item

    def _refused(self, exc: BaseException, item) -> None:
        from crawler.runner import storage_problem

        stats = self.crawler.stats
        if not stats.get_value("dbp/store_error"):
            stats.set_value("dbp/store_error_reason", storage_problem(exc))
            close_crawl(self.crawler, ARCHIVE_ERROR)
        stats.inc_value("dbp/store_error")
        self.crawler.spider.logger.info("%s: cannot store %s: %s", self.crawler.settings.get("DBP_ARCHIVE_DB"),
                                        getattr(item, "url", item), exc)

    def finish_run(self, spider=None, reason: str = "finished"):
        if self.archive is None:
            return
        stats = self.crawler.stats
        # The run's own counts are the archive's (kept with each fetch); these are the crawler's view.
        counts = {name.removeprefix("dbp/"): value for name, value in stats.get_stats().items()
                  if name.startswith("dbp/")}
        counts["requests"] = stats.get_value("downloader/request_count", 0)
        try:
            self._in_writer(self.archive.finish_run, self.run_id, counts, reason)
        except (sqlite3.Error, ArchiveError):
            pass  # the archive already refused writes; the run stays `running`, then `interrupted`
        finally:
            self._close_archive()

    def _close_archive(self) -> None:
        try:
            self._in_writer(self.archive.close)
        finally:
            self.archive = None
            self.writer.shutdown(wait=True)
