"""What the address says: the article id, the canonical URL, and which URLs are listings."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from crawler.parsing.vocabulary import VOCABULARY
from crawler.urls import article_id, is_article_url, without_tracking  # one URL grammar for the whole project

_ID_SEGMENT = re.compile(r"(?:^|[/-])\d{4,}(?:[/.-]|$)")
_LISTING_PATH = re.compile(r"^/(?:tin-tuc|tin-bai|chuyen-muc|category)/[^/]+/?(?:trang-\d+(?:\.html?)?)?$|/trang-\d+(?:\.html?)?$")
_CATEGORY_SLUG = re.compile(r"^/(?:tin-tuc|tin-bai)/([^/]+)/")
_SECTION_SLUG = re.compile(r"^[a-z][a-z-]{1,40}$")  # `xa-hoi`, `van-hoa-du-lich`: words joined by hyphens
# A folder's own page, as SharePoint and static sites name it: the listing is the folder.
_INDEX_PAGE = re.compile(r"(?:/Pages)?/(?:default|index)\.(?:aspx?|html?|php)$", re.IGNORECASE)
_HOME_PATH = re.compile(r"/(?:index|default|home|trang-chu)(?:\.\w+)?/?")
_FILE_EXTENSION = re.compile(r"\.(?:jpe?g|png|gif|webp|pdf|docx?|xlsx?|mp[34]|zip|rar)$", re.IGNORECASE)
# Another site's article, by the shapes news CMSs share: a slug of several words in the last segment,
# and an id in the path (`/slug-10312210.html`, `/du-lich/12/356190/slug.aspx`, `/giao-duc/409-slug`,
# `/slug-postid421337.bbg`) or a page's extension after a longer slug (`/ten-bai-viet-dai.html`).
_SLUG_WORDS = re.compile(r"^[^\W_]+(?:-[^\W_]+){2,}(?:\.[a-z]{2,5})?$", re.IGNORECASE)
# An id: four digits or more that are no year (`-10312210`, `postid421337`, `/356190/`; not the
# `2025-2030` of a topic's slug), or a Joomla id before the alias (`/409-hoi-giang-…`). Three digits
# after a letter name a section (`chinh-tri-xa-hoi-c101`).
_AN_ID = re.compile(r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d{4,}|^\d{2,}-")
_PAGE_EXTENSION = re.compile(r"-[^\W_]+-[^\W_]+-[^\W_]+\.(?:html?|shtml|aspx?|php|ghtml)$", re.IGNORECASE)
_WEB_ASSET = re.compile(r"\.(?:svg|ico|css|js|xml|rss)$", re.IGNORECASE)  # besides `_FILE_EXTENSION`'s files


def absolute(href: str, base_url: str) -> str:
    """`href` resolved against the page's URL ("" when it is no URL at all, `http://[oops/` say).
    The common shapes (already absolute, root-relative) are joined by hand: `urljoin` costs
    microseconds per call and a page has hundreds of links."""
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return href
    if href.startswith("/") and not href.startswith("//"):
        scheme, _, rest = base_url.partition("://")
        if rest and "/." not in href and not any(ch in href for ch in "\\\t\n"):  # else let urljoin tidy
            return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]}{href}"
    try:
        return urljoin(base_url, href)
    except ValueError:
        return ""


class OwnPage:
    """The page's own addresses (its URL, its canonical): a link to one is a permalink, never
    another article."""

    __slots__ = ("url", "article_id", "keys")

    def __init__(self, url: str, canonical: str | None = None):
        self.url = url
        canonical = absolute(canonical, url) if canonical else ""
        self.article_id = article_id(url) or (article_id(canonical) if canonical else None)
        self.keys = {without_fragment(url).rstrip("/"), without_fragment(canonical).rstrip("/")} - {""}

    def is_linked_by(self, href: str) -> bool:
        """The same article id, else the same address, ignoring the fragment and a closing slash."""
        target = absolute(href, self.url)
        if not target:
            return False
        if self.article_id is not None:
            return article_id(target) == self.article_id
        return without_fragment(target).rstrip("/") in self.keys


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def canonical_url(page_url: str, declared: str | None) -> str:
    """`<link rel=canonical>` made absolute, else the page URL without its fragment and tracking
    parameters (`crawler.urls.without_tracking`: a query naming the page stays). A canonical
    pointing at the site's home page (a common CMS slip) is ignored."""
    if declared:
        try:
            absolute = urljoin(page_url, declared.strip())
            parts = urlsplit(absolute)
        except ValueError:  # a canonical link that is no URL: the page's own address stands
            parts = None
        if parts is not None and parts.scheme in ("http", "https") and parts.path not in ("", "/"):
            return absolute
    return without_tracking(page_url)


def category_slug(url: str) -> str | None:
    """The section's slug the article's address names: the site's `/tin-tuc/<slug>/…`, else the
    first folder of another site's address that reads as a section's (`/xa-hoi/<article>.html`):
    words, not a date's digits (`/2026/11/…`), nor a folder every article sits in (`/posts/…`)."""
    path = urlsplit(url).path
    match = _CATEGORY_SLUG.match(path)
    if match:
        return match.group(1)
    for segment in [segment for segment in path.split("/") if segment][:-1]:  # (the last names the article)
        folded = segment.lower()
        if folded in VOCABULARY.not_section_paths:
            return None  # under an author's or a tag's folder: a name, no section
        if folded in VOCABULARY.article_folders:
            continue
        return segment if _SECTION_SLUG.match(segment) else None
    return None


def looks_like_listing_link(href: str, base_url: str) -> bool:
    """A link to a category page: on the site, not an article (no numeric id), not a file, not an
    author's or a tag's page, at most two path segments, or three (`/vi/chuyen-muc/van-hoa`) when
    the site's grammar calls it no article (the current site's articles are
    `/tin-bai/<section>/<slug>`, without an id)."""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return False
    if href.startswith("/") and not href.startswith("//"):
        # Root-relative, the common case (a page has hundreds): on the page's own host, no join needed.
        netloc, path = "", href.split("?", 1)[0].split("#", 1)[0]
    else:
        try:
            parts = urlsplit(urljoin(base_url, href))
        except ValueError:
            return False  # `http://[oops/`: no link a reader can follow
        netloc, path = parts.netloc, parts.path
    path = _INDEX_PAGE.sub("", path.rstrip("/"))  # (`/tin-tuc/tin-trong-tinh/Pages/default.aspx`: its folder's)
    if not path or _FILE_EXTENSION.search(path) or _ID_SEGMENT.search(path):
        return False
    if netloc:
        base_host = urlsplit(base_url).netloc
        if base_host and _site_key(netloc) != _site_key(base_host):
            return False
    segments = path.split("/")
    if _an_author_or_tag_page(segments):
        return False  # an author's or a tag's articles: a listing, not a section
    depth = len(segments) - 1
    return depth <= 2 or (depth == 3 and not looks_like_article_link(path))


def looks_like_article_link(href: str) -> bool:
    """An article URL by the site's grammar (`crawler.urls`), on any host, relative or absolute; not
    an author's or a tag's page, which the grammar's `/{category}/{slug}-{id}.html` would take for
    one (`/tac-gia/ha-phuong-1234.html`)."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return False
    try:
        url = href if "://" in href or href.startswith("/") else "/" + href
        segments = urlsplit(url).path.split("/")
    except ValueError:
        return False
    if _an_author_or_tag_page(segments):
        return False
    return is_article_url(url) or _another_sites_article(segments)


def _another_sites_article(segments: list[str]) -> bool:
    """`/slug-of-words-10312210.html` and the other shapes of `_SLUG_WORDS`: what an article's address
    looks like on most news sites, where the paper's own grammar (`crawler.urls`) knows none."""
    names = [segment for segment in segments if segment]
    last = names[-1] if names else ""
    if not _SLUG_WORDS.match(last) or _FILE_EXTENSION.search(last) or _WEB_ASSET.search(last):
        return False
    return any(_AN_ID.search(segment) for segment in names) or _PAGE_EXTENSION.search(last) is not None


def _an_author_or_tag_page(segments: list[str]) -> bool:
    """A path (split at `/`) under an author's or a tag's page, at its root or one level down
    (`/tac-gia/…`, `/vi/tag/…`): the vocabulary's `not_section_paths`."""
    return any(segment.lower() in VOCABULARY.not_section_paths for segment in segments[1:3])


def is_home_link(href: str, base_url: str) -> bool:
    """A link to the site's home page (`/`, `./`, `/trang-chu`): a logo's, by the home rule below."""
    try:
        return bool(href.strip()) and page_kind_from_url(urljoin(base_url, href.strip())) == "home"
    except ValueError:
        return False  # `http://[oops/`: no link a reader can follow


def page_kind_from_url(url: str) -> str | None:
    """`home`, `search` or `listing` when the address alone says so (site URLs only), else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    if path in ("", "/") or (_HOME_PATH.fullmatch(path) and not parts.query):
        return "home"  # (`/index.php?option=com_content&id=…`: a query names what the script serves)
    lowered = path.lower()
    if any(word in lowered for word in VOCABULARY.search_paths):
        return "search"
    if article_id(url) is not None:
        return None
    if parts.query and set(parse_qs(parts.query)) & VOCABULARY.search_query_keys and not is_article_url(url):
        return "search"  # (the site's article address names an article, whatever its query)
    segments = path.split("/")
    # (`/tin-tuc/gia-xang-giam-nhe-123.html`: another site's article, under its news folder or a tag's)
    articles_shape = _another_sites_article(segments)
    if _an_author_or_tag_page(segments) and not is_article_url(url) and not articles_shape:
        return "listing"  # (`/tag/lua-dao-qua-mang/`, `/tac-gia/thu-ha`: their articles, listed)
    if _LISTING_PATH.search(path) and not (articles_shape and not _PAGINATION.search(path)):
        return "listing"
    return None


_PAGINATION = re.compile(r"/trang-\d+(?:\.html?)?$")


def _site_key(host: str) -> str:
    """Every generation of the site is one site: `baodienbienphu` without subdomain/TLD; a mobile or
    AMP edition (`m.`, `amp.`, `www.`) is the site it mirrors."""
    host = host.lower().split(":")[0]
    if "baodienbienphu" in host:
        return "baodienbienphu"
    for prefix in _EDITION_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


_EDITION_PREFIXES = ("www.", "m.", "amp.", "mobile.")
