"""Why a crawl ended before its work was done, and the one way code inside the crawl ends it.

The reason becomes Scrapy's close reason (`finish_reason` in the stats, `runs.status` in the archive);
`crawler.runner` turns it into the exit status and the message cron mails.
"""

from __future__ import annotations

from scrapy.utils.defer import deferred_from_coro

ARCHIVE_ERROR = "archive_error"  # the archive stopped taking writes (disk full, read-only, damaged)
START_PAGE_FAILED = "start_page_failed"  # the start page could not be fetched at all
NOT_THE_SITE = "not_the_site"  # the start page shows nothing of the newspaper
SHUTDOWN = "shutdown"  # Scrapy's own reason after SIGINT/SIGTERM (Ctrl-C, a killed cron job)


def close_crawl(crawler, reason: str) -> None:
    """Ask the engine to close the spider with `reason`; pending downloads are dropped."""
    engine = crawler.engine
    if hasattr(engine, "close_spider_async"):  # Scrapy ≥ 2.14
        deferred_from_coro(engine.close_spider_async(reason=reason))
    else:
        engine.close_spider(crawler.spider, reason)
