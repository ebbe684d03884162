"""Scrapy extensions of the crawl: progress for the person (or log) watching it.

`CrawlProgress` reports what the crawl has done every `DBP_PROGRESS_INTERVAL` seconds (`crawl -v`
sets it): as a log line, or, when `DBP_PROGRESS_LIVE` is set (stderr is a terminal and no `-v`), as
one status line on stderr that rewrites itself and is cleared at the end. stdout is left to the
summary line.
"""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger("crawler.progress")

SHOWN = ("new", "updated", "unchanged", "not_modified", "reparsed", "gone", "failed")


class CrawlProgress:
    def __init__(self, crawler, interval: float, live: bool):
        self.crawler = crawler
        self.interval = interval
        self.live = live
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("DBP_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval, crawler.settings.getbool("DBP_PROGRESS_LIVE"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider=None):
        self.started = time.monotonic()
        self._loop = task.LoopingCall(self.report)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider=None, reason=None):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.live:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def line(self) -> str:
        stats = self.crawler.stats
        counts = {name: stats.get_value(f"dbp/{name}", 0) for name in SHOWN}
        fetched = sum(counts.values())
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        minutes = max(time.monotonic() - self.started, 1e-9) / 60
        unchanged = counts["unchanged"] + counts["not_modified"]
        return (f"progress: {fetched} fetched ({counts['new']} new, {counts['updated']} updated, "
                f"{unchanged} unchanged, {counts['gone']} gone, {counts['failed']} failed), "
                f"{queued} queued, {stats.get_value('downloader/request_count', 0)} requests, "
                f"{fetched / minutes:.1f} pages/min")

    def report(self) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[K" + self.line()[:200])
            sys.stderr.flush()
        else:
            logger.info(self.line())
