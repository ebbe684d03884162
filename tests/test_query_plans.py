"""Every query the crawler, the CLI, the views and the cookbook run reads a large table through an
index, never by scanning it: what is quick at 20 000 articles must not be slow at a million.

The queries are collected, not listed by hand: every SQL string literal in `archive/*.py` (the
migrations aside), every statement the archive actually runs while it records fetches and answers
the readers' calls (traced, which catches the statements assembled from parts), the cookbook's and
the README's SQL blocks, Datasette's canned queries and a read of each view. Each goes through
`EXPLAIN QUERY PLAN` on a fresh archive (without `ANALYZE` statistics the planner chooses by the
schema alone, so the plans are the plans a million rows get). A `SCAN` of a large table fails,
unless the query is listed in `EXCEPTIONS` with its reason.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from archive import captures as archive_captures
from archive import datasette, history, stats
from archive.db import Archive
from crawler.article import SITE_TIME
from crawler.replica import Replica
from crawler.replica.fetches import article_fetch

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=SITE_TIME)
LARGE = {"articles", "versions", "observations", "captures", "links", "frontier", "aliases", "failures",
         "state_changes", "identity_merges", "reparses", "versions_fts",
         # the full-text indexes' own tables, a row per version each (read directly by the stale-index checks)
         "versions_fts_docsize", "versions_fts_data", "versions_title_fts_data"}
# Queries that read a whole table by nature, or stop after a few rows of a scan: (a regular
# expression the query, spaces collapsed, starts with; why). The views read whole are exempt too:
# every row of a view is every row of its tables; their filtered reads are checked.
EXCEPTIONS: list[tuple[str, str]] = [
    (r"SELECT identity FROM articles$", "known_identities: every identity, for tests and small archives"),
    (r"SELECT alias, identity FROM aliases$", "aliases(): every alias, by definition (the crawl looks them up one by one)"),
    (r"SELECT (\(SELECT )?count\(\*\)", "a total over a whole table (counts, stats)"),
    (r"SELECT count\(\*\), coalesce\(sum\(", "stats: totals over every article and version"),
    (r"SELECT (substr|v\.category|author\.value|versions, count)", "stats: counts over everything (per month, category, author)"),
    (r"SELECT \* FROM article_current ORDER BY site_id DESC", "the export of every article, in the order of an index"),
    (r"SELECT DISTINCT category FROM versions WHERE category IS NOT NULL$",
     "every category named, read only when a --category matched nothing, to name the closest"),
    (r"SELECT id, body FROM captures WHERE dictionary_id IS NULL", "captures stored before the first dictionary: once, at the fourth page"),
    (r"SELECT id FROM captures WHERE status BETWEEN 200 AND 299 ORDER BY id DESC LIMIT",
     "the latest pages for a dictionary: read backwards by rowid, it stops at the few it needs"),
    (r"SELECT identity FROM articles WHERE identity NOT GLOB", "migration 4's rekey of every id-less article"),
    (r"SELECT DISTINCT to_identity FROM links WHERE to_identity NOT GLOB", "migration 4's rekey of every link target"),
    (r".*\bversions_fts MATCH", "a search: the index (a virtual table) is read through its own index"),
    (r"SELECT frontier\.identity, frontier\.url, frontier\.found_on FROM frontier WHERE frontier\.fetched_at IS NULL",
     "pending links: read whole from the partial index frontier_pending, which holds only the pending ones"),
    (r"SELECT \* FROM (current_articles|version_changes|view_growth|link_graph|current_links|article_current|run_health)$",
     "a whole view"),
]
SQL_START = re.compile(r"^\s*(WITH|SELECT|INSERT|UPDATE|DELETE) ")  # the code writes SQL's words in capitals


def literal_queries() -> list[tuple[str, str]]:
    """(where, sql) of every SQL string literal in archive/*.py but the schema's migrations."""
    found = []
    for path in sorted((ROOT / "archive").glob("*.py")):
        if path.name == "schema.py":
            continue
        tree = ast.parse(path.read_text())
        in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if id(node) in in_fstrings:
                continue  # a piece of an f-string: the traced statements have it whole
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_START.match(node.value):
                # Whole statements only: a fragment (a CTE, a column list) is planned within its query.
                if "{" not in node.value and sqlite3.complete_statement(node.value + ";"):
                    found.append((f"{path.name}:{node.lineno}", node.value))
    return found


def block_queries(path: Path) -> list[tuple[str, str]]:
    text = path.read_text()
    found = []
    for block in re.findall(r"```sql\n(.*?)```", text, re.DOTALL):
        for statement in split_statements(block):
            found.append((path.name, statement))
    return found


def split_statements(block: str) -> list[str]:
    statements, pending = [], ""
    for line in block.splitlines(keepends=True):
        if line.strip().startswith("--") and not pending.strip():
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def view_queries(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    views = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    return [(f"view {view}", f"SELECT * FROM {view}") for view in views] + [
        ("view current_links by target", "SELECT * FROM current_links WHERE to_identity = ?"),
        ("view article_current by identity", "SELECT * FROM article_current WHERE identity = ?"),
        ("view version_changes by article", "SELECT * FROM version_changes WHERE identity = ?"),
        ("view view_growth by article", "SELECT * FROM view_growth WHERE identity = ?"),
        ("view link_graph by source", "SELECT * FROM link_graph WHERE from_identity = ?"),
        ("view run_health by run", "SELECT * FROM run_health WHERE run_id = ?"),
    ]


def traced_queries(path: Path) -> list[tuple[str, str]]:
    """The statements the archive runs while it records a small crawl's fetches (new, unchanged,
    edited, gone, failed, a dictionary review) and answers what the crawler and the CLI ask."""
    replica = Replica(seed=1, articles=12)
    ids = replica.live_ids()
    recorded, unseen = ids[:10], ids[10]
    seen: list[str] = []
    with Archive(path) as archive:
        archive._db.set_trace_callback(seen.append)
        run_id = archive.start_run({}, "1", started_at=T0)
        archive.record_fetches(run_id, [article_fetch(replica, i, T0 + timedelta(minutes=n))
                                        for n, i in enumerate(recorded)])
        while not (edited := [i for i in replica.advance().edited if i in recorded[1:]]):
            pass  # an edit of an archived article (the seeded clock makes one within a few days)
        at = T0 + timedelta(hours=1)
        archive.record_fetch(run_id, article_fetch(replica, recorded[0], at))  # unchanged but for counters
        archive.record_fetch(run_id, article_fetch(replica, edited[0], at))  # an edit
        archive.record_fetch(run_id, article_fetch(replica, recorded[2], at, status=404))
        archive.record_links_found(run_id, [replica.url_for(unseen)], replica.url_for(recorded[0]), T0)
        archive.record_listing_walk(run_id, "xa-hoi", T0)
        later = T0 + timedelta(days=2)
        list(archive.due_articles(later))
        list(archive.due_articles(later, recheck_all=True, limit=3))
        archive.pending_links()
        identity = str(recorded[3])
        archive.known_identity(identity, before=later)
        archive.is_due(identity, later)
        archive.resolve_identity(identity)
        archive.lookup(identity)
        archive.versions(identity)
        archive.observations(identity)
        archive.run_changes(run_id)
        archive.field_health(run_id)
        archive.walked_listings()
        archive.search("đổi mới")
        archive.search("doi moi")
        history.article_history(archive, history.find_article(archive, identity))
        stats.archive_stats(archive)
        archive.finish_run(run_id, {"requests": 13}, "finished")
        archive._review_dictionary(256, 1, "2025-03-01T09:00:00+07:00")
        archive._db.set_trace_callback(None)
    return [("traced", statement) for statement in dict.fromkeys(seen)
            if SQL_START.match(statement) and "sqlite_master" not in statement]


def canned_queries() -> list[tuple[str, str]]:
    return [(f"canned {name}", query["sql"]) for name, query in datasette.QUERIES.items()]


def scans(connection: sqlite3.Connection, sql: str) -> list[str]:
    """The plan's lines that scan a large table (its alias resolved by the query text)."""
    names = LARGE | {alias for table in LARGE
                     for alias in re.findall(rf"\b{table}\s+(?:AS\s+)?(\w+)", sql, re.IGNORECASE)}
    names -= {"ON", "WHERE", "JOIN", "USING", "LEFT", "ORDER", "GROUP", "SET", "WHERE", "VALUES", "AND"}
    plan = connection.execute(f"EXPLAIN QUERY PLAN {sql}", unbound(sql)).fetchall()
    return [row[3] for row in plan
            if (match := re.match(r"SCAN (\w+)", row[3])) and match.group(1) in names]


def unbound(sql: str):
    """NULL for each parameter: a plan does not depend on the values."""
    text = re.sub(r"'[^']*'", "''", sql)
    named = re.findall(r"(?<![\w:]):(\w+)", text)
    return dict.fromkeys(named) if named else [None] * text.count("?")


def exception_for(sql: str) -> str | None:
    flat = " ".join(sql.split())
    return next((reason for pattern, reason in EXCEPTIONS if re.match(pattern, flat)), None)


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "archive.db"
    queries = traced_queries(path)
    connection = sqlite3.connect(path)
    queries += literal_queries() + block_queries(ROOT / "docs" / "cookbook.md") + block_queries(ROOT / "README.md")
    queries += canned_queries() + view_queries(connection)
    yield connection, queries
    connection.close()


def test_the_collection_finds_the_queries_of_every_source(planned):
    _, queries = planned
    sources = {where.split(":")[0].split(" ")[0] for where, _ in queries}
    assert {"traced", "queries.py", "captures.py", "cookbook.md", "README.md", "canned", "view"} <= sources
    assert any("observations.run_id" in sql or "o.run_id" in sql for _, sql in queries)
    assert len(queries) > 100


def test_no_query_scans_a_large_table(planned):
    connection, queries = planned
    offenders = []
    for where, sql in queries:
        try:
            scanned = scans(connection, sql)
        except sqlite3.OperationalError as exc:
            if ".py:" in where and "incomplete input" in str(exc):
                continue  # a fragment of a query (a CTE): planned within the query that uses it
            pytest.fail(f"{where}: cannot plan {' '.join(sql.split())[:200]}: {exc}")
        if scanned and exception_for(sql) is None:
            offenders.append(f"{where}: {' '.join(sql.split())[:300]}\n    {'; '.join(scanned)}")
    assert not offenders, "full scans of large tables:\n" + "\n".join(offenders)


def test_a_missing_index_is_caught(planned, tmp_path):
    """The check can fail: without the index on observations.run_id the README's "last crawl"
    query scans the observations."""
    connection, _ = planned
    index = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations'"
                               " AND sql LIKE '%run_id%'").fetchone()
    assert index is not None
    copy = sqlite3.connect(":memory:")
    # The full-text indexes (virtual tables) and their shadow tables are left out: none is planned here.
    virtual = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    for name, sql in connection.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index')"
                                        " AND sql IS NOT NULL"):
        if any(name == table or name.startswith(f"{table}_") for table in virtual):
            continue
        if sql.startswith("CREATE INDEX") and index[0] in sql:
            continue
        copy.execute(sql)
    assert scans(copy, "SELECT * FROM observations WHERE run_id = (SELECT max(id) FROM runs)")


def test_the_dictionary_review_reads_captures_by_rowid(planned):
    connection, _ = planned
    plan = " ".join(row[3] for row in connection.execute(
        "EXPLAIN QUERY PLAN SELECT id, stored_size * 1.0 / size FROM captures"
        " WHERE id > ? AND id <= ? AND dictionary_id = ? AND status BETWEEN 200 AND 299 AND size > 0"
        " ORDER BY id DESC LIMIT ?", (0, 256, 1, 32)))
    assert "INTEGER PRIMARY KEY" in plan and "SCAN" not in plan
    assert archive_captures.DICTIONARY_REVIEW_WINDOWS * archive_captures.DICTIONARY_REVIEW_EVERY < 10_000


def test_a_search_checks_its_index_by_seeks_alone(planned):
    """Before it answers, a search checks its index is whole (`archive.search._disagreement`) without
    counting rows: every table it reads is read through a key, and only one row of each."""
    from archive import search

    connection, queries = planned
    traced = [sql for where, sql in queries if where == "traced"]
    assert search._LATEST_AND_HELD in traced  # what a search runs, so the plans above include it
    plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {search._LATEST_AND_HELD}")]
    reads = [line for line in plan if not line.startswith(("SCALAR SUBQUERY", "SCAN CONSTANT ROW"))]
    assert len(reads) == 4 and all(line.startswith("SEARCH ") for line in reads), plan
    assert "count(" not in search._LATEST_AND_HELD
