"""Every `make bench` section at a tiny scale, so the benchmark cannot rot unnoticed: each runs to its
end and writes its figures. Nothing here judges a figure (a time on a shared machine means nothing in
a test); the bench itself prints them beside their targets. The `scale` section has its own smoke test,
tests/test_bench_scale.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402 - bench/run.py

TINY = {
    "BENCH_PAGES": "40", "BENCH_TRAFILATURA_PAGES": "10",  # parse, ingest
    "BENCH_INGEST_PASSES": "1",
    "BENCH_ARTICLES": "150",  # the crawl sections' replica
    "FRESHNESS_ARTICLES": "300", "FRESHNESS_DAYS": "3",
    # search: an archive of its own, built through bench/scale.py's cache (in the test's folder)
    "BENCH_REPARSE_ARTICLES": "200", "BENCH_REPARSE_REPEATS": "1", "BENCH_REPARSE_CEILING_PAGES": "100",
    "BENCH_EXPORT_ARTICLES": "200", "BENCH_EXPORT_REPEATS": "1",
    "BENCH_SEARCH_ARTICLES": "300", "BENCH_SEARCH_QUERIES": "20", "BENCH_SEARCH_REPEATS": "1", "BENCH_SCALE_INGEST": "0",
}
# What each section must write (its ratio, and the counts it rests on).
FIGURES = {
    "parse": ("parse_cost_vs_lxml", "parse_speedup_vs_trafilatura", "parse_pages"),
    "ingest_vs_raw_insert": ("ingest_vs_raw_insert", "ingest_vs_raw_insert_cpu", "ingest_pages_per_s", "raw_insert_rows",
                             "ingest_vs_plain_table"),
    "crawl_vs_fetch_only": ("crawl_vs_fetch_only", "crawl_new_articles", "fetch_only_pages"),
    "archive_bytes_per_html_byte": ("archive_bytes_per_html_byte",),
    "unchanged_recrawl_bytes_per_article": ("unchanged_recrawl_articles",),
    "recrawl_requests_per_new_article": ("recrawl_requests_per_new_article", "recrawl_new_articles"),
    "reparse_vs_parse": ("reparse_vs_parse", "reparse_pages_per_s", "reparse_floor_pages_per_s", "reparse_versions_made"),
    "export_csv_vs_sqlite3": ("export_csv_vs_sqlite3", "export_peak_rss_mb", "export_csv_bytes"),
    "search": ("search_p95_ms", "search_p50_ms", "search_bm25_every_match_p95_ms", "search_queries"),
    "freshness": ("freshness_project_requests_per_day", "freshness_news_please_requests_per_day",
                  "freshness_diffengine_requests_per_day", "freshness_newsdiffs_requests_per_day", "freshness_edits"),
}
# Judged figures that a tiny run may leave empty or zero (a schedule that caught no edit in three days
# has no delay; 150 unchanged rechecks can fit in pages the archive had free), so only their presence
# is asked.
PRESENT = ("unchanged_recrawl_bytes_per_article", "freshness_requests_per_edit_vs_best_anchor", "freshness_delay_p50_vs_best_anchor")


def test_every_section_has_a_smoke_test():
    assert set(FIGURES) | {"scale"} == set(bench.SECTIONS)


def test_every_bench_section_runs_at_a_tiny_scale(tmp_path):
    if shutil.which("sqlite3") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the sqlite3 shell is missing under CI: .ci/run installs it")
        pytest.skip("the sqlite3 shell (the CSV export's floor) is not installed: apt-get install sqlite3")
    results = tmp_path / "results.json"
    before = _stamp(ROOT / "bench" / "results.json")
    env = dict(os.environ, **TINY, BENCH_RESULTS=str(results), BENCH_SCALE_CACHE=str(tmp_path),
               BENCH_ONLY=",".join(FIGURES))
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    measured = json.loads(results.read_text())
    missing = [key for keys in FIGURES.values() for key in keys if not measured.get(key, 0) > 0]
    assert missing == [], missing
    assert [key for key in PRESENT if key not in measured] == []
    assert measured["crawl_new_articles"] >= 140  # the whole replica crawled, not just the start page
    for key in bench.TARGETS:
        if key in measured:  # every judged figure is printed beside its target
            assert key in done.stdout
    assert _stamp(ROOT / "bench" / "results.json") == before  # a user's own results are left alone


def _stamp(path: Path):
    return path.stat().st_mtime_ns if path.exists() else None


def test_the_ingest_floor_inserts_every_row_the_archive_wrote_into_its_own_schema(tmp_path):
    """The raw floor is "the same rows, both with their indexes": what the write path stored, put back
    by sqlite-utils into an empty archive whose triggers fill the full-text indexes as they go."""
    import sqlite_utils

    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION
    from ingest_speed import parsed_fetches, written_rows

    fetches = parsed_fetches(bench.replica_pages(5))
    with Archive(tmp_path / "written.sqlite") as archive:
        archive.record_fetches(archive.start_run({}, PARSER_VERSION), fetches)
    rows = written_rows(tmp_path / "written.sqlite")
    assert {"captures", "articles", "versions", "observations", "links"} <= set(rows)
    assert not [table for table in rows if "_fts" in table]
    assert len(rows["versions"]) == len(rows["captures"]) == 5
    with Archive(tmp_path / "floor.sqlite"):
        pass
    floor = sqlite_utils.Database(tmp_path / "floor.sqlite")
    for table, table_rows in rows.items():
        floor[table].insert_all(table_rows)
    word = fetches[0].article.title.split()[0]
    matched = floor.execute("SELECT count(*) FROM versions_fts WHERE versions_fts MATCH ?", [f'"{word}"']).fetchone()[0]
    assert matched >= 1  # the body index's triggers ran for the inserted versions
    assert {t: floor[t].count for t in rows} == {t: len(r) for t, r in rows.items()}
