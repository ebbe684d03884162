"""The article's body: find the block that holds it, then read it block by block as a reader would.

Finding the block: every text node of some length after the title votes for the element that
holds its paragraph (full weight) and that element's parent (half weight), as readability-style
extractors do; among the elements holding one of the first paragraphs under the headline, the one
with most votes holds the body. A block the site generation marks as its body wins when the vote
rates it close to the best.

Reading the block: its children are walked in order; inline runs between `<br>`s and blocks become
text blocks, small wrappers holding one image become figures, and every text block is classified
(chrome such as print/share/counters, the end of the article such as `Bình luận` / `Tin khác`,
captions, credit lines, headings, paragraphs). What remains is post-processed in `body.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from crawler.parsing.byline import starts_with_role
from crawler.parsing.dates import find_datetime
from crawler.parsing.labels import has_lead_mark, is_chrome, is_footer
from crawler.parsing.markup import (
    BLOCK_TAGS, HEADING_TAGS, SKIP_TAGS, image_source, is_all_bold, is_all_italic, is_centered,
    is_hidden, link_text_length, tag_of, text_lines, text_of,
)
from crawler.parsing.text import normalize
from crawler.parsing.urls import looks_like_article_link


# Text nodes after the title, in document order, from the first AFTER_TITLE_NODES: the first few
# whatever their length (the line under the headline: date, counter) and the long ones outside links
# and scripts (paragraph text). Costs were measured: every node handed to Python costs about a
# microsecond and every string test in libxml2 a quarter of one, hence the position bound first.
AFTER_TITLE_NODES = 200
_AFTER_TITLE = etree.XPath(
    f"following::text()[position() <= {AFTER_TITLE_NODES}][position() <= 40 or "
    "(string-length() > 24 and not(parent::a or parent::script or parent::style))]"
)
_IMAGES = etree.XPath(".//img")
_TEXTS = etree.XPath(".//text()")
_PHOTO_COUNT = etree.XPath("count(.//img[not(ancestor::a or ancestor::form)])")
_NOT_IN_FIGURES = ("form", "input", "textarea", "button", "select", "ul", "ol", "li")
IMAGE_WEIGHT = 150  # characters of text a photo is worth when voting for the body's block
MIN_PARAGRAPH = 25  # characters of a text node that count as paragraph text
GLUE_CHECK_MAX = 300  # characters: blocks this short are checked for lines glued without a break
MAX_VOTERS = 60  # paragraphs after which the vote is settled (bounds the cost on long articles)
ZONE_NODES = 40  # at most this many texts make the line under the headline
ZONE_END = 100  # a text this long is the lead: the line under the headline ended before it
TEASER_LEVELS = 3  # how far up a teaser's link may sit from its date
ZONE_TEASERS = 30  # after this many teaser texts the line under the headline is not coming
_DIGIT = re.compile(r"\d")
TEASER_MAX = 500  # characters: a teaser block is small ...
TEASER_CHILDREN = 8  # ... and has few children (thumbnail, title, date, lead)
_NOT_CONTENT_PARENTS = frozenset(("script", "style", "noscript", "textarea", "option", "title", "select"))
_FURNITURE_ANCESTORS = frozenset(("aside", "nav", "form", "footer"))
_INLINE_PARENTS = frozenset("span strong b em i u font small big a sup sub mark abbr cite q time label".split())
LEAD_BLOCKS = 3  # the body holds one of the first few paragraphs under the headline
# ... which sit together: a later one counts only if it shares the first one's parent or grandparent
# (a lead in its own box beside the body's box does; a sidebar's teaser in another column does not).
LEAD_NEIGHBOURHOOD = 2
LONG_BLOCK = 60  # characters of a paragraph that may open the article
FIGURE_TEXT = 400  # characters: the most text a figure without a caption element holds
FIGURE_BESIDE_CAPTION = 100  # ... and beside its caption element (a credit line)


@dataclass
class Reading:
    """What follows the headline: the short texts right under it, and votes for the body's container."""
    zone: list = field(default_factory=list)  # normalised texts of the line under the headline
    zone_unlinked: list = field(default_factory=list)  # those not inside a link (an author block's lines)
    zone_unlinked_at: list = field(default_factory=list)  # ... and where each stands in `zone`
    votes: dict = field(default_factory=dict)  # element -> score
    first_long_block: object | None = None  # the first paragraph-like element after the title
    lead_blocks: list = field(default_factory=list)  # the first LEAD_BLOCKS long blocks, in order
    teasers: int = 0  # other articles' teasers met before the first paragraph of this one


def paragraph_block(node) -> object:
    """The element a text node (or an element) belongs to as a paragraph: climb out of inline wrappers."""
    if isinstance(node, str):
        element = node.getparent()
        if node.is_tail:
            element = element.getparent()
    else:
        element = node
    while element is not None and tag_of(element) in _INLINE_PARENTS:
        element = element.getparent()
    return element


def read_after_title(title) -> Reading:
    """One pass over the texts after the headline: the zone under it, and the container votes.

    Every paragraph votes its length for the element holding it (full weight) and that element's
    parent (half weight), as readability-style extractors do."""
    reading = Reading()
    votes = reading.votes
    seen_blocks = set()  # blocks already judged as a possible opening of the article
    vote_targets: dict = {}  # block -> (holder, holder's holder)
    lead_neighbourhood: set = set()
    zone_open = True
    skipped_teasers = 0
    voters = 0
    for node in _AFTER_TITLE(title):
        if node.getparent().tag in _NOT_CONTENT_PARENTS and not node.is_tail:
            continue
        text = node.strip()
        length = len(text)
        in_zone = False
        if zone_open and text:
            if len(reading.zone) >= ZONE_NODES:
                zone_open = False
            elif (length >= ZONE_END or _DIGIT.search(text)) and _in_teaser(node):
                skipped_teasers += 1  # another article's teaser (title, date, lead) between headline and body
                zone_open = skipped_teasers < ZONE_TEASERS
            elif length >= ZONE_END or (_DIGIT.search(text) and _in_long_block(node)):
                zone_open = False  # the lead (maybe in pieces: `<p>… <b>…</b> …</p>`): the line is over
            elif normalize(text):
                in_zone = True
                reading.zone.append(normalize(text))
                if not node.is_tail and node.getparent().tag != "a":
                    reading.zone_unlinked.append(reading.zone[-1])
                    reading.zone_unlinked_at.append(len(reading.zone) - 1)
        if length < MIN_PARAGRAPH:
            continue
        voters += 1
        if voters > MAX_VOTERS:
            break  # the first few dozen paragraphs settle the vote; a long article needs no more
        block = paragraph_block(node)
        if block is None:
            continue
        # A block may open the article from its first long piece (the paper's mark makes any piece long).
        if len(reading.lead_blocks) < LEAD_BLOCKS and block not in seen_blocks \
                and (length >= LONG_BLOCK or has_lead_mark(text)):
            seen_blocks.add(block)
            # An author's role line under the headline (`Tỉnh ủy viên, Bí thư …`) is no paragraph.
            is_lead = not (in_zone and starts_with_role(text))
            if is_lead and _in_teaser(node):
                reading.teasers += reading.first_long_block is None
                is_lead = False
            if is_lead and not _in_furniture(block) and not is_footer(normalize(text)):
                if reading.first_long_block is None:
                    reading.first_long_block = block
                    lead_neighbourhood = _nearest_ancestors(block, LEAD_NEIGHBOURHOOD)
                    reading.lead_blocks.append(block)
                elif not lead_neighbourhood.isdisjoint(_nearest_ancestors(block, 8)):
                    reading.lead_blocks.append(block)
        targets = vote_targets.get(block)
        if targets is None:
            # A block of loose text between <br>s is its own container; a paragraph votes for its parent.
            holder = block if block.find("br") is not None else _enclosing(block)
            targets = vote_targets[block] = (holder, _enclosing(holder) if holder is not None else None)
        holder, grand = targets
        if holder is not None:
            votes[holder] = votes.get(holder, 0) + length
        if grand is not None:
            votes[grand] = votes.get(grand, 0) + length / 2
    return reading


def _in_long_block(node) -> bool:
    """A piece of a paragraph (`<p>ĐBP - <em>Ngày 12/5</em>, huyện …</p>`), not a line of its own.
    A dateline with its buttons may be as long, but is all short pieces; a long piece in a block of
    its own inside it (an author's role line beside the date) is not a piece of the same paragraph."""
    block = paragraph_block(node)
    if block is None or len(text_of(block)) < ZONE_END:
        return False
    return any(len(piece.strip()) >= LONG_BLOCK and paragraph_block(piece) is block for piece in _TEXTS(block))


def _in_teaser(node) -> bool:
    """A text inside a small block that links to an article: a teaser of another article (its
    title, date or lead), never a piece of this article's dateline."""
    element = node.getparent()
    for _ in range(TEASER_LEVELS):
        # Child count first: it is free, where measuring a big block's text is not.
        if element is None or element.tag in ("body", "html") or len(element) > TEASER_CHILDREN \
                or len(text_of(element)) > TEASER_MAX:
            return False
        if any(looks_like_article_link(a.get("href") or "") for a in element.iter("a")):
            return True
        element = element.getparent()
    return False


def _enclosing(element):
    """The element's parent, looking through wrappers that hold nothing else (a paragraph in its own
    one-cell table is a paragraph of the block around the table)."""
    parent = element.getparent()
    while parent is not None and len(parent) == 1 and not (parent.text and parent.text.strip()) \
            and parent.tag not in ("body", "html"):
        parent = parent.getparent()
    return parent


def _nearest_ancestors(element, levels: int) -> set:
    """The element's first `levels` enclosing blocks (see `_enclosing`) and the wrappers between."""
    ancestors = set()
    found = 0
    parent = element.getparent()
    while parent is not None and found < levels and parent.tag not in ("body", "html"):
        ancestors.add(parent)
        if len(parent) > 1 or (parent.text and parent.text.strip()):
            found += 1
        parent = parent.getparent()
    return ancestors


def _in_furniture(block) -> bool:
    """Inside <aside>, <nav>, <form> or <footer>: never the article's opening (a few levels up is enough)."""
    element = block
    for _ in range(6):
        if element is None:
            return False
        if element.tag in _FURNITURE_ANCESTORS:
            return True
        element = element.getparent()
    return False


def choose_container(reading: Reading, is_marked_body=lambda element: False) -> object | None:
    """The best-voted element among those holding one of the first paragraphs under the headline
    (sidebars further down may hold more text, but the article starts right under its title);
    an element the site generation marks as its body block wins when rated at least half as well."""
    allowed = set()
    for block in reading.lead_blocks:
        allowed.add(block)
        allowed.update(block.iterancestors())
    votes = {element: score for element, score in reading.votes.items() if element in allowed}
    if not votes:
        return None
    # Photos count as text a reader looks at (a photo story has little prose); thumbnails inside
    # links do not. Counted only for the serious candidates: each count walks a subtree.
    leader = max(votes.values())
    for element, score in list(votes.items()):
        if score >= 0.2 * leader and element.tag not in ("body", "html"):
            votes[element] = score + IMAGE_WEIGHT * _PHOTO_COUNT(element)
    best = max(votes, key=votes.get)
    marked = [element for element in votes if votes[element] >= 0.5 * votes[best] and is_marked_body(element)]
    return max(marked, key=votes.get) if marked else best


@dataclass
class Block:
    """One thing a reader sees in the body: a paragraph, heading, list, quote or image."""

    kind: str  # "text", "heading", "list", "quote", "image"; later "end", "related-end", "credit"
    text: str = ""  # normalised
    lines: list[str] = field(default_factory=list)  # the text split at line breaks (list items)
    element: object | None = None  # the source element, if the block is one
    inline_nodes: list | None = None  # for runs of loose inline content: (text | element) pieces
    link_chars: int = 0
    tag: str = "p"
    src: str | None = None  # images
    alt: str | None = None
    caption: str | None = None

    # Typography is only asked of a few blocks (the one under an image, the first one), so it is
    # worked out on demand.
    @cached_property
    def italic(self) -> bool:
        return self._all(is_all_italic)

    @cached_property
    def bold(self) -> bool:
        return self._all(is_all_bold)

    @cached_property
    def centered(self) -> bool:
        return self.element is not None and is_centered(self.element)

    def _all(self, test) -> bool:
        if self.element is not None:
            return test(self.element)
        pieces = self.inline_nodes or []
        elements = [p for p in pieces if not isinstance(p, str)]
        loose_text = any(p.strip() for p in pieces if isinstance(p, str))
        return bool(elements) and not loose_text and all(test(p) for p in elements)


class BodyWalker:
    """Walks a container in document order and emits Blocks."""

    def __init__(self, container, title, base_url: str):
        self.base_url = base_url
        self.title = title
        self.title_ancestors = set(title.iterancestors()) if title is not None else set()
        # What precedes the title in a block that holds it is not the body.
        self.after_title = container not in self.title_ancestors
        self.blocks: list[Block] = []
        # How many images each element holds, to spot the small wrappers that make a figure.
        self.image_counts: dict = {}
        for img in _IMAGES(container):
            for ancestor in img.iterancestors():
                self.image_counts[ancestor] = self.image_counts.get(ancestor, 0) + 1
                if ancestor is container:
                    break
        self.container = container

    def walk(self) -> list[Block]:
        self._walk_children(self.container)
        return self.blocks

    # -- structure -------------------------------------------------------------------------

    def _walk_children(self, element) -> None:
        run: list = []
        if element.text and element.text.strip():
            run.append(element.text)
        for child in element:
            tag = tag_of(child)
            if not tag:
                pass
            elif tag == "br":
                self._flush_run(run)
            elif tag in SKIP_TAGS or is_hidden(child):
                pass
            elif child is self.title:
                self._flush_run(run)
                self.after_title = True
            elif tag == "img":
                self._flush_run(run)
                self._emit_image(child, None)
            elif tag not in BLOCK_TAGS and not self.image_counts.get(child) and not self._has_block_child(child):
                run.append(child)
            else:
                self._flush_run(run)
                self._walk_block(child, tag)
            if child.tail and child.tail.strip():
                run.append(child.tail)
        self._flush_run(run)

    def _walk_block(self, element, tag: str) -> None:
        if element in self.title_ancestors:
            self._walk_children(element)
            return
        images = self.image_counts.get(element, 0)
        if images == 1 and self._is_figure(element, tag):
            self._emit_figure(element)
            return
        if tag == "blockquote" and not images:
            self._emit_quote(element)
        elif images or (self._has_block_child(element) and tag not in ("ul", "ol")):
            self._walk_children(element)
        elif tag in ("ul", "ol"):
            self._emit_list(element)
        else:
            self._emit_text(element, tag)

    @staticmethod
    def _has_block_child(element) -> bool:
        return any(tag_of(child) in BLOCK_TAGS for child in element)

    def _is_figure(self, element, tag: str) -> bool:
        """A small wrapper around one image and at most a caption's worth of text (not a form: a
        comment box with its captcha image is no figure)."""
        if any(True for _ in element.iter(*_NOT_IN_FIGURES)):
            return False
        # A block whose photo has a caption element of its own holds little else (a credit line): one
        # with paragraphs after its captioned photo is a block of the body, however the photo is
        # marked up. Without a caption element, the text beside the photo is a caption's worth at most.
        captions = [len(normalize(text_of(c))) for c in element.iter("figcaption", "caption")]
        rest = len(normalize(text_of(element))) - sum(captions)
        return rest <= (FIGURE_BESIDE_CAPTION if captions else FIGURE_TEXT)

    # -- emitting --------------------------------------------------------------------------

    def _add(self, block: Block) -> None:
        if self.after_title:
            self.blocks.append(block)

    def _flush_run(self, run: list) -> None:
        if not run:
            return
        pieces = list(run)
        run.clear()
        text = normalize("".join(p if isinstance(p, str) else text_of(p) for p in pieces))
        if not text:
            return
        links = sum(len(normalize(text_of(p))) if tag_of(p) == "a" else link_text_length(p)
                    for p in pieces if not isinstance(p, str))
        lines = text_lines(pieces) if len(text) <= GLUE_CHECK_MAX and len(pieces) > 1 else [text]
        self._add(Block("text", text, lines, inline_nodes=pieces, link_chars=links))

    def _emit_text(self, element, tag: str) -> None:
        text = normalize(text_of(element))
        if not text:
            return
        kind = "heading" if tag in HEADING_TAGS else "text"
        if len(element):  # children: maybe line breaks, glued lines (short blocks) and links
            short = len(text) <= GLUE_CHECK_MAX
            lines = text_lines(element) if short or any(True for _ in element.iter("br")) else [text]
            links = link_text_length(element)
        else:
            lines, links = [text], 0
        self._add(Block(kind, text, lines, element=element, link_chars=links, tag=tag))

    def _emit_quote(self, element) -> None:
        text = normalize(text_of(element))
        if text:
            self._add(Block("quote", text, text_lines(element), element=element,
                            link_chars=link_text_length(element), tag="blockquote"))

    def _emit_list(self, element) -> None:
        items = [normalize(text_of(li)) for li in element if tag_of(li) == "li"]
        items = [item for item in items if item]
        if not items:
            return
        text = "\n".join(items)
        self._add(Block("list", text, items, element=element, link_chars=link_text_length(element), tag=tag_of(element)))

    def _emit_image(self, img, caption: str | None) -> None:
        src = image_source(img, self.base_url)
        if not src or _is_decoration(img) or _is_thumbnail_link(img) or _in_form(img):
            return
        self._add(Block("image", src=src, alt=normalize(img.get("alt")) or None, caption=caption, element=img))

    def _emit_figure(self, element) -> None:
        img = next(element.iter("img"))
        # Lines, not the bare text: a credit set in its own element reads apart from the caption.
        captions = [c for c in element.iter("figcaption", "caption")] or [element]
        caption = " ".join(line for c in captions for line in text_lines(c))
        self._emit_image(img, caption or None)


def _is_thumbnail_link(img) -> bool:
    """An image inside a link to another page is a teaser's thumbnail, not an article photo."""
    for ancestor in img.iterancestors("a"):
        href = (ancestor.get("href") or "").lower().split("?")[0]
        return bool(href) and not href.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))
    return False


def _in_form(img) -> bool:
    """A captcha or a button picture of a comment form."""
    return any(True for _ in img.iterancestors("form"))


def _is_decoration(img) -> bool:
    """Icons and spacers: tiny declared sizes."""
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 40:
            return True
    return False


def lead_outside(block, container) -> str | None:
    """The lead when it sits in its own element between the headline and the body block (the
    first long text under the headline, unless it is a long dateline or a row of links)."""
    if block is None or container is None or block is container or container in set(block.iterancestors()):
        return None
    text = normalize(text_of(block))
    if len(text) < 60 or is_chrome(text) or link_text_length(block) > 0.3 * len(text):
        return None
    found = find_datetime(text) if len(text) < 200 else None
    if found is not None and len(text) - len(found.raw) < LONG_BLOCK + 20:
        return None  # mostly a date: a long dateline, not a lead
    if container in set(block.iterdescendants()):
        return None
    return text
