"""The crawl against the site as it is today (`Replica(today=True)`), over real HTTP: category pages
that are empty shells over a JSON API on another origin, id-less `/tin-bai/` articles in today's
markup, old domains on other loopback addresses that redirect, take-downs of every kind."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from archive_state import archive_state, differences, whole_problems
from clirun import query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.api import CATEGORY_PATH
from crawler.replica.faults import Faults

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0"]


def command(db, server):
    sites = [arg for host in ("127.0.0.1", "127.0.0.2", "127.0.0.3") for arg in ("--site-domain", host)]
    return [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
            *sites, *FAST]


def crawl(db, server, *args):
    return subprocess.run([*command(db, server), *args], capture_output=True, text=True, timeout=180)


def archived(db) -> set[str]:
    return {row[0] for row in query(db, "SELECT identity FROM articles")}


@pytest.fixture
def today():
    replica = Replica(seed=1, articles=200, today=True)
    faults = Faults()
    with ReplicaServer(replica, faults=faults) as server:
        yield replica, server, faults


def truth(replica, server) -> set[str]:
    return {replica.identity(article_id, server.url) for article_id in replica.all_ids()}


def test_a_full_crawl_finds_every_article_once_through_the_api(today, tmp_path):
    replica, server, _ = today
    db = tmp_path / "archive.db"
    done = crawl(db, server)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"crawl: {len(replica.all_ids())} new, 0 updated")
    assert "warning" not in done.stdout
    assert archived(db) == truth(replica, server)
    assert query(db, "SELECT count(*), count(DISTINCT identity) FROM observations") == [(len(replica.all_ids()),) * 2]
    assert server.api_faults.requests[CATEGORY_PATH] >= len(replica.categories)
    assert server.api_faults.requests["/api/web/menu-get-list"] == 1
    # Articles the site serves in today's markup were read as a reader sees them.
    for article_id in replica.id_less_ids()[:5]:
        expected = replica.expected(article_id)
        row = query(db, "SELECT title, category, published_at, view_count FROM article_current WHERE identity = ?",
                    replica.identity(article_id, server.url))
        assert row == [(expected["title"], expected["category"], expected["published_at"], expected["view_count"])]


@pytest.mark.parametrize("answer", ["500", "html", "malformed json", "another shape"])
def test_an_api_that_answers_badly_is_a_warning_not_a_failed_run(today, tmp_path, answer):
    replica, server, _ = today
    if answer == "500":
        server.api_faults.fail(CATEGORY_PATH, times=10**6, status=500)
    elif answer == "html":
        server.api_faults.answer(CATEGORY_PATH, "<html><body>Bảo trì hệ thống</body></html>".encode())
    elif answer == "malformed json":
        server.api_faults.answer(CATEGORY_PATH, b'{"status": 1, "data": {"list": [', "application/json")
    else:
        server.api_faults.answer(CATEGORY_PATH, b'{"ok": true, "items": []}', "application/json")
    done = crawl(tmp_path / "archive.db", server)
    assert done.returncode == 0, done.stderr
    assert "warning: the category API answered" in done.stdout
    assert "Traceback" not in done.stderr
    found = archived(tmp_path / "archive.db")
    assert found and found < truth(replica, server)  # the other paths went on; the API-only articles are missing


def test_old_domains_reslugs_and_moves_stay_one_article(today, tmp_path):
    replica, server, _ = today
    db = tmp_path / "archive.db"
    assert crawl(db, server).returncode == 0
    assert query(db, "SELECT count(*) FROM aliases WHERE url LIKE 'http://127.0.0.2%' OR url LIKE 'http://127.0.0.3%'")
    changes = replica.advance()
    moved_id_less = [a for a in changes.moved if a in replica.id_less_ids()]
    assert moved_id_less, "the replica should re-slug or move some id-less articles"
    done = crawl(db, server, "--recheck-all")
    assert done.returncode == 0, done.stderr
    # An article keeps the identity it was first archived under; its new URL's is an alias of it.
    aliases = dict(query(db, "SELECT alias, identity FROM aliases"))
    assert {aliases.get(identity, identity) for identity in truth(replica, server)} == archived(db)
    edited = set(changes.edited)
    for article_id in moved_id_less:
        identity = aliases[replica.identity(article_id, server.url)]
        assert query(db, "SELECT url FROM articles WHERE identity = ?", identity) == [(replica.url_for(article_id),)]
        versions = query(db, "SELECT count(*) FROM versions WHERE identity = ?", identity)[0][0]
        assert versions == (2 if article_id in edited or article_id in changes.recategorised else 1), article_id
    # Versions only for real edits (a category move is one: the reader sees another category).
    assert query(db, "SELECT count(*) FROM articles") == [(len(replica.all_ids()),)]
    updated = int(done.stdout.split(" new, ")[1].split(" updated")[0])
    assert updated == len(set(changes.edited) | set(changes.recategorised)), done.stdout + done.stderr[-3000:]  # no Tin khác reshuffle poses as one
    # Links found under a new slug were answered by the article they alias: nothing stays pending.
    from archive.db import Archive

    with Archive(db, readonly=True) as archive:
        assert archive.pending_links() == []


@pytest.fixture(scope="module")
def crawled_once(tmp_path_factory):
    """One site, left as it is, and the archive an uninterrupted crawl of it makes: the reference
    each killed crawl is held to (crawling never changes the replica, so one serves them all)."""
    replica = Replica(seed=1, articles=200, today=True)
    with ReplicaServer(replica) as server:
        reference = tmp_path_factory.mktemp("reference") / "reference.db"
        assert crawl(reference, server).returncode == 0
        yield replica, server, reference


@pytest.mark.parametrize("kill_after", [5, 60, 150])
def test_kills_then_reruns_end_as_an_uninterrupted_crawl(crawled_once, tmp_path, kill_after):
    replica, server, reference = crawled_once
    db = tmp_path / "killed.db"
    process = subprocess.Popen([*command(db, server)[:-len(FAST)], "-s", "DOWNLOAD_DELAY=0.01",
                                "-s", "AUTOTHROTTLE_ENABLED=False"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if db.exists() and query(db, "SELECT count(*) FROM observations")[0][0] >= kill_after:
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert 0 < len(archived(db)) < len(replica.all_ids())
    rerun = crawl(db, server)
    assert rerun.returncode == 0, rerun.stderr
    assert not whole_problems(db)
    assert not differences(archive_state(db), archive_state(reference))  # tests/test_kills.py: random points


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


def test_links_to_hosts_not_named_as_the_site_are_a_warning(today, tmp_path):
    replica, server, _ = today
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(tmp_path / "a.db"),
                           "--start-url", server.url + "/", *FAST], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "article link(s) to other hosts not followed (127.0.0.2" in done.stdout
    assert "--site-domain" in done.stdout
