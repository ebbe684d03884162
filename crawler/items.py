"""What the spider hands to the item pipeline: one fetch of one article URL.

The spider fetches and parses; the pipeline stores. A `PageFetch` carries everything the archive
needs to record the fetch honestly: the raw response (so any version can be re-parsed later),
the parsed `Article` when the page parsed as one, or the reason it did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.article import Article


@dataclass(repr=False)
class PageFetch:
    requested_url: str
    url: str  # the final URL, after redirects
    status: int  # 200, 304 (not modified), 404/410 (taken down), 5xx after retries, …
    fetched_at: datetime  # aware
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes | None = None  # None for 304 and for failures with no response
    article: Article | None = None  # set when the body parsed as an article
    error: str | None = None  # one line: why there is no article (parse failure, refused, …)
    identity: str | None = None  # the archive key known before parsing (id from the URL), if any
    page_kind: str | None = None  # what a page that is no article is: home, listing, search, error

    def __repr__(self) -> str:
        # Scrapy's debug log (`-vv`) prints every item it is handed: a cron log must not fill with
        # page bodies, so a fetch shows as one line saying what it is.
        size = "no body" if self.body is None else f"{len(self.body)} bytes"
        outcome = (f"article {self.article.title!r}" if self.article is not None
                   else self.error or self.page_kind or "no article")
        return f"PageFetch({self.url} {self.status}, {size}, {outcome})"


@dataclass
class LinksFound:
    """Article links a page showed that the crawl has not fetched: the archive keeps them (the
    frontier) until they are, so a killed crawl does not forget them."""

    urls: list[str]
    found_on: str
    found_at: datetime


@dataclass
class ListingWalked:
    """A category listing was read to its end in this crawl: from now on a page with nothing new
    may stop the walk (until then the archive may have gaps below what it knows)."""

    category: str
    completed_at: datetime
