"""The values the archive hands out: outcomes, change kinds, an article's state, due articles, errors.

Kept apart from `archive.db` (which re-exports them) so that code reading them needs no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    """What one fetch meant for the archive (`observations.outcome`, `record_fetch`'s return)."""

    NEW = "new"  # first version of an article we did not have
    UPDATED = "updated"  # a new version: the editors changed it
    REPARSED = "reparsed"  # a new version: only the parser's reading changed
    UNCHANGED = "unchanged"  # same editorial content (view count and chrome may differ)
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET
    GONE = "gone"  # 404 or 410
    FAILED = "failed"  # any other status, or a page that did not parse as an article


class Change(StrEnum):
    """Why a version exists (`versions.change`)."""

    FIRST = "first"
    EDIT = "edit"
    PARSER = "parser"  # same editorial content, read differently by a newer parser
    UNVERIFIED = "unverified"  # content differs and so does the parser; re-parsing could not tell which


GONE_STATUSES = frozenset({404, 410})


class ArchiveError(Exception):
    pass


class ArchiveTooNew(ArchiveError):
    """The file's schema is newer than this code: upgrade the code, never downgrade the file."""


class NotAnArchive(ArchiveError):
    """An SQLite file that holds tables of something else: never written into."""


class ArchiveNeedsUpgrade(ArchiveError):
    """A read-only open of a file whose schema is older than this code."""


class ArchiveDamaged(ArchiveError):
    """The file is not an SQLite database, or SQLite finds it corrupt: nothing should read or write it
    until someone has looked (`sqlite3 archive.db ".recover"` rescues what is left)."""


@dataclass(frozen=True)
class ArticleState:
    """One article as the archive knows it now (`lookup`)."""

    identity: str
    site_id: int | None
    url: str
    state: str  # 'live' or 'gone'
    gone_status: int | None
    gone_at: datetime | None
    first_seen: datetime
    last_seen: datetime
    last_changed: datetime
    last_checked_at: datetime
    next_check_at: datetime
    view_count: int | None
    view_count_at: datetime | None
    etag: str | None
    last_modified: str | None
    current_version_id: int | None
    current_version: int | None  # its number: 1, 2, …
    fingerprint: str | None
    parser_version: str | None
    capture_id: int | None


class DueArticle(NamedTuple):
    identity: str
    url: str
    etag: str | None
    last_modified: str | None


# The fields a parser reads into a version: what "which fields changed" compares (`archive.history`,
# `archive.reparse`). The `version_changes` view keeps the list migration 6 wrote into it.
CONTENT_FIELDS = ("title", "category", "published_at", "updated_at", "authors", "author_role", "source", "sapo",
                  "body_text", "photo_credits", "images", "related")
