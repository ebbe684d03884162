"""JSON Lines: one JSON object per line, UTF-8 without a byte-order mark, for programs.

The `articles` and `versions` shapes carry every field of the version as the parser read it: lists
and objects as JSON (`authors` a list of names, `images` a list of `{"src", "caption", "credit"}`,
`related` a list of `{"url", "title"}`, `raw` an object), the cleaned body markup decoded
(`body_html`), plus the article's `identity`, `state` (with `gone_reason`, `gone_at`) and `aliases`,
the other URLs it answered at. `related` and `views` have the CSV's columns, typed. The same shapes,
filters and column choice as the CSV (`exports.csv`), and the same guarantees about where it writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import IO, Any

from archive.selection import Selection
from exports.csv import Column, choose_columns, export_rows, text_stream

_JSON_FIELDS = ("aliases", "authors", "photo_credits", "images", "related", "raw", "warnings")


def _field(name: str) -> Callable[[dict], Any]:
    if name in _JSON_FIELDS:
        return lambda row: json.loads(row[name]) if row.get(name) is not None else None
    return lambda row: row.get(name)


def _columns(*names: str, **special: Callable[[dict], Any]) -> list[Column]:
    return [(name, special.get(name) or _field(name)) for name in names]


_VERSION_KEYS = ("url", "canonical_url", "title", "category", "published_at", "updated_at", "authors", "author_role",
                 "source", "sapo", "body_text", "body_html", "photo_credits", "images", "related", "raw", "warnings",
                 "version", "version_id", "change", "parser_version", "fingerprint", "fingerprint_scheme",
                 "capture_id", "first_seen", "last_seen")
_ARTICLE_KEYS = ("identity", "article_id", "state", "gone_status", "gone_reason", "gone_at", "aliases")

SHAPE_KEYS: dict[str, list[Column]] = {
    "articles": _columns(*_ARTICLE_KEYS, *_VERSION_KEYS, "version_count", "view_count", "view_count_at",
                         article_id=_field("site_id")),
    "versions": _columns(*_ARTICLE_KEYS, *_VERSION_KEYS, "view_count", article_id=_field("site_id")),
    "related": _columns("from_url", "from_title", "position", "to_url", "to_title", "link_title", "to_archived",
                        "from_article_id", "from_identity", "to_identity",
                        to_archived=lambda row: bool(row["to_archived"])),
    "views": _columns("url", "article_id", "title", "at", "count", "identity", article_id=_field("site_id")),
}


def json_lines(rows: Iterator[dict], columns: list[Column]) -> Iterator[str]:
    for row in rows:
        yield json.dumps({name: value_of(row) for name, value_of in columns}, ensure_ascii=False) + "\n"


def write_jsonl(archive_path: str | os.PathLike, out: str | os.PathLike | IO, force: bool = False, *,
                shape: str = "articles", selection: Selection | None = None, columns: list[str] | None = None,
                progress: Callable[[Iterator[dict], int], Iterator[dict]] | None = None) -> int:
    """Write one shape of the archive at `archive_path` to `out` (a path, a binary or a text stream),
    one object per line with the keys `columns` names (all by default). Returns the lines written."""
    chosen = choose_columns(SHAPE_KEYS[shape], columns, shape)

    def write(rows: Iterator[dict], stream: IO) -> int:
        written = 0
        with text_stream(stream, bom=False) as text:
            for line in json_lines(rows, chosen):
                text.write(line)
                written += 1
        return written

    return export_rows(archive_path, out, write, shape=shape, selection=selection, full=shape in ("articles", "versions"),
                       force=force, progress=progress)
