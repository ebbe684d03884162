"""The article's text from its lines: the lead (sapo), the paragraphs, the photos with their
captions and credits, the byline that closes it.

The body's lines (`regions.Regions.body`) are read in order. A photo takes the line under it as
its caption when a reader would: the line sits in the photo's own small frame (a figure, a table
cell, a wrapper holding one photo), is a `<figcaption>`, or looks like a caption (italic, centred,
ending in a credit, `Ảnh minh họa`). Meta lines, share and print rows, rows of links and headings
of other-news boxes are not the article's text. The lead is the first line when it looks like one;
the byline is in the last short lines.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from crawler.article import Image
from crawler.parsing.byline import (
    Byline, credit_names, is_field_line, is_prefixed_byline, is_role_line, looks_like_name, opens_posted_by,
    parse_byline_line, parse_field_block, photo_credit_line, split_caption_credit,
)
from crawler.parsing.metaline import META_PIECES, is_meta_line, labelled_byline
from crawler.parsing.labels import has_lead_mark, strip_lead_mark
from crawler.parsing.lines import BLOCK_TAGS, Line
from crawler.parsing.regions import SHORT_LEAD
from crawler.parsing.markup import figure_html, image_source, inline_html, text_of
from crawler.parsing.text import fold, normalize
from crawler.parsing.vocabulary import VOCABULARY

LEAD_MIN = 60  # characters: a lead without the paper's mark is at least a sentence long
LINK_ROW = 0.6  # share of a line's text in links that makes it a row of links
CAPTION_MAX = 400  # characters: a caption is short ...
FRAME_LEVELS = 4  # ... and shares a small frame with its photo a few levels up at most
FRAME_TEXT = 500  # characters: the most text a photo's frame holds
CENTRED_CAPTION_MAX = 300
_CREDIT_LINE_MAX = 100
_LABELLED_MAX = 120  # characters: `Bài và ảnh: Quang Hưng` is short
_BYLINE_KINDS = ("text", "linked", "labelled")
_PHOTO_WORDS = tuple(word.casefold() for word in VOCABULARY.photo_prefixes)
_IMAGES_IN = etree.XPath("count(.//img | .//amp-img)")
_FLOW_BLOCKS = frozenset(("p", "div", "section", "article", "li", "blockquote", "table", "figure"))
_IMAGE_FILE = (".jpg", ".jpeg", ".png", ".gif", ".webp")


@dataclass
class Piece:
    kind: str  # "text", "heading", "image", "credit", "linked" (a row of links that may be a byline)
    line: Line
    text: str = ""
    src: str | None = None
    alt: str | None = None
    caption: str | None = None  # with its credit, as printed


@dataclass
class Body:
    sapo: str | None = None
    pieces: list[Piece] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    byline: Byline | None = None
    photo_credits: list[str] = field(default_factory=list)
    listing_links: int = 0  # distinct teaser-like links inside the body's range
    text: str = ""
    html: str = ""


def assemble_body(lines: list[Line], base_url: str, description: str | None) -> Body:
    body = Body()
    pieces = _read_pieces(lines, base_url, body)
    body.sapo, pieces = _take_sapo(pieces, description)
    pieces, body.byline = _take_byline(pieces)
    if body.byline is None:
        labelled = next((p for p in pieces if p.kind == "labelled"), None)
        body.byline = parse_byline_line(labelled.text) if labelled is not None else None
    pieces = [piece for piece in pieces if piece.kind not in ("linked", "labelled")]
    body.photo_credits = _photo_credits(pieces, body.byline)
    body.pieces = [piece for piece in pieces if piece.kind != "credit"]
    body.images = [Image(p.src, *split_caption_credit(p.caption)) if p.caption else Image(p.src)
                   for p in body.pieces if p.kind == "image"]
    body.text = "\n\n".join(p.text for p in body.pieces if p.kind in ("text", "heading"))
    body.html = _body_html(body.pieces, base_url)
    return body


def _read_pieces(lines: list[Line], base_url: str, body: Body) -> list[Piece]:
    pieces: list[Piece] = []
    teaser_links: set[str] = set()
    in_box = False  # under an other-news heading inside the body's range: its links are no teasers
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.image is not None:
            if line.image.tag == "video":  # no photo, but the caption under it is no body text
                if index < len(lines) and _is_caption(line, lines[index]):
                    index += 1
                continue
            photo = _photo(line, base_url)
            if photo is None:
                continue
            caption_above = _caption_above(pieces, line)
            if caption_above is not None:
                pieces.pop()
                photo.caption = caption_above  # `<figure><figcaption>…</figcaption><img></figure>`
                pieces.append(photo)
                continue
            pieces.append(photo)
            index = _read_caption(photo, lines, index)
            continue
        text = line.text
        if line.heading_kind is not None:
            in_box = line.heading_kind == "related"
            continue
        if not text or line.furniture or is_meta_line(line):
            continue
        if line.link_share >= LINK_ROW:
            labelled = labelled_byline(text) if len(text) <= _LABELLED_MAX else None
            if labelled is not None:
                pieces.append(Piece("labelled", line, labelled))  # `Tác giả: <a>…</a>, <a>…</a>`, `bởi <a>…</a>`
                continue
            if parse_byline_line(text) is not None:
                pieces.append(Piece("linked", line, text))  # a linked author's name, perhaps
            for href, title in line.links:
                if len(title.split()) >= 4 and href and not in_box:
                    teaser_links.add(href)
            continue
        in_box = False
        if len(text) <= _CREDIT_LINE_MAX and photo_credit_line(text):
            pieces.append(Piece("credit", line, text))
            continue
        labelled = labelled_byline(text) if len(text) <= _LABELLED_MAX and (
            ":" in text or "(" in text or opens_posted_by(META_PIECES.split(text, 1)[0])) else None
        if labelled is not None:
            pieces.append(Piece("labelled", line, labelled))  # `Tác giả: …`, `Bài và ảnh: …`: a byline by its label
            continue
        pieces.append(Piece("heading" if line.heading else "text", line, text))
    body.listing_links = len(teaser_links)
    return pieces


def _photo(line: Line, base_url: str) -> Piece | None:
    img = line.image
    if line.furniture:
        return None
    href = (line.image_href or "").lower().split("?")[0]
    if href and not href.startswith(("javascript:", "#")) and not href.endswith(_IMAGE_FILE):
        return None  # a thumbnail linking to another page: a teaser's picture
    src = image_source(img, base_url)
    if not src:
        return None
    return Piece("image", line, src=src, alt=normalize(img.get("alt")) or None)


def _caption_above(pieces: list[Piece], image_line: Line) -> str | None:
    """A `<figcaption>` written before its photo, in the same figure."""
    if not pieces or pieces[-1].kind != "text" or pieces[-1].line.tag not in ("figcaption", "caption"):
        return None
    figure = pieces[-1].line.block.getparent()
    if figure is None or figure not in set(image_line.image.iterancestors()):
        return None
    return pieces[-1].text


def _read_caption(photo: Piece, lines: list[Line], index: int) -> int:
    """Attach the caption (and a credit line under it) to the photo; the index after them."""
    if index < len(lines) and (_is_caption(photo.line, lines[index]) or _credited_below(lines, index)):
        photo.caption = lines[index].text
        index += 1
    if index < len(lines) and len(lines[index].text) <= _CREDIT_LINE_MAX:
        credit = photo_credit_line(lines[index].text)
        if credit and not (photo.caption and split_caption_credit(photo.caption)[1]):
            photo.caption = f"{photo.caption} Ảnh: {credit}" if photo.caption else f"Ảnh: {credit}"
            index += 1
    return index


def _is_caption(image_line: Line, line: Line) -> bool:
    text = line.text
    if not text or line.image is not None or len(text) > CAPTION_MAX or is_prefixed_byline(text):
        return False
    if photo_credit_line(text):
        return False  # a bare credit line: the credit, not a caption
    if line.tag in ("figcaption", "caption") or _in_frame(image_line.image, line.block):
        return True
    if line.italic or split_caption_credit(text)[1]:
        return True
    if len(text) <= LEAD_MIN and text.casefold().startswith(_PHOTO_WORDS):
        return True
    return line.centered and len(text) <= CENTRED_CAPTION_MAX


def _credited_below(lines: list[Line], index: int) -> bool:
    """A plain line under a photo, with the photo's credit on the line after it: the caption."""
    line = lines[index]
    if not line.text or len(line.text) > CAPTION_MAX or is_prefixed_byline(line.text) or index + 1 >= len(lines):
        return False
    following = lines[index + 1].text
    return len(following) <= _CREDIT_LINE_MAX and photo_credit_line(following) is not None


def _in_frame(img, block) -> bool:
    """The block sits with the photo in a small frame of its own (a figure, a table of one photo,
    a wrapper): the lowest element holding both holds one photo and a caption's worth of text."""
    ancestors = []
    element = img.getparent()
    for _ in range(FRAME_LEVELS):
        if element is None:
            break
        ancestors.append(element)
        element = element.getparent()
    element = block
    for _ in range(FRAME_LEVELS):
        if element is None:
            return False
        if element in ancestors:
            # A photo set in a paragraph of its own is a block of the body's flow, not in a frame
            # with the block after it, nor is one in a frame (table, figure) closed before that block.
            between = ancestors[:ancestors.index(element)]
            if any(e.tag in _FLOW_BLOCKS for e in between):
                return False
            return _IMAGES_IN(element) == 1 and len(text_of(element)) <= FRAME_TEXT
        element = element.getparent()
    return False


def _take_sapo(pieces: list[Piece], description: str | None) -> tuple[str | None, list[Piece]]:
    first = next((i for i, p in enumerate(pieces) if p.kind in ("text", "heading")), None)
    if first is None:
        return None, pieces
    texts = [p for p in pieces[first:] if p.kind in ("text", "heading")]
    if _is_lead(pieces[first], description) or _set_apart(texts):
        return strip_lead_mark(pieces[first].text) or None, pieces[:first] + pieces[first + 1:]
    return None, pieces


def _set_apart(texts: list[Piece]) -> bool:
    """The first paragraph stands in a box of its own, outside the element that holds the body's
    paragraphs (the lowest one holding the first paragraph after it and one two thirds in, both a
    sentence long or more, so never the byline or the role that may close the article outside it):
    a lead set apart, as a reader sees it. Two paragraphs at least stand beside it (a brief's one
    paragraph and its byline are no body for a lead to stand apart from)."""
    if len(texts) < 3 or len(texts[0].text) < LEAD_MIN or texts[0].line.block is None:
        return False
    paragraphs = [piece for piece in texts[1:] if len(piece.text) >= LEAD_MIN]
    if len(paragraphs) < 2:
        return False
    holder = _lowest_common(paragraphs[0].line.block, paragraphs[max(1, len(paragraphs) * 2 // 3)].line.block)
    if holder is paragraphs[0].line.block and holder is not None:
        holder = holder.getparent()  # paragraphs between line breaks: their block is one, held by its parent
    if holder is None or holder.tag in ("body", "html"):
        return False
    if holder not in set(texts[0].line.block.iterancestors()) and holder is not texts[0].line.block:
        return True
    return _boxed_among_paragraphs(texts, holder)


def _boxed_among_paragraphs(texts: list[Piece], holder) -> bool:
    """Inside the body's container, the first paragraph alone in a wrapper of a kind (element and
    class) that none of the paragraphs' wrappers has, while two or more of theirs are alike (a quote
    may stand apart too): a box of its own among sections or paragraphs that look alike."""
    def wrapper(piece: Piece):
        for element in (piece.line.block, *piece.line.block.iterancestors()):
            if element.getparent() is holder:
                return element
        return None

    lead = wrapper(texts[0])
    wrappers = [wrapper(piece) for piece in texts[1:] if piece.kind == "text" and len(piece.text) >= LEAD_MIN]
    wrappers = [element for element in wrappers if element is not None]  # (a byline closing it outside)
    if lead is None or len(wrappers) < 2 or any(element is lead for element in wrappers):
        return False
    kinds = Counter(_wrapper_kind(element) for element in wrappers)
    return max(kinds.values()) >= 2 and _wrapper_kind(lead) not in kinds


def _wrapper_kind(element) -> tuple[str, str | None]:
    """(element, class) of a wrapper as a reader could tell it: `div`, `section`, `article` and a
    one-cell table look the same on the page, so only their class sets them apart."""
    tag = element.tag
    if tag in ("div", "section", "article") or (tag == "table" and len(element.xpath(".//td | .//th")) == 1):
        tag = "block"
    return tag, element.get("class")


def _lowest_common(first, second):
    if first is None or second is None:
        return None
    ancestors = {first, *first.iterancestors()}
    if second in ancestors:
        return second
    for element in second.iterancestors():
        if element in ancestors:
            return element
    return None


def _is_lead(piece: Piece, description: str | None) -> bool:
    text, line = piece.text, piece.line
    if has_lead_mark(text):
        return True
    if (line.bold or line.italic or line.heading) and len(text) >= SHORT_LEAD:
        return True
    if description:
        mine, stated = fold(strip_lead_mark(text)), fold(strip_lead_mark(description)).rstrip(".… ")
        # The description is the lead, or its start when the CMS cut it short.
        if mine == stated or mine.rstrip(".… ") == stated:
            return True
        return len(text) >= LEAD_MIN and len(stated) >= 60 and mine.startswith(stated) and len(mine) <= len(stated) * 1.2
    return False


def _take_byline(pieces: list[Piece]) -> tuple[list[Piece], Byline | None]:
    """The byline is in the last short lines: a name (or `Bài, ảnh: …`, `Theo VOV`), perhaps with a
    role line under it, perhaps followed by a photo-credit line."""
    end = len(pieces)
    while end and pieces[end - 1].kind in ("credit", "image"):
        end -= 1
    if not end or pieces[end - 1].kind not in _BYLINE_KINDS or pieces[end - 1].line.tag == "li":
        return pieces, None  # (a list's last item, `Quảng Lâm`, names a place, not the author)
    start = end
    while start and pieces[start - 1].kind in _BYLINE_KINDS and is_field_line(pieces[start - 1].text):
        start -= 1
    if end - start >= 2:  # `Tác giả: …`, `Nguồn: …`, `Người đăng: …`: a portal's block of fields
        byline = parse_field_block([piece.text for piece in pieces[start:end]])
        if byline is not None:
            return pieces[:start] + pieces[end:], byline
    last = pieces[end - 1]
    if end >= 2 and pieces[end - 2].kind in _BYLINE_KINDS and is_role_line(last.text) \
            and not looks_like_name(last.text):
        byline = parse_byline_line(pieces[end - 2].text)
        if byline is not None and byline.authors and byline.role is None:
            byline.role = last.text
            return pieces[: end - 2] + pieces[end:], byline
    byline = parse_byline_line(last.text)
    if byline is not None:
        return pieces[: end - 1] + pieces[end:], byline
    return pieces, None


def _photo_credits(pieces: list[Piece], byline: Byline | None) -> list[str]:
    """Unique photographers in order of appearance: captions and credit lines, then the byline's."""
    names: list[str] = []
    for piece in pieces:
        credit = None
        if piece.kind == "image" and piece.caption:
            credit = split_caption_credit(piece.caption)[1]
        elif piece.kind == "credit":
            credit = photo_credit_line(piece.text)
        if credit:
            names.extend(credit_names(credit))
    if byline is not None:
        names.extend(byline.photo_credits)
    seen: set[str] = set()
    return [name for name in names if not (fold(name) in seen or seen.add(fold(name)))]


def _body_html(pieces: list[Piece], base_url: str) -> str:
    """The kept pieces as clean markup; list items side by side make one list again, and the
    paragraphs of a quote one quote."""
    out: list[str] = []
    open_group, closing = None, ""
    for piece in pieces:
        holder, opening, item = _group_of(piece)
        if holder is not open_group:
            out.append(closing)
            out.append(opening)
            open_group, closing = holder, (f"</{opening[1:]}" if opening else "")
        markup = _piece_html(piece, base_url)
        out.append(f"<li>{markup[3:-4]}</li>" if item else markup)
    out.append(closing)
    return "".join(out)


def _group_of(piece: Piece):
    """(the list or quote element the piece belongs to, its opening tag, whether it is a list item)."""
    line = piece.line
    if piece.kind != "text" or line.block is None:
        return None, "", False
    if line.list_item and line.tag == "li":
        holder = line.block.getparent()
        return holder, "<ol>" if holder is not None and holder.tag == "ol" else "<ul>", True
    if line.quote:
        for ancestor in ([line.block] + list(line.block.iterancestors())):
            if ancestor.tag == "blockquote":
                return ancestor, "<blockquote>", False
    return None, "", False


def _piece_html(piece: Piece, base_url: str) -> str:
    if piece.kind == "image":
        caption, credit = split_caption_credit(piece.caption) if piece.caption else (None, None)
        return figure_html(piece.src, piece.alt, caption, credit)
    line = piece.line
    block = line.block
    marked_up = line.whole_block and block is not None and len(block) \
        and not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in block)
    inner = inline_html(block, base_url) if marked_up else html.escape(piece.text, quote=False)
    if piece.kind == "heading":
        tag = "h2" if line.heading <= 2 else "h3" if line.heading == 3 else "h4"
        return f"<{tag}>{inner}</{tag}>"
    return f"<p>{inner}</p>"
