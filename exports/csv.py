"""The journalists' CSV: opens right in Excel and LibreOffice, Vietnamese intact.

- UTF-8 with a byte-order mark (Excel reads UTF-8 without one as the locale's code page) and CRLF
  line ends; `bom=False` for tools that dislike the mark.
- Formula-safe: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is one a spreadsheet would
  run as a formula (CSV injection, as OWASP describes it), so it gets a leading `'`. `raw=True` writes
  text exactly, for programs.
- Counts are plain integers (`5717`, never `5.717` or `5,717`: a spreadsheet's locale would read a
  separator as a decimal point); times are ISO 8601 with their `+07:00` offset, and `published_local`
  repeats the publication time as a reader writes it, `dd/mm/yyyy HH:MM` (site time).
- Four shapes (`archive.exports`): one row per article (its current version), per version, per
  `Tin khác` link, or per view count read; filtered by `archive.selection`; columns chosen and
  ordered by name.
- Rows go from the archive's cursor to the output: memory stays flat however big the archive. A
  path is written whole or not at all, never over an archive (`exports.output`).

`version_count` counts the article's versions except those with `change = 'parser'`: a parser upgrade
re-reading the same page is not something the newsroom did.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from archive.db import Archive
from archive.exports import SHAPES, Prepared
from archive.selection import Selection
from exports.output import atomic_output, check_target

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AUTHOR_SEPARATOR = "; "
LOCAL_FORMAT = "%d/%m/%Y %H:%M"

Column = tuple[str, Callable[[dict], Any]]  # (heading, the cell from a row of `archive.exports`)


def local_time(iso: str | None) -> str:
    """`2024-02-29T08:00:00+07:00` → `29/02/2024 08:00`: as stored, in site time."""
    return datetime.fromisoformat(iso).strftime(LOCAL_FORMAT) if iso else ""


def _field(name: str) -> Callable[[dict], Any]:
    return lambda row: row.get(name)


def _names(field: str) -> Callable[[dict], str]:
    """A JSON list of names as one cell: `Minh Thùy; Quang Long`."""
    return lambda row: AUTHOR_SEPARATOR.join(json.loads(row[field])) if row.get(field) else ""


def _local(field: str) -> Callable[[dict], str]:
    return lambda row: local_time(row.get(field))


def _columns(*names: str, **special: Callable[[dict], Any]) -> list[Column]:
    return [(name, special.get(name) or _field(name)) for name in names]


# Each shape's columns, in the order written by default.
SHAPE_COLUMNS: dict[str, list[Column]] = {
    "articles": _columns(
        "url", "article_id", "title", "category", "published_at", "published_local", "updated_at", "view_count",
        "authors", "author_role", "source", "sapo", "version_count", "state", "gone_reason", "gone_at",
        "first_seen", "last_seen", "last_changed", "identity",
        article_id=_field("site_id"), published_local=_local("published_at"), authors=_names("authors")),
    "versions": _columns(
        "url", "article_id", "version", "change", "title", "category", "published_at", "published_local",
        "updated_at", "view_count", "authors", "author_role", "source", "sapo", "first_seen", "last_seen",
        "parser_version", "state", "identity",
        article_id=_field("site_id"), published_local=_local("published_at"), authors=_names("authors")),
    "related": _columns(
        "from_url", "from_title", "position", "to_url", "to_title", "link_title", "to_archived",
        "from_article_id", "from_identity", "to_identity"),
    "views": _columns(
        "url", "article_id", "title", "at", "at_local", "count", "identity",
        article_id=_field("site_id"), at_local=_local("at")),
}
# Written only when `--columns` names them: a whole body in every row makes a heavy sheet (and a
# cell holds at most 32 767 characters in Excel).
ON_REQUEST: dict[str, list[Column]] = {"articles": _columns("body_text"), "versions": _columns("body_text")}
COLUMNS = SHAPE_COLUMNS["articles"]
assert set(SHAPE_COLUMNS) == set(SHAPES)


class UnknownColumn(ValueError):
    """A column asked for that the shape does not have; the message lists those it has."""


def choose_columns(available: list[Column], names: list[str] | None, shape: str,
                   on_request: list[Column] = ()) -> list[Column]:
    """The columns named, in that order (all of `available` when `names` is None; `on_request` ones
    only when named), or `UnknownColumn`."""
    if names is None:
        return available
    by_name = dict([*available, *on_request])
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise UnknownColumn(f"{', '.join(map(repr, unknown))}: no such column in the {shape} shape "
                            f"(--columns list shows them)")
    if not names:
        raise UnknownColumn("no column named")
    return [(name, by_name[name]) for name in names]


def defuse(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_rows(rows: Iterable[dict], *, raw: bool = False, columns: list[Column] = COLUMNS) -> Iterator[list]:
    """The CSV rows (header first) for rows of `archive.exports`, one at a time."""
    yield [name for name, _ in columns]
    for row in rows:
        cells = []
        for _, cell_of in columns:
            value = cell_of(row)
            if value is None:
                value = ""
            cells.append(value if raw else defuse(value))
        yield cells


def export_rows(archive_path: str | os.PathLike, out: str | os.PathLike | IO, write: Callable[[Iterator[dict], IO], int],
                *, shape: str = "articles", selection: Selection | None = None, full: bool = False,
                force: bool = False, progress: Callable[[Iterator[dict], int], Iterator[dict]] | None = None) -> int:
    """Stream one shape's rows (`archive.exports`) through `write(rows, stream)` into `out`: a path, or
    an open stream. The target is checked, the archive opened read-only and verified, and the query
    checked (a `BadQuery` raised) before anything is written, so a bad request leaves no file. A path
    is written to a temporary beside it and renamed into place only when complete. `progress(rows,
    total)` may wrap the rows (a progress bar). Returns what `write` returns (rows written)."""
    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise FileNotFoundError(f"no archive at {archive_path}")
    selection = selection or Selection()
    target = check_target(out, archive_path, force=force) if isinstance(out, (str, os.PathLike)) else None
    with Archive(archive_path, readonly=True, verify=True) as archive:
        prepared = Prepared(archive, shape, selection, full=full)
        rows = prepared.rows()
        if progress is not None:
            rows = progress(rows, prepared.count())
        if target is not None:
            with atomic_output(target) as stream:
                return write(rows, stream)
        return write(rows, out)


@contextmanager
def text_stream(out: IO, *, bom: bool) -> Iterator[IO[str]]:
    """`out` as a UTF-8 text stream (with the BOM first when asked), left open for the caller."""
    if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
        if bom:
            out.write("\ufeff")
        yield out
        return
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True)
    try:
        yield text
    finally:
        text.flush()
        text.detach()


def write_csv(archive_path: str | os.PathLike, out: str | os.PathLike | IO, raw: bool = False,
              force: bool = False, *, shape: str = "articles", selection: Selection | None = None,
              columns: list[str] | None = None, bom: bool = True,
              progress: Callable[[Iterator[dict], int], Iterator[dict]] | None = None) -> int:
    """Write one shape of the archive at `archive_path` (by default one row per article, every state,
    its current version) to `out`: a path, a binary stream, or a text stream (which should be UTF-8).
    `columns` names the columns to write, in order (`UnknownColumn` for one the shape lacks). Returns
    the number of rows written, the header aside. The archive is opened read-only and checked first,
    so a crawl may be writing meanwhile and a damaged archive exports nothing. A path is written whole
    or not at all, never over an archive, and over another existing file only with `force`
    (`exports.output`)."""
    chosen = choose_columns(SHAPE_COLUMNS[shape], columns, shape, ON_REQUEST.get(shape, []))

    def write(rows: Iterator[dict], stream: IO) -> int:
        with text_stream(stream, bom=bom) as text:
            return _write(csv_rows(rows, raw=raw, columns=chosen), text)

    return export_rows(archive_path, out, write, shape=shape, selection=selection, force=force, progress=progress)


def _write(rows: Iterator[list], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\r\n")  # RFC 4180's line end, which Excel expects
    written = -1  # the header is not a row of the archive
    for row in rows:
        writer.writerow(row)
        written += 1
    return written
