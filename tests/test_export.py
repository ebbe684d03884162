"""The journalists' CSV: BOM, Vietnamese, formula defusing, one row per article, streaming."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.db import Archive
from archive.times import SITE_TIME
from crawler.article import Article
from crawler.items import PageFetch
from exports import csv as csv_export
from exports.csv import COLUMNS, write_csv

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=SITE_TIME)


def article(article_id: int, **changes) -> Article:
    url = f"https://baodienbienphu.com.vn/tin-tuc/xa-hoi/{article_id}/bai-viet"
    value = Article(
        url=url, canonical_url=url, article_id=article_id, title=f"Ðổi mới sáng tạo, xây dựng Đảng bộ {article_id}",
        category="Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh", published_at=T0 - timedelta(days=1),
        view_count=5717, sapo="Đổi mới phương thức lãnh đạo của cấp ủy.", body_text="Nội dung.",
        authors=["Minh Thùy", "Quang Long"], parser_version="1",
    )
    return replace(value, **changes)


def fetch(value: Article, *, at: datetime = T0, status: int = 200) -> PageFetch:
    body = value.to_json().encode() if status == 200 else b"not found"
    return PageFetch(requested_url=value.url, url=value.url, status=status, fetched_at=at, body=body,
                     article=value if status == 200 else None, identity=value.identity)


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "archive.sqlite"
    with Archive(path) as archive:
        archive.record_fetch(None, fetch(article(101)))
        archive.record_fetch(None, fetch(article(102, title="=HYPERLINK(\"http://x\")", sapo="-5 độ C ở Mường Nhé",
                                                 authors=["@admin"], view_count=12)))
        archive.record_fetch(None, fetch(article(103)))
        archive.record_fetch(None, fetch(article(103), at=T0 + timedelta(days=1), status=410))
        edited = article(101, body_text="Nội dung đã sửa.", view_count=6000)
        archive.record_fetch(None, fetch(edited, at=T0 + timedelta(hours=3)))
    return path


def read_back(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_file_has_a_bom_and_vietnamese_survives(archive_path, tmp_path):
    out = tmp_path / "articles.csv"
    assert write_csv(archive_path, out) == 3
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = {row["article_id"]: row for row in read_back(data)}
    assert rows["101"]["title"] == "Ðổi mới sáng tạo, xây dựng Đảng bộ 101"
    assert rows["101"]["category"] == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
    assert rows["101"]["authors"] == "Minh Thùy; Quang Long"


def test_one_row_per_article_in_every_state(archive_path):
    out = io.BytesIO()
    write_csv(archive_path, out)
    rows = {row["article_id"]: row for row in read_back(out.getvalue())}
    assert list(read_back(out.getvalue())[0]) == [name for name, _ in COLUMNS]
    assert set(rows) == {"101", "102", "103"}
    assert (rows["103"]["state"], rows["103"]["gone_at"]) == ("gone", "2024-03-02T08:00:00+07:00")
    assert rows["103"]["title"].endswith("103")  # a taken-down article keeps its content
    assert (rows["101"]["version_count"], rows["101"]["view_count"]) == ("2", "6000")  # integers, no separators
    assert rows["101"]["published_at"] == "2024-02-29T08:00:00+07:00"


def test_formulas_are_defused_by_default_and_kept_with_raw(archive_path):
    defused, raw = io.BytesIO(), io.BytesIO()
    write_csv(archive_path, defused)
    write_csv(archive_path, raw, raw=True)
    row = {r["article_id"]: r for r in read_back(defused.getvalue())}["102"]
    assert (row["title"], row["sapo"], row["authors"]) == ("'=HYPERLINK(\"http://x\")", "'-5 độ C ở Mường Nhé", "'@admin")
    assert row["view_count"] == "12"  # numbers are not text, nothing to defuse
    row = {r["article_id"]: r for r in read_back(raw.getvalue())}["102"]
    assert (row["title"], row["sapo"], row["authors"]) == ("=HYPERLINK(\"http://x\")", "-5 độ C ở Mường Nhé", "@admin")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(), st.sampled_from(['"', ",", "\n", "\r", "\r\n", "", " ", "'"]),
                          st.integers(), st.booleans()), min_size=1, max_size=6))
def test_lines_are_what_the_csv_module_writes(cells):
    written = io.StringIO()
    csv.writer(written, lineterminator="\r\n").writerow(cells)
    assert csv_export.csv_line(cells) == written.getvalue()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_defused(start):
    assert csv_export.defuse(start + "1+1") == "'" + start + "1+1"
    assert csv_export.defuse("Ở giữa = không sao") == "Ở giữa = không sao"
    assert csv_export.defuse(-5) == -5


def test_text_stream_gets_the_bom_too(archive_path):
    out = io.StringIO()
    write_csv(archive_path, out)
    assert out.getvalue().startswith("\ufeffurl,article_id,")


def test_parser_only_versions_do_not_count(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive(path) as archive:
        first = article(7)
        archive.record_fetch(None, fetch(first))
        # The same bytes read by a newer parser that finds a role: a `parser` version.
        reread = replace(first, author_role="Tỉnh ủy viên", parser_version="2")
        archive.record_fetch(None, PageFetch(requested_url=first.url, url=first.url, status=200,
                                             fetched_at=T0 + timedelta(days=1), body=first.to_json().encode(),
                                             article=reread, identity="7"))
        assert [v["change"] for v in archive.versions("7")] == ["first", "parser"]
    out = io.BytesIO()
    write_csv(path, out)
    row = read_back(out.getvalue())[0]
    assert (row["version_count"], row["author_role"]) == ("1", "Tỉnh ủy viên")


def test_rows_are_written_while_the_archive_is_still_being_read(archive_path, monkeypatch):
    from exports.csv import WRITE_EVERY, fields_of

    out = io.BytesIO()
    written_before_each_row = []
    empty = dict.fromkeys(fields_of(COLUMNS))

    def slow_rows(self):
        for number in range(1, 3001):
            written_before_each_row.append(len(out.getvalue()))
            yield {**empty, "url": f"https://x/{number}", "site_id": number, "title": "Tiêu đề", "authors": "[]",
                   "version_count": 1, "state": "live"}

    from archive.exports import Prepared

    monkeypatch.setattr(Prepared, "rows", slow_rows)
    # A progress bar takes the rows one at a time (the cell-by-cell writer).
    assert write_csv(archive_path, out, progress=lambda rows, total: rows) == 3000
    # Before reading row n the output holds the header and rows 1..n-1 but for the last few
    # (at most WRITE_EVERY characters, 3 bytes each at most in UTF-8): it streams, in chunks.
    ends = [index + 1 for index, byte in enumerate(out.getvalue()) if byte == ord("\n")]
    lags = [ends[n - 1] - written for n, written in enumerate(written_before_each_row, start=1)]
    assert max(lags) <= 3 * WRITE_EVERY
    assert len(set(written_before_each_row)) > 3  # written in several steps, not once at the end
    assert written_before_each_row[-1] > 0


def test_lines_made_by_sqlite_are_written_batch_by_batch(big_archive, monkeypatch):
    from archive.exports import Prepared
    from exports.csv_lines import BATCH

    out = io.BytesIO()
    lines = Prepared.lines
    handed, written_at_each_fetch = [0], []

    class Watched:
        def __init__(self, cursor):
            self.cursor = cursor

        def fetchmany(self, size):
            written_at_each_fetch.append((handed[0], out.getvalue().count(b"\n")))
            batch = self.cursor.fetchmany(size)
            handed[0] += len(batch)
            return batch

    monkeypatch.setattr(Prepared, "lines", lambda self, expression: Watched(lines(self, expression)))
    assert write_csv(big_archive, out) == 1500
    assert len(written_at_each_fetch) > 1500 // BATCH
    # Every row handed out before a fetch is in the output by then (the header is a line too).
    assert all(lines_out == rows + 1 for rows, lines_out in written_at_each_fetch)


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    long_sapo = "Đổi mới phương thức lãnh đạo của cấp ủy trong thực hiện nhiệm vụ chính trị. " * 40  # ~3.5 KB
    with Archive(path) as archive:
        for article_id in range(1, 1501):
            archive.record_fetch(None, fetch(article(article_id, sapo=long_sapo + str(article_id))))
    return path


def peak_memory(write) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("how", ["everything", "filtered", "every version", "jsonl"])
def test_memory_stays_flat_on_a_large_archive(big_archive, tmp_path, how):
    from archive.selection import Selection
    from exports.jsonl import write_jsonl

    out = tmp_path / "big.out"
    write = {
        "everything": lambda: write_csv(big_archive, out),
        "filtered": lambda: write_csv(big_archive, out, selection=Selection(state="live", author="minh thuy")),
        "every version": lambda: write_csv(big_archive, out, shape="versions"),
        "jsonl": lambda: write_jsonl(big_archive, out),
    }[how]
    assert peak_memory(write) < 1_000_000  # a list of rows would hold the whole file
    assert out.stat().st_size > 5_000_000
    assert out.read_bytes().count(b"\n") >= 1500


# -- the command, against an archive two crawls made (edits, take-downs), with an alias and
# -- articles whose title, sapo and byline start like formulas ----------------------------------

from crawler import urls  # noqa: E402
from tests.clirun import dbp, one_line_error, query  # noqa: E402
from tests.test_archive import make_article, make_fetch  # noqa: E402

FORMULA_LIKE = {  # article id: the fields a spreadsheet would otherwise run
    990001: {"title": '=HYPERLINK("http://x","bấm vào đây")', "sapo": "+84 912 345 678 gọi ngay", "authors": ["@dbp_admin"]},
    990002: {"title": "-Tin giả về Mường Nhé", "sapo": "@everyone xem ngay", "authors": ["=cmd|' /c calc'!A0"]},
    990003: {"title": "+Tiêu đề cộng", "sapo": "=1+1", "authors": ["-Nhóm PV"]},
}


@pytest.fixture
def newsroom(copy_archive):
    """The crawled archive, plus what the crawls did not make: an alias (an id-less article's old slug
    redirected to it) and three formula-like articles, all recorded through `Archive.record_fetch`."""
    db = copy_archive()
    latest = query(db, "SELECT max(fetched_at) FROM observations")[0][0]
    at = datetime.fromisoformat(latest) + timedelta(hours=1)
    version_id, url = query(db, "SELECT current_version_id, url FROM articles WHERE site_id IS NULL"
                                " ORDER BY identity LIMIT 1")[0]
    old_url = url.rsplit("/", 1)[0] + "/ten-cu-cua-bai-viet"
    with Archive(db) as archive:
        page = archive.version_article(version_id)
        archive.record_fetch(None, PageFetch(requested_url=old_url, url=url, status=200, fetched_at=at,
                                             body=b"<html>moved</html>", article=page,
                                             identity=urls.identity_of(old_url)))
        for article_id, fields in FORMULA_LIKE.items():
            page_url = f"https://baodienbienphu.com.vn/tin-tuc/xa-hoi/{article_id}/bai-viet"
            archive.record_fetch(None, make_fetch(make_article(url=page_url, canonical_url=page_url,
                                                               article_id=article_id, **fields), at=at))
    assert query(db, "SELECT url FROM aliases") == [(old_url,)]
    return db


def export(db, *args, out=None):
    """`export csv` into a file; (its bytes, the finished process)."""
    done = dbp("export", "csv", "--db", db, "-o", out, *args)
    assert done.returncode == 0, done.stderr
    return out.read_bytes(), done


def table(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def cell(value) -> str:
    """A value of the archive as the CSV writes it (all text once read back)."""
    return "" if value is None else str(value)


ARTICLE_SQL = """
SELECT a.url, a.site_id, v.title, v.category, v.published_at, v.updated_at, a.view_count, v.authors,
       v.author_role, v.source, v.sapo,
       (SELECT count(*) FROM versions AS n WHERE n.identity = a.identity AND n.change <> 'parser'),
       a.state, a.gone_reason, a.gone_at, a.first_seen, a.last_seen, a.last_changed, a.identity
  FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id
 ORDER BY a.site_id DESC, a.identity DESC
"""


def test_csv_round_trip_equals_the_archive(newsroom, tmp_path):
    data, done = export(newsroom, "--raw", out=tmp_path / "a.csv")
    header, *rows = table(data)
    assert header == [name for name, _ in COLUMNS]
    expected = []
    for (url, site_id, title, category, published, updated, views, authors, role, source, sapo, versions, state,
         reason, gone_at, first, last, changed, identity) in query(newsroom, ARTICLE_SQL):
        local = datetime.fromisoformat(published).strftime("%d/%m/%Y %H:%M") if published else None
        expected.append([cell(value) for value in (
            url, site_id, title, category, published, local, updated, views, "; ".join(json.loads(authors)),
            role, source, sapo, versions, state, reason, gone_at, first, last, changed, identity)])
    assert rows == expected
    assert done.stderr == f"exported {len(expected)} articles to {tmp_path / 'a.csv'}\n"
    # What the archive holds: edits (version_count 2), a take-down, an id-less article last.
    assert {row[header.index("version_count")] for row in rows} >= {"1", "2"}
    assert "gone" in {row[header.index("state")] for row in rows}
    assert rows[-1][header.index("article_id")] == ""
    # CRLF line ends, and counts as plain integers.
    assert data.count(b"\r\n") >= len(rows) + 1 and b"\n" not in data.replace(b"\r\n", b"")
    assert all(re.fullmatch(r"\d*", row[header.index("view_count")]) for row in rows)
    published = {row[header.index("published_at")]: row[header.index("published_local")] for row in rows}
    assert published["2025-11-01T11:23:00+07:00"] == "01/11/2025 11:23"


def test_vietnamese_text_is_byte_exact_with_raw(newsroom, tmp_path):
    data, _ = export(newsroom, "--raw", "--columns", "identity,title,sapo,category,authors", out=tmp_path / "a.csv")
    rows = {row[0]: row[1:] for row in table(data)[1:]}
    stored = query(newsroom, "SELECT a.identity, v.title, v.sapo, v.category, v.authors FROM articles AS a"
                             " JOIN versions AS v ON v.id = a.current_version_id")
    assert any("ư" in title for _, title, *_ in stored)
    for identity, title, sapo, category, authors in stored:
        assert rows[identity] == [title, sapo or "", category or "", "; ".join(json.loads(authors))]
        # The stored bytes themselves: no escape, no re-normalising (CSV doubles a quote, nothing else).
        assert title.replace('"', '""').encode("utf-8") in data


def test_formula_like_cells_are_defused_by_default(newsroom, tmp_path):
    defused = table(export(newsroom, "--columns", "article_id,title,sapo,authors,view_count",
                           out=tmp_path / "d.csv")[0])
    raw = table(export(newsroom, "--raw", "--columns", "article_id,title,sapo,authors,view_count",
                       out=tmp_path / "r.csv")[0])
    defused_rows = {row[0]: row for row in defused[1:]}
    raw_rows = {row[0]: row for row in raw[1:]}
    for article_id, fields in FORMULA_LIKE.items():
        title, sapo, authors, views = defused_rows[str(article_id)][1:]
        assert (title, sapo, authors) == ("'" + fields["title"], "'" + fields["sapo"], "'" + fields["authors"][0])
        assert views == "5717"  # a number: nothing to defuse
        assert raw_rows[str(article_id)][1:4] == [fields["title"], fields["sapo"], fields["authors"][0]]
    # Nothing else is touched.
    for article_id, row in raw_rows.items():
        if int(article_id or 0) not in FORMULA_LIKE:
            assert defused_rows[article_id] == row


def test_stdout_and_no_bom(newsroom, tmp_path):
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "csv", "--db", str(newsroom), "-o", "-"],
                          capture_output=True, timeout=180)
    assert done.returncode == 0
    assert done.stdout.startswith(b"\xef\xbb\xbfurl,article_id,") and done.stdout.endswith(b"\r\n")
    assert done.stderr.decode() == f"exported {len(table(done.stdout)) - 1} articles to stdout\n"
    data, _ = export(newsroom, "--no-bom", out=tmp_path / "n.csv")
    assert data.startswith(b"url,article_id,") and data.endswith(b"\r\n")
    assert data == done.stdout.removeprefix(b"\xef\xbb\xbf")
    assert not list(tmp_path.glob(".*"))  # no temporary left beside the file


CURRENT = "SELECT a.identity FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id WHERE "
FILTERS = [
    (["--since", "2025-06-01"], "substr(v.published_at, 1, 10) >= '2025-06-01'"),
    (["--until", "2025-03-31"], "substr(v.published_at, 1, 10) <= '2025-03-31'"),
    (["--since", "2025-01-01", "--until", "2025-06-30"], "substr(v.published_at, 1, 10) BETWEEN '2025-01-01' AND '2025-06-30'"),
    # Python reads these ISO forms too; as typed they would compare as text against every date
    (["--since", "20250601"], "substr(v.published_at, 1, 10) >= '2025-06-01'"),
    (["--since", "1/6/2025"], "substr(v.published_at, 1, 10) >= '2025-06-01'"),  # day first, as published_local
    (["--since", "2025-06-01", "--until", "20250701"], "substr(v.published_at, 1, 10) BETWEEN '2025-06-01' AND '2025-07-01'"),
    (["--category", "quoc phong - an ninh"], "v.category = 'Quốc phòng - An ninh'"),
    (["--category", "y-te"], "v.category = 'Y tế'"),
    (["--author", "lan phuong"], "EXISTS (SELECT 1 FROM json_each(v.authors) WHERE value = 'Lan Phương')"),
    (["--search", "muong phang"],
     "v.id IN (SELECT rowid FROM versions_fts WHERE versions_fts MATCH '\"muong phang\"')"),
    (["--state", "gone"], "a.state = 'gone'"),
    (["--state", "live"], "a.state = 'live'"),
    (["--search", "Mường Phăng", "--state", "live", "--since", "2025-01-01"],
     "v.id IN (SELECT rowid FROM versions_fts WHERE versions_fts MATCH '\"muong phang\"') AND a.state = 'live'"
     " AND v.published_at >= '2025-01-01'"),
]


@pytest.mark.parametrize(("args", "where"), FILTERS, ids=[" ".join(args) for args, _ in FILTERS])
def test_each_filter_selects_what_sql_selects(newsroom, tmp_path, args, where):
    data, _ = export(newsroom, "--columns", "identity", *args, out=tmp_path / "f.csv")
    got = [row[0] for row in table(data)[1:]]
    expected = {identity for (identity,) in query(newsroom, CURRENT + where)}
    everything = query(newsroom, "SELECT count(*) FROM articles")[0][0]
    assert expected and len(expected) < everything  # the filter filters something, and not everything
    assert sorted(got) == sorted(expected) and len(got) == len(set(got))


def test_all_versions_is_one_row_per_version(newsroom, tmp_path):
    columns = "identity,version,change,first_seen,last_seen,title,view_count"
    header, *rows = table(export(newsroom, "--all-versions", "--raw", "--columns", columns, out=tmp_path / "v.csv")[0])
    assert header == columns.split(",")
    expected = query(newsroom, """
        SELECT v.identity, v.number, v.change, v.first_seen, v.last_seen, v.title,
               (SELECT o.view_count FROM observations AS o WHERE o.version_id = v.id AND o.view_count IS NOT NULL
                 ORDER BY o.fetched_at DESC, o.id DESC LIMIT 1)
          FROM versions AS v JOIN articles AS a USING (identity) ORDER BY a.site_id DESC, a.identity DESC, v.number""")
    assert rows == [[cell(value) for value in row] for row in expected]
    assert "edit" in {row[2] for row in rows}
    edited = {row[0] for row in rows if row[2] == "edit"}
    assert all(len([row for row in rows if row[0] == identity]) >= 2 for identity in edited)
    # The filters read each version: the titles an edit left behind are found too.
    data, _ = export(newsroom, "--all-versions", "--columns", "identity,version", "--until", "2025-03-31",
                     out=tmp_path / "w.csv")
    assert [tuple(row) for row in table(data)[1:]] == [(identity, str(number)) for identity, number in query(
        newsroom, "SELECT v.identity, v.number FROM versions AS v JOIN articles AS a USING (identity)"
                  " WHERE substr(v.published_at, 1, 10) <= '2025-03-31' ORDER BY a.site_id DESC, a.identity DESC, v.number")]


RELATED_SQL = """
SELECT l.from_identity, l.position, l.to_url, coalesce(tv.title, l.title), ta.identity IS NOT NULL, fv.title
  FROM links AS l JOIN articles AS fa ON fa.current_version_id = l.version_id
  JOIN versions AS fv ON fv.id = l.version_id
  LEFT JOIN articles AS ta ON ta.identity = l.to_identity LEFT JOIN versions AS tv ON tv.id = ta.current_version_id
"""


def test_related_is_one_row_per_tin_khac_link_of_the_selected_articles(newsroom, tmp_path):
    columns = "from_identity,position,to_url,to_title,to_archived,from_title"
    header, *rows = table(export(newsroom, "--related", "--raw", "--columns", columns, out=tmp_path / "r.csv")[0])
    expected = query(newsroom, RELATED_SQL + " ORDER BY fa.site_id DESC, fa.identity DESC, l.position")
    assert rows == [[cell(int(value) if isinstance(value, bool) else value) for value in row] for row in expected]
    assert {row[4] for row in rows} == {"0", "1"}  # links to archived articles and to others
    # Of the articles a filter selects only: their current versions' links.
    data, _ = export(newsroom, "--related", "--columns", "from_identity,position", "--category", "Y tế",
                     out=tmp_path / "y.csv")
    chosen = query(newsroom, RELATED_SQL.replace("SELECT l.from_identity, l.position, l.to_url, coalesce(tv.title, l.title),"
                                                 " ta.identity IS NOT NULL, fv.title", "SELECT l.from_identity, l.position")
                   + " WHERE fv.category = 'Y tế' ORDER BY fa.site_id DESC, fa.identity DESC, l.position")
    assert chosen and [tuple(row) for row in table(data)[1:]] == [(f, str(p)) for f, p in chosen]


def test_views_is_the_view_count_series_of_the_selected_articles(newsroom, tmp_path):
    header, *rows = table(export(newsroom, "--views", "--raw", out=tmp_path / "v.csv")[0])
    assert header == ["url", "article_id", "title", "at", "at_local", "count", "identity"]
    series = """SELECT a.url, o.fetched_at, o.view_count, a.identity FROM observations AS o
                  JOIN articles AS a ON a.identity = o.identity JOIN versions AS v ON v.id = a.current_version_id
                 WHERE o.view_count IS NOT NULL {} ORDER BY a.site_id DESC, a.identity DESC, o.fetched_at, o.id"""
    expected = query(newsroom, series.format(""))
    assert [(row[0], row[3], int(row[5]), row[6]) for row in rows] == expected
    assert len(expected) > query(newsroom, "SELECT count(*) FROM articles")[0][0]  # a series, not one count each
    data, _ = export(newsroom, "--views", "--search", "muong phang", out=tmp_path / "m.csv")
    chosen = query(newsroom, series.format(
        "AND v.id IN (SELECT rowid FROM versions_fts WHERE versions_fts MATCH '\"muong phang\"')"))
    assert chosen and [(row[0], row[3], int(row[5]), row[6]) for row in table(data)[1:]] == chosen


def test_the_closing_line_counts_in_words_and_an_empty_export_names_its_filters(newsroom, tmp_path):
    (day,), = query(newsroom, "SELECT substr(published_at, 1, 10) AS day FROM article_current "
                              "WHERE published_at IS NOT NULL GROUP BY day HAVING count(*) = 1 LIMIT 1")
    _, one = export(newsroom, "--since", day, "--until", day, out=tmp_path / "one.csv")
    assert one.stderr.startswith("exported 1 article to "), one.stderr
    data, none = export(newsroom, "--category", "Vanhoa", "--author", "nobody", out=tmp_path / "none.csv")
    assert len(table(data)) == 1  # the header alone: a sheet with the columns, nothing lost
    assert none.stderr == (f"exported 0 articles to {tmp_path / 'none.csv'} with --category 'Vanhoa', "
                           f"--author 'nobody'; no category 'Vanhoa' in the archive; did you mean 'Văn hóa - Du lịch'?\n")


def test_a_category_the_archive_does_not_hold_is_said_so_with_the_closest_it_holds(newsroom, tmp_path):
    """A journalist types `Văn hóa` or `van hoa` for the replica's `Văn hóa - Du lịch`: nothing matches (a
    filter that widened by itself would change a saved command's export), and every command says which
    category was meant, in the one closing line."""
    held = {name for (name,) in query(newsroom, "SELECT DISTINCT category FROM versions")}
    assert "Văn hóa - Du lịch" in held and not {"Văn hóa", "Thể thao"} & held
    meant = "no category {!r} in the archive; did you mean 'Văn hóa - Du lịch'?"
    for args, typed in ((["export", "csv", "-o", tmp_path / "a.csv"], "Văn hóa"),
                        (["export", "jsonl", "-o", "-"], "van hoa"),
                        (["export", "warc", "-o", tmp_path / "a.warc.gz"], "van-hoa"),
                        (["search", "lễ hội"], "Văn hóa")):
        done = dbp(*args, "--db", newsroom, "--category", typed)
        assert done.returncode == 0 and len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.rstrip("\n").endswith(f"with --category {typed!r}; " + meant.format(typed)), done.stderr
    # A category the archive holds, emptied by the other filters: no word about the category.
    emptied = dbp("export", "csv", "--db", newsroom, "-o", "-", "--category", "van hoa du lich", "--since", "2099-01-01")
    assert emptied.stderr == "exported 0 articles to stdout with --since '2099-01-01', --category 'van hoa du lich'\n"
    whole = dbp("export", "csv", "--db", newsroom, "-o", "-", "--category", "van hoa du lich")
    assert whole.returncode == 0 and not whole.stderr.startswith("exported 0 "), whole.stderr
    # Nothing near it: the command that lists what the archive holds.
    far = dbp("export", "csv", "--db", newsroom, "-o", "-", "--category", "Thể thao")
    assert far.stderr.endswith(f"no category 'Thể thao' in the archive (`dbp-archive stats --db {newsroom}` lists them)\n")


def test_the_closest_categories_begin_with_hold_or_stand_within_what_was_typed():
    from archive.selection import CLOSEST_CATEGORIES, closest_categories

    held = ["Xã hội", "Y tế", "Văn hóa - Du lịch", "Quốc phòng - An ninh", "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh",
            None, "Du lịch"]
    assert closest_categories("Văn hóa", held) == ["Văn hóa - Du lịch"]  # it begins one
    assert closest_categories("du lich", held) is None  # held, by its name folded: nothing to say
    assert closest_categories("an ninh", held) == ["Quốc phòng - An ninh"]  # it stands within one
    assert closest_categories("dang bo", held) == ["Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"]  # `d` for `đ`
    assert closest_categories("y te du phong", held) == ["Y tế"]  # it holds one whole
    assert closest_categories("lich", held) == ["Du lịch", "Văn hóa - Du lịch"]
    assert closest_categories("oa", held) == [] and closest_categories("-", held) == []  # never a part of a word
    many = [f"Tin {n}" for n in range(9)]
    assert closest_categories("tin", many) == many[:CLOSEST_CATEGORIES]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_to_stdout_says_its_count_on_stderr_even_when_nothing_matched(newsroom, fmt):
    """A pipe or a cron job reading stdout hears that nothing matched, and which filters said so; the
    line never mixes into the data."""
    done = dbp("export", fmt, "--db", newsroom, "-o", "-", "--category", "Vanhoa", "--state", "live")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("exported 0 articles to stdout with --category 'Vanhoa', --state 'live'; no category"
                           " 'Vanhoa' in the archive; did you mean 'Văn hóa - Du lịch'?\n")
    header = [",".join(name for name, _ in COLUMNS)] if fmt == "csv" else []
    assert done.stdout.removeprefix("\ufeff").splitlines() == header  # a CSV's header alone, or no line
    some = dbp("export", fmt, "--db", newsroom, "--state", "live")  # stdout is the default
    assert some.returncode == 0, some.stderr
    (live,), = query(newsroom, "SELECT count(*) FROM articles WHERE state = 'live'")
    assert live > 1 and some.stderr == f"exported {live} articles to stdout\n"
    assert "exported" not in some.stdout and len(some.stdout.splitlines()) == live + (fmt == "csv")


def option_lines(command) -> dict[str, str]:
    """`command --help`'s option lines, unwrapped, by long option name: what a reader sees for each."""
    import click

    context = click.Context(command, info_name=command.name, max_content_width=10_000, terminal_width=10_000)
    lines = command.get_help(context).split("Options:\n", 1)[1].splitlines()
    return {re.search(r"--[\w-]+", line)[0]: line.strip() for line in lines if line.strip().startswith("-")}


def test_every_export_shows_its_shared_options_alike():
    """The filters and --db/--force are one definition for every format, so their help never drifts
    (the order of --state's choices once did)."""
    from crawler.commands.export import export_csv, export_jsonl
    from crawler.commands.export_warc import warc

    csv_lines, jsonl_lines, warc_lines = (option_lines(command) for command in (export_csv, export_jsonl, warc))
    shared = set(csv_lines) & set(jsonl_lines) & set(warc_lines) - {"--output", "--help"}
    assert shared == {"--db", "--force", "--since", "--until", "--category", "--author", "--search", "--state"}
    for name in shared:
        assert csv_lines[name] == jsonl_lines[name] == warc_lines[name], name
    assert "--state [all|live|gone]" in warc_lines["--state"]


def test_search_shows_the_exports_article_filters_alike():
    """`search` and the exports select articles by the same filters, with the same words in --help."""
    from crawler.commands.export import export_csv
    from crawler.commands.search import search

    search_lines, csv_lines = option_lines(search), option_lines(export_csv)
    for name in ("--since", "--until", "--category", "--author"):  # the columns line up per command
        assert search_lines[name].split() == csv_lines[name].split(), name


def test_columns_choose_and_order_and_list_them(newsroom, tmp_path):
    data, _ = export(newsroom, "--columns", "title,view_count,url", out=tmp_path / "c.csv")
    header, first, *_ = table(data)
    assert header == ["title", "view_count", "url"] and first[2].startswith("http")
    for shape, expected in [([], COLUMNS), (["--views"], csv_export.SHAPE_COLUMNS["views"]),
                            (["--related"], csv_export.SHAPE_COLUMNS["related"]),
                            (["--all-versions"], csv_export.SHAPE_COLUMNS["versions"])]:
        done = dbp("export", "csv", "--db", newsroom, *shape, "--columns", "list", "-o", tmp_path / "never.csv")
        assert done.returncode == 0, done.stderr
        on_request = [f"{name}  (only when named)" for name, _ in csv_export.ON_REQUEST.get(
            {"--views": "views", "--related": "related", "--all-versions": "versions"}.get(shape[0] if shape else "",
                                                                                         "articles"), [])]
        assert done.stdout.splitlines() == [name for name, _ in expected] + on_request
    assert "version" in csv_export.SHAPE_COLUMNS["versions"][2] and not (tmp_path / "never.csv").exists()


def test_the_body_is_a_column_on_request(newsroom, tmp_path):
    default, _ = export(newsroom, out=tmp_path / "d.csv")
    assert "body_text" not in table(default)[0]  # a whole body per row only when asked for
    data, _ = export(newsroom, "--columns", "url,body_text", out=tmp_path / "b.csv")
    bodies = dict(query(newsroom, "SELECT url, body_text FROM article_current"))
    rows = table(data)[1:]
    assert rows and all(body == bodies[url] for url, body in rows)
    versions, _ = export(newsroom, "--all-versions", "--columns", "version,body_text", out=tmp_path / "v.csv")
    assert sorted(body for _, body in table(versions)[1:]) == sorted(
        body for (body,) in query(newsroom, "SELECT body_text FROM versions"))


BAD = [
    (["--columns", "title,nope"], ["--columns", "nope"]),
    (["--views", "--columns", "title,version"], ["--columns", "version", "views"]),
    (["--columns", ","], ["--columns"]),
    (["--columns", "url,title,url"], ["--columns", "'url'", "more than once"]),
    (["--since", "2025-13-01"], ["2025-13-01"]),
    (["--since", "2025-11-31"], ["2025-11-31", "day is out of range"]),
    (["--until", "31/02/2025"], ["31/02/2025", "day is out of range"]),
    (["--until", "yesterday"], ["yesterday"]),
    (["--since", "2025-06-01", "--until", "2025-01-01"], ["--since", "--until"]),
    (["--since", "2025-06-01", "--until", "20250101"], ["--since", "--until"]),
    (["--search", '"Mường Phăng'], ["--search", "quote"]),
    (["--search", "!!!"], ["--search", "no word"]),
    (["--state", "deleted"], ["--state", "deleted"]),
    (["--related", "--views"], ["--related", "--views"]),
]


@pytest.mark.parametrize(("args", "words"), BAD, ids=[" ".join(args) for args, _ in BAD])
def test_bad_input_is_one_line_and_nothing_is_written(newsroom, tmp_path, args, words):
    out = tmp_path / "out" / "never.csv"
    out.parent.mkdir()
    one_line_error(dbp("export", "csv", "--db", newsroom, "-o", out, *args), *words)
    assert not list(out.parent.iterdir())
    done = dbp("export", "csv", "--db", newsroom, "-o", "-", *args)
    assert done.returncode == 2 and done.stdout == ""


def test_a_progress_bar_on_a_terminal_and_silence_otherwise(newsroom, tmp_path):
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "csv", "--db", str(newsroom),
                               "-o", str(tmp_path / "t.csv")], stderr=follower, stdout=subprocess.DEVNULL, timeout=180)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert b"exporting" in shown and b"100%" in shown
    assert not (tmp_path / "t.csv").read_bytes().count(b"exporting")
    _, quiet = export(newsroom, out=tmp_path / "q.csv")
    assert quiet.stderr.splitlines() == [f"exported 64 articles to {tmp_path / 'q.csv'}"]
