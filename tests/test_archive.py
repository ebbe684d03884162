"""The archive's write path and history rules, on `Article`/`PageFetch` values built here."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from archive import schema as archive_schema
from archive.db import Archive, ArchiveNeedsUpgrade, ArchiveTooNew, Change, Migration, Outcome
from archive.times import SITE_TIME
from crawler.article import Article, Image, RelatedLink
from crawler.items import PageFetch

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=SITE_TIME)
URL = "https://baodienbienphu.com.vn/tin-tuc/y-te/212838/da-nang-nhieu-truong-hop"


def make_article(**changes) -> Article:
    article = Article(
        url=URL, canonical_url=URL, article_id=212838,
        title="Đà Nẵng: nhiều trường hợp bị chấn thương do pháo nổ",
        category="Y tế", published_at=T0 - timedelta(days=2), view_count=5717,
        sapo="Nhiều trường hợp nhập viện cấp cứu.",
        body_text="Đoạn một của bài.\n\nĐoạn hai của bài.",
        body_html="<p>Đoạn một của bài.</p><p>Đoạn hai của bài.</p>",
        authors=["Minh Thùy"],
        images=[Image(src="https://baodienbienphu.com.vn/uploads/a.jpg", caption="Bệnh viện", credit="Minh Thùy")],
        related=[RelatedLink(url="https://baodienbienphu.com.vn/tin-tuc/xa-hoi/212001/tin-khac", title="Tin khác 1"),
                 RelatedLink(url="https://baodienbienphu.com.vn/tin-tuc/xa-hoi/212002/tin-khac", title="Tin khác 2")],
        parser_version="1",
    )
    return replace(article, **changes)


_PAGE = object()  # make_fetch's default body: the article itself, as a page would carry it


def make_fetch(article: Article | None = None, *, at: datetime = T0, status: int = 200,
               body: bytes | None | object = _PAGE, headers: dict | None = None, **changes) -> PageFetch:
    if article is None and status == 200 and "error" not in changes:
        article = make_article()
    if body is _PAGE:
        body = f"<html>{article.to_json() if article else 'error'}</html>".encode()
    return PageFetch(
        requested_url=changes.pop("requested_url", article.url if article else URL),
        url=changes.pop("url", article.url if article else URL),
        status=status, fetched_at=at, headers=headers if headers is not None else {"etag": '"abc"'},
        body=body, article=article, identity=changes.pop("identity", article.identity if article else None),
        **changes,
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.sqlite") as opened:
        yield opened


@pytest.fixture
def run_id(archive):
    return archive.start_run({"test": True}, "1", started_at=T0)


def sql(archive: Archive, query: str, *params):
    """What an archivist would type: plain SQL on the file."""
    return [tuple(row) for row in archive._db.execute(query, params)]


def test_first_fetch_creates_article_and_first_version(archive, run_id):
    assert archive.record_fetch(run_id, make_fetch()) == Outcome.NEW

    state = archive.lookup("212838")
    assert state.state == "live" and state.current_version == 1 and state.view_count == 5717
    assert state.etag == '"abc"'
    assert sql(archive, "SELECT number, change, parser_version FROM versions") == [(1, "first", "1")]
    assert sql(archive, "SELECT first_seen, last_changed FROM articles") == [
        ("2024-03-01T08:00:00+07:00", "2024-02-28T08:00:00+07:00")]  # first change: published_at
    assert sql(archive, "SELECT json_extract(authors, '$[0]'), json_array_length(related) FROM versions") == [
        ("Minh Thùy", 2)]
    assert sql(archive, "SELECT outcome, view_count, status FROM observations") == [("new", 5717, 200)]
    assert sql(archive, "SELECT position, to_identity, title FROM current_links") == [
        (1, "212001", "Tin khác 1"), (2, "212002", "Tin khác 2")]
    assert archive.run(run_id)["new"] == 1


def test_view_count_and_presentation_changes_make_no_version(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    same_content = make_article(
        view_count=6001,
        title="  Đà Nẵng:  nhiều trường hợp bị\tchấn thương do pháo nổ ",  # whitespace
        body_text="Đoạn một  của bài.\n\n\nĐoạn hai của bài. ",
        body_html="<div><p>Đoạn một của bài.</p> <p>Đoạn hai của bài.</p></div>",  # markup is not content
        images=[Image(src="https://baodienbienphu.vn/uploads/a.jpg?w=800", caption="Bệnh viện", credit="Minh Thùy")],
        related=list(reversed(make_article().related)),
    )
    outcome = archive.record_fetch(run_id, make_fetch(same_content, at=T0 + timedelta(hours=1)))

    assert outcome == Outcome.UNCHANGED
    assert sql(archive, "SELECT count(*) FROM versions") == [(1,)]
    assert sql(archive, "SELECT outcome, view_count FROM observations ORDER BY id") == [
        ("new", 5717), ("unchanged", 6001)]
    state = archive.lookup("212838")
    assert state.view_count == 6001 and state.last_seen == T0 + timedelta(hours=1)
    assert sql(archive, "SELECT last_seen FROM versions") == [("2024-03-01T09:00:00+07:00",)]


@pytest.mark.parametrize("edited", [
    {"title": "Đà Nẵng: Nhiều trường hợp bị chấn thương do pháo nổ"},  # letter case alone
    {"body_text": "Đoạn một của bài. Đoạn hai của bài."},  # two paragraphs joined into one
    {"body_text": "Đoạn một\n\ncủa bài.\n\nĐoạn hai của bài."},  # a paragraph split in two
])
def test_letter_case_and_paragraph_boundaries_are_content(archive, run_id, edited):
    archive.record_fetch(run_id, make_fetch())
    outcome = archive.record_fetch(run_id, make_fetch(make_article(**edited), at=T0 + timedelta(hours=1)))
    assert outcome == Outcome.UPDATED
    assert sql(archive, "SELECT number, change FROM versions ORDER BY number") == [(1, "first"), (2, "edit")]


def test_an_unchanged_fetch_with_other_body_markup_keeps_its_page(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    restyled = make_article(body_html="<p>Đoạn một của <em>bài</em>.</p><p>Đoạn hai của bài.</p>")
    assert archive.record_fetch(run_id, make_fetch(restyled, at=T0 + timedelta(hours=1))) == Outcome.UNCHANGED
    kept = sql(archive, "SELECT capture_id FROM observations ORDER BY id")
    assert kept[1][0] is not None and kept[1][0] != kept[0][0]  # the new bytes are stored
    same = make_article(view_count=9999)  # markup as the version's: chrome and counters only
    archive.record_fetch(run_id, make_fetch(same, at=T0 + timedelta(hours=2)))
    assert sql(archive, "SELECT capture_id FROM observations ORDER BY id")[2] == (None,)


def test_a_new_fingerprint_scheme_alone_is_no_edit(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    with archive._transaction():  # as an archive written before the scheme changed would hold it
        archive._db.execute("DROP TRIGGER versions_are_never_rewritten")
        archive._db.execute("UPDATE versions SET fingerprint = 'made-by-scheme-1', fingerprint_scheme = 'dbp-fingerprint/1'")
    assert archive.record_fetch(run_id, make_fetch(at=T0 + timedelta(hours=1))) == Outcome.UNCHANGED
    assert sql(archive, "SELECT count(*) FROM versions") == [(1,)]


def test_a_linked_article_retitled_is_not_an_edit_here(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    retitled = [replace(link, title=link.title + " (cập nhật)") for link in make_article().related]
    outcome = archive.record_fetch(run_id, make_fetch(make_article(related=retitled), at=T0 + timedelta(hours=1)))
    assert outcome == Outcome.UNCHANGED


def test_lookalike_and_decomposed_letters_are_the_same_text(archive, run_id):
    import unicodedata

    archive.record_fetch(run_id, make_fetch(make_article(title="Ðảng bộ khối")))
    decomposed = unicodedata.normalize("NFD", "Đảng bộ khối")
    assert archive.record_fetch(run_id, make_fetch(make_article(title=decomposed))) == Outcome.UNCHANGED


def test_edit_makes_version_two(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    edited = make_article(body_text="Đoạn một của bài, đã sửa.\n\nĐoạn hai của bài.",
                          related=[RelatedLink(url="https://baodienbienphu.com.vn/tin-tuc/a/213000/x", title="Mới")])
    later = T0 + timedelta(hours=2)

    assert archive.record_fetch(run_id, make_fetch(edited, at=later)) == Outcome.UPDATED

    assert sql(archive, "SELECT number, change FROM versions ORDER BY number") == [(1, "first"), (2, "edit")]
    state = archive.lookup("212838")
    assert state.current_version == 2 and state.last_changed == later
    assert sql(archive, "SELECT to_identity FROM current_links") == [("213000",)]
    assert sql(archive, "SELECT count(*) FROM links") == [(3,)]  # version 1's links are kept
    assert archive.run(run_id)["updated"] == 1


def test_not_modified(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    later = T0 + timedelta(hours=5)
    fetch = PageFetch(requested_url=URL, url=URL, status=304, fetched_at=later, identity="212838")

    assert archive.record_fetch(run_id, fetch) == Outcome.NOT_MODIFIED

    state = archive.lookup("212838")
    assert state.last_seen == later and state.etag == '"abc"'  # a 304 without validators keeps ours
    assert sql(archive, "SELECT outcome, version_id, capture_id FROM observations WHERE status = 304") == [
        ("not_modified", state.current_version_id, None)]


@pytest.mark.parametrize("status", [404, 410])
def test_take_down_keeps_everything_and_a_return_is_recorded(archive, run_id, status):
    archive.record_fetch(run_id, make_fetch())
    before = sql(archive, "SELECT * FROM versions")
    gone_at = T0 + timedelta(days=1)

    outcome = archive.record_fetch(run_id, make_fetch(None, status=status, at=gone_at, identity="212838",
                                                      body=b"<html>Not found</html>"))
    archive.record_fetch(run_id, make_fetch(None, status=status, at=gone_at + timedelta(days=30),
                                            identity="212838", body=b"<html>Not found</html>"))

    assert outcome == Outcome.GONE
    state = archive.lookup("212838")
    assert (state.state, state.gone_status, state.gone_at) == ("gone", status, gone_at)
    assert state.current_version == 1 and sql(archive, "SELECT * FROM versions") == before
    assert state.next_check_at == gone_at + timedelta(days=60)  # rechecked rarely
    assert sql(archive, "SELECT count(*) FROM captures") == [(2,)]  # the error page, once

    back = T0 + timedelta(days=90)
    assert archive.record_fetch(run_id, make_fetch(at=back)) == Outcome.UNCHANGED
    state = archive.lookup("212838")
    assert (state.state, state.gone_status, state.gone_at) == ("live", None, None)
    assert sql(archive, "SELECT from_state, to_state, status, changed_at FROM state_changes ORDER BY id") == [
        ("live", "gone", status, "2024-03-02T08:00:00+07:00"),
        ("gone", "live", 200, "2024-05-30T08:00:00+07:00"),
    ]


def test_nothing_archived_can_be_deleted(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    for table in ("articles", "versions", "observations", "captures", "links", "runs"):
        with pytest.raises(sqlite3.IntegrityError, match="never deletes"):
            archive._db.execute(f"DELETE FROM {table}")


def test_identical_bodies_are_stored_once(archive, run_id):
    body = b"<html>" + b"same bytes " * 500 + b"</html>"
    archive.record_fetch(run_id, make_fetch(body=body))
    second_url = URL + "-slug-moi"
    archive.record_fetch(run_id, make_fetch(make_article(url=second_url), body=body, url=second_url,
                                            at=T0 + timedelta(hours=1)))

    assert sql(archive, "SELECT count(*), sum(size) FROM captures") == [(1, len(body))]
    assert sql(archive, "SELECT DISTINCT capture_id FROM observations") == [(1,)]
    assert archive.capture_body(1) == body
    assert archive.lookup("212838").url == second_url  # the article moved to its new slug


def test_unchanged_fetch_with_different_bytes_stores_no_body(archive, run_id):
    archive.record_fetch(run_id, make_fetch(body=b"<html>views 1</html>"))
    archive.record_fetch(run_id, make_fetch(body=b"<html>views 2</html>", at=T0 + timedelta(hours=1)))
    assert sql(archive, "SELECT outcome, capture_id FROM observations ORDER BY id") == [
        ("new", 1), ("unchanged", None)]


def test_page_that_does_not_parse_is_kept_and_logged(archive, run_id):
    archive.record_fetch(run_id, make_fetch())
    broken = make_fetch(None, status=200, body=b"<html>???</html>", identity="212838",
                        error="NotAnArticle: no title", at=T0 + timedelta(hours=1))
    unknown = make_fetch(None, status=503, body=None, identity=None, requested_url=URL.replace("212838", "999"),
                         url=URL.replace("212838", "999"), at=T0 + timedelta(hours=2))

    assert archive.record_fetch(run_id, broken) == Outcome.FAILED
    assert archive.record_fetch(run_id, unknown) == Outcome.FAILED

    assert sql(archive, "SELECT f.identity, f.error, o.status, o.identity, o.capture_id IS NOT NULL"
                        " FROM failures f JOIN observations o ON o.id = f.observation_id ORDER BY o.id") == [
        ("212838", "NotAnArticle: no title", 200, "212838", 1),
        ("999", "HTTP 503", 503, None, 0),
    ]
    state = archive.lookup("212838")
    assert state.state == "live" and state.current_version == 1
    assert state.next_check_at <= T0 + timedelta(hours=1, days=1)
    assert archive.run(run_id)["failed"] == 2


# -- edits and parser upgrades -------------------------------------------------------------------------

def fake_parser(version: str, *, sees_role: bool):
    """A parser for bodies `title|body|role`: version 1 misses the author's role, version 2 reads it."""

    def parse(body: bytes, url: str, headers: dict) -> Article:
        title, text, role = body.decode().split("|")
        return make_article(title=title, body_text=text, author_role=role if sees_role else None,
                            parser_version=version)

    return parse


def parsed_fetch(body: str, parser, at: datetime) -> PageFetch:
    return make_fetch(parser(body.encode(), URL, {}), body=body.encode(), at=at)


def test_parser_upgrade_is_not_an_edit(tmp_path):
    old, new = fake_parser("1", sees_role=False), fake_parser("2", sees_role=True)
    with Archive(tmp_path / "a.sqlite", reparse=new) as archive:
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", old, T0))
        # The page's bytes changed (say its view counter); the new parser reads the role the old missed.
        outcome = archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư ", new, T0 + timedelta(days=1)))

        assert outcome == Outcome.REPARSED
        assert [(v["number"], v["change"], v["parser_version"]) for v in archive.versions("212838")] == [
            (1, "first", "1"), (2, "parser", "2")]
        assert archive.lookup("212838").last_changed == T0 - timedelta(days=2)  # not an edit
        assert archive.counts()["edits"] == 0


def test_edit_across_a_parser_upgrade_is_split_into_parser_and_edit_versions(tmp_path):
    old, new = fake_parser("1", sees_role=False), fake_parser("2", sees_role=True)
    with Archive(tmp_path / "a.sqlite", reparse=new) as archive:
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", old, T0))
        edited_at = T0 + timedelta(days=1)
        outcome = archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung đã sửa|Bí thư", new, edited_at))

        assert outcome == Outcome.UPDATED
        versions = archive.versions("212838")
        assert [(v["number"], v["change"], v["parser_version"]) for v in versions] == [
            (1, "first", "1"), (2, "parser", "2"), (3, "edit", "2")]
        # Version 2 is version 1's capture read anew: same capture, same time span.
        assert versions[1]["capture_id"] == versions[0]["capture_id"]
        assert versions[1]["first_seen"] == versions[0]["first_seen"]
        assert archive.version_article(versions[1]["id"]).author_role == "Bí thư"
        assert archive.lookup("212838").last_changed == edited_at


def test_without_a_reparser_a_change_across_parsers_is_unverified(tmp_path):
    old, new = fake_parser("1", sees_role=False), fake_parser("2", sees_role=True)
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", old, T0))
        outcome = archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư ", new, T0 + timedelta(days=1)))
        assert outcome == Outcome.UPDATED
        assert archive.versions("212838")[-1]["change"] == Change.UNVERIFIED


def test_a_reparser_that_fails_cannot_tell_either(tmp_path):
    def broken(body, url, headers):
        raise ValueError("markup from another era")

    old, new = fake_parser("1", sees_role=False), fake_parser("2", sees_role=True)
    with Archive(tmp_path / "a.sqlite", reparse=broken) as archive:
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", old, T0))
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư ", new, T0 + timedelta(days=1)))
        assert archive.versions("212838")[-1]["change"] == Change.UNVERIFIED


def test_the_same_bytes_are_never_an_edit(tmp_path):
    old, new = fake_parser("1", sees_role=False), fake_parser("2", sees_role=True)
    with Archive(tmp_path / "a.sqlite") as archive:  # no reparser needed for this rule
        archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", old, T0))
        outcome = archive.record_fetch(None, parsed_fetch("Tiêu đề|Nội dung|Bí thư", new, T0 + timedelta(days=1)))
        assert outcome == Outcome.REPARSED
        assert archive.versions("212838")[-1]["change"] == Change.PARSER


# -- schema and transactions ---------------------------------------------------------------------------

def test_new_file_gets_the_whole_schema_and_reopens(tmp_path):
    path = tmp_path / "a.sqlite"
    with Archive(path) as archive:
        assert archive.schema_version == len(archive_schema.MIGRATIONS)
        assert sql(archive, "PRAGMA journal_mode") == [("wal",)]
        assert sql(archive, "PRAGMA foreign_keys") == [(1,)]
        archive.record_fetch(None, make_fetch())
    with Archive(path) as archive:
        assert archive.schema_version == len(archive_schema.MIGRATIONS)
        assert archive.known_identities() == {"212838"}


def test_opening_an_old_file_applies_the_missing_migrations(tmp_path, monkeypatch):
    path = tmp_path / "a.sqlite"
    with Archive(path) as archive:
        archive.record_fetch(None, make_fetch())
    later = Migration("a later step", "CREATE TABLE notes (identity TEXT REFERENCES articles(identity), note TEXT);\n"
                                      "INSERT INTO notes SELECT identity, 'migrated' FROM articles;")
    monkeypatch.setattr(archive_schema, "MIGRATIONS", [*archive_schema.MIGRATIONS, later])

    with pytest.raises(ArchiveNeedsUpgrade):
        Archive(path, readonly=True)
    with Archive(path) as archive:
        assert archive.schema_version == len(archive_schema.MIGRATIONS)
        assert sql(archive, "SELECT identity, note FROM notes") == [("212838", "migrated")]
        assert archive.lookup("212838").current_version == 1


def test_a_file_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "a.sqlite"
    Archive(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {len(archive_schema.MIGRATIONS) + 1}")
    with pytest.raises(ArchiveTooNew):
        Archive(path)


def test_a_failure_inside_record_fetch_leaves_nothing_half_written(archive, run_id, monkeypatch):
    archive.record_fetch(run_id, make_fetch())
    before = {table: sql(archive, f"SELECT * FROM {table}")
              for table in ("articles", "versions", "observations", "captures", "links", "runs")}

    def explode(*args, **kwargs):
        raise RuntimeError("killed between the version and its observation")

    monkeypatch.setattr(Archive, "_write_observation", explode)
    edited = make_article(title="Tiêu đề mới")
    with pytest.raises(RuntimeError):
        archive.record_fetch(run_id, make_fetch(edited, body=b"<html>new bytes</html>", at=T0 + timedelta(hours=1)))

    after = {table: sql(archive, f"SELECT * FROM {table}") for table in before}
    assert after == before
    assert archive.integrity_check() == "ok"
    monkeypatch.undo()
    assert archive.record_fetch(run_id, make_fetch(edited, at=T0 + timedelta(hours=2))) == Outcome.UPDATED


# -- revisits ------------------------------------------------------------------------------------------

def record_article(archive, article_id: int, *, published_days_ago: float, at: datetime = T0):
    url = f"https://baodienbienphu.com.vn/tin-tuc/xa-hoi/{article_id}/bai"
    article = make_article(url=url, canonical_url=url, article_id=article_id,
                           published_at=at - timedelta(days=published_days_ago))
    archive.record_fetch(None, make_fetch(article, at=at, body=url.encode()))


def test_due_articles_most_overdue_first(archive):
    record_article(archive, 1, published_days_ago=400)  # next check T0 + 180 days
    record_article(archive, 2, published_days_ago=0.01)  # T0 + 45 min
    record_article(archive, 3, published_days_ago=0.5)  # T0 + 3 h
    record_article(archive, 4, published_days_ago=3)  # T0 + 1 day

    later = T0 + timedelta(hours=25)
    due = archive.due_articles(later)
    assert [article.identity for article in due] == ["2", "3", "4"]
    everything = list(archive.due_articles(later, recheck_all=True))
    assert [article.identity for article in everything] == ["2", "3", "4", "1"]
    assert everything[0].etag == '"abc"' and everything[0].url.endswith("/2/bai")
    assert [a.identity for a in archive.due_articles(later, limit=2)] == ["2", "3"]
    assert list(archive.due_articles(T0)) == []


def test_an_article_fetched_during_iteration_is_not_met_again(archive):
    for article_id in range(1, 4):
        record_article(archive, article_id, published_days_ago=0.01)
    seen = []
    for due in archive.due_articles(T0, recheck_all=True):
        seen.append(due.identity)
        record_article(archive, int(due.identity), published_days_ago=0.01, at=T0 + timedelta(minutes=1))
    assert sorted(seen) == ["1", "2", "3"]


def test_schedule_follows_the_last_change(archive):
    record_article(archive, 5, published_days_ago=10)
    assert archive.lookup("5").next_check_at == T0 + timedelta(days=7)
    # An edit makes the article fresh again.
    url = "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/5/bai"
    edited = make_article(url=url, canonical_url=url, article_id=5, title="Sửa", published_at=T0 - timedelta(days=10))
    archive.record_fetch(None, make_fetch(edited, at=T0 + timedelta(days=1), body=b"edited"))
    assert archive.lookup("5").next_check_at == T0 + timedelta(days=1, minutes=45)


def test_id_less_articles_are_keyed_by_canonical_url(archive):
    url = "https://baodienbienphu.vn/tin-bai/xa-hoi/bai-khong-co-so"
    article = make_article(url=url + "?utm=x", canonical_url=url, article_id=None)
    archive.record_fetch(None, make_fetch(article, url=url + "?utm=x", identity=None))
    identity = "/tin-bai/xa-hoi/bai-khong-co-so"  # host-, scheme- and query-free
    assert archive.known_identities() == {identity}
    other_scheme = "http://baodienbienphu.vn/tin-bai/xa-hoi/bai-khong-co-so/"
    gone = PageFetch(requested_url=other_scheme, url=other_scheme, status=404, fetched_at=T0 + timedelta(days=1))
    assert archive.record_fetch(None, gone) == Outcome.GONE
    assert archive.lookup(identity).state == "gone"


@pytest.mark.parametrize(("age", "interval"), [
    (timedelta(0), timedelta(minutes=45)),
    (timedelta(hours=2, minutes=59), timedelta(minutes=45)),
    (timedelta(hours=3), timedelta(hours=1)),
    (timedelta(hours=6), timedelta(hours=3)),
    (timedelta(days=1), timedelta(days=1)),
    (timedelta(days=6), timedelta(days=1)),
    (timedelta(days=29), timedelta(days=7)),
    (timedelta(days=364), timedelta(days=14)),
    (timedelta(days=4000), timedelta(days=180)),
    (timedelta(hours=-5), timedelta(minutes=45)),  # a publication time ahead of our clock
])
def test_revisit_table(age, interval):
    from archive.schedule import revisit_interval

    assert revisit_interval(age) == interval


def test_a_url_that_now_serves_another_article_is_rescheduled_not_rechecked_at_once(archive):
    record_article(archive, 111, published_days_ago=400)
    record_article(archive, 222, published_days_ago=400)
    later = T0 + timedelta(days=200)
    assert [due.identity for due in archive.due_articles(later)] == ["111", "222"]
    # The site now redirects 111 to 222 (say, a merged story).
    url = "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/222/bai"
    target = make_article(url=url, canonical_url=url, article_id=222, published_at=T0 - timedelta(days=400))
    archive.record_fetch(None, make_fetch(target, at=later, body=url.encode(), identity="111",
                                          requested_url=url.replace("222", "111")))
    assert list(archive.due_articles(later)) == []
    assert archive.lookup("111").last_seen == T0  # checked, not seen
    assert sql(archive, "SELECT identity, redirected_from IS NOT NULL FROM observations ORDER BY id DESC LIMIT 1") == [
        ("222", 1)]


@pytest.mark.parametrize("status", [304, 404, 410])
def test_an_answer_about_an_article_never_archived_is_a_failure_not_news(archive, status):
    """A dead link (404/410) or a 304 for something we never stored: nothing went, nothing is
    unchanged; it is a failure with its reason, so it is retried and counted honestly."""
    outcome = archive.record_fetch(None, make_fetch(status=status, body=None if status == 304 else b"gone",
                                                    identity="999"))
    assert outcome == Outcome.FAILED
    assert archive.count_articles() == 0
    errors = [row[0] for row in archive._db.execute("SELECT error FROM failures WHERE identity = '999'")]
    assert len(errors) == 1 and f"HTTP {status}" in errors[0]


def test_field_health_counts_per_run_the_fetches_that_lacked_each_field(archive):
    first = archive.start_run({}, "1", started_at=T0)
    archive.record_fetch(first, make_fetch(make_article(missing=["view_count"])))
    archive.record_fetch(first, make_fetch(make_article(missing=["view_count", "published_at"]), at=T0 + timedelta(hours=1)))
    archive.record_fetch(first, make_fetch(make_article(), at=T0 + timedelta(hours=2)))
    archive.record_fetch(first, make_fetch(status=304, article=None, body=b"", at=T0 + timedelta(hours=3)))
    archive.finish_run(first, {}, "finished")
    second = archive.start_run({}, "1", started_at=T0 + timedelta(days=1))
    archive.record_fetch(second, make_fetch(make_article(), at=T0 + timedelta(days=1)))
    # A 304 is no parse: only the three pages read count, and each field once per fetch.
    assert archive.field_health(first) == {"run_id": first, "parsed": 3,
                                           "missing": {"published_at": 1, "view_count": 2}}
    assert archive.field_health() == {"run_id": second, "parsed": 1, "missing": {}}
    with pytest.raises(sqlite3.IntegrityError):
        archive._db.execute("DELETE FROM field_health")


def test_a_reslugged_article_met_at_its_new_address_first_counts_as_updated_not_new(archive, run_id):
    # Run 2 meets the new slug's page (no sign yet that it is an archived article: counted new), then
    # the old address redirecting there: one article, merged, and the run's count says `updated`.
    old = "https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban"
    new = "https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban-tu-xa"
    first = make_article(url=old, canonical_url=old, article_id=None)
    archive.record_fetch(run_id, make_fetch(first, identity=None))
    second_run = archive.start_run({"test": True}, "1", started_at=T0 + timedelta(days=1))
    edited = make_article(url=new, canonical_url=new, article_id=None, title="Đưa nước sạch về bản Tu Xa")
    at = T0 + timedelta(days=1, minutes=1)
    assert archive.record_fetch(second_run, make_fetch(edited, at=at, identity=None)) == Outcome.NEW
    assert archive.take_recounted() == []
    redirected = make_fetch(edited, at=at + timedelta(minutes=1), requested_url=old, url=new, identity=None)
    assert archive.record_fetch(second_run, redirected) == Outcome.UNCHANGED
    assert archive.take_recounted() == [("new", "updated")]
    assert sql(archive, "SELECT new, updated, unchanged FROM runs WHERE id = ?", second_run) == [(0, 1, 1)]
    assert sql(archive, "SELECT count(*) FROM articles") == [(1,)]
    assert sql(archive, "SELECT count(*) FROM versions") == [(2,)]


def test_history_text_says_where_a_version_moved_to(archive, run_id):
    # An article with an id re-slugged and retitled between fetches: its text history says the new
    # address beside the edit (the JSON's per-version `url` says it too).
    from archive.history import article_history
    from crawler.commands.history import _history_text

    old = "https://baodienbienphu.vn/tin-tuc/xa-hoi/212838/dua-nuoc-sach-ve-ban"
    new = "https://baodienbienphu.vn/tin-tuc/xa-hoi/212838/dua-nuoc-sach-ve-ban-tu-xa"
    archive.record_fetch(run_id, make_fetch(make_article(url=old, canonical_url=old, article_id=212838)))
    moved = make_article(url=new, canonical_url=new, article_id=212838, title="Đưa nước sạch về bản Tu Xa")
    archive.record_fetch(run_id, make_fetch(moved, at=T0 + timedelta(days=1)))
    text = _history_text(article_history(archive, "212838"))
    assert f"at {new} (was {old})" in text, text


@pytest.mark.parametrize("edited", [True, False])
def test_history_says_a_merged_articles_second_first_version_was_read_at_its_other_address(archive, run_id, edited):
    # The version read at the new slug before the old address redirected there keeps the `first` it
    # was recorded with (the archive never rewrites it); history says where it was read, and whether
    # its text differs from the version before.
    from archive.history import article_history
    from crawler.commands.history import _history_text

    old = "https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban"
    new = "https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban-tu-xa"
    archive.record_fetch(run_id, make_fetch(make_article(url=old, canonical_url=old, article_id=None), identity=None))
    at = T0 + timedelta(days=1)
    moved = make_article(url=new, canonical_url=new, article_id=None,
                         **({"title": "Đưa nước sạch về bản Tu Xa"} if edited else {}))
    archive.record_fetch(run_id, make_fetch(moved, at=at, identity=None))
    archive.record_fetch(run_id, make_fetch(moved, at=at + timedelta(minutes=1), requested_url=old, url=new,
                                            identity=None))
    found = article_history(archive, "/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban")
    assert [(v["number"], v["change"], v["url"]) for v in found["versions"]] == [(1, "first", old), (2, "first", new)]
    text = _history_text(found)
    assert f"first read at {new}, later found to be this article; " + (
        "changed: title" if edited else "the same text") in text, text


def test_two_articles_one_script_serves_are_two_articles(archive, run_id):
    """`detail.asp?id=4530` and `?id=4531`: the query names the article, so neither becomes a
    version of the other."""
    pages = [f"http://old.example/detail.asp?id={n}" for n in (4530, 4531)]
    for n, page in enumerate(pages):
        article = make_article(url=page, canonical_url=page, article_id=None, title=f"Bài số {n}")
        assert archive.record_fetch(run_id, make_fetch(article, at=T0 + timedelta(minutes=n))) == Outcome.NEW
    assert sql(archive, "SELECT count(*) FROM articles") == [(2,)]
    assert sql(archive, "SELECT count(*) FROM versions") == [(2,)]
