"""The archive's size targets, on replica pages (`bench/archive_size.py`), and its dictionaries."""

from __future__ import annotations

import sys
from pathlib import Path

from archive import captures as archive_captures
from archive.db import Archive
from crawler.replica import Replica
from crawler.replica.fetches import article_fetch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from archive_size import measure  # noqa: E402 - bench/ is no package


def test_replica_pages_stay_under_the_size_targets(tmp_path):
    result = measure(tmp_path / "a.sqlite", articles=300)
    assert result["mean_page_bytes"] > 55_000
    assert result["ratio"] <= 0.3
    assert result["refetch_identical"] <= 300
    assert result["refetch_counters"] <= 300
    assert result["counters_only_articles"] > 250
    assert result["versions"] == result["articles"]  # neither re-fetch made a version


def test_bodies_come_back_byte_for_byte_with_and_without_a_dictionary(tmp_path):
    replica = Replica(seed=3, articles=36)  # its first third: 2020's markup, one site's chrome
    fetches = [article_fetch(replica, article_id) for article_id in replica.live_ids()[:12]]
    with Archive(tmp_path / "a.sqlite") as archive:
        for fetch in fetches:
            archive.record_fetch(None, fetch)
        rows = archive._db.execute("SELECT id, dictionary_id, size, stored_size FROM captures ORDER BY id").fetchall()
        # The first pages were stored before there was a dictionary, then recompressed with it.
        assert {row["dictionary_id"] for row in rows} == {1}
        assert all(row["stored_size"] * 8 < row["size"] for row in rows)
        assert [archive.capture_body(row["id"]) for row in rows] == [fetch.body for fetch in fetches]


def test_a_redesign_gets_a_new_dictionary_and_old_captures_stay_readable(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_EVERY", 8)
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_PAGES", 4)
    # The replica's articles come in thirds by site generation: 2020's markup, then 2023's, then 2025's.
    replica = Replica(seed=1, articles=48)
    ids = replica.live_ids()
    before = [id_ for id_ in ids if replica.article(id_).generation == "2020"][:16]
    after = [id_ for id_ in ids if replica.article(id_).generation == "2025"][:8]
    with Archive(tmp_path / "a.sqlite") as archive:
        for article_id in before + after:
            archive.record_fetch(None, article_fetch(replica, article_id))
        dictionaries = archive._db.execute("SELECT count(*) FROM zstd_dictionaries").fetchone()[0]
        assert dictionaries == 2
        assert archive.capture_body(1) == article_fetch(replica, before[0]).body
        assert archive.capture_body(24) == article_fetch(replica, after[-1]).body


def test_layouts_served_side_by_side_each_join_the_dictionary(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_EVERY", 8)
    monkeypatch.setattr(archive_captures, "DICTIONARY_REVIEW_PAGES", 8)
    replica = Replica(seed=1, articles=96)
    ids = replica.live_ids()
    old = [id_ for id_ in ids if replica.article(id_).generation == "2020"][:20]
    new = [id_ for id_ in ids if replica.article(id_).generation == "2025"][:16]
    # The first dictionary holds 2020's markup alone; then the site serves both, as a crawl meets them.
    order = old[:4] + [id_ for pair in zip(old[4:], new) for id_ in pair]
    with Archive(tmp_path / "a.sqlite") as archive:
        for article_id in order:
            archive.record_fetch(None, article_fetch(replica, article_id))
        rows = archive._db.execute("SELECT id, dictionary_id, size, stored_size FROM captures ORDER BY id").fetchall()
        first_dictionary = [row for row in rows if row["dictionary_id"] == 1]
        last = rows[-8:]
        assert {row["dictionary_id"] for row in last} == {2}  # one more dictionary, made of both layouts
        # Under the first, 2025's pages compress several times worse than 2020's; under the second, both well.
        assert max(row["stored_size"] / row["size"] for row in first_dictionary) > 0.1
        assert all(row["stored_size"] / row["size"] < 0.05 for row in last)
        assert [archive.capture_body(row["id"]) for row in rows] == [article_fetch(replica, id_).body for id_ in order]
