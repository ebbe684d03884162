"""The replica's articles as the crawl hands them to the archive: `PageFetch` values with their
`Article`, made from the model's truth (`Replica.expected`) instead of a parse of the page, so the
archive's tests and benchmarks get replica-shaped pages (bytes and fields) at the cost of rendering
alone. The page is the one the server would send (`Replica.render_article`); the `Article` is what a
correct parser reads from it, which is what the archive is given in a crawl.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from crawler import urls
from crawler.article import Article, Image, RelatedLink
from crawler.items import PageFetch
from crawler.replica.model import Replica

PARSER_VERSION = "replica-truth"  # what the fetches' articles say parsed them: the model, not a parser


def article_from_truth(truth: dict, parser_version: str = PARSER_VERSION) -> Article:
    """The `Article` a truth dict (`Article.to_dict()`'s shape) stands for. Its `body_html` is the
    body's paragraphs as `<p>` elements: the cleaned markup a parser keeps of a plain body."""
    paragraphs = [part for part in truth["body_text"].split("\n\n") if part]
    return Article(
        url=truth["url"], canonical_url=truth["canonical_url"], article_id=truth["article_id"],
        title=truth["title"], category=truth["category"],
        published_at=_datetime(truth["published_at"]), updated_at=_datetime(truth["updated_at"]),
        view_count=truth["view_count"], sapo=truth["sapo"], body_text=truth["body_text"],
        body_html="".join(f"<p>{escape(part, quote=False)}</p>" for part in paragraphs),
        authors=list(truth["authors"]), author_role=truth["author_role"], source=truth["source"],
        photo_credits=list(truth["photo_credits"]),
        images=[Image(**image) for image in truth["images"]],
        related=[RelatedLink(**link) for link in truth["related"]],
        parser_version=parser_version,
    )


def article_fetch(replica: Replica, article_id: int, fetched_at: datetime | None = None, *,
                  status: int | None = None, parser_version: str = PARSER_VERSION) -> PageFetch:
    """The fetch of one article's URL now: its page and `Article` when it is live, else the status a
    take-down answers with and no body. `fetched_at` defaults to the replica's clock; `status`
    replaces what the server would say (a 404 or 5xx on purpose), with no body."""
    url = replica.url_for(article_id)
    fetched_at = fetched_at or replica.now()
    identity = urls.identity_of(url)
    answer = replica.status(article_id) if status is None else status
    if answer != 200:
        return PageFetch(requested_url=url, url=url, status=answer, fetched_at=fetched_at, identity=identity)
    page = replica.render_article(article_id)
    headers = {name.lower(): value for name, value in page.headers.items()}
    return PageFetch(requested_url=url, url=url, status=200, fetched_at=fetched_at, headers=headers,
                     body=page.body, article=article_from_truth(replica.expected(article_id), parser_version),
                     identity=identity)


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
