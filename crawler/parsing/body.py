"""From the walked blocks to the article's parts: chrome dropped, end of article cut, captions
attached to their images, the lead (sapo) and the byline taken out, the rest is the body."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from crawler.article import Image
from crawler.parsing.byline import (
    Byline, credit_names, is_role_line, looks_like_name, parse_byline_line, photo_credit_line,
    split_caption_credit,
)
from crawler.parsing.content import Block
from crawler.parsing.labels import is_chrome, is_end_heading, is_related_heading
from crawler.parsing.markup import BLOCK_TAGS, figure_html, heading_tag, inline_html, tag_of, text_of
from crawler.parsing.text import fold, normalize, strip_punctuation
from crawler.parsing.vocabulary import VOCABULARY

LONG_PARAGRAPH = 80  # a block at least this long is body text, not furniture
_LEAD_MARK = re.compile(
    r"^(?:" + "|".join(re.escape(mark) for mark in VOCABULARY.lead_marks) + r")\s*[-–—:]\s*",
)


@dataclass
class Body:
    sapo: str | None = None
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    byline: Byline | None = None
    photo_credits: list[str] = field(default_factory=list)
    listing_links: int = 0  # distinct teaser-like links inside the body's range
    related_headings: list = field(default_factory=list)  # other-news headings met inside the body
    text: str = ""
    html: str = ""


def strip_lead_mark(text: str) -> str:
    """`ĐBP - Đổi mới …` -> `Đổi mới …` (also `(ĐBP) -`, en dash)."""
    return _LEAD_MARK.sub("", text, count=1)


def has_lead_mark(text: str) -> bool:
    return bool(_LEAD_MARK.match(text))


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
    if body.byline is None and top_byline is not None:
        body.byline = top_byline
    body.blocks = blocks
    body.images = [Image(b.src, b.caption, b.alt) for b in blocks if b.kind == "image"]  # alt replaced below
    body.images = [Image(b.src, *_caption_and_credit(b)) for b in blocks if b.kind == "image"]
    body.photo_credits = _unique(
        [name for image in body.images if image.credit for name in credit_names(image.credit)]
        + (body.byline.photo_credits if body.byline else [])
    )
    body.text = "\n\n".join(paragraph for block in blocks for paragraph in _paragraphs(block))
    body.html = "".join(_html(block, base_url) for block in blocks)
    return body


# -- steps -----------------------------------------------------------------------------------


def _drop_chrome(blocks: list[Block], body: Body) -> list[Block]:
    kept = []
    teaser_links: set[str] = set()
    for block in blocks:
        if block.kind == "image":
            kept.append(block)
            continue
        if is_end_heading(block.text):
            block.kind = "related-end" if is_related_heading(block.text) else "end"
            kept.append(block)
            continue
        if is_chrome(block.text):
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
    """Short lines before the first real paragraph are the header's leftovers (category, author,
    date pieces); a name among them is kept as a byline of last resort."""
    top_byline = None
    for index, block in enumerate(blocks):
        if block.kind == "image" or block.kind == "heading" or len(block.text) >= LONG_PARAGRAPH:
            return blocks[index:], top_byline
        if top_byline is None:
            top_byline = parse_byline_line(block.text, allow_caps=False)
    return [], top_byline


def _attach_captions(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        previous = kept[-1] if kept else None
        if previous is not None and previous.kind == "image" and block.kind == "text":
            credit = photo_credit_line(block.text)
            if credit and not _credit_of(previous):
                previous.caption = f"{previous.caption} Ảnh: {credit}" if previous.caption else f"Ảnh: {credit}"
                continue
            if previous.caption is None and _looks_like_caption(block):
                previous.caption = block.text
                continue
        if block.kind == "text" and photo_credit_line(block.text):
            # A credit line away from any image: the credit counts, the line is not body text.
            kept.append(Block("credit", block.text))
            continue
        kept.append(block)
    return kept


def _looks_like_caption(block: Block) -> bool:
    if len(block.text) > 400:
        return False
    if block.italic or split_caption_credit(block.text)[1]:
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
        return text == desc or (len(desc) >= 60 and text.startswith(desc)) and len(text) <= len(desc) * 1.2
    return False


def _take_byline(blocks: list[Block]) -> tuple[list[Block], Byline | None]:
    """The byline is the last short lines: credit lines, a name (or `Bài, ảnh: …`), a role line."""
    extra_credits: list[str] = []
    while blocks and blocks[-1].kind == "credit":
        extra_credits.insert(0, photo_credit_line(blocks[-1].text) or "")
        blocks = blocks[:-1]
    tail = [i for i in range(len(blocks) - 1, max(len(blocks) - 4, -1), -1) if blocks[i].kind == "text"]
    byline = None
    if tail:
        last = blocks[tail[0]]
        lines = last.lines if len(last.lines) > 1 else [last.text]
        byline, used_lines = _byline_from_lines(lines)
        if byline is not None:
            remaining = lines[: len(lines) - used_lines]
            blocks = blocks[: tail[0]] + ([Block("text", " ".join(remaining), remaining)] if remaining else [])
        elif len(tail) > 1 and tail[1] == tail[0] - 1 and is_role_line(last.text):
            name_block = blocks[tail[1]]
            byline = parse_byline_line(name_block.text)
            if byline is not None and byline.authors and byline.role is None:
                byline.role = last.text
                blocks = blocks[: tail[1]]
            else:
                byline = None
    blocks = [b for b in blocks if b.kind != "credit" or not extra_credits.append(photo_credit_line(b.text) or "")]
    if extra_credits:
        byline = byline or Byline()
        byline.photo_credits = _unique(byline.photo_credits + [n for c in extra_credits if c for n in credit_names(c)])
    return blocks, byline


def _byline_from_lines(lines: list[str]) -> tuple[Byline | None, int]:
    """A byline at the end of `lines`: (name, role) or one line; with how many lines it used."""
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
    if not block.caption:
        return None, None
    return split_caption_credit(block.caption)


def _credit_of(block: Block) -> str | None:
    return _caption_and_credit(block)[1]


def _paragraphs(block: Block) -> list[str]:
    if block.kind in ("text", "heading", "quote", "list"):
        return [line for line in block.lines if line]
    return []


def _html(block: Block, base_url: str) -> str:
    if block.kind == "image":
        caption, credit = _caption_and_credit(block)
        return figure_html(block.src, block.alt, caption, credit)
    if block.kind == "list":
        items = "".join(f"<li>{inline_html(li, base_url)}</li>" for li in block.element if tag_of(li) == "li")
        return f"<{block.tag}>{items}</{block.tag}>"
    if block.element is not None:
        inner = inline_html(block.element, base_url)
    elif block.inline_nodes:
        inner = _run_html(block.inline_nodes, base_url)
    else:
        inner = html.escape(block.text, quote=False)
    if block.kind == "heading":
        tag = heading_tag(block.tag)
        return f"<{tag}>{inner}</{tag}>"
    if block.kind == "quote":
        parts = [child for child in block.element if tag_of(child) in BLOCK_TAGS] if block.element is not None else []
        paragraphs = "".join(f"<p>{inline_html(part, base_url)}</p>" for part in parts) or f"<p>{inner}</p>"
        return f"<blockquote>{paragraphs}</blockquote>"
    return f"<p>{inner}</p>"


def _run_html(pieces: list, base_url: str) -> str:
    from crawler.parsing.markup import _inline_node  # the serialiser of one inline element

    return normalize("".join(html.escape(p, quote=False) if isinstance(p, str) else _inline_node(p, base_url) for p in pieces))


def _unique(names: list[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        key = fold(name)
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result
