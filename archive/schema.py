"""The archive's schema: its tables, views and triggers, as a list of migrations.

`PRAGMA user_version` is the number of migrations applied; `archive.db.Archive` applies the missing
ones when it opens an older file. Column-by-column meaning is in `archive/SCHEMA.md`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Migration:
    """One step of the schema: SQL, and for the steps SQL cannot say alone, Python run between the
    SQL that prepares it (`sql`) and the SQL that follows it (`sql_after`), in the same transaction."""

    description: str
    sql: str
    upgrade: Callable[[sqlite3.Connection], None] | None = None
    sql_after: str = ""


def _no_delete_triggers(*tables: str) -> str:
    return "".join(
        f"CREATE TRIGGER {table}_are_never_deleted BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'the archive never deletes from {table}'); END;\n"
        for table in tables
    )


_JSON_LIST = "TEXT NOT NULL DEFAULT '[]' CHECK (json_valid({0}))"

_SCHEMA_1 = f"""
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    parser_version TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(settings)),
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    reparsed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    gone INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    requests INTEGER,
    stats TEXT CHECK (stats IS NULL OR json_valid(stats))
);

CREATE TABLE zstd_dictionaries (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    sample_pages INTEGER NOT NULL,
    sampled_through_capture_id INTEGER NOT NULL,
    size INTEGER NOT NULL,
    dictionary BLOB NOT NULL
);

CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    fetched_at TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(headers)),
    size INTEGER NOT NULL,
    stored_size INTEGER NOT NULL,
    dictionary_id INTEGER REFERENCES zstd_dictionaries(id),
    body BLOB NOT NULL
);

CREATE TABLE articles (
    identity TEXT PRIMARY KEY,
    site_id INTEGER,
    url TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'gone')),
    gone_status INTEGER,
    gone_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    last_checked_at TEXT NOT NULL,
    next_check_at TEXT NOT NULL,
    current_version_id INTEGER REFERENCES versions(id),
    view_count INTEGER,
    view_count_at TEXT,
    etag TEXT,
    last_modified TEXT
);
CREATE INDEX articles_by_next_check ON articles(next_check_at, identity);
CREATE INDEX articles_by_url ON articles(url);
CREATE INDEX articles_by_site_id ON articles(site_id, identity);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL REFERENCES articles(identity),
    number INTEGER NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('first', 'edit', 'parser', 'unverified')),
    fingerprint TEXT NOT NULL,
    parser_version TEXT NOT NULL,
    capture_id INTEGER REFERENCES captures(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT,
    published_at TEXT,
    updated_at TEXT,
    authors {_JSON_LIST.format('authors')},
    author_role TEXT,
    source TEXT,
    sapo TEXT,
    photo_credits {_JSON_LIST.format('photo_credits')},
    images {_JSON_LIST.format('images')},
    related {_JSON_LIST.format('related')},
    raw TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(raw)),
    warnings {_JSON_LIST.format('warnings')},
    body_text TEXT NOT NULL,
    body_html_zstd BLOB NOT NULL,
    UNIQUE (identity, number)
);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    identity TEXT REFERENCES articles(identity),
    fetched_at TEXT NOT NULL,
    url TEXT NOT NULL,
    redirected_from TEXT,
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN
        ('new', 'updated', 'reparsed', 'unchanged', 'not_modified', 'gone', 'failed')),
    view_count INTEGER,
    version_id INTEGER REFERENCES versions(id),
    capture_id INTEGER REFERENCES captures(id)
);
CREATE INDEX observations_by_article ON observations(identity, fetched_at);

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id),
    from_identity TEXT NOT NULL REFERENCES articles(identity),
    position INTEGER NOT NULL,
    to_identity TEXT NOT NULL,
    to_url TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX links_by_version ON links(version_id);
CREATE INDEX links_by_target ON links(to_identity);

CREATE TABLE failures (
    observation_id INTEGER PRIMARY KEY REFERENCES observations(id),
    identity TEXT,
    error TEXT NOT NULL
);

CREATE TABLE state_changes (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL REFERENCES articles(identity),
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    changed_at TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX state_changes_by_article ON state_changes(identity, changed_at);

CREATE VIEW article_current AS
SELECT a.identity, a.site_id, a.url, a.state, a.gone_status, a.gone_at,
       a.first_seen, a.last_seen, a.last_changed, a.next_check_at, a.view_count, a.view_count_at,
       v.id AS version_id, v.number AS version_number, v.change, v.parser_version,
       v.title, v.category, v.published_at, v.updated_at, v.authors, v.author_role, v.source,
       v.sapo, v.body_text,
       (SELECT count(*) FROM versions AS counted
         WHERE counted.identity = a.identity AND counted.change <> 'parser') AS version_count
  FROM articles AS a LEFT JOIN versions AS v ON v.id = a.current_version_id;

CREATE VIEW current_links AS
SELECT links.* FROM links JOIN articles ON articles.current_version_id = links.version_id;

{_no_delete_triggers("articles", "versions", "observations", "captures", "links", "runs",
                     "failures", "state_changes", "zstd_dictionaries")}
"""

# Which category listings a crawl has read to their end. Until one has, "a page with nothing new
# means the rest is known" does not hold: a killed or bounded first crawl leaves older pages unread.
_SCHEMA_2 = f"""
CREATE TABLE listing_walks (
    category TEXT PRIMARY KEY,
    completed_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
{_no_delete_triggers("listing_walks")}
"""

# What the archive recorded is history: these columns never change once written. The crawler still
# updates the others (a version's `last_seen`, an article's state and schedule, a run's counts).
# A capture's body may be rewritten once, when the first dictionary recompresses it (same bytes out).
_IMMUTABLE_COLUMNS_3: dict[str, tuple[str, ...]] = {
    "versions": ("id", "identity", "number", "change", "fingerprint", "parser_version", "capture_id",
                 "first_seen", "url", "canonical_url", "title", "category", "published_at", "updated_at",
                 "authors", "author_role", "source", "sapo", "photo_credits", "images", "related", "raw",
                 "warnings", "body_text", "body_html_zstd"),
    "observations": ("id", "run_id", "identity", "fetched_at", "url", "redirected_from", "status", "outcome",
                     "view_count", "version_id", "capture_id"),
    "captures": ("id", "sha256", "fetched_at", "url", "status", "headers", "size"),
    "links": ("id", "version_id", "from_identity", "position", "to_identity", "to_url", "title"),
    "failures": ("observation_id", "identity", "error"),
    "state_changes": ("id", "identity", "observation_id", "changed_at", "from_state", "to_state", "status"),
    "zstd_dictionaries": ("id", "created_at", "sample_pages", "sampled_through_capture_id", "size",
                          "dictionary"),
    "articles": ("identity", "site_id", "first_seen"),
    "runs": ("id", "started_at", "parser_version", "settings"),
}


def _no_rewrite_triggers(columns: dict[str, tuple[str, ...]]) -> str:
    return "".join(
        f"CREATE TRIGGER {table}_are_never_rewritten BEFORE UPDATE OF {', '.join(names)} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'the archive never rewrites what {table} recorded'); END;\n"
        for table, names in columns.items()
    )


_SCHEMA_3 = _no_rewrite_triggers(_IMMUTABLE_COLUMNS_3) + """
CREATE TRIGGER captures_are_recompressed_once BEFORE UPDATE OF body, stored_size, dictionary_id ON captures
WHEN OLD.dictionary_id IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the archive never rewrites what captures recorded'); END;
"""

# Schema 4: identities are host-free and merge through aliases; the frontier is durable; take-downs
# have a reason; versions say which fingerprint scheme made them.
_IMMUTABLE_COLUMNS_4: dict[str, tuple[str, ...]] = {
    **_IMMUTABLE_COLUMNS_3,
    "versions": (*_IMMUTABLE_COLUMNS_3["versions"], "fingerprint_scheme"),
    "state_changes": (*_IMMUTABLE_COLUMNS_3["state_changes"], "reason"),
    "identity_merges": ("id", "merged_at", "from_identity", "into_identity", "reason"),
    "aliases": ("alias", "url", "first_seen"),
}
# The columns naming an article, which only a merge (`archive.identities`) may move.
MOVED_BY_MERGES: dict[str, tuple[str, ...]] = {
    "versions": ("identity", "number"), "observations": ("identity",), "links": ("from_identity", "to_identity"),
    "failures": ("identity",), "state_changes": ("identity",), "articles": ("first_seen",),
    "aliases": ("identity",),
}
_MERGING = "EXISTS (SELECT 1 FROM identity_merges WHERE in_progress)"


def _fixed_columns(columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {table: tuple(c for c in names if c not in MOVED_BY_MERGES.get(table, ())) for table, names in columns.items()}


def _merge_guarded_triggers() -> str:
    fixed = _fixed_columns(_IMMUTABLE_COLUMNS_4)
    script = _no_rewrite_triggers(fixed)
    for table, columns in MOVED_BY_MERGES.items():
        script += (f"CREATE TRIGGER {table}_move_only_in_merges BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                   f"WHEN NOT {_MERGING} "
                   f"BEGIN SELECT RAISE(ABORT, 'the archive never rewrites what {table} recorded'); END;\n")
    script += ("CREATE TRIGGER articles_are_never_deleted BEFORE DELETE ON articles WHEN NOT EXISTS "
               "(SELECT 1 FROM identity_merges WHERE in_progress AND from_identity = OLD.identity) "
               "BEGIN SELECT RAISE(ABORT, 'the archive never deletes from articles'); END;\n")
    return script


_SCHEMA_4 = "".join(f"DROP TRIGGER {table}_are_never_rewritten;\n" for table in _IMMUTABLE_COLUMNS_3) + """
DROP TRIGGER articles_are_never_deleted;
ALTER TABLE versions ADD COLUMN fingerprint_scheme TEXT NOT NULL DEFAULT 'dbp-fingerprint/1';
ALTER TABLE articles ADD COLUMN gone_reason TEXT;
ALTER TABLE state_changes ADD COLUMN reason TEXT;
CREATE TABLE identity_merges (
    id INTEGER PRIMARY KEY,
    merged_at TEXT NOT NULL,
    from_identity TEXT NOT NULL,
    into_identity TEXT NOT NULL,
    reason TEXT NOT NULL,
    in_progress INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE aliases (
    alias TEXT PRIMARY KEY,
    identity TEXT NOT NULL REFERENCES articles(identity),
    url TEXT NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE INDEX aliases_by_identity ON aliases(identity);
CREATE TABLE frontier (
    identity TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    found_at TEXT NOT NULL,
    found_on TEXT,
    run_id INTEGER REFERENCES runs(id),
    fetched_at TEXT
);
CREATE INDEX frontier_pending ON frontier(fetched_at, found_at);
UPDATE articles SET gone_reason = CAST(gone_status AS TEXT) WHERE state = 'gone';
-- `version_count` counts editorial states: a version the same as the one before it (two identities of
-- one article, merged) is not another state, nor is a parser's re-reading.
DROP VIEW article_current;
CREATE VIEW article_current AS
SELECT a.identity, a.site_id, a.url, a.state, a.gone_status, a.gone_reason, a.gone_at,
       a.first_seen, a.last_seen, a.last_changed, a.next_check_at, a.view_count, a.view_count_at,
       v.id AS version_id, v.number AS version_number, v.change, v.parser_version,
       v.title, v.category, v.published_at, v.updated_at, v.authors, v.author_role, v.source,
       v.sapo, v.body_text,
       (SELECT count(*) FROM versions AS counted
         WHERE counted.identity = a.identity AND counted.change <> 'parser'
           AND NOT EXISTS (SELECT 1 FROM versions AS before
                            WHERE before.identity = counted.identity AND before.number = counted.number - 1
                              AND before.fingerprint = counted.fingerprint
                              AND before.fingerprint_scheme = counted.fingerprint_scheme)) AS version_count
  FROM articles AS a LEFT JOIN versions AS v ON v.id = a.current_version_id;
"""
_SCHEMA_4_AFTER = _merge_guarded_triggers() + _no_delete_triggers("identity_merges", "aliases", "frontier")


def _rekey(db: sqlite3.Connection) -> None:
    from archive.identities import rekey_to_current_rule
    from archive.times import to_iso

    rekey_to_current_rule(db, to_iso(datetime.now().astimezone()))


# Field health: per run, the parsed fetches that lacked a field a reader sees (`Article.missing`), so a
# redesign that hides a field from the parser shows up as a jump in one row.
_SCHEMA_5 = """
ALTER TABLE runs ADD COLUMN parsed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE field_health (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    field TEXT NOT NULL,
    fetches INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, field)
);
""" + _no_delete_triggers("field_health")


# Search and views for people. FTS5's tokenizer folds tone marks but never `đ`: `search_text` holds
# a version's words that have one, spelled with `d`, so an index that reads it finds `dang` for
# `Đảng` (`archive.search`); filled for older versions here, then immutable. The FTS tables are made
# after this step, on every writable open (`archive.search.ensure_index`), so an archive whose index
# went missing gets it back the same way.
_SCHEMA_6 = """
ALTER TABLE versions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Every capture a reparse read (`archive.reparse`): an interrupted reparse resumes from them.
CREATE TABLE reparses (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id),
    parser_version TEXT NOT NULL,
    reparsed_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('version', 'unchanged', 'failed')),
    error TEXT
);
CREATE INDEX reparses_by_version ON reparses(version_id, parser_version);
""" + _no_delete_triggers("reparses")
# (A copy, not `archive.records.CONTENT_FIELDS`: a migration writes what it wrote when it was made.)
_CHANGED_FIELDS = ("title", "category", "published_at", "updated_at", "authors", "author_role", "source", "sapo",
                   "body_text", "photo_credits", "images", "related")
# What schema 6 adds to the record: a version's `search_text` is written with it, and never again.
IMMUTABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    **_IMMUTABLE_COLUMNS_4, "versions": (*_IMMUTABLE_COLUMNS_4["versions"], "search_text"),
}
_SCHEMA_6_TRIGGERS = "DROP TRIGGER versions_are_never_rewritten;\n" + _no_rewrite_triggers(
    {"versions": _fixed_columns(IMMUTABLE_COLUMNS)["versions"]})
_SCHEMA_6_VIEWS = _SCHEMA_6_TRIGGERS + f"""
-- Each article with its current version, lists spelled out for people.
CREATE VIEW current_articles AS
SELECT a.identity, a.url, a.state, a.gone_reason, v.title, v.category,
       (SELECT group_concat(value, ', ') FROM json_each(v.authors)) AS authors,
       v.author_role, v.source, v.published_at, v.updated_at, a.view_count, a.view_count_at,
       a.first_seen, a.last_changed, a.last_seen, v.number AS version_number,
       (SELECT count(*) FROM versions AS counted WHERE counted.identity = a.identity AND counted.change = 'edit')
         AS edits,
       v.sapo, v.id AS version_id
  FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id;

-- Each version beside the one before it: which fields it changed (a JSON list; [] for a first version).
CREATE VIEW version_changes AS
SELECT v.id AS version_id, v.identity, v.number, v.change, v.parser_version, v.first_seen, v.last_seen,
       v.title, v.url,
       CASE WHEN p.id IS NULL THEN '[]' ELSE (SELECT json_group_array(name) FROM (
         {" UNION ALL ".join(f"SELECT '{field}' AS name WHERE p.{field} IS NOT v.{field}" for field in _CHANGED_FIELDS)}
       )) END AS changed_fields
  FROM versions AS v
  LEFT JOIN versions AS p ON p.identity = v.identity AND p.number = v.number - 1;

-- Views counted per article per day (the day's highest count), and the growth since the day before.
CREATE VIEW view_growth AS
SELECT identity, day, views, views - lag(views) OVER (PARTITION BY identity ORDER BY day) AS growth
  FROM (SELECT identity, substr(fetched_at, 1, 10) AS day, max(view_count) AS views
          FROM observations WHERE identity IS NOT NULL AND view_count IS NOT NULL
         GROUP BY identity, day);

-- The `Tin khác` graph of current versions, with titles at both ends (the target's own title when it
-- is archived, else the link's text).
CREATE VIEW link_graph AS
SELECT l.from_identity, fv.title AS from_title, l.position, l.to_identity,
       coalesce(tv.title, l.title) AS to_title, l.title AS link_title, l.to_url,
       tv.id IS NOT NULL AS to_archived
  FROM links AS l
  JOIN articles AS fa ON fa.current_version_id = l.version_id
  JOIN versions AS fv ON fv.id = l.version_id
  LEFT JOIN articles AS ta ON ta.identity = l.to_identity
  LEFT JOIN versions AS tv ON tv.id = ta.current_version_id;

-- Crawl health per run: fetches and their outcomes, and the share of parsed pages that lacked a field.
CREATE VIEW run_health AS
SELECT r.id AS run_id, r.started_at, r.finished_at, r.status, r.requests,
       r.new + r.updated + r.reparsed + r.unchanged + r.not_modified + r.gone + r.failed AS fetches,
       r.failed, r.parsed,
       {", ".join(f"round(coalesce((SELECT fetches FROM field_health AS h WHERE h.run_id = r.id AND h.field = '{field}'), 0)"
                  f" * 1.0 / nullif(r.parsed, 0), 3) AS missing_{field}"
                  for field in ("title", "published_at", "view_count", "body_text", "related", "encoding"))},
       (SELECT count(*) FROM observations AS o WHERE o.run_id = r.id AND o.version_id IS NOT NULL
           AND o.view_count IS NULL) AS fetches_without_views
  FROM runs AS r;
"""


def _fill_search_text(db: sqlite3.Connection) -> None:
    from archive.search import dyet_words

    rows = db.execute("SELECT id, title, sapo, body_text, authors, category FROM versions").fetchall()
    db.executemany("UPDATE versions SET search_text = ? WHERE id = ?", [(dyet_words(*row[1:]), row[0]) for row in rows])


# Schema 7: suspect fetches (`archive.suspects`): a page that reads as less than the current version
# (it lost the title, body or date, or stops before its end) is kept as a capture, not a version. Its
# observation is `failed` (a table beside it, not a new outcome: the outcome's CHECK would mean
# rebuilding `observations`, and "the fetch gave nothing to archive" is what `failed` says).
_SCHEMA_7 = """
CREATE TABLE suspect_fetches (
    observation_id INTEGER PRIMARY KEY REFERENCES observations(id),
    version_id INTEGER NOT NULL REFERENCES versions(id),
    capture_id INTEGER REFERENCES captures(id),
    missing TEXT NOT NULL
);
CREATE INDEX suspect_fetches_by_version ON suspect_fetches(version_id);
""" + _no_delete_triggers("suspect_fetches")
_SUSPECT_COLUMNS = ("observation_id", "version_id", "capture_id", "missing")
_SCHEMA_7 += _no_rewrite_triggers({"suspect_fetches": _SUSPECT_COLUMNS})
IMMUTABLE_COLUMNS = {**IMMUTABLE_COLUMNS, "suspect_fetches": _SUSPECT_COLUMNS}


# Indexes for the queries that read by run, by current version, by URL, by take-down and by merge:
# without them a run's changes, the run_health view, current_links, finding an article by a URL it
# once had, the take-downs in time order and an old identity's merge each scan a table that grows
# with every fetch (tests/test_query_plans.py plans every query the project runs).
_SCHEMA_8 = """
CREATE INDEX observations_by_run ON observations(run_id, outcome);
CREATE INDEX articles_by_current_version ON articles(current_version_id);
CREATE INDEX versions_by_url ON versions(url);
CREATE INDEX versions_by_canonical_url ON versions(canonical_url);
CREATE INDEX aliases_by_url ON aliases(url);
CREATE INDEX state_changes_by_change ON state_changes(to_state, changed_at);
CREATE INDEX identity_merges_by_source ON identity_merges(from_identity);
"""


# Schema 9: smaller indexes, for the same queries. An article's observations are few, so the index
# finds them by article alone and the reader sorts them by time: no fetch time (25 bytes) stored twice
# in every observation's index entry. A version's canonical URL is nearly always its URL: indexed only
# where it differs (a lookup by URL asks `url = :u OR (canonical_url = :u AND canonical_url <> url)`).
_SCHEMA_9 = """
DROP INDEX observations_by_article;
CREATE INDEX observations_by_article ON observations(identity);
DROP INDEX versions_by_canonical_url;
CREATE INDEX versions_by_other_canonical_url ON versions(canonical_url) WHERE canonical_url <> url;
"""

# Schema 10: the frontier's index holds only the links still pending (what a crawl asks for, oldest
# first), not one entry per link ever fetched.
_SCHEMA_10 = """
DROP INDEX frontier_pending;
CREATE INDEX frontier_pending ON frontier(found_at, identity) WHERE fetched_at IS NULL;
"""


MIGRATIONS: list[Migration] = [
    Migration("initial schema: articles, versions, observations, captures, links, runs, failures", _SCHEMA_1),
    Migration("listing_walks: category listings read to their end", _SCHEMA_2),
    Migration("recorded history is immutable: triggers refuse updates of content columns", _SCHEMA_3),
    Migration("host-free identities with aliases and merges, durable frontier, take-down reasons, "
              "fingerprint schemes", _SCHEMA_4, _rekey, _SCHEMA_4_AFTER),
    Migration("field health: per run, the parsed fetches that lacked each field a reader sees", _SCHEMA_5),
    Migration("search: versions.search_text (words with đ, spelled with d); reparses; views for people: current_articles, version_changes,"
              " view_growth, link_graph, run_health", _SCHEMA_6, _fill_search_text, _SCHEMA_6_VIEWS),
    Migration("suspect_fetches: fetches that read as less than the current version, kept as captures, not versions",
              _SCHEMA_7),
    Migration("indexes: observations by run, articles by current version, versions and aliases by URL, "
              "take-downs by time, merges by source", _SCHEMA_8),
    Migration("smaller indexes: observations by article alone, versions by a canonical URL only where it is not "
              "their URL", _SCHEMA_9),
    Migration("the frontier's index holds only pending links", _SCHEMA_10),
]


def statements(script: str) -> Iterator[str]:
    """The statements of a script, one by one (triggers' inner `;` included), for `execute` inside a
    transaction: `executescript` would commit first."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")
