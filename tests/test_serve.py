"""`dbp-archive serve`: Datasette over a crawled archive, as an archivist uses it.

A real headless Chromium (Debian's `chromium` and `chromedriver`) types a word without tone marks into
the versions table's search box and opens an article's history. Those tests skip with a reason where
the browser is missing, except under CI (CI=true), where `.ci/run` installs it and a skip would hide a
broken page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive.datasette import LICENCE_NOTE, TABLES
from archive.db import Archive
from tests.clirun import dbp, one_line_error, query

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def require_programs(*paths: str, install: str) -> None:
    """Skip, with a reason, when a program a test drives is missing; under CI, fail instead."""
    missing = [path for path in paths if not os.access(path, os.X_OK)]
    if not missing:
        return
    message = f"{', '.join(missing)} missing; apt-get install {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (.ci/run should have installed it)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def archive_db(history_archive, tmp_path_factory) -> Path:
    """The crawled replica's archive, at this release's schema (opening it writable once migrates it)."""
    db = tmp_path_factory.mktemp("serve") / "archive.db"
    shutil.copyfile(history_archive, db)
    Archive(db).close()  # the last connection to close folds the log into the file an immutable reader sees
    return db


class Served:
    def __init__(self, process: subprocess.Popen, base: str):
        self.process, self.base = process, base

    def url(self, path: str, **params: str) -> str:
        return f"{self.base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")

    def json(self, path: str, **params: str):
        with urllib.request.urlopen(self.url(path, **params), timeout=30) as response:
            return json.loads(response.read())


def start_serving(db: Path) -> Served:
    """`dbp-archive serve` on a free port, once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", "0"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = process.stderr.readline()  # "Serving … read-only at http://127.0.0.1:PORT/archive (Ctrl-C stops)"
    if " read-only at http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"serve did not start: {line}{process.stderr.read()}")
    server = Served(process, line.split(" at ", 1)[1].split()[0].rsplit("/", 1)[0])
    for _ in range(400):  # Datasette starts up on its first request
        try:
            server.json("/-/versions.json")
            return server
        except OSError:
            time.sleep(0.05)
    return server


def stop(server: Served) -> int:
    server.process.send_signal(signal.SIGINT)  # as Ctrl-C
    try:
        return server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        raise


@pytest.fixture(scope="module")
def served(archive_db):
    server = start_serving(archive_db)
    yield server
    stop(server)


def fold(text: str) -> str:
    """Text as a reader types it without tone marks: lower case, marks dropped, `đ` as `d`."""
    marks_apart = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("\u00f0", "d"))
    return "".join(char for char in marks_apart if not unicodedata.combining(char))


def _tone_less_word(archive_db: Path) -> tuple[str, str, str]:
    """(identity, current title, a word of that title as a reader types it without tone marks) for an
    edited article: the rarest such word across the archive, so the article heads the first page."""
    rows = query(archive_db, "SELECT a.identity, v.title FROM articles AS a"
                             " JOIN versions AS v ON v.id = a.current_version_id"
                             " WHERE (SELECT count(*) FROM versions AS e WHERE e.identity = a.identity) > 1")
    candidates = []
    for identity, title in rows:
        for word in title.split():
            word = word.strip(",.:;!?\"'()")
            typed = fold(word)
            if len(typed) >= 4 and typed.isalpha() and typed != word.lower():
                uses = query(archive_db, "SELECT count(*) FROM versions_fts WHERE versions_fts MATCH ?",
                             f'"{typed}"')[0][0]
                # a word with đ first: the tokenizer drops tone marks by itself, đ only through search_text
                candidates.append(("đ" not in word.lower(), uses, identity, title, typed))
    assert candidates, "the replica should have an edited article with tone marks in its title"
    _, _, identity, title, typed = min(candidates)
    return identity, title, typed


# -- the command's refusals ---------------------------------------------------------------------------

def test_missing_empty_and_foreign_files_are_refused_in_one_line(tmp_path):
    one_line_error(dbp("serve", "--db", tmp_path / "nothing.db"), "nothing.db", "no such archive")
    (tmp_path / "empty.db").touch()
    one_line_error(dbp("serve", "--db", tmp_path / "empty.db"), "empty.db", "empty")
    (tmp_path / "notes.txt").write_text("not a database\n" * 20)
    one_line_error(dbp("serve", "--db", tmp_path / "notes.txt"), "notes.txt")
    with sqlite3.connect(tmp_path / "other.db") as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    one_line_error(dbp("serve", "--db", tmp_path / "other.db"), "other.db", "not an archive")


def test_a_port_in_use_is_refused_in_one_line(archive_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = dbp("serve", "--db", archive_db, "--port", port, timeout=60)
    one_line_error(done, f"127.0.0.1:{port}", "in use")
    one_line_error(dbp("serve", "--db", archive_db, "--host", "no-such-host.invalid", timeout=60),
                   "no-such-host.invalid", "cannot serve there")


def test_a_stale_search_index_is_served_with_a_warning_naming_the_repair(archive_db, tmp_path):
    """serve cannot mend a stale index (it never writes), but its search pages would miss articles
    without a word: it says so, and the command that rebuilds it."""
    import sqlite3

    stale = tmp_path / "archive.db"
    shutil.copyfile(archive_db, stale)
    with sqlite3.connect(stale) as connection:
        connection.execute("INSERT INTO versions_fts(versions_fts) VALUES('delete-all')")
    connection.close()
    server = start_serving(stale)
    stop(server)
    warning, *_ = server.process.stderr.read().splitlines()  # the next line after "Serving …"
    assert warning.startswith("dbp-archive serve: warning: ") and "dbp-archive upgrade --db" in warning, warning
    healthy = start_serving(archive_db)
    stop(healthy)
    assert "warning" not in healthy.process.stderr.read()


def test_ctrl_c_stops_it_as_an_interruption(archive_db):
    server = start_serving(archive_db)
    assert server.json("/archive.json")["database"] == "archive"
    assert stop(server) == 130
    assert server.process.stderr.read().strip() == "dbp-archive: interrupted"


# -- metadata -----------------------------------------------------------------------------------------

def _shown_tables(db: Path) -> dict[str, list[str]]:
    """Every table and view Datasette lists, with its columns: all but SQLite's own and the full-text
    index's shadow tables (`versions_fts_data`, …), which Datasette hides."""
    names = [name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
    virtual = [name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    shown = [name for name in names if not any(name.startswith(f"{v}_") for v in virtual)]
    # table_xinfo, as Datasette reads columns: generated columns too; hidden=1 are a virtual table's own
    return {name: [row[1] for row in query(db, f'PRAGMA table_xinfo("{name}")') if row[6] != 1] for name in shown}


def test_every_table_and_view_has_a_description_and_every_column_a_label(archive_db):
    shown = _shown_tables(archive_db)
    assert {"versions", "article_current", "versions_fts"} <= set(shown)
    undescribed = [name for name in shown if not TABLES.get(name, {}).get("description")]
    assert not undescribed, f"tables and views without a description: {undescribed}"
    unlabelled = [f"{name}.{column}" for name, columns in shown.items() for column in columns
                  if not TABLES[name].get("columns", {}).get(column)]
    assert not unlabelled, f"columns without a label: {unlabelled}"
    stale = [f"{name}.{column}" for name, meta in TABLES.items() if name in shown
             for column in meta.get("columns", {}) if column not in shown[name]]
    assert not stale, f"labels for columns the archive does not have: {stale}"


def test_the_served_metadata_carries_the_licence_and_the_labels(served):
    metadata = served.json("/-/metadata.json")
    assert "Báo Điện Biên Phủ" in metadata["title"]
    assert LICENCE_NOTE in metadata["description"] and "Báo Điện Biên Phủ" in metadata["license"]
    versions = served.json("/archive/versions.json", _size="1")
    assert versions["columns"][0] == "id"
    with urllib.request.urlopen(served.url("/archive/versions"), timeout=30) as response:
        page = response.read().decode()
    assert TABLES["versions"]["columns"]["change"] in page  # the column's label, shown on its table page


# -- canned queries and search over HTTP ---------------------------------------------------------------

def test_canned_history_lists_an_edited_articles_versions(served, archive_db):
    identity, title, _ = _tone_less_word(archive_db)
    rows = served.json("/archive/article_history.json", article=identity, _shape="array")
    expected = query(archive_db, "SELECT number, change, title FROM versions WHERE identity = ? ORDER BY number", identity)
    assert [(row["number"], row["change"], row["title"]) for row in rows] == expected
    assert json.loads(rows[0]["changed_fields"]) == [] and json.loads(rows[-1]["changed_fields"]), rows
    assert rows[-1]["title"] == title
    # the same history asked by the URL the article answered at
    url = query(archive_db, "SELECT url FROM articles WHERE identity = ?", identity)[0][0]
    assert served.json("/archive/article_history.json", article=url, _shape="array") == rows


def test_canned_search_folds_and_never_reads_syntax(served, archive_db):
    identity, title, word = _tone_less_word(archive_db)
    found = served.json("/archive/search.json", q=word, _shape="array")
    assert identity in [row["identity"] for row in found]
    assert title in [row["title"] for row in found]
    exact = served.json("/archive/search.json", q=title.split()[0], _shape="array")
    assert exact, "a word typed with its tone marks finds articles too"
    for hostile in ('"unbalanced', "NEAR(", "-", "a:b", "*", "AND OR NOT"):
        assert isinstance(served.json("/archive/search.json", q=hostile, _shape="array"), list), hostile


def test_canned_period_and_author_queries(served, archive_db):
    edits = served.json("/archive/edits_in_period.json", since="2000-01-01", until="2100-12-31", _shape="array")
    expected = query(archive_db, "SELECT count(*) FROM versions WHERE change = 'edit'")[0][0]
    assert len(edits) == expected > 0 and all(json.loads(row["changed_fields"]) for row in edits)
    assert served.json("/archive/edits_in_period.json", since="1999-01-01", until="1999-12-31", _shape="array") == []
    viewed = served.json("/archive/most_viewed.json", since="", until="", _shape="array")
    counts = [row["view_count"] for row in viewed]
    assert counts and counts == sorted(counts, reverse=True)
    author = query(archive_db, "SELECT json_each.value FROM versions, json_each(versions.authors) LIMIT 1")[0][0]
    by_author = served.json("/archive/articles_by_author.json", author=author, _shape="array")
    assert by_author and all(author in row["authors"] for row in by_author)


def test_the_versions_table_search_finds_dang_bo_as_dang_bo_with_its_marks(served, archive_db):
    """The issue's own example, through Datasette's table search (no configuration: it finds versions_fts)."""
    def holding_dang_bo(sql):
        return {row[0] for row in query(archive_db, sql)
                if {"dang", "bo"} <= set(re.findall(r"\w+", fold(" ".join(map(str, row[1:])))))}

    rows = served.json("/archive/versions.json", _search="dang bo", _col="title", _shape="array", _size="max")
    marked = {version_id for (version_id,) in query(archive_db, "SELECT id FROM versions WHERE title LIKE '%Đảng bộ%'")}
    assert marked and marked <= {row["id"] for row in rows}
    assert {row["id"] for row in rows} == holding_dang_bo(
        "SELECT id, title, sapo, body_text, authors, category FROM versions")  # those, and only those
    current = served.json("/archive/article_current.json", _search="dang bo", _col="identity", _shape="array",
                          _size="max")  # the view's search box, through fts_pk = version_id
    assert {row["identity"] for row in current} == holding_dang_bo(
        "SELECT identity, title, sapo, body_text, authors, category FROM article_current WHERE version_id IS NOT NULL")


# -- in a real browser --------------------------------------------------------------------------------

@pytest.fixture
def browser():
    require_programs(CHROMIUM, CHROMEDRIVER, install="chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_chromium_searches_without_tone_marks_and_opens_the_history(served, archive_db, browser, tmp_path):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    # A form's submit navigates after the click returns: wait for the new page, reading elements afresh
    # each time (those of the page before go stale).
    def wait_for(condition):
        return WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda driver: condition())

    def results() -> str:
        return browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text

    identity, title, word = _tone_less_word(archive_db)
    assert word.isascii() and word not in title.lower()  # the page must find it through the folding
    browser.get(served.url("/archive/versions"))
    box = browser.find_element(By.ID, "_search")
    box.send_keys(word)
    box.send_keys(Keys.ENTER)
    wait_for(lambda: f"_search={urllib.parse.quote_plus(word)}" in browser.current_url)
    assert wait_for(lambda: title in results())

    browser.get(served.url("/archive"))
    browser.find_element(By.LINK_TEXT, "An article's history").click()
    field = wait_for(lambda: browser.find_element(By.NAME, "article"))
    field.send_keys(identity)
    browser.find_element(By.CSS_SELECTOR, "form.sql input[type=submit]").click()
    wait_for(lambda: f"article={urllib.parse.quote_plus(identity)}" in browser.current_url)
    versions = query(archive_db, "SELECT number, change, title FROM versions WHERE identity = ? ORDER BY number", identity)
    assert len(versions) >= 2
    lines = wait_for(lambda: [line.text for line in browser.find_elements(
        By.CSS_SELECTOR, "table.rows-and-columns tbody tr")] or None)
    assert len(lines) == len(versions)
    for line, (_, change, version_title) in zip(lines, versions):
        assert change in line and version_title in line

    screenshot = tmp_path / "history.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
