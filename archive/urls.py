"""What the archive needs to know about the site's URLs, without importing the parser.

All three domain generations (`baodienbienphu.info.vn`, `.com.vn`, `.vn`, and their subdomains) are
one site: an article URL carries its numeric id as `/tin-tuc/{category}/{id}/{slug}`, and that id is
its identity whatever the domain, category or slug.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

SITE_DOMAINS = ("baodienbienphu.info.vn", "baodienbienphu.com.vn", "baodienbienphu.vn")
_ARTICLE_PATH = re.compile(r"^/tin-tuc/[^/]+/(\d+)(?:/|$)")


def is_site_host(host: str | None) -> bool:
    host = (host or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in SITE_DOMAINS)


def article_id_from_url(url: str) -> int | None:
    """The numeric id of an article URL on the site; None for other URLs (and `/tin-bai/` ones)."""
    parts = urlsplit(url)
    if not is_site_host(parts.hostname):
        return None
    match = _ARTICLE_PATH.match(parts.path)
    return int(match.group(1)) if match else None


def identity_from_url(url: str) -> str:
    """The archive key a link points to: the article id where the URL has one, else the URL without
    its query and fragment (the same rule `Article.identity` follows with the canonical URL)."""
    article_id = article_id_from_url(url)
    if article_id is not None:
        return str(article_id)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def without_site_host(url: str) -> str:
    """The path of a URL on the site, whichever domain generation served it; other URLs unchanged.

    Used where a change of domain must not read as a change of content (image sources)."""
    parts = urlsplit(url)
    if not is_site_host(parts.hostname):
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return parts.path
