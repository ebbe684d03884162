"""A crawl killed with SIGKILL at any moment leaves a consistent archive: no fetch half-recorded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.db import Archive

WRITER = r"""
import sys
from datetime import timedelta
from archive.db import Archive
from crawler.replica import Replica
from crawler.replica.fetches import article_fetch

replica = Replica(seed=1, articles=10)
with Archive(sys.argv[1]) as archive:
    run_id = archive.start_run({"crash": True}, "1", started_at=replica.now())
    for step in range(100_000):
        if step % 10 == 9:
            replica.advance()  # a day on the replica's clock: counters move, some articles edited or taken down
        article_id = replica.all_ids()[step % 10]
        at = replica.now() + timedelta(minutes=step)
        status = 404 if step % 7 == 3 else None  # and a 404 now and then on top
        archive.record_fetch(run_id, article_fetch(replica, article_id, at, status=status))
"""


def observations(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM observations").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def assert_consistent(path: Path) -> None:
    with Archive(path) as archive:
        assert archive.integrity_check() == "ok"
        db = archive._db
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every article has a current version of its own, and every version its links.
        assert db.execute(
            "SELECT count(*) FROM articles a LEFT JOIN versions v ON v.id = a.current_version_id"
            " WHERE v.identity IS NOT a.identity"
        ).fetchone()[0] == 0
        assert db.execute(
            "SELECT count(*) FROM versions v WHERE json_array_length(v.related)"
            " <> (SELECT count(*) FROM links l WHERE l.version_id = v.id)"
        ).fetchone()[0] == 0
        # The run's counters moved in the same transactions as the observations they count.
        counted = db.execute(
            "SELECT new + updated + reparsed + unchanged + not_modified + gone + failed FROM runs"
        ).fetchone()[0]
        assert counted == db.execute("SELECT count(*) FROM observations").fetchone()[0]
        # A gone article is gone since an observation that said so.
        assert db.execute(
            "SELECT count(*) FROM articles a WHERE a.state = 'gone' AND NOT EXISTS"
            " (SELECT 1 FROM state_changes s WHERE s.identity = a.identity AND s.to_state = 'gone')"
        ).fetchone()[0] == 0


@pytest.mark.parametrize("kill_after", [5, 40, 120])
def test_sigkill_mid_crawl_leaves_a_consistent_archive(tmp_path, kill_after):
    path = tmp_path / "archive.sqlite"
    root = Path(__file__).resolve().parent.parent
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=root,
                              env={**os.environ, "PYTHONPATH": str(root)})
    try:
        deadline = time.monotonic() + 60
        while observations(path) < kill_after and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert writer.poll() is None, "the writer stopped on its own"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert observations(path) >= kill_after
    assert_consistent(path)
