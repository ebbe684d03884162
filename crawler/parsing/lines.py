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

from dataclasses import dataclass, field

from crawler.parsing.labels import heading_kind
from crawler.parsing.markup import is_hidden, text_of
from crawler.parsing.text import normalize

BLOCK_TAGS = frozenset(
    "p div section article main header footer table tbody thead tfoot tr td th ul ol li dl dt dd "
    "h1 h2 h3 h4 h5 h6 blockquote figure figcaption center pre hr address details summary "
    "aside nav caption fieldset form".split()
)
# Never read: scripts, styles, form controls, embedded widgets.
SKIPPED_TAGS = frozenset(
    "script style noscript template button input select option textarea iframe svg canvas object "
    "embed video audio map area link meta head title".split()
)
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "form"))
_BOLD = frozenset(("b", "strong"))
_ITALIC = frozenset(("em", "i"))
_LABELLING = frozenset(("b", "strong", "span", "em", "i", "u", "font", "label", "small"))
_LABEL_MAX = 40  # characters: a bold label that heads a list is short
ICON_MAX = 40
_COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"  # Vietnamese tone and vowel marks  # pixels: an image declared smaller is an icon, part of the line it sits in


@dataclass(eq=False, slots=True)
class Line:
    index: int
    text: str  # normalised
    block: object  # the nearest block element holding the line
    tag: str  # that element's tag
    heading: int = 0  # 1–6 inside <h1>–<h6>
    bold: bool = False  # all of its text bold
    italic: bool = False  # all of its text italic
    links: list = field(default_factory=list)  # (href, normalised text) of the links in it
    link_chars: int = 0  # characters of its text inside links
    image: object | None = None  # an <img> line: the element
    image_href: str | None = None  # the link around the image
    times: list = field(default_factory=list)  # `datetime` values of the <time> elements in it
    list_item: bool = False
    quote: bool = False  # inside a <blockquote>
    centered: bool = False
    furniture: bool = False  # inside nav/aside/footer/form
    whole_block: bool = True  # the only line its block yields (its markup is the block's)
    is_title: bool = False

    @property
    def link_share(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def is_link(self) -> bool:
        """A line that is (nearly) all link text: a menu item, a teaser title, a related link."""
        return bool(self.links) and self.link_chars >= 0.8 * len(self.text)


class _Reader:
    def __init__(self, title) -> None:
        self.lines: list[Line] = []
        self.pieces: list[tuple[str, bool, bool]] = []  # (raw text, bold, italic)
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
        self.block_lines: dict = {}
        self.on_title = False

    def flush(self) -> None:
        pieces = self.pieces
        if not pieces:
            self.links, self.times = [], []
            return
        raw = "".join(p[0] for p in pieces)
        text = normalize(raw)
        if text:
            visible = [p for p in pieces if not p[0].isspace()]
            link_chars = sum(len(t) for _, t in self.links)
            line = Line(len(self.lines), text, self.block, self.block_tag, self.heading,
                        all(p[1] for p in visible), all(p[2] for p in visible), self.links,
                        min(link_chars, len(text)), times=self.times, list_item=self.list_item, quote=self.quote,
                        centered=self.centered, furniture=self.furniture, is_title=self.on_title)
            count = self.block_lines.get(self.block, 0)
            if count:
                line.whole_block = False
                for earlier in reversed(self.lines):
                    if earlier.block is not self.block:
                        break
                    earlier.whole_block = False
            self.block_lines[self.block] = count + 1
            self.lines.append(line)
        self.pieces, self.links, self.times = [], [], []

    def add(self, text: str, bold: bool, italic: bool) -> None:
        """One more piece of the current line. Two pieces glued with no space into a word that
        changes case mid-way (`Mùa A Vảng` + `Ủy viên …` in sibling elements reads `VảngỦy`) are
        two lines: no Vietnamese word does that."""
        pieces = self.pieces
        if pieces and text[0].isupper():
            before = pieces[-1][0].rstrip(_COMBINING)  # a decomposed page ends `Hà` in a combining mark
            if before and before[-1].isalpha() and before[-1].islower():
                self.flush()
        self.pieces.append((text, bold, italic))

    def visit(self, element, bold: bool, italic: bool) -> None:
        tag = element.tag
        if not isinstance(tag, str):
            return  # a comment or processing instruction: only its tail is text (read by the caller)
        tag = tag.lower()
        if tag in SKIPPED_TAGS or (element.attrib and is_hidden(element)):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.image(element)
            return
        saved = None
        if tag in BLOCK_TAGS or element is self.title:
            self.flush()
            saved = (self.block, self.block_tag, self.heading, self.list_item, self.quote, self.centered, self.furniture, self.on_title)
            self.block, self.block_tag = element, tag
            self.heading = HEADING_LEVELS.get(tag, self.heading)
            self.list_item = self.list_item or tag == "li"
            self.quote = self.quote or tag == "blockquote"
            aligned = _alignment(element, tag)
            if aligned is not None:
                self.centered = aligned
            self.furniture = self.furniture or tag in FURNITURE_TAGS
            self.on_title = self.on_title or element is self.title
        label = False
        if tag in _LABELLING and all(piece[0].isspace() for piece in self.pieces):
            # `<b>Tin khác:</b> <a>…</a>`, `<span>Từ khóa:</span> <a>…</a>`: a label opening its block
            # heads what follows it there (the same words inside a sentence are words).
            raw = element.text if not len(element) else text_of(element)
            if raw and len(raw) <= _LABEL_MAX * 2 and heading_kind(normalize(raw)) is not None:
                label = True
                self.flush()
        if tag in _BOLD:
            bold = True
        elif tag in _ITALIC:
            italic = True
        elif tag == "time":
            stamp = element.get("datetime")
            if stamp:
                self.times.append(stamp)
        if element.text:
            self.add(element.text, bold, italic)
        for child in element:
            self.visit(child, bold, italic)
            if child.tail:
                self.add(child.tail, bold, italic)
        if tag == "a":
            href = element.get("href")
            if href is not None:
                self.links.append((href.strip(), normalize(text_of(element))))
        if label:
            self.flush()
        if saved is not None:
            self.flush()
            self.block, self.block_tag, self.heading, self.list_item, self.quote, self.centered, self.furniture, self.on_title = saved

    def image(self, img) -> None:
        if _is_icon(img):
            return  # an icon beside a counter or a share button belongs to its line
        self.flush()
        href = None
        for ancestor in img.iterancestors():
            if ancestor.tag == "a":
                href = (ancestor.get("href") or "").strip()
                break
            if ancestor.tag in BLOCK_TAGS:
                break
        self.lines.append(Line(len(self.lines), "", self.block, self.block_tag, image=img, image_href=href,
                               list_item=self.list_item, centered=self.centered, furniture=self.furniture))


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


def _alignment(element, tag: str) -> bool | None:
    """Whether the element centres its text (True), sets another alignment (False) or says nothing
    (None: its parent's holds). `align` on a table places the table, not its text."""
    if tag == "center":
        return True
    if not element.attrib:
        return None
    style = element.get("style")
    if style and "text-align" in style:
        return "center" in style.split("text-align", 1)[1][:12]
    align = element.get("align")
    if align and tag != "table":
        return align.strip().lower() == "center"
    return None


def _is_icon(img) -> bool:
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < ICON_MAX:
            return True
    return False
