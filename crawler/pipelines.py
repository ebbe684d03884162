"""The item pipeline: every `PageFetch` goes into the archive, one atomic transaction each."""

from __future__ import annotations

from collections import Counter

from crawler.items import PageFetch
from crawler.parsing import PARSER_VERSION, parse_article

# Settings recorded with each run, so an archivist can tell how a run behaved.
RECORDED_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED",
                     "CONCURRENT_REQUESTS_PER_DOMAIN", "RETRY_TIMES", "DOWNLOAD_TIMEOUT",
                     "DOWNLOAD_MAXSIZE")


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.archive = None
        self.run_id = None
        self.outcomes: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        from archive.db import Archive

        settings = self.crawler.settings
        self.archive = Archive(settings.get("DBP_ARCHIVE_DB"), reparse=parse_article)
        recorded = {name: settings.get(name) for name in RECORDED_SETTINGS}
        spider = spider or self.crawler.spider
        recorded.update(start_url=spider.start_url, recheck_all=spider.recheck_all,
                        max_articles=spider.max_articles)
        self.run_id = self.archive.start_run(recorded, PARSER_VERSION)

    def process_item(self, item, spider=None):
        if isinstance(item, PageFetch):
            outcome = self.archive.record_fetch(self.run_id, item)
            self.outcomes[outcome] += 1
            self.crawler.stats.inc_value(f"dbp/{outcome}")
        return item

    def close_spider(self, spider=None):
        stats = self.crawler.stats
        counts = dict(self.outcomes, requests=stats.get_value("downloader/request_count", 0))
        reason = stats.get_value("finish_reason") or "finished"
        self.archive.finish_run(self.run_id, counts, reason)
        self.archive.close()
