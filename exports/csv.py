"""CSV export for journalists: one row per article, as Excel opens it.

- UTF-8 with a byte-order mark: without one, Excel reads the file in the legacy code page and the
  Vietnamese turns to garbage.
- Formula defusing: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can run as
  a formula when the file is opened (CSV injection). By default such a text cell gets a leading `'`,
  which Excel shows; it also changes honest text such as `-5 độ C`, so `raw=True` writes every text as
  it is, for people who load the file with a program rather than open it.
- Counts (`view_count`, `version_count`) and the site id are written as plain integers: a spreadsheet
  locale would read `5.717` as five point seven.
- Rows stream from the archive's cursor to the output: memory stays flat however big the archive.

`version_count` counts the article's versions except those with `change = 'parser'`: a parser upgrade
re-reading the same page is not something the newsroom did. Times are ISO 8601 with `+07:00`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from archive.db import Archive
from exports.output import atomic_output, check_target

# (CSV column, source: a column of `Archive.iter_article_rows()`), in the order written.
COLUMNS: list[tuple[str, str]] = [
    ("url", "url"),
    ("article_id", "site_id"),
    ("title", "title"),
    ("category", "category"),
    ("published_at", "published_at"),
    ("updated_at", "updated_at"),
    ("view_count", "view_count"),
    ("authors", "authors"),
    ("author_role", "author_role"),
    ("source", "source"),
    ("sapo", "sapo"),
    ("version_count", "version_count"),
    ("state", "state"),
    ("gone_at", "gone_at"),
    ("first_seen", "first_seen"),
    ("last_seen", "last_seen"),
    ("last_changed", "last_changed"),
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AUTHOR_SEPARATOR = "; "


def defuse(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_rows(article_rows: Iterable[dict], *, raw: bool = False) -> Iterator[list]:
    """The CSV rows (header first) for rows of `Archive.iter_article_rows()`, one at a time."""
    yield [name for name, _ in COLUMNS]
    for article in article_rows:
        cells = []
        for name, source in COLUMNS:
            value = article.get(source)
            if name == "authors":
                value = AUTHOR_SEPARATOR.join(json.loads(value)) if value else ""
            if value is None:
                value = ""
            cells.append(value if raw else defuse(value))
        yield cells


def write_csv(archive_path: str | os.PathLike, out: str | os.PathLike | IO, raw: bool = False,
              force: bool = False) -> int:
    """Write one row per article of the archive at `archive_path` (every state, its current version)
    to `out`: a path, a binary stream, or a text stream (which should be UTF-8). Returns the number
    of articles written. The archive is opened read-only and checked first, so a crawl may be writing
    meanwhile and a damaged archive exports nothing. A path is written whole or not at all, never over
    an archive, and over another existing file only with `force` (`exports.output`)."""
    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise FileNotFoundError(f"no archive at {archive_path}")
    target = check_target(out, archive_path, force=force) if isinstance(out, (str, os.PathLike)) else None
    with Archive(archive_path, readonly=True, verify=True) as archive:
        rows = csv_rows(archive.iter_article_rows(), raw=raw)
        if target is not None:
            with atomic_output(target) as stream:
                return _write_binary(rows, stream)
        if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
            out.write("\ufeff")
            return _write(rows, out)
        return _write_binary(rows, out)


def _write_binary(rows: Iterator[list], out: IO[bytes]) -> int:
    """Encode over a binary stream, and leave it open for the caller."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        return _write(rows, text)
    finally:
        text.flush()
        text.detach()


def _write(rows: Iterator[list], stream: IO[str]) -> int:
    writer = csv.writer(stream)
    written = -1  # the header is not an article
    for row in rows:
        writer.writerow(row)
        written += 1
    return written
