"""Every query of docs/cookbook.md, run on a crawled replica archive, checked against the tables
underneath (computed here in Python, not by the views the queries read)."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from archive.db import Archive

COOKBOOK = Path(__file__).parent.parent / "docs" / "cookbook.md"
QUERIES = {name: sql for sql, name in
           ((block, re.search(r"-- check: (\w+)", block).group(1))
            for block in re.findall(r"```sql\n(.*?)```", COOKBOOK.read_text(encoding="utf-8"), re.S))}


@pytest.fixture(scope="module")
def db(history_archive, tmp_path_factory):
    path = tmp_path_factory.mktemp("cookbook") / "archive.db"
    path.write_bytes(history_archive.read_bytes())
    Archive(path).close()  # brings it to this release's schema
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def current_versions(db):
    return db.execute("SELECT v.* FROM versions AS v JOIN articles AS a ON a.current_version_id = v.id").fetchall()


def columns(db, table):
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_every_query_has_a_check():
    assert set(QUERIES) == set(CHECKS), "a cookbook query without a check here, or the reverse"


def check_per_category(db, rows):
    expected = Counter(row[columns(db, "versions").index("category")] for row in current_versions(db))
    assert dict(rows) == dict(expected)


def check_edited(db, rows):
    edits = Counter(identity for (identity,) in db.execute("SELECT identity FROM versions WHERE change = 'edit'"))
    assert {identity: count for identity, _, count in rows} == dict(edits)
    assert rows, "the fixture's second crawl edits some articles"


def check_edit_fields(db, rows):
    names = columns(db, "versions")
    fields = ("title", "category", "published_at", "updated_at", "authors", "author_role", "source", "sapo",
              "body_text", "photo_credits", "images", "related")
    versions = {(row[names.index("identity")], row[names.index("number")]): row for row in db.execute("SELECT * FROM versions")}
    assert rows
    for identity, number, _, changed in rows:
        now, before = versions[(identity, number)], versions[(identity, number - 1)]
        assert json.loads(changed) == [f for f in fields if now[names.index(f)] != before[names.index(f)]]


def check_search(db, rows):
    names = columns(db, "versions")
    def tone_free(text: str) -> str:  # what the tokenizer does: case and tone marks folded, `đ` kept
        return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text.lower())
                                                    if not unicodedata.combining(ch)))

    expected = {row[names.index("identity")] for row in current_versions(db)
                if re.search(r"\bđien\W+bien\b", tone_free(" ".join(str(row[names.index(f)] or "") for f in
                                                                    ("title", "sapo", "body_text", "authors", "category"))))}
    assert {identity for identity, _ in rows} == expected and expected


def check_growth(db, rows):
    daily = defaultdict(dict)
    for identity, fetched_at, views in db.execute(
            "SELECT identity, fetched_at, view_count FROM observations WHERE identity IS NOT NULL AND view_count IS NOT NULL"):
        day = fetched_at[:10]
        daily[identity][day] = max(views, daily[identity].get(day, views))
    assert {(identity, day): views for identity, day, views, _ in rows} == \
        {(identity, day): views for identity, days in daily.items() for day, views in days.items()}


def check_most_linked(db, rows):
    counts = Counter(to for (to,) in db.execute(
        "SELECT to_identity FROM links JOIN articles ON articles.current_version_id = links.version_id"))
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
    assert [(identity, count) for identity, _, count in rows] == top and top


def check_health(db, rows):
    runs = db.execute("SELECT id, new + updated + reparsed + unchanged + not_modified + gone + failed, failed, parsed"
                      " FROM runs ORDER BY id").fetchall()
    assert [row[0] for row in rows] == [run[0] for run in runs]
    for row, run in zip(rows, runs):
        assert row[2:5] == run[1:4]
        missing = dict(db.execute("SELECT field, fetches FROM field_health WHERE run_id = ?", (run[0],)).fetchall())
        assert row[5] == round(missing.get("published_at", 0) / run[3], 3)


def check_takedowns(db, rows):
    gone = {identity for (identity,) in db.execute("SELECT identity FROM articles WHERE state = 'gone'")}
    assert {row[0] for row in rows} == gone and gone


CHECKS = {name[len("check_"):]: check for name, check in globals().items() if name.startswith("check_")}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_cookbook_query(db, name):
    CHECKS[name](db, db.execute(QUERIES[name]).fetchall())
