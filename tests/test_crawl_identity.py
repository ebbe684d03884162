"""Identities over real HTTP: one article stays one article whatever host, port or slug led to it."""

from __future__ import annotations

import subprocess
import sys

from clirun import query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0"]


def crawl(db, server, *args):
    return subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                           server.url + "/", *FAST, *args], capture_output=True, text=True, timeout=180)


def test_an_archive_recrawled_on_another_host_fetches_there_and_adds_no_duplicates(tmp_path):
    db = tmp_path / "archive.db"
    replica = Replica(seed=1, articles=120)
    with ReplicaServer(replica) as first:
        assert crawl(db, first).returncode == 0
    articles = query(db, "SELECT count(*) FROM articles")[0][0]
    assert replica.id_less_ids() and articles == len(replica.all_ids())
    faults = Faults()
    with ReplicaServer(Replica(seed=1, articles=120), faults=faults) as second:  # the first port is dead now
        done = crawl(db, second, "--recheck-all")
    assert done.returncode == 0, done.stderr
    assert " 0 new, 0 updated" in done.stdout and " 0 failed" in done.stdout, done.stdout
    assert query(db, "SELECT count(*) FROM articles") == [(articles,)]
    assert query(db, "SELECT count(*) FROM versions") == [(articles,)]  # a new port is no edit
    assert query(db, "SELECT count(*) FROM observations WHERE run_id = 2") == [(articles,)]

