"""Today's category API (see `crawler.replica.api` for what is known of it): its URLs, and reading
its answers. Only `category_slug` and `limit` are known parameters; a `page` is tried, and the spider
notices when the server ignores it (`crawler.spiders.baodienbienphu`).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urljoin

# Where the real site's browser script reads category pages from (public scrapers, 2025–26).
REAL_API_URL = "https://api-dienbien.baodienbienphu.vn"
MENU_PATH = "/api/web/menu-get-list"
CATEGORY_PATH = "/api/web/article-get-news-by-category-slug"
FIRST_LIMIT = 20
MAX_LIMIT = 5000

# An API origin a shell page's script names: `"apiBase": "https://…"`, `API_URL = '…'`, or any
# absolute URL whose host starts with `api`.
_NAMED_BASE = re.compile(r"""["']?api_?(?:base|url|host)["']?\s*[:=]\s*["'](https?://[^"'\s]+)["']""", re.IGNORECASE)
_API_HOST = re.compile(r"""["'](https?://api[\w.-]*(?::\d+)?)(?:/[^"'\s]*)?["']""", re.IGNORECASE)


class BadAnswer(ValueError):
    """The API answered, but not with what the site's own script reads."""


def api_base_named_in(html: str) -> str | None:
    match = _NAMED_BASE.search(html) or _API_HOST.search(html)
    return match.group(1).rstrip("/") if match else None


def menu_url(base: str) -> str:
    return base + MENU_PATH


def category_url(base: str, slug: str, limit: int, page: int | None = None) -> str:
    query = {"category_slug": slug, "limit": limit}
    if page is not None:
        query["page"] = page
    return f"{base}{CATEGORY_PATH}?{urlencode(query)}"


def _listed(body: bytes) -> list:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadAnswer("not JSON") from None
    if not isinstance(payload, dict) or payload.get("status") != 1:
        raise BadAnswer(f"status {payload.get('status')!r}" if isinstance(payload, dict) else "not a JSON object")
    listed = (payload.get("data") or {}).get("list") if isinstance(payload.get("data"), dict) else None
    if not isinstance(listed, list):
        raise BadAnswer("no data.list")
    return listed


def menu_slugs(body: bytes) -> list[str]:
    return [item["menu_slug"] for item in _listed(body)
            if isinstance(item, dict) and isinstance(item.get("menu_slug"), str) and item["menu_slug"]]


def article_urls(body: bytes, site_url: str) -> list[str]:
    """The article URLs a category answer lists, on the site: `/{type or tin-bai}/{category}/{slug}`."""
    found = []
    for item in _listed(body):
        if not isinstance(item, dict) or not item.get("article_slug") or not item.get("category_slug"):
            raise BadAnswer("an item without article_slug and category_slug")
        kind = item.get("article_type_slug") or "tin-bai"
        found.append(urljoin(site_url, f"/{kind}/{item['category_slug']}/{item['article_slug']}"))
    return found
