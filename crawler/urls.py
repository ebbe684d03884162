"""The site's URL scheme, in one place: what is an article, a listing, and an article's identity.

- Articles: `/tin-tuc/{category}/{numeric-id}/{slug}`; the id is the identity, whatever the slug,
  category or domain. The 2025 generation also has id-less `/tin-bai/{category}/{slug}` pages,
  whose identity is their URL without query and fragment (the canonical link, once parsed).
- Listings: `/tin-tuc/{category}/` and `/tin-tuc/{category}/trang-N.html`.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

ARTICLE_PATH = re.compile(r"^/tin-tuc/(?P<category>[\w-]+)/(?P<id>\d+)(?:\.html?|/(?P<slug>[^/?#]*))?/?$")
IDLESS_ARTICLE_PATH = re.compile(r"^/tin-bai/(?P<category>[\w-]+)/(?P<slug>[\w-]+?)(?:\.html?)?/?$")
LISTING_PATH = re.compile(r"^/tin-tuc/(?P<category>[\w-]+)/(?:trang-(?P<page>\d+)\.html)?$")


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def article_id(url: str | None) -> int | None:
    """The numeric id of an article URL (any host), or None."""
    if not url:
        return None
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return int(match["id"]) if match else None


def is_article_url(url: str) -> bool:
    path = urlsplit(url).path
    return bool(ARTICLE_PATH.match(path) or IDLESS_ARTICLE_PATH.match(path))


def identity_of(url: str) -> str | None:
    """The archive key a URL points to before the page is fetched: the id, or the id-less URL."""
    found = article_id(url)
    if found is not None:
        return str(found)
    if IDLESS_ARTICLE_PATH.match(urlsplit(url).path):
        return strip_query(url)
    return None


def without_host(url: str) -> str:
    """The path of a URL, whichever host served it: a move between the site's domains (or from the
    replica's port to another) must not read as a change of content."""
    return urlsplit(url).path


def link_identity(url: str) -> str:
    """What a link points to, for comparing links: the article identity, else the bare URL."""
    return identity_of(url) or strip_query(url)


def listing_page(url: str) -> tuple[str, int] | None:
    """(category slug, page number) of a category listing URL, else None."""
    match = LISTING_PATH.match(urlsplit(url).path)
    if not match:
        return None
    return match["category"], int(match["page"] or 1)


def next_listing_url(url: str) -> str:
    category, page = listing_page(url)
    return urljoin(url, f"/tin-tuc/{category}/trang-{page + 1}.html")
