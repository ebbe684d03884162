"""The site's three generations of markup, each with its own first-try hints.

Like NewsDiffs' parser-per-site, each generation is a small class over one interface, supplying
where it keeps the headline (one XPath, tried before the generic search) and how it marks the body
block (class, id or itemprop tokens, checked on the candidate blocks the generic reader found: a
nominated block wins when the vote rates it close to the best). The hints are educated guesses —
the real markup is not known here — so the shared reader-sees logic validates them and is always
the fallback: a page whose classes were renamed parses the same with or without them.

Hints are kept cheap on purpose: a `//*[contains(@class, …)]` over a whole page costs more than
all the reading that follows, so headline XPaths are anchored on a tag and body hints are checked
in Python on a handful of candidates only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree


class SiteGeneration:
    """One generation of the site's markup: which hosts serve it and where it keeps things."""

    name = "unknown"
    hosts: tuple[str, ...] = ()
    # schema.org microdata, which any generation may carry.
    title_xpath = "//h1[@itemprop='headline']"
    body_tokens: tuple[str, ...] = ("articleBody",)  # in class, id or itemprop of the body block

    def __init__(self) -> None:
        self._title = etree.XPath(self.title_xpath)

    def serves(self, host: str) -> bool:
        host = host.lower().split(":")[0]
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def title_candidates(self, doc) -> list:
        """Elements the generation holds for the headline (the generic search checks them first)."""
        return self._title(doc)

    def marks_body(self, element) -> bool:
        """Whether the element carries this generation's mark of the body block."""
        names = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"))))
        return bool(names) and any(token in names for token in self.body_tokens)


class TableLayout2020(SiteGeneration):
    """`baodienbienphu.info.vn`, around 2020: nested tables, the headline in a styled cell."""

    name = "info.vn-2020"
    hosts = ("baodienbienphu.info.vn",)
    title_xpath = "//h1[@itemprop='headline'] | //td[contains(@class, 'tieude') or contains(@class, 'title_detail')]"
    body_tokens = ("articleBody", "noidung", "content_detail", "chitiet")


class DivLayout2021(SiteGeneration):
    """`baodienbienphu.com.vn` (and `en.`), 2021–2025: div layout with og: metadata."""

    name = "com.vn-2021"
    hosts = ("baodienbienphu.com.vn",)
    title_xpath = "//h1[@itemprop='headline' or contains(@class, 'title')]"
    body_tokens = ("articleBody", "detail-content", "content-detail", "detail__content")


class ArticleLayout2025(SiteGeneration):
    """`baodienbienphu.vn`, 2025 on: `<article>` pages with JSON-LD and `/tin-bai/` URLs."""

    name = "vn-2025"
    hosts = ("baodienbienphu.vn",)
    title_xpath = "//article//h1"
    body_tokens = ("articleBody", "article-body", "article__body", "article-content")


GENERATIONS: tuple[SiteGeneration, ...] = (TableLayout2020(), DivLayout2021(), ArticleLayout2025())
UNKNOWN = SiteGeneration()


def generation_for(url: str) -> SiteGeneration:
    host = urlsplit(url).netloc
    for generation in GENERATIONS:
        if generation.serves(host):
            return generation
    return UNKNOWN
