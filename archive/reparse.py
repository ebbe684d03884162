"""Reparsing stored captures with a newer parser: which versions are due, and the write side.

A reparse reads the capture behind each article's current version with the running parser. What
the parser reads differently — any stored field, not only the fingerprinted ones — becomes a
`parser` version (never an edit: the bytes are the same). Each capture read is recorded in
`reparses` (with the parser's version and the outcome), so an interrupted reparse resumes where it
stopped: a version already read by this parser is not due again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from crawler.article import Article

from archive.fingerprint import fingerprint
from archive.records import CONTENT_FIELDS, Change
from archive.times import to_iso, to_iso_or_none

# A reparse that reads any of CONTENT_FIELDS differently makes a version.


@dataclass(frozen=True)
class DueCapture:
    version_id: int
    identity: str
    capture_id: int
    url: str  # the URL the capture was fetched at
    headers: dict


class ReparseStore:
    """Mixin of `archive.db.Archive`: the reparse's reading and writing side."""

    _db: sqlite3.Connection

    def due_for_reparse(self, parser_version: str, *, since: str | None = None,
                        identity: str | None = None) -> list[DueCapture]:
        """Current versions with a capture that `parser_version` has not read yet, oldest first;
        `since` (YYYY-MM-DD) keeps articles published (else first seen) on or after it."""
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
            "SELECT v.id, a.identity, v.capture_id, c.url, c.headers FROM articles AS a"
            " JOIN versions AS v ON v.id = a.current_version_id JOIN captures AS c ON c.id = v.capture_id"
            f" WHERE {' AND '.join(where)} ORDER BY v.id", params).fetchall()
        return [DueCapture(row[0], row[1], row[2], row[3], json.loads(row[4])) for row in rows]

    def iter_capture_bodies(self, due: list[DueCapture]) -> Iterator[tuple[DueCapture, bytes]]:
        for capture in due:
            yield capture, self.capture_body(capture.capture_id)

    def record_reparses(self, results: list[tuple[DueCapture, Article | None, str | None]],
                        parser_version: str, at: datetime) -> int:
        """Write a batch of reparse results, in one transaction; returns how many versions it made.
        A result is (capture, the article read or None, the error when none)."""
        made = 0
        when = to_iso(at)
        with self._transaction():
            for capture, article, error in results:
                current = self._db.execute(
                    "SELECT v.*, a.current_version_id FROM versions AS v JOIN articles AS a USING (identity)"
                    " WHERE v.id = ?", (capture.version_id,)).fetchone()
                outcome = "failed" if article is None else "unchanged"
                if article is not None and current["current_version_id"] == capture.version_id \
                        and _reads_differently(current, article):
                    version_id = self._insert_version(
                        capture.identity, article, fingerprint(article), Change.PARSER, capture.capture_id,
                        current["first_seen"], current["last_seen"])
                    self._db.execute("UPDATE articles SET current_version_id = ? WHERE identity = ?",
                                     (version_id, capture.identity))
                    outcome, made = "version", made + 1
                self._db.execute(
                    "INSERT INTO reparses (version_id, parser_version, reparsed_at, outcome, error)"
                    " VALUES (?, ?, ?, ?, ?)", (capture.version_id, parser_version, when, outcome, error))
        return made


def _reads_differently(stored: sqlite3.Row, article: Article) -> bool:
    from dataclasses import asdict

    from archive.captures import compact_json

    read = {
        "title": article.title, "category": article.category,
        "published_at": to_iso_or_none(article.published_at), "updated_at": to_iso_or_none(article.updated_at),
        "authors": compact_json(article.authors), "author_role": article.author_role, "source": article.source,
        "sapo": article.sapo, "body_text": article.body_text, "photo_credits": compact_json(article.photo_credits),
        "images": compact_json([asdict(image) for image in article.images]),
        "related": compact_json([asdict(link) for link in article.related]),
    }
    return any(stored[field] != read[field] for field in CONTENT_FIELDS)
