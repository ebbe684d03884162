"""The site's URL grammar, in one place: what is an article, a listing, and an article's identity.

Every stage uses this module: the spider (what to fetch), the parser (`Article.identity`, links in
the text) and the archive (keys, aliases, link targets).

- Articles, one of:
  - `/tin-tuc/{category}/{numeric-id}/{slug}` and `/tin-tuc/{category}/{id}.html` (2020–2025);
  - `/{category}/{slug}-{id}.html` (`baodienbienphu.com.vn`, 2021–2025);
  - `/tin-bai/{category}/{slug}` (the current site, no id).
- **Identity**: the numeric id where the URL has one, as text (`"212838"`), whatever the slug,
  category or host; otherwise the URL's path canonicalised — no scheme, host, query, fragment or
  trailing slash, percent-encoding and case normalised (`"/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban"`), so
  `http`/`https`, a domain move or a tracking parameter never make a second article. A re-slug or a
  move to another category changes an id-less path: the archive's `aliases` merge those (`archive`).
- An address of no known shape (another site's, a mirror's) is its canonical path **and** the
  query that names the page (`/detail.asp?id=4530`, `/index.php?option=com_content&id=8813`), less
  tracking parameters: a script serving every article at one path tells them apart by the query.
- Listings: `/tin-tuc/{category}/` and `/tin-tuc/{category}/trang-N.html`.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit


ARTICLE_PATH = re.compile(r"^/tin-tuc/(?P<category>[\w-]+)/(?P<id>\d+)(?:\.html?|/(?P<slug>[^/?#]*))?/?$")
SLUG_ID_ARTICLE_PATH = re.compile(r"^/(?P<category>[\w-]+)/(?P<slug>[\w-]+?)-(?P<id>\d{4,})\.html?$")
IDLESS_ARTICLE_PATH = re.compile(r"^/tin-bai/(?P<category>[\w-]+)/(?P<slug>[\w-]+?)(?:\.html?)?/?$", re.IGNORECASE)
LISTING_PATH = re.compile(r"^/tin-tuc/(?P<category>[\w-]+)/(?:trang-(?P<page>\d+)\.html)?$")


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _path(url: str) -> str:
    """The URL's path; "" for text that is no URL (`http://[::1`, a port past 65535), which then
    points to no article rather than failing whoever asked."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def article_id(url: str | None) -> int | None:
    """The numeric id of an article URL (any host, any of the id shapes), or None."""
    if not url:
        return None
    path = _path(url)
    match = ARTICLE_PATH.match(path) or SLUG_ID_ARTICLE_PATH.match(path)
    return int(match["id"]) if match else None


def is_article_url(url: str) -> bool:
    path = _path(url)
    return bool(ARTICLE_PATH.match(path) or SLUG_ID_ARTICLE_PATH.match(path) or IDLESS_ARTICLE_PATH.match(path))


def canonical_path(url: str) -> str:
    """The URL's path, canonicalised: what is left of an address once scheme, host, query, fragment,
    trailing slash, percent-encoding and letter case stop mattering."""
    # Imported here: w3lib.url pulls in urllib.request and the email package (~50 ms), which every
    # command that opens an archive would pay at start-up, though only URL-keyed lookups need it.
    from w3lib.url import canonicalize_url

    try:
        path = urlsplit(canonicalize_url(url, keep_fragments=False)).path
    except ValueError:  # no URL: its text is its own key
        path = _path(url) or url.strip()
    return unquote(path).rstrip("/").lower() or "/"


@functools.lru_cache(maxsize=1 << 16)  # the archive asks it of the same links many times per page
def identity_of(url: str | None) -> str | None:
    """The archive key of the article a URL points to, or None when it points to no article."""
    if not url:
        return None
    found = article_id(url)
    if found is not None:
        return str(found)
    if IDLESS_ARTICLE_PATH.match(_path(url)):
        return re.sub(r"\.html?$", "", canonical_path(url))
    return None


def address_key(url: str) -> str:
    """An address of no known shape as a key: its canonical path, then its query less tracking
    parameters, sorted (`/detail.asp?id=4530`)."""
    path = canonical_path(url)
    try:
        query = urlsplit(url).query
    except ValueError:
        return path
    kept = sorted((key.lower(), value) for key, value in parse_qsl(query, keep_blank_values=True)
                  if not _is_tracking(key))
    return f"{path}?{urlencode(kept)}" if kept else path


def without_tracking(url: str) -> str:
    """The URL without its fragment and its tracking parameters (`utm_source`, `fbclid`, …), the
    query that names the page kept; no query at all on the site's own article addresses."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if is_article_url(url):
        return strip_query(url)
    # (The pairs kept as written: a query is not always pairs, `index.php?/news/123`.)
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracking(unquote(pair.split("=", 1)[0]))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), ""))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


# Parameters that never name the page: campaign and click trackers, session ids, Joomla's menu item.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "ref", "src", "share", "igshid",
                                 "_ga", "gidzl", "mibextid", "amp", "itemid", "phpsessid", "jsessionid", "sid",
                                 "sessionid", "aspsessionid", "cfid", "cftoken"})
TRACKING_PREFIXES = ("utm_", "fb_", "mc_", "zalo_")


def page_identity(url: str, canonical_url: str | None = None) -> str:
    """The identity of a fetched article page: its canonical link's, else its URL's, else (a page at
    an address of no known shape) the key of its address (`address_key`)."""
    return identity_of(canonical_url) or identity_of(url) or address_key(canonical_url or url)


def is_identity_of_id(identity: str) -> bool:
    return identity.isdigit()


def without_host(url: str) -> str:
    """The path of a URL, whichever host served it: a move between the site's domains (or from the
    replica's port to another) must not read as a change of content."""
    return _path(url)


def link_identity(url: str) -> str:
    """What a link points to, for comparing links: the article identity, else its address's key."""
    return identity_of(url) or address_key(url)


def on_host(url: str, base_url: str) -> str:
    """`url` with the scheme and host of `base_url`: where the crawl is pointed now."""
    parts, base = urlsplit(url), urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def listing_page(url: str) -> tuple[str, int] | None:
    """(category slug, page number) of a category listing URL, else None."""
    match = LISTING_PATH.match(_path(url))
    if not match:
        return None
    return match["category"], int(match["page"] or 1)


def next_listing_url(url: str) -> str:
    category, page = listing_page(url)
    return urljoin(url, f"/tin-tuc/{category}/trang-{page + 1}.html")
