"""What a WARC export holds, read from the archive: the fetches behind the selected articles, in time
order, and the versions parsed from each stored body. `exports.warc` turns them into WARC records.

The selection (`archive.selection`) picks articles, by their current version; everything the archive
holds about a picked article goes in:

- **responses**: every capture (stored body) that a fetch of a picked article returned, or that a
  version of it was parsed from. A capture is written as the fetch that first returned it
  (`captures.fetched_at`, `url`, `status`, `headers`), which is what the row records.
- **revisits**: fetches that returned a body already stored. An observation whose `capture_id`
  names a capture an earlier observation already returned (same sha256: the archive keeps one row
  per distinct body) is an identical-payload revisit of that capture. A 304 (`not_modified`) is a
  revisit too: the server said the version's capture still stands, so it refers to that capture.
  An `unchanged` fetch with no `capture_id` is left out: its body differed from the stored one (in
  counters and chrome) and was not kept, so there is nothing it could stand for byte for byte.
- **versions**: every version of a picked article, with the capture it was parsed from.

An unfiltered selection holds every capture of the archive, also those of fetches that concern no
archived article (a failure on a URL never archived).

Rows stream from cursors: memory stays flat however large the archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from archive.db import Archive
from archive.selection import Selection, condition

# Every filter unset: the whole archive.
_EVERYTHING = Selection()


@dataclass
class Fetch:
    """One fetch the WARC shows: a stored capture's first fetch (`kind = 'response'`), or a later
    fetch that returned a stored body again or was told it still stands (`'revisit'`, with `status`
    304 for a not-modified answer)."""

    kind: str
    fetched_at: str
    url: str
    status: int
    capture_id: int  # the body shown, or (for a revisit) the body it stands for
    sha256: str  # of that body
    headers: dict[str, str] = field(default_factory=dict)  # response: as stored; revisit: the capture's
    size: int = 0
    redirected_from: str | None = None
    refers_to_url: str | None = None  # revisit: the capture's first fetch
    refers_to_at: str | None = None
    refers_to_status: int | None = None


@dataclass
class VersionRow:
    id: int
    identity: str
    number: int
    change: str
    first_seen: str
    last_seen: str
    url: str
    parser_version: str
    capture_id: int | None
    capture_url: str | None
    capture_fetched_at: str | None
    capture_sha256: str | None


class WebArchiveScope:
    """The part of the archive a WARC export writes. Made before the output is opened, so a bad filter
    (an unsearchable query) fails before anything is written."""

    def __init__(self, archive: Archive, selection: Selection):
        self._db = archive._db
        self.everything = _is_everything(selection)
        where, params = condition(self._db, selection)
        self._articles_sql = ("SELECT a.identity FROM articles AS a JOIN versions AS v ON v.identity = a.identity"
                              f" WHERE {where}")
        self._articles_params = params

    def fetches(self) -> Iterator[Fetch]:
        """Responses and revisits, oldest first (a response before the revisits of its body)."""
        picked = "" if self.everything else f"o.identity IN ({self._articles_sql})"
        capture_picked = "1" if self.everything else (
            f"c.id IN (SELECT o.capture_id FROM observations AS o WHERE {picked})"
            f" OR c.id IN (SELECT v.capture_id FROM versions AS v WHERE v.identity IN ({self._articles_sql}))")
        revisit_picked = "1" if self.everything else picked
        params = [] if self.everything else [*self._articles_params, *self._articles_params, *self._articles_params]
        sql = f"""
            SELECT 'response' AS kind, c.fetched_at, c.url, c.status, c.id AS capture_id, c.sha256, c.headers,
                   c.size, NULL AS redirected_from, NULL AS refers_to_url, NULL AS refers_to_at,
                   NULL AS refers_to_status, 0 AS kind_order, c.id AS row_id
              FROM captures AS c
             WHERE {capture_picked}
            UNION ALL
            SELECT 'revisit', o.fetched_at, o.url, o.status, c.id, c.sha256, c.headers, c.size, o.redirected_from,
                   c.url, c.fetched_at, c.status, 1, o.id
              FROM (SELECT *, row_number() OVER (PARTITION BY capture_id ORDER BY id) AS nth
                      FROM observations) AS o
              LEFT JOIN versions AS v ON v.id = o.version_id
              JOIN captures AS c ON c.id = CASE WHEN o.status = 304 THEN v.capture_id ELSE o.capture_id END
             WHERE (o.status = 304 OR (o.capture_id IS NOT NULL AND o.nth > 1)) AND ({revisit_picked})
             ORDER BY 2, kind_order, row_id
        """
        for row in self._db.execute(sql, params):
            yield Fetch(kind=row["kind"], fetched_at=row["fetched_at"], url=row["url"], status=row["status"],
                        capture_id=row["capture_id"], sha256=row["sha256"], headers=json.loads(row["headers"]),
                        size=row["size"], redirected_from=row["redirected_from"],
                        refers_to_url=row["refers_to_url"], refers_to_at=row["refers_to_at"],
                        refers_to_status=row["refers_to_status"])

    def versions_of_capture(self, capture_id: int) -> list[VersionRow]:
        """The picked articles' versions parsed from this capture (a few at most: one body, one page)."""
        picked = "" if self.everything else f" AND v.identity IN ({self._articles_sql})"
        return self._versions(f"v.capture_id = ?{picked}", [capture_id, *([] if self.everything else self._articles_params)])

    def versions_without_capture(self) -> Iterator[VersionRow]:
        """The picked articles' versions that name no capture (none in archives this release writes)."""
        picked = "" if self.everything else f" AND v.identity IN ({self._articles_sql})"
        yield from self._versions(f"v.capture_id IS NULL{picked}", [] if self.everything else self._articles_params)

    def _versions(self, where: str, params: list) -> list[VersionRow]:
        rows = self._db.execute(
            "SELECT v.id, v.identity, v.number, v.change, v.first_seen, v.last_seen, v.url, v.parser_version,"
            " v.capture_id, c.url AS capture_url, c.fetched_at AS capture_fetched_at, c.sha256 AS capture_sha256"
            f" FROM versions AS v LEFT JOIN captures AS c ON c.id = v.capture_id WHERE {where}"
            " ORDER BY v.identity, v.number", params)
        return [VersionRow(**dict(row)) for row in rows]


def _is_everything(selection: Selection) -> bool:
    return (selection.since, selection.until, selection.category, selection.author, selection.search,
            selection.state) == (_EVERYTHING.since, _EVERYTHING.until, _EVERYTHING.category, _EVERYTHING.author,
                                 _EVERYTHING.search, _EVERYTHING.state)
