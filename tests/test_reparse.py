"""`dbp-archive reparse`: the running parser over stored captures, in parallel, resumable, making
`parser` versions only."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from clirun import dbp, one_line_error, query

FIXTURES = Path(__file__).parent / "fixtures" / "archive"


def old_archive(tmp_path) -> Path:
    """An archive an older release wrote (parser 1.1.0), brought to this schema."""
    db = tmp_path / "archive.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", db)
    assert dbp("upgrade", "--db", db).returncode == 0
    return db


def misread_archive(tmp_path, misread: set | None = None) -> Path:
    """An archive of replica pages whose versions an "older parser" (1.0.0) read with a wrong title
    on every third page and no authors on every fourth: the captures are the real pages."""
    from dataclasses import replace
    from datetime import datetime

    from archive.db import Archive
    from crawler import urls
    from crawler.article import SITE_TIME
    from crawler.items import PageFetch
    from crawler.parsing import parse_article
    from crawler.replica import Replica

    db = tmp_path / "archive.db"
    replica = Replica(seed=3, articles=24)
    with Archive(db) as archive:
        for number, article_id in enumerate(replica.live_ids()[:20]):
            url = replica.url_for(article_id, "https://baodienbienphu.com.vn")
            page = replica.render_article(article_id)
            article = parse_article(page.body, url, page.headers)
            wrong = replace(article, title=article.title + " (misread)") if number % 3 == 0 else article
            wrong = replace(wrong, authors=[]) if number % 4 == 0 else wrong
            if wrong != article and misread is not None:
                misread.add(article.identity)
            article = wrong
            article = replace(article, parser_version="1.0.0")
            archive.record_fetch(None, PageFetch(
                requested_url=url, url=url, status=200, fetched_at=datetime(2025, 1, 1, 8, tzinfo=SITE_TIME),
                headers=dict(page.headers), body=page.body, article=article, identity=urls.identity_of(url)))
    return db


def history_of(db):
    return query(db, "SELECT identity, number, change, fingerprint FROM versions ORDER BY identity, number")


def test_reparse_makes_parser_versions_only_and_resumes(tmp_path):
    misread: set = set()
    db = misread_archive(tmp_path, misread)
    before = history_of(db)
    last_changed = query(db, "SELECT identity, last_changed FROM articles ORDER BY identity")
    one = query(db, "SELECT identity FROM articles ORDER BY identity LIMIT 1")[0][0]

    first = dbp("reparse", "--db", db, "--article", one, "--workers", "1")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("reparse: 1 captures read"), first.stdout

    done = dbp("reparse", "--db", db, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("reparse: 19 captures read"), done.stdout  # resumed: not the first again
    assert "0 failures" in done.stdout

    after = history_of(db)
    assert [row for row in after if row[1] == 1] == before  # nothing recorded before changed
    new = [(identity, change) for identity, number, change, _ in after if number > 1]
    assert {change for _, change in new} == {"parser"}
    assert {identity for identity, _ in new} == misread
    assert not query(db, "SELECT count(*) FROM article_current WHERE title LIKE '%(misread)'")[0][0]
    assert query(db, "SELECT identity, last_changed FROM articles ORDER BY identity") == last_changed
    assert query(db, "SELECT count(*) FROM versions WHERE change = 'edit'") == [(0,)]
    again = dbp("reparse", "--db", db)
    assert again.stdout.startswith("reparse: 0 captures read"), again.stdout


def test_an_interrupted_reparse_resumes(tmp_path):
    db = misread_archive(tmp_path)
    total = query(db, "SELECT count(*) FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id"
                      " WHERE v.capture_id IS NOT NULL")[0][0]
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "reparse", "--db", str(db), "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if query(db, "SELECT count(*) FROM reparses")[0][0]:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    read = query(db, "SELECT count(*) FROM reparses")[0][0]
    done = dbp("reparse", "--db", db, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"reparse: {total - read} captures read"), (read, done.stdout)
    assert query(db, "SELECT count(DISTINCT version_id) FROM reparses")[0][0] == total


def test_bad_inputs(tmp_path):
    one_line_error(dbp("reparse", "--db", tmp_path / "missing.db"), "missing.db")
    db = old_archive(tmp_path)
    one_line_error(dbp("reparse", "--db", db, "--article", "999999999"), "999999999")
    one_line_error(dbp("reparse", "--db", db, "--since", "yesterday"), "--since")


def test_a_reread_hands_back_only_what_reads_differently(tmp_path):
    """What a worker sends the writer: the article only when the parser reads it differently from
    the stored version, nothing else for an unchanged page, the error for a refused one."""
    from archive.db import Archive
    from crawler.article import NotAnArticle
    from crawler.parsing import PARSER_VERSION, parse_article

    misread: set = set()
    db = misread_archive(tmp_path, misread)
    with Archive(db, readonly=True) as archive:
        due = archive.due_for_reparse(PARSER_VERSION)
        results = archive.reread(due, parse_article)
        identities = dict(query(db, "SELECT id, identity FROM versions"))

        def refuse(body, url, headers):
            raise NotAnArticle("not an article", kind="listing")

        refused = archive.reread(due[:2], refuse)
    assert [result.version_id for result in results] == due
    assert {identities[result.version_id] for result in results if result.article is not None} == misread
    assert not any(result.error for result in results)
    assert all(result.article is None and result.error.startswith("NotAnArticle") for result in refused)
