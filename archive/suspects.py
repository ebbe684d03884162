"""Suspect fetches: pages that read as less than the version the archive already holds.

A page cut short (a proxy that gave up, a server that stopped writing, a half-rendered template)
still parses, and a parse of half a page differs from the whole: recorded as a version it would be
a bogus edit, and the next good fetch a bogus edit back. So before a fetch may make a version, the
archive asks whether it is *suspect*:

- it **lost a field** the current version has: the current version has a title, a body or a date
  (`published_at`) and the new parse has none; or
- it was **cut short**: it would make a version, and the response stops before its document ends
  (no `</html>` near its end) while the current version's capture ended properly — unless the very
  same bytes were such a suspect before (a server that cuts every time at the same byte is serving
  the page that way, and that page is what there is to archive).

A suspect fetch makes no version. It is recorded as a failed fetch (outcome `failed`, the reason in
`failures`, retried on the failure schedule) and, in `suspect_fetches`, with its capture (kept, so a
later parser or a person can look) and what it lacked. The article stays at its current version; the
next fetch that reads whole is compared with that version as usual.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable

from crawler.article import Article

# The fields whose loss makes a fetch suspect, as `suspect_fetches.missing` names them.
LOST_FIELDS = ("title", "body_text", "published_at")
PAGE_END = "page_end"  # `missing` for a response cut before its document's end
# How far from a body's end its closing tag may be (trailing comments, whitespace, a tracker).
_END_WINDOW = 2048
_SPOKEN = {"title": "the title", "body_text": "the body", "published_at": "the date",
           PAGE_END: "the end of the page"}


def ends_its_document(body: bytes | None) -> bool:
    return body is not None and b"</html" in body[-_END_WINDOW:].lower()


def error_line(missing: list[str], version_number: int) -> str:
    """The suspect's line in `failures.error`."""
    lacked = ", ".join(_SPOKEN.get(name, name) for name in missing)
    return (f"suspect: the page lacks {lacked} that version {version_number} has (a half-read page?);"
            f" its capture is kept, no version made")


class SuspectStore:
    """Mixin of `archive.db.Archive`: the suspect rule's questions and its rows."""

    _db: sqlite3.Connection
    capture_body: Callable[[int], bytes]  # `archive.captures.CaptureStore`'s

    def _suspect_missing(self, current: sqlite3.Row, body: bytes | None, article: Article,
                         makes_version: Callable[[], bool]) -> list[str]:
        """What a fetch of an archived article lacks that its current version has; [] when it is
        not suspect. `makes_version` says whether it would make a version (asked only when needed)."""
        version = self._db.execute("SELECT title, body_text, published_at FROM versions WHERE id = ?",
                                   (current["current_version_id"],)).fetchone()
        if version is None:
            return []
        lost = [name for name in LOST_FIELDS if _present(version[name]) and not _present(getattr(article, name))]
        if lost:
            return lost
        if not ends_its_document(body) and current["capture_id"] is not None and makes_version() \
                and ends_its_document(self.capture_body(current["capture_id"])) \
                and not self._cut_before(current["current_version_id"], body):
            return [PAGE_END]
        return []

    def _cut_before(self, version_id: int, body: bytes) -> bool:
        """These very bytes were a cut-short suspect of this version already: a transfer that breaks
        off does not break off at the same byte twice, so the site serves the page so (a template
        that stops early) and it is what there is to archive."""
        return self._db.execute(
            "SELECT 1 FROM suspect_fetches AS s JOIN captures AS c ON c.id = s.capture_id"
            " WHERE s.version_id = ? AND s.missing = ? AND c.sha256 = ?",
            (version_id, json.dumps([PAGE_END]), hashlib.sha256(body).hexdigest())).fetchone() is not None

    def _record_suspect_row(self, observation_id: int, version_id: int, capture_id: int | None,
                            missing: list[str]) -> None:
        self._db.execute(
            "INSERT INTO suspect_fetches (observation_id, version_id, capture_id, missing) VALUES (?, ?, ?, ?)",
            (observation_id, version_id, capture_id, json.dumps(missing)))

    def suspects_in_runs_after(self, run_id: int) -> int:
        """Suspect fetches recorded by runs started after `run_id` (0: every run)."""
        return self._db.execute(
            "SELECT count(*) FROM suspect_fetches AS s JOIN observations AS o ON o.id = s.observation_id"
            " WHERE o.run_id > ?", (run_id,)).fetchone()[0]

    def latest_run_id(self) -> int:
        return self._db.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()[0]


def _present(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))
