"""Whole pages as the server sends them (`Page`): article pages in their generation, and the live site's
home, listings, search, error pages, robots.txt and sitemap.

Encoding, decomposition of the whole document and obfuscation are applied here, after rendering,
so every generation gets them the same way.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime

from crawler.replica import layout_page, layouts, render_2020, render_2023, render_2025, render_today
from crawler.replica.chrome import Chrome, Teaser, attr, esc, lorem_script, short_summary
from crawler.replica.model import ArticleView, Replica
from crawler.replica.obfuscate import obfuscate
from crawler.replica.spec import Category, Image
from crawler.replica.vietnamese import encode_windows_1258, fold

RENDERERS = {"2020": render_2020.render, "2023": render_2023.render, "2025": render_2025.render}
LISTING_PAGE_SIZE = 20
MINIMUM_ARTICLE_PAGE_BYTES = 62_000  # real article pages weigh 60–120 KB
RSS_PATH = "/rss/tin-moi.rss"
RSS_SIZE = 30  # the feed carries the newest articles only, like the sitemap
SITEMAP_SIZE = 50  # the sitemap lists only the newest articles, as news sitemaps do
SEARCH_WINDOW = 1000  # search scans the newest articles only (the real site's search is shallow too)


@dataclass
class Page:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def text(self) -> str:
        """The body decoded by the charset the response declares (meta-only pages: see `charset`)."""
        return self.body.decode(self.charset())

    def charset(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        if "charset=" in content_type:
            return content_type.split("charset=")[1].strip()
        head = self.body[:2048].decode("ascii", "replace").lower()
        return "windows-1258" if "charset=windows-1258" in head else "utf-8"


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def site_chrome(replica: Replica) -> Chrome:
    """Sidebars and menus for the current epoch (the same on every page of that epoch)."""
    chrome = replica.page_cache.get("chrome")
    if chrome is None:
        newest = replica.listing(None, 0, 80)
        by_views = sorted(newest, key=lambda i: -(replica.views_at(replica.spec(i)) or 0))
        chrome = Chrome(
            categories=tuple(replica.categories),
            latest=tuple(teaser(replica, i) for i in newest[:10]),
            most_read=tuple(teaser(replica, i) for i in by_views[:10]),
            photo_news=tuple(teaser(replica, i) for i in newest[10:16]),
            by_category={c.slug: tuple(teaser(replica, i) for i in replica.listing(c, 0, 8))
                         for c in replica.categories},
            now=replica.now(),
            visitors_online=311 + (replica.epoch * 37) % 500,
            visitors_total=18_204_331 + replica.epoch * 15_013,
        )
        replica.page_cache["chrome"] = chrome
    return chrome


def teaser(replica: Replica, index: int) -> Teaser:
    spec = replica.spec(index)
    thumbnail = next((b.path for b in spec.body if isinstance(b, Image)), None)
    return Teaser(path=replica.path_of(index, spec), title=spec.title, published_at=spec.published_at,
                  summary=short_summary(spec.sapo), thumbnail=thumbnail,
                  views=None if "views" in replica.hidden else replica.views_at(spec))


# --- Articles --------------------------------------------------------------------------------------
def article_page(replica: Replica, view: ArticleView, encoding: str | None = None,
                 obfuscate_seed: int | None = None, layout: layouts.Layout | None = None) -> Page:
    """The article's page: in its generation's markup, or in `layout` (drawn per article when the
    replica serves random layouts)."""
    traits = view.traits
    encoding = encoding or traits.encoding
    declared_in = traits.charset_declared_in if encoding == traits.encoding else "both"
    renderer = RENDERERS[view.generation]
    if replica.today and view.generation == "2025":
        renderer = render_today.render  # today's site serves its current articles in today's markup
    if layout is None and replica.layouts == "random":
        layout = layouts.layout_for(replica.seed, view.spec.index)
    if layout is not None:
        encoding, declared_in = layouts.encoding_of(layout)
        html = layout_page.render(view, site_chrome(replica), layout)
    else:
        html = renderer(view, site_chrome(replica), charset=encoding, declared_in=declared_in)
    if traits.nfd == "page":
        html = unicodedata.normalize("NFD", html)
    body = _finish(html, encoding, obfuscate_seed)
    if len(body) < MINIMUM_ARTICLE_PAGE_BYTES:
        # Small replicas have short sidebars; real pages still ship their script weight.
        padding = lorem_script(f"padding/{view.spec.index}", (MINIMUM_ARTICLE_PAGE_BYTES - len(body)) // 90 + 20)
        html = html.replace("</body>", f"<script>\n{padding}\n</script>\n</body>", 1)
        body = _finish(html, encoding, obfuscate_seed)
    content_type = "text/html" if declared_in in ("meta", "none", "bom") else f"text/html; charset={encoding}"
    spec = view.spec
    modified = max(spec.published_at, spec.updated_at or spec.published_at)
    return Page(200, {
        "Content-Type": content_type,
        "ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"',
        # Tracks the article's content like a CMS does; the view counter changes without it.
        "Last-Modified": http_date(modified),
        "Cache-Control": "public, max-age=60",
    }, body)


def _finish(html: str, encoding: str, obfuscate_seed: int | None) -> bytes:
    if obfuscate_seed is not None:
        html = obfuscate(html, obfuscate_seed)
    if encoding == "windows-1258":
        return encode_windows_1258(html)
    return html.encode(encoding)  # (`utf-16` writes its byte-order mark first)


# --- The live site's other pages ---------------------------------------------------------------------
def _html_page(status: int, html: str, obfuscate_seed: int | None, extra_headers: dict | None = None) -> Page:
    if obfuscate_seed is not None:
        html = obfuscate(html, obfuscate_seed)
    headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=30"}
    headers.update(extra_headers or {})
    return Page(status, headers, html.encode("utf-8"))


def home_page(replica: Replica, obfuscate_seed: int | None = None) -> Page:
    chrome = site_chrome(replica)
    sections = []
    for category in replica.categories:
        cards = "\n".join(render_2025.card(teaser(replica, i)) for i in replica.listing(category, 0, 4))
        sections.append(f'<section class="box"><h2 class="box__title"><a href="/tin-tuc/{category.slug}/">'
                        f"{esc(category.name)}</a></h2>{cards}</section>")
    top = "\n".join(render_2025.card(teaser(replica, i)) for i in replica.listing(None, 0, 12))
    main = f'<section class="listing"><h2 class="box__title">Tin tức</h2>{top}</section>\n' + "\n".join(sections)
    head = (f'<meta name="description" content="Báo Điện Biên Phủ điện tử">\n<link rel="canonical" href="{replica.base_url}/">\n'
            f'<link rel="alternate" type="application/rss+xml" title="Tin mới" href="{RSS_PATH}">')
    return _html_page(200, render_2025.shell(title="Báo Điện Biên Phủ - Tin tức Điện Biên", chrome=chrome,
                                             main=main, head_extra=head, body_class="page-home"), obfuscate_seed)


def category_size(replica: Replica, category: Category) -> int:
    key = ("category size", category.slug)
    if key not in replica.page_cache:
        replica.page_cache[key] = len(replica.listing(category, 0, 10**9))
    return replica.page_cache[key]


def listing_page(replica: Replica, category: Category, number: int, obfuscate_seed: int | None = None) -> Page:
    chrome = site_chrome(replica)
    indices = replica.listing(category, (number - 1) * LISTING_PAGE_SIZE, LISTING_PAGE_SIZE)
    cards = "\n".join(render_2025.card(teaser(replica, i)) for i in indices)
    pages = max(1, -(-category_size(replica, category) // LISTING_PAGE_SIZE))
    links = []
    if number > 1:
        links.append(f'<a href="{_listing_path(category, number - 1)}" rel="prev">« Trang trước</a>')
    for n in range(max(1, number - 3), min(pages, number + 3) + 1):
        links.append(f"<span>{n}</span>" if n == number else f'<a href="{_listing_path(category, n)}">{n}</a>')
    if number < pages:
        links.append(f'<a href="{_listing_path(category, number + 1)}" rel="next">Trang sau »</a>')
    body = cards or '<p class="empty">Không có bài viết nào trong mục này.</p>'
    main = (f'<h1 class="box__title">{esc(category.name)}</h1>\n<section class="listing">{body}</section>\n'
            f'<nav class="pagination">{" ".join(links)}</nav>')
    head = f'<link rel="canonical" href="{replica.base_url}{_listing_path(category, number)}">'
    title = f"{category.name} - Trang {number} | Báo Điện Biên Phủ" if number > 1 else f"{category.name} | Báo Điện Biên Phủ"
    return _html_page(200, render_2025.shell(title=title, chrome=chrome, main=main, head_extra=head,
                                             body_class="page-category"), obfuscate_seed)


def category_shell(replica: Replica, category: Category, obfuscate_seed: int | None = None) -> Page:
    """Today's category page: rendered in the browser from the API, so its HTML lists no article."""
    return _html_page(200, render_today.category_shell(category, site_chrome(replica), replica.api_url or ""),
                      obfuscate_seed)


def _listing_path(category: Category, number: int) -> str:
    return f"/tin-tuc/{category.slug}/" if number == 1 else f"/tin-tuc/{category.slug}/trang-{number}.html"


def search_page(replica: Replica, query: str, obfuscate_seed: int | None = None) -> Page:
    needle = fold(query).strip()
    results = []
    if needle:
        for index in replica.listing(None, 0, SEARCH_WINDOW):
            if needle in fold(replica.spec(index).title):
                results.append(index)
                if len(results) == LISTING_PAGE_SIZE:
                    break
    cards = "\n".join(render_2025.card(teaser(replica, i)) for i in results)
    summary = f"Tìm thấy {len(results)} kết quả cho “{esc(query)}”" if needle else "Nhập từ khóa để tìm kiếm"
    main = (f'<h1 class="box__title">Tìm kiếm</h1>\n<form action="/tim-kiem" method="get"><input type="search" '
            f'name="q" value="{attr(query)}"><button type="submit">Tìm</button></form>\n'
            f'<p class="search-result">{summary}</p>\n<section class="listing">{cards}</section>')
    return _html_page(200, render_2025.shell(title=f"Tìm kiếm: {query} | Báo Điện Biên Phủ", chrome=site_chrome(replica),
                                             main=main, head_extra='<meta name="robots" content="noindex, nofollow">',
                                             body_class="page-search"), obfuscate_seed)


def error_page(replica: Replica, status: int, obfuscate_seed: int | None = None, *,
               answer: int | None = None) -> Page:
    """The site's error page for `status` (404, 410), answered with `answer` (default: `status`;
    today's site answers some with 200, a soft-404)."""
    if status == 410:
        heading, message = "Bài viết không còn tồn tại", "Bài viết này đã bị gỡ bỏ."
    else:
        heading, message = "Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã được chuyển đi."
    main = (f'<div class="error-page"><h1>{status} - {heading}</h1><p>{message}</p>'
            f'<p><a href="/">Về trang chủ</a></p></div>')
    return _html_page(answer or status, render_2025.shell(title=f"{heading} | Báo Điện Biên Phủ", chrome=site_chrome(replica),
                                                main=main, head_extra='<meta name="robots" content="noindex">',
                                                body_class="page-error"), obfuscate_seed)


def robots_txt(replica: Replica) -> Page:
    text = ("User-agent: *\n"
            "Disallow: /tim-kiem\n"
            "Disallow: /binh-luan/\n"
            "Disallow: /_replica/\n"
            "\n"
            f"Sitemap: {replica.base_url}/sitemap.xml\n")
    return Page(200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8"))


def rss_feed(replica: Replica) -> Page:
    """RSS 2.0 of the newest listed articles (announced on the home page by a `<link rel=alternate>`)."""
    items = []
    for index in replica.listing(None, 0, RSS_SIZE):
        spec = replica.spec(index)
        items.append(f"<item><title>{esc(spec.title)}</title>"
                     f"<link>{esc(replica.base_url + replica.path_of(index, spec))}</link>"
                     f"<pubDate>{spec.published_at:%a, %d %b %Y %H:%M:%S %z}</pubDate></item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Báo Điện Biên Phủ - Tin mới'
           f"</title><link>{esc(replica.base_url)}/</link>\n" + "\n".join(items) + "\n</channel></rss>\n")
    return Page(200, {"Content-Type": "application/rss+xml; charset=utf-8"}, xml.encode("utf-8"))


def sitemap_xml(replica: Replica) -> Page:
    entries = []
    for index in replica.listing(None, 0, SITEMAP_SIZE):
        spec = replica.spec(index)
        modified = max(spec.published_at, spec.updated_at or spec.published_at)
        entries.append(f"<url><loc>{esc(replica.base_url + replica.path_of(index, spec))}</loc>"
                       f"<lastmod>{modified.isoformat()}</lastmod><changefreq>daily</changefreq></url>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</urlset>\n")
    return Page(200, {"Content-Type": "application/xml; charset=utf-8"}, xml.encode("utf-8"))
