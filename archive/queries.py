"""The archive's reading side: what every part of the project asks the archive, as a mixin of
`archive.db.Archive` (which owns the connection, `self._db`). Read-only opens use only these."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime

from crawler.article import Article, Image, RelatedLink

from archive import identities
from archive import search as _search
from archive.compression import decompress_markup
from archive.records import ArticleState, DueArticle
from archive.times import from_iso, to_iso

DUE_BATCH = 500  # rows per query while walking due articles

CURRENT = """
SELECT a.*, v.number AS current_version, v.fingerprint, v.fingerprint_scheme, v.parser_version, v.capture_id,
       v.first_seen AS version_first_seen, v.last_seen AS version_last_seen, c.sha256 AS capture_sha256
  FROM articles AS a
  LEFT JOIN versions AS v ON v.id = a.current_version_id
  LEFT JOIN captures AS c ON c.id = v.capture_id
 WHERE a.identity = ?
"""


class ArchiveQueries:
    _db: sqlite3.Connection

    # -- search --------------------------------------------------------------------------------------

    def search(self, query: str, filters: _search.SearchFilters | None = None) -> list[dict]:
        """Ranked matches of a reader's query (`archive.search.search`); `BadQuery` for one that
        cannot be searched for, `ArchiveError` when the archive has no search index yet."""
        _search.require_index(self._db)
        return _search.search(self._db, query, filters or _search.SearchFilters())

    def categories(self) -> Iterator[str]:
        """Every category a version names, each once, as the read first meets it: no index holds
        categories, so it reads every version, unless the caller stops at the one it looks for. For a
        `--category` that matched nothing, to name the closest (`archive.selection.closest_categories`)."""
        for (name,) in self._db.execute("SELECT DISTINCT category FROM versions WHERE category IS NOT NULL"):
            yield name

    # -- runs ----------------------------------------------------------------------------------------

    def run(self, run_id: int) -> dict | None:
        row = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return dict(row) if row else None

    def field_health(self, run_id: int | None = None) -> dict:
        """{"parsed": fetches the run parsed, "missing": {field: fetches that lacked it}} for a run
        (the latest by default)."""
        run_id = run_id if run_id is not None else self.latest_run_id()
        row = self._db.execute("SELECT parsed FROM runs WHERE id = ?", (run_id,)).fetchone()
        missing = dict(self._db.execute(
            "SELECT field, fetches FROM field_health WHERE run_id = ? ORDER BY field", (run_id,)).fetchall())
        return {"run_id": run_id, "parsed": row[0] if row else 0, "missing": missing}

    def walked_listings(self) -> set[str]:
        """Categories whose listing some crawl has read to its last page."""
        return {row[0] for row in self._db.execute("SELECT category FROM listing_walks")}

    def latest_run_id(self) -> int | None:
        row = self._db.execute("SELECT max(id) FROM runs").fetchone()
        return row[0]

    def run_changes(self, run_id: int) -> list[dict]:
        """What a run found that was not there before: new and updated articles, take-downs and
        parser re-readings, with each article's title (its latest version's) — for people."""
        return [dict(row) for row in self._db.execute(
            "SELECT observations.outcome, observations.identity, observations.url, observations.status,"
            " article_current.title, article_current.version_count"
            " FROM observations JOIN article_current USING (identity)"
            " WHERE observations.run_id = ? AND observations.outcome IN ('new', 'updated', 'gone', 'reparsed')"
            " ORDER BY observations.outcome, observations.id", (run_id,),
        )]

    # -- the frontier and aliases -------------------------------------------------------------------

    def pending_links(self, limit: int | None = None) -> list[tuple[str, str, str | None]]:
        """(identity, url, found_on) of links found and never fetched, oldest first: a run fetches
        them first."""
        query = ("SELECT frontier.identity, frontier.url, frontier.found_on FROM frontier"
                 " WHERE frontier.fetched_at IS NULL"
                 " AND NOT EXISTS (SELECT 1 FROM articles WHERE articles.identity = frontier.identity)"
                 " AND NOT EXISTS (SELECT 1 FROM aliases WHERE aliases.alias = frontier.identity)"
                 " ORDER BY found_at, frontier.identity")
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return [(row[0], row[1], row[2]) for row in self._db.execute(query)]

    def aliases(self) -> dict[str, str]:
        """Every alias → the archive identity it stands for."""
        return {row[0]: row[1] for row in self._db.execute("SELECT alias, identity FROM aliases")}

    # -- articles ------------------------------------------------------------------------------------

    def lookup(self, identity: str) -> ArticleState | None:
        row = self._db.execute(CURRENT, (identity,)).fetchone()
        if row is None:
            return None
        return ArticleState(
            identity=row["identity"], site_id=row["site_id"], url=row["url"], state=row["state"],
            gone_status=row["gone_status"], gone_at=from_iso(row["gone_at"]),
            first_seen=from_iso(row["first_seen"]), last_seen=from_iso(row["last_seen"]),
            last_changed=from_iso(row["last_changed"]), last_checked_at=from_iso(row["last_checked_at"]),
            next_check_at=from_iso(row["next_check_at"]), view_count=row["view_count"],
            view_count_at=from_iso(row["view_count_at"]), etag=row["etag"], last_modified=row["last_modified"],
            current_version_id=row["current_version_id"], current_version=row["current_version"],
            fingerprint=row["fingerprint"], parser_version=row["parser_version"], capture_id=row["capture_id"],
        )

    def known_identities(self) -> set[str]:
        """Every archived identity, as a set: for tests and small archives (a crawl asks
        `known_identity` link by link instead)."""
        return {row[0] for row in self._db.execute("SELECT identity FROM articles")}

    def known_identity(self, identity: str, before: datetime | None = None) -> bool:
        """Whether the archive holds `identity`, as an article or as an alias of one; with `before`,
        only if it did before that moment (what a crawl knew when it started). Two primary-key
        lookups: a crawl asks this of every link it meets instead of holding every identity."""
        before_iso = to_iso(before) if before is not None else None
        row = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE identity = :identity"
            "               AND (:before IS NULL OR first_seen < :before))"
            " OR EXISTS (SELECT 1 FROM aliases WHERE alias = :identity AND (:before IS NULL OR first_seen < :before))",
            {"identity": identity, "before": before_iso},
        ).fetchone()
        return bool(row[0])

    def resolve_identity(self, identity: str) -> str:
        """The archive identity an identity stands for: itself, or the article it is an alias of."""
        return identities.resolve(self._db, identity)

    def is_due(self, identity: str, now: datetime) -> bool:
        """Whether the archived article's next check has come by `now`."""
        row = self._db.execute("SELECT next_check_at <= ? FROM articles WHERE identity = ?",
                               (to_iso(now), identity)).fetchone()
        return bool(row and row[0])

    def due_articles(self, now: datetime, recheck_all: bool = False,
                     limit: int | None = None) -> Iterator[DueArticle]:
        """Articles to fetch again, most overdue first: those whose `next_check_at` has come, or every
        article with `recheck_all` (still most overdue first).

        Streamed: `DUE_BATCH` rows per query, each batch starting after the last row of the one
        before in the order of the `articles_by_next_check` index, so memory stays flat at any size
        and no read transaction stays open between batches. The walk ends at `now` (with
        `recheck_all`, at the latest check scheduled when it began); an article fetched while the
        caller iterates moves past that (its next check is later than the fetch) or was checked after
        `now`, and is skipped instead of being met twice."""
        now_iso = to_iso(now)
        end = now_iso
        if recheck_all:
            end = self._db.execute("SELECT max(next_check_at) FROM articles").fetchone()[0]
            if end is None:
                return
        after = ("", "")
        remaining = limit
        while remaining is None or remaining > 0:
            size = DUE_BATCH if remaining is None else min(DUE_BATCH, remaining)
            rows = self._db.execute(
                "SELECT identity, url, etag, last_modified, last_checked_at, next_check_at FROM articles"
                " WHERE next_check_at <= :end AND (next_check_at, identity) > (:after_check, :after_identity)"
                " ORDER BY next_check_at, identity LIMIT :size",
                {"end": end, "after_check": after[0], "after_identity": after[1], "size": size},
            ).fetchall()
            if not rows:
                return
            after = (rows[-1]["next_check_at"], rows[-1]["identity"])
            for row in rows:
                if row["last_checked_at"] > now_iso:
                    continue  # fetched since the walk began
                if remaining is not None:
                    remaining -= 1
                yield DueArticle(row["identity"], row["url"], row["etag"], row["last_modified"])
                if remaining == 0:
                    return

    def count_articles(self, state: str | None = None) -> int:
        if state is None:
            return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return self._db.execute("SELECT count(*) FROM articles WHERE state = ?", (state,)).fetchone()[0]

    def counts(self) -> dict[str, int]:
        """Sizes of the archive, for logs and reports."""
        row = self._db.execute(
            "SELECT (SELECT count(*) FROM articles) AS articles,"
            " (SELECT count(*) FROM articles WHERE state = 'live') AS live,"
            " (SELECT count(*) FROM articles WHERE state = 'gone') AS gone,"
            " (SELECT count(*) FROM versions) AS versions,"
            " (SELECT count(*) FROM versions WHERE change IN ('edit', 'unverified')) AS edits,"
            " (SELECT count(*) FROM versions WHERE change = 'parser') AS parser_versions,"
            " (SELECT count(*) FROM observations) AS observations,"
            " (SELECT count(*) FROM captures) AS captures,"
            " (SELECT count(*) FROM failures) AS failures,"
            " (SELECT count(*) FROM runs) AS runs"
        ).fetchone()
        return dict(row)

    def versions(self, identity: str) -> list[dict]:
        """The article's versions, oldest first, without their content columns."""
        return [dict(row) for row in self._db.execute(
            "SELECT id, number, change, fingerprint, parser_version, capture_id, first_seen, last_seen"
            " FROM versions WHERE identity = ? ORDER BY number", (identity,),
        )]

    def observations(self, identity: str) -> list[dict]:
        return [dict(row) for row in self._db.execute(
            "SELECT * FROM observations WHERE identity = ? ORDER BY fetched_at, id", (identity,)
        )]

    def version_article(self, version_id: int) -> Article:
        """A stored version as an `Article` again (view count: the article's latest)."""
        row = self._db.execute(
            "SELECT versions.*, articles.site_id, articles.view_count FROM versions"
            " JOIN articles USING (identity) WHERE versions.id = ?", (version_id,),
        ).fetchone()
        if row is None:
            raise KeyError(version_id)
        return Article(
            url=row["url"], canonical_url=row["canonical_url"], article_id=row["site_id"], title=row["title"],
            category=row["category"], published_at=from_iso(row["published_at"]),
            updated_at=from_iso(row["updated_at"]), view_count=row["view_count"], sapo=row["sapo"],
            body_text=row["body_text"],
            body_html=decompress_markup(row["body_html_zstd"], row["body_text"]), authors=json.loads(row["authors"]),
            author_role=row["author_role"], source=row["source"],
            photo_credits=json.loads(row["photo_credits"]),
            images=[Image(**image) for image in json.loads(row["images"])],
            related=[RelatedLink(**link) for link in json.loads(row["related"])],
            raw=json.loads(row["raw"]), warnings=json.loads(row["warnings"]),
            parser_version=row["parser_version"],
        )

    def integrity_check(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def checkpoint(self) -> None:
        """Move the write-ahead log into the main file and empty it (before measuring or copying)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
