"""Is this page an article? Listings, search results, error and home pages are refused with a
reason, from the address when it is unambiguous and otherwise from what the page shows."""

from __future__ import annotations

from crawler.article import NotAnArticle
from crawler.parsing.metadata import PageMetadata
from crawler.parsing.text import fold
from crawler.parsing.urls import page_kind_from_url
from crawler.parsing.vocabulary import VOCABULARY

THIN_BODY = 300  # characters: less than this and no image is no article...
BRIEF_BODY = 80  # ...unless the page is a dated article by its address or metadata: a news brief
LISTING_LINKS = 5  # teaser-like links inside the body's range make it a list of articles
SHOWN_TITLE = 120  # characters of a headline or address a refusal quotes: a broken page's "title" may be the whole page


def refuse_by_url(url: str, meta: PageMetadata) -> None:
    kind = page_kind_from_url(url)
    if kind and meta.page_type != "article":
        raise NotAnArticle(f"{_KIND_NAMES[kind]} ({_shown_text(url)})", kind)


def refuse_by_title(title: str | None, meta: PageMetadata, body_chars: int) -> None:
    """Error and search pages say so in their title; an article may too (`Tìm kiếm ngư dân mất tích`,
    `404 hộ dân…`), so the title only counts over a thin body."""
    if not title:
        raise NotAnArticle("no headline found on the page")
    if body_chars >= 2 * THIN_BODY:
        return
    stated = [fold(t) for t in (title, meta.html_title, meta.title) if t]
    if any(p in t for t in stated for p in VOCABULARY.error_phrases):
        raise NotAnArticle(f"error page ({_shown(title)})", "error")
    if any(t.startswith(p) for t in stated for p in VOCABULARY.search_phrases):
        raise NotAnArticle(f"search results ({_shown(title)})", "search")


def refuse_by_content(title: str, body_chars: int, images: int, listing_links: int, teasers: int,
                      meta: PageMetadata, dated_article: bool = False) -> None:
    """`listing_links`: teaser titles inside the body's range; `teasers`: other articles' teasers
    met under the headline before any paragraph (a teaser column may precede a real body, so those
    only count over a thin one). `dated_article`: the page is an article by its address or its
    metadata and shows its date by the headline, as a three-sentence brief does; a soft 404 or an
    about page at such an address shows no date."""
    # Photos of its own (not thumbnails linking elsewhere) make a thin page a photo story, not a list.
    if meta.page_type != "article" and (
        listing_links >= LISTING_LINKS or (teasers >= LISTING_LINKS and body_chars < THIN_BODY and not images)
    ):
        raise NotAnArticle(f"a list of article teasers, not an article ({_shown(title)})", "listing")
    if body_chars < (BRIEF_BODY if dated_article else THIN_BODY) and not images:
        raise NotAnArticle(f"no article text under the headline ({_shown(title)})")


def _shown(title: str) -> str:
    """The headline as a refusal quotes it: a failure reason is one readable line, never a page."""
    return repr(_shown_text(title))


def _shown_text(text: str) -> str:
    """`text` cut to what a refusal quotes (a headline, or an address with a 10 000-character query)."""
    return text if len(text) <= SHOWN_TITLE else text[:SHOWN_TITLE] + "…"


_KIND_NAMES = {"home": "the home page", "search": "search results", "listing": "a category listing"}
