"""Other-news lists: the links under a `Tin khác` / `Tin liên quan` / `Tin cùng chuyên mục` heading.

Headings are looked for where a reader meets them: inside the body (a related box the body reader
set aside) and in the stretch of page after the body (comments, other news), never across the whole
page, which keeps sidebars out and the cost down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from crawler.article import RelatedLink
from crawler.parsing.byline import is_role_line
from crawler.parsing.content import paragraph_block
from crawler.parsing.labels import HEADING_MAX, has_view_label, heading_kind, is_chrome
from crawler.parsing.markup import text_of
from crawler.parsing.text import fold, normalize
from crawler.parsing.urls import absolute, without_fragment
from crawler.parsing.vocabulary import VOCABULARY

_LINKED_HEADING_MAX = 30  # a heading may be a link (`Tin khác` to its category), but a short one
# The elements after the body that hold some text of their own, in document order, among the first
# 180 (a related list sits within a comment form or two of the body's end); links with a long text
# (other articles' titles) are left in libxml2, where testing them costs a fraction of what handing
# them to Python would.
_AFTER_BODY = etree.XPath(
    f"following::*[position() <= 180][text()[normalize-space()]][not(self::a) or string-length() <= {_LINKED_HEADING_MAX}]"
)
_SKIPPED_PARENTS = frozenset(("script", "style", "noscript", "option", "textarea"))
_MAX_CLIMB = 4


BYLINE_LINES = 3  # short texts right below the body that may be an author block
_BYLINE_REACH = 8  # ... found among the first few elements after it
_ROLE_MAX = 150  # characters of an author's role line under the name


@dataclass
class AfterBody:
    related_headings: list = field(default_factory=list)  # heading elements, in order
    view_label_texts: list[str] = field(default_factory=list)  # `Lượt xem: 5717` found below the body
    first_lines: list[str] = field(default_factory=list)  # the first short texts below the body


def read_after_body(anchor) -> AfterBody:
    """Related headings, view counters and the first lines (a possible author block) in the stretch
    of page after `anchor` (the body block)."""
    found = AfterBody()
    elements = _AFTER_BODY(anchor)
    collecting = True  # the author block's place ends at a heading, a paragraph or a few elements in
    for index, element in enumerate(elements):
        raw = element.text
        if not raw or element.tag in _SKIPPED_PARENTS or raw.isspace():
            continue
        collecting = collecting and index < _BYLINE_REACH
        # Raw length first (decomposed accents lengthen a raw heading by a third at most).
        text = normalize(raw) if len(raw) <= HEADING_MAX + 30 else ""
        if not text or len(text) > HEADING_MAX:
            # Too long for a heading or a name; under a name it may still be the author's role line
            # (`Tỉnh ủy viên, Bí thư Đảng ủy Khối …` runs past sixty characters).
            if collecting and found.first_lines and len(raw) <= _ROLE_MAX * 2 \
                    and not _in_link(element) and is_role_line(text or normalize(raw)):
                found.first_lines.append(text or normalize(raw))
                collecting = len(found.first_lines) < BYLINE_LINES
            else:
                collecting = False
            continue
        kind = heading_kind(text)
        if kind == "related":
            block = paragraph_block(element)
            if block is not None:
                found.related_headings.append(block)
        elif kind is None and has_view_label(text):
            following = [normalize(e.text) for e in elements[index + 1:index + 3] if e.text]
            found.view_label_texts.append(" ".join([text] + following))
        if kind is not None:
            collecting = False
        elif collecting and not _in_link(element) and not is_chrome(text):
            # Links are left out: a row of tags (`Mường Nhé`) looks like names but credits no one.
            found.first_lines.append(text)
            collecting = len(found.first_lines) < BYLINE_LINES
    return found


def _in_link(element) -> bool:
    return element.tag == "a" or element.getparent().tag == "a"


def collect_related(headings: list, page_url: str, canonical: str) -> list[RelatedLink]:
    """The links listed under each heading, absolute, in order, without duplicates or the page itself."""
    links: list[RelatedLink] = []
    index_of: dict[str, int] = {}
    skip = {without_fragment(page_url), canonical}
    for heading in headings:
        for href, title in _links_after(heading):
            url = without_fragment(absolute(href, page_url))
            if url in skip:
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


def _links_after(heading):
    """The links that follow the heading inside its nearest enclosing block that has any."""
    block = heading
    for _ in range(_MAX_CLIMB):
        parent = block.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        block = parent
        found = list(_anchors_after(block, heading))
        if found:
            return found
    return []


def _anchors_after(block, heading):
    past_heading = False
    heading_links = set(heading.iter("a"))
    for element in block.iter():
        if element is heading:
            past_heading = True
            continue
        if not past_heading or element.tag != "a" or element in heading_links:
            continue
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        title = normalize(text_of(element)) or normalize(element.get("title"))
        if fold(title) in VOCABULARY.more_links:
            continue
        yield href, title
