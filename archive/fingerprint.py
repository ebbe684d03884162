"""The editorial fingerprint: what decides whether a fetch shows a new version of an article.

A version is the article as its editors wrote it, so the fingerprint covers exactly the editorial
fields: title, sapo, body text, byline (authors, author role, source agency), category, images (source,
caption, credit), photo credits and the `Tin khác` related links. It leaves out everything that moves
without an editor: the view counter, fetch times and headers, the markup (`body_html`), the raw date
strings, the parser's warnings, the page's URL (a new slug is the same article), dates.

Each text is normalised first so that presentation does not count as an edit: Unicode NFC, the site's
`Ð` (U+00D0) read as `Đ`, zero-width characters dropped, runs of whitespace collapsed, case folded.
Image sources lose their scheme, host and query (a CDN host, domain generation or resize parameter is
chrome). Related links count as the set of identities they point to: their order is layout, and their
titles are the *linked* articles' titles, so an edit there would otherwise show as an edit here too.

The payload starts with `FINGERPRINT_SCHEME`: change the rules and the scheme name with them, and
migrate stored fingerprints, or every article will look edited.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from crawler.article import Article

from crawler.urls import link_identity, without_host

FINGERPRINT_SCHEME = "dbp-fingerprint/1"

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})  # Ð→Đ, ð→đ
_WHITESPACE = re.compile(r"\s+")
_RARE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00d0\u00f0]")  # what the two tables change


def normalise_text(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if _RARE.search(text):  # rare in parsed text, and translate() is slow: look before translating
        text = text.translate(_ZERO_WIDTH).translate(_LOOKALIKES)
    return _WHITESPACE.sub(" ", text).strip().casefold()


def editorial_content(article: Article) -> list:
    """The normalised editorial fields, in a fixed shape: what the fingerprint hashes."""
    return [
        FINGERPRINT_SCHEME,
        normalise_text(article.title),
        normalise_text(article.sapo),
        normalise_text(article.body_text),
        [normalise_text(name) for name in article.authors],
        normalise_text(article.author_role),
        normalise_text(article.source),
        normalise_text(article.category),
        [[without_host(image.src), normalise_text(image.caption), normalise_text(image.credit)]
         for image in article.images],
        [normalise_text(name) for name in article.photo_credits],
        sorted({link_identity(link.url) for link in article.related}),
    ]


def fingerprint(article: Article) -> str:
    """sha256 (hex) of the article's normalised editorial content."""
    payload = json.dumps(editorial_content(article), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
