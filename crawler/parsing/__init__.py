"""The article parser: response bytes + URL (+ headers) -> `Article`.

Every field is found by what a reader sees — the headline, the line under it, the densest run of
paragraphs, the short lines that close the article — with page metadata as a cross-check and each
site generation's selectors as a first try only. See the modules for each concern:
`encoding` (bytes -> document), `metadata`, `headline` (title, category), `dateline` (dates,
views), `content` + `body` (body, images, sapo, byline), `related`, `classify` (not an article).
"""

from __future__ import annotations

from crawler.article import Article, NotAnArticle
from crawler.parsing.body import Body, assemble_body
from crawler.parsing.byline import Byline, parse_byline, parse_byline_line, starts_with_role
from crawler.parsing.classify import refuse_by_content, refuse_by_title, refuse_by_url
from crawler.parsing.content import BodyWalker, Reading, choose_container, lead_outside, read_after_title
from crawler.parsing.dateline import read_dateline
from crawler.parsing.encoding import parse_document
from crawler.parsing.generations import generation_for
from crawler.parsing.headline import find_category, find_title
from crawler.parsing.labels import is_chrome
from crawler.parsing.metadata import PageMetadata, read_metadata
from crawler.parsing.related import collect_related, read_after_body
from crawler.parsing.markup import text_of
from crawler.parsing.text import fold, normalize
from crawler.parsing.urls import article_id, canonical_url
from crawler.parsing.vocabulary import VOCABULARY

# Bump whenever the output for the same input changes (the archive keeps versions by it).
PARSER_VERSION = "1.2.0"

__all__ = ["PARSER_VERSION", "parse_article", "NotAnArticle"]


def parse_article(body: bytes, url: str, headers: dict | None = None) -> Article:
    """Parse one article page. Raises `NotAnArticle` for listings, search, error and home pages."""
    if not body or not body.strip():
        raise NotAnArticle("empty response body")
    if b"\x00" in body[:4096]:  # HTML never holds NUL bytes; databases, images and archives do
        raise NotAnArticle("binary data, not an HTML page")
    doc, _encoding = parse_document(body, headers)
    if doc is None:
        raise NotAnArticle("the response holds no HTML document")
    meta = read_metadata(doc)
    refuse_by_url(url, meta)
    generation = generation_for(url)

    title_element, title = find_title(doc, meta, generation.title_candidates(doc))
    # A title the metadata states but no element shows: read the body from the top of the page,
    # without a line under the headline (the first texts there are the page header's).
    anchor = title_element if title_element is not None else doc.find("head")
    if title is None or anchor is None:
        refuse_by_title(None, meta, 0)

    reading = read_after_title(anchor)
    if title_element is None:
        reading.zone = []
    container = choose_container(reading, generation.marks_body)
    blocks = BodyWalker(container, title_element, url).walk() if container is not None else []
    external_lead = lead_outside(reading.first_long_block, container)
    content = assemble_body(blocks, url, external_lead=external_lead, description=meta.description)
    body_chars = len(content.text) + len(content.sapo or "")
    refuse_by_title(title, meta, body_chars)
    refuse_by_content(title, body_chars, len(content.images), content.listing_links, reading.teasers, meta)

    after_body = read_after_body(container if container is not None else anchor)
    dateline = read_dateline(title_element, reading.zone, meta, content.furniture + after_body.first_lines,
                             after_body.view_label_texts)
    canonical = canonical_url(url, meta.canonical)
    byline, photo_credits = _byline(content, after_body.first_lines, reading, meta)
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
        authors=byline.authors,
        author_role=byline.role,
        source=byline.source,
        photo_credits=photo_credits,
        images=content.images,
        related=collect_related(content.related_headings + after_body.related_headings, url, canonical),
        raw={"date": dateline.raw_date, "views": dateline.raw_views},
        warnings=dateline.warnings + _body_warnings(content, reading) + (
            [] if title_element is not None else
            ["no element on the page shows the title: taken from the page's metadata"]),
        parser_version=PARSER_VERSION,
    )


def _body_warnings(content: Body, reading: Reading) -> list[str]:
    """An empty body is never silent when paragraphs (not the lead, not a photo's caption) follow
    the headline."""
    if content.text:
        return []
    seen = [fold(text) for text in [content.sapo or ""] + [image.caption or "" for image in content.images] if text]
    paragraphs = 0
    for block in reading.lead_blocks:
        text = fold(normalize(text_of(block)))
        if text and not any(known in text or text in known for known in seen):
            paragraphs += 1
    if not paragraphs:
        return []
    return [f"the body came out empty although {paragraphs} paragraph(s) follow the headline"]


def _byline_above(zone: list[str], unlinked_at: list[int]) -> Byline | None:
    """An author named in the line under the headline (`Mùa A Vảng` / `Ủy viên …`), dates and
    counters aside; `unlinked_at`: the positions in `zone` of the texts outside links."""
    for position in unlinked_at:
        line = zone[position]
        if any(ch.isdigit() for ch in line) or is_chrome(line) or fold(line) in VOCABULARY.site_names:
            continue
        byline = parse_byline_line(line, allow_caps=False)
        if byline is not None and (byline.authors or byline.source):
            # The role is the text right after the name, and opens with a role word: a line further
            # on (past the date, a photo's caption `Bác sĩ … thăm khám`) is not the author's.
            following = zone[position + 1] if position + 1 < len(zone) else ""
            if byline.authors and byline.role is None and starts_with_role(following):
                byline.role = following
            return byline
    return None


def _byline(content: Body, lines_below: list[str], reading: Reading,
            meta: PageMetadata) -> tuple[Byline, list[str]]:
    """The byline closing the body, else an author block right below it, else one in the line under
    the headline, else the metadata's author (never the paper's own name); and the photo credits
    with the byline's own."""
    photo_credits = list(content.photo_credits)
    byline = content.byline or parse_byline(lines_below, allow_caps=False) or _byline_above(reading.zone, reading.zone_unlinked_at)
    if byline is not None and byline is not content.byline:
        photo_credits += [name for name in byline.photo_credits if name not in photo_credits]
    byline = byline or Byline()
    if not byline.authors and not byline.source:
        byline.authors = [name for name in meta.authors if fold(name) not in VOCABULARY.site_names]
    return byline, photo_credits
