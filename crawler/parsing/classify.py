"""Is this page an article? Listings, search results, error and home pages are refused with a
reason, from the address when it is unambiguous and otherwise from what the page shows."""

from __future__ import annotations

from crawler.article import NotAnArticle
from crawler.parsing.metadata import PageMetadata
from crawler.parsing.text import fold
from crawler.parsing.urls import page_kind_from_url
from crawler.parsing.vocabulary import VOCABULARY

THIN_BODY = 300  # characters: less than this and no image is no article
LISTING_LINKS = 5  # teaser-like links inside the body's range make it a list of articles


def refuse_by_url(url: str, meta: PageMetadata) -> None:
    kind = page_kind_from_url(url)
    if kind and meta.page_type != "article":
        raise NotAnArticle(f"{_KIND_NAMES[kind]} ({url})", kind)


def refuse_by_title(title: str | None, meta: PageMetadata, body_chars: int) -> None:
    """Error and search pages say so in their title; an article may too (`Tìm kiếm ngư dân mất tích`,
    `404 hộ dân…`), so the title only counts over a thin body."""
    if not title:
        raise NotAnArticle("no headline found on the page")
    if body_chars >= 2 * THIN_BODY:
        return
    stated = [fold(t) for t in (title, meta.html_title, meta.title) if t]
    if any(p in t for t in stated for p in VOCABULARY.error_phrases):
        raise NotAnArticle(f"error page ({title!r})", "error")
    if any(t.startswith(p) for t in stated for p in VOCABULARY.search_phrases):
        raise NotAnArticle(f"search results ({title!r})", "search")


def refuse_by_content(title: str, body_chars: int, images: int, listing_links: int, teasers: int,
                      meta: PageMetadata) -> None:
    """`listing_links`: teaser titles inside the body's range; `teasers`: other articles' teasers
    met under the headline before any paragraph (a teaser column may precede a real body, so those
    only count over a thin one)."""
    # Photos of its own (not thumbnails linking elsewhere) make a thin page a photo story, not a list.
    if meta.page_type != "article" and (
        listing_links >= LISTING_LINKS or (teasers >= LISTING_LINKS and body_chars < THIN_BODY and not images)
    ):
        raise NotAnArticle(f"a list of article teasers, not an article ({title!r})", "listing")
    if body_chars < THIN_BODY and not images:
        raise NotAnArticle(f"no article text under the headline ({title!r})")


_KIND_NAMES = {"home": "the home page", "search": "search results", "listing": "a category listing"}
