"""A full disk and a read-only archive: crawl, reparse and upgrade stop with one line naming the archive
and exit 2, the file stays whole, and the next run on a disk with room goes on and completes.

A full disk is a file-size limit (`RLIMIT_FSIZE`) on the command's process, set before it starts, with
SIGXFSZ ignored so a write past the limit fails (EFBIG) as a write on a full disk does, instead of
killing the process.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from archive_state import archive_state, differences, whole_problems
from clirun import dbp, one_line_error, query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults
from test_reparse import misread_archive

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0"]


def on_a_full_disk(*args, room: int):
    """`dbp-archive ARGS` where no file may grow past `room` bytes."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))
    return subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=180, preexec_fn=limit)


@pytest.fixture(scope="module")
def site():
    replica = Replica(seed=2, articles=12)
    with ReplicaServer(replica, faults=Faults()) as server:
        yield server


def crawl_args(db, server):
    return ["crawl", "--db", db, "--start-url", server.url + "/", *FAST]


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory) -> Path:
    """The site crawled once, uninterrupted (tests copy it)."""
    db = tmp_path_factory.mktemp("crawled") / "reference.db"
    assert dbp(*crawl_args(db, site)).returncode == 0
    return db


def assert_same(db, reference):
    assert not whole_problems(db)
    assert not differences(archive_state(db), archive_state(reference))


def test_a_crawl_that_fills_the_disk_stops_in_one_line_and_the_next_one_completes(site, crawled, tmp_path):
    reference = crawled
    db = tmp_path / "archive.db"
    done = on_a_full_disk(*crawl_args(db, site), room=150_000)
    one_line_error(done, str(db), "refused writes", "is the disk full?", "next crawl goes on")
    assert done.stdout.startswith("crawl: ")
    assert not whole_problems(db)
    kept = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < kept < query(reference, "SELECT count(*) FROM articles")[0][0]
    rerun = dbp(*crawl_args(db, site))
    assert rerun.returncode == 0, rerun.stderr
    assert_same(db, reference)


def test_a_disk_full_before_the_crawl_starts_is_one_line_and_no_new_archive(site, crawled, tmp_path):
    db = tmp_path / "archive.db"
    shutil.copyfile(crawled, db)
    before = archive_state(db)
    one_line_error(on_a_full_disk(*crawl_args(db, site), "--recheck-all", room=1024), str(db), "disk full")
    assert not whole_problems(db) and archive_state(db) == before
    fresh = tmp_path / "fresh.db"
    one_line_error(on_a_full_disk(*crawl_args(fresh, site), room=1024), str(fresh), "disk full")
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("fresh")) == []


def test_an_upgrade_on_a_full_disk_leaves_the_old_archive_and_the_next_one_upgrades(tmp_path):
    reference = tmp_path / "reference.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", reference)
    assert dbp("upgrade", "--db", reference).returncode == 0
    db = tmp_path / "archive.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", db)
    one_line_error(on_a_full_disk("upgrade", "--db", db, room=256 * 1024), str(db), "cannot upgrade", "disk full")
    assert not whole_problems(db)
    assert query(db, "PRAGMA user_version") == [(2,)]  # the migration is one transaction: none of it
    assert dbp("upgrade", "--db", db).returncode == 0
    assert_same(db, reference)


def test_a_reparse_on_a_full_disk_stops_in_one_line_and_the_next_one_resumes(tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "full").mkdir()
    reference = misread_archive(tmp_path / "reference")
    assert dbp("reparse", "--db", reference, "--workers", "1").returncode == 0
    db = misread_archive(tmp_path / "full")
    one_line_error(on_a_full_disk("reparse", "--db", db, "--workers", "1", room=16 * 1024),
                   str(db), "cannot reparse", "disk full", "resumes")
    assert not whole_problems(db)
    assert dbp("reparse", "--db", db, "--workers", "1").returncode == 0
    assert_same(db, reference)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# (A crawl on a read-only archive: tests/test_cli_promises.py.)
@pytest.mark.parametrize("command, what", [("reparse", "file"), ("upgrade", "directory")])
def test_a_read_only_archive_is_one_line_and_untouched(tmp_path, read_only, command, what):
    directory = tmp_path / "archives"
    directory.mkdir()
    db = directory / "archive.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", db)
    before = sha256(db)
    read_only(db if what == "file" else directory)
    one_line_error(dbp(command, "--db", db), str(db), "read-only")
    assert sha256(db) == before
    shutil.copyfile(db, tmp_path / "copy.db")  # checked beside it: a check opens the file for writing
    assert not whole_problems(tmp_path / "copy.db")
