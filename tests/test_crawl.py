"""Whole crawls of the replica over real HTTP, each as a `dbp-archive crawl` subprocess.

Scrapy's reactor cannot restart inside one process, so every crawl here is its own process; the
replica runs in this test process, so the tests read the truth from the same model that served.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from clirun import query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults
from crawler.runner import crawl_lock

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0.05"]


def crawl(db, server, *args, timeout=180, env=None):
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
               *FAST, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def identities(replica, ids):
    return {replica.identity(article_id, replica.base_url) for article_id in ids}


def archive_dump(db):
    """What must not depend on timing: articles, their states and their versions' content."""
    return (
        query(db, "SELECT identity, state, gone_status, site_id FROM articles ORDER BY identity"),
        query(db, "SELECT identity, number, change, fingerprint FROM versions ORDER BY identity, number"),
        query(db, "SELECT from_identity, position, to_identity FROM links ORDER BY 1, 2, 3"),
    )


@pytest.fixture
def site():
    replica = Replica(seed=1, articles=200)
    faults = Faults()
    with ReplicaServer(replica, faults=faults) as server:
        yield replica, server, faults


def test_full_crawl_finds_every_article_once(site, tmp_path):
    replica, server, _ = site
    db = tmp_path / "archive.db"
    done = crawl(db, server)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"crawl: {len(replica.all_ids())} new, 0 updated")
    assert len(done.stdout.strip().splitlines()) == 1  # cron mails one line, not a log
    archived = {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert archived == identities(replica, replica.all_ids())
    assert replica.unlisted_ids() and identities(replica, replica.unlisted_ids()) <= archived
    assert query(db, "SELECT count(*) FROM versions") == [(len(archived),)]
    # Each article was fetched once, whatever number of links (listings, sitemap, Tin khác) led to it.
    assert query(db, "SELECT count(*), count(DISTINCT identity) FROM observations") == [(len(archived),) * 2]
    seed = str(Replica.SEED_ARTICLE_ID)
    assert query(db, "SELECT title, view_count FROM article_current WHERE identity = ?", seed) == [
        ("Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh", 5717)]


def test_second_crawl_after_the_clock_moves(site, tmp_path):
    replica, server, _ = site
    db = tmp_path / "archive.db"
    assert crawl(db, server).returncode == 0
    changes = replica.advance()
    assert changes.edited and changes.taken_down and changes.added and changes.moved
    done = crawl(db, server, "--recheck-all")
    assert done.returncode == 0, done.stderr

    edited = identities(replica, changes.edited)
    new_versions = {row[0] for row in query(db, "SELECT identity FROM versions WHERE number > 1")}
    assert new_versions == edited
    assert query(db, "SELECT DISTINCT change FROM versions WHERE number > 1") == [("edit",)]
    # Edited articles: the archive's current version is what the page says now.
    for article_id in changes.edited:
        truth = replica.expected(article_id)
        row = query(db, "SELECT title, body_text FROM article_current WHERE identity = ?",
                    replica.identity(article_id, server.url))
        assert row == [(truth["title"], truth["body_text"])]

    gone = identities(replica, changes.taken_down)
    assert {row[0] for row in query(db, "SELECT identity FROM articles WHERE state = 'gone'")} == gone
    for identity in gone:  # content intact
        assert query(db, "SELECT count(*) FROM versions WHERE identity = ? AND body_text != ''", identity) == [(1,)]

    # View counts: a new observation each, never a version.
    for article_id in replica.live_ids():
        if article_id in changes.edited or article_id in changes.added:
            continue
        identity = replica.identity(article_id, server.url)
        latest = query(db, "SELECT view_count FROM observations WHERE identity = ? ORDER BY id DESC LIMIT 1",
                       identity)
        assert latest == [(replica.expected(article_id)["view_count"],)]
        assert query(db, "SELECT count(*) FROM versions WHERE identity = ?", identity) == [(1,)]

    # Moved (re-slugged) articles stay one article each; new ones arrived.
    assert query(db, "SELECT count(*) FROM articles") == [(len(replica.all_ids()),)]
    assert identities(replica, changes.added) <= {row[0] for row in query(db, "SELECT identity FROM articles")}


def test_kill_during_a_crawl_then_rerun_equals_an_uninterrupted_crawl(site, tmp_path):
    replica, server, _ = site
    reference = tmp_path / "reference.db"
    assert crawl(reference, server).returncode == 0

    db = tmp_path / "killed.db"
    slow = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
            "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False"]
    process = subprocess.Popen(slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    if query(db, "SELECT count(*) FROM observations")[0][0] >= 30:
                        break
                except sqlite3.OperationalError:
                    pass  # schema not made yet
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    partial = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < partial < len(replica.all_ids())
    assert query(db, "PRAGMA integrity_check") == [("ok",)]

    rerun = crawl(db, server)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"crawl: {len(replica.all_ids()) - partial} new")  # finished work not redone
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert archive_dump(db) == archive_dump(reference)
    assert query(db, "SELECT id, status FROM runs ORDER BY id") == [(1, "interrupted"), (2, "finished")]


def test_a_second_concurrent_crawl_is_refused(site, tmp_path):
    _, server, faults = site
    db = tmp_path / "archive.db"
    with crawl_lock(str(db)):
        started = time.monotonic()
        refused = crawl(db, server)
    assert refused.returncode == 75
    assert "another crawl is running" in refused.stderr
    assert time.monotonic() - started < 30
    assert not faults.requests  # it never touched the site


def test_server_errors_and_timeouts_are_retried(site, tmp_path):
    replica, server, faults = site
    flaky, slow = (replica.url_for(article_id).removeprefix(server.url) for article_id in replica.listed_ids()[5:7])
    faults.fail(flaky, times=2, status=503)
    faults.stall(slow, seconds=3, times=1)
    db = tmp_path / "archive.db"
    done = crawl(db, server, "-s", "DOWNLOAD_TIMEOUT=1")
    assert done.returncode == 0, done.stderr
    assert faults.requests[flaky] == 3 and faults.requests[slow] == 2
    archived = {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert archived == identities(replica, replica.all_ids())
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]


def test_a_huge_response_is_refused_without_harm(site, tmp_path):
    replica, server, faults = site
    victim_id = replica.listed_ids()[4]
    victim = replica.url_for(victim_id).removeprefix(server.url)
    faults.huge(victim, megabytes=20)
    db = tmp_path / "archive.db"
    done = crawl(db, server)
    assert done.returncode == 0, done.stderr
    archived = {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert archived == identities(replica, replica.all_ids()) - {str(victim_id)}
    errors = [row[0] for row in query(db, "SELECT error FROM failures")]
    assert len(errors) == 1 and "refused" in errors[0]
    assert query(db, "SELECT max(size) FROM captures")[0][0] < 1024 * 1024
    assert " 1 failed" in done.stdout


def test_unreachable_start_url_exits_2(tmp_path):
    with ReplicaServer(Replica(seed=1, articles=5)) as server:
        url = server.url
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(tmp_path / "a.db"),
                           "--start-url", url + "/", *FAST, "-s", "RETRY_TIMES=0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"{url}/: cannot fetch the start page" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "a.db").exists()  # a first crawl that could not run leaves no empty archive


def test_an_unchanged_site_recheck_costs_304s_and_no_versions(site, tmp_path):
    replica, server, _ = site
    db = tmp_path / "archive.db"
    assert crawl(db, server).returncode == 0
    captures = query(db, "SELECT count(*) FROM captures")
    done = crawl(db, server, "--recheck-all")
    assert done.returncode == 0, done.stderr
    live = len(replica.live_ids())
    assert f" 0 updated, {live} unchanged" in done.stdout
    # Conditional GET: the replica answers 304 to the validators the archive kept.
    assert query(db, "SELECT count(*) FROM observations WHERE run_id = 2 AND outcome = 'not_modified'") == [(live,)]
    assert query(db, "SELECT count(*) FROM captures") == captures
    assert query(db, "SELECT count(*) FROM versions") == [(live,)]


def test_a_crawl_is_bounded_by_max_articles_and_since(site, tmp_path):
    replica, server, _ = site
    done = crawl(tmp_path / "ten.db", server, "--max-articles", "10")
    assert done.returncode == 0, done.stderr
    assert query(tmp_path / "ten.db", "SELECT count(*) FROM articles") == [(10,)]

    since = "2025-01-01"
    done = crawl(tmp_path / "recent.db", server, "--since", since)
    assert done.returncode == 0, done.stderr
    recent = {replica.identity(article_id, server.url) for article_id in replica.live_ids()
              if replica.expected(article_id)["published_at"] >= since}
    archived = {row[0] for row in query(tmp_path / "recent.db", "SELECT identity FROM articles")}
    assert recent and archived == recent


def test_politeness_robots_and_no_offsite_redirects(site, tmp_path):
    replica, server, faults = site
    elsewhere_faults = Faults()
    with ReplicaServer(Replica(seed=9, articles=5), host="127.0.0.2", faults=elsewhere_faults) as elsewhere:
        victim_id = replica.listed_ids()[3]
        faults.redirect(replica.url_for(victim_id).removeprefix(server.url), elsewhere.url + "/")
        done = crawl(tmp_path / "archive.db", server)
    assert done.returncode == 0, done.stderr
    assert not elsewhere_faults.requests  # the redirect off the site was not followed
    assert faults.requests["/robots.txt"] >= 1
    assert faults.requests["/rss/tin-moi.rss"] == 1  # the feed the home page announces
    assert not [path for path in faults.requests if path.startswith(("/tim-kiem", "/_replica"))]
    archived = {row[0] for row in query(tmp_path / "archive.db", "SELECT identity FROM articles")}
    assert str(victim_id) not in archived and len(archived) == len(replica.all_ids()) - 1


def test_an_archive_that_refuses_writes_stops_the_crawl_with_exit_2(site, tmp_path):
    _, server, faults = site
    db = tmp_path / "archive.db"
    from archive.db import Archive

    Archive(db).close()
    with sqlite3.connect(db) as connection:  # stands in for a full disk or a broken file
        connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON observations "
                           "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END")
    done = crawl(db, server)
    assert done.returncode == 2
    assert "refused writes" in done.stderr
    article_requests = sum(n for path, n in faults.requests.items() if path.startswith("/tin-tuc/") and path.count("/") >= 4)
    assert article_requests < 50  # it stopped instead of downloading the whole site for nothing
    assert query(db, "SELECT status FROM runs") == [("archive_error",)]


def test_a_bounded_first_crawl_leaves_no_gaps_for_the_next(site, tmp_path):
    replica, server, _ = site
    db = tmp_path / "archive.db"
    assert crawl(db, server, "--max-articles", "40").returncode == 0
    assert query(db, "SELECT count(*) FROM listing_walks") == [(0,)]  # no listing was read to its end
    done = crawl(db, server)
    assert done.returncode == 0, done.stderr
    archived = {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert archived == identities(replica, replica.all_ids())
    walked = {row[0] for row in query(db, "SELECT category FROM listing_walks")}
    assert walked == {category.slug for category in replica.categories}


def test_a_kill_after_an_article_is_stored_and_before_its_tin_khac_targets_loses_none(site, tmp_path):
    """The frontier: links found are in the archive as they are found, so a rerun fetches them first
    even though the article that showed them is archived and not due."""
    replica, server, faults = site
    reference = tmp_path / "reference.db"
    assert crawl(reference, server).returncode == 0
    unlisted = replica.unlisted_ids()[0]  # reachable only through its host's Tin khác
    host = replica.identity(replica.id_of(replica._host_of[replica.index_of(unlisted)]), server.url)
    unlisted_identity = replica.identity(unlisted, server.url)
    target_path = replica.url_for(unlisted).removeprefix(server.url)
    faults.requests.clear()  # count this crawl's requests only
    faults.stall(target_path, seconds=60, times=1)

    db = tmp_path / "killed.db"
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                                server.url + "/", *FAST], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (faults.requests[target_path] and _archived(db, host)):
            time.sleep(0.05)
        assert faults.requests[target_path] == 1, "the crawl never asked for the Tin khác target"
        assert _archived(db, host)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    stored = {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert host in stored and unlisted_identity not in stored
    assert query(db, "SELECT count(*) FROM frontier WHERE identity = ? AND fetched_at IS NULL", unlisted_identity) == [(1,)]

    rerun = crawl(db, server)
    assert rerun.returncode == 0, rerun.stderr
    assert unlisted_identity in {row[0] for row in query(db, "SELECT identity FROM articles")}
    assert archive_dump(db) == archive_dump(reference)


def _archived(db, identity) -> bool:
    try:
        return bool(query(db, "SELECT count(*) FROM articles WHERE identity = ?", identity)[0][0])
    except sqlite3.OperationalError:
        return False  # the crawl is still creating the file


def test_a_crawl_of_random_layouts_archives_every_article_as_its_page_shows_it(tmp_path):
    """The replica serving every article in a layout of its own (`replica --layouts random`): the
    archive holds each article's fields as its page shows them, and field health counts the pages
    that show no date."""
    replica = Replica(seed=3, articles=80, layouts="random")
    with ReplicaServer(replica) as server:
        db = tmp_path / "archive.db"
        done = crawl(db, server)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stdout
    rows = query(db, "SELECT url, title, category, published_at, view_count, authors, sapo, body_text "
                     "FROM article_current")
    assert len(rows) == len(replica.all_ids())
    for url, title, category, published_at, view_count, authors, sapo, body_text in rows:
        truth = replica.expected_for_url(url)
        assert (title, category, published_at, view_count, authors, sapo, body_text) == (
            truth["title"], truth["category"], truth["published_at"], truth["view_count"],
            json.dumps(truth["authors"], ensure_ascii=False, separators=(",", ":")), truth["sapo"],
            truth["body_text"]), url
    assert query(db, "SELECT parsed FROM runs") == [(len(rows),)]
    # Field health counts what pages show and the parser missed: here only the pages that show no date.
    from crawler.replica.layouts import layout_for

    undated = sum(1 for i in range(len(replica.all_ids())) if layout_for(replica.seed, i).date_display == "none")
    assert undated and query(db, "SELECT field, fetches FROM field_health") == [("published_at", undated)]
