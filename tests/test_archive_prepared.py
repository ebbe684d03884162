"""Fetches prepared elsewhere (`archive.prepared.prepare`, in another process: pickled on the way)
are recorded exactly as the same fetches recorded plain: one way to make a version's values."""

from __future__ import annotations

import pickle
import sqlite3

from archive.db import Archive
from archive.prepared import prepare
from crawler.replica import Replica
from crawler.replica.fetches import article_fetch

TABLES = {"versions": "identity, number", "captures": "sha256", "observations": "id", "links": "version_id, position",
          "articles": "identity", "frontier": "identity", "runs": "id"}


def rows(path) -> dict:
    with sqlite3.connect(path) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall() for table, order in TABLES.items()}


def test_prepared_fetches_make_the_same_archive_as_plain_ones(tmp_path):
    replica = Replica(seed=2, articles=30)
    ids = replica.live_ids()
    first = [article_fetch(replica, article_id) for article_id in ids[:20]]
    replica.advance()  # a day later: counters moved, an article or two edited or taken down
    again = [article_fetch(replica, article_id) for article_id in ids]
    for name, prepared in (("plain", False), ("prepared", True)):
        with Archive(tmp_path / f"{name}.sqlite") as archive:
            for batch in (first, again):
                items = [pickle.loads(pickle.dumps(prepare(fetch))) for fetch in batch] if prepared else batch
                run_id = archive.start_run({}, "1", started_at=batch[0].fetched_at)
                archive.record_fetches(run_id, items)
    plain, prepared = rows(tmp_path / "plain.sqlite"), rows(tmp_path / "prepared.sqlite")
    assert len(plain["versions"]) > 20 and len(plain["observations"]) == 20 + len(ids)
    for table in TABLES:
        assert plain[table] == prepared[table], table
