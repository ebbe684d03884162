"""The article parser: response bytes + URL (+ headers) -> `Article`.

Every field is found by what a reader sees — the headline, the line under it, the densest run of
paragraphs, the short lines that close the article — with page metadata as a cross-check and each
site generation's selectors as a first try only. See the modules for each concern:
`encoding` (bytes -> document), `metadata`, `headline` (title, category), `dateline` (dates,
views), `content` + `body` (body, images, sapo, byline), `related`, `classify` (not an article).
"""

from __future__ import annotations

from crawler.article import Article, NotAnArticle
from crawler.parsing.body import assemble_body
from crawler.parsing.byline import parse_byline
from crawler.parsing.labels import is_chrome
from crawler.parsing.classify import refuse_by_content, refuse_by_title, refuse_by_url
from crawler.parsing.content import BodyWalker, choose_container, read_after_title
from crawler.parsing.dateline import read_dateline
from crawler.parsing.encoding import parse_document
from crawler.parsing.generations import generation_for
from crawler.parsing.headline import find_category, find_title
from crawler.parsing.markup import link_text_length, text_of
from crawler.parsing.metadata import read_metadata
from crawler.parsing.related import collect_related, read_after_body
from crawler.parsing.text import fold, normalize
from crawler.parsing.urls import article_id, canonical_url

# Bump whenever the output for the same input changes (the archive keeps versions by it).
PARSER_VERSION = "1.0.0"

__all__ = ["PARSER_VERSION", "parse_article", "NotAnArticle"]


def parse_article(body: bytes, url: str, headers: dict | None = None) -> Article:
    """Parse one article page. Raises `NotAnArticle` for listings, search, error and home pages."""
    if not body or not body.strip():
        raise NotAnArticle("empty response body")
    doc, _encoding = parse_document(body, headers)
    if doc is None:
        raise NotAnArticle("the response holds no HTML document")
    meta = read_metadata(doc)
    refuse_by_url(url, meta)
    generation = generation_for(url)

    title_element, title = find_title(doc, meta, generation.title_candidates(doc))
    if title_element is None:
        refuse_by_title(None, meta, 0)

    reading = read_after_title(title_element)
    container = choose_container(reading, generation.marks_body)
    blocks = BodyWalker(container, title_element, url).walk() if container is not None else []
    external_lead = _lead_outside(reading.first_long_block, container, meta.description)
    content = assemble_body(blocks, url, external_lead=external_lead, description=meta.description)
    body_chars = len(content.text) + len(content.sapo or "")
    refuse_by_title(title, meta, body_chars)
    refuse_by_content(title, body_chars, len(content.images), content.listing_links, meta)

    after_body = read_after_body(container if container is not None else title_element)
    dateline = read_dateline(title_element, reading.zone, meta, after_body.view_label_texts)
    canonical = canonical_url(url, meta.canonical)
    byline = content.byline or parse_byline(after_body.first_lines, allow_caps=False)  # an author block below
    authors = byline.authors if byline else []
    if not authors and not (byline and byline.source):
        authors = [a for a in meta.authors if fold(a) not in _SITE_NAMES]
    return Article(
        url=url,
        canonical_url=canonical,
        article_id=article_id(url) or article_id(canonical),
        title=title,
        category=find_category(title_element, meta, url),
        published_at=dateline.published_at,
        updated_at=dateline.updated_at,
        view_count=dateline.view_count,
        sapo=content.sapo,
        body_text=content.text,
        body_html=content.html,
        authors=list(authors),
        author_role=byline.role if byline else None,
        source=byline.source if byline else None,
        photo_credits=content.photo_credits,
        images=content.images,
        related=collect_related(content.related_headings + after_body.related_headings, url, canonical),
        raw={"date": dateline.raw_date, "views": dateline.raw_views},
        warnings=dateline.warnings,
        parser_version=PARSER_VERSION,
    )


def _lead_outside(block, container, description: str | None) -> str | None:
    """The lead when it sits in its own element between the headline and the body block."""
    if block is None or container is None or block is container or container in set(block.iterancestors()):
        return None
    text = normalize(text_of(block))
    if len(text) < 60 or is_chrome(text) or link_text_length(block) > 0.3 * len(text):
        return None
    if container in set(block.iterdescendants()):
        return None
    return text


from crawler.parsing.vocabulary import VOCABULARY as _VOCABULARY  # noqa: E402

_SITE_NAMES = _VOCABULARY.site_names
