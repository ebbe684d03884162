"""Fixtures shared by the CLI tests: read-only places, and an archive with some history in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults


def _mount_read_only(source: Path, target: Path) -> bool:
    try:
        subprocess.run(["mount", "--bind", str(source), str(target)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    done = subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True)
    if done.returncode != 0:
        subprocess.run(["umount", str(target)], capture_output=True)
        return False
    return True


@pytest.fixture
def read_only():
    """`read_only(path)` makes a file or directory read-only for the CLI's processes: by permissions for
    a normal user, by a read-only bind mount for root (whom permissions do not stop)."""
    mounts: list[Path] = []
    changed: list[tuple[Path, int]] = []

    def make(path: Path) -> Path:
        if os.geteuid() != 0:
            changed.append((path, path.stat().st_mode))
            path.chmod(0o555 if path.is_dir() else 0o444)
            return path
        if not _mount_read_only(path, path):
            message = "needs a read-only bind mount (root without mount rights here)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        mounts.append(path)
        return path

    yield make
    for path in reversed(mounts):
        if subprocess.run(["umount", str(path)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)  # busy: detach it anyway
    for path, mode in changed:
        path.chmod(mode)


@pytest.fixture(scope="session")
def history_archive(tmp_path_factory) -> Path:
    """An archive two crawls made of the replica: edits, take-downs, a failure, dictionaries — a row
    in every table. Tests copy it (`copy_archive`) rather than change it."""
    db = tmp_path_factory.mktemp("history") / "archive.db"
    replica = Replica(seed=1, articles=60)
    faults = Faults()
    with ReplicaServer(replica, faults=faults) as server:
        command = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
                   "--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0"]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
        replica.advance()
        broken = replica.url_for(replica.live_ids()[0]).removeprefix(server.url)
        faults.fail(broken, times=10, status=500)
        subprocess.run([*command, "--recheck-all"], capture_output=True, timeout=180)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def copy_archive(history_archive, tmp_path):
    def copy(name: str = "archive.db", directory: Path | None = None) -> Path:
        target = (directory or tmp_path) / name
        shutil.copyfile(history_archive, target)
        return target
    return copy


def pytest_configure(config):
    """The layout and fuzz property tests' knobs, checked before anything runs: one line naming a bad one."""
    for name in ("DBP_LAYOUT_SEED", "DBP_LAYOUT_EXAMPLES", "DBP_FUZZ_SEED", "DBP_FUZZ_EXAMPLES"):
        value = os.environ.get(name, "").strip()
        if value and (not value.isdigit() or int(value) < 1):
            raise pytest.UsageError(f"{name}={value!r}: a whole number of at least 1 is needed")
