"""The article parser: response bytes + URL (+ headers) -> `Article`.

The page is read as a reader reads it: as lines of text in document order (`lines`), each with its
tag, emphasis and links. The headline anchors the article's range (`regions`): the short lines on
either side of it, the run of paragraphs, the end that comments, tags or other-news headings mark.
Each field is then chosen by what its lines say — a date, a counter, a byline, a label, a caption —
with page metadata filling in what no line shows: `encoding` (bytes -> document), `metadata`,
`headline` (title, category), `dateline` and `metaline` (dates, views), `body` (text, photos, lead,
byline), `related`, `health` (what a reader sees that the parser did not find), `classify` (not an
article).
"""

from crawler.article import NotAnArticle

# Bump whenever the output for the same input changes (the archive keeps versions by it).
PARSER_VERSION = "2.10.1"

__all__ = ["PARSER_VERSION", "parse_article", "NotAnArticle"]


def __getattr__(name: str):
    # `parse_article` on first use (PEP 562): the archive's readers import `crawler.parsing.text`,
    # which runs this file, and must not pay for the whole parser and its libraries.
    if name == "parse_article":
        from crawler.parsing.reader import parse_article

        return parse_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
