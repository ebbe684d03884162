"""What a new user fed the CLI, case by case: each answered with one line, the documented exit status,
no traceback, and nothing lost. Every command runs as a subprocess, as a user or cron runs it."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.schema import IMMUTABLE_COLUMNS, MIGRATIONS, MOVED_BY_MERGES
from clirun import dbp, one_line_error, query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import Faults
from crawler.runner import crawl_lock

FAST = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0"]


def digest(*paths: Path) -> list[str | None]:
    return [hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None for path in paths]


def archive_files(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


@pytest.fixture
def site():
    faults = Faults()
    with ReplicaServer(Replica(seed=1, articles=200), faults=faults) as server:
        yield server, faults


def article_requests(faults: Faults) -> int:
    return sum(count for path, count in faults.requests.items() if path != "/robots.txt")


# -- exports never destroy an archive ---------------------------------------------------------------

def test_export_onto_its_own_archive_is_refused_and_the_archive_is_byte_identical(copy_archive, tmp_path):
    db = copy_archive()
    before = digest(*archive_files(db))
    (tmp_path / "link.db").symlink_to(db)
    for target in (db, tmp_path / "link.db", Path(f"{db}-wal")):
        for force in ([], ["--force"]):
            one_line_error(dbp("export", "csv", "--db", db, "-o", target, *force), str(target), "archive")
    assert digest(*archive_files(db)) == before


def test_export_never_overwrites_another_sqlite_file_even_with_force(copy_archive, tmp_path):
    db, other = copy_archive("a.db"), copy_archive("b.db")
    before = digest(other)
    one_line_error(dbp("export", "csv", "--db", db, "-o", other, "--force"), "b.db", "SQLite")
    assert digest(other) == before


def test_an_existing_output_needs_force_and_is_replaced_whole(copy_archive, tmp_path):
    db = copy_archive()
    out = tmp_path / "articles.csv"
    out.write_text("my edited spreadsheet\n")
    one_line_error(dbp("export", "csv", "--db", db, "-o", out), "articles.csv", "--force")
    assert out.read_text() == "my edited spreadsheet\n"
    done = dbp("export", "csv", "--db", db, "-o", out, "--force")
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8-sig").startswith("url,")
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*"))  # no temporaries left


def test_a_failed_export_leaves_the_old_file_whole(copy_archive, tmp_path, monkeypatch):
    from exports.csv import write_csv

    db = copy_archive()
    out = tmp_path / "articles.csv"
    out.write_text("last week's export\n")
    from archive.exports import Prepared

    lines = Prepared.lines

    class Failing:  # the archive's cursor, failing after its first rows
        def __init__(self, cursor):
            self.cursor, self.fetched = cursor, 0

        def fetchmany(self, size):
            self.fetched += 1
            if self.fetched == 2:
                raise sqlite3.OperationalError("disk I/O error (simulated)")
            return self.cursor.fetchmany(2)

    monkeypatch.setattr(Prepared, "lines", lambda self, expression: Failing(lines(self, expression)))
    with pytest.raises(sqlite3.OperationalError):
        write_csv(db, out, force=True)
    assert out.read_text() == "last week's export\n"
    assert not list(tmp_path.glob(".*"))  # the temporary beside it is gone too


# -- what a version recorded is immutable ---------------------------------------------------------

def test_recorded_history_refuses_update_and_delete_of_every_content_column(copy_archive):
    db = copy_archive()
    connection = sqlite3.connect(db)
    # Rows the crawls may not have made (no re-slug among a few articles): recorded by hand.
    identity = connection.execute("SELECT identity FROM articles LIMIT 1").fetchone()[0]
    if not connection.execute("SELECT count(*) FROM aliases").fetchone()[0]:
        connection.execute("INSERT INTO aliases VALUES ('/tin-bai/x/old-slug', ?, 'http://h/tin-bai/x/old-slug', '2025-01-01')",
                           (identity,))
    if not connection.execute("SELECT count(*) FROM identity_merges").fetchone()[0]:
        connection.execute("INSERT INTO identity_merges (merged_at, from_identity, into_identity, reason, in_progress)"
                           " VALUES ('2025-01-01', 'a', 'b', 'by hand', 0)")
    if not connection.execute("SELECT count(*) FROM suspect_fetches").fetchone()[0]:
        connection.execute("INSERT INTO suspect_fetches SELECT max(id), (SELECT min(id) FROM versions), NULL, '[\"title\"]'"
                           " FROM observations")
    connection.commit()
    for table, columns in {**IMMUTABLE_COLUMNS, **MOVED_BY_MERGES}.items():
        assert query(db, f"SELECT count(*) FROM {table}")[0][0], f"{table}: the fixture should fill it"
        for column in columns:
            with pytest.raises(sqlite3.IntegrityError, match="never rewrites"):
                connection.execute(f"UPDATE {table} SET {column} = {column} WHERE rowid = (SELECT min(rowid) FROM {table})")
        with pytest.raises(sqlite3.IntegrityError, match="never deletes"):
            connection.execute(f"DELETE FROM {table}")
    # Every column of a version but `last_seen` is content: a column added later must be listed too.
    version_columns = {row[1] for row in connection.execute("PRAGMA table_info(versions)")}
    assert version_columns - set(IMMUTABLE_COLUMNS["versions"]) == {"last_seen"}
    # Only a merge in progress moves identities; none is.
    assert connection.execute("SELECT count(*) FROM identity_merges WHERE in_progress").fetchone() == (0,)
    # A capture's body changes once at most: when the first dictionary recompresses it.
    with pytest.raises(sqlite3.IntegrityError, match="never rewrites"):
        connection.execute("UPDATE captures SET body = x'00' WHERE dictionary_id IS NOT NULL")
    # What the crawler must keep updating still updates.
    connection.execute("UPDATE versions SET last_seen = last_seen")
    connection.execute("UPDATE articles SET next_check_at = next_check_at, state = state")
    connection.rollback()
    connection.close()


# -- read-only places --------------------------------------------------------------------------------

def test_read_only_commands_work_on_read_only_media(copy_archive, tmp_path, read_only):
    media = tmp_path / "media"
    media.mkdir()
    db = copy_archive(directory=media)
    articles = query(db, "SELECT count(*) FROM articles")[0][0]
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)  # a file copied onto a CD-ROM comes alone
    read_only(media)
    out = tmp_path / "articles.csv"
    done = dbp("export", "csv", "--db", db, "-o", out)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + articles
    assert sorted(path.name for path in media.iterdir()) == ["archive.db"]


def test_a_crawl_on_a_read_only_archive_file_says_so_before_fetching(copy_archive, site, read_only):
    server, faults = site
    db = read_only(copy_archive())
    one_line_error(dbp("crawl", "--db", db, "--start-url", server.url + "/", *FAST), str(db), "read-only")
    assert article_requests(faults) == 0


def test_a_crawl_in_a_read_only_directory_says_so_before_fetching(tmp_path, site, read_only):
    server, faults = site
    directory = tmp_path / "ro"
    directory.mkdir()
    read_only(directory)
    one_line_error(dbp("crawl", "--db", directory / "archive.db", "--start-url", server.url + "/", *FAST),
                   "archive.db", "read-only")
    assert article_requests(faults) == 0
    assert list(directory.iterdir()) == []


@pytest.mark.parametrize("command", ["upgrade", "reparse"])
@pytest.mark.parametrize("place", ["file", "directory"])
def test_a_read_only_archive_names_the_command_that_must_write_it(command, place, copy_archive, tmp_path,
                                                                   read_only):
    media = tmp_path / "media"
    media.mkdir()
    db = copy_archive(directory=media)
    if command == "upgrade":  # it writes only what needs writing: give it something to mend
        with sqlite3.connect(db) as connection:
            connection.execute("INSERT INTO versions_fts(versions_fts) VALUES('delete-all')")
        connection.close()
    read_only(db if place == "file" else media)
    done = dbp(command, "--db", db)
    one_line_error(done, str(db), "read-only", f"dbp-archive {command}")
    assert "crawl" not in done.stderr


@pytest.mark.parametrize("place", ["file", "directory"])
def test_upgrade_of_a_read_only_archive_that_needs_nothing_says_so(place, copy_archive, tmp_path, read_only):
    """An archivist's read-only copy at this release's schema, its search index whole: nothing to write."""
    media = tmp_path / "media"
    media.mkdir()
    db = copy_archive(directory=media)
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)  # a file copied onto read-only media comes alone
    before = db.read_bytes()
    read_only(db if place == "file" else media)
    done = dbp("upgrade", "--db", db)
    assert done.returncode == 0 and "already at schema" in done.stdout, done.stderr
    assert db.read_bytes() == before


# -- a damaged archive ------------------------------------------------------------------------------

def test_a_damaged_archive_is_refused_by_crawl_and_export(copy_archive, site, tmp_path):
    server, faults = site
    db = copy_archive()
    page_size = query(db, "PRAGMA page_size")[0][0]
    with open(db, "r+b") as handle:  # garbage over pages in the middle, as a failing disk leaves it
        handle.seek(page_size * 6)
        handle.write(b"\xde\xad\xbe\xef" * (page_size * 3 // 4))
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        query(db, "PRAGMA integrity_check")
    before = digest(db)
    one_line_error(dbp("crawl", "--db", db, "--start-url", server.url + "/", *FAST), str(db), "damaged")
    assert article_requests(faults) == 0
    one_line_error(dbp("export", "csv", "--db", db, "-o", tmp_path / "x.csv"), str(db), "damaged")
    assert not (tmp_path / "x.csv").exists()
    assert digest(db) == before


# -- start pages that are not the site --------------------------------------------------------------

def test_a_start_url_that_is_no_url_is_a_usage_error(tmp_path):
    one_line_error(dbp("crawl", "--db", tmp_path / "a.db", "--start-url", "notaurl"), "notaurl")
    assert not (tmp_path / "a.db").exists()


def test_a_server_that_never_answers_ends_the_crawl_within_its_retry_budget(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # accepts connections (the kernel does), never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        done = dbp("crawl", "--db", tmp_path / "a.db", "--start-url", url, *FAST, timeout=60,
                   env={"DBP_DOWNLOAD_TIMEOUT": "1", "DBP_RETRY_TIMES": "1"})
    finally:
        listener.close()
    one_line_error(done, url, "cannot fetch the start page", "longer than")
    assert not (tmp_path / "a.db").exists()


def test_https_to_a_plain_http_server_or_a_closed_port_says_what_went_wrong_in_words(site, tmp_path):
    # Twisted and Scrapy wrap these causes in lists of failures: the line gives the cause, no repr.
    server, _ = site
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_url = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    closed.close()  # nothing listens there now
    for url, said in ((server.url.replace("http://", "https://") + "/", "does the server speak https?"),
                      (closed_url, "Connection refused")):
        done = dbp("crawl", "--db", tmp_path / "a.db", "--start-url", url, *FAST, env={"DBP_RETRY_TIMES": "0"})
        one_line_error(done, url, "cannot fetch the start page", said)
        assert "Failure" not in done.stderr and "[<" not in done.stderr, done.stderr


def test_a_start_page_that_shows_nothing_of_the_site_fails_the_crawl(tmp_path):
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    import threading

    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("<html><body><h1>It works!</h1><a href='/about'>About</a></body></html>")
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(tmp_path / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        done = dbp("crawl", "--db", tmp_path / "a.db", "--start-url", url, *FAST)
    finally:
        server.shutdown()
    one_line_error(done, url, "not the newspaper")
    assert not (tmp_path / "a.db").exists()


# -- Ctrl-C -----------------------------------------------------------------------------------------

def _crawl_until(db: Path, server, archived: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
         "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if db.exists() and query(db, "SELECT count(*) FROM observations")[0][0] >= archived:
                return process
        except sqlite3.OperationalError:
            pass  # the crawl is creating the file
        time.sleep(0.1)
    process.kill()
    raise AssertionError("the crawl archived nothing in a minute")


def test_ctrl_c_prints_the_summary_and_exits_130(site, tmp_path):
    server, _ = site
    db = tmp_path / "archive.db"
    process = _crawl_until(db, server, archived=20)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    summary = stdout.strip().splitlines()[-1]
    assert summary.startswith("crawl: ")
    new = int(summary.split()[1])
    assert new >= 20 and query(db, "SELECT count(*) FROM articles") == [(new,)]  # nothing lost
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert query(db, "SELECT status FROM runs") == [("shutdown",)]


def test_ctrl_c_twice_still_exits_130_with_an_intact_archive(site, tmp_path):
    server, _ = site
    db = tmp_path / "archive.db"
    process = _crawl_until(db, server, archived=10)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT count(*) FROM articles")[0][0] >= 10


# -- option values ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, env, named", [
    (["--since", "notadate"], {}, "notadate"),
    (["--max-articles", "-1"], {}, "--max-articles"),
    (["--max-articles", "0"], {}, "--max-articles"),
    (["-s", "NOEQUALS"], {}, "NOEQUALS"),
    (["-s", "DOWNLOAD_DELAY=abc"], {}, "DOWNLOAD_DELAY"),
    (["-s", "DOWNLOAD_DELAY=-3"], {}, "DOWNLOAD_DELAY"),
    (["-s", "RETRY_TIMES=many"], {}, "RETRY_TIMES"),
    (["-s", "DOWNLAOD_DELAY=1"], {}, "DOWNLAOD_DELAY"),
    ([], {"DBP_DOWNLOAD_DELAY": "abc"}, "DBP_DOWNLOAD_DELAY"),
    ([], {"DBP_OBEY_ROBOTS": "maybe"}, "DBP_OBEY_ROBOTS"),
    ([], {"DBP_DOWNLOAD_MAXSIZE": "8MB"}, "DBP_DOWNLOAD_MAXSIZE"),
    ([], {"DBP_START_URL": "baodienbienphu.vn"}, "DBP_START_URL"),
    ([], {"DBP_API_URL": "notaurl"}, "DBP_API_URL"),
    (["--api-url", "api-dienbien"], {}, "--api-url"),
    (["--site-domain", ""], {}, "--site-domain"),
    (["--site-domain", "nonsense..host"], {}, "nonsense..host"),
])
def test_bad_option_values_are_usage_errors_before_anything_runs(tmp_path, args, env, named):
    one_line_error(dbp("crawl", "--db", tmp_path / "a.db", "--start-url", "http://127.0.0.1:9/", *args, env=env),
                   named)
    assert not (tmp_path / "a.db").exists()


def test_an_empty_variable_is_unset_and_a_bad_one_is_named():
    from crawler.options import BadSetting, environment_settings

    assert environment_settings({"DBP_DOWNLOAD_DELAY": "", "DBP_OBEY_ROBOTS": "", "DBP_RETRY_TIMES": "2"}) == \
        {"RETRY_TIMES": 2}
    with pytest.raises(BadSetting, match="DBP_DOWNLOAD_DELAY=' '"):
        environment_settings({"DBP_DOWNLOAD_DELAY": " "})


def test_typed_settings_reach_the_crawl(site, tmp_path):
    server, faults = site
    done = dbp("crawl", "--db", tmp_path / "a.db", "--start-url", server.url + "/", *FAST,
               "-s", "ROBOTSTXT_OBEY=false", "--max-articles", "3")
    assert done.returncode == 0, done.stderr
    assert faults.requests["/robots.txt"] == 0  # "false" was read as False, not as a true string
    assert query(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(3,)]


# -- the lock ----------------------------------------------------------------------------------------

def test_the_lock_holds_through_a_symlinked_path(tmp_path, site):
    server, faults = site
    db = tmp_path / "archive.db"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "same.db"
    link.symlink_to(db)
    with crawl_lock(db):
        done = dbp("crawl", "--db", link, "--start-url", server.url + "/", *FAST)
    assert done.returncode == 75, done.stderr
    assert "another crawl is running" in done.stderr
    assert article_requests(faults) == 0


@pytest.mark.parametrize("command", [["crawl", "--start-url", "http://127.0.0.1:9/"], ["upgrade"], ["reparse"]])
def test_a_refused_archive_is_left_without_a_lock_the_refusal_made(command, tmp_path):
    db = tmp_path / "notsqlite.db"
    db.write_text("just text\n")
    one_line_error(dbp(*command, "--db", db), "notsqlite.db", "not an SQLite archive")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notsqlite.db"]
    lock = Path(f"{db}.lock")
    lock.write_text("pid 1")  # an earlier crawl's: not this refusal's to remove
    one_line_error(dbp(*command, "--db", db), "notsqlite.db", "not an SQLite archive")
    assert lock.exists()
    lock.unlink()
    with crawl_lock(db):  # held by a running crawl: refused as locked, and the lock left alone
        assert dbp(*command, "--db", db).returncode == 75
        assert lock.exists()
    assert lock.exists()  # the holder's own lock, made before this refusal: it stays for the next


# -- parse, replica, version -----------------------------------------------------------------------

def test_parse_applies_the_crawls_size_cap(tmp_path):
    page = tmp_path / "huge.html"
    with open(page, "wb") as handle:
        handle.truncate(9 * 1024 * 1024)  # larger than the crawl's 8 MiB cap
    one_line_error(dbp("parse", page), "huge.html", "cap", "--max-size")
    small = tmp_path / "small.html"
    small.write_bytes(b"<html><body><p>x</p></body></html>" * 100)
    one_line_error(dbp("parse", small, "--max-size", "1000"), "small.html", "1000")
    one_line_error(dbp("parse", small, "--max-size", str(2**70)), "--max-size")  # no OverflowError
    # Raised, the cap lets the page through to the parser (which finds no article in it).
    one_line_error(dbp("parse", small, "--max-size", "100000"), "small.html", "not an article", status=1)


def test_replica_on_a_port_in_use_or_with_no_articles(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        one_line_error(dbp("replica", "--port", port, timeout=30), str(port), "cannot serve")
    finally:
        taken.close()
    one_line_error(dbp("replica", "--articles", "0", timeout=30), "--articles")
    one_line_error(dbp("replica", "--port", "70000", timeout=30), "--port")


def test_version():
    from crawler import __version__

    done = dbp("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"dbp-archive, version {__version__}"


def test_crawl_verbose_prints_its_own_progress_and_the_summary_stays_last(site, tmp_path):
    server, _ = site
    done = dbp("crawl", "--db", tmp_path / "a.db", "--start-url", server.url + "/", "-v",
               "-s", "DOWNLOAD_DELAY=0.01", "-s", "AUTOTHROTTLE_ENABLED=False",
               env={"DBP_PROGRESS_INTERVAL": "0.3"})
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if "progress:" in line]
    assert progress and all("fetched" in line and "queued" in line and "pages/min" in line for line in progress)
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) == 1 and done.stdout.startswith("crawl: 200 new")


def test_on_a_terminal_the_crawl_shows_a_live_status_line_on_stderr_only(site, tmp_path):
    import pty

    server, _ = site
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(tmp_path / "a.db"), "--start-url",
         server.url + "/", "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False"],
        stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the crawl closed its end
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = process.communicate(timeout=120)
    os.close(controller)
    assert process.returncode == 0
    assert b"\rprogress: " in seen or b"\r\x1b[Kprogress: " in seen  # rewritten in place
    assert b"Traceback" not in seen
    assert len(stdout.splitlines()) == 1 and stdout.startswith("crawl: 200 new")


# -- more of what a new user typed ------------------------------------------------------------------

def test_a_crawl_into_a_directory_that_does_not_exist_is_refused(tmp_path):
    one_line_error(dbp("crawl", "--db", tmp_path / "typo" / "archive.db", "--start-url", "http://127.0.0.1:9/"),
                   "typo", "no such directory")
    assert not (tmp_path / "typo").exists()


def test_export_names_the_archive_when_it_is_no_archive(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    one_line_error(dbp("export", "csv", "--db", tmp_path / "empty.db", "-o", tmp_path / "x.csv"), "empty.db", "empty")
    one_line_error(dbp("export", "csv", "--db", tmp_path, "-o", tmp_path / "x.csv"), str(tmp_path), "is a directory")
    one_line_error(dbp("export", "csv", "--db", "", "-o", tmp_path / "x.csv"), "--db ''", "an empty path")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("command", [["stats"], ["export", "csv", "-o", "x.csv"], ["history", "1"], ["upgrade"],
                                     ["reparse"], ["crawl", "--start-url", "http://127.0.0.1:9/"]])
def test_a_directory_or_an_empty_path_as_the_archive_reads_the_same_for_every_command(command, tmp_path):
    archives = tmp_path / "archives"
    archives.mkdir()
    done = dbp(*command, "--db", archives, cwd=tmp_path)
    one_line_error(done, f"{archives}: is a directory, not an archive")
    one_line_error(dbp(*command, "--db", "", cwd=tmp_path), "--db '': an empty path, not an archive")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archives"] and not list(archives.iterdir())


def test_an_empty_output_or_input_path_says_so(copy_archive, tmp_path):
    db = copy_archive()
    for command in (["export", "csv", "--db", db, "-o", ""], ["export", "warc", "--db", db, "-o", ""],
                    ["stats", "--db", db, "--png", ""], ["diff", "1", "--db", db, "--html", ""], ["parse", ""]):
        done = dbp(*command, cwd=tmp_path)
        one_line_error(done, "'': an empty path")
        assert "directory" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]


def test_upgrade_of_a_file_that_is_no_sqlite_names_it_once(tmp_path):
    (tmp_path / "notsqlite.db").write_text("just text\n")
    done = dbp("upgrade", "--db", "notsqlite.db", cwd=tmp_path)
    one_line_error(done, "notsqlite.db: cannot upgrade: not an SQLite archive")
    assert done.stderr.count("notsqlite.db") == 1, done.stderr
    one_line_error(dbp("reparse", "--db", "notsqlite.db", cwd=tmp_path), "notsqlite.db: not an SQLite archive")
    assert str(tmp_path) not in dbp("reparse", "--db", "notsqlite.db", cwd=tmp_path).stderr


def test_parse_refuses_binary_files_and_error_pages_as_no_articles(copy_archive, site):
    server, _ = site
    one_line_error(dbp("parse", copy_archive()), "archive.db", "not an HTML page", status=1)
    one_line_error(dbp("parse", server.url + "/tin-tuc/y-te/1/khong-co"), "HTTP 404", status=1)


def test_the_command_alone_shows_its_help(tmp_path):
    done = dbp()
    assert done.returncode == 2 and "Commands:" in done.stdout and "crawl" in done.stdout
    assert "Traceback" not in done.stderr


def test_replica_refuses_a_url_file_in_a_missing_directory(tmp_path):
    one_line_error(dbp("replica", "--url-file", tmp_path / "no" / "url.txt", timeout=30), "url.txt", "no such directory")


def test_replica_never_replaces_a_device_or_a_pipe_with_its_url_file(tmp_path):
    # The URL file is renamed into place: over /dev/full or a FIFO that would replace the node itself.
    fifo = tmp_path / "url.fifo"
    os.mkfifo(fifo)
    one_line_error(dbp("replica", "--url-file", fifo, "--force", timeout=30), str(fifo), "not a regular file")
    assert fifo.is_fifo()


def test_replica_names_its_url_file_when_it_cannot_write_it(tmp_path):
    # A name the file system takes but not with the temporary's suffix: the write itself fails (as
    # root, whom a read-only directory does not stop, would see it), and the line names the URL file.
    url_file = tmp_path / ("u" * 250)
    done = dbp("replica", "--url-file", url_file, "--port", "0", timeout=60)
    one_line_error(done, "--url-file", str(url_file), "cannot write")


def test_replica_never_writes_its_url_over_an_archive(tmp_path):
    """The URL file is rewritten on every start, but a slip of the finger (`--url-file archive.db`)
    must not turn an archive into one line of text."""
    from archive.db import Archive

    db = tmp_path / "archive.db"
    with Archive(db):
        pass
    before = db.read_bytes()
    one_line_error(dbp("replica", "--url-file", db, timeout=30), "archive.db", "SQLite")
    assert db.read_bytes() == before
    one_line_error(dbp("replica", "--url-file", "", timeout=30), "empty path")
    export = tmp_path / "articles.csv"  # a journalist's export is no URL file: refused, kept
    export.write_text("url,title\n")
    one_line_error(dbp("replica", "--url-file", export, timeout=30), "articles.csv", "--force")
    assert export.read_text() == "url,title\n"
    one_line_error(dbp("replica", "--url-file", db, "--force", timeout=30), "archive.db", "SQLite")


def test_upgrade_brings_an_old_archive_to_this_release_so_readers_can_read_it(tmp_path):
    from test_archive_migration import RELEASE_0_1

    db = tmp_path / "old.db"
    db.write_bytes(RELEASE_0_1.read_bytes())
    one_line_error(dbp("export", "csv", "--db", db, "-o", tmp_path / "x.csv"), "older release", "dbp-archive upgrade")
    done = dbp("upgrade", "--db", db)
    assert done.returncode == 0 and done.stdout.strip() == f"{db}: upgraded from schema 2 to {len(MIGRATIONS)}"
    assert dbp("upgrade", "--db", db).stdout.strip() == f"{db}: already at schema {len(MIGRATIONS)}"
    assert dbp("export", "csv", "--db", db, "-o", tmp_path / "x.csv").returncode == 0
    one_line_error(dbp("upgrade", "--db", tmp_path / "none.db"), "none.db", "no such archive")
    one_line_error(dbp("upgrade", "--db", tmp_path), str(tmp_path), "is a directory")


def test_an_export_to_a_device_or_pipe_writes_to_it_and_never_replaces_it(copy_archive, tmp_path):
    db = copy_archive()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
    done = dbp("export", "csv", "--db", db, "-o", pipe)
    received = reader.communicate(timeout=60)[0]
    assert done.returncode == 0, done.stderr
    assert received.decode("utf-8-sig").startswith("url,")
    assert pipe.is_fifo()  # still the pipe, not a file renamed over it
    assert not list(tmp_path.glob(".pipe.*"))


def test_the_summary_line_warns_when_a_field_went_missing_on_half_the_pages():
    from crawler.runner import CrawlSummary

    counts = {"new": 20}
    healthy = CrawlSummary(counts=counts, requests=21, seconds=1.0, home_ok=True, parsed=20,
                           missing={"view_count": 9})
    assert "warning" not in healthy.line()
    broken = CrawlSummary(counts=counts, requests=21, seconds=1.0, home_ok=True, parsed=20,
                          missing={"view_count": 9, "published_at": 20})
    assert "a field the page shows was not found: published_at on 20" in broken.line()
    assert "view_count" not in broken.line() and broken.exit_status == 0
    few = CrawlSummary(counts={"new": 3}, requests=4, seconds=1.0, home_ok=True, parsed=3, missing={"published_at": 3})
    assert "warning" not in few.line()  # three pages say too little about the site


def test_an_sqlite_file_of_other_tables_and_an_empty_file_are_no_archive(tmp_path):
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (x)")
    for args in (["upgrade", "--db", str(other)], ["export", "csv", "--db", str(other), "-o", str(tmp_path / "o.csv")],
                 ["crawl", "--db", str(other), "--start-url", "http://127.0.0.1:9/"]):
        one_line_error(dbp(*args), str(other), "an SQLite file of other tables (notes), not an archive")
    with sqlite3.connect(other) as connection:
        assert [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notes"]
    empty = tmp_path / "page.html"
    empty.write_bytes(b"")
    one_line_error(dbp("upgrade", "--db", str(empty)), str(empty), "an empty file, not an archive")
    assert empty.read_bytes() == b""


# -- an output stream that cannot be written ----------------------------------------------------------

def _run_into(stdout, *args):
    done = subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=180)
    done.stdout = ""  # it went to `stdout`
    return done


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full (a disk that is always full)")
def test_a_full_disk_under_stdout_is_one_line_and_the_crawl_is_kept(copy_archive, site, tmp_path):
    # `dbp-archive crawl … >> crawl.log` on a full disk: what the command did stays done, and the log's
    # other stream says so in one line, exit 2 (not 1, which says most fetches failed).
    db = copy_archive()
    server, _ = site
    with open("/dev/full", "w") as full:
        for args in (["--help"], ["search", "muong", "--db", db], ["history", "171925", "--db", db],
                     ["stats", "--db", db], ["stats", "--check", "--db", db]):
            one_line_error(_run_into(full, *args), "cannot write standard output", "No space left")
        crawled = tmp_path / "crawled.db"
        done = _run_into(full, "crawl", "--db", crawled, "--start-url", server.url, *FAST)
    one_line_error(done, "cannot write standard output")
    assert query(crawled, "SELECT count(*) FROM articles")[0][0] == 200
    assert query(crawled, "SELECT status FROM runs") == [("finished",)]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full (a disk that is always full)")
def test_a_full_disk_under_both_streams_still_exits_2_and_keeps_the_crawl(site, tmp_path):
    # `>> crawl.log 2>&1` on a full disk: no line can be written at all, so the status alone tells.
    server, _ = site
    crawled = tmp_path / "crawled.db"
    with open("/dev/full", "w") as full:
        for args in (["--help"], ["crawl", "--db", crawled, "--start-url", server.url, *FAST]):
            done = subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)], stdout=full,
                                  stderr=full, timeout=180)
            assert done.returncode == 2, args
    assert query(crawled, "SELECT count(*) FROM articles")[0][0] == 200


def test_a_reader_that_stops_reading_ends_the_command_quietly(copy_archive):
    # `dbp-archive export csv -o - | head -1`: no error line for a reader that has what it wanted, and
    # the README's status 1 ("the reader of its output went away").
    db = copy_archive()
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as closed:
        for args in (["export", "csv", "--db", db, "-o", "-"], ["search", "muong", "--db", db]):
            done = _run_into(closed, *args)
            assert (done.returncode, done.stderr) == (1, ""), args


# -- an article asked for by text that is no URL ------------------------------------------------------

@pytest.mark.parametrize("asked", ["http://[::1", "http://127.0.0.1:99999/tin-tuc/xa-hoi/1/a", "https://[oops/tin-bai/a/b"])
def test_an_address_that_is_no_url_is_no_such_article_for_every_command_that_finds_one(copy_archive, asked):
    db = copy_archive()
    for args in (["history", asked], ["show", asked], ["diff", asked], ["reparse", "--article", asked]):
        one_line_error(dbp(*args, "--db", db), asked, "no such article")


def test_parse_refuses_a_page_address_that_is_no_http_url(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Tin</h1></body></html>")
    one_line_error(dbp("parse", page, "--url", "http://[::1"), "--url", "http://[::1")
    for source, why in (("http://[::1", "IPv6"), ("http://127.0.0.1:99999/x", "port"),
                        ("ftp://example.com/x", "not an http:// or https:// URL")):
        one_line_error(dbp("parse", source), source, why)


def test_a_blank_article_or_a_version_past_any_row_is_refused_before_the_archive_is_read(copy_archive):
    db = copy_archive()
    runs = query(db, "SELECT count(*) FROM runs")
    for blank in ("", "   "):  # not "every article", as an absent --article is
        one_line_error(dbp("reparse", "--article", blank, "--db", db), "an empty URL or identity")
    (identity,), = query(db, "SELECT identity FROM articles LIMIT 1")
    huge = str(2**64)
    one_line_error(dbp("show", identity, "--version", huge, "--db", db), huge, "--version")
    one_line_error(dbp("diff", identity, "1", huge, "--db", db), huge)
    assert query(db, "SELECT count(*) FROM runs") == runs
