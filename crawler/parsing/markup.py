"""Small helpers over lxml elements shared by the readers: an element's text, hidden elements, an
image's real address, and the cleaned-HTML serialiser used for `body_html`."""

from __future__ import annotations

import html

from lxml import etree

from crawler.parsing.text import normalize
from crawler.parsing.urls import absolute

# Never content: scripts, forms, navigation, embedded widgets.
SKIP_TAGS = frozenset(
    "script style noscript template form button input select option textarea iframe nav aside svg "
    "canvas object embed video audio map area label link meta head title".split()
)
# What body_html keeps (everything else is unwrapped, its text kept).
_KEPT_INLINE = frozenset(("strong", "em", "b", "i", "a", "br", "sup", "sub"))
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
    if tag == "img" or tag == "amp-img":
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


def figure_html(src: str, alt: str | None, caption: str | None, credit: str | None) -> str:
    alt_attribute = f' alt="{html.escape(alt)}"' if alt else ""
    caption_text = " ".join(part for part in (caption, f"Ảnh: {credit}" if credit else None) if part)
    figcaption = f"<figcaption>{html.escape(caption_text, quote=False)}</figcaption>" if caption_text else ""
    return f'<figure><img src="{html.escape(src)}"{alt_attribute}>{figcaption}</figure>'
