"""Scrapy extensions of the crawl: progress for the person (or log) watching it, and the pace a
site's robots.txt asks for.

`CrawlProgress` reports what the crawl has done every `DBP_PROGRESS_INTERVAL` seconds (`crawl -v`
sets it): as a log line, or, when `DBP_PROGRESS_LIVE` is set (stderr is a terminal and no `-v`), as
one status line on stderr that rewrites itself and is cleared at the end. stdout is left to the
summary line.

`RobotsCrawlDelay` applies robots.txt's `Crawl-delay`, which Scrapy parses and ignores: once a host's
robots.txt is read (Scrapy's `robots_parsed` signal), that host's download slot waits at least that
long between requests, without the random jitter that would shorten some waits, whatever
AutoThrottle or `--no-politeness` would allow. At most `AUTOTHROTTLE_MAX_DELAY` seconds (a robots.txt
asking for an hour between pages would never let a run end). Robots.txt is read once per host and
run, so a change made mid-run (a new delay, a new `Disallow`) is obeyed from the next run.
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


class RobotsCrawlDelay:
    def __init__(self, crawler, user_agent: str, most: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.most = most
        self.delays: dict[str, float] = {}  # download slot key (the host) -> its Crawl-delay

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured  # an operator who ignores robots.txt ignores all of it
        extension = cls(crawler, settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT"),
                        settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0))
        crawler.signals.connect(extension.robots_parsed, signal=signals.robots_parsed)
        # Before a request waits in its slot, and after AutoThrottle has set the slot's delay anew.
        crawler.signals.connect(extension.enforce, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.enforce, signal=signals.response_downloaded)
        return extension

    def robots_parsed(self, robotparser, request):
        parsed = getattr(robotparser, "rp", robotparser)  # Scrapy's wrapper holds Protego's parser
        try:
            delay = float(parsed.crawl_delay(self.user_agent) or 0)
        except (AttributeError, TypeError, ValueError):
            return  # a parser without Crawl-delay, or a value that is no number: nothing asked
        if delay <= 0:
            return
        host = self.crawler.engine.downloader.get_slot_key(request)
        if delay > self.most:
            logger.warning("%s: robots.txt asks for %g s between requests; waiting %g s (AUTOTHROTTLE_MAX_DELAY)",
                           host, delay, self.most)
            delay = self.most
        self.delays[host] = max(delay, self.delays.get(host, 0.0))
        self.crawler.stats.max_value("dbp/crawl_delay", self.delays[host])

    def enforce(self, request, spider=None, response=None):
        if not self.delays:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        delay = self.delays.get(key)
        slot = downloader.slots.get(key)
        if delay is not None and slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0
