"""What an archive holds, in a form two archives can be compared by, and the checks that it is whole:
for the tests that interrupt the archive's writers (kills, a full disk) and compare the result with an
uninterrupted run's.

`archive_state` leaves out what legitimately differs between two runs of the same work: row ids, the
times of fetches and runs, the runs themselves, the observations (a killed crawl fetched some pages
twice) and how captures are compressed (the dictionaries depend on arrival order). It keeps what the
archive promises to keep: every article's state and current version, every version's content and
fingerprint, links, failures, captures (by sha256), aliases, the frontier, reparses, suspects and the
schema itself.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_VERSION_CONTENT = ("number", "change", "fingerprint", "fingerprint_scheme", "parser_version", "url", "canonical_url",
                    "title", "category", "published_at", "updated_at", "authors", "author_role", "source", "sapo",
                    "photo_credits", "images", "related", "raw", "warnings", "body_text", "body_html_zstd",
                    "search_text")

_TABLES = {
    "articles": "SELECT a.identity, a.site_id, a.url, a.state, a.gone_status, a.gone_reason, v.number, v.fingerprint,"
                " v.title, v.published_at, v.body_text FROM articles AS a"
                " LEFT JOIN versions AS v ON v.id = a.current_version_id ORDER BY a.identity",
    "versions": f"SELECT v.identity, {', '.join(f'v.{c}' for c in _VERSION_CONTENT)}, c.sha256 FROM versions AS v"
                " LEFT JOIN captures AS c ON c.id = v.capture_id ORDER BY v.identity, v.number",
    "links": "SELECT l.from_identity, v.number, l.position, l.to_identity, l.to_url, l.title FROM links AS l"
             " JOIN versions AS v ON v.id = l.version_id ORDER BY 1, 2, 3",
    "failures": "SELECT DISTINCT f.identity, f.error, o.url, o.status FROM failures AS f"
                " JOIN observations AS o ON o.id = f.observation_id ORDER BY 1, 2, 3, 4",
    "captures": "SELECT sha256, url, status, size FROM captures ORDER BY sha256",
    "state_changes": "SELECT DISTINCT identity, from_state, to_state, status, reason FROM state_changes ORDER BY 1, 2, 3",
    "aliases": "SELECT alias, identity, url FROM aliases ORDER BY alias",
    "identity_merges": "SELECT from_identity, into_identity, reason FROM identity_merges ORDER BY 1, 2",
    "pending links": "SELECT identity, url FROM frontier WHERE fetched_at IS NULL ORDER BY identity",
    "listing_walks": "SELECT category FROM listing_walks ORDER BY category",
    "reparses": "SELECT DISTINCT v.identity, v.number, r.parser_version, r.outcome, r.error FROM reparses AS r"
                " JOIN versions AS v ON v.id = r.version_id ORDER BY 1, 2, 3",
    "suspect_fetches": "SELECT o.identity, s.missing, c.sha256 FROM suspect_fetches AS s"
                       " JOIN observations AS o ON o.id = s.observation_id LEFT JOIN captures AS c ON c.id = s.capture_id"
                       " ORDER BY 1, 2, 3",
    "schema": "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
}


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True, timeout=30)


def archive_state(db: Path) -> dict[str, list[tuple]]:
    """Every table that matters, as rows that do not depend on ids or times (tables the file's
    schema lacks read as absent)."""
    connection = _connect(db)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        state: dict[str, list[tuple]] = {"user_version": connection.execute("PRAGMA user_version").fetchall()}
        for name, sql in _TABLES.items():
            needed = {"pending links": "frontier"}.get(name, name)
            if needed in tables or name == "schema":
                state[name] = connection.execute(sql).fetchall()
        return state
    finally:
        connection.close()


def differences(got: dict, expected: dict) -> list[str]:
    """The tables whose rows differ, each with a few of the rows on either side only."""
    found = []
    for name in sorted(set(got) | set(expected)):
        ours, theirs = got.get(name), expected.get(name)
        if ours != theirs:
            extra = [row for row in ours or [] if row not in (theirs or [])][:2]
            lacking = [row for row in theirs or [] if row not in (ours or [])][:2]
            found.append(f"{name}: {len(ours or [])} rows vs {len(theirs or [])}; only here {extra}; only there {lacking}")
    return found


def whole_problems(db: Path) -> list[str]:
    """What is wrong with the archive as a whole: SQLite's integrity and foreign keys, the search
    index, and any fetch half-recorded (a version without its links or capture, an article without
    its current version, a run whose counts disagree with its observations)."""
    connection = sqlite3.connect(db, timeout=30)
    try:
        problems = []
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
        if connection.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check found rows pointing nowhere")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "versions_fts" in tables:
            try:
                connection.execute("INSERT INTO versions_fts(versions_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index: {exc}")
        checks = {
            "articles without their current version": "SELECT count(*) FROM articles AS a LEFT JOIN versions AS v"
            " ON v.id = a.current_version_id WHERE v.identity IS NOT a.identity",
            "versions without all their links": "SELECT count(*) FROM versions AS v WHERE json_array_length(v.related)"
            " <> (SELECT count(*) FROM links AS l WHERE l.version_id = v.id)",
            "versions numbered with gaps": "SELECT count(*) FROM (SELECT identity FROM versions GROUP BY identity"
            " HAVING max(number) <> count(*))",
            "versions whose capture is missing": "SELECT count(*) FROM versions AS v WHERE v.capture_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM captures AS c WHERE c.id = v.capture_id)",
            "runs whose counts are not their observations'": "SELECT count(*) FROM runs AS r WHERE"
            " r.new + r.updated + r.reparsed + r.unchanged + r.not_modified + r.gone + r.failed"
            " <> (SELECT count(*) FROM observations AS o WHERE o.run_id = r.id)",
            "observations of a version that does not exist": "SELECT count(*) FROM observations AS o"
            " WHERE o.version_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM versions AS v WHERE v.id = o.version_id)",
        }
        for what, sql in checks.items():
            if not tables >= {"articles", "versions", "links", "runs", "observations"}:
                break
            if connection.execute(sql).fetchone()[0]:
                problems.append(what)
        return problems
    finally:
        connection.close()
