"""Hostile input: what a user types, what a page says and where an output goes can never hurt the
archive, run a query of its own, or put live markup in front of a reader.

- SQL metacharacters, FTS5 syntax, NUL bytes, very long and decomposed Vietnamese strings in every
  argument that reaches the archive (`search`, `history`, `diff`, `show`, `stats`, `reparse
  --article`, `export csv --search/--category/--author`, and `serve`'s canned queries and table
  search over HTTP): a normal answer or one line on stderr with exit 2, never a traceback, and the
  archive unchanged (integrity check, row counts and a digest of its dump before and after).
- Formula payloads in titles, sapos and bylines come out of `export csv` defused.
- `<script>`, event attributes and `javascript:` links in article text are text in `diff --html`
  and on Datasette's pages.
- Output paths through `..` and symlinks are written where they lead and nowhere else, never over
  the archive.
- `serve` listens on 127.0.0.1 unless told otherwise and leaves the file's bytes and mtime alone.

Most commands run in this process (`crawler.cli.main`, exactly as the console script calls it): an
exception escaping it is the traceback a user would see, and NUL bytes, which no real argv can hold,
can still be passed. A few run as subprocesses too, as users run them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import traceback
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest

from archive.db import Archive
from crawler.article import RelatedLink
from tests.clirun import dbp, one_line_error
from tests.test_archive import T0, make_article, make_fetch

NFD_VIETNAMESE = unicodedata.normalize("NFD", "Đảng bộ tỉnh Điện Biên nghiệm thu đường")
PAYLOADS = [
    "'; DROP TABLE articles; --", '" OR 1=1', "' OR '1'='1", "NEAR(", "NEAR(dang bo, 2)", "*", "-", ":", "%", "_",
    "%_%", "\\", '"', '""', "title:dang", "^dang", "((((", "AND", "OR NOT", "dang*", "-dang", "\x00", "dang\x00bo",
    "x" * 100_000, "dang " * 5_000, NFD_VIETNAMESE, "\u202edang", "\x1b[31mred", "../../etc/passwd",
    "1; SELECT load_extension('x')", "212838' --", "https://example.com/'; DROP TABLE versions; --",
]
# What argv can carry (no NUL) and what one argument may hold (Linux: 128 KiB).
ARGV_PAYLOADS = [p for p in PAYLOADS if "\x00" not in p and len(p.encode()) < 100_000]

# -- an archive with hostile articles, written through the archive's own write path -------------------------

XSS = {
    "title": '<script>alert("dbp-xss-title")</script> Tiêu đề',
    "title2": '<script>alert("dbp-xss-title2")</script> Tiêu đề mới',
    "sapo": '<img src=x onerror=alert("dbp-xss-sapo")> Nhiều trường hợp.',
    "body": "<a href=\"javascript:alert('dbp-xss-body')\">bấm đây</a> đoạn một.\n\n<svg onload=alert(\"dbp-xss-svg\")>",
    "body2": "<a href=\"javascript:alert('dbp-xss-body')\">bấm đây</a> đoạn một, sửa.\n\n<svg onload=alert(\"dbp-xss-svg\")>",
    "author": '<b onmouseover=alert("dbp-xss-author")>Minh Thùy</b>',
    "related": "<iframe src=\"javascript:alert('dbp-xss-related')\"></iframe>",
}
FORMULAS = {"title": "=HYPERLINK(\"http://evil.example/\",\"bấm\")", "sapo": "+cmd|' /C calc'!A0",
            "author": "@SUM(1+1)*cmd|' /C calc'!A0", "role": "-2+3+cmd|' /C calc'!A0"}
XSS_URL = "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/999001/bai-doc-hai"
FORMULA_URL = "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/999002/bai-cong-thuc"


def _hostile_articles():
    xss = make_article(url=XSS_URL, canonical_url=XSS_URL, article_id=999001, title=XSS["title"], sapo=XSS["sapo"],
                       body_text=XSS["body"], body_html=f"<p>{XSS['body']}</p>", authors=[XSS["author"]],
                       related=[RelatedLink(url="https://baodienbienphu.com.vn/tin-tuc/xa-hoi/212001/tin-khac",
                                            title=XSS["related"])])
    edited = replace(xss, title=XSS["title2"], body_text=XSS["body2"], body_html=f"<p>{XSS['body2']}</p>")
    formula = make_article(url=FORMULA_URL, canonical_url=FORMULA_URL, article_id=999002, title=FORMULAS["title"],
                           sapo=FORMULAS["sapo"], authors=[FORMULAS["author"]], author_role=FORMULAS["role"])
    return xss, edited, formula


@pytest.fixture(scope="module")
def hostile_archive(history_archive, tmp_path_factory) -> Path:
    """The crawled replica's archive plus two hostile articles (one edited once), checkpointed: the
    file alone is the archive."""
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    db.write_bytes(history_archive.read_bytes())
    xss, edited, formula = _hostile_articles()
    with Archive(db) as archive:
        run = archive.start_run({"test": "hostile"}, "1", started_at=T0)
        for fetch in (make_fetch(xss), make_fetch(formula), make_fetch(edited, at=T0 + timedelta(days=1))):
            archive.record_fetch(run, fetch)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return db


@pytest.fixture
def archive_copy(hostile_archive, tmp_path) -> Path:
    target = tmp_path / "archive.db"
    target.write_bytes(hostile_archive.read_bytes())
    return target


def archive_state(db: Path) -> dict:
    """What must not change: the integrity check, every table's row count, and a digest of the dump."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {
            "integrity": connection.execute("PRAGMA integrity_check").fetchall(),
            "counts": {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables},
            "dump": hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest(),
        }
    finally:
        connection.close()


# -- running the CLI in this process ------------------------------------------------------------------------

@dataclass
class Ran:
    status: int
    stdout: str
    stderr: str


def run(*args) -> Ran:
    """`dbp-archive ARGS` through the console entry point; an exception out of it fails the test
    with its traceback (that is what the user would have seen)."""
    from crawler.cli import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True), \
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", write_through=True)
    status = None
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main([str(arg) for arg in args])
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # noqa: BLE001 - the traceback is the failure being tested for
            pytest.fail(f"dbp-archive {_short(args)} raised:\n{traceback.format_exc()}")
    text = [stream.buffer.getvalue().decode("utf-8", "replace") for stream in (out, err)]
    return Ran(0 if status is None else status, *text)


def _short(args) -> str:
    return " ".join(repr(str(a)[:60]) for a in args)


def answered_normally(ran: Ran, args) -> None:
    """Exit 0 (an answer, perhaps 'nothing found'), or exit 2 with one line on stderr; never a traceback."""
    where = f"dbp-archive {_short(args)}"
    assert "Traceback" not in ran.stdout + ran.stderr, (where, ran.stderr[-2000:])
    assert ran.status in (0, 2), (where, ran.status, ran.stderr[-500:])
    if ran.status == 2:
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1, (where, ran.stderr[-2000:])


def command_lines(db: Path, payload: str, out_dir: Path) -> list[list]:
    """Every argument that reaches the archive, given `payload`."""
    csv_out = out_dir / "export.csv"
    return [
        ["search", payload, "--db", db],
        ["search", payload, "--db", db, "--json", "--all-versions"],
        ["search", "dang", "--db", db, "--category", payload],
        ["search", "dang", "--db", db, "--author", payload],
        ["search", "dang", "--db", db, "--since", payload],
        ["search", payload, "--db", db / payload if "\x00" not in payload and len(payload) < 200 else db],
        ["history", payload, "--db", db],
        ["history", payload, "--db", db, "--json"],
        ["diff", payload, "--db", db],
        ["diff", "999001", "1", "2", "--db", db, "--html", out_dir / "diff.html"],  # the hostile article itself
        ["show", payload, "--db", db],
        ["show", payload, "--db", db, "--raw"],
        ["show", "999001", "--db", db, "--raw"],
        ["stats", "--db", payload],
        ["stats", "--db", db, "--json"],
        ["reparse", "--article", payload, "--db", db, "--workers", "1"],
        ["export", "csv", "--db", db, "-o", csv_out, "--force", "--search", payload],
        ["export", "csv", "--db", db, "-o", csv_out, "--force", "--category", payload],
        ["export", "csv", "--db", db, "-o", csv_out, "--force", "--author", payload],
        ["export", "csv", "--db", db, "-o", csv_out, "--force", "--columns", payload],
    ]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: repr(p[:24]) + (f"…{len(p)}" if len(p) > 24 else ""))
def test_every_argument_that_reaches_the_archive_takes_hostile_text(payload, hostile_archive, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a payload read as a relative path lands here
    db = tmp_path / "archive.db"
    db.write_bytes(hostile_archive.read_bytes())
    before = archive_state(db)
    for args in command_lines(db, payload, tmp_path):
        answered_normally(run(*args), args)
    assert archive_state(db) == before, payload[:60]
    assert {path.name for path in tmp_path.iterdir()} <= {"archive.db", "archive.db-wal", "archive.db-shm",
                                                          "archive.db.lock", "export.csv", "diff.html", payload}


def test_search_queries_are_words_not_syntax(archive_copy):
    """The FTS payloads answer as words would: `NEAR(` and `-` find nothing odd, a quoted injection
    finds nothing, and the words of a real title still find it whatever punctuation is around them."""
    found = run("search", "'; DROP TABLE articles; -- Tiêu đề mới", "--db", archive_copy, "--json")
    assert found.status == 0 and '"999001"' not in found.stdout  # not every word is in it: no match
    assert run("search", "-", "--db", archive_copy).status == 2  # punctuation only: one line
    # An NFD-typed query finds what the NFC index holds.
    nfd = run("search", unicodedata.normalize("NFD", "Tiêu đề mới"), "--db", archive_copy, "--json")
    assert nfd.status == 0 and '"identity": "999001"' in nfd.stdout, nfd


@pytest.mark.parametrize("payload", ["'; DROP TABLE articles; --", '" OR 1=1', NFD_VIETNAMESE, "NEAR(* " + "x" * 60_000])
def test_as_a_subprocess_too(payload, archive_copy, tmp_path):
    before = archive_state(archive_copy)
    for args in (["search", payload], ["history", payload], ["diff", payload], ["show", payload],
                 ["reparse", "--workers", "1", "--article", payload],
                 ["export", "csv", "-o", tmp_path / "out.csv", "--force", "--search", payload, "--author", payload]):
        done = dbp(*args, "--db", archive_copy, cwd=tmp_path)
        assert "Traceback" not in done.stderr + done.stdout, (args[0], done.stderr[-2000:])
        if done.returncode:
            one_line_error(done)
    assert archive_state(archive_copy) == before


def test_a_repeated_word_is_asked_once_and_a_book_is_refused(archive_copy):
    """A query is words: 5 000 copies of one are one word (not 5 000 passes over every match), and
    more different words than any reader types is one line, exit 2."""
    from archive.search import MAX_TERMS, parse_query

    assert parse_query("dang " * 5_000) == parse_query("dang")
    ran = run("search", " ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "--db", archive_copy)
    answered_normally(ran, ["search"])
    assert ran.status == 2 and f"at most {MAX_TERMS}" in ran.stderr


LONG_NAME = "n" * 5_000  # longer than any file system's name: ENAMETOOLONG, not "no such file"


def test_file_names_too_long_for_the_file_system_are_one_line(archive_copy, tmp_path):
    before = archive_state(archive_copy)
    for args in (["search", "dang", "--db", LONG_NAME], ["history", "1", "--db", LONG_NAME],
                 ["show", "1", "--db", LONG_NAME], ["diff", "1", "--db", LONG_NAME], ["stats", "--db", LONG_NAME],
                 ["reparse", "--db", LONG_NAME], ["serve", "--db", LONG_NAME], ["upgrade", "--db", LONG_NAME],
                 ["export", "csv", "--db", LONG_NAME, "-o", tmp_path / "x.csv"],
                 ["export", "csv", "--db", archive_copy, "-o", tmp_path / LONG_NAME],
                 ["export", "warc", "--db", archive_copy, "-o", tmp_path / LONG_NAME],
                 ["diff", "999001", "--db", archive_copy, "--html", tmp_path / LONG_NAME],
                 ["stats", "--db", archive_copy, "--png", tmp_path / LONG_NAME]):
        ran = run(*args)
        answered_normally(ran, args)
        assert ran.status == 2, args[:2]
    assert archive_state(archive_copy) == before


# -- CSV formulas ----------------------------------------------------------------------------------------------

def test_formula_payloads_are_defused_in_export_csv(archive_copy, tmp_path):
    out = tmp_path / "out.csv"
    ran = run("export", "csv", "--db", archive_copy, "-o", out, "--author", FORMULAS["author"])
    assert ran.status == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == 1 and rows[0]["url"] == FORMULA_URL
    cells = [value for value in rows[0].values() if value]
    for payload in FORMULAS.values():
        assert any(payload in cell for cell in cells), payload  # the text is kept, in full
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"], cells


# -- markup in article text --------------------------------------------------------------------------------------

MARKERS = [f"dbp-xss-{name}" for name in ("title", "title2", "sapo", "body", "svg", "author", "related")]


def live_payloads(page: str) -> list[str]:
    """Every place a payload would run in a browser: an element the payload made (a script, an
    event attribute, a javascript: address that carries a marker)."""
    root = lxml.html.fromstring(page)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "svg", "style") and any(m in (element.text or "") for m in MARKERS):
            found.append(f"<{element.tag}>{(element.text or '')[:80]}")
        for name, value in element.attrib.items():
            if any(m in value for m in MARKERS) and (name.startswith("on") or value.strip().lower().startswith("javascript:")
                                                     or name in ("href", "src", "action", "formaction")):
                found.append(f"<{element.tag} {name}={value[:80]!r}>")
        if element.tag in ("iframe", "svg", "img") and element.get("src") == "x":
            found.append(f"<{element.tag} src=x>")
    return found


def shown_as_text(page: str, *texts: str) -> None:
    assert not live_payloads(page), live_payloads(page)
    shown = lxml.html.fromstring(page).text_content()
    for text in texts:
        assert text in shown, text


def test_diff_html_shows_markup_as_text(archive_copy, tmp_path):
    page = tmp_path / "diff.html"
    ran = run("diff", "999001", "--db", archive_copy, "--html", page)
    assert ran.status == 0, ran.stderr
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "onerror=alert" not in html
    shown_as_text(html, "<script>alert(", 'dbp-xss-title2")</script>', "javascript:alert('dbp-xss-body')")


# -- output paths ------------------------------------------------------------------------------------------------

OUTPUTS = {  # command writing FILE, and whether an existing file (other than its own kind) needs --force
    "csv": (lambda db, path, *more: ["export", "csv", "--db", db, "-o", path, *more], True),
    "diff": (lambda db, path, *more: ["diff", "999001", "--db", db, "--html", path, *more], True),
    "png": (lambda db, path, *more: ["stats", "--db", db, "--png", path, *more], True),
}


def tree(root: Path) -> dict[str, bytes | str]:
    return {str(p.relative_to(root)): (os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else "dir")
            for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("kind", OUTPUTS)
def test_dot_dot_is_written_where_it_leads_and_nowhere_else(kind, archive_copy, tmp_path):
    command, _ = OUTPUTS[kind]
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    before = tree(tmp_path)
    ran = run(*command(archive_copy, tmp_path / "sub" / "deeper" / ".." / ".." / "out.file"))
    assert ran.status == 0, ran.stderr
    after = tree(tmp_path)
    new = {name for name in after if name not in before}
    assert new <= {"out.file", "archive.db-wal", "archive.db-shm", "archive.db.lock"} and "out.file" in new, new
    assert after["archive.db"] == before["archive.db"]


@pytest.mark.parametrize("kind", OUTPUTS)
@pytest.mark.parametrize("how", ["symlink", "dot_dot", "hard_link", "wal", "symlink_chain"])
def test_the_archive_is_never_an_output(kind, how, archive_copy, tmp_path):
    command, force = OUTPUTS[kind]
    (tmp_path / "sub").mkdir()
    target = {"symlink": tmp_path / "out.file", "dot_dot": tmp_path / "sub" / ".." / "archive.db",
              "hard_link": tmp_path / "out.file", "wal": tmp_path / "archive.db-wal",
              "symlink_chain": tmp_path / "sub" / "link2"}[how]
    if how == "symlink":
        target.symlink_to(archive_copy)
    elif how == "hard_link":
        os.link(archive_copy, target)
    elif how == "symlink_chain":
        (tmp_path / "link1").symlink_to("archive.db")
        target.symlink_to("../link1")
    digest = hashlib.sha256(archive_copy.read_bytes()).hexdigest()
    before = archive_state(archive_copy)
    for more in ([], ["--force"]) if force else ([],):
        ran = run(*command(archive_copy, target, *more))
        answered_normally(ran, command(archive_copy, target))
        assert ran.status == 2, (how, ran.stdout[-300:])
        assert hashlib.sha256(archive_copy.read_bytes()).hexdigest() == digest
    assert archive_state(archive_copy) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("kind", OUTPUTS)
def test_a_symlink_to_another_file_is_written_through_only_as_the_command_allows(kind, archive_copy, tmp_path):
    command, needs_force = OUTPUTS[kind]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = elsewhere / "notes.txt"
    other.write_text("my notes\n")
    link = tmp_path / "out.file"
    link.symlink_to(other)
    if needs_force:
        ran = run(*command(archive_copy, link))
        assert ran.status == 2 and "--force" in ran.stderr, ran
        assert other.read_text() == "my notes\n"
        ran = run(*command(archive_copy, link, "--force"))
    else:
        ran = run(*command(archive_copy, link))
    assert ran.status == 0, ran.stderr
    assert link.is_symlink() and os.readlink(link) == str(other)  # the link stays; its target was replaced
    assert other.read_bytes() != b"my notes\n" and other.stat().st_size > 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt"]


# -- serve --------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_hostile(hostile_archive, tmp_path_factory):
    from tests.test_serve import start_serving, stop

    db = tmp_path_factory.mktemp("served") / "archive.db"
    db.write_bytes(hostile_archive.read_bytes())
    stat = db.stat()
    print_ = (hashlib.sha256(db.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size)
    server = start_serving(db)
    yield server, db, print_
    stop(server)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc shows them) listening on `port`, IPv4 and IPv6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            if state == "0A" and int(address.rsplit(":", 1)[1], 16) == port:
                found.add(address.rsplit(":", 1)[0])
    return found


def test_serve_listens_on_loopback_only(served_hostile):
    server, _, _ = served_hostile
    port = int(server.base.rsplit(":", 1)[1])
    assert _listening(port) == {"0100007F"}, _listening(port)  # 127.0.0.1, and no wildcard or IPv6 socket


CANNED = {"search": ("q",), "article_history": ("article",), "articles_by_author": ("author",),
          "most_viewed": ("since", "until"), "edits_in_period": ("since", "until")}


def test_canned_queries_and_table_search_over_http_take_hostile_text(served_hostile):
    server, db, _ = served_hostile
    for payload in [p for p in PAYLOADS if len(p) < 20_000]:
        urls = [server.url(f"/archive/{name}.json", **{param: payload for param in params}, _shape="array")
                for name, params in CANNED.items()]
        urls += [server.url("/archive/versions.json", _search=payload, _shape="array"),
                 server.url("/archive/versions.json", _search=payload, _searchmode="raw", _shape="array"),
                 server.url("/archive/article_current.json", _search=payload, _shape="array"),
                 server.url("/archive/articles.json", identity=payload, _shape="array"),
                 server.url("/archive/articles.json", **{"identity__contains": payload}, _shape="array"),
                 server.url("/archive/search", q=payload)]
        for url in urls:
            status, body = _get(url)
            assert status in (200, 400), (url[:200], status, body[:500])
            assert "Traceback" not in body, url[:200]
    # Datasette's own SQL box: a statement that writes is refused, and the file could not take it anyway.
    for sql in ("DROP TABLE articles", "DELETE FROM versions", "UPDATE articles SET title = 'x'",
                "SELECT 1; DROP TABLE articles", "ATTACH DATABASE '/tmp/x.db' AS x", "PRAGMA writable_schema = 1",
                "SELECT load_extension('/tmp/x')"):
        status, body = _get(server.url("/archive.json", sql=sql))
        assert status in (400, 403), (sql, status, body[:300])


DATASETTE_PAGES = ["/archive/versions?identity=999001", "/archive/articles/999001", "/archive/article_current?identity=999001",
                   "/archive/version_changes?identity=999001", "/archive/article_history?article=999001",
                   "/archive/search?q=Ti%C3%AAu+%C4%91%E1%BB%81"]


def test_datasette_shows_article_markup_as_text(served_hostile):
    server, _, _ = served_hostile
    rows = server.json("/archive/versions.json", identity="999001", _shape="array", _col="id")
    assert len(rows) == 2
    pages = DATASETTE_PAGES + [f"/archive/versions/{row['id']}" for row in rows]
    for path in pages:
        status, page = _get(server.base + path)
        assert status == 200, (path, status)
        assert not live_payloads(page), (path, live_payloads(page))
        if "/articles/" not in path:  # (an article's row holds no text of its own: its versions do)
            assert "dbp-xss-title" in lxml.html.fromstring(page).text_content(), path
    status, page = _get(server.base + f"/archive/versions/{rows[-1]['id']}")
    # (authors and related links are JSON lists there: their quotes are escaped, their tags are not)
    shown_as_text(page, XSS["title2"], XSS["sapo"], "javascript:alert('dbp-xss-body')", "<b onmouseover=alert(",
                  "dbp-xss-author", "<iframe src=\\\"javascript:alert('dbp-xss-related')")


def test_serving_and_browsing_never_write_the_file(served_hostile):
    """Runs after the hostile browsing above (file order): the bytes, the mtime and the size are as
    they were before the server started, and no log grew beside the file."""
    server, db, (digest, mtime, size) = served_hostile
    for path in DATASETTE_PAGES:
        _get(server.base + path)
    stat = db.stat()
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size) == (digest, mtime, size)
    # A read-only SQLite reader of a WAL-mode file may leave an empty log and its index beside it, never more.
    assert {p.name for p in db.parent.iterdir()} <= {db.name, f"{db.name}-wal", f"{db.name}-shm"}
    wal = db.with_name(f"{db.name}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
