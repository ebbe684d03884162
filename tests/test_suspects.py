"""Suspect fetches (`archive.suspects`): a page that reads as less than the archived version — it
lost the title, the body or the date, or it stops before its end — is kept as a capture, never made a
version; the next whole read is compared with the version as usual."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.request
from dataclasses import replace
from datetime import timedelta

import pytest

from archive.db import Archive, Change, Outcome
from clirun import query
from crawler.parsing import parse_article
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults
from test_archive import T0, make_article, make_fetch, sql

PAGE = "<html><body>{}</body></html>"


def page_fetch(article, at, *, whole=True, **changes):
    """A fetch whose body is a page that ends its document, or (whole=False) one cut before its end."""
    body = PAGE.format(article.to_json()).encode()
    return make_fetch(article, at=at, body=body if whole else body[: len(body) // 2], **changes)


@pytest.fixture
def archived(tmp_path):
    """An archive holding the article at version 1, and the run that fetched it."""
    with Archive(tmp_path / "archive.sqlite") as archive:
        run_id = archive.start_run({"test": True}, "1", started_at=T0)
        assert archive.record_fetch(run_id, page_fetch(make_article(), T0)) == Outcome.NEW
        yield archive, run_id


def suspects(archive):
    return sql(archive, "SELECT o.outcome, o.version_id, s.version_id, s.missing, c.sha256 = o_c.sha256"
                        " FROM suspect_fetches AS s JOIN observations AS o ON o.id = s.observation_id"
                        " JOIN captures AS c ON c.id = s.capture_id JOIN captures AS o_c ON o_c.id = o.capture_id")


@pytest.mark.parametrize("field, lost", [("title", ""), ("body_text", ""), ("published_at", None),
                                         ("body_text", " \n ")])
def test_a_fetch_that_lost_a_field_is_a_suspect_capture_not_a_version(archived, field, lost):
    archive, run_id = archived
    half = make_article(**{field: lost}, view_count=6000)
    if field == "body_text":
        half = replace(half, body_html="")
    fetch = page_fetch(half, T0 + timedelta(hours=1))
    assert archive.record_fetch(run_id, fetch) == Outcome.FAILED
    # No version: the article stays at version 1, not seen, and due again soon (the failure schedule).
    assert sql(archive, "SELECT number, change FROM versions") == [(1, "first")]
    state = archive.lookup("212838")
    assert state.current_version == 1 and state.last_seen == T0 and state.last_checked_at == T0 + timedelta(hours=1)
    assert state.next_check_at <= T0 + timedelta(days=1, hours=1)
    # Kept, with what it lacked, the version it fell short of, and its reason among the failures.
    version_id = state.current_version_id
    assert suspects(archive) == [("failed", None, version_id, json.dumps([field]), 1)]
    stored = sql(archive, "SELECT capture_id FROM suspect_fetches")[0][0]
    assert archive.capture_body(stored) == fetch.body
    (error,) = sql(archive, "SELECT error FROM failures")[0]
    assert error.startswith("suspect: the page lacks the ") and "version 1 has" in error
    assert archive.run(run_id)["failed"] == 1 and archive.suspects_in_runs_after(0) == 1


def test_the_next_whole_fetch_is_compared_with_the_version_as_usual(archived):
    archive, run_id = archived
    archive.record_fetch(run_id, page_fetch(make_article(title=""), T0 + timedelta(hours=1)))
    # The same content, whole: unchanged (not an edit back from a half page).
    assert archive.record_fetch(run_id, page_fetch(make_article(), T0 + timedelta(hours=2))) == Outcome.UNCHANGED
    # A real edit after a suspect is an edit of version 1.
    edited = make_article(title="Đà Nẵng: nhiều trường hợp bị thương do pháo nổ")
    assert archive.record_fetch(run_id, page_fetch(edited, T0 + timedelta(hours=3))) == Outcome.UPDATED
    assert sql(archive, "SELECT number, change, title FROM versions ORDER BY number") == [
        (1, "first", make_article().title), (2, "edit", edited.title)]
    assert archive.lookup("212838").last_seen == T0 + timedelta(hours=3)
    assert len(suspects(archive)) == 1


def test_a_page_cut_before_its_end_that_would_make_a_version_is_suspect(archived):
    archive, run_id = archived
    shorter = make_article(body_text="Đoạn một của bài.", body_html="<p>Đoạn một của bài.</p>")
    assert archive.record_fetch(run_id, page_fetch(shorter, T0 + timedelta(hours=1), whole=False)) == Outcome.FAILED
    assert suspects(archive) == [("failed", None, archive.lookup("212838").current_version_id, '["page_end"]', 1)]
    assert "lacks the end of the page" in sql(archive, "SELECT error FROM failures")[0][0]
    # The same shorter body on a whole page is an editor's cut: an edit.
    assert archive.record_fetch(run_id, page_fetch(shorter, T0 + timedelta(hours=2))) == Outcome.UPDATED
    assert sql(archive, "SELECT number, change FROM versions ORDER BY number") == [(1, "first"), (2, "edit")]


def test_the_same_cut_bytes_twice_are_the_page_the_site_serves(archived):
    archive, run_id = archived
    shorter = make_article(body_text="Đoạn một của bài.", body_html="<p>Đoạn một của bài.</p>")
    assert archive.record_fetch(run_id, page_fetch(shorter, T0 + timedelta(hours=1), whole=False)) == Outcome.FAILED
    assert archive.record_fetch(run_id, page_fetch(shorter, T0 + timedelta(hours=2), whole=False)) == Outcome.UPDATED
    assert len(suspects(archive)) == 1


def test_what_is_not_suspect(archived):
    archive, run_id = archived
    # Cut short but reading the same: nothing would be made, so nothing is doubted.
    assert archive.record_fetch(run_id, page_fetch(make_article(), T0 + timedelta(hours=1), whole=False)) \
        == Outcome.UNCHANGED
    # A field the current version never had cannot be lost.
    undated = make_article(article_id=212900, url=make_article().url.replace("212838", "212900"),
                           canonical_url=make_article().url.replace("212838", "212900"), published_at=None)
    assert archive.record_fetch(run_id, page_fetch(undated, T0)) == Outcome.NEW
    assert archive.record_fetch(run_id, page_fetch(replace(undated, sapo="Khác."), T0 + timedelta(hours=1))) \
        == Outcome.UPDATED
    # A site whose pages never close their document: a cut cannot be told from a page, so no rule.
    other = make_article().url.replace("212838", "212901")
    open_end = make_article(article_id=212901, url=other, canonical_url=other)
    assert archive.record_fetch(run_id, make_fetch(open_end, at=T0, body=open_end.to_json().encode())) == Outcome.NEW
    cut = replace(open_end, body_text="Đoạn một của bài.")
    assert archive.record_fetch(run_id, make_fetch(cut, at=T0 + timedelta(hours=3), body=cut.to_json().encode())) \
        == Outcome.UPDATED
    assert suspects(archive) == []


def test_suspect_rows_are_history(archived):
    archive, run_id = archived
    archive.record_fetch(run_id, page_fetch(make_article(title=""), T0 + timedelta(hours=1)))
    for statement in ("DELETE FROM suspect_fetches", "UPDATE suspect_fetches SET missing = '[]'"):
        with pytest.raises(sqlite3.IntegrityError, match="never"):
            archive._db.execute(statement)


# -- through a crawl of the replica ----------------------------------------------------------------

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0"]


def crawl(db, server, *args):
    return subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                           server.url + "/", *FAST, *args], capture_output=True, text=True, timeout=180)


def cut_in_the_body(page: bytes, url: str) -> bytes:
    """The page cut where its body text is half read: it parses, with less body than the whole."""
    whole = parse_article(page, url).body_text

    def body_at(end: int) -> str | None:
        try:
            return parse_article(page[:end], url).body_text
        except Exception:  # noqa: BLE001 - cut before the body: not an article yet
            return None

    def first(good) -> int:  # the shortest cut for which good(body) holds (it holds for every longer one)
        low, high = 0, len(page)
        while low < high:
            middle = (low + high) // 2
            low, high = (low, middle) if good(body_at(middle)) else (middle + 1, high)
        return low

    start, end = first(lambda body: bool(body)), first(lambda body: body == whole)
    half = page[:(start + end) // 2]
    assert 0 < len(body_at(len(half)) or "") < len(whole), url
    return half


def test_a_half_read_page_in_a_crawl_is_counted_kept_and_no_version(tmp_path):
    replica = Replica(seed=1, articles=10)
    faults = Faults()
    db = tmp_path / "archive.db"
    with ReplicaServer(replica, faults=faults) as server:
        assert crawl(db, server).returncode == 0
        article_id = replica.live_ids()[3]
        url = replica.url_for(article_id, server.url)
        with urllib.request.urlopen(url) as response:
            page = response.read()
        half = cut_in_the_body(page, url)
        path = url.removeprefix(server.url)
        faults.answer(path, half)
        identity = replica.identity(article_id, server.url)
        versions_before = query(db, "SELECT identity, number, fingerprint FROM versions ORDER BY 1, 2")

        done = crawl(db, server, "--recheck-all")
        assert done.returncode == 0, done.stderr
        assert " 1 failed (1 suspect), " in done.stdout, done.stdout
        assert query(db, "SELECT identity, number, fingerprint FROM versions ORDER BY 1, 2") == versions_before
        assert query(db, "SELECT o.identity, o.outcome, s.missing FROM suspect_fetches AS s"
                         " JOIN observations AS o ON o.id = s.observation_id") == [(identity, "failed", '["page_end"]')]
        with Archive(db, readonly=True) as archive:
            (capture_id,) = query(db, "SELECT capture_id FROM suspect_fetches")[0]
            assert archive.capture_body(capture_id) == half

        faults.answer(path, page)  # the site serves the whole page again
        done = crawl(db, server, "--recheck-all")
        assert done.returncode == 0 and "suspect" not in done.stdout, done.stdout
        assert query(db, "SELECT identity, number, fingerprint FROM versions ORDER BY 1, 2") == versions_before
        assert query(db, "SELECT outcome FROM observations WHERE identity = ? ORDER BY id", identity) == [
            ("new",), ("failed",), ("unchanged",)]
