"""The archive: one SQLite file, and the package that speaks SQL to it, split by concern:
`archive.schema` (tables, triggers, migrations), this module (opening, transactions, the write path),
`archive.captures` (raw responses), `archive.runs` (crawls and the frontier), `archive.queries`
(the reading side), `archive.identities` (aliases and merges), `archive.search` (the full-text
index), `archive.reparse`, `archive.suspects`, and the exports' `archive.exports`,
`archive.web_archive` and `archive.selection`.

Every statement the project runs against the archive lives in these modules, so the schema
(documented column by column in `archive/SCHEMA.md`) has one owner. The file is opened in WAL mode (an export or an archivist's
query can read while a crawl writes), with foreign keys enforced and a busy timeout (two cron jobs that
overlap wait for each other instead of failing). The schema is versioned with `PRAGMA user_version`:
`archive.schema.MIGRATIONS` lists the steps, and opening an older file applies the missing ones in one transaction.

`record_fetch` is the write path: one fetch, one transaction; `record_fetches` records a batch in one
transaction, each fetch exactly as `record_fetch` would. A kill at any moment leaves each fetch
either whole or absent, and nothing already archived is ever deleted or rewritten (triggers refuse
it). What a fetch needs computed from itself alone (hashes, fingerprint, the version row's values)
is `archive.prepared`, which another process can run before the writer takes the lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.article import Article
from crawler.items import PageFetch

from archive import identities, schedule, schema, search
from archive.captures import CaptureStore
from archive.compression import Codec, decompress_markup
from archive.fingerprint import FINGERPRINT_SCHEME, fingerprint
from archive.prepared import VERSION_COLUMNS, PreparedFetch, prepared, version_values
from archive.queries import CURRENT, ArchiveQueries
from archive.reparse import ReparseStore
from archive.runs import RunStore
from archive.suspects import SuspectStore, error_line
from archive.records import (  # re-exported: the archive's API is `archive.db`
    GONE_STATUSES,
    ArchiveDamaged,
    ArchiveError,
    ArchiveNeedsUpgrade,
    NotAnArchive,
    ArchiveTooNew,
    ArticleState,
    Change,
    DueArticle,
    Outcome,
)
from archive.schema import Migration  # re-exported
from archive.times import from_iso, to_iso, to_iso_or_none
from crawler import urls

__all__ = ["Archive", "ArchiveDamaged", "ArchiveError", "ArchiveNeedsUpgrade", "ArchiveTooNew", "ArticleState", "Change",
           "DueArticle", "GONE_STATUSES", "Migration", "Outcome", "Reparse"]

BUSY_TIMEOUT_SECONDS = 30.0
PAGE_SIZE = 2048  # bytes, for new archives (SQLite's default is 4096)
SQLITE_HEADER = b"SQLite format 3\x00"
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")  # files SQLite keeps beside an archive
# `verify` runs SQLite's quick_check (it reads every page) on files up to this size: a second or so.
QUICK_CHECK_MAX_BYTES = 512 * 1024 * 1024

Reparse = Callable[[bytes, str, dict], Article]
"""Parses a stored capture again: (body, url, headers) → Article. Passed in by the pipeline, so the
archive can tell a parser upgrade from an edit without importing the parser."""


@dataclass
class _Recorded:
    """What recording one fetch did, for its observation row."""

    outcome: Outcome
    identity: str | None = None  # the archived article the fetch concerns, if any
    version_id: int | None = None
    capture_id: int | None = None
    state_change: tuple[str, str] | None = None  # (from_state, to_state)
    error: str | None = None
    reason: str | None = None  # why it went (`gone_reason`), for a take-down
    suspect: tuple[int, list[str]] | None = None  # (current version id, what the page lacked): `archive.suspects`




class Archive(ArchiveQueries, CaptureStore, ReparseStore, SuspectStore, RunStore):
    """The archive file. Use as a context manager, or call `close()`.

    `reparse`, when given, re-parses a stored capture with the running parser; `record_fetch` uses it
    to tell a parser upgrade from an editorial edit (see `Change`). `readonly=True` opens for reading
    only (exports) and refuses a file that would need migrating.
    """

    def __init__(self, path: str | Path, *, reparse: Reparse | None = None, readonly: bool = False,
                 verify: bool = False, busy_timeout: float = BUSY_TIMEOUT_SECONDS):
        self.path = Path(path)
        self.readonly = readonly
        self._reparse = reparse
        self._codec = Codec()
        self._dictionaries_this_transaction: list[int] = []
        # The runs' counts a transaction's fetches add, written once at its commit: (run id, column) → n.
        self._run_counts: dict[tuple[int, str], int] = {}
        self._field_counts: dict[tuple[int, str], int] = {}
        # Outcomes counted earlier in the run that a later fetch showed wrong: (was, is), for the
        # crawl's own counters (`take_recounted`); the runs row is mended in the same transaction.
        self._recounted: list[tuple[str, str]] = []
        self._latest_dictionary: list[int | None] = []  # [id] once read in this transaction
        if verify:
            _check_header(self.path)
        try:
            self._db = self._connect(busy_timeout)
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._db.execute("PRAGMA foreign_keys = ON")
            if verify:
                self._quick_check()
            if not readonly:
                # Takes effect only on a new file (and a VACUUM): most rows are a few kilobytes of
                # text or compressed page, and smaller pages waste less of the last one they fill.
                self._db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                self._db.execute("PRAGMA journal_mode = WAL")
                # With WAL, NORMAL still never corrupts; a power cut may lose the last commits, a kill not.
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            # Whether this open had to build or refill the search index (`upgrade` says so).
            self.search_rebuilt = False if readonly else search.ensure_index(self._db)
        except sqlite3.DatabaseError as exc:
            if getattr(self, "_db", None) is not None:
                self._db.close()
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise ArchiveDamaged(f"{self.path}: damaged: {exc}") from exc
            raise

    def _connect(self, busy_timeout: float) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        uri = self.path.resolve().as_uri()
        try:
            connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout, isolation_level=None)
            connection.execute("PRAGMA user_version").fetchone()
            return connection
        except sqlite3.OperationalError:
            # A WAL file on read-only media: SQLite cannot make its shared-memory index beside it. With no
            # log left to replay (a crawl that ended cleanly empties it), the file alone is the archive.
            if _has_log(self.path) or not self.path.is_file():
                raise
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=busy_timeout, isolation_level=None)

    def _quick_check(self) -> None:
        if self.path.stat().st_size > QUICK_CHECK_MAX_BYTES:
            self._db.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # reads the schema at least
            return
        problems = [" ".join(row[0].split()) for row in self._db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise ArchiveDamaged(f"{self.path}: damaged: SQLite's quick_check says: {'; '.join(problems)}")

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> Archive:
        return cls(path, **options)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(schema.MIGRATIONS):
            raise ArchiveTooNew(f"{self.path}: schema version {version}, this code knows {len(schema.MIGRATIONS)}")
        if version == len(schema.MIGRATIONS):
            return
        if version == 0:
            # Schema 0 is a new, empty file. An SQLite file of someone else's with tables in it is
            # no archive to build ours beside.
            foreign = [row[0] for row in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4")]
            if foreign:
                raise NotAnArchive(f"{self.path}: an SQLite file of other tables ({', '.join(foreign)}), not an archive")
        if self.readonly:
            raise ArchiveNeedsUpgrade(
                f"{self.path}: written by an older release (schema {version}, this one reads {len(schema.MIGRATIONS)}); "
                f"`dbp-archive upgrade --db {self.path}` brings it up to date (the next crawl would too)")
        with self._transaction():
            # Read again under the write lock: another process may have migrated while we waited.
            version = self.schema_version
            self._db.execute("PRAGMA defer_foreign_keys = ON")  # a merge moves rows before their article
            for number, migration in enumerate(schema.MIGRATIONS[version:], start=version + 1):
                for statement in schema.statements(migration.sql):
                    self._db.execute(statement)
                if migration.upgrade is not None:
                    migration.upgrade(self._db)
                for statement in schema.statements(migration.sql_after):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so a transaction never fails half-way for a lock.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._write_run_counts()
        except BaseException:
            self._db.execute("ROLLBACK")
            self._recounted.clear()
            for dictionary_id in self._dictionaries_this_transaction:
                self._codec.forget_dictionary(dictionary_id)
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._dictionaries_this_transaction.clear()
            self._run_counts.clear()
            self._field_counts.clear()
            self._latest_dictionary.clear()

    # -- the write path ------------------------------------------------------------------------------

    def record_fetch(self, run_id: int | None, fetch: PageFetch | PreparedFetch) -> Outcome:
        """Record one fetch, in one transaction; returns what it meant (an `Outcome`)."""
        item = prepared(fetch)  # before the write lock is taken
        with self._transaction():
            return self._record_fetch(run_id, item)

    def record_fetches(self, run_id: int | None, fetches: Iterable[PageFetch | PreparedFetch]) -> list[Outcome]:
        """Record many fetches in one transaction, each exactly as `record_fetch` would (a batch of
        the crawl's, a bulk load); a failure of any leaves none of them recorded. Fetches prepared
        already (`archive.prepared.prepare`, perhaps in another process) skip that work here."""
        items = [prepared(fetch) for fetch in fetches]
        with self._transaction():
            return [self._record_fetch(run_id, item) for item in items]

    def _record_fetch(self, run_id: int | None, item: PreparedFetch) -> Outcome:
        fetch = item.fetch
        fetched_at = to_iso(fetch.fetched_at)
        identity = self._identity_of(fetch, fetched_at, run_id)
        current = self._db.execute(CURRENT, (identity,)).fetchone() if identity else None
        gone_reason = _gone_reason(fetch)
        if fetch.status == 304:
            recorded = self._record_not_modified(fetch, fetched_at, current)
        elif gone_reason is not None:
            recorded = self._record_gone(fetch, fetched_at, current, gone_reason)
        elif 200 <= fetch.status < 300 and fetch.article is not None:
            recorded = self._record_article(item, fetched_at, current)
        else:
            recorded = self._record_failure(fetch, fetched_at, current)
        self._write_observation(run_id, fetch, fetched_at, recorded, identity_hint=identity)
        if fetch.article is not None and recorded.identity is not None:
            identities.add_aliases(self._db, recorded.identity,
                                   (fetch.requested_url, fetch.url, fetch.article.canonical_url), fetched_at)
            self._add_to_frontier([link.url for link in fetch.article.related], fetch.url, fetched_at, run_id)
        if (fetch.article is not None and fetch.identity and recorded.identity
                and fetch.identity != recorded.identity and self._archived(fetch.identity)):
            self._reschedule_moved(fetch.identity, fetch.fetched_at)
        if identity is not None and (recorded.outcome is not Outcome.FAILED or gone_reason is not None):
            # Under every identity the fetch answered for: a link may have named an old slug.
            answered = {identity, fetch.identity, urls.identity_of(fetch.requested_url), urls.identity_of(fetch.url)}
            self._db.executemany("UPDATE frontier SET fetched_at = ? WHERE identity = ? AND fetched_at IS NULL",
                                 [(fetched_at, each) for each in answered if each])
        if run_id is not None:
            key = (run_id, recorded.outcome.value)
            self._run_counts[key] = self._run_counts.get(key, 0) + 1
            if fetch.article is not None:
                self._count_field_health(run_id, fetch.article.missing)
        return recorded.outcome

    def _identity_of(self, fetch: PageFetch, fetched_at: str, run_id: int | None = None) -> str | None:
        """The archive identity a fetch concerns, through aliases. A page that answers for an
        archived article under another identity (a re-slug's redirect, a canonical link) is that
        article; when both are archived already they are merged, into the one seen first."""
        requested = identities.resolve(self._db, fetch.identity or urls.identity_of(fetch.requested_url))
        if fetch.article is None or not 200 <= fetch.status < 300:
            return requested or identities.resolve(self._db, urls.identity_of(fetch.url))
        found = identities.resolve(self._db, fetch.article.identity)
        if requested is None or requested == found or not self._archived(requested):
            return found
        if requested.isdigit() and found.isdigit():
            return found  # two ids are two articles: the site redirected one id to another
        if not self._archived(found):
            return requested
        first, second = sorted((requested, found), key=self._first_seen)
        recount = self._recount_of_merged(run_id, second, first)
        identities.merge(self._db, second, first, f"{fetch.requested_url} answered as {fetch.url}", fetched_at)
        if recount is not None:
            self._recount(run_id, "new", recount)
        return first

    def _first_seen(self, identity: str) -> tuple[str, str]:
        return (self._db.execute("SELECT first_seen FROM articles WHERE identity = ?", (identity,)).fetchone()[0],
                identity)

    def _record_article(self, item: PreparedFetch, fetched_at: str, current: sqlite3.Row | None) -> _Recorded:
        fetch, article, new_fingerprint = item.fetch, item.fetch.article, item.fingerprint
        if current is None:
            return self._record_new_article(item, fetched_at)

        identity = current["identity"]
        current_fingerprint = self._current_fingerprint(current)
        missing = self._suspect_missing(current, fetch.body, article, lambda: new_fingerprint != current_fingerprint)
        if missing:  # a half-read page never makes a version
            return self._record_failure(fetch, fetched_at, current, suspect=missing)
        state_change = ("gone", "live") if current["state"] == "gone" else None
        last_changed = current["last_changed"]
        if new_fingerprint == current_fingerprint:
            outcome = Outcome.UNCHANGED
            version_id = current["current_version_id"]
            # Bodies of unchanged fetches are kept when byte-identical to one stored already, and when
            # their cleaned markup differs from the version's (a later parser may find what this one
            # missed); otherwise they differ in counters and chrome only, which the observation row
            # records (view_count) or nobody needs, and storing them would cost kilobytes per fetch.
            capture_id = self._capture_id_for(item.body_sha256)
            if capture_id is None and self._markup_differs(version_id, fetch.article.body_html):
                capture_id = self._store_capture(fetch, fetched_at, item.body_sha256)
            self._db.execute("UPDATE versions SET last_seen = ? WHERE id = ?", (fetched_at, version_id))
        else:
            capture_id = self._store_capture(fetch, fetched_at, item.body_sha256)
            change, rederived = self._classify_change(current, item, current_fingerprint)
            if rederived is not None:
                # The old capture read by the new parser, as its own version, so that the edit
                # version after it differs from its predecessor by the edit alone.
                self._insert_version(
                    identity, rederived, fingerprint(rederived), Change.PARSER, current["capture_id"],
                    current["version_first_seen"], current["version_last_seen"],
                )
            version_id = self._insert_version(identity, article, new_fingerprint, change, capture_id,
                                              fetched_at, fetched_at, values=item.version_values)
            outcome = Outcome.REPARSED if change is Change.PARSER else Outcome.UPDATED
            if change is not Change.PARSER:
                last_changed = fetched_at
        self._mark_seen(identity, fetch, fetched_at, version_id, last_changed, current)
        return _Recorded(outcome, identity, version_id, capture_id, state_change)

    def _record_new_article(self, item: PreparedFetch, fetched_at: str) -> _Recorded:
        fetch = item.fetch
        article = fetch.article
        identity = article.identity
        capture_id = self._store_capture(fetch, fetched_at, item.body_sha256)
        # The first version's change time is the article's own, when it says so and is not in the future.
        own_time = to_iso_or_none(article.updated_at or article.published_at)
        last_changed = min(own_time, fetched_at) if own_time else fetched_at
        self._db.execute(
            "INSERT INTO articles (identity, site_id, url, first_seen, last_seen, last_changed,"
            " last_checked_at, next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (identity, article.article_id, fetch.url, fetched_at, fetched_at, last_changed, fetched_at, fetched_at),
        )
        version_id = self._insert_version(identity, article, item.fingerprint, Change.FIRST, capture_id,
                                          fetched_at, fetched_at, number=1, values=item.version_values)
        self._mark_seen(identity, fetch, fetched_at, version_id, last_changed)
        return _Recorded(Outcome.NEW, identity, version_id, capture_id)

    def _current_fingerprint(self, current: sqlite3.Row) -> str:
        """The current version's fingerprint under today's scheme: stored when made by it, else
        recomputed from the stored fields, so a new scheme never reads as an edit (like with like)."""
        if current["fingerprint_scheme"] == FINGERPRINT_SCHEME:
            return current["fingerprint"]
        return fingerprint(self.version_article(current["current_version_id"]))

    def _markup_differs(self, version_id: int, body_html: str) -> bool:
        row = self._db.execute("SELECT body_text, body_html_zstd FROM versions WHERE id = ?", (version_id,)).fetchone()
        return decompress_markup(row["body_html_zstd"], row["body_text"]) != body_html

    def _classify_change(self, current: sqlite3.Row, item: PreparedFetch,
                         current_fingerprint: str) -> tuple[Change, Article | None]:
        """Why the fingerprint moved: the rule in SCHEMA.md ("Edits and parser upgrades").

        Returns the change and, for an edit seen across a parser upgrade, the current version as the
        new parser reads it (to be archived first, as a `parser` version)."""
        fetch, new_fingerprint = item.fetch, item.fingerprint
        if item.body_sha256 is not None and item.body_sha256 == current["capture_sha256"]:
            return Change.PARSER, None  # the very same bytes cannot have been edited
        if fetch.article.parser_version == current["parser_version"]:
            return Change.EDIT, None
        rederived = self._rederive(current["capture_id"])
        if rederived is None:
            return Change.UNVERIFIED, None
        rederived_fingerprint = fingerprint(rederived)
        if rederived_fingerprint == new_fingerprint:
            return Change.PARSER, None
        if rederived_fingerprint == current_fingerprint:
            return Change.EDIT, None
        return Change.EDIT, rederived

    def _rederive(self, capture_id: int | None) -> Article | None:
        """The stored capture parsed by the running parser; None when there is no parser or it fails."""
        if self._reparse is None or capture_id is None:
            return None
        row = self._db.execute("SELECT url, headers FROM captures WHERE id = ?", (capture_id,)).fetchone()
        try:
            return self._reparse(self.capture_body(capture_id), row["url"], json.loads(row["headers"]))
        except Exception:  # noqa: BLE001 - any failure of the parser means "cannot tell", never a crash
            return None

    def _record_not_modified(self, fetch: PageFetch, fetched_at: str, current: sqlite3.Row | None) -> _Recorded:
        if current is None:
            # Nothing archived to be "not modified" from: a failure to retry, not an unchanged article.
            return _Recorded(Outcome.FAILED, error="HTTP 304 for an article not in the archive")
        identity = current["identity"]
        version_id = current["current_version_id"]
        self._db.execute("UPDATE versions SET last_seen = ? WHERE id = ?", (fetched_at, version_id))
        self._mark_seen(identity, fetch, fetched_at, version_id, current["last_changed"], current)
        state_change = ("gone", "live") if current["state"] == "gone" else None
        return _Recorded(Outcome.NOT_MODIFIED, identity, version_id, None, state_change)

    def _record_gone(self, fetch: PageFetch, fetched_at: str, current: sqlite3.Row | None,
                     reason: str) -> _Recorded:
        capture_id = self._store_capture(fetch, fetched_at) if fetch.body is not None else None
        if current is None:
            # A dead link to something never archived: nothing went, so it is a failure with a reason.
            return _Recorded(Outcome.FAILED, capture_id=capture_id,
                             error=f"{_GONE_REASONS[reason]}: no archived article at this URL")
        identity = current["identity"]
        next_check = schedule.next_check_at(fetch.fetched_at, None, gone=True)
        # Content, versions and the URL stay; only the state and the schedule move.
        self._db.execute(
            "UPDATE articles SET state = 'gone', gone_status = ?, gone_reason = ?, gone_at = coalesce(gone_at, ?),"
            " last_checked_at = ?, next_check_at = ?, etag = NULL, last_modified = NULL WHERE identity = ?",
            (fetch.status, reason, fetched_at, fetched_at, to_iso(next_check), identity),
        )
        state_change = ("live", "gone") if current["state"] == "live" else None
        return _Recorded(Outcome.GONE, identity, None, capture_id, state_change, reason=reason)

    def _record_failure(self, fetch: PageFetch, fetched_at: str, current: sqlite3.Row | None,
                        suspect: list[str] | None = None) -> _Recorded:
        capture_id = self._store_capture(fetch, fetched_at) if fetch.body is not None else None
        if suspect:
            error = error_line(suspect, current["current_version"])
        elif fetch.error:
            error = fetch.error
        elif 200 <= fetch.status < 300:
            error = "the page did not parse as an article"
        else:
            error = f"HTTP {fetch.status}"
        if current is None:
            return _Recorded(Outcome.FAILED, capture_id=capture_id, error=error)
        next_check = schedule.next_check_at(fetch.fetched_at, from_iso(current["last_changed"]), failed=True,
                                            gone=current["state"] == "gone")
        self._db.execute(
            "UPDATE articles SET last_checked_at = ?, next_check_at = ? WHERE identity = ?",
            (fetched_at, to_iso(next_check), current["identity"]),
        )
        return _Recorded(Outcome.FAILED, current["identity"], None, capture_id, error=error,
                         suspect=(current["current_version_id"], suspect) if suspect else None)

    def _mark_seen(self, identity: str, fetch: PageFetch, fetched_at: str, version_id: int,
                   last_changed: str, previous: sqlite3.Row | None = None) -> None:
        """The article answered (200 or 304): it is live, current at `version_id`, scheduled anew.
        What this answer does not say (a 304 has no view count, maybe no validators) stays `previous`."""
        headers = {name.lower(): value for name, value in fetch.headers.items()}
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        if fetch.status == 304 and previous is not None:
            etag, last_modified = etag or previous["etag"], last_modified or previous["last_modified"]
        view_count = fetch.article.view_count if fetch.article is not None else None
        view_count_at = fetched_at
        if view_count is None and previous is not None:
            view_count, view_count_at = previous["view_count"], previous["view_count_at"]
        next_check = schedule.next_check_at(fetch.fetched_at, from_iso(last_changed))
        self._db.execute(
            "UPDATE articles SET url = ?, state = 'live', gone_status = NULL, gone_reason = NULL, gone_at = NULL, last_seen = ?,"
            " last_changed = ?, last_checked_at = ?, next_check_at = ?, current_version_id = ?,"
            " view_count = ?, view_count_at = ?, etag = ?, last_modified = ? WHERE identity = ?",
            (fetch.url, fetched_at, last_changed, fetched_at, to_iso(next_check), version_id,
             view_count, view_count_at if view_count is not None else None, etag, last_modified, identity),
        )

    def _reschedule_moved(self, old_identity: str, fetched_at: datetime) -> None:
        """The URL of a known article now serves another one (a redirect by id): check it on schedule
        rather than at once again, without calling it seen."""
        row = self._db.execute("SELECT last_changed FROM articles WHERE identity = ?", (old_identity,)).fetchone()
        if row is None:
            return
        next_check = schedule.next_check_at(fetched_at, from_iso(row["last_changed"]))
        self._db.execute(
            "UPDATE articles SET last_checked_at = ?, next_check_at = ? WHERE identity = ?",
            (to_iso(fetched_at), to_iso(next_check), old_identity),
        )

    def _write_observation(self, run_id: int | None, fetch: PageFetch, fetched_at: str,
                           recorded: _Recorded, *, identity_hint: str | None) -> None:
        view_count = fetch.article.view_count if fetch.article is not None and recorded.identity else None
        redirected_from = fetch.requested_url if fetch.requested_url != fetch.url else None
        cursor = self._db.execute(
            "INSERT INTO observations (run_id, identity, fetched_at, url, redirected_from, status, outcome,"
            " view_count, version_id, capture_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, recorded.identity, fetched_at, fetch.url, redirected_from, fetch.status,
             recorded.outcome.value, view_count, recorded.version_id, recorded.capture_id),
        )
        observation_id = cursor.lastrowid
        if recorded.error is not None:
            self._db.execute(
                "INSERT INTO failures (observation_id, identity, error) VALUES (?, ?, ?)",
                (observation_id, identity_hint, recorded.error),
            )
        if recorded.suspect is not None:
            self._record_suspect_row(observation_id, recorded.suspect[0], recorded.capture_id, recorded.suspect[1])
        if recorded.state_change is not None:
            from_state, to_state = recorded.state_change
            self._db.execute(
                "INSERT INTO state_changes (identity, observation_id, changed_at, from_state, to_state, status, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (recorded.identity, observation_id, fetched_at, from_state, to_state, fetch.status, recorded.reason),
            )

    def _insert_version(self, identity: str, article: Article, article_fingerprint: str, change: Change,
                        capture_id: int | None, first_seen: str, last_seen: str, *, number: int | None = None,
                        values: tuple | None = None) -> int:
        """`number`: the version's number when the caller knows it (1, for an article just created).
        `values`: the article's `archive.prepared.version_values`, when prepared already."""
        if values is None:
            values = version_values(article)
        if number is None:
            number = self._db.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM versions WHERE identity = ?", (identity,)
            ).fetchone()[0]
        cursor = self._db.execute(_INSERT_VERSION, (identity, number, change.value, article_fingerprint,
                                                    FINGERPRINT_SCHEME, capture_id, first_seen, last_seen, *values))
        version_id = cursor.lastrowid
        self._db.executemany(
            "INSERT INTO links (version_id, from_identity, position, to_identity, to_url, title)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(version_id, identity, position, urls.link_identity(link.url), link.url, link.title)
             for position, link in enumerate(article.related, start=1)],
        )
        return version_id



_INSERT_VERSION = (
    "INSERT INTO versions (identity, number, change, fingerprint, fingerprint_scheme, capture_id, first_seen,"
    f" last_seen, {', '.join(VERSION_COLUMNS)}) VALUES ({', '.join('?' * (8 + len(VERSION_COLUMNS)))})")

_GONE_REASONS = {"404": "HTTP 404", "410": "HTTP 410", "soft-404": "a 'not found' page",
                 "redirect-home": "a redirect to the home page", "redirect-listing": "a redirect to a listing"}


def _gone_reason(fetch: PageFetch) -> str | None:
    """Why a fetch says its article is gone (`articles.gone_reason`), or None: a 404/410, a "not
    found" page served with 200 (soft-404), or the article's URL now leading to the home page or a
    category listing."""
    if fetch.status in GONE_STATUSES:
        return str(fetch.status)
    if fetch.article is not None or not 200 <= fetch.status < 300:
        return None
    if fetch.page_kind == "error":
        return "soft-404"
    if fetch.requested_url != fetch.url and fetch.page_kind in ("home", "listing"):
        return f"redirect-{fetch.page_kind}"
    return None


def schema_version_of(path: str | Path) -> int:
    """The schema version a file holds (`PRAGMA user_version`), read without changing it."""
    _check_header(Path(path))
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ArchiveDamaged(f"{path}: damaged: {exc}") from None
    finally:
        connection.close()


def _check_header(path: Path) -> None:
    """An existing, non-empty file must start as every SQLite database does (an empty one is new)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    if header and header != SQLITE_HEADER:
        raise ArchiveDamaged(f"{path}: not an SQLite archive (it does not start with the SQLite header)")


def _has_log(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0

