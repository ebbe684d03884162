"""Today's category API, on its own origin: what the site's browser script reads category pages from.

Two endpoints, shaped as public scrapers of the real one show (no more is known, so no more is made
up: no paging parameter, no article detail):

    GET /api/web/menu-get-list
        {"status": 1, "data": {"list": [{"menu_slug": "xa-hoi", "menu_name": "Xã hội"}, …]}}
    GET /api/web/article-get-news-by-category-slug?category_slug=SLUG&limit=N
        {"status": 1, "data": {"list": [{"article_slug": …, "category_slug": …, "article_type_slug": …}, …]}}

The article's URL is `/{article_type_slug or "tin-bai"}/{category_slug}/{article_slug}` on the site.
The newest `limit` listed articles of the category come back (12 when not said), whatever other
parameter is sent: a `page` is ignored, as an unknown parameter would be by the real server.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from crawler.replica.model import Replica
from crawler.replica.pages import Page

CATEGORY_PATH = "/api/web/article-get-news-by-category-slug"
DEFAULT_LIMIT = 12
MAX_LIMIT = 5000


def handle(replica: Replica, method: str, target: str) -> Page:
    parts = urlsplit(target)
    query = parse_qs(parts.query)
    if method not in ("GET", "HEAD"):
        return _json(405, {"status": 0, "message": "method not allowed"})
    if parts.path == "/robots.txt":
        return Page(200, {"Content-Type": "text/plain; charset=utf-8"}, b"User-agent: *\nAllow: /api/web/\n")
    with replica.lock:
        if parts.path == "/api/web/menu-get-list":
            return _json(200, {"status": 1, "data": {"list": [
                {"menu_slug": c.slug, "menu_name": c.name} for c in replica.categories]}})
        if parts.path == CATEGORY_PATH:
            category = replica.category_by_slug(query.get("category_slug", [""])[0])
            if category is None:
                return _json(200, {"status": 0, "message": "category not found", "data": {"list": []}})
            try:
                limit = max(1, min(MAX_LIMIT, int(query.get("limit", [DEFAULT_LIMIT])[0])))
            except ValueError:
                limit = DEFAULT_LIMIT
            return _json(200, {"status": 1, "data": {"list": [
                _item(replica, index) for index in replica.listing(category, 0, limit)]}})
    return _json(404, {"status": 0, "message": "not found"})


def _item(replica: Replica, index: int) -> dict:
    """One article as the API names it: its URL's three parts."""
    kind, category, slug = replica.path_of(index).strip("/").split("/", 2)
    return {"article_slug": slug, "category_slug": category, "article_type_slug": kind,
            "title": replica.spec(index).title}


def _json(status: int, data: dict) -> Page:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Page(status, {"Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*"}, body)
