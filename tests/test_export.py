"""The journalists' CSV: BOM, Vietnamese, formula defusing, one row per article, streaming."""

from __future__ import annotations

import csv
import io
import tracemalloc
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

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
    out = io.BytesIO()
    lines_written_before_each_row = []

    def slow_rows(self):
        for number in range(1, 301):
            lines_written_before_each_row.append(out.getvalue().count(b"\n"))
            yield {"url": f"https://x/{number}", "site_id": number, "title": "Tiêu đề", "authors": "[]",
                   "version_count": 1, "state": "live"}

    monkeypatch.setattr(Archive, "iter_article_rows", slow_rows)
    assert write_csv(archive_path, out) == 300
    # Before reading row n the file already holds the header and rows 1..n-1.
    assert lines_written_before_each_row == list(range(1, 301))


def test_memory_stays_flat_on_a_large_archive(tmp_path):
    path = tmp_path / "big.sqlite"
    long_sapo = "Đổi mới phương thức lãnh đạo của cấp ủy trong thực hiện nhiệm vụ chính trị. " * 40  # ~3.5 KB
    with Archive(path) as archive:
        for article_id in range(1, 1501):
            archive.record_fetch(None, fetch(article(article_id, sapo=long_sapo + str(article_id))))
    out = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        assert write_csv(path, out) == 1500
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.stat().st_size > 5_000_000
    assert peak < 1_000_000  # a list of rows would hold the whole 5 MB
