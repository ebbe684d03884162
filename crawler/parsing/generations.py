"""The site's three generations of markup, each with its own first-try selectors.

Like NewsDiffs' parser-per-site, each generation is a small class over one interface. Their
selectors are educated guesses (the real markup is not known here) and only ever a first try: the
shared reader-sees logic validates what they nominate and is always the fallback, so a page whose
classes were renamed parses the same with or without them.

Each selector carries the literal token it looks for (a class name, an itemprop): the XPath only
runs when that token occurs in the page's bytes, so guesses that do not apply cost a `bytes.find`
instead of a walk over the whole document.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree


@dataclass(frozen=True)
class Selector:
    token: bytes  # must occur in the page for the XPath to be worth running
    xpath: etree.XPath

    @classmethod
    def of(cls, token: str, xpath: str) -> "Selector":
        return cls(token.encode(), etree.XPath(xpath))


class SiteGeneration:
    """One generation of the site's markup: which hosts serve it and where it keeps things."""

    name = "unknown"
    hosts: tuple[str, ...] = ()
    # Semantic markup any generation may carry (schema.org microdata).
    title_selectors: tuple[Selector, ...] = (
        Selector.of("headline", "//*[@itemprop='headline'][not(self::meta)]"),
    )
    content_selectors: tuple[Selector, ...] = (
        Selector.of("articleBody", "//*[@itemprop='articleBody']"),
    )

    def serves(self, host: str) -> bool:
        host = host.lower().split(":")[0]
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def nominate(self, body: bytes, doc, field_name: str) -> list:
        """Elements this generation's selectors point at for `title` or `content`, in priority order."""
        nominees = []
        for selector in getattr(self, f"{field_name}_selectors"):
            if selector.token in body:
                found = selector.xpath(doc)
                if found:
                    nominees.append(found[0])
        return nominees


class TableLayout2020(SiteGeneration):
    """`baodienbienphu.info.vn`, around 2020: nested tables, titles in a styled cell."""

    name = "info.vn-2020"
    hosts = ("baodienbienphu.info.vn",)
    title_selectors = SiteGeneration.title_selectors + (
        Selector.of("tieude", "//*[contains(@class, 'tieude')][not(.//td)]"),
        Selector.of("title_detail", "//*[contains(@class, 'title_detail')]"),
    )
    content_selectors = SiteGeneration.content_selectors + (
        Selector.of("noidung", "//*[@id='noidung' or contains(@class, 'noidung')]"),
        Selector.of("content_detail", "//*[contains(@class, 'content_detail')]"),
    )


class DivLayout2021(SiteGeneration):
    """`baodienbienphu.com.vn` (and `en.`), 2021–2025: div layout with og: metadata."""

    name = "com.vn-2021"
    hosts = ("baodienbienphu.com.vn",)
    title_selectors = SiteGeneration.title_selectors + (
        Selector.of("detail-title", "//*[contains(@class, 'detail-title')]"),
    )
    content_selectors = SiteGeneration.content_selectors + (
        Selector.of("detail-content", "//*[contains(@class, 'detail-content')]"),
        Selector.of("content-detail", "//*[contains(@class, 'content-detail')]"),
    )


class ArticleLayout2025(SiteGeneration):
    """`baodienbienphu.vn`, 2025 on: `<article>` pages with JSON-LD, `/tin-bai/` URLs."""

    name = "vn-2025"
    hosts = ("baodienbienphu.vn",)
    title_selectors = SiteGeneration.title_selectors + (
        Selector.of("article-title", "//*[contains(@class, 'article-title')]"),
    )
    content_selectors = SiteGeneration.content_selectors + (
        Selector.of("article-body", "//*[contains(@class, 'article-body')]"),
        Selector.of("article-content", "//*[contains(@class, 'article-content')]"),
    )


GENERATIONS: tuple[SiteGeneration, ...] = (TableLayout2020(), DivLayout2021(), ArticleLayout2025())
UNKNOWN = SiteGeneration()


def generation_for(url: str) -> SiteGeneration:
    host = urlsplit(url).netloc
    for generation in GENERATIONS:
        if generation.serves(host):
            return generation
    return UNKNOWN
