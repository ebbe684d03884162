"""Where the article is among the page's lines: the headline, the lines around it, the body's run.

A reader finds the headline, then reads on: a few short lines (dates, a counter, an author, a
category), the lead, the paragraphs, until something says the article is over — the comments, the
tags, an other-news heading, the footer. Before the headline, the short lines back to the site's
menu or a sidebar belong to the article too (a category label, a dateline set above the title).
Each boundary is recognised by what the line says or is (a menu is a row of many section links, a
sidebar a heading over teasers), never by counting elements from the headline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.parsing.byline import looks_like_name, parse_byline_line, starts_with_role
from crawler.parsing.dates import find_datetime
from crawler.parsing.labels import has_lead_mark, is_chrome, is_footer, is_share_row
from crawler.parsing.lines import Line
from crawler.parsing.markup import text_of
from crawler.parsing.metaline import is_meta_line
from crawler.parsing.text import REPEATED_TITLE, fold, has_digit, normalize, shared_run
from crawler.parsing.urls import OwnPage, looks_like_article_link, looks_like_listing_link

LONG_LINE = 60  # characters of a line that may open the article's text
SHORT_LEAD = 30  # ... or this many, when its type sets it apart as the lead
PROSE_LINE = 100  # a line this long is a paragraph: no meta line, label or name is
MENU_LINKS = 5  # section links in one row or list: the site's menu, not a breadcrumb
ABOVE_REACH = 12  # lines a reader looks back over from the headline before meeting the page's header
PHOTO_LINES = 2  # a photo's caption and credit may stand between it and the first paragraph
GOES_ON = 150  # characters of a paragraph after an other-news box that show the body goes on
BOX_HEADING_MAX = 40  # characters of a box's heading
TEASER_LEVELS = 3  # how far up from a line its teaser's link may sit
TEASER_MAX = 500  # characters: a teaser block is small ...
TEASER_CHILDREN = 8  # ... and has few children (thumbnail, title, date, lead)
PROSE_AROUND_LINK = 60  # characters of text beside a link in its own element: a sentence, no teaser's date
DATE_LINK_MAX = 80  # characters of a link that is a date and nothing else
BYLINE_MAX = 80  # characters of a byline line that closes the article after its own list
SHARE_BUTTON_MAX = 20  # characters of a print or share button's text


@dataclass
class Regions:
    lines: list[Line]
    title_at: int | None  # the headline's line
    above: list[Line] = field(default_factory=list)  # short lines just before the headline, nearest last
    head: list[Line] = field(default_factory=list)  # lines between the headline and the body's first paragraph
    body: list[Line] = field(default_factory=list)  # from the first paragraph to the end of the article
    after: list[Line] = field(default_factory=list)  # what follows the article's end
    teasers_before_body: int = 0  # other articles' teasers met between headline and body
    page: OwnPage | None = None  # the page's own addresses (a permalink is no other article's link)


def find_regions(lines: list[Line], base_url: str, description: str | None = None,
                 canonical: str | None = None) -> Regions:
    """`description`: the page's stated summary (og:description), which a short lead may repeat."""
    title_at = next((line.index for line in lines if line.is_title), None)
    regions = Regions(lines, title_at, page=OwnPage(base_url, canonical))
    start = 0 if title_at is None else title_at + 1
    if title_at is not None:
        regions.above = _above(lines, title_at, regions.page)
    body_at = _body_start(lines, start, regions, fold(description) if description else None)
    if body_at is None:
        regions.head = lines[start:]
        return regions
    body_at = _with_opening_photos(lines, start, _with_short_openings(lines, start, body_at))
    end = _body_end(lines, body_at, regions.page)
    if title_at is None:
        # No headline on the page: the reader anchors on the first paragraph instead, and what
        # stands right before it is read as the lines around a headline are.
        regions.above = _above(lines, body_at, regions.page)
        start = body_at
    regions.head = lines[start:body_at]
    regions.body = lines[body_at:end]
    regions.after = lines[end:]
    return regions


def is_teaser(line: Line, page: OwnPage | None = None) -> bool:
    """A line inside a small block that links to an article: another article's teaser (its
    title, date, lead or counter), never a piece of this one (a permalink to `page` is no teaser's)."""
    if line.teaser is None:
        line.teaser = _in_teaser(line.block, page)
    return line.teaser


def _links_elsewhere(a, page: OwnPage | None) -> bool:
    href = a.get("href") or ""
    if not looks_like_article_link(href) or (page is not None and page.is_linked_by(href)):
        return False
    raw = a.text or "" if not len(a) else text_of(a)
    if has_digit(raw) and is_date_link(normalize(raw)):
        return False  # (a title without digits is no date)
    if len(raw) <= SHARE_BUTTON_MAX and is_share_row(normalize(raw)):
        return False  # (`In`, `Email`: a button, whatever its address looks like)
    return not _in_prose(a)


def _in_prose(a) -> bool:
    """A link inside running text (`ĐBP - Thực hiện <a>Chỉ thị số 12</a>, UBND tỉnh …`): the words
    around it stand in its own element, where a teaser's date, counter or lead stands apart or is short."""
    parent = a.getparent()
    if parent is None:
        return False
    around = (parent.text or "") + "".join(child.tail or "" for child in parent)
    return len(around.strip()) >= PROSE_AROUND_LINK


def is_other_article(href: str, text: str, page: OwnPage | None) -> bool:
    """A link to an article that is not this page: a permalink leads back to it, and a link whose
    text is a bare date (`posted-on`) names no other article, wherever it leads."""
    return looks_like_article_link(href) and not (page is not None and page.is_linked_by(href)) \
        and not is_date_link(text)


def is_date_link(text: str) -> bool:
    """A link's (normalised) text that is a date and nothing else: `01/12/2026`, `Thứ 3, 24/06/2025 10:15`."""
    if not text or len(text) > DATE_LINK_MAX or not has_digit(text):
        return False
    found = find_datetime(text)
    return found is not None and len(text) - len(found.raw) <= 3


def _in_teaser(element, page: OwnPage | None) -> bool:
    asked = None  # the child of `element` whose links the level below has asked already
    for _ in range(TEASER_LEVELS):
        if element is None or element.tag in ("body", "html") or len(element) > TEASER_CHILDREN:
            return False
        if len(text_of(element)) > TEASER_MAX:
            return False
        for part in ((element,) if asked is None else [child for child in element if child is not asked]):
            if any(_links_elsewhere(a, page) for a in part.iter("a")):
                return not _body_around_a_box(element, page)
        if asked is not None and element.tag == "a" and _links_elsewhere(element, page):
            return True
        asked, element = element, element.getparent()
    return False


def is_menu(lines: list[Line], at: int, base_url: str) -> bool:
    """The line is part of a row or list of many section links (the site's menu)."""
    line = lines[at]
    if not line.raw_links:
        return False
    if len(line.raw_links) >= MENU_LINKS and _listing_links(line, base_url) >= MENU_LINKS:
        return True
    if not line.is_link or len(line.raw_links) != 1:
        return False  # a row of links is judged by itself: a breadcrumb beside a menu is no menu
    # Items of one menu, one link each: link lines side by side, of one kind (`li`s, `td`s), under
    # one parent.
    parent = line.block.getparent() if line.block is not None else None
    count = 0
    for step in (-1, 1):
        index = at if step == 1 else at - 1
        while 0 <= index < len(lines):
            other = lines[index]
            # (`is_link` last: it normalises the line's texts, which the other tests do not need)
            if len(other.raw_links) != 1 or other.block is None or other.block.getparent() is not parent \
                    or other.tag != line.tag or not other.is_link:
                break
            count += _listing_links(other, base_url)
            if count >= MENU_LINKS:
                return True  # enough to tell a menu: the rest of it changes nothing
            index += step
    return False


def _listing_links(line: Line, base_url: str) -> int:
    """Section links in the line, counted up to MENU_LINKS (enough to tell a menu)."""
    count = 0
    for href, _ in line.raw_links:
        if looks_like_listing_link(href, base_url):
            count += 1
            if count >= MENU_LINKS:
                break
    return count


def _above(lines: list[Line], anchor: int, page: OwnPage) -> list[Line]:
    """The short lines a reader takes in just before `anchor` (the headline), back to the menu, a
    sidebar or a paragraph."""
    found: list[Line] = []
    headline = fold(lines[anchor].text) if lines[anchor].is_title else None
    for index in range(anchor - 1, max(-1, anchor - 1 - ABOVE_REACH), -1):
        line = lines[index]
        if line.image is not None:
            continue
        # A long line is a paragraph, unless it is a meta line or repeats the headline (a breadcrumb
        # ending in the title, or in its first words).
        long = len(line.text) >= PROSE_LINE and not is_meta_line(line) \
            and not (headline and line.raw_links and shared_run(headline, fold(line.text)) >= REPEATED_TITLE)
        if long or line.heading_kind is not None or is_footer(line.text):
            break
        if is_menu(lines, index, page.url) or is_teaser(line, page):
            break
        found.append(line)
    found.reverse()
    return found


def _body_start(lines: list[Line], start: int, regions: Regions, described: str | None) -> int | None:
    """The first paragraph under the headline: a long line of the article's own text (the lead's
    mark makes any line long), not a teaser, a row of links, a dateline or an author's role line."""
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text
        if not text or line.furniture or (len(text) < LONG_LINE and not has_lead_mark(text)
                                          and not _styled_lead(line) and fold(text) != described):
            continue
        if line.link_share > 0.3 or is_chrome(text) or is_footer(text) or line.heading_kind is not None:
            continue
        if index > start and starts_with_role(text) and looks_like_name(lines[index - 1].text):
            continue  # `Tỉnh ủy viên, Bí thư …` under an author's name
        if parse_byline_line(text) is not None:
            continue  # `Lỳ Lỳ Xá, Tỉnh ủy viên, Bí thư …`: the author on one line
        if is_meta_line(line):
            continue
        if is_teaser(line, regions.page):
            regions.teasers_before_body += 1
            continue
        return index
    return None


def _styled_lead(line: Line) -> bool:
    """A short lead set apart by its type (all bold, all italic, a subheading) — not a name."""
    return len(line.text) >= SHORT_LEAD and (line.bold or line.italic or line.heading >= 2) \
        and not looks_like_name(line.text) and parse_byline_line(line.text) is None


def _with_short_openings(lines: list[Line], start: int, body_at: int) -> int:
    """A short first paragraph in the same block of paragraphs as the first long one is the body's
    (`Sáng nay, huyện tổ chức bàn giao nhà.`), unless it is a name, a date or furniture."""
    holder = lines[body_at].block.getparent() if lines[body_at].block is not None else None
    while body_at > start and holder is not None:
        line = lines[body_at - 1]
        if line.block is None or line.block.getparent() is not holder or line.block is holder:
            break
        text = line.text
        if not text or line.links or line.heading or is_chrome(text) or line.heading_kind is not None \
                or looks_like_name(text) or parse_byline_line(text) is not None or starts_with_role(text) \
                or find_datetime(text) is not None:
            break
        body_at -= 1
    return body_at


def _with_opening_photos(lines: list[Line], start: int, body_at: int) -> int:
    """A photo opening the body, with its caption and credit lines (short: no paragraph), belongs
    to the body."""
    moved = True
    while moved:
        moved = False
        for back in range(1, PHOTO_LINES + 2):
            at = body_at - back
            if at < start:
                break
            line = lines[at]
            if line.image is not None:
                if not line.furniture:
                    body_at, moved = at, True
                break
            if not line.text or line.is_link or len(line.text) >= PROSE_LINE * 4 or is_chrome(line.text):
                break
    return body_at


def _body_end(lines: list[Line], body_at: int, page: OwnPage) -> int:
    """The first line that closes the article: comments, tags, an automatic feed, the footer, or an
    other-news heading — unless the body goes on after that list (a `Tin liên quan` box inside it)."""
    index = body_at + 1
    while index < len(lines):
        line = lines[index]
        kind = line.heading_kind
        if kind is None and _heads_a_list_of_articles(lines, index, page):
            kind = "box"  # a heading the vocabulary does not know, over teasers: a box of other news
        if kind in ("related", "box") and _goes_on_after(lines, index, body_at, page):
            index += 1
            continue
        if kind is not None or is_footer(line.text):
            return index
        index += 1
    return len(lines)


def _heads_a_list_of_articles(lines: list[Line], at: int, page: OwnPage) -> bool:
    """A short heading (a heading element, or a bold line) with no link of its own, right over a line
    of links to articles: the heading of a box of other news (`Xem nhiều nhất`, `Tin nóng`)."""
    line = lines[at]
    if not line.raw or line.raw_links or len(line.text) > BOX_HEADING_MAX or not (line.heading or line.bold):
        return False
    following = next((other for other in lines[at + 1:at + 3] if other.raw), None)
    # (`In Email` under a closing byline: buttons, whatever their links look like, are no list)
    return following is not None and following.is_link and not is_share_row(following.text) and any(
        is_other_article(href, text, page) for href, text in following.links)


def _goes_on_after(lines: list[Line], at: int, body_at: int, page: OwnPage) -> bool:
    """The body goes on after the box headed at `at`: a long paragraph follows it, or the first
    paragraph after it is set as the body's paragraphs before it are."""
    return _long_paragraph_after(lines, at) or _paragraphs_resume_after(lines, at, body_at, page)


def _long_paragraph_after(lines: list[Line], at: int) -> bool:
    for line in lines[at + 1:]:
        if line.heading_kind is not None:
            return False
        if len(line.text) >= GOES_ON and line.link_share < 0.1 and not line.furniture:
            return True
    return False


def _paragraphs_resume_after(lines: list[Line], at: int, body_at: int, page: OwnPage) -> bool:
    """A reader sees the article go on when the first paragraph after the box (past its links, a
    photo, a caption) stands where the body's paragraphs stand: an element like theirs, inside the
    container that holds them all and the box too — however short it is, and however many wrappers
    (sections, one-cell tables) a CMS puts around groups of them. A sidebar's or a comment's text
    sits elsewhere, or after a heading or the footer."""
    heading = lines[at].block
    if heading is None:
        return False
    for line in lines[at + 1:]:
        if line.heading_kind is not None or is_footer(line.text):
            return False
        byline = _closing_byline(line)
        if not byline and not _is_paragraph(line):
            continue
        if line.tag in ("figcaption", "caption") or lines[line.index - 1].image is not None \
                or among_box_items(line.block, heading, page):
            continue  # (a photo's or a video's caption is no paragraph)
        earlier = [other.block for other in lines[body_at:at] if _is_paragraph(other)]
        if not byline and not any(block.tag == line.block.tag for block in earlier):
            return False
        container = _paragraphs_container(earlier[::-1])
        holding_heading = set(heading.iterancestors())
        while container is not None and container not in holding_heading:
            container = container.getparent()  # (the box may stand in the next of the CMS's sections)
        return container is not None and container.tag not in ("body", "html") \
            and (any(up is container for up in line.block.iterancestors()) or _in_next_section(line.block, container))
    return False


def _in_next_section(block, container) -> bool:
    """`block` stands in the wrapper right after `container`, one like it (the same element and the
    same class, a class there is: bare `<div>`s beside each other are as often a comment beside the
    body): the CMS's next section of the body, where the text goes on after a box that closed the
    one before (past a photo or a video standing between the two)."""
    following = container.getnext()
    while following is not None and following.tag != container.tag and _holds_media(following):
        following = following.getnext()
    if following is None or not container.get("class") or following.tag != container.tag \
            or following.get("class") != container.get("class"):
        return False
    return following is block or any(up is following for up in block.iterancestors())


def _holds_media(element) -> bool:
    """A photo's or a video's block (`<figure>`, a `<div>` around an `<img>`): no text of the body's."""
    return element.tag == "figure" or any(True for _ in element.iter("img", "video", "iframe", "amp-img"))


def _closing_byline(line: Line) -> bool:
    """A short line, no list item nor print or share words, that names the authors or the source
    (`Thanh Hùng`, `<a>Thanh Hùng</a>`, `Theo TTXVN`): an article's container may close with it after
    its own list, and then the article goes on to it."""
    if line.block is None or line.furniture or not 0 < len(line.text) <= BYLINE_MAX or line.list_item \
            or is_chrome(line.text):
        return False
    byline = parse_byline_line(line.text)
    return byline is not None and bool(byline.authors or byline.source)


def _paragraphs_container(blocks: list):
    """The element holding the paragraphs nearest before a box, widened to the earlier ones while it
    stays below the page's body (a lead set apart above the body's container stays out): the
    container of the body's paragraphs. `blocks` is nearest first."""
    container = blocks[0].getparent() if blocks else None
    if container is None or container.tag in ("body", "html"):
        return None
    ancestors = [container, *container.iterancestors()]
    depth = 0  # (index into `ancestors` of the lowest one holding the paragraphs so far)
    for block in blocks[1:]:
        held = set(ancestors[depth:])
        up = block.getparent()
        while up is not None and up not in held:
            up = up.getparent()
        if up is None or up.tag in ("body", "html"):
            break
        depth = ancestors.index(up, depth)
    return ancestors[depth]


def _body_around_a_box(element, page: OwnPage | None) -> bool:
    """`element` holds a paragraph of prose (a run of text of its own, in a `<p>` or between line
    breaks) and links to two articles or more: a brief's body around its `Tin liên quan` box, small
    as a teaser is, not another article's teaser (a teaser names one article, however often it
    links it)."""
    if len({a.get("href") for a in element.iter("a") if _links_elsewhere(a, page)}) < 2:
        return False
    return any(len((run or "").strip()) >= GOES_ON
               for block in element.iter("p", "div") for run in (block.text, *(child.tail for child in block)))


def among_box_items(element, heading, page: OwnPage | None) -> bool:
    """Text of an item under a box's `heading` (a teaser's lead or date): in a small block linking to
    another article that does not hold the heading (the body's own block around the box does)."""
    for _ in range(TEASER_LEVELS):
        if element is None or element.tag in ("body", "html") \
                or any(up is element for up in heading.iterancestors()):
            return False
        if any(_links_elsewhere(a, page) for a in element.iter("a")):
            return True
        element = element.getparent()
    return False


def _is_paragraph(line: Line) -> bool:
    return line.block is not None and len(line.text) >= LONG_LINE and line.link_share < 0.1 and not line.furniture

