"""SIGKILL anywhere: a crawl (fetching and writing), `export csv`, `reparse` and `upgrade` (a migration)
are killed at seeded random points, then run again to completion; every time the archive passes
SQLite's integrity check with nothing half-recorded, and ends equal to an uninterrupted run's in every
table that matters (`archive_state`).

The seed comes from DBP_KILL_SEED, else it is drawn (and printed with any failure). The short form
(`make test`) tries 10 points; DBP_RELIABILITY=long tries 40. A point is a random delay after the
command starts, or the moment a random number of rows has appeared (observations for a crawl,
reparses for a reparse). tests/test_crawl_today.py kills today's site's crawl after fixed row counts.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_state import archive_state, differences, whole_problems
from clirun import dbp, query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0"]
SEED = int(os.environ.get("DBP_KILL_SEED") or random.SystemRandom().randrange(2**31))
LONG = os.environ.get("DBP_RELIABILITY") == "long"
POINTS = {"crawl": 16, "reparse": 8, "export": 8, "upgrade": 8} if LONG else \
    {"crawl": 3, "reparse": 2, "export": 3, "upgrade": 2}
WORKERS = "2" if LONG else "1"  # the long form kills the parsing pool too; one process is quicker


@pytest.fixture
def rng(request):
    """The phase's random points, from the run's seed (printed, so a failure can be replayed)."""
    print(f"DBP_KILL_SEED={SEED}")
    return random.Random(f"{SEED}/{request.node.name}")


def rows(db: Path, table: str) -> int:
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:  # not made yet, or mid-migration
        return 0


def kill_at(command: list, rng: random.Random, seconds: float, db: Path | None = None,
            table: str | None = None, total: int = 0) -> str:
    """Start `dbp-archive COMMAND` and SIGKILL it at a random point: a delay within `seconds` (about
    the uninterrupted run's time), or once the `table` of `db` holds a random share of its `total`
    rows. Returns where the point was, for the failure message."""
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", *map(str, command)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if table is not None and total > 1 and rng.random() < 0.6:
            wanted = rng.randrange(1, total)
            deadline = time.monotonic() + 60
            while process.poll() is None and rows(db, table) < wanted and time.monotonic() < deadline:
                time.sleep(0.005)
            point = f"after {wanted} {table} rows"
        else:
            delay = rng.uniform(0, seconds)
            time.sleep(delay)
            point = f"{delay:.2f}s after start"
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    return point + (" (it had finished)" if finished else "")


def timed(*command) -> float:
    started = time.monotonic()
    done = dbp(*command)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def assert_as_uninterrupted(db: Path, reference: dict, point: str) -> None:
    where = f"killed {point} (DBP_KILL_SEED={SEED})"
    print(where)  # every point, for the record (pytest -s shows them; a failure shows them all)
    assert not whole_problems(db), where
    assert not differences(archive_state(db), reference), (where, differences(archive_state(db), reference))


def test_crawls_killed_anywhere_end_as_an_uninterrupted_crawl(tmp_path, rng):
    replica = Replica(seed=4, articles=12)
    with ReplicaServer(replica, faults=Faults()) as server:
        def crawl(db):
            return ["crawl", "--db", db, "--start-url", server.url + "/", *FAST]
        reference_db = tmp_path / "reference.db"
        seconds = timed(*crawl(reference_db))
        reference = archive_state(reference_db)
        fetches = rows(reference_db, "observations")
        for number in range(POINTS["crawl"]):
            db = tmp_path / f"killed-{number}.db"
            point = kill_at(crawl(db), rng, seconds, db, "observations", fetches)
            rerun = dbp(*crawl(db))
            assert rerun.returncode == 0, (point, rerun.stderr)
            assert_as_uninterrupted(db, reference, point)


def upgraded_release(directory: Path) -> Path:
    db = directory / "release.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", db)
    assert dbp("upgrade", "--db", db).returncode == 0
    return db


def test_reparses_killed_anywhere_end_as_an_uninterrupted_reparse(tmp_path, rng):
    template = upgraded_release(tmp_path)  # parser 1.1.0's versions, more than a batch of them
    reference_db = tmp_path / "reference.db"
    shutil.copyfile(template, reference_db)
    seconds = timed("reparse", "--db", reference_db, "--workers", WORKERS)
    reference = archive_state(reference_db)
    due = rows(reference_db, "reparses")
    for number in range(POINTS["reparse"]):
        db = tmp_path / f"killed-{number}.db"
        shutil.copyfile(template, db)
        point = kill_at(["reparse", "--db", db, "--workers", WORKERS], rng, seconds, db, "reparses", due)
        assert dbp("reparse", "--db", db, "--workers", WORKERS).returncode == 0, point
        assert_as_uninterrupted(db, reference, point)


def test_upgrades_killed_anywhere_end_as_an_uninterrupted_upgrade(tmp_path, rng):
    reference_db = upgraded_release(tmp_path)
    shutil.copyfile(FIXTURES / "release-0.1.db", tmp_path / "timing.db")
    seconds = timed("upgrade", "--db", tmp_path / "timing.db")
    reference = archive_state(reference_db)
    for number in range(POINTS["upgrade"]):
        db = tmp_path / f"killed-{number}.db"
        shutil.copyfile(FIXTURES / "release-0.1.db", db)
        point = kill_at(["upgrade", "--db", db], rng, seconds)
        assert not whole_problems(db), point
        assert query(db, "PRAGMA user_version") in ([(2,)], reference["user_version"]), point  # all or nothing
        assert dbp("upgrade", "--db", db).returncode == 0, point
        assert_as_uninterrupted(db, reference, point)


def test_exports_killed_anywhere_leave_no_partial_file_and_the_archive_untouched(tmp_path, rng):
    db = upgraded_release(tmp_path)
    before = archive_state(db)
    expected = tmp_path / "reference.csv"
    seconds = timed("export", "csv", "--db", db, "-o", expected)
    for number in range(POINTS["export"]):
        out = tmp_path / "out" / f"articles-{number}.csv"
        out.parent.mkdir(exist_ok=True)
        point = kill_at(["export", "csv", "--db", db, "-o", out], rng, seconds)
        # The file is all there or not there: an export renames a complete temporary into place.
        assert not out.exists() or out.read_bytes() == expected.read_bytes(), point
        assert dbp("export", "csv", "--db", db, "-o", out, "--force").returncode == 0, point
        assert out.read_bytes() == expected.read_bytes(), point
        assert_as_uninterrupted(db, before, point)
