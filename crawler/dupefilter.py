"""The scheduler's duplicate filter, minus article requests.

The spider requests each article once by identity (`crawler.urls`), whatever URL leads to it, so
Scrapy's URL fingerprints add nothing for them, and they would drop something that matters: an
article whose URL now redirects to a page this run has already fetched (the home page, a listing)
has been taken down, and that answer must reach the archive. Other requests are filtered as usual;
unlike `dont_filter`, this keeps the off-site middleware in force for redirects.
"""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class ArticleAwareDupeFilter(RFPDupeFilter):
    def request_seen(self, request) -> bool:
        if request.meta.get("identity"):
            return False
        return super().request_seen(request)
