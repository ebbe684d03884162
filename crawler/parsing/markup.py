"""Small helpers over lxml elements shared by the readers: tag classes, text with line breaks,
link density, and the cleaned-HTML serialiser used for `body_html`."""

from __future__ import annotations

import html

from lxml import etree

from crawler.parsing.text import normalize
from crawler.parsing.urls import absolute

# Elements that start a new block of text when a reader looks at the page.
BLOCK_TAGS = frozenset(
    "p div section article main header footer table tbody thead tfoot tr td th ul ol li dl dt dd "
    "h1 h2 h3 h4 h5 h6 blockquote figure figcaption center pre hr address details summary form "
    "aside nav caption fieldset".split()
)
# Never content: scripts, forms, navigation, embedded widgets.
SKIP_TAGS = frozenset(
    "script style noscript template form button input select option textarea iframe nav aside svg "
    "canvas object embed video audio map area label link meta head title".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
ITALIC_TAGS = frozenset(("em", "i"))
BOLD_TAGS = frozenset(("strong", "b"))
# What body_html keeps (everything else is unwrapped, its text kept).
_KEPT_INLINE = frozenset(("strong", "em", "b", "i", "a", "br", "sup", "sub"))
_HEADING_LEVEL = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
LAZY_SRC_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "src")


# An element's text with its descendants' (what lxml.html's text_content does, for plain etree
# elements: the parser skips lxml.html's Python class lookup, which triples the cost of every node).
text_of = etree.XPath("string()", smart_strings=False)


def tag_of(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def is_hidden(element) -> bool:
    style = element.get("style")
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(style) and "none" in style and ("display:none" in style.replace(" ", "") or "visibility:hidden" in style.replace(" ", ""))


def is_centered(element) -> bool:
    if (element.get("align") or "").lower() == "center":
        return True
    style = element.get("style")
    return bool(style) and "center" in style and "text-align" in style


def text_lines(element_or_pieces) -> list[str]:
    """The text split at `<br>`s, at nested blocks, and where two pieces are glued with no space
    into a word that changes case mid-way (`Mùa A Vảng` + `Ủy viên …` set in sibling elements
    without a space reads `VảngỦy`: no Vietnamese word does that, so it is a line break).
    Takes an element or a run of pieces (strings and inline elements); lines are normalised."""
    lines: list[str] = []
    current: list[str] = []

    def add(text: str) -> None:
        if current and _glued(current[-1], text):
            flush()
        current.append(text)

    def visit(node) -> None:
        tag = tag_of(node)
        if tag in SKIP_TAGS:
            return
        if tag == "br" or tag in BLOCK_TAGS:
            flush()
        if node.text and tag != "br":
            add(node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                add(child.tail)
        if tag in BLOCK_TAGS:
            flush()

    def flush() -> None:
        line = normalize("".join(current))
        current.clear()
        if line:
            lines.append(line)

    if isinstance(element_or_pieces, list):
        for piece in element_or_pieces:
            add(piece) if isinstance(piece, str) else visit(piece)
    else:
        visit(element_or_pieces)
    flush()
    return lines


def _glued(before: str, after: str) -> bool:
    return bool(before) and bool(after) and before[-1].isalpha() and before[-1].islower() and after[0].isupper()


def link_text_length(element) -> int:
    """Characters of the element's text that are inside links."""
    return sum(len(normalize(text_of(a))) for a in element.iter("a"))


def is_all_italic(element) -> bool:
    """`<p><em>caption</em></p>`: all of the element's text sits inside em/i."""
    if tag_of(element) in ITALIC_TAGS:
        return True
    italic = sum(len(normalize(text_of(e))) for e in element.iter("em", "i") if tag_of(e.getparent()) not in ITALIC_TAGS)
    return italic > 0 and italic >= len(normalize(text_of(element))) - 1


def is_all_bold(element) -> bool:
    if tag_of(element) in BOLD_TAGS:
        return True
    bold = sum(len(normalize(text_of(e))) for e in element.iter("strong", "b") if tag_of(e.getparent()) not in BOLD_TAGS)
    return bold > 0 and bold >= len(normalize(text_of(element))) - 1


def image_source(img, base_url: str) -> str | None:
    """The real address of an image, looking past lazy-loading placeholders; absolute."""
    for attribute in LAZY_SRC_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return absolute(value, base_url)
    srcset = img.get("data-srcset") or img.get("srcset")
    if srcset:
        first = srcset.split(",")[0].strip().split(" ")[0]
        if first and not first.startswith("data:"):
            return absolute(first, base_url)
    return None


def inline_html(element, base_url: str) -> str:
    """The element's content as cleaned HTML: only emphasis, links and line breaks survive,
    with no attribute but an absolute href. Normalised once, at the top."""
    return normalize(_content_html(element, base_url))


def inline_node_html(node, base_url: str) -> str:
    """One inline element as cleaned HTML (normalised)."""
    return normalize(_node_html(node, base_url))


def _content_html(element, base_url: str) -> str:
    parts: list[str] = []
    if element.text:
        parts.append(html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str) and tag_of(child) not in SKIP_TAGS:
            parts.append(_node_html(child, base_url))
        if child.tail:
            parts.append(html.escape(child.tail, quote=False))
    return "".join(parts)


def _node_html(node, base_url: str) -> str:
    tag = tag_of(node)
    if tag == "br":
        return "<br>"
    if tag == "img":
        return ""  # images are lifted out into figures by the content reader
    inner = _content_html(node, base_url)
    if tag not in _KEPT_INLINE or not inner.strip():
        return inner
    if tag == "a":
        href = (node.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            return inner
        return f'<a href="{html.escape(absolute(href, base_url))}">{inner}</a>'
    return f"<{tag}>{inner}</{tag}>"


def heading_tag(tag: str) -> str:
    return _HEADING_LEVEL.get(tag, "h3")


def figure_html(src: str, alt: str | None, caption: str | None, credit: str | None) -> str:
    alt_attribute = f' alt="{html.escape(alt)}"' if alt else ""
    caption_text = " ".join(part for part in (caption, f"Ảnh: {credit}" if credit else None) if part)
    figcaption = f"<figcaption>{html.escape(caption_text, quote=False)}</figcaption>" if caption_text else ""
    return f'<figure><img src="{html.escape(src)}"{alt_attribute}>{figcaption}</figure>'
