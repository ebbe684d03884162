"""`export csv`'s lines made by SQLite (`exports.csv_lines`) are byte for byte what the cell-by-cell
writer (`exports.csv`, itself checked against the csv module) writes, on archives of hostile values."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.db import Archive
from archive.times import SITE_TIME
from exports.csv import write_csv
from exports.csv_lines import SEPARATOR
from tests.test_export import article, fetch

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=SITE_TIME)
VIETNAMESE = "Thủy Đảng bộ Mường Nhé"
# What a cell may hold that the plain rule cannot write as it is: quotes, commas, line ends, the lines'
# own separator, formula openers, both Unicode forms of Vietnamese, JSON's escapes and separators.
PIECES = ['"', ",", "\n", "\r", "\r\n", SEPARATOR.decode(), "=", "+", "-", "@", "\t", "'", " ", "; ", '","', "\\",
          "[", "]", VIETNAMESE, unicodedata.normalize("NFD", VIETNAMESE), "1+1", "x"]
hostile = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
# NUL aside: the parser removes control characters, and `format` would stop at one (csv_lines' docstring).
texts = st.one_of(hostile, st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=8))
moments = st.one_of(st.none(), st.datetimes(datetime(100, 1, 2), datetime(9999, 12, 30)).map(
    lambda moment: moment.replace(tzinfo=SITE_TIME)), st.just(T0 - timedelta(days=1)))


@st.composite
def articles(draw):
    values = []
    for article_id in draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=4, unique=True)):
        values.append(replace(
            article(article_id), title=draw(texts) or "t", category=draw(st.none() | texts), sapo=draw(st.none() | texts),
            author_role=draw(st.none() | texts), source=draw(st.none() | texts), published_at=draw(moments),
            updated_at=draw(moments), view_count=draw(st.none() | st.integers(-5, 10**9)),
            authors=draw(st.lists(texts, max_size=3))))
    return values


def both_ways(path, **options) -> tuple[bytes, bytes]:
    made_by_sqlite, cell_by_cell = io.BytesIO(), io.BytesIO()
    write_csv(path, made_by_sqlite, **options)
    write_csv(path, cell_by_cell, progress=lambda rows, total: rows, **options)  # a progress bar: cell by cell
    return made_by_sqlite.getvalue(), cell_by_cell.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=articles(), raw=st.booleans(), bom=st.booleans())
def test_sqlite_lines_are_the_cell_by_cell_writers_bytes(tmp_path_factory, values, raw, bom):
    path = tmp_path_factory.mktemp("hostile") / "archive.sqlite"
    with Archive(path) as archive:
        for value in values:
            archive.record_fetch(None, fetch(value))
    for shape in ("articles", "versions", "views"):
        fast, exact = both_ways(path, shape=shape, raw=raw, bom=bom)
        assert fast == exact
    one_column, exact = both_ways(path, columns=["category"], raw=raw)  # a row of one empty cell is `""`
    assert one_column == exact


@pytest.mark.parametrize("published", ["2024-02-30T08:00:00+07:00", "2024-02-29T08:00:00+08:00", "0999-01-02T03:04:05+07:00",
                                       "2024-02-29 08:00:00+07:00", "2024-02-29T24:00:00+07:00"])
def test_times_sql_cannot_rearrange_are_converted_by_python(tmp_path, published):
    import sqlite3

    path = tmp_path / "archive.sqlite"
    with Archive(path) as archive:
        archive.record_fetch(None, fetch(article(7)))
    with sqlite3.connect(path) as db:  # by hand: the archive's write path stores only canonical times
        db.execute("DROP TRIGGER versions_are_never_rewritten")
        db.execute("UPDATE versions SET published_at = ?", (published,))
    try:
        expected = datetime.fromisoformat(published).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        with pytest.raises(sqlite3.OperationalError):  # the conversion's own error, as an SQLite error
            write_csv(path, io.BytesIO(), columns=["published_local"])
        return
    fast, exact = both_ways(path, columns=["published_local"])
    assert fast == exact == f"\ufeffpublished_local\r\n{expected}\r\n".encode()
