"""`body_html`: the kept blocks as clean markup — p, h2–h4, lists, blockquote, figure with img and
figcaption, and inside them only strong/em/b/i, links and line breaks; no class, style or script."""

from __future__ import annotations

import html

from crawler.parsing.content import Block
from crawler.parsing.markup import BLOCK_TAGS, figure_html, heading_tag, inline_html, inline_node_html, tag_of
from crawler.parsing.text import normalize


def block_html(block: Block, base_url: str, caption: str | None = None, credit: str | None = None) -> str:
    if block.kind == "image":
        return figure_html(block.src, block.alt, caption, credit)
    if block.kind == "list":
        items = "".join(f"<li>{inline_html(li, base_url)}</li>" for li in block.element if tag_of(li) == "li")
        return f"<{block.tag}>{items}</{block.tag}>"
    if block.kind == "quote" and block.element is not None:
        parts = [child for child in block.element if tag_of(child) in BLOCK_TAGS] or [block.element]
        return "<blockquote>" + "".join(f"<p>{inline_html(part, base_url)}</p>" for part in parts) + "</blockquote>"
    if block.element is not None and not len(block.element) and block.text:
        inner = html.escape(block.text, quote=False)  # plain text: its normalised form is the markup
    elif block.element is not None:
        inner = inline_html(block.element, base_url)
    elif block.inline_nodes:
        inner = normalize("".join(
            html.escape(piece, quote=False) if isinstance(piece, str) else inline_node_html(piece, base_url)
            for piece in block.inline_nodes
        ))  # (each piece is normalised, then the run: spaces between pieces collapse)
    else:
        inner = html.escape(block.text, quote=False)
    if block.kind == "heading":
        tag = heading_tag(block.tag)
        return f"<{tag}>{inner}</{tag}>"
    return f"<p>{inner}</p>"
