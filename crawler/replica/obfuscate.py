"""Obfuscation: the same page with every class and id renamed (but an icon font's, which draw the
icon) and its block wrappers swapped.

A parser that keys on `class="detail__content"` or on `<article>` breaks here; one that reads the
structure a reader perceives does not. What a reader sees is unchanged: text, links, images, headings,
paragraphs, lists, `<meta>`, `<link>`, `<time>` and JSON-LD pass through untouched; stylesheets and
`#fragment` references are rewritten along with the names, so the page still styles and links the same.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from html.parser import HTMLParser

# Elements that only group others; each becomes one of SWAPPED_WRAPPERS (never itself).
WRAPPERS = frozenset({"div", "section", "article", "aside", "header", "footer", "nav", "main"})
SWAPPED_WRAPPERS = ("div", "section", "article", "table")  # "table": a one-cell <table><tr><td> wrapper
_CSS_NAME = re.compile(r"(?<![\w-])([.#])(-?[A-Za-z_][\w-]*)")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# An icon font's classes are its glyph, as an image's address is its picture: renamed, the eye beside
# a counter would vanish from the page. They stay (Font Awesome's, Bootstrap's, Glyphicons').
ICON_FONT_CLASS = re.compile(r"^(?:fa|fas|far|fa-[\w-]+|bi|bi-[\w-]+|glyphicon|glyphicon-[\w-]+)$")


def token(seed: int, kind: str, name: str) -> str:
    """A random-looking name, stable for (seed, kind, name) so every reference to a name agrees."""
    digest = hashlib.blake2s(f"{seed}\0{kind}\0{name}".encode(), digest_size=8).digest()
    number = int.from_bytes(digest, "big")
    chars = [_ALPHABET[number % 26]]  # names start with a letter
    number //= 26
    for _ in range(7):
        chars.append(_ALPHABET[number % 36])
        number //= 36
    return "".join(chars)


def obfuscate(page: str, seed: int) -> str:
    rewriter = _Rewriter(seed)
    rewriter.feed(page)
    rewriter.close()
    return "".join(rewriter.out)


def rewrite_css(css: str, seed: int) -> str:
    """Rename `.class` and `#id` in selectors; declarations (`#fff`, `.5em`) are left alone."""
    pieces = re.split(r"([{}])", css)
    for i in range(0, len(pieces) - 1):
        if pieces[i + 1] == "{" and not pieces[i].lstrip().startswith("@"):
            pieces[i] = _CSS_NAME.sub(
                lambda m: m.group(1) + token(seed, "class" if m.group(1) == "." else "id", m.group(2)), pieces[i])
    return "".join(pieces)


class _Rewriter(HTMLParser):
    def __init__(self, seed: int):
        super().__init__(convert_charrefs=False)  # keep entities exactly as written
        self.seed = seed
        self.rng = random.Random(f"obfuscate/{seed}")
        self.out: list[str] = []
        self.open_wrappers: list[tuple[str, str]] = []  # (original tag, replacement)
        self.in_style = False
        self.links_open = 0  # `<a>` elements open around the current position

    # -- tags --
    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag, attrs, self_closing):
        attrs = [self._rename(name, value) for name, value in attrs]
        if tag == "a" and not self_closing:
            self.links_open += 1
        if tag in WRAPPERS and not self_closing:
            replacement = self.rng.choice([w for w in SWAPPED_WRAPPERS if w != tag])
            if replacement == "table" and self.links_open:
                # (a table inside a link: HTML5 keeps it there, but libxml2 — as lxml parses — closes the
                # link before it, which no reader would see)
                replacement = "section" if tag != "section" else "div"
            self.open_wrappers.append((tag, replacement))
            if replacement == "table":
                self.out.append(f"<table{_attributes(attrs)}><tr><td>")
            else:
                self.out.append(f"<{replacement}{_attributes(attrs)}>")
            return
        self.in_style = tag == "style"
        self.out.append(f"<{tag}{_attributes(attrs)}{' /' if self_closing else ''}>")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag == "a" and self.links_open:
            self.links_open -= 1
        if tag in WRAPPERS and self.open_wrappers and self.open_wrappers[-1][0] == tag:
            _, replacement = self.open_wrappers.pop()
            self.out.append("</td></tr></table>" if replacement == "table" else f"</{replacement}>")
            return
        self.out.append(f"</{tag}>")

    def _rename(self, name, value):
        if value is None:
            return name, value
        if name == "class":
            return name, " ".join(c if ICON_FONT_CLASS.match(c) else token(self.seed, "class", c) for c in value.split())
        if name in ("id", "for"):
            return name, token(self.seed, "id", value)
        if name in ("href", "xlink:href") and value.startswith("#") and len(value) > 1:
            return name, "#" + token(self.seed, "id", value[1:])
        return name, value

    # -- everything else passes through as written --
    def handle_data(self, data):
        self.out.append(rewrite_css(data, self.seed) if self.in_style else data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def _attributes(attrs) -> str:
    return "".join(f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
                   for name, value in attrs)
