"""The archive's size targets, on synthetic pages (`archive.synthetic`), and its dictionaries."""

from __future__ import annotations

from datetime import datetime, timedelta

from archive import captures as archive_captures
from archive.db import Archive
from archive.measure import measure
from archive.synthetic import SITE_TIME, SyntheticSite

T0 = datetime(2024, 1, 1, tzinfo=SITE_TIME)


def test_small_pages_stay_under_the_size_targets(tmp_path):
    # 60 KB pages are the hard case: the article's own text weighs most against the chrome.
    result = measure(tmp_path / "a.sqlite", articles=150, chrome_scale=0.4)
    assert result["mean_page_bytes"] > 55_000
    assert result["ratio"] <= 0.3
    assert result["refetch_identical"] <= 300
    assert result["refetch_counters"] <= 300
    assert result["versions"] == 150  # neither re-fetch made a version


def test_bodies_come_back_byte_for_byte_with_and_without_a_dictionary(tmp_path):
    site = SyntheticSite(12, chrome_scale=0.2)
    with Archive(tmp_path / "a.sqlite") as archive:
        for index in range(12):
            archive.record_fetch(None, site.fetch(index, T0))
        rows = archive._db.execute("SELECT id, dictionary_id, size, stored_size FROM captures ORDER BY id").fetchall()
        # The first pages were stored before there was a dictionary, then recompressed with it.
        assert {row["dictionary_id"] for row in rows} == {1}
        assert all(row["stored_size"] * 10 < row["size"] for row in rows)
        for index, row in enumerate(rows):
            assert archive.capture_body(row["id"]) == site.page(index)


def test_a_redesign_gets_a_new_dictionary_and_old_captures_stay_readable(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_EVERY", 8)
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_PAGES", 4)
    before, after = SyntheticSite(16, seed=1, chrome_scale=0.3), SyntheticSite(24, seed=99, chrome_scale=0.3)
    with Archive(tmp_path / "a.sqlite") as archive:
        for index in range(16):
            archive.record_fetch(None, before.fetch(index, T0))
        for index in range(16, 24):  # other ids, other chrome
            archive.record_fetch(None, after.fetch(index, T0 + timedelta(days=1)))
        dictionaries = archive._db.execute("SELECT count(*) FROM zstd_dictionaries").fetchone()[0]
        assert dictionaries == 2
        assert archive.capture_body(1) == before.page(0)
        assert archive.capture_body(24) == after.page(23)
