"""An archive written by the previous release opens under today's schema with nothing lost, and the
articles the old identity rule split (one per host or port) are one article each again."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.db import Archive
from clirun import query
from archive.schema import MIGRATIONS

RELEASE_0_1 = Path(__file__).parent / "fixtures" / "archive" / "release-0.1.db"


def test_the_previous_release_archive_migrates_and_split_articles_merge(tmp_path):
    db = tmp_path / "archive.db"
    shutil.copyfile(RELEASE_0_1, db)
    assert query(db, "PRAGMA user_version") == [(2,)]
    before = {
        "versions": query(db, "SELECT count(*) FROM versions")[0][0],
        "observations": query(db, "SELECT count(*) FROM observations")[0][0],
        "links": query(db, "SELECT count(*) FROM links")[0][0],
        "captures": query(db, "SELECT count(*) FROM captures")[0][0],
    }
    old_idless = [row[0] for row in query(db, "SELECT identity FROM articles WHERE identity NOT GLOB '[0-9]*'")]
    paths = {identity.split("/", 3)[3] for identity in old_idless}  # host and port dropped
    assert len(paths) < len(old_idless), "the fixture should hold articles split by the old rule"
    numeric = query(db, "SELECT identity, first_seen FROM articles WHERE identity GLOB '[0-9]*' ORDER BY 1")

    with Archive(db) as archive:
        assert archive.schema_version == len(MIGRATIONS)
        counts = archive.counts()

    for table, count in before.items():  # not a row lost
        assert query(db, f"SELECT count(*) FROM {table}")[0][0] == count, table
    assert counts["articles"] == len(numeric) + len(paths)
    assert query(db, "SELECT identity, first_seen FROM articles WHERE identity GLOB '[0-9]*' ORDER BY 1") == numeric
    merged = {row[0] for row in query(db, "SELECT identity FROM articles WHERE identity NOT GLOB '[0-9]*'")}
    assert merged == {"/" + path for path in paths}
    for identity in merged:
        versions = query(db, "SELECT number, first_seen FROM versions WHERE identity = ? ORDER BY number", identity)
        assert [number for number, _ in versions] == list(range(1, len(versions) + 1))
        assert [seen for _, seen in versions] == sorted(seen for _, seen in versions)  # in time order
        current = query(db, "SELECT v.last_seen, a.last_seen FROM articles a JOIN versions v ON v.id = a.current_version_id"
                           " WHERE a.identity = ?", identity)
        assert current[0][0] == current[0][1]  # the current version is the one seen last
    assert query(db, "SELECT count(*) FROM identity_merges WHERE in_progress = 0")[0][0] == len(old_idless)
    assert query(db, "PRAGMA foreign_key_check") == []
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    # No observation or link points at an identity that is no article any more.
    assert query(db, "SELECT count(*) FROM observations WHERE identity IS NOT NULL"
                    " AND identity NOT IN (SELECT identity FROM articles)") == [(0,)]
    assert query(db, "SELECT count(*) FROM links WHERE to_identity LIKE 'http%'") == [(0,)]


def test_merged_copies_of_one_article_are_not_edits(tmp_path):
    db = tmp_path / "archive.db"
    shutil.copyfile(RELEASE_0_1, db)
    Archive(db).close()
    merged = [row[0] for row in query(db, "SELECT DISTINCT into_identity FROM identity_merges")]
    same_content = [identity for identity in merged
                    if query(db, "SELECT count(DISTINCT fingerprint) FROM versions WHERE identity = ?", identity) == [(1,)]
                    and query(db, "SELECT count(*) FROM versions WHERE identity = ?", identity)[0][0] > 1]
    assert same_content, "the fixture's split copies hold the same content"
    for identity in same_content:
        assert query(db, "SELECT version_count FROM article_current WHERE identity = ?", identity) == [(1,)]


def test_schemas_9_and_10_smaller_indexes_answer_the_same_queries_with_nothing_lost(tmp_path, monkeypatch):
    from datetime import timedelta

    from archive import schema as archive_schema
    from archive.history import find_article
    from test_archive import T0, URL, make_article, make_fetch

    db = tmp_path / "archive.sqlite"
    # A canonical link that is not the page's URL, nor anything its identity can be read from.
    canonical = "https://m.example.org/doc?p=7"
    monkeypatch.setattr(archive_schema, "MIGRATIONS", MIGRATIONS[:8])
    with Archive(db) as archive:
        run_id = archive.start_run({}, "1", started_at=T0)
        archive.record_fetch(run_id, make_fetch(make_article(canonical_url=canonical), at=T0 + timedelta(hours=2)))
        # Fetches recorded out of time order (a backfill): an article's fetches still read in time order.
        archive.record_fetch(run_id, make_fetch(at=T0 + timedelta(hours=1), status=304, body=None))
        archive.record_fetch(run_id, make_fetch(at=T0 + timedelta(hours=3), status=304, body=None))
    monkeypatch.undo()
    assert query(db, "PRAGMA user_version") == [(8,)]
    before = {table: query(db, f"SELECT * FROM {table} ORDER BY 1") for table in ("observations", "versions", "articles")}

    with Archive(db) as archive:
        assert archive.schema_version == len(MIGRATIONS) >= 9
        assert {table: query(db, f"SELECT * FROM {table} ORDER BY 1") for table in before} == before
        indexes = dict(query(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN"
                                 " ('observations_by_article', 'versions_by_canonical_url', 'versions_by_other_canonical_url',"
                                 " 'frontier_pending')"))
        assert indexes == {
            "observations_by_article": "CREATE INDEX observations_by_article ON observations(identity)",
            "versions_by_other_canonical_url":
                "CREATE INDEX versions_by_other_canonical_url ON versions(canonical_url) WHERE canonical_url <> url",
            "frontier_pending": "CREATE INDEX frontier_pending ON frontier(found_at, identity) WHERE fetched_at IS NULL",
        }
        times = [row["fetched_at"] for row in archive.observations("212838")]
        assert times == sorted(times) and len(times) == 3
        # An article is still found by a canonical URL it once declared, and by its own URL.
        assert find_article(archive, canonical) == "212838"
        assert find_article(archive, URL) == "212838"
        # The links its page showed are pending until a fetch answers for them, then no longer.
        assert [link[0] for link in archive.pending_links()] == ["212001", "212002"]
        related_url = make_article().related[0].url
        linked = make_article(url=related_url, canonical_url=related_url, article_id=212001)
        archive.record_fetch(None, make_fetch(linked, at=T0 + timedelta(hours=4)))
        assert [link[0] for link in archive.pending_links()] == ["212002"]
