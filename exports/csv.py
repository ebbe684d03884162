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
- SQLite makes each row's line and Python writes them in batches (`exports.csv_lines`, the same
  bytes); this module's cell-by-cell writer is the rule, and writes what those lines cannot hold.

`version_count` counts the article's versions except those with `change = 'parser'`: a parser upgrade
re-reading the same page is not something the newsroom did.
"""

from __future__ import annotations

import io
import json
import operator
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


def names_cell(names_json: str | None) -> str:
    """A JSON list of names as one cell: `Minh Thùy; Quang Long`."""
    return AUTHOR_SEPARATOR.join(json.loads(names_json)) if names_json else ""


# The two conversions as SQL over a field (`{}`), for lines that SQLite makes: the times and lists the
# archive stores (`archive.times.to_iso`, compact JSON) are rearranged in SQL, anything else is handed
# to the function above (registered under these names), so every value converts exactly as above.
SQL_FUNCTIONS = {"dbp_local_time": local_time, "dbp_names_cell": names_cell}
# A time SQLite writes back unchanged through a modifier (which moves 30 February to March) is a real
# date and time; `>= '1'`: a year from 1000 (strftime's `%Y` writes 0999, Python's 999). NULL and ''
# go to the function too (rare: a page without a date).
LOCAL_TIME_SQL = ("CASE WHEN strftime('%Y-%m-%dT%H:%M:%S+07:00', substr({}, 1, 19), '+0 seconds') = {} AND {} >= '1'"
                  " THEN strftime('" + LOCAL_FORMAT + "', substr({}, 1, 19)) ELSE dbp_local_time({}) END")
# `["a","b"]` with no backslash (no escapes) is a list of plain strings (the column's json_valid check
# rules out control characters) if its only quotes are the separators': its names are the text
# between them. Any other quote (`["a", "b"]`, `["a",1]`) stays in the names, and a line with a quote
# in a cell is written by the cell-by-cell writer (`exports.csv_lines`), from the stored JSON.
NAMES_SQL = ("CASE WHEN {} = '[]' THEN '' WHEN {} LIKE '[\"%\"]' AND NOT instr({}, '\\')"
             " THEN replace(substr({}, 3, length({}) - 4), '\",\"', '" + AUTHOR_SEPARATOR + "')"
             " ELSE dbp_names_cell({}) END")


class Cell:
    """A column's cell: one field of the row, as stored or through `convert`. Knowing the field lets
    an export read only the fields its columns show, and take them from a row in one step. `sql`, for
    a converted cell, is the same conversion as SQL over the field (`{}`), so that SQLite can make
    the whole line (`exports.csv_lines`)."""

    __slots__ = ("field", "convert", "sql")

    def __init__(self, field: str, convert: Callable[[Any], Any] | None = None, sql: str | None = None):
        self.field, self.convert, self.sql = field, convert, sql

    def __call__(self, row: dict) -> Any:
        value = row.get(self.field)
        return value if self.convert is None else self.convert(value)


def fields_of(columns: list[Column]) -> list[str] | None:
    """The row fields these columns read, or None (every field) when a column is not a `Cell`."""
    if not all(isinstance(cell_of, Cell) for _, cell_of in columns):
        return None
    return [cell_of.field for _, cell_of in columns]


def _columns(*names: str, **special: Cell) -> list[Column]:
    return [(name, special.get(name) or Cell(name)) for name in names]


# Each shape's columns, in the order written by default.
SHAPE_COLUMNS: dict[str, list[Column]] = {
    "articles": _columns(
        "url", "article_id", "title", "category", "published_at", "published_local", "updated_at", "view_count",
        "authors", "author_role", "source", "sapo", "version_count", "state", "gone_reason", "gone_at",
        "first_seen", "last_seen", "last_changed", "identity",
        article_id=Cell("site_id"), published_local=Cell("published_at", local_time, LOCAL_TIME_SQL),
        authors=Cell("authors", names_cell, NAMES_SQL)),
    "versions": _columns(
        "url", "article_id", "version", "change", "title", "category", "published_at", "published_local",
        "updated_at", "view_count", "authors", "author_role", "source", "sapo", "first_seen", "last_seen",
        "parser_version", "state", "identity",
        article_id=Cell("site_id"), published_local=Cell("published_at", local_time, LOCAL_TIME_SQL),
        authors=Cell("authors", names_cell, NAMES_SQL)),
    "related": _columns(
        "from_url", "from_title", "position", "to_url", "to_title", "link_title", "to_archived",
        "from_article_id", "from_identity", "to_identity"),
    "views": _columns(
        "url", "article_id", "title", "at", "at_local", "count", "identity",
        article_id=Cell("site_id"), at_local=Cell("at", local_time, LOCAL_TIME_SQL)),
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
    twice = [name for name in dict.fromkeys(names) if names.count(name) > 1]
    if twice:  # a sheet with two columns of one name: a formula or a join reads the wrong one
        raise UnknownColumn(f"{', '.join(map(repr, twice))}: column named more than once")
    return [(name, by_name[name]) for name in names]


def defuse(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading `'`."""
    return defuse_row([cell])[0]


def defuse_row(cells: Iterable[Any]) -> list:
    """`defuse` of every cell of a row, in one pass (the export's inner loop)."""
    return [("'" + cell) if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in cells]


def csv_rows(rows: Iterable[dict], *, raw: bool = False, columns: list[Column] = COLUMNS) -> Iterator[list]:
    """The CSV rows (header first) for rows of `archive.exports`, one at a time. None stays None:
    the csv module writes it as an empty cell."""
    yield [name for name, _ in columns]
    fields = fields_of(columns)
    if fields is None:
        cells = ([cell_of(row) for _, cell_of in columns] for row in rows)
    else:
        # Every column is a field of the row, a few converted: the fields taken in one step (the
        # rows have them all: the export read just these), then the few conversions.
        take = operator.itemgetter(*fields) if len(fields) > 1 else (lambda row: (row[fields[0]],))
        conversions = [(position, cell_of.convert) for position, (_, cell_of) in enumerate(columns)
                       if cell_of.convert is not None]
        cells = map(take, rows) if not conversions else _converted(map(take, rows), conversions)
    yield from cells if raw else map(defuse_row, cells)


def _converted(rows: Iterable[tuple], conversions: list[tuple[int, Callable[[Any], Any]]]) -> Iterator[list]:
    for row in rows:
        row = list(row)
        for position, convert in conversions:
            row[position] = convert(row[position])
        yield row


def export_prepared(archive_path: str | os.PathLike, out: str | os.PathLike | IO,
                    write: Callable[[Prepared, IO], int], *, shape: str = "articles",
                    selection: Selection | None = None, full: bool = False, force: bool = False,
                    fields: list[str] | None = None) -> int:
    """Write one shape's statement (`archive.exports.Prepared`) through `write(prepared, stream)` into
    `out`: a path, or an open stream. The target is checked, the archive opened read-only and
    verified, and the query checked (a `BadQuery` raised) before anything is written, so a bad request
    leaves no file. A path is written to a temporary beside it and renamed into place only when
    complete. `fields` names the only fields `write` reads (all by default). Returns what `write`
    returns (rows written)."""
    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise FileNotFoundError(f"no archive at {archive_path}")
    selection = selection or Selection()
    target = check_target(out, archive_path, force=force) if isinstance(out, (str, os.PathLike)) else None
    with Archive(archive_path, readonly=True, verify=True) as archive:
        prepared = Prepared(archive, shape, selection, full=full, fields=fields)
        if target is not None:
            with atomic_output(target) as stream:
                return write(prepared, stream)
        return write(prepared, out)


def export_rows(archive_path: str | os.PathLike, out: str | os.PathLike | IO, write: Callable[[Iterator[dict], IO], int],
                *, shape: str = "articles", selection: Selection | None = None, full: bool = False,
                force: bool = False, progress: Callable[[Iterator[dict], int], Iterator[dict]] | None = None,
                fields: list[str] | None = None) -> int:
    """`export_prepared` with the rows streamed from the cursor through `write(rows, stream)`.
    `progress(rows, total)` may wrap the rows (a progress bar)."""

    def write_rows(prepared: Prepared, stream: IO) -> int:
        rows = prepared.rows()
        if progress is not None:
            rows = progress(rows, prepared.count())
        return write(rows, stream)

    return export_prepared(archive_path, out, write_rows, shape=shape, selection=selection, full=full, force=force,
                           fields=fields)


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
    from exports.csv_lines import line_sql, write_lines

    chosen = choose_columns(SHAPE_COLUMNS[shape], columns, shape, ON_REQUEST.get(shape, []))
    # SQLite makes the lines (`exports.csv_lines`), but for a progress bar, which counts rows one at a
    # time: then, as for a row the lines cannot hold, this module writes cell by cell.
    if progress is None and (sql := line_sql(chosen)) is not None:
        return export_prepared(archive_path, out,
                               lambda prepared, stream: write_lines(prepared, sql, stream, chosen, raw=raw, bom=bom),
                               shape=shape, selection=selection, force=force, fields=fields_of(chosen))

    def write(rows: Iterator[dict], stream: IO) -> int:
        with text_stream(stream, bom=bom) as text:
            return _write(csv_rows(rows, raw=raw, columns=chosen), text)

    return export_rows(archive_path, out, write, shape=shape, selection=selection, force=force, progress=progress,
                       fields=fields_of(chosen))


LINE_END = "\r\n"  # RFC 4180's line end, which Excel expects
WRITE_EVERY = 32_768  # characters handed to the stream at a time: few writes, memory flat, output streaming


def csv_cell(cell: Any) -> str:
    """One cell as the csv module's default dialect (QUOTE_MINIMAL) writes it: None empty, text with
    a comma, quote or line break quoted (quotes doubled), anything else `str`. Written here, not by
    `csv.writer`, which costs three times as much per row."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        if '"' in cell:
            return '"' + cell.replace('"', '""') + '"'
        if "," in cell or "\n" in cell or "\r" in cell:
            return '"' + cell + '"'
        return cell
    return str(cell)


def csv_line(cells: list) -> str:
    line = ",".join(map(csv_cell, cells))
    # A row of one empty cell is written `""`, as the csv module does, so that it is not a blank line.
    return (line if line or len(cells) != 1 else '""') + LINE_END


def _write(rows: Iterator[list], stream: IO[str]) -> int:
    written = -1  # the header is not a row of the archive
    lines, pending = [], 0
    for row in rows:
        line = csv_line(row)
        lines.append(line)
        pending += len(line)
        if pending >= WRITE_EVERY:
            stream.write("".join(lines))
            written += len(lines)
            lines.clear()
            pending = 0
    stream.write("".join(lines))
    return written + len(lines)
