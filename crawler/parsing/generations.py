"""The site's three generations of markup, each with its own first-try hint.

Like NewsDiffs' parser-per-site, each generation is a small class over one interface, supplying
where it keeps the headline (one XPath, tried before the generic search). The hints are educated
guesses — the real markup is not known here — so the headline they nominate must still agree with
what the page states its title is, and the shared reader-sees logic is always the fallback: a page
whose classes were renamed parses the same with or without them.

Hints are kept cheap on purpose: a `//*[contains(@class, …)]` over a whole page costs more than
all the reading that follows, so headline XPaths are anchored on a tag.
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

    def __init__(self) -> None:
        self._title = etree.XPath(self.title_xpath)

    def serves(self, host: str) -> bool:
        host = host.lower().split(":")[0]
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def title_candidates(self, doc) -> list:
        """Elements the generation holds for the headline (the generic search checks them first)."""
        return self._title(doc)



class TableLayout2020(SiteGeneration):
    """`baodienbienphu.info.vn`, around 2020: nested tables, the headline in a styled cell."""

    name = "info.vn-2020"
    hosts = ("baodienbienphu.info.vn",)
    title_xpath = "//h1[@itemprop='headline'] | //td[contains(@class, 'tieude') or contains(@class, 'title_detail')]"


class DivLayout2021(SiteGeneration):
    """`baodienbienphu.com.vn` (and `en.`), 2021–2025: div layout with og: metadata."""

    name = "com.vn-2021"
    hosts = ("baodienbienphu.com.vn",)
    title_xpath = "//h1[@itemprop='headline' or contains(@class, 'title')]"


class ArticleLayout2025(SiteGeneration):
    """`baodienbienphu.vn`, 2025 on: `<article>` pages with JSON-LD and `/tin-bai/` URLs."""

    name = "vn-2025"
    hosts = ("baodienbienphu.vn",)
    title_xpath = "//article//h1"


GENERATIONS: tuple[SiteGeneration, ...] = (TableLayout2020(), DivLayout2021(), ArticleLayout2025())
UNKNOWN = SiteGeneration()


def generation_for(url: str) -> SiteGeneration:
    host = urlsplit(url).netloc
    for generation in GENERATIONS:
        if generation.serves(host):
            return generation
    return UNKNOWN
