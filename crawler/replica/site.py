"""Routing: a request (method, target, headers) to a `Page`, with the site's HTTP manners.

Article URLs are keyed by id: an outdated slug, a wrong category or a trailing extra answers 301 to the
current URL. Taken-down articles answer 404 or 410 for good. Article pages carry ETag and Last-Modified
and answer 304 to a matching conditional GET. Listings past their end answer 200 with an empty list.
"""

from __future__ import annotations

import json
import re
import zlib
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

from crawler.replica import pages
from crawler.replica.model import Replica
from crawler.replica.pages import Page

_ARTICLE = re.compile(r"^/tin-tuc/([a-z0-9-]+)/(\d+)(?:/([^/]*))?/?$")
_ID_LESS = re.compile(r"^/tin-bai/([a-z0-9-]+)/([a-z0-9-]+?)(?:\.html)?/?$")
_LISTING = re.compile(r"^/tin-tuc/([a-z0-9-]+)/(?:trang-(\d+)\.html)?$")
_SLUG_ID = re.compile(r"^/([a-z0-9-]+)/[a-z0-9-]+-(\d{4,})\.html$")  # `.com.vn`, 2021–2025
_STATIC_PREFIXES = ("/dataimages/", "/uploads/", "/media/", "/Images/", "/images/", "/themes/", "/assets/",
                    "/Styles/", "/Scripts/")
# The smallest valid GIF: image URLs answer with it so crawlers that fetch images get a real 200.
_PIXEL = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")


def resolve_article_path(replica: Replica, path: str) -> int | None:
    """The index of the article a path names (by id, or by slug for id-less URLs), whatever its slug."""
    match = _ARTICLE.match(path)
    if match:
        index = replica._index_of_id.get(int(match.group(2)))
        if index is None or replica.is_id_less(index):
            return None  # id-less articles have no id-bearing URL on the site
        return index
    match = _ID_LESS.match(path)
    if match:
        return replica.index_for_id_less_slug(match.group(2))
    return None


def respond(replica: Replica, method: str, target: str, headers: dict[str, str] | None = None,
            obfuscate: bool = False) -> Page:
    """One request without a server: what the replica would answer to `method target`."""
    return Site(replica, obfuscate=obfuscate).handle(method, target, headers)


class Site:
    """`keep_pages`: every article page is rendered once per epoch and served from memory after that
    (`prerender()` renders them all up front), so a benchmark's floor measures the crawler, not this
    server's rendering."""

    def __init__(self, replica: Replica, obfuscate: bool = False, keep_pages: bool = False):
        self.replica = replica
        self.obfuscate = obfuscate
        self._kept: dict | None = {} if keep_pages else None
        self._kept_state: tuple | None = None

    def prerender(self) -> int:
        """Render every live article page into memory now; returns how many."""
        if self._kept is None:
            raise ValueError("prerender() needs a Site made with keep_pages=True")
        with self.replica.lock:
            for article_id in self.replica.live_ids():
                index = self.replica.index_of(article_id)
                if self.replica.gone_kind(article_id) is None:
                    self._article_page(index, self.replica.path_of(index))
            return len(self._kept)

    def _article_page(self, index: int, path: str) -> Page:
        if self._kept is None:
            return pages.article_page(self.replica, self.replica.view(index), obfuscate_seed=self.obfuscate_seed(path))
        # What a page shows moves with the clock, a redesign and the obfuscation switch: a kept page is
        # good only while all three stand still.
        state = (self.replica.epoch, self.replica.hidden, self.obfuscate)
        if state != self._kept_state:
            self._kept.clear()
            self._kept_state = state
        page = self._kept.get(index)
        if page is None:
            page = self._kept[index] = pages.article_page(self.replica, self.replica.view(index),
                                                          obfuscate_seed=self.obfuscate_seed(path))
        return page

    def obfuscate_seed(self, path: str) -> int | None:
        """A different renaming per page, so a parser cannot learn the site's names from one page."""
        if not self.obfuscate:
            return None
        return zlib.crc32(f"{self.replica.seed}:{self.replica.epoch}:{path}".encode())

    def handle(self, method: str, target: str, headers: dict[str, str] | None = None) -> Page:
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path.startswith("/_replica/"):
            return self._control(method, path, query)
        if method not in ("GET", "HEAD"):
            return Page(405, {"Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"},
                        b"method not allowed\n")
        with self.replica.lock:
            return self._route(path, query, headers)

    def _route(self, path: str, query: dict, headers: dict) -> Page:
        replica, seed = self.replica, self.obfuscate_seed(path)
        if path == "/":
            return pages.home_page(replica, seed)
        if path == "/robots.txt":
            return pages.robots_txt(replica)
        if path == "/sitemap.xml":
            return pages.error_page(replica, 404, seed) if replica.today else pages.sitemap_xml(replica)
        if path == pages.RSS_PATH:
            return pages.rss_feed(replica)
        if path == "/tim-kiem":
            return pages.search_page(replica, query.get("q", [""])[0], seed)
        if path.startswith(_STATIC_PREFIXES):
            return _static(path)
        if _ARTICLE.match(path) or _ID_LESS.match(path):
            return self._article(path, headers)
        old_shape = _SLUG_ID.match(path)
        if old_shape and int(old_shape.group(2)) in replica._index_of_id:  # an old domain's URL shape
            return self._redirect(replica.path_of(replica.index_of(int(old_shape.group(2)))))
        match = _LISTING.match(path)
        if match:
            category = replica.category_by_slug(match.group(1))
            if category is None:
                return pages.error_page(replica, 404, seed)
            number = int(match.group(2) or 1)
            if number < 1 or (replica.today and number > 1):  # today's listings have no numbered pages
                return pages.error_page(replica, 404, seed)
            if replica.today:
                return pages.category_shell(replica, category, seed)
            return pages.listing_page(replica, category, number, seed)
        if re.fullmatch(r"/tin-tuc/[a-z0-9-]+", path) and replica.category_by_slug(path.rsplit("/", 1)[1]):
            if replica.today:
                return pages.category_shell(replica, replica.category_by_slug(path.rsplit("/", 1)[1]), seed)
            return self._redirect(path + "/")
        return pages.error_page(replica, 404, seed)

    def _article(self, path: str, headers: dict) -> Page:
        replica = self.replica
        index = resolve_article_path(replica, path)
        if index is None:
            return pages.error_page(replica, 404, self.obfuscate_seed(path))
        kind = replica.gone_kind(replica.id_of(index))
        if kind == "soft-404":  # a "not found" page that says 200
            return pages.error_page(replica, 404, self.obfuscate_seed(path), answer=200)
        if kind == "redirect-home":
            return self._redirect("/")
        if kind == "redirect-listing":
            return self._redirect(f"/tin-tuc/{replica.category_of(index).slug}/")
        if kind is not None:
            return pages.error_page(replica, kind, self.obfuscate_seed(path))
        current = replica.path_of(index)
        if path != current:
            return self._redirect(current)
        page = self._article_page(index, path)
        if _not_modified(page, headers):
            return Page(304, {k: v for k, v in page.headers.items() if k in ("ETag", "Last-Modified", "Cache-Control")})
        return page

    def redirect_to_current(self, method: str, target: str, headers: dict | None = None) -> Page:
        """An old domain of today's site: every URL moves to the current host (an article by its id,
        in today's URL; anything else to the same path)."""
        path = urlsplit(target).path or "/"
        match = _ARTICLE.match(path) or _SLUG_ID.match(path)
        with self.replica.lock:
            if match:
                index = self.replica._index_of_id.get(int(match.group(2)))
                if index is not None:
                    return self._redirect(self.replica.path_of(index))
        return self._redirect(path)

    def _redirect(self, path: str) -> Page:
        location = self.replica.base_url + path
        body = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>'.encode()
        return Page(301, {"Location": location, "Content-Type": "text/html; charset=utf-8"}, body)

    def _control(self, method: str, path: str, query: dict) -> Page:
        """The test harness's door: read the state, advance the clock, ask for the truth."""
        replica = self.replica
        if path == "/_replica/state" and method in ("GET", "HEAD"):
            with replica.lock:
                return _json(200, replica.state())
        if path == "/_replica/advance":
            if method != "POST":
                return _json(405, {"error": "POST to advance"})
            steps = int(query.get("steps", ["1"])[0])
            return _json(200, replica.advance(steps).to_dict())
        if path == "/_replica/changes" and method == "GET":
            with replica.lock:
                try:
                    changes = replica.changes(int(query.get("from", ["0"])[0]),
                                              int(query.get("to", [str(replica.epoch)])[0]))
                except ValueError as exc:
                    return _json(400, {"error": str(exc)})
            return _json(200, changes.to_dict())
        match = re.fullmatch(r"/_replica/truth/(\d+)", path)
        if match and method == "GET":
            with replica.lock:
                try:
                    return _json(200, replica.expected(int(match.group(1))))
                except KeyError as exc:
                    return _json(404, {"error": str(exc)})
                except LookupError as exc:
                    return _json(410, {"error": str(exc)})
        return _json(404, {"error": f"no control endpoint {method} {path}"})


def _not_modified(page: Page, headers: dict) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.headers["ETag"] in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
            modified = parsedate_to_datetime(page.headers["Last-Modified"])
        except (TypeError, ValueError):
            return False
        return modified <= since
    return False


def _json(status: int, data: dict) -> Page:
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return Page(status, {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}, body)


def _static(path: str) -> Page:
    if path.endswith((".css",)):
        return Page(200, {"Content-Type": "text/css"}, b"/* replica stylesheet */\n")
    if path.endswith(".js"):
        return Page(200, {"Content-Type": "application/javascript"}, b"/* replica script */\n")
    return Page(200, {"Content-Type": "image/gif", "Cache-Control": "public, max-age=86400"}, _PIXEL)
