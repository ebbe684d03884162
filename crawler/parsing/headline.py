"""The title and the category: the visible headline, checked against metadata; the section the
lines beside it name."""

from __future__ import annotations

import re

from lxml import etree

from crawler.parsing.metadata import PageMetadata
from crawler.parsing.byline import is_prefixed_byline, looks_like_name, parse_byline_line
from crawler.parsing.dates import find_datetime
from crawler.parsing.labels import has_lead_mark, label_key
from crawler.parsing.lines import BLOCK_TAGS
from crawler.parsing.markup import text_of
from crawler.parsing.metaline import META_PIECES, is_meta_line, linked_section
from crawler.parsing.regions import Regions
from crawler.parsing.text import REPEATED_TITLE, fold, has_digit, normalize, shared_run
from crawler.parsing.urls import category_slug, is_home_link, looks_like_listing_link
from crawler.parsing.vocabulary import VOCABULARY

_H1 = etree.XPath("//h1")
# Where there is no <h1>: text nodes holding a piece of the title the metadata states. The piece is
# the title's longest ASCII run, which reads the same whether the page writes `Đ` or `Ð`, composed
# or decomposed accents (the document is not normalised); candidates are verified after `normalize`.
_TEXT_CONTAINING = etree.XPath("//body//text()[contains(., $piece)]")
_LONG_TEXTS = etree.XPath("//body//text()[string-length() > 8]")
_ASCII_RUN = re.compile(r"[ -~]+")
# A union of name tests: the same with `self::` tests in one predicate costs ten times more.
_EMPHASIS = etree.XPath("//h2 | //h3 | //h4 | //b | //strong | //font")
# The texts just before the headline (the position test first: libxml2 then looks at those only).


def site_title(meta: PageMetadata, site_names: frozenset[str] = VOCABULARY.site_names) -> str | None:
    """The title the page states in metadata: og:title, JSON-LD headline, or <title> without the
    site's name; none that is only a name of the site (`site_names`, folded)."""
    for candidate in (meta.title, meta.headline):
        if candidate and fold(candidate) not in site_names:
            return strip_site_name(candidate)
    if meta.html_title:
        stripped = strip_site_name(meta.html_title)
        if stripped and fold(stripped) not in site_names:
            return stripped
    return None


def page_site_names(doc, meta: PageMetadata) -> frozenset[str]:
    """The site's names (folded): the vocabulary's, the one its metadata gives (`og:site_name`), and
    what its logo says — the title or image text of a link to the home page (`<a href="/"
    title="Báo Hòa Bình điện tử"><img alt="…">`), as a reader reads the masthead."""
    names = set(VOCABULARY.site_names)
    if meta.site_name:
        names.add(fold(meta.site_name))
    for link in _HOME_LINKS(doc)[:_HOME_LINKS_READ]:
        if is_home_link(link.get("href") or "", _ANY_SITE):
            names.update(fold(text) for text in [link.get("title")] + [img.get("alt") for img in link.iter("img")]
                         if text and text.strip())
    return frozenset(names)


_HOME_LINKS = etree.XPath("//body//a[@href][@title or img]")
_HOME_LINKS_READ = 20  # links with a title or an image looked at for the logo (it comes early)
_ANY_SITE = "http://site.invalid/"  # a home link is one by its path, whatever the host
# (Type set big where a page has no heading elements for it, `<font size="4"><b>…`, as pages of the
# 2000s set a headline: `size` 4 to 7, or raised, `+1`.)
_SECOND_HEADINGS = etree.XPath(
    "//body//h2 | //body//h3 | //body//font[number(@size) >= 4 or starts-with(normalize-space(@size), '+')]")


def strip_site_name(title: str) -> str:
    """`Đổi mới … - Báo Điện Biên Phủ` -> `Đổi mới …` (only a site name is cut, never a title's own dash)."""
    title = normalize(title)
    changed = True
    while changed:
        changed = False
        for separator in VOCABULARY.title_separators:
            head, sep, tail = title.rpartition(separator)
            if sep and head and fold(tail) in VOCABULARY.site_names:
                title, changed = head.strip(), True
            head, sep, tail = title.partition(separator)
            if sep and tail and fold(head) in VOCABULARY.site_names:
                title, changed = tail.strip(), True
    return title


def find_title(doc, meta: PageMetadata, nominated: list) -> tuple[object | None, str | None, bool]:
    """(the headline element, its text, whether it is only a guess by the headings' rank). The
    element anchors everything read after it."""
    site_names = VOCABULARY.site_names
    stated = site_title(meta)
    headings = [(h, normalize(text_of(h))) for h in _H1(doc)]
    headings = [(h, t) for h, t in headings if t and fold(t) not in site_names]
    found = _heading_stating(nominated, headings, stated)
    if found is None and stated is not None:
        # No headline states it: perhaps it is what the page calls itself (its logo, og:site_name),
        # which a footer repeats. (Asked only now: a banner linking home may repeat the headline.)
        unmasked = site_title(meta, page_site_names(doc, meta))
        if unmasked != stated:
            stated = unmasked
            found = _heading_stating(nominated, headings, stated)
    if found is not None:
        return (*found, False)
    named_by_title_tag = stated is not None and not _stated_by_metadata(meta)
    sections = _section_link_texts(doc) if named_by_title_tag else frozenset()
    # Only `<title>` states it, and it is short or the menu's words: a section's name (`Báo Điện
    # Biên Phủ - Văn hóa - Du lịch`), which a label may read but no headline shares.
    words = None if named_by_title_tag and (len(stated) < _TITLE_PART_MIN or fold(stated) in sections) else stated
    if words is not None:
        for part in _title_parts(words):
            if fold(part) in sections:
                continue  # (`Báo Điện Biên Phủ - Văn hóa - Du lịch`: the menu's word, not the article's)
            element = _element_reading(doc, part)
            if element is not None:
                # What reads a piece of the title may be a section's label (`Văn hóa - Du lịch -
                # Di tích …` in `<title>`) or the breadcrumb's crumb repeating a shortened one: a
                # heading sharing more of the title, or as much where no heading reads it, is the headline.
                heading, shared = _heading_overlapping(doc, words)
                if heading is not None and heading is not element \
                        and (shared > len(part) or _heading_rank(element) >= _NO_HEADING):
                    element = heading
                return element, normalize(text_of(element)), False
    if headings:
        return (*max(headings, key=lambda pair: len(pair[1])), False)
    if words is not None:
        element, _ = _heading_overlapping(doc, words)
        if element is not None:
            return element, normalize(text_of(element)), False
    if stated is None or named_by_title_tag:
        # A `<title>` that nothing on the page reads names the site and a section (`Bao Dien Bien
        # Phu - Tin tuc`), not the article: the headline is what the page sets apart.
        element = _second_rank_headline(doc)
        if element is not None:
            return element, normalize(text_of(element)), True
    return None, stated, False


def _section_link_texts(doc) -> frozenset[str]:
    """The words (folded) under which links on the page lead to a section's page (the menu's, a
    breadcrumb's)."""
    return frozenset(fold(normalize(text_of(link))) for link in _LINKS(doc)
                     if looks_like_listing_link(link.get("href") or "", _ANY_SITE))


_LINKS = etree.XPath("//body//a[@href]")


def _stated_by_metadata(meta: PageMetadata) -> bool:
    """og:title or JSON-LD's headline names the article (not only `<title>`)."""
    return any(candidate and fold(candidate) not in VOCABULARY.site_names for candidate in (meta.title, meta.headline))


def _heading_stating(nominated: list, headings: list, stated: str | None):
    """(element, text) of a generation's candidate that agrees with the stated title (any, when none
    is stated), else of an `<h1>` that does; None when none does."""
    stated_key = fold(stated) if stated else None
    for element in nominated:
        text = normalize(text_of(element))
        if text and fold(text) not in VOCABULARY.site_names and (stated_key is None or _agrees(fold(text), stated_key)):
            return element, text
    if stated_key:
        for element, text in headings:
            if _agrees(fold(text), stated_key):
                return element, text
    return None


def _heading_overlapping(doc, stated: str) -> tuple[object | None, int]:
    """(the heading, how many characters of the stated title it shares in one run): the `<h1>`–`<h4>`
    (or the element microdata calls the headline) that shares most of it when no heading reads it
    whole, as `<title>` may shorten the headline or put a place or a section before it (`Hà Giang:
    Trao nhà …` over `Trao nhà … xã Lũng Cú`). Never a link (a teaser's title may share words too)."""
    stated_key = fold(stated)
    best, best_size = None, 0
    for element in _HEADLINE_CANDIDATES(doc):
        text = normalize(text_of(element))
        if not _headline_shaped(element, text):
            continue
        text_key = fold(text)
        size = shared_run(text_key, stated_key)
        if size >= REPEATED_TITLE and size >= _OVERLAP_SHARE * min(len(text_key), len(stated_key)) and size > best_size:
            best, best_size = element, size
    return best, best_size


_HEADLINE_CANDIDATES = etree.XPath(
    "//body//h1 | //body//h2 | //body//h3 | //body//h4 | //body//*[@itemprop='headline'][not(self::meta)]")
_OVERLAP_SHARE = 0.5  # of the shorter of the heading and the stated title, shared in one run at least


def _second_rank_headline(doc):
    """No <h1> reads as one and the metadata names only the site (or a section): the first `<h2>`/
    `<h3>` or big type that reads as a headline (`_headline_like`) over an article's worth of text
    (not links: a box of teasers is none) before the next such, else the one over the most (a
    section's name or a promotion over the headline heads none). The reader trusts it only on a
    dated page (`reader`)."""
    candidates = _headline_like(_SECOND_HEADINGS(doc))
    if not candidates:
        return None
    in_links = set(_IN_LINKS(doc))
    current = None
    for element in doc.iter():
        if element in candidates:
            current = element
            continue
        if current is None or not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
            continue
        if element not in in_links:
            candidates[current] += len((element.text or "").strip()) + len((element.tail or "").strip())
        elif element.tag == "a":
            candidates[current] += len((element.tail or "").strip())  # (after the link: outside it)
    # The first that heads an article's worth of text: a subheading further down may head more.
    heading = next((element for element, text in candidates.items() if text >= _HEADED_TEXT), None)
    return heading if heading is not None else max(candidates, key=candidates.get)


_IN_LINKS = etree.XPath("//body//a | //body//a//*")
_HEADED_TEXT = 300  # characters under a heading that make it the headline of what follows


def _headline_like(elements) -> dict:
    """{element: 0} for those that read as a headline (`_headline_shaped`) and head no box."""
    candidates = {}
    for element in elements:
        text = normalize(text_of(element))
        if _headline_shaped(element, text) and label_key(text) not in VOCABULARY.end_headings:
            candidates[element] = 0
    return candidates


def _headline_shaped(element, text: str) -> bool:
    """Long enough, no site's name, no link to another page, and no sentence: a lead set as a
    heading opens with the paper's mark or closes with a full stop, a headline does neither."""
    return len(text) >= _TITLE_PART_MIN and fold(text) not in VOCABULARY.site_names and not _links_away(element) \
        and not has_lead_mark(text) and not text.endswith(".")


_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def _links_away(element) -> bool:
    """A heading that is a link, or holds one (`<h3><a href="…">a teaser's title</a></h3>`)."""
    return _inside_link(element) or any(True for _ in element.iter("a"))


def _title_parts(stated: str) -> list[str]:
    """The stated title, then its pieces between separators, longest first: `<title>` may name the
    section or a site the vocabulary does not know beside the headline (`Kinh tế - Đổi mới …`)."""
    parts = []
    for separator in VOCABULARY.title_separators:
        pieces = stated.split(separator)
        for cut in range(1, len(pieces)):  # (a title's own dash stays: `… nhiệm kỳ 2020 - 2025`)
            parts += [separator.join(pieces[:cut]).strip(), separator.join(pieces[cut:]).strip()]
    return [stated] + sorted((p for p in set(parts) if len(p) >= _TITLE_PART_MIN), key=len, reverse=True)


_TITLE_PART_MIN = 15  # characters: a piece of <title> shorter than this is a section's or a site's name


def _element_reading(doc, title: str):
    """The element whose whole text is `title` (a heading before a link, the first before later).

    Emphasis and minor headings are tried first: one walk with tag tests only, which costs a
    fraction of a text search over the whole page."""
    key = fold(title)
    linked = None  # (a heading that links, perhaps to the page itself, only when no other reads the title)
    for element in _EMPHASIS(doc):
        raw = text_of(element)
        if abs(len(raw) - len(title)) <= len(title) // 2 + 10 and fold(raw) == key and not _inside_link(element):
            if not _links_away(element):
                return element
            linked = linked if linked is not None else element
    runs = _ASCII_RUN.findall(title)
    piece = max(runs, key=len) if runs else ""
    nodes = _TEXT_CONTAINING(doc, piece=piece) if len(piece.strip()) >= 4 else _LONG_TEXTS(doc)
    matches = []
    for node in nodes:
        element = node.getparent()
        if node.is_tail:
            element = element.getparent()
        for _ in range(3):  # the text may sit in <b>/<font> inside the titled cell
            if element is None or element.tag in ("body", "html"):
                break
            raw = text_of(element)
            if len(raw) > 2 * len(title) + 40:
                break  # ancestors only grow: this text holds more than a title
            if fold(raw) == key:
                matches.append(element)
                break
            element = element.getparent()
    # A headline is no link to another page; one holding a link (`<h3><a>`) is a teaser's title
    # repeating the headline's words, or a permalink, when nothing else reads it.
    matches = [m for m in matches if not _inside_link(m)]
    if matches:
        return min(matches, key=lambda m: (_links_away(m), _heading_rank(m)))
    return linked


def _agrees(text_key: str, stated_key: str) -> bool:
    return text_key == stated_key or (len(stated_key) >= 20 and (stated_key in text_key or text_key in stated_key))


def _inside_link(element) -> bool:
    return element.tag == "a" or any(a.tag == "a" for a in element.iterancestors())


def _heading_rank(element) -> int:
    """Headings first, then an element that is a whole block of its own (a titled cell, `<p><b>…`),
    then a piece of a longer line (the breadcrumb's last crumb repeating the title)."""
    rank = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}.get(element.tag)
    if rank is not None:
        return rank
    parent = element.getparent()
    if element.tag in BLOCK_TAGS or parent is None or normalize(text_of(parent)) == normalize(text_of(element)):
        return _NO_HEADING
    return _NO_HEADING + 1


_NO_HEADING = 4  # the rank of a block that is no heading


def find_category(regions: Regions, meta: PageMetadata, base_url: str, title: str | None) -> str | None:
    """The section a reader is told the article belongs to: the JSON-LD breadcrumb, else the
    breadcrumb or section link beside the headline, else an unlinked section label there (a name the
    site's menu lists), else `article:section`, else the menu's entry for the URL's own section.
    Never a menu: the lines beside the headline stop at the menu (`regions`)."""
    title_key = fold(title) if title else None
    crumbs = [name for name, _ in meta.breadcrumbs if fold(name) not in VOCABULARY.home_words]
    crumbs = [c for c in crumbs if fold(c) != title_key]
    if crumbs:
        return crumbs[-1]
    above = len(regions.above)
    for position, line in enumerate(regions.above[::-1] + regions.head):
        if not line.text or (len(line.text) > _LABEL_MAX * 3
                             and not (title_key and shared_run(title_key, fold(line.text)) >= REPEATED_TITLE)):
            continue  # (a breadcrumb may end in a long title, or the first words of one)
        if line.links:
            listed = [text for href, text in line.links
                      if text and looks_like_listing_link(href, base_url)
                      and fold(text) not in VOCABULARY.home_words and fold(text) != title_key]
            if not listed or (is_meta_line(line) and not is_section_name(regions.lines, listed[-1])):
                continue  # (`<a>Hoàng Châu</a> | <a>Đức Anh</a> | Lượt xem: 802`: authors beside a counter, no trail)
            # A breadcrumb shows its trail (a home link, separators); a lone section link names a
            # section the site's menu lists, or stands alone over the headline and reads as no
            # person's name (an author's page link is no section); a line naming authors
            # (`Tác giả: <a>…</a>`) is neither, however the menu's cells look.
            if (_is_trail(line) or is_section_name(regions.lines, listed[-1])
                    or (position < above and _lone_section_link(line, listed))) and not _names_authors(line.text):
                return listed[-1]
        elif len(line.text) <= _LABEL_MAX and fold(line.text) != title_key \
                and is_section_name(regions.lines, line.text):
            return line.text  # an unlinked section label
    labelled = _labelled_section(regions, base_url) or _introduced_section(regions, base_url)
    if labelled:
        return labelled
    if meta.section:
        return meta.section
    slug = category_slug(base_url)
    if slug:
        for line in regions.lines:
            for href, text in line.links:
                if text and slug in _segments(href) and fold(text) not in VOCABULARY.home_words \
                        and looks_like_listing_link(href, base_url):
                    return text
    return None


def _lone_section_link(line, listed: list[str]) -> bool:
    """`<div class="cat"><a href="/chinhtri">Chính trị</a></div>` over the headline: a line that is one
    section link and nothing else, whose text is no name (`Hoàng Lan`) nor a byline."""
    return len(line.links) == 1 and len(listed) == 1 and line.is_link and len(listed[0]) <= _LABEL_MAX \
        and not looks_like_name(listed[0]) and parse_byline_line(listed[0], allow_caps=False) is None


def _labelled_section(regions: Regions, base_url: str) -> str | None:
    """`Chuyên mục: <a>Du lịch</a>` under the article: the section link its label heads, in the
    label's own block (a sidebar's `Chuyên mục` heading over the site's sections is a block apart)."""
    lines = regions.lines
    for line in regions.body + regions.after[:_LABELLED_REACH]:
        if line.heading_kind != "end" or label_key(line.text) not in VOCABULARY.category_labels:
            continue
        following = lines[line.index + 1] if line.index + 1 < len(lines) else None
        if following is None or following.block is not line.block or not 1 <= len(following.links) <= 2:
            continue
        listed = [text for href, text in following.links if text and looks_like_listing_link(href, base_url)]
        if listed and len(listed[0]) <= _LABEL_MAX:
            return listed[0]
    return None


def _introduced_section(regions: Regions, base_url: str) -> str | None:
    """`14/02/2019 trong <a>Giáo dục</a>` on the meta line by the headline: the section's link a word
    introduces (`trong`, `Đăng trong`), which no menu need list (a teaser's line in a widget after
    the article names its own)."""
    for line in regions.above + regions.head:
        section = linked_section(line) if line.raw_links else None
        if section and is_meta_line(line) and any(text == section and looks_like_listing_link(href, base_url) for href, text in line.links):
            return section
    return None


_LABELLED_REACH = 40  # lines after the article's end a section label may stand in (tags, share bars first)
_LABEL_MAX = 60
_TRAIL_MARKS = ("›", "»", ">", "/", "→", "|")


def _segments(href: str) -> list[str]:
    """The path's segments (`/tin-tuc/xa-hoi/` -> tin-tuc, xa-hoi): a slug matches one whole."""
    path = href.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    return [segment for segment in path.split("/") if segment]


def _is_trail(line) -> bool:
    if any(fold(text) in VOCABULARY.home_words or href in ("/", "./") for href, text in line.links):
        return True
    # A trail's separators stand between its crumbs, not inside a link's text (a permalinked
    # `01/12/2026` beside an author's link is no trail).
    between = line.text
    for _, text in line.links:
        between = between.replace(text, " ", 1) if text else between
    if has_digit(between) and find_datetime(between) is not None:
        return False  # a meta line (`19/11/2020 | bởi <a>…</a>, <a>…</a>`): dates hold slashes
    return len(line.links) >= 2 and any(mark in between for mark in _TRAIL_MARKS) or (
        len(line.links) == 1 and any(f" {mark} " in between for mark in _TRAIL_MARKS))


def _names_authors(text: str) -> bool:
    """A labelled byline on the line or one of its pieces (`<a>16:32 24/01/2019</a> | Tác giả: <a>…</a>`,
    `bởi <a>…</a>`)."""
    return any(is_prefixed_byline(piece.strip()) for piece in META_PIECES.split(text))


def is_section_name(lines, text: str) -> bool:
    """Whether the site's menus list `text`: a link text of a row or list of links. Only link texts
    of about the same length are normalised to compare (a page has hundreds of links)."""
    key, length = fold(text), len(text)
    for line in lines:
        raw_links = line.raw_links
        if not raw_links or not (len(raw_links) >= 5 or line.list_item or line.tag in ("td", "th")):
            continue
        for _, raw in raw_links:
            if abs(len(raw.strip()) - length) <= length // 2 + 2 and fold(raw) == key:
                return True
    return False
