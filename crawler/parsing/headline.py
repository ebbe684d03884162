"""The title and the category: the visible headline, checked against metadata; the breadcrumb
link nearest before it."""

from __future__ import annotations

from lxml import etree

from crawler.parsing.metadata import PageMetadata
from crawler.parsing.markup import text_of
from crawler.parsing.text import fold, normalize
from crawler.parsing.urls import category_slug, looks_like_listing_link
from crawler.parsing.vocabulary import VOCABULARY

_H1 = etree.XPath("//body//h1 | //h1[not(ancestor::body)]")
# Where there is no <h1>: an element whose whole text is the title the metadata states.
_TEXT_EQUALS = etree.XPath(
    "//body//*[self::h2 or self::h3 or self::h4 or self::div or self::span or self::td or self::p"
    " or self::strong or self::b or self::font or self::a or self::header or self::section]"
    "[normalize-space(.) = $title]"
)
_PRECEDING_TEXT = etree.XPath(
    "preceding::text()[normalize-space()][not(parent::script or parent::style or parent::option)][position() <= 10]"
)
_CATEGORY_LINKS = etree.XPath("//a[@href][normalize-space()]")


def site_title(meta: PageMetadata) -> str | None:
    """The title the page states in metadata: og:title, JSON-LD headline, or <title> without the
    site's name."""
    for candidate in (meta.title, meta.headline):
        if candidate and fold(candidate) not in VOCABULARY.site_names:
            return strip_site_name(candidate)
    if meta.html_title:
        stripped = strip_site_name(meta.html_title)
        if stripped and fold(stripped) not in VOCABULARY.site_names:
            return stripped
    return None


def strip_site_name(title: str) -> str:
    """`Đổi mới … - Báo Điện Biên Phủ` -> `Đổi mới …` (only a site name is cut, never a title's own dash)."""
    title = normalize(title)
    changed = True
    while changed:
        changed = False
        for separator in VOCABULARY.title_separators:
            head, sep, tail = title.rpartition(separator)
            if sep and head and fold(tail) in VOCABULARY.site_names:
                title, changed = head.strip(), True
            head, sep, tail = title.partition(separator)
            if sep and tail and fold(head) in VOCABULARY.site_names:
                title, changed = tail.strip(), True
    return title


def find_title(doc, meta: PageMetadata, nominated: list) -> tuple[object | None, str | None]:
    """(the headline element, its text). The element anchors everything read after it."""
    stated = site_title(meta)
    stated_key = fold(stated) if stated else None
    for element in nominated:
        text = normalize(text_of(element))
        if text and (stated_key is None or _agrees(fold(text), stated_key)):
            return element, text
    headings = [(h, normalize(text_of(h))) for h in _H1(doc)]
    headings = [(h, t) for h, t in headings if t and fold(t) not in VOCABULARY.site_names]
    if stated_key:
        for element, text in headings:
            if _agrees(fold(text), stated_key):
                return element, text
    if stated:
        for raw in {meta.title, meta.headline, stated} - {None}:
            matches = [m for m in _TEXT_EQUALS(doc, title=raw) if not _inside_link(m)]
            if matches:
                best = min(matches, key=_heading_rank)
                return best, normalize(text_of(best))
    if headings:
        element, text = max(headings, key=lambda pair: len(pair[1]))
        return element, text
    return None, stated


def _agrees(text_key: str, stated_key: str) -> bool:
    return text_key == stated_key or (len(stated_key) >= 20 and (stated_key in text_key or text_key in stated_key))


def _inside_link(element) -> bool:
    return element.tag == "a" or any(a.tag == "a" for a in element.iterancestors())


def _heading_rank(element) -> int:
    return {"h2": 0, "h3": 1, "h4": 2}.get(element.tag, 3)


def find_category(title, meta: PageMetadata, base_url: str) -> str | None:
    """The breadcrumb: JSON-LD BreadcrumbList, else the listing link nearest before the title,
    else article:section, else a menu link to the URL's own category slug."""
    crumbs = [name for name, _ in meta.breadcrumbs if fold(name) not in VOCABULARY.home_words]
    if crumbs:
        title_key = fold(normalize(text_of(title))) if title is not None else None
        crumbs = [c for c in crumbs if fold(c) != title_key]
        if crumbs:
            return crumbs[-1]
    if title is not None:
        for node in reversed(_PRECEDING_TEXT(title)):  # lxml returns document order: nearest last
            text = normalize(node)
            if len(text) > 120:
                break  # a paragraph: we left the headline's neighbourhood
            link = _enclosing_link(node)
            if link is None or fold(text) in VOCABULARY.home_words:
                continue
            if looks_like_listing_link(link.get("href"), base_url):
                return normalize(text_of(link))
    if meta.section:
        return meta.section
    slug = category_slug(base_url)
    if slug:
        for link in _CATEGORY_LINKS(doc_of(title)) if title is not None else []:
            href = link.get("href")
            if f"/{slug}" in href and looks_like_listing_link(href, base_url):
                text = normalize(text_of(link))
                if text and fold(text) not in VOCABULARY.home_words:
                    return text
    return None


def doc_of(element):
    return element.getroottree().getroot()


def _enclosing_link(node):
    element = node.getparent()
    if node.is_tail:  # a tail belongs to the element's parent, not to the element
        element = element.getparent()
    for _ in range(3):
        if element is None:
            return None
        if element.tag == "a" and element.get("href"):
            return element
        element = element.getparent()
    return None
