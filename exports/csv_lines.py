"""The journalists' CSV with SQLite making the lines: the same bytes as `exports.csv`'s cell by cell
writer, at a fraction of its cost per row.

Handing a row's twenty cells to Python costs more than SQLite's whole query, so SQLite writes each row
as one value: its cells as text (`format('%s')`: NULL empty, integers as Python writes them, the
converted cells through their `Cell.sql`) between a separator byte, ending in CRLF. Python then reads a
batch of rows as one byte string and checks, with a few passes in C over the whole batch, that it
holds nothing the plain rule cannot write: no quote, CR, LF or separator inside a cell, and (unless
`raw`) no cell opening with a formula character. Such a batch needs only its cells holding a comma
quoted and its separators made commas. A batch that fails is written row by row, and a row that
fails is read again by its key and written by `exports.csv` itself (a quote, a formula, a negative
count: all exact, the rare case).

The fast rule holds for the values the archive stores: text, integers and NULL. Text holding a NUL
character (the parser removes control characters) would be cut at it by `format`, and a REAL or BLOB
(which no column of the archive is written with) would read as SQLite writes it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO

from exports.csv import FORMULA_STARTS, SQL_FUNCTIONS, WRITE_EVERY, Column, csv_line, csv_rows

SEPARATOR = b"\x1f"  # between a line's cells until they are quoted (unit separator)
BATCH = 8  # rows fetched at first; then as many as make about WRITE_EVERY bytes (memory stays flat)
_LINE_END = b"\r\n"
# What the plain rule cannot write when it stands inside a cell (the separators and line ends that
# SQLite writes are counted out).
_SPECIAL = b'"\r\n' + SEPARATOR
_STARTS = tuple(start.encode() for start in FORMULA_STARTS)
# A cell opening with a formula character, after a separator or a line end (a CR inside a cell is
# refused before this is asked); two patterns, as one that opens with a literal is searched for in C.
_OPENINGS = [re.compile(re.escape(after) + b"[" + re.escape(b"".join(_STARTS)) + b"]") for after in (SEPARATOR, b"\n")]
_LINE_ENDS = bytes.maketrans(b"\r\n", SEPARATOR * 2)  # so that a cell lies between two separators


def line_sql(columns: list[Column]) -> str | None:
    """The SQL of one row's line (cells between separators, CRLF at the end, as a BLOB), or None when
    a column has no SQL form (then `exports.csv` writes the rows itself)."""
    from exports.csv import Cell

    cells = []
    for _, cell_of in columns:
        if not isinstance(cell_of, Cell) or (cell_of.convert is not None and cell_of.sql is None):
            return None
        field = '"' + cell_of.field.replace('"', '""') + '"'
        cells.append(field if cell_of.convert is None else cell_of.sql.replace("{}", field))
    layout = "\x1f".join(["%s"] * len(cells)) + "\r\n"
    return f"CAST(format('{layout}', {', '.join(cells)}) AS BLOB)"


def write_lines(prepared, sql: str, stream: IO, columns: list[Column], *, raw: bool, bom: bool) -> int:
    """Write the header and a line per row of `prepared` (`archive.exports.Prepared`), `sql` being
    `line_sql(columns)`, to `stream`, binary or text. Returns the number of rows written."""
    for name, function in SQL_FUNCTIONS.items():
        prepared.register(name, function)
    lines = prepared.lines(sql)
    binary = not (isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"))
    header = csv_line([name for name, _ in columns])
    if binary:
        stream.write(("\ufeff" if bom else "").encode() + header.encode())
    else:
        stream.write(("\ufeff" if bom else "") + header)
    written = 0
    for chunk, count in _chunks(lines, prepared, columns, raw):
        stream.write(chunk if binary else chunk.decode())
        written += count
    return written


def _chunks(lines, prepared, columns: list[Column], raw: bool) -> Iterator[tuple[bytes, int]]:
    separators = len(columns) - 1
    size = BATCH
    while batch := lines.fetchmany(size):
        chunk = b"".join([line for _, line in batch])
        size = max(1, WRITE_EVERY * len(batch) // len(chunk))
        if _plain(chunk, len(batch), separators, raw):
            yield _quoted(chunk), len(batch)
            continue
        exact = {key for key, line in batch if not _plain(line, 1, separators, raw)}
        lines_of = _exact_lines(prepared, list(exact), columns, raw)
        yield b"".join([lines_of[key] if key in exact else _quoted(line) for key, line in batch]), len(batch)


def _plain(chunk: bytes, lines: int, separators: int, raw: bool) -> bool:
    """Whether these lines hold no quote, CR, LF or separator in a cell and (unless `raw`) no cell
    opening with a formula character: then quoting the cells with a comma makes them CSV."""
    if len(chunk) - len(chunk.translate(None, _SPECIAL)) != lines * (separators + 2):
        return False
    if separators == 0 and (chunk.startswith(_LINE_END) or b"\n\r" in chunk):
        return False  # a row of one empty cell is written `""`
    return raw or not (chunk.startswith(_STARTS) or any(opening.search(chunk) for opening in _OPENINGS))


def _quoted(chunk: bytes) -> bytes:
    """Plain lines (`_plain`) as CSV: each cell holding a comma quoted, separators made commas."""
    find = chunk.find
    comma = find(b",")
    if comma < 0:
        return chunk.replace(SEPARATOR, b",")
    bounds = chunk.translate(_LINE_ENDS)
    after, before = bounds.rfind, bounds.find
    quotes = [0]  # where a quote goes: around each cell holding a comma
    while comma >= 0:
        end = before(SEPARATOR, comma)
        quotes += (after(SEPARATOR, quotes[-1], comma) + 1, end)
        comma = find(b",", end)
    quotes.append(len(chunk))
    return b'"'.join([chunk[start:end] for start, end in zip(quotes, quotes[1:])]).replace(SEPARATOR, b",")


def _exact_lines(prepared, keys: list, columns: list[Column], raw: bool) -> dict:
    """The lines of these rows (by key) as `exports.csv` writes them, cell by cell."""
    if not keys:
        return {}
    rows = list(prepared.rows(keys=keys))
    lines = csv_rows(rows, raw=raw, columns=columns)
    next(lines)  # the header
    return {row["row_key"]: csv_line(line).encode() for row, line in zip(rows, lines)}
