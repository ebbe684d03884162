"""The page as a reader sees it: a sequence of text lines in document order.

A line ends where a reader's eye starts a new one: at a block element's edge, at `<br>`, at a photo,
and around a bold label that names what follows (`<b>Tin khác:</b> <a>…</a>` reads as a heading and
its links). Each line carries what a reader notices about it — its text, the links in it and how much
of it they cover, whether it is all bold or italic, whether it is a heading, an image, a list item,
centred, inside the page's navigation or a form — and the element it came from, so the readers after
this one can ask where it sits when a reader would (a caption in its photo's frame).

Every later decision is taken on these lines: what a line *says* (a date, a counter, a byline, a
label) rather than where a template put it.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.parsing.labels import heading_kind, label_key
from crawler.parsing.markup import is_hidden, text_of
from crawler.parsing.text import normalize
from crawler.parsing.vocabulary import VOCABULARY

BLOCK_TAGS = frozenset(
    "p div section article main header footer table tbody thead tfoot tr td th ul ol li dl dt dd "
    "h1 h2 h3 h4 h5 h6 blockquote figure figcaption center pre hr address details summary "
    "aside nav caption fieldset form".split()
)
# Never read: scripts, styles, form controls, embedded widgets.
SKIPPED_TAGS = frozenset(
    "script style noscript template button input select option textarea iframe svg canvas object "
    "embed audio map area link meta head title".split()
)
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "form"))
# Blocks that change what the lines inside them are, besides their block: headings, list items,
# quotes, articles, furniture (and any block that sets an alignment, or the headline).
_STATE_TAGS = frozenset(HEADING_LEVELS) | FURNITURE_TAGS | {"li", "blockquote", "article"}
_BOLD = frozenset(("b", "strong"))
_ITALIC = frozenset(("em", "i"))
# First letters of the vocabulary's headings, as a page may type them (`Ð` for `Đ`, any case,
# decomposed): a cheap test before normalising an inline element's text.
_LABEL_INITIALS = frozenset(
    ch for label in VOCABULARY.end_headings for ch in {label[0], label[0].upper(), label[0].lower(),
                                                        unicodedata.normalize("NFD", label[0])[0],
                                                        unicodedata.normalize("NFD", label[0].upper())[0]}
) | {"\u00d0", "\u00f0", "»", "›", "-", "•", "*", "(", "["}
_LABELLING = frozenset(("b", "strong", "span", "em", "i", "u", "font", "label", "small"))
# Elements read in one step when they hold nothing but text (not `abbr`: its title may be a date).
_LEAF_INLINE = frozenset(("span", "strong", "b", "em", "i", "u", "font", "small", "sup", "sub", "mark", "cite", "q"))
_LEAF_BLOCKS = frozenset(("p", "div", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "figcaption",
                          "caption", "center", "address"))
# How the child loop reads each kind of element in one step, when it holds only text (a list: only items).
# Unread elements, photos and line breaks are handled there too, as `visit` would, without its call.
_LINK, _INLINE, _BLOCK, _LIST, _ITEM, _UNREAD, _PHOTO, _BREAK = 1, 2, 3, 4, 5, 6, 7, 8
_FAST = {"a": _LINK, **dict.fromkeys(_LEAF_INLINE, _INLINE), **dict.fromkeys(_LEAF_BLOCKS - {"li"}, _BLOCK),
         "ul": _LIST, "ol": _LIST, "li": _ITEM, **dict.fromkeys(SKIPPED_TAGS, _UNREAD), "img": _PHOTO, "amp-img": _PHOTO,
         "video": _PHOTO, "br": _BREAK}
_LABEL_MAX = 40  # characters: a bold label that heads a list is short
# pixels: an image declared smaller is an icon, an author's avatar or a thumbnail (a gallery's strip of
# them under its slides), part of the line it sits in and never an article's photo (those run 300 and up)
ICON_MAX = 120
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # a machine-readable date, as `<time datetime>` holds
_UNASKED = object()  # a cached answer not computed yet
_COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"  # Vietnamese tone and vowel marks


class Line:
    """One line of the page. Its text (and its links' texts) are normalised when first asked: most
    lines of a page are menus and footers nobody reads twice."""

    __slots__ = ("index", "raw", "block", "tag", "heading", "bold", "italic", "raw_links", "image", "image_href",
                 "times", "list_item", "quote", "centered", "furniture", "whole_block", "is_title",
                 "teaser", "meta", "_text", "_links", "_link_chars", "_kind")

    def __init__(self, index: int, raw: str, block, tag: str, heading: int, bold: bool, italic: bool,
                 raw_links: list, image, image_href: str | None, times: list, list_item: bool, quote: bool,
                 centered: bool, furniture: bool, is_title: bool):
        # Positional only: a page makes hundreds of lines, and keyword calls cost more.
        self.index = index
        self.raw = raw
        self.block = block  # the nearest block element holding the line
        self.tag = tag  # that element's tag
        self.heading = heading  # 1–6 inside <h1>–<h6>
        self.bold = bold  # all of its text bold
        self.italic = italic  # all of its text italic
        self.raw_links = raw_links  # (href, raw text) of the links in it
        self.image = image  # an <img> line: the element
        self.image_href = image_href  # the link around the image
        self.times = times  # `datetime` values of the <time> elements in it
        self.list_item = list_item
        self.quote = quote  # inside a <blockquote>
        self.centered = centered
        self.furniture = furniture  # inside nav/aside/footer/form
        self.whole_block = True  # the only line its block yields (its markup is the block's)
        self.is_title = is_title
        self.teaser = None  # whether it stands in another article's teaser (`regions.is_teaser`), once asked
        self.meta = None  # whether it is a meta line (`metaline.is_meta_line`), once asked
        self._text = self._links = self._link_chars = None
        self._kind = _UNASKED

    @property
    def text(self) -> str:
        """The line's text, normalised."""
        if self._text is None:
            self._text = normalize(self.raw)
        return self._text

    @property
    def heading_kind(self) -> str | None:
        """What heading of the vocabulary the line is (`labels.heading_kind` of its text), asked once:
        the passes over the lines (the article's end, its body, the related lists) all ask it."""
        if self._kind is _UNASKED:
            kind = heading_kind(self.text)
            if kind is not None and self.raw_links and label_key(self.text) in VOCABULARY.more_links:
                kind = None  # `<a>Xem thêm</a>`: a link to more of a list, no heading over one
            self._kind = kind
        return self._kind

    @property
    def links(self) -> list:
        """(href, normalised text) of the links in the line."""
        if self._links is None:
            self._links = [(href, normalize(text)) for href, text in self.raw_links]
        return self._links

    @property
    def link_chars(self) -> int:
        """Characters of its text inside links."""
        if self._link_chars is None:
            self._link_chars = min(sum(len(text) for _, text in self.links), len(self.text)) if self.raw_links else 0
        return self._link_chars

    @property
    def link_share(self) -> float:
        return self.link_chars / len(self.text) if self.raw_links and self.text else 0.0

    @property
    def is_link(self) -> bool:
        """A line that is (nearly) all link text: a menu item, a teaser title, a related link."""
        return bool(self.raw_links) and self.link_chars >= 0.8 * len(self.text)


class _Reader:
    def __init__(self, title) -> None:
        self.lines: list[Line] = []
        self.pieces: list[str] = []
        self.visible = self.bold_pieces = self.italic_pieces = 0  # counts of non-blank pieces
        self.links: list = []
        self.times: list = []
        self.title = title
        self.block = None
        self.block_tag = "body"
        self.heading = 0
        self.list_item = False
        self.quote = False
        self.centered = False
        self.furniture = False
        self.last_block = None  # the block of the last line emitted
        self.on_title = False
        # The headline's ancestors: a `<form>` or `<aside>` that holds the headline holds the article.
        self.holding_title = frozenset(title.iterancestors()) if title is not None else frozenset()
        self.in_article = False  # inside an <article> element
        self.cuts = 0  # how many times the current line was cut (a link's text spans no cut)
        # The address of a card's link (`<a href><div>thumb</div><div>title</div></a>`): every line
        # inside it links there.
        self.around_link: str | None = None

    def flush(self) -> None:
        pieces = self.pieces
        if not pieces:
            if self.links or self.times:
                self.links, self.times = [], []
            return
        raw = "".join(pieces)
        if raw.strip():
            visible = self.visible
            links = self.links
            if self.around_link is not None and not any(href == self.around_link for href, _ in links):
                links = links + [(self.around_link, raw.strip())]
            line = Line(len(self.lines), raw, self.block, self.block_tag, self.heading,
                        visible > 0 and self.bold_pieces == visible, visible > 0 and self.italic_pieces == visible,
                        links, None, None, self.times, self.list_item, self.quote, self.centered,
                        self.furniture, self.on_title)
            if self.block is self.last_block:
                line.whole_block = False
                for earlier in reversed(self.lines):
                    if earlier.block is not self.block:
                        break
                    earlier.whole_block = False
            self.last_block = self.block
            self.lines.append(line)
            self.links, self.times = [], []
        elif self.links or self.times:
            self.links, self.times = [], []
        self.pieces = []
        self.cuts += 1
        self.visible = self.bold_pieces = self.italic_pieces = 0

    def add(self, text: str, bold: bool, italic: bool) -> None:
        """One more piece of the current line. Two pieces glued with no space into a word that
        changes case mid-way (`Mùa A Vảng` + `Ủy viên …` in sibling elements reads `VảngỦy`) are
        two lines: no Vietnamese word does that."""
        pieces = self.pieces
        if not pieces and text.isspace():
            return  # blank before a line's first words is nothing
        if pieces and text[0].isupper():
            before = pieces[-1].rstrip(_COMBINING)  # a decomposed page ends `Hà` in a combining mark
            if before and before[-1].isalpha() and before[-1].islower():
                self.flush()
                pieces = self.pieces
        elif pieces and text[0].isdigit() and pieces[-1] and pieces[-1][-1].isdigit():
            pieces.append(" ")  # `<span>07:30</span><span>05/09/2024</span>`: CSS spaces them, so do we
        pieces.append(text)
        if not text.isspace():
            self.visible += 1
            self.bold_pieces += bold
            self.italic_pieces += italic

    def visit(self, element, bold: bool, italic: bool) -> None:
        tag = element.tag
        if tag.__class__ is not str:
            return  # a comment or processing instruction: only its tail is text (read by the caller)
        if tag in SKIPPED_TAGS:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img" or tag == "amp-img" or tag == "video":
            # (AMP pages draw their photos in <amp-img>. A video is a picture a reader sees, with a caption
            # under it like a photo's, though no photo: its fallback text is never shown.)
            self.image(element)
            return
        keys = element.keys()  # (one call: most elements have no attribute a reader notices)
        style = None
        if keys:
            if "style" in keys:
                style = element.get("style")
                if ("none" in style or "hidden" in style) and is_hidden(element):
                    return
            if "hidden" in keys or ("aria-hidden" in keys and element.get("aria-hidden") == "true"):
                return
        saved = state = None
        if tag in BLOCK_TAGS or element is self.title:
            if self.pieces or self.links or self.times:  # (else flush has nothing to do)
                self.flush()
            saved = (self.block, self.block_tag)
            self.block, self.block_tag = element, tag
            aligned = _alignment(element, tag, style) if style or tag == "center" or "align" in keys else None
            if tag in _STATE_TAGS or aligned is not None or element is self.title:
                # (Most blocks change nothing but the block: only these save and restore the rest.)
                state = (self.heading, self.list_item, self.quote, self.centered, self.furniture, self.on_title,
                         self.in_article)
                if tag in HEADING_LEVELS:
                    self.heading = HEADING_LEVELS[tag]
                if tag == "li":
                    self.list_item = True
                elif tag == "blockquote":
                    self.quote = True
                elif tag == "article":
                    self.in_article = True
                elif tag in FURNITURE_TAGS and not (tag == "footer" and self.in_article) \
                        and element not in self.holding_title and not (tag == "form" and _holds_a_page(element)):
                    # (An article's own footer holds its byline, and ASP.NET wraps the whole page, headline
                    # and all, in one `<form>`: neither is furniture.)
                    self.furniture = True
                if aligned is not None:
                    self.centered = aligned
                if element is self.title:
                    self.on_title = True
        label = False
        if tag in _LABELLING:
            if tag in _BOLD:
                bold = True
            elif tag in _ITALIC:
                italic = True
            if not self.visible and _may_be_label(element):
                label = True  # `<b>Tin khác:</b> <a>…</a>`: a label opening its block heads what follows
                self.flush()
        elif tag == "time":
            stamp = element.get("datetime")
            if stamp:
                self.times.append(stamp)
        elif tag == "abbr":  # hAtom's `<abbr class="published" title="2026-11-28T14:20:00+07:00">`
            stamp = element.get("title")
            if stamp and _ISO_DATE.match(stamp):  # (an `<abbr title="Ủy ban nhân dân">` is no time)
                self.times.append(stamp)
        if tag == "a":
            start, cuts, around = len(self.pieces), self.cuts, self.around_link
            href = element.get("href")
            if href is not None and _is_card(element):
                self.around_link = href.strip()
        text = element.text
        if text:
            opens = not self.visible
            self.add(text, bold, italic)
            if opens and len(element) and text.rstrip().endswith(":") and (saved is not None or tag in _LABELLING) \
                    and may_be_label(text) and heading_kind(normalize(text)) is not None:
                # `<div>Từ khóa: <a>…`, `<span>Chuyên mục: <a>…`: a label as an element's own text, opening
                # its line with its colon, heads what follows, as a bold one does.
                self.flush()
        for child in element:
            ctag = child.tag
            fast = _FAST.get(ctag)  # (None for a comment's or an entity's tag, a function: `visit` skips it)
            if fast is not None and fast >= _UNREAD:
                if fast == _PHOTO:
                    self.image(child)
                elif fast == _BREAK:
                    self.flush()
            elif fast is None or child.get("style") is not None or child is self.title:
                self.visit(child, bold, italic)
            elif fast <= _BLOCK and len(child):
                if fast != _BLOCK or len(child) != 1 or not self.link_line(child, ctag, bold, italic):
                    self.visit(child, bold, italic)
            elif fast == _LINK:
                # A link with nothing but text, the commonest element of a page: read here, in one step.
                inner = child.text
                if inner:
                    self.add(inner, bold, italic)
                href = child.get("href")
                if href is not None:
                    self.links.append((href.strip(), inner or ""))
            elif fast == _INLINE:
                # Emphasis or a span around plain text: its text, in one step (unless a label opens the line).
                inner = child.text
                if inner and not self.visible and may_be_label(inner):
                    self.visit(child, bold, italic)
                elif inner:
                    self.add(inner, bold or ctag in _BOLD, italic or ctag in _ITALIC)
            elif fast == _BLOCK:
                self.leaf_block(child, ctag, bold, italic)
            elif fast == _LIST:
                if not self.link_list(child, bold, italic):
                    self.visit(child, bold, italic)
            elif len(child) != 1 or not self.link_line(child, "li", bold, italic):  # _ITEM
                self.visit(child, bold, italic)
            tail = child.tail
            if tail and (self.pieces or not tail.isspace()):  # (a blank opening no line is nothing: `add`)
                self.add(tail, bold, italic)
        if tag == "a":
            self.around_link = around
            href = element.get("href")
            if href is not None:
                # The link's text is what was added since it opened (unless a block inside it cut the line).
                inner = "".join(self.pieces[start:]) if self.cuts == cuts else text_of(element)
                self.links.append((href.strip(), inner))
        if label:
            self.flush()
        if saved is not None:
            if self.pieces or self.links or self.times:
                self.flush()
            self.block, self.block_tag = saved
            if state is not None:
                (self.heading, self.list_item, self.quote, self.centered, self.furniture, self.on_title,
                 self.in_article) = state

    def leaf_block(self, element, tag: str, bold: bool, italic: bool) -> None:
        """A block holding nothing but text (`<p>…</p>`, `<td>…</td>`): one line, in one step."""
        keys = element.keys()
        if keys and ("hidden" in keys or ("aria-hidden" in keys and element.get("aria-hidden") == "true")):
            return
        if self.pieces or self.links or self.times:
            self.flush()
        text = element.text
        if text and not text.isspace():
            aligned = _alignment(element, tag, None) if "align" in keys or tag == "center" else None
            links = [] if self.around_link is None else [(self.around_link, text.strip())]
            self.lines.append(Line(len(self.lines), text, element, tag, HEADING_LEVELS.get(tag, self.heading),
                                   bold, italic, links, None, None, [], self.list_item or tag == "li", self.quote,
                                   self.centered if aligned is None else aligned, self.furniture, False))
            self.last_block = element

    def link_list(self, ul, bold: bool, italic: bool) -> bool:
        """A list whose every item is one bare link (a menu, a related list, a row of tags) reads as
        one line of links, in one step; False (nothing read) for any other list."""
        if not len(ul) or ul.get("style") or ul is self.title:
            return False
        links = []
        for li in ul:
            if li.tag != "li" or len(li) != 1 or li.keys() or (li.text and not li.text.isspace()):
                return False
            link = li[0]
            if link.tag != "a" or len(link) or link.get("style") is not None or link is self.title \
                    or (link.tail and not link.tail.isspace()):
                return False
            links.append((link.get("href"), link.text or ""))
        self.flush()
        raw = " ".join([text for text in [text.strip() for _, text in links] if text])
        if raw:
            raw_links = [(href.strip(), text) for href, text in links if href is not None]
            self.lines.append(Line(len(self.lines), raw, ul, ul.tag, self.heading, bold, italic, raw_links, None,
                                   None, [], True, self.quote, self.centered, self.furniture, False))
            self.last_block = ul
        return True

    def link_line(self, block, tag: str, bold: bool, italic: bool) -> bool:
        """A block whose one child is a bare link — `<li><a href>text</a></li>`, `<h3 class="title"><a
        href>text</a></h3>`, most of a page's menus and teaser titles — read as one line in one step, as
        `visit` would read it; False (nothing read) for any other block."""
        link = block[0]
        if link.tag != "a" or len(link) or link.get("style") is not None or link is self.title \
                or (block.text and not block.text.isspace()) or (link.tail and not link.tail.isspace()):
            return False
        keys = block.keys()
        if keys and ("hidden" in keys or "aria-hidden" in keys or "align" in keys) or tag == "center":
            return False  # (hidden or aligned: `visit` reads what these say)
        self.flush()
        text = link.text or ""
        if text.strip():
            href = link.get("href")
            self.lines.append(Line(len(self.lines), text, block, tag, HEADING_LEVELS.get(tag, self.heading), bold,
                                   italic, [(href.strip(), text)] if href is not None else [], None, None, [],
                                   self.list_item or tag == "li", self.quote, self.centered, self.furniture,
                                   self.on_title))
            self.last_block = block
            self.cuts += 1
        return True

    def image(self, img) -> None:
        if _is_icon(img):
            return  # an icon beside a counter or a share button belongs to its line
        if self.pieces or self.links or self.times:
            self.flush()
        href = None
        for ancestor in img.iterancestors():
            if ancestor.tag == "a":
                href = (ancestor.get("href") or "").strip()
                break
            if ancestor.tag in BLOCK_TAGS:
                break
        if href is None:
            href = self.around_link  # (a card's thumbnail, in a block of its own inside the card's link)
        self.lines.append(Line(len(self.lines), "", self.block, self.block_tag, 0, False, False, [], img, href, [],
                               self.list_item, False, self.centered, self.furniture, False))
        self.last_block = None


def _is_card(link) -> bool:
    """A link around a picture and the blocks of a title (`<a><div><img></div><div>Giá sầu riêng …
    </div></a>`): one teaser, all of it linked. (A menu's `<a><div><p>Liên hệ</p></div></a>` is a
    button in blocks, no card.)"""
    picture = block = False
    for inner in link.iterdescendants():  # (most links visited hold one `<img>` or `<b>`)
        tag = inner.tag
        if tag in _CARD_PICTURES:
            picture = True
        elif tag in BLOCK_TAGS:
            block = True
    return picture and block


_CARD_PICTURES = frozenset(("img", "amp-img", "picture"))


def _holds_a_page(form) -> bool:
    """A form holding an article or the page's main part is the page's wrapper, not a search,
    newsletter or comment box (which may have an `<h1>` of its own)."""
    return next(form.iter("article", "main"), None) is not None


def _may_be_label(element) -> bool:
    """An inline element whose whole text is a label of the vocabulary (`Tin khác:`, `Từ khóa`)."""
    raw = element.text if not len(element) else text_of(element)
    return bool(raw) and may_be_label(raw) and heading_kind(normalize(raw)) is not None


def may_be_label(raw: str) -> bool:
    """Whether raw text could be a label of the vocabulary (short, opening with a label's letter): a
    test that costs nothing beside normalising the text to ask the vocabulary."""
    raw = raw.strip()
    return bool(raw) and len(raw) <= _LABEL_MAX * 2 and raw[0] in _LABEL_INITIALS


def read_lines(doc, title=None) -> list[Line]:
    """The body's lines in document order; `title` (the headline element) becomes a line of its own."""
    body = doc.find("body")
    if body is None:
        body = doc
    reader = _Reader(title)
    reader.block = body
    reader.visit(body, False, False)
    reader.flush()
    return reader.lines


def _alignment(element, tag: str, style: str | None) -> bool | None:
    """Whether the element centres its text (True), sets another alignment (False) or says nothing
    (None: its parent's holds). `align` on a table places the table, not its text."""
    if tag == "center":
        return True
    if style and "text-align" in style:
        return "center" in style.split("text-align", 1)[1][:12]
    align = element.get("align")
    if align and tag != "table":
        return align.strip().lower() == "center"
    return None


def _is_icon(img) -> bool:
    keys = img.keys()
    if "width" not in keys and "height" not in keys:
        return False
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().rstrip("px")
        if value.isdecimal() and int(value) < ICON_MAX:
            return True
    return False
