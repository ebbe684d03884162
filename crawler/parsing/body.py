"""From the walked blocks to the article's parts: chrome dropped, end of article cut, captions
attached to their images, the lead (sapo) and the byline taken out, the rest is the body."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.article import Image
from crawler.parsing.byline import (
    Byline, credit_names, is_prefixed_byline, is_role_line, looks_like_name, parse_byline, parse_byline_line, photo_credit_line,
    split_caption_credit,
)
from crawler.parsing.content import Block
from crawler.parsing.dates import find_datetime
from crawler.parsing.labels import has_lead_mark, heading_kind, is_chrome, is_footer, strip_lead_mark
from crawler.parsing.markup import text_of
from crawler.parsing.render import block_html
from crawler.parsing.text import fold, normalize
from crawler.parsing.vocabulary import VOCABULARY

LONG_PARAGRAPH = 80  # a block at least this long is body text, not furniture
LEAD_SEARCH = 3  # the lead is among the first few blocks
_HEADER_SCRAP = 30  # characters: shorter lines before the first paragraph are header leftovers
_CREDIT_LINE_MAX = 100  # `Ảnh: Minh Thùy` alone on a line is short
_PHOTO_WORDS = tuple(word.casefold() for word in VOCABULARY.photo_prefixes)


@dataclass
class Body:
    sapo: str | None = None
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    byline: Byline | None = None
    photo_credits: list[str] = field(default_factory=list)
    listing_links: int = 0  # distinct teaser-like links inside the body's range
    furniture: list[str] = field(default_factory=list)  # counter and date lines met in the body's range
    related_headings: list = field(default_factory=list)  # other-news headings met inside the body
    text: str = ""
    html: str = ""


def assemble_body(blocks: list[Block], base_url: str, *, external_lead: str | None,
                  description: str | None) -> Body:
    body = Body()
    blocks = _drop_chrome(blocks, body)
    body.related_headings = [b.element for b in blocks if b.kind == "related-end" and b.element is not None]
    blocks = _cut_at_end(blocks)
    blocks, top_byline = _drop_leading_furniture(blocks)
    blocks = _attach_captions(blocks)
    body.sapo, blocks = _take_sapo(blocks, external_lead, description)
    blocks, body.byline = _take_byline(blocks)
    if body.byline is None:
        body.byline = top_byline
    body.photo_credits = _photo_credits(blocks, body.byline)
    body.blocks = [block for block in blocks if block.kind != "credit"]
    body.images = [Image(b.src, *_caption_and_credit(b)) for b in body.blocks if b.kind == "image"]
    body.text = "\n\n".join(line for block in body.blocks if block.kind != "image" for line in block.lines)
    body.html = "".join(block_html(block, base_url, *_caption_and_credit(block)) for block in body.blocks)
    return body


# -- steps -----------------------------------------------------------------------------------


def _drop_chrome(blocks: list[Block], body: Body) -> list[Block]:
    kept = []
    teaser_links: set[str] = set()
    for block in blocks:
        if block.kind == "image":
            kept.append(block)
            continue
        kind = heading_kind(block.text)
        if kind is not None:
            block.kind = "related-end" if kind == "related" else "end"
            kept.append(block)
            continue
        if is_footer(block.text):
            continue  # the publisher's licence and address
        if is_chrome(block.text):
            if not any(b.kind in ("end", "related-end") for b in kept):
                body.furniture.append(block.text)  # `Lượt xem: 5717` under the body is still ours
            continue
        if block.link_chars >= 0.6 * len(block.text):
            # A block of links inside the body's range: furniture, or a listing's teaser titles.
            if block.element is not None and not any(b.kind in ("end", "related-end") for b in kept):
                for a in block.element.iter("a"):
                    title = normalize(text_of(a))
                    if len(title.split()) >= 4 and a.get("href"):
                        teaser_links.add(a.get("href"))
            continue
        kept.append(block)
    body.listing_links = len(teaser_links)
    return kept


def _cut_at_end(blocks: list[Block]) -> list[Block]:
    """Stop at comments/tags; stop at an other-news heading unless the body clearly goes on after
    it (a `Tin liên quan` box set inside the article)."""
    for index, block in enumerate(blocks):
        if block.kind == "end":
            return blocks[:index]
        if block.kind == "related-end":
            rest = blocks[index + 1:]
            goes_on = False
            for later in rest:
                if later.kind in ("end", "related-end"):
                    break
                if later.kind == "text" and len(later.text) >= 150 and later.link_chars < 0.1 * len(later.text):
                    goes_on = True
                    break
            previous = next((b for b in reversed(blocks[:index]) if b.kind == "text"), None)
            if not goes_on or (previous is not None and parse_byline_line(previous.text) is not None):
                return blocks[:index]
            blocks = blocks[:index] + _cut_at_end(rest)
            return blocks
    return blocks


def _drop_leading_furniture(blocks: list[Block]) -> tuple[list[Block], Byline | None]:
    """Before the first real paragraph, very short lines, names and lines with a date are the
    header's leftovers (category, author, date pieces); a name among them is kept as a byline of
    last resort. A short first paragraph of the article stays."""
    top_byline = None
    for index, block in enumerate(blocks):
        text = block.text
        if block.kind in ("image", "heading") or len(text) >= LONG_PARAGRAPH or has_lead_mark(text):
            return blocks[index:], top_byline
        byline = parse_byline(block.lines, allow_caps=False)
        if byline is None and len(text) >= _HEADER_SCRAP and find_datetime(text) is None:
            return blocks[index:], top_byline
        top_byline = top_byline or byline
    return [], top_byline


def _attach_captions(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        previous = kept[-1] if kept else None
        credit = photo_credit_line(block.text) if block.kind == "text" and len(block.text) <= _CREDIT_LINE_MAX else None
        if previous is not None and previous.kind == "image" and block.kind == "text":
            if credit and not _credit_of(previous):
                previous.caption = f"{previous.caption} Ảnh: {credit}" if previous.caption else f"Ảnh: {credit}"
                continue
            if previous.caption is None and _looks_like_caption(block):
                previous.caption = " ".join(block.lines)
                continue
        if credit:
            # A credit line away from any image: the credit counts, the line is not body text.
            kept.append(Block("credit", block.text))
            continue
        kept.append(block)
    return kept


def _looks_like_caption(block: Block) -> bool:
    """The line under a caption-less image is its caption when it looks like one: italic, centred,
    ending in a credit, or a short `Ảnh minh họa`-like line."""
    if len(block.text) > 400 or is_prefixed_byline(block.text):
        return False
    if block.italic or split_caption_credit(" ".join(block.lines))[1]:
        return True
    if len(block.text) <= 60 and block.text.casefold().startswith(_PHOTO_WORDS):
        return True
    return block.centered and len(block.text) <= 300


def _take_sapo(blocks: list[Block], external_lead: str | None, description: str | None):
    first_index = next((i for i, b in enumerate(blocks) if b.kind in ("text", "heading")), None)
    if external_lead:
        if first_index is not None and fold(blocks[first_index].text) == fold(external_lead):
            blocks = blocks[:first_index] + blocks[first_index + 1:]
        return strip_lead_mark(external_lead) or None, blocks
    if first_index is None:
        return None, blocks
    first = blocks[first_index]
    if _is_lead(first, description):
        return strip_lead_mark(first.text) or None, blocks[:first_index] + blocks[first_index + 1:]
    # The paper's mark a block or two further down: what stands before it is the header's (an
    # author block above the lead, say), not the body.
    texts = [i for i, b in enumerate(blocks) if b.kind in ("text", "heading")][:LEAD_SEARCH]
    marked = next((i for i in texts[1:] if has_lead_mark(blocks[i].text)), None)
    if marked is not None and all(len(blocks[i].text) < LONG_PARAGRAPH for i in texts if i < marked):
        kept = [b for b in blocks[:marked] if b.kind not in ("text", "heading")]
        return strip_lead_mark(blocks[marked].text) or None, kept + blocks[marked + 1:]
    return None, blocks


def _is_lead(block: Block, description: str | None) -> bool:
    if has_lead_mark(block.text):
        return True
    if len(block.text) < 60:
        return False
    if block.bold or block.kind == "heading":
        return True
    if description:
        text, desc = fold(strip_lead_mark(block.text)), fold(strip_lead_mark(description)).rstrip(".… ")
        # The description is the lead, or its start when the CMS cut it short.
        return text == desc or (len(desc) >= 60 and text.startswith(desc) and len(text) <= len(desc) * 1.2)
    return False


def _take_byline(blocks: list[Block]) -> tuple[list[Block], Byline | None]:
    """The byline is in the last short lines: a name (or `Bài, ảnh: …`, `Theo VOV`), perhaps with a
    role line under it, perhaps followed by a photo-credit line. Returns the blocks without it."""
    end = len(blocks)
    while end and blocks[end - 1].kind == "credit":
        end -= 1  # credit lines after the byline stay as credits, the byline is above them
    if not end or blocks[end - 1].kind != "text":
        return blocks, None
    last = blocks[end - 1]
    byline, used = _byline_from_lines(last.lines)
    if byline is not None:
        kept = last.lines[: len(last.lines) - used]
        rest = [Block("text", " ".join(kept), kept)] if kept else []
        return blocks[: end - 1] + rest + blocks[end:], byline
    # The name and the role in blocks of their own: `<p>Lỳ Lỳ Xá</p><p>Tỉnh ủy viên, …</p>`.
    if end >= 2 and blocks[end - 2].kind == "text" and is_role_line(last.text):
        byline = parse_byline_line(blocks[end - 2].text)
        if byline is not None and byline.authors and byline.role is None:
            byline.role = last.text
            return blocks[: end - 2] + blocks[end:], byline
    return blocks, None


def _byline_from_lines(lines: list[str]) -> tuple[Byline | None, int]:
    """A byline at the end of a block's lines: (name, role) or one line; and how many lines it used."""
    if len(lines) >= 2:
        byline = parse_byline_line(lines[-2])
        if byline is not None and byline.authors and byline.role is None and is_role_line(lines[-1]) \
                and not looks_like_name(lines[-1]):
            byline.role = lines[-1]
            return byline, 2
    byline = parse_byline_line(lines[-1])
    return (byline, 1) if byline is not None else (None, 0)


# -- output ----------------------------------------------------------------------------------


def _caption_and_credit(block: Block) -> tuple[str | None, str | None]:
    if block.kind != "image" or not block.caption:
        return None, None
    return split_caption_credit(block.caption)


def _credit_of(block: Block) -> str | None:
    return _caption_and_credit(block)[1]


def _photo_credits(blocks: list[Block], byline: Byline | None) -> list[str]:
    """Unique photographers in order of appearance: captions and credit lines, then the byline's."""
    names: list[str] = []
    for block in blocks:
        credit = _credit_of(block) if block.kind == "image" else photo_credit_line(block.text) if block.kind == "credit" else None
        if credit:
            names.extend(credit_names(credit))
    if byline is not None:
        names.extend(byline.photo_credits)
    seen: set[str] = set()
    return [name for name in names if not (fold(name) in seen or seen.add(fold(name)))]
