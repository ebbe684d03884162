"""Identities over real HTTP: one article stays one article whatever host, port or slug led to it."""

from __future__ import annotations

import sqlite3
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



def test_pending_links_go_where_the_crawl_is_pointed_and_never_off_the_site(tmp_path):
    db = tmp_path / "archive.db"
    replica = Replica(seed=1, articles=120)
    with ReplicaServer(replica) as first:
        assert crawl(db, first, "--max-articles", "30").returncode == 0
        elsewhere = "http://elsewhere.invalid/tin-tuc/xa-hoi/999999/bai-bao-khac"  # another paper, same grammar
        connection = sqlite3.connect(db)
        connection.execute("INSERT INTO frontier (identity, url, found_at, found_on) VALUES ('999999', ?, '2025-01-01', ?)",
                           (elsewhere, first.url + "/tin-tuc/xa-hoi/1/x"))
        connection.commit()
        connection.close()
    pending = query(db, "SELECT count(*) FROM frontier WHERE fetched_at IS NULL")[0][0]
    assert pending > 1  # the bounded crawl left Tin khác links behind, found on the first port
    with ReplicaServer(Replica(seed=1, articles=120)) as second:  # the first port is dead now
        done = crawl(db, second)
    assert done.returncode == 0, done.stderr
    assert " 0 failed" in done.stdout, done.stdout  # pending links were asked for on the new host
    assert "1 article link(s) to other hosts not followed (elsewhere.invalid)" in done.stdout
    assert query(db, "SELECT fetched_at IS NULL FROM frontier WHERE identity = '999999'") == [(1,)]  # not followed
    assert query(db, "SELECT count(*) FROM articles WHERE identity = '999999'") == [(0,)]
