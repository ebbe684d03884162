"""`parse_article`: the steps the package docstring (`crawler.parsing`) describes, in order."""

from __future__ import annotations

from crawler.article import Article, NotAnArticle
from crawler.parsing.body import Body, assemble_body
from crawler.parsing.byline import Byline, parse_byline_line, posted_by, starts_with_role
from crawler.parsing.classify import refuse_by_content, refuse_by_title, refuse_by_url
from crawler.parsing.counts import OTHER_COUNT, find_view_count
from crawler.parsing.dateline import read_dateline
from crawler.parsing.dates import find_datetimes
from crawler.parsing.metaline import META_PIECES, RELATIVE_TIME, is_meta_line, labelled_byline
from crawler.parsing.encoding import is_wide_unicode, parse_document
from crawler.parsing.generations import generation_for
from crawler.parsing.headline import find_category, find_title, is_section_name
from crawler.parsing.health import field_health
from crawler.parsing.labels import is_chrome
from crawler.parsing.lines import read_lines
from crawler.parsing.metadata import PageMetadata, read_metadata
from crawler.parsing.regions import Regions, find_regions
from crawler.parsing.related import collect_related, related_headings
from crawler.parsing.text import fold, has_digit
from crawler.parsing.urls import (article_id, canonical_url, is_home_link, looks_like_article_link,
                                   looks_like_listing_link)
from crawler.parsing import PARSER_VERSION
from crawler.parsing.vocabulary import VOCABULARY


def parse_article(body: bytes, url: str, headers: dict | None = None) -> Article:
    """Parse one article page. Raises `NotAnArticle` for listings, search, error and home pages."""
    if not body or body.isspace():  # (isspace: strip() would copy the page)
        raise NotAnArticle("empty response body")
    if b"\x00" in body[:4096] and not is_wide_unicode(body, headers):
        # (HTML never holds NUL bytes, save as UTF-16's high bytes; databases, images and archives do.)
        raise NotAnArticle("binary data, not an HTML page")
    doc, encoding = parse_document(body, headers)
    if doc is None:
        raise NotAnArticle("the response holds no HTML document")
    meta = read_metadata(doc)
    refuse_by_url(url, meta)
    generation = generation_for(url)

    title_element, title, guessed = find_title(doc, meta, generation.title_candidates(doc))
    if title is None:
        refuse_by_title(None, meta, 0)
    lines = read_lines(doc, title_element)
    regions = find_regions(lines, url, meta.description, meta.canonical)
    content = assemble_body(regions.body, url, meta.description)
    body_chars = len(content.text) + len(content.sapo or "")
    refuse_by_title(title, meta, body_chars)
    dateline = read_dateline(regions, meta)
    dated_article = dateline.published_at is not None and not dateline.published_apart and (
        meta.page_type == "article" or looks_like_article_link(url))
    refuse_by_content(title, body_chars, len(content.images), content.listing_links,
                      regions.teasers_before_body, meta, dated_article)

    if guessed and dateline.published_at is None:
        raise NotAnArticle("no headline found on the page")  # (an about page, a soft 404: no date either)
    canonical = canonical_url(url, meta.canonical)
    byline, photo_credits = _byline(content, regions, meta)
    headings = related_headings(lines, regions.title_at or 0)
    article = Article(
        url=url,
        canonical_url=canonical,
        article_id=article_id(url) or article_id(canonical),
        title=title,
        category=find_category(regions, meta, url, title),
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
        related=collect_related(lines, headings, url, canonical),
        raw={"date": dateline.raw_date, "views": dateline.raw_views},
        warnings=list(dateline.warnings),
        parser_version=PARSER_VERSION,
    )
    missing, warnings = field_health(article, regions, dateline, headings, title_from_page=title_element is not None,
                                     encoding=encoding)
    article.missing = missing
    article.warnings += warnings
    return article


def _byline_near_title(regions: Regions) -> Byline | None:
    """An author named beside the headline (`Mùa A Vảng` / `Ủy viên …`): a name-shaped line that is
    no date, counter, section label or site name; its role is the line right after it when it opens
    with a role word."""
    near = regions.head + regions.above[::-1]
    for line in near:
        text = line.text
        if has_digit(text) or is_chrome(text) or fold(text) in VOCABULARY.site_names \
                or len(text) > 120:
            continue
        if line.raw_links and (is_section_name(regions.lines, text)
                               or (regions.page is not None
                                   and all(is_home_link(href, regions.page.url) or looks_like_listing_link(href, regions.page.url)
                                           for href, _ in line.raw_links))):
            continue  # a section's link beside the headline credits no one (a menu's `Video`), nor the logo's
        # (`Hoàng Yến | In bài`: the print and share words beside the names are furniture)
        pieces = META_PIECES.split(text)
        named = text if not any(is_chrome(piece) for piece in pieces) else \
            " | ".join(piece for piece in pieces if piece and not is_chrome(piece))
        byline = parse_byline_line(labelled_byline(text) or named, allow_caps=False) if named else None
        if byline is not None and (byline.authors or byline.source):
            after = line.index + 1
            following = regions.lines[after].text if after < len(regions.lines) else ""
            if byline.authors and byline.role is None and starts_with_role(following):
                byline.role = following
            return byline
    return None


def _byline_on_meta_line(regions: Regions) -> Byline | None:
    """`08:33 17/08/2020 | Tác giả: Thanh Hà | Lượt xem: 532`: the author named on the meta line,
    wherever the meta line stands."""
    for text in _meta_texts(regions):
        for piece in META_PIECES.split(text):
            byline = parse_byline_line(piece.strip(), allow_caps=False) if ":" in piece else None
            if byline is not None and byline.authors:
                return byline
            names = posted_by(piece)  # `01/12/2026 bởi Ngọc Ánh`
            if names:
                return Byline(authors=names)
    return None


def _names_alone_on_meta_line(regions: Regions) -> Byline | None:
    """Names standing alone in a piece of the meta line beside the date (`Quàng Tuấn | 14:20 -
    05/11/2026`), that are no section and no site: asked last, after the metadata's author, since a
    place (`Hà Nội | 14:20 …`) is written the same way."""
    for text in _meta_texts(regions):
        for piece in META_PIECES.split(text):
            piece = piece.strip(" ,")
            if not piece or has_digit(piece) or is_chrome(piece) or fold(piece) in VOCABULARY.site_names \
                    or is_section_name(regions.lines, piece):
                continue
            byline = parse_byline_line(piece, allow_caps=False)
            if byline is not None and byline.authors and not byline.role and not byline.source:
                return byline
    return None


def _meta_texts(regions: Regions) -> list[str]:
    return [_without_dates_or_count(line.text) for line in regions.head + regions.above[::-1] + regions.body
            if line.text and is_meta_line(line)]


def _without_dates_or_count(text: str) -> str:
    """The meta line with each date (its clock, weekday and zone too), its counter's number and other
    counts (`3 bình luận`) cut out, as separators: the names glued to a clock (`Bài và ảnh: Ngọc Hà 12:30 | 05/11/2026`) or to
    a counter (`bởi Thu Hương 1.234 lượt xem`) stand alone."""
    for found in reversed(find_datetimes(text)):
        text = f"{text[:found.start]} | {text[found.end:]}"
    text = RELATIVE_TIME.sub(" | ", text)  # (`Quang Minh 2 giờ trước`)
    count = find_view_count(text) if has_digit(text) else None
    text = text.replace(count.raw, " | ", 1) if count is not None else text
    return OTHER_COUNT.sub(" | ", text) if has_digit(text) else text  # (`bởi <a>A</a> <a>3 bình luận</a>`)



def _byline(content: Body, regions: Regions, meta: PageMetadata) -> tuple[Byline, list[str]]:
    """The byline closing the body, else one beside the headline, else one labelled on the meta line,
    else the metadata's author (never the paper's own name), else names alone on the meta line; and
    the photo credits with the byline's own."""
    photo_credits = list(content.photo_credits)
    byline = content.byline or _byline_near_title(regions) or _byline_on_meta_line(regions)
    if byline is not None and byline is not content.byline:
        photo_credits += [name for name in byline.photo_credits if name not in photo_credits]
    byline = byline or Byline()
    if not byline.authors and not byline.source:
        byline.authors = [name for name in meta.authors if fold(name) not in VOCABULARY.site_names]
    if not byline.authors and not byline.source:
        byline = _names_alone_on_meta_line(regions) or byline
    return byline, photo_credits
