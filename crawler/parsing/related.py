"""The article's other-news list: the links under its `Tin khác` heading.

Wherever the heading stands — under the body, after any number of comments, inside the body as a
`Tin liên quan` box, as a heading of its own or a bold label sharing a block with its links — the
list is the links that follow it, up to the next heading or label or the first line of text that is
no link. Automatic feeds (`Tin cùng chuyên mục`, `Đọc nhiều`) are other headings: their links are
never the article's.
"""

from __future__ import annotations

import re

from urllib.parse import urlsplit

from crawler.article import RelatedLink
from crawler.parsing.labels import is_share_row
from crawler.parsing.lines import Line, may_be_label
from crawler.parsing.byline import parse_byline_line
from crawler.parsing.regions import BYLINE_MAX, among_box_items, is_teaser
from crawler.parsing.text import fold, has_digit
from crawler.parsing.urls import absolute, looks_like_article_link, without_fragment
from crawler.parsing.vocabulary import VOCABULARY

# A list item's mark typed into its link (`• Mường Chà …`, `» …`): no part of the title.
_BULLET = re.compile(r"^(?:[•·▪▫■□●○◦►▸»›]+\s*|[-–+*]+\s+)")
_NAVIGATION = re.compile(r"^[«‹<\s]*(?:" + "|".join(re.escape(w) for w in VOCABULARY.navigation) + r")(?!\w)", re.IGNORECASE)
ITEM_TEXT_MAX = 30  # characters of text outside links an item of the list may hold (a date, a count)


def related_headings(lines: list[Line], start: int) -> list[int]:
    """Positions of the other-news headings after `start` (the headline's line)."""
    return [line.index for line in lines[start:]
            if line.raw and may_be_label(line.raw) and line.heading_kind == "related"]


def collect_related(lines: list[Line], headings: list[int], page_url: str, canonical: str) -> list[RelatedLink]:
    """The links listed under each heading, absolute, in order, without duplicates or the page itself."""
    links: list[RelatedLink] = []
    index_of: dict[str, int] = {}
    skip = {without_fragment(page_url), canonical}
    for at in headings:
        for href, title in _links_under(lines, at):
            url = without_fragment(absolute(href, page_url))
            if not url or url in skip or not _is_url(url):
                continue
            if url in index_of:
                # A thumbnail link first, its titled twin second: keep the title.
                position = index_of[url]
                if not links[position].title and title:
                    links[position] = RelatedLink(url, title)
                continue
            index_of[url] = len(links)
            links.append(RelatedLink(url, title))
    return [link for link in links if link.title]


def _is_url(url: str) -> bool:
    """`http://[oops/` is a link on the page but no address: nothing to archive or follow."""
    if url.isascii() and "[" not in url and "]" not in url:
        return True  # (what `urlsplit` refuses is a bracket out of place or a non-ASCII host)
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _is_item(line: Line, heading) -> bool:
    """A teaser's text under the heading; not the body going on beside a box inside it."""
    return is_teaser(line) and (heading is None or among_box_items(line.block, heading, None))


def _names_its_authors(line: Line) -> bool:
    """A byline whose every link is one of its names, and none an article's address: a portrait's
    headline can be a bare name (`Lò Văn Mừng`), but a byline links to the author's page."""
    if len(line.text) > BYLINE_MAX or any(looks_like_article_link(href) for href, _ in line.links):
        return False
    byline = parse_byline_line(line.text)
    return byline is not None and bool(byline.authors) and all(title in byline.authors for _, title in line.links)


def _links_under(lines: list[Line], at: int):
    heading = lines[at].block
    for line in lines[at + 1:]:
        if line.image is not None:
            if line.image_href:
                yield line.image_href, ""
            continue
        text = line.text
        if not text:
            continue
        if line.heading_kind is not None or (line.heading and not line.links):
            return  # the next heading: another list
        if _NAVIGATION.match(text):
            return  # `Bài trước: …`: the links to the previous and next articles, no list of related ones
        outside = len(text) - line.link_chars
        if not line.links:
            # An item's date or count has digits; other text standing alone is the next list's
            # heading, or no list at all.
            if (outside > ITEM_TEXT_MAX or not has_digit(text)) and not _is_item(line, heading):
                return
            continue
        if outside > ITEM_TEXT_MAX and line.link_share < 0.5 and not _is_item(line, heading):
            return
        if _names_its_authors(line):
            return  # `<a href="/tac-gia/…">Thanh Hùng</a>` closing the article after its list: no item of it
        if is_share_row(text):
            return  # `Facebook Zalo`: the share row after the list, its links to the sharers no items
        for href, title in line.links:
            if not href or href.startswith(("#", "javascript:", "mailto:")) or fold(title) in VOCABULARY.more_links:
                continue
            yield href, _BULLET.sub("", title)
