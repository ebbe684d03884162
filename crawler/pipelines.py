"""The item pipeline: every `PageFetch` goes into the archive, one atomic transaction each."""

from __future__ import annotations

import sqlite3

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
        self.archive = Archive(settings.get("DBP_ARCHIVE_DB"), reparse=parse_article)
        recorded = {name: settings.get(name) for name in RECORDED_SETTINGS}
        spider = spider or self.crawler.spider
        recorded.update(start_url=spider.start_url, recheck_all=spider.recheck_all,
                        max_articles=spider.max_articles,
                        since=spider.since.date().isoformat() if spider.since else None)
        try:
            self.run_id = self.archive.start_run(recorded, PARSER_VERSION)
        except (sqlite3.Error, ArchiveError, OSError) as exc:  # a disk already full: no run, no fetch
            self.archive.close()
            self.archive = None
            self._refused(exc, "the run")

    def process_item(self, item, spider=None):
        if isinstance(item, (PageFetch, ListingWalked, LinksFound)) and self.archive is not None:
            try:
                if isinstance(item, ListingWalked):
                    self.archive.record_listing_walk(self.run_id, item.category, item.completed_at)
                    return item
                if isinstance(item, LinksFound):
                    self.archive.record_links_found(self.run_id, item.urls, item.found_on, item.found_at)
                    return item
                outcome = self.archive.record_fetch(self.run_id, item)
            except (sqlite3.Error, ArchiveError, OSError) as exc:
                # Fetching on would only download pages we cannot keep: stop, and say why, once (the
                # summary's one line): the fetches still in flight fail the same way.
                self._refused(exc, item)
                return item
            self.crawler.stats.inc_value(f"dbp/{outcome}")
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
            self.archive.finish_run(self.run_id, counts, reason)
        except (sqlite3.Error, ArchiveError):
            pass  # the archive already refused writes; the run stays `running`, then `interrupted`
        finally:
            self.archive.close()
            self.archive = None
