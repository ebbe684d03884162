"""One article, one identity: aliases, and the merge of two identities found to be one article.

An id-less article (`/tin-bai/{category}/{slug}`) changes identity when it is re-slugged or moved to
another category; the site answers the old URL with a 301, or the page names another canonical URL.
Every URL identity an article has answered at is an **alias** of its archive identity, so a later
link to either is the same article. When two archived articles turn out to be one (a redirect or a
canonical link joins them), `merge` moves the younger into the older: versions (renumbered in time
order), observations, links, failures and state changes keep every row; the merge itself is recorded
in `identity_merges`. History is otherwise immutable (`archive.schema`): the triggers let identity
columns move only while a merge is in progress, inside the same transaction.

The functions take an open connection inside a transaction: `archive.db.Archive` calls them on the
write path, and migration 4 calls them to re-key an archive written under the old identity rule.
"""

from __future__ import annotations

import sqlite3

from crawler import urls

# (table, column) pairs that name an article, moved by a merge.
IDENTITY_COLUMNS = (
    ("observations", "identity"), ("links", "from_identity"),
    ("links", "to_identity"), ("failures", "identity"), ("state_changes", "identity"),
    ("aliases", "identity"),
)
# What an article row says about its latest fetch; in a merge the more recently seen side's wins.
LATEST_STATE = ("url", "state", "gone_status", "gone_at", "gone_reason", "last_seen", "last_changed",
                "last_checked_at", "next_check_at", "current_version_id", "view_count", "view_count_at",
                "etag", "last_modified")


def resolve(db: sqlite3.Connection, identity: str | None) -> str | None:
    """The archive identity an identity (from a URL) stands for: itself, or what it is an alias of."""
    if identity is None:
        return None
    row = db.execute("SELECT identity FROM aliases WHERE alias = ?", (identity,)).fetchone()
    return row[0] if row else identity


def add_aliases(db: sqlite3.Connection, identity: str, found_urls, seen_at: str) -> None:
    """Record what each URL's identity stands for (the URL as an example); the first record wins."""
    rows = []
    for url in found_urls:
        alias = urls.identity_of(url)
        if alias and alias != identity:
            rows.append((alias, identity, url, seen_at))
    if rows:
        db.executemany("INSERT INTO aliases (alias, identity, url, first_seen) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (alias) DO NOTHING", rows)


def merge(db: sqlite3.Connection, source: str, target: str, reason: str, at: str) -> None:
    """Make `source` part of `target` (created from `source` when it does not exist yet)."""
    if source == target:
        return
    merge_id = db.execute(
        "INSERT INTO identity_merges (merged_at, from_identity, into_identity, reason) VALUES (?, ?, ?, ?)",
        (at, source, target, reason),
    ).lastrowid
    columns = [name for name in _article_columns(db) if name != "identity"]
    existing = db.execute("SELECT last_seen, first_seen FROM articles WHERE identity = ?", (target,)).fetchone()
    if existing is None:
        listed = ", ".join(columns)
        db.execute(f"INSERT INTO articles (identity, {listed}) SELECT ?, {listed} FROM articles WHERE identity = ?",
                   (target, source))
    else:
        moved = db.execute("SELECT last_seen, first_seen FROM articles WHERE identity = ?", (source,)).fetchone()
        if moved[0] > existing[0]:
            assignments = ", ".join(f"{name} = (SELECT {name} FROM articles WHERE identity = :source)"
                                    for name in LATEST_STATE)
            db.execute(f"UPDATE articles SET {assignments} WHERE identity = :target",
                       {"source": source, "target": target})
        db.execute("UPDATE articles SET first_seen = min(first_seen, ?) WHERE identity = ?", (moved[1], target))
    # Negative numbers until renumbered: (identity, number) is unique.
    db.execute("UPDATE versions SET identity = ?, number = -id WHERE identity = ?", (target, source))
    for table, column in IDENTITY_COLUMNS:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (target, source))
    db.execute("UPDATE frontier SET fetched_at = coalesce(fetched_at, ?) WHERE identity = ?", (at, source))
    _renumber_versions(db, target)
    db.execute("DELETE FROM articles WHERE identity = ?", (source,))
    if urls.identity_of(source) in (None, source):  # a rule-form identity is worth keeping as an alias
        db.execute("INSERT INTO aliases (alias, identity, url, first_seen) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (alias) DO UPDATE SET identity = excluded.identity",
                   (source, target, source, at))
    db.execute("UPDATE identity_merges SET in_progress = 0 WHERE id = ?", (merge_id,))


def _renumber_versions(db: sqlite3.Connection, identity: str) -> None:
    """Versions 1, 2, … in the order their content was first seen (two passes: numbers are unique)."""
    ids = [row[0] for row in db.execute(
        "SELECT id FROM versions WHERE identity = ? ORDER BY first_seen, id", (identity,))]
    db.execute("UPDATE versions SET number = -id WHERE identity = ?", (identity,))
    db.executemany("UPDATE versions SET number = ? WHERE id = ?", [(n, vid) for n, vid in enumerate(ids, 1)])


def rekey_to_current_rule(db: sqlite3.Connection, at: str) -> None:
    """Migration 4: id-less identities were whole URLs (host, scheme and all); the rule is now the
    canonical path. Articles that the old rule split (one per host or scheme) merge into one; link
    targets follow."""
    old = [row[0] for row in db.execute(
        "SELECT identity FROM articles WHERE identity NOT GLOB '[0-9]*' ORDER BY first_seen, identity")]
    for identity in old:
        new = urls.identity_of(identity) or urls.canonical_path(identity)
        merge(db, identity, new, "identity rule: host-free canonical path", at)
    targets = [row[0] for row in db.execute("SELECT DISTINCT to_identity FROM links WHERE to_identity NOT GLOB '[0-9]*'")]
    for old_target in targets:
        new_target = urls.link_identity(old_target)
        if new_target != old_target:
            db.execute("UPDATE links SET to_identity = ? WHERE to_identity = ?", (new_target, old_target))


def _article_columns(db: sqlite3.Connection) -> list[str]:
    """The `articles` table's columns as the file has them (a merge copies a row whole, whatever
    migrations added), read by sqlite-utils' introspection on this same connection: no plugins, and
    SQLite's trigger settings left as the archive set them."""
    import sqlite_utils  # here: a merge is rare, and the import is not small

    return list(sqlite_utils.Database(db, recursive_triggers=False, execute_plugins=False)["articles"].columns_dict)
