"""Identities over real HTTP: one article stays one article whatever host, port or slug led to it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0"]


def crawl(db, server, *args):
    return subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                           server.url + "/", *FAST, *args], capture_output=True, text=True, timeout=180)


def query(db, sql, *params):
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


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


def test_every_way_a_page_disappears_is_gone_with_its_reason_and_returns(tmp_path):
    db = tmp_path / "archive.db"
    replica = Replica(seed=1, articles=200, today=True)
    with ReplicaServer(replica) as server:
        assert crawl(db, server).returncode == 0
        first = replica.advance(2)  # two days: take-downs of every kind, and some returns
        done = crawl(db, server, "--recheck-all")
        assert done.returncode == 0, done.stderr
        reasons = {str(kind) for kind in first.status.values()}
        assert reasons <= {"404", "410", "soft-404", "redirect-home", "redirect-listing"}
        assert len(reasons) >= 4, reasons  # the replica drew most kinds in two days
        for article_id, kind in first.status.items():
            identity = archived_as(db, replica.identity(article_id, server.url))
            assert query(db, "SELECT state, gone_reason FROM articles WHERE identity = ?", identity) == [
                ("gone", str(kind))], (article_id, kind)
            assert query(db, "SELECT count(*) FROM versions WHERE identity = ?", identity) == [(1,)]  # content kept
        later = replica.advance(3)
        assert crawl(db, server, "--recheck-all").returncode == 0
    back = [article_id for article_id in later.returned if article_id in first.status]
    assert back, "some taken-down articles should have come back"
    for article_id in back:
        identity = archived_as(db, replica.identity(article_id, server.url))
        assert query(db, "SELECT state, gone_reason FROM articles WHERE identity = ?", identity) == [("live", None)]
        assert query(db, "SELECT from_state, to_state FROM state_changes WHERE identity = ? ORDER BY id", identity) == [
            ("live", "gone"), ("gone", "live")]


def archived_as(db, identity: str) -> str:
    """The identity the archive keeps the article under: a re-slugged or moved article keeps its first."""
    alias = query(db, "SELECT identity FROM aliases WHERE alias = ?", identity)
    return alias[0][0] if alias else identity
