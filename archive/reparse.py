"""Reparsing stored captures with a newer parser: which versions are due, the reading side (run by
each worker process on its own read-only connection) and the write side (the one writer).

A reparse reads the capture behind each article's current version with the running parser. What
the parser reads differently — any stored field, not only the fingerprinted ones — becomes a
`parser` version (never an edit: the bytes are the same). Each capture read is recorded in
`reparses` (with the parser's version and the outcome), so an interrupted reparse resumes where it
stopped: a version already read by this parser is not due again.

The reading side reads, decompresses, parses and compares; it hands the writer only what it must
write: the version id, and the `Article` only when it reads differently, or the error.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from crawler.article import Article

from archive.captures import compact_json
from archive.fingerprint import fingerprint
from archive.records import CONTENT_FIELDS, Change
from archive.times import to_iso, to_iso_or_none

# A reparse that reads any of CONTENT_FIELDS differently makes a version.

Parse = Callable[[bytes, str, dict], Article]  # body, the URL it was fetched at, headers → Article


@dataclass(frozen=True)
class Reread:
    """One capture read again: `article` only when it reads differently from the stored version,
    `error` when the parser refused the page; neither when nothing changed."""
    version_id: int
    article: Article | None = None
    error: str | None = None


class ReparseStore:
    """Mixin of `archive.db.Archive`: the reparse's reading and writing side."""

    _db: sqlite3.Connection

    def due_for_reparse(self, parser_version: str, *, since: str | None = None,
                        identity: str | None = None) -> list[int]:
        """The ids of current versions with a capture that `parser_version` has not read yet, oldest
        first; `since` (YYYY-MM-DD) keeps articles published (else first seen) on or after it."""
        where, params = ["v.capture_id IS NOT NULL", "v.parser_version <> ?",
                         "NOT EXISTS (SELECT 1 FROM reparses AS r WHERE r.version_id = v.id AND r.parser_version = ?)"], \
            [parser_version, parser_version]
        if since:
            where.append("coalesce(v.published_at, a.first_seen) >= ?")
            params.append(since)
        if identity:
            where.append("a.identity = ?")
            params.append(identity)
        rows = self._db.execute(
            "SELECT v.id FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id"
            f" WHERE {' AND '.join(where)} ORDER BY v.id", params).fetchall()
        return [row[0] for row in rows]

    def reread(self, version_ids: Iterable[int], parse: Parse) -> list[Reread]:
        """Each version's capture read again by `parse` and compared with what the version stores.
        Only reads: a worker process runs it on a read-only connection while the writer writes."""
        version_ids = list(version_ids)
        if not version_ids:
            return []
        fields = ", ".join(f"v.{field}" for field in CONTENT_FIELDS)
        rows = self._db.execute(
            f"SELECT v.id, v.capture_id, c.url AS capture_url, c.headers, {fields}"
            " FROM versions AS v JOIN captures AS c ON c.id = v.capture_id"
            f" WHERE v.id IN ({', '.join('?' * len(version_ids))}) ORDER BY v.id", version_ids).fetchall()
        results = []
        for row in rows:
            try:
                article = parse(self.capture_body(row["capture_id"]), row["capture_url"], json.loads(row["headers"]))
            except Exception as exc:  # noqa: BLE001 - every failure of one page is that page's outcome
                results.append(Reread(row["id"], error=f"{type(exc).__name__}: {exc}"))
                continue
            results.append(Reread(row["id"], article if _reads_differently(row, article) else None))
        return results

    def record_reparses(self, results: list[Reread], parser_version: str, at: datetime) -> int:
        """Write a batch of reparse results, in one transaction; returns how many versions it made."""
        made = 0
        when = to_iso(at)
        rows = []
        with self._transaction():
            for result in results:
                outcome = "failed" if result.error is not None else "unchanged"
                if result.article is not None:
                    current = self._db.execute(
                        "SELECT v.identity, v.capture_id, v.first_seen, v.last_seen, a.current_version_id"
                        " FROM versions AS v JOIN articles AS a USING (identity) WHERE v.id = ?",
                        (result.version_id,)).fetchone()
                    if current["current_version_id"] == result.version_id:  # no newer version meanwhile
                        version_id = self._insert_version(
                            current["identity"], result.article, fingerprint(result.article), Change.PARSER,
                            current["capture_id"], current["first_seen"], current["last_seen"])
                        self._db.execute("UPDATE articles SET current_version_id = ? WHERE identity = ?",
                                         (version_id, current["identity"]))
                        outcome, made = "version", made + 1
                rows.append((result.version_id, parser_version, when, outcome, result.error))
            self._db.executemany(
                "INSERT INTO reparses (version_id, parser_version, reparsed_at, outcome, error)"
                " VALUES (?, ?, ?, ?, ?)", rows)
        return made


def _reads_differently(stored: sqlite3.Row, article: Article) -> bool:
    read = {
        "title": article.title, "category": article.category,
        "published_at": to_iso_or_none(article.published_at), "updated_at": to_iso_or_none(article.updated_at),
        "authors": compact_json(article.authors), "author_role": article.author_role, "source": article.source,
        "sapo": article.sapo, "body_text": article.body_text, "photo_credits": compact_json(article.photo_credits),
        "images": compact_json([asdict(image) for image in article.images]),
        "related": compact_json([asdict(link) for link in article.related]),
    }
    return any(stored[field] != read[field] for field in CONTENT_FIELDS)
