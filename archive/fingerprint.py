"""The editorial fingerprint: what decides whether a fetch shows a new version of an article.

A version is the article as its editors wrote it, so the fingerprint covers exactly the editorial
fields: title, sapo, body text, byline (authors, author role, source agency), category, images (source,
caption, credit), photo credits and the `Tin khác` related links. It leaves out everything that moves
without an editor: the view counter, fetch times and headers, the markup (`body_html`), the raw date
strings, the parser's warnings, the page's URL (a new slug is the same article), dates.

Each text is normalised first so that presentation does not count as an edit: Unicode NFC, the site's
`Ð` (U+00D0) read as `Đ`, zero-width characters dropped, runs of whitespace collapsed. Letter case and
paragraph boundaries are content: an edit that fixes `hà nội` to `Hà Nội`, or splits a paragraph in
two, is an edit (the body is hashed as its list of paragraphs).
Image sources lose their scheme, host and query (a CDN host, domain generation or resize parameter is
chrome). Related links count as the set of identities they point to (host-free, `crawler.urls`): their order
is layout, and their titles are the *linked* articles' titles, so an edit there would otherwise show
as an edit here too.

The payload starts with `FINGERPRINT_SCHEME`, and each version records the scheme that made its
fingerprint. Change the rules and the scheme name with them: the archive then compares a fetch with
the current version's stored fields fingerprinted under the new scheme (like with like), so a new
scheme alone never reads as an edit.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from crawler.article import Article

from crawler.urls import link_identity, without_host

# /3: a related link to a page addressed by its query is told from its siblings by the query
# (`crawler.urls.link_identity`), where /2 keyed them all by the path.
FINGERPRINT_SCHEME = "dbp-fingerprint/3"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})  # Ð→Đ, ð→đ
_RARE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00d0\u00f0]")  # what the two tables change


def normalise_text(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if _RARE.search(text):  # rare in parsed text, and translate() is slow: look before translating
        text = text.translate(_ZERO_WIDTH).translate(_LOOKALIKES)
    return " ".join(text.split())  # runs of whitespace collapsed (`str.isspace`, as `\s` is), ends stripped


def paragraphs(body_text: str | None) -> list[str]:
    """The body's paragraphs (the parser separates them with a blank line), each normalised."""
    return [p for p in (normalise_text(part) for part in _PARAGRAPH_BREAK.split(body_text or "")) if p]


def editorial_content(article: Article) -> list:
    """The normalised editorial fields, in a fixed shape: what the fingerprint hashes."""
    return [
        FINGERPRINT_SCHEME,
        normalise_text(article.title),
        normalise_text(article.sapo),
        paragraphs(article.body_text),
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
