"""Field health: what a reader would see on the page that the parser did not read.

Each check pairs a field with the sign a reader goes by: a page always shows when it was published;
a view label means a counter; paragraphs under the headline mean a body; a `Tin khác` heading means
related links; a headline on the page means the title is read from it. A field that comes out empty
while its sign is there is listed in `Article.missing` (and explained in a warning), and the archive
counts those per run: a redesign that hides a field from the parser shows up in the counts.
"""

from __future__ import annotations

import re

from crawler.article import Article
from crawler.parsing.dateline import Dateline
from crawler.parsing.regions import LONG_LINE, Regions

# Mis-decoding leaves these in text: U+FFFD for bytes that did not decode, and the letters UTF-8
# bytes of Vietnamese turn into when read as a single-byte code page (`Ä‘` for `đ`, `á»` for `ộ`).
_GARBLE = ("\ufffd", "Ã", "Ä‘", "Ä\u0090", "á»", "áº", "Æ°", "Æ¡", "Þ", "þ")
_GARBLE_MARK = re.compile("|".join(re.escape(mark) for mark in _GARBLE))  # any of them, in one search
TEXT_FIELDS = ("title", "sapo", "body_text", "category", "author_role", "source")


def field_health(article: Article, regions: Regions, dateline: Dateline, related_headings: list[int],
                 *, title_from_page: bool, encoding: str) -> tuple[list[str], list[str]]:
    """(missing field names, warnings explaining them)."""
    missing: list[str] = []
    warnings: list[str] = []
    if not title_from_page:
        missing.append("title")
        warnings.append("no element on the page shows the title: taken from the page's metadata")
    if article.published_at is None:
        missing.append("published_at")
        warnings.append("no publication date found on the page or in its metadata")
    if article.view_count is None and dateline.view_label_seen:
        missing.append("view_count")
        warnings.append("a view label stands beside the article but no count was read")
    if not article.body_text:
        paragraphs = sum(1 for line in regions.body + regions.head
                         if len(line.text) >= LONG_LINE and not line.is_link and line.text != article.sapo)
        if paragraphs:
            missing.append("body_text")
            warnings.append(f"the body came out empty although {paragraphs} paragraph(s) follow the headline")
    if related_headings and not article.related:
        missing.append("related")
        warnings.append("a `Tin khác` heading is on the page but no link under it was read")
    garbled = [name for name in TEXT_FIELDS if _garbled(getattr(article, name))]
    garbled += ["authors"] if any(_garbled(name) for name in article.authors) else []
    if garbled:
        missing.append("encoding")
        warnings.append(f"text looks mis-decoded (read as {encoding}) in: {', '.join(garbled)}")
    return missing, warnings


def _garbled(text: str | None) -> bool:
    return bool(text) and _GARBLE_MARK.search(text) is not None
