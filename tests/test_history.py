"""`dbp-archive history`, `diff` and `show` on an archive two crawls of the replica made (edits,
take-downs), with a parser version and an alias added through the archive's own write path."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from archive.db import Archive
from archive.history import COMPARED_FIELDS
from exports.diff import FieldDiff, render_html, word_diff
from crawler.items import PageFetch
from tests.clirun import dbp, one_line_error, query

PARSER_UNDER_TEST = "9.9.9-test"
ALIAS_URL = "http://127.0.0.1:9/tin-bai/xa-hoi/ten-cu-cua-bai"  # an id-less old address of the article
ALIAS = "/tin-bai/xa-hoi/ten-cu-cua-bai"


def edited_identity(db) -> str:
    """An article with an `edit` version, its edit changing the body or the title (words to see)."""
    rows = query(db, "SELECT identity FROM versions WHERE change = 'edit' ORDER BY identity")
    assert rows, "the fixture archive has no edit"
    return rows[0][0]


def retitled(db) -> tuple[str, str, str]:
    """(identity, old title, new title) of an article whose edit changed its title."""
    rows = query(db, "SELECT a.identity, a.title, b.title FROM versions AS a JOIN versions AS b"
                     " ON b.identity = a.identity AND b.number = a.number + 1"
                     " WHERE b.change = 'edit' AND a.title != b.title ORDER BY a.identity")
    assert rows, "the fixture archive has no retitled article"
    return rows[0]


def json_of(done) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def later(db) -> datetime:
    """A moment after every fetch the archive holds (the replica's clock runs ahead of ours)."""
    latest = query(db, "SELECT max(fetched_at) FROM observations")[0][0]
    return datetime.fromisoformat(latest) + timedelta(hours=1)


def record_parser_version(db, identity: str, *, requested_url: str | None = None) -> None:
    """The current version's very bytes fetched again and read by a 'newer parser' that sees an
    author's role the old one missed: the archive must make that a `parser` version (same bytes)."""
    version_id, capture_id, url, headers = query(
        db, "SELECT v.id, v.capture_id, c.url, c.headers FROM versions AS v JOIN articles AS a"
            " ON a.current_version_id = v.id JOIN captures AS c ON c.id = v.capture_id WHERE a.identity = ?",
        identity)[0]
    headers = json.loads(headers)
    with Archive(db) as archive:
        body = archive.capture_body(capture_id)
        # The stored reading, but for the role: whatever else today's parser reads is not this test's business.
        article = replace(archive.version_article(version_id), parser_version=PARSER_UNDER_TEST,
                          author_role="Phóng viên thường trú")
        fetch = PageFetch(requested_url=requested_url or url, url=url, status=200, fetched_at=later(db),
                          headers=headers, body=body, article=article, identity=article.identity)
        assert archive.record_fetch(None, fetch).value == "reparsed"


@pytest.fixture
def archive_db(copy_archive):
    return copy_archive()


# -- history -----------------------------------------------------------------------------------------------------

def test_history_json_lists_versions_with_the_fields_that_truly_changed(archive_db):
    identity = edited_identity(archive_db)
    found = json_of(dbp("history", identity, "--db", archive_db, "--json"))

    assert set(found) >= {"identity", "url", "aliases", "versions", "views"}
    assert found["identity"] == identity
    assert found["url"] == query(archive_db, "SELECT url FROM articles WHERE identity = ?", identity)[0][0]
    stored = query(archive_db, "SELECT number, change, first_seen, last_seen, title FROM versions"
                               " WHERE identity = ? ORDER BY number", identity)
    listed = [(v["number"], v["change"], v["first_seen"], v["last_seen"], v["title"]) for v in found["versions"]]
    assert listed == stored
    assert found["versions"][0]["changed_fields"] == []
    # What differs, column by column, as plain SQL on the file says (one host in this archive).
    differs = ", ".join(f"a.{name} IS NOT b.{name}" for name in COMPARED_FIELDS)
    for before, after in zip(found["versions"], found["versions"][1:]):
        flags = query(archive_db, f"SELECT {differs} FROM versions AS a, versions AS b WHERE a.identity = ?"
                                  " AND b.identity = a.identity AND a.number = ? AND b.number = ?",
                      identity, before["number"], after["number"])[0]
        expected = [name for name, flag in zip(COMPARED_FIELDS, flags) if flag]
        assert expected, "an edit with no differing field"
        assert after["changed_fields"] == expected


def test_history_views_are_the_observed_view_counts_in_time_order(archive_db):
    identity = edited_identity(archive_db)
    found = json_of(dbp("history", identity, "--db", archive_db, "--json"))
    observed = query(archive_db, "SELECT fetched_at, view_count FROM observations WHERE identity = ?"
                                 " AND view_count IS NOT NULL ORDER BY fetched_at, id", identity)
    assert len(observed) >= 2
    assert [(view["at"], view["count"]) for view in found["views"]] == observed


def test_history_of_a_taken_down_article_says_since_when_and_how(archive_db):
    rows = query(archive_db, "SELECT identity, gone_at, gone_reason FROM articles WHERE state = 'gone' LIMIT 1")
    assert rows, "the fixture archive has no take-down"
    identity, gone_at, reason = rows[0]
    found = json_of(dbp("history", identity, "--db", archive_db, "--json"))
    assert (found["state"], found["gone_at"], found["gone_reason"]) == ("gone", gone_at, reason)
    shown = dbp("history", identity, "--db", archive_db).stdout.splitlines()[0]
    how = f"HTTP {reason}" if reason.isdigit() else reason
    assert shown.endswith(f"  (gone since {gone_at}: {how})"), shown
    (live,), = query(archive_db, "SELECT identity FROM articles WHERE state = 'live' LIMIT 1")
    found = json_of(dbp("history", live, "--db", archive_db, "--json"))
    assert found["gone_at"] is None and found["gone_reason"] is None


def test_history_finds_the_article_by_url_on_any_host_by_path_and_by_identity(archive_db):
    identity = edited_identity(archive_db)
    url = query(archive_db, "SELECT url FROM articles WHERE identity = ?", identity)[0][0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    asked = [url, f"https://baodienbienphu.com.vn/{path}", f"/{path}", identity]
    for each in asked:
        assert json_of(dbp("history", each, "--db", archive_db, "--json"))["identity"] == identity, each


def test_history_finds_the_article_by_an_alias_and_lists_it(archive_db):
    identity = edited_identity(archive_db)
    record_parser_version(archive_db, identity, requested_url=ALIAS_URL)  # answered at an old address
    assert query(archive_db, "SELECT identity FROM aliases WHERE alias = ?", ALIAS) == [(identity,)]

    for each in (ALIAS_URL, ALIAS, ALIAS.removeprefix("/")):
        found = json_of(dbp("history", each, "--db", archive_db, "--json"))
        assert found["identity"] == identity, each
    assert [alias["alias"] for alias in found["aliases"]] == [ALIAS]
    text = dbp("history", ALIAS_URL, "--db", archive_db)
    assert text.returncode == 0 and ALIAS in text.stdout


def test_history_shows_a_parser_version_as_a_re_reading_not_an_edit(archive_db):
    identity = edited_identity(archive_db)
    record_parser_version(archive_db, identity)

    found = json_of(dbp("history", identity, "--db", archive_db, "--json"))
    last = found["versions"][-1]
    assert (last["change"], last["changed_fields"]) == ("parser", ["author_role"])
    text = dbp("history", identity, "--db", archive_db)
    assert text.returncode == 0
    assert f"re-read by parser {PARSER_UNDER_TEST}, not an edit" in text.stdout


# -- diff --------------------------------------------------------------------------------------------------------

def test_diff_marks_removed_and_added_words_when_not_on_a_terminal(archive_db):
    identity, old_title, new_title = retitled(archive_db)
    done = dbp("diff", identity, "--db", archive_db)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout  # stdout is a pipe: no colour
    removed = [word for word in old_title.split() if word not in new_title.split()]
    added = [word for word in new_title.split() if word not in old_title.split()]
    assert removed and added
    marked = done.stdout.split("## title", 1)[1].split("\n## ", 1)[0]
    deleted = " ".join(part.split("-]")[0] for part in marked.split("[-")[1:])
    inserted = " ".join(part.split("+}")[0] for part in marked.split("{+")[1:])
    assert all(word in deleted.split() for word in removed), marked
    assert all(word in inserted.split() for word in added), marked
    assert not any(word in inserted.split() for word in removed)


def test_diff_of_a_body_edit_marks_only_what_was_added_or_removed(archive_db):
    rows = query(archive_db, "SELECT a.identity, a.body_text, b.body_text FROM versions AS a JOIN versions AS b"
                             " ON b.identity = a.identity AND b.number = a.number + 1"
                             " WHERE b.change = 'edit' AND a.body_text != b.body_text ORDER BY a.identity")
    assert rows
    identity, old_body, new_body = rows[0]
    done = dbp("diff", identity, "1", "2", "--db", archive_db)
    assert done.returncode == 0, done.stderr
    body = done.stdout.split("## body", 1)[1]
    inserted = [part.split("+}")[0] for part in body.split("{+")[1:]]
    deleted = [part.split("-]")[0] for part in body.split("[-")[1:]]
    assert inserted or deleted
    assert all(piece in new_body for piece in inserted) and all(piece in old_body for piece in deleted)
    # A word diff, not "the whole body replaced": the marks cover what differs, not the paragraphs around it.
    assert sum(map(len, inserted + deleted)) < len(new_body) / 3
    assert "unchanged paragraphs" in body  # folded around the change, for a terminal


@pytest.mark.parametrize(("old", "new", "removed", "added"), [
    ("Một hai ba bốn.", "Một hai năm bốn.", ["ba"], ["năm"]),
    ("Một hai ba.", "Một ba.", ["hai"], []),
    ("Một ba.", "Một hai ba.", [], ["hai"]),
    ("Đoạn một.\n\nĐoạn hai.", "Đoạn một.\n\nĐoạn chen.\n\nĐoạn hai.", [], ["Đoạn", "chen."]),
    ("Đoạn một. Câu hai.", "Đoạn một.\n\nCâu hai.", ["Câu"], ["Câu"]),  # a paragraph split is a change
    ("", "Mới hoàn toàn.", [], ["Mới", "hoàn", "toàn."]),
    ("Cũ hoàn toàn.", "", ["Cũ", "hoàn", "toàn."], []),
])
def test_word_diff_marks_the_changed_words_and_gives_back_both_texts(old, new, removed, added):
    pieces = word_diff(old, new)
    as_old = "".join(text for kind, text in pieces if kind != "insert")
    as_new = "".join(text for kind, text in pieces if kind != "delete")
    assert as_old.split() == old.split() and as_new.split() == new.split()
    assert " ".join(text for kind, text in pieces if kind == "delete").split() == removed
    assert " ".join(text for kind, text in pieces if kind == "insert").split() == added


def test_html_rendering_escapes_the_text():
    page = render_html("<t>", "a & b", [FieldDiff("title", word_diff("Tin <b>cũ</b>", "Tin <i>mới</i> & hay"))])
    assert "<b>" not in page and "<t>" not in page and "<h1>a &amp; b</h1>" in page
    assert "<del>&lt;b&gt;cũ&lt;/b&gt;</del>" in page and "<ins>&lt;i&gt;mới&lt;/i&gt; &amp; hay</ins>" in page


def test_diff_html_writes_a_standalone_page_with_del_and_ins(archive_db, tmp_path):
    identity, old_title, new_title = retitled(archive_db)
    page = tmp_path / "diff.html"
    done = dbp("diff", identity, "--db", archive_db, "--html", page)
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text and text.rstrip().endswith("</html>")
    title_section = text.split("<h2>title</h2>", 1)[1].split("</section>", 1)[0]
    deleted = " ".join(part.split("</del>")[0] for part in title_section.split("<del>")[1:])
    inserted = " ".join(part.split("</ins>")[0] for part in title_section.split("<ins>")[1:])
    assert set(old_title.split()) - set(new_title.split()) <= set(deleted.split())
    assert set(new_title.split()) - set(old_title.split()) <= set(inserted.split())
    assert deleted and inserted and "[-" not in text and "\x1b" not in text


def test_diff_html_redraws_its_own_page_but_replaces_another_file_only_with_force(archive_db, tmp_path):
    identity = retitled(archive_db)[0]
    page = tmp_path / "diff.html"
    assert dbp("diff", identity, "--db", archive_db, "--html", page).returncode == 0
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>stale</p></body>"), encoding="utf-8")
    done = dbp("diff", identity, "--db", archive_db, "--html", page)  # a page diff wrote is redrawn
    assert done.returncode == 0, done.stderr
    assert "<del>" in page.read_text(encoding="utf-8") and "stale" not in page.read_text(encoding="utf-8")
    for name, kept in [("keep.warc", b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"),
                       ("index.html", "<!DOCTYPE html>\n<html><body>Trang của tôi</body></html>\n".encode())]:
        other = tmp_path / name
        other.write_bytes(kept)
        one_line_error(dbp("diff", identity, "--db", archive_db, "--html", other), name, "--force")
        assert other.read_bytes() == kept
        done = dbp("diff", identity, "--db", archive_db, "--html", other, "--force")
        assert done.returncode == 0, done.stderr
        assert "<del>" in other.read_text(encoding="utf-8")


def test_diff_across_a_parser_version_says_so_and_shows_the_re_read_field(archive_db):
    identity = edited_identity(archive_db)
    record_parser_version(archive_db, identity)
    done = dbp("diff", identity, "--db", archive_db)
    assert done.returncode == 0, done.stderr
    assert f"re-read by parser {PARSER_UNDER_TEST}, not an edit" in done.stdout
    assert "## author's role" in done.stdout and "{+Phóng viên thường trú+}" in done.stdout
    assert "## body" not in done.stdout  # the same page: nothing else differs


def test_diff_of_an_article_with_one_version_says_there_is_nothing_to_compare(archive_db):
    identity = query(archive_db, "SELECT identity FROM versions GROUP BY identity HAVING count(*) = 1 LIMIT 1")[0][0]
    done = dbp("diff", identity, "--db", archive_db)
    assert done.returncode == 0 and "only one version" in done.stdout


@pytest.mark.parametrize("versions", [("7",), ("1", "9"), ("0",), ("x",), ("2",)])
def test_diff_refuses_bad_version_numbers_in_one_line(archive_db, versions):
    identity = edited_identity(archive_db)  # versions 1 and 2
    one_line_error(dbp("diff", identity, *versions, "--db", archive_db), versions[-1])


# -- show --------------------------------------------------------------------------------------------------------

def test_show_prints_the_current_version_or_the_one_asked_for(archive_db):
    identity = edited_identity(archive_db)
    current = json_of(dbp("show", identity, "--db", archive_db))
    first = json_of(dbp("show", identity, "--version", "1", "--db", archive_db))
    assert (current["number"], first["number"]) == (2, 1)
    stored = query(archive_db, "SELECT title, body_text, authors FROM versions WHERE identity = ? AND number = 1",
                   identity)[0]
    assert (first["title"], first["body_text"], first["authors"]) == (stored[0], stored[1], json.loads(stored[2]))
    assert first["body_html"].startswith("<")


def test_show_raw_writes_the_captured_bytes_exactly(archive_db, tmp_path):
    import subprocess
    import sys

    identity = edited_identity(archive_db)
    capture_id = query(archive_db, "SELECT capture_id FROM versions WHERE identity = ? AND number = 1", identity)[0][0]
    with Archive(archive_db, readonly=True) as archive:
        captured = archive.capture_body(capture_id)
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "show", identity, "--version", "1", "--raw",
                           "--db", str(archive_db)], capture_output=True, timeout=60)  # bytes, not text
    assert done.returncode == 0, done.stderr
    assert done.stdout == captured and len(captured) > 1000


# -- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["history", "diff", "show"])
def test_an_unknown_article_is_one_line_naming_it(archive_db, command):
    one_line_error(dbp(command, "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/999999/khong-co", "--db", archive_db),
                   "999999/khong-co", "no such article")


@pytest.mark.parametrize("command", ["history", "diff", "show"])
@pytest.mark.parametrize("asked", ["", "   "])
def test_an_empty_article_argument_is_named_as_empty_in_one_line(archive_db, command, asked):
    done = dbp(command, asked, "--db", archive_db)
    one_line_error(done, f"dbp-archive {command}: an empty URL or identity")
    assert "::" not in done.stderr.replace(" ", "")


@pytest.mark.parametrize("command", ["history", "diff", "show"])
def test_a_missing_archive_is_one_line_naming_it(tmp_path, command):
    one_line_error(dbp(command, "212838", "--db", tmp_path / "none.db"), "none.db", "no such archive")


def test_show_of_a_missing_version_is_one_line(archive_db):
    identity = edited_identity(archive_db)
    one_line_error(dbp("show", identity, "--version", "5", "--db", archive_db), identity, "no version 5")


def test_diff_on_a_terminal_is_in_colour_without_marks(archive_db):
    import os
    import pty
    import subprocess
    import sys

    identity, old_title, new_title = retitled(archive_db)
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "crawler.cli", "diff", identity, "--db", str(archive_db)],
                              stdout=terminal, stderr=subprocess.PIPE, timeout=60)
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0, done.stderr
    text = output.decode("utf-8")
    assert "\x1b[31;9m" in text and "\x1b[32m" in text  # removed red and struck through, added green
    assert "[-" not in text and "{+" not in text


def test_a_move_between_the_sites_hosts_changes_no_field():
    from archive.history import changed_fields

    before = {"title": "Tin", "related": [{"url": "http://127.0.0.1:8000/tin-tuc/xa-hoi/1/a", "title": "A"}],
              "images": [{"src": "http://127.0.0.1:8000/uploads/a.jpg", "caption": "Ảnh", "credit": None}]}
    moved = {"title": "Tin", "related": [{"url": "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/1/a", "title": "A"}],
             "images": [{"src": "https://baodienbienphu.com.vn/uploads/a.jpg", "caption": "Ảnh", "credit": None}]}
    assert changed_fields(before, moved) == []
    retitled_link = {**moved, "related": [{**moved["related"][0], "title": "A mới"}]}
    assert changed_fields(before, retitled_link) == ["related"]
