"""Downloader middlewares: they shape requests, nothing else.

- `BackoffMiddleware` makes Scrapy's retries wait: a 5xx or a timeout is most often a server
  under load, and hammering it again at once is the wrong answer for a small provincial site.
- `ConditionalGetMiddleware` turns what the archive remembers of a page (ETag, Last-Modified)
  into `If-None-Match` / `If-Modified-Since`, so an unchanged page costs a 304 and no body.
- `OffsiteRedirectMiddleware` turns an article page's redirect off the site into a failure of that
  fetch. Scrapy drops an off-site request when it is scheduled, without calling its errback, so the
  article would vanish from the run without a word in the archive's `failures`.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class BackoffMiddleware:
    """Delay the n-th retry of a request by base × 2^(n-1) seconds (Scrapy counts in meta)."""

    def __init__(self, base: float):
        self.base = base

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("DBP_RETRY_BACKOFF_BASE", 2.0))

    async def process_request(self, request, spider=None):
        retries = request.meta.get("retry_times", 0)
        if retries and self.base > 0:
            await asyncio.sleep(self.base * 2 ** (retries - 1))
        return None


class ConditionalGetMiddleware:
    """Add validators kept in `request.meta["validators"]` = {"etag": …, "last_modified": …}."""

    def process_request(self, request, spider=None):
        validators = request.meta.get("validators") or {}
        if validators.get("etag") and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = validators["etag"]
        if validators.get("last_modified") and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = validators["last_modified"]
        return None


class OffsiteRedirectMiddleware:
    """Fail an article request whose answer redirects to a host that is not the site's (the spider's
    `on_site` rule, the one its links obey): the errback records it, with where it led."""

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if not request.meta.get("identity") or response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        spider = spider or self.crawler.spider
        if spider.on_site(target) or request.meta.get("allow_offsite"):
            return response
        raise IgnoreRequest(f"redirected off the site, to {target}")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls()
        middleware.crawler = crawler
        return middleware
