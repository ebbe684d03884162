"""What recording a fetch computes from the fetch alone, before any read of the archive: the body's
sha256, the article's editorial fingerprint and the values of its version row (JSON fields, the
markup compressed against the text, the folded `search_text`). Half a fetch's CPU in the write path.

`prepare` is a pure function of the fetch, so another process can run it: a bulk load or a crawl
prepares fetches in worker processes and hands `PreparedFetch` values to `Archive.record_fetches`,
whose single writer then only decides and writes. `record_fetch` and `record_fetches` prepare a
plain `PageFetch` themselves, with this same code: there is one way to make these values.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.article import Article
from crawler.items import PageFetch

from archive import search
from archive.captures import body_sha256, compact_json
from archive.compression import compress_markup
from archive.fingerprint import fingerprint
from archive.times import to_iso_or_none

# The columns of a `versions` row that come from the parsed article alone, in `version_values` order.
VERSION_COLUMNS = ("parser_version", "url", "canonical_url", "title", "category", "published_at", "updated_at",
                   "authors", "author_role", "source", "sapo", "photo_credits", "images", "related", "raw",
                   "warnings", "body_text", "body_html_zstd", "search_text")


@dataclass(frozen=True)
class PreparedFetch:
    """A fetch with what `prepare` computed from it."""

    fetch: PageFetch
    body_sha256: str | None  # None when the fetch has no body
    fingerprint: str | None  # of `fetch.article`; None without one
    version_values: tuple | None  # `VERSION_COLUMNS` of `fetch.article`; None: not made (yet)


def prepare(fetch: PageFetch, *, version: bool = True) -> PreparedFetch:
    """`version=False` leaves out the version row's values, which only a new version needs: the writer
    then makes them if it makes one (an unchanged article, the usual recrawl, needs none)."""
    article = fetch.article
    return PreparedFetch(fetch, body_sha256(fetch.body), fingerprint(article) if article is not None else None,
                         version_values(article) if article is not None and version else None)


def prepared(item: PageFetch | PreparedFetch) -> PreparedFetch:
    """What the writer works from: `item` as prepared elsewhere, or prepared here, as far as every fetch needs."""
    return item if isinstance(item, PreparedFetch) else prepare(item, version=False)


def version_values(article: Article) -> tuple:
    """The article's `VERSION_COLUMNS`, as the archive stores them."""
    authors = compact_json(article.authors)
    return (
        article.parser_version, article.url, article.canonical_url, article.title, article.category,
        to_iso_or_none(article.published_at), to_iso_or_none(article.updated_at),
        authors, article.author_role, article.source, article.sapo, compact_json(article.photo_credits),
        # `Image` and `RelatedLink` as `dataclasses.asdict` gives them, without its deep copies
        compact_json([{"src": image.src, "caption": image.caption, "credit": image.credit} for image in article.images]),
        compact_json([{"url": link.url, "title": link.title} for link in article.related]),
        compact_json(article.raw), compact_json(article.warnings), article.body_text,
        compress_markup(article.body_html, article.body_text),
        search.dyet_words(article.title, article.sapo, article.body_text, authors, article.category),
    )
