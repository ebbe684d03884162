"""Raw responses: stored once per distinct body (sha256), zstd-compressed with a dictionary made from
the site's own pages, and read back byte for byte. A mixin of `archive.db.Archive`, which owns the
connection (`self._db`), the codec and the transactions."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from crawler.items import PageFetch

from archive.compression import DICTIONARY_PAGES, Codec, make_dictionary, pack_dictionary, unpack_dictionary
from archive.times import to_iso

DICTIONARY_REVIEW_EVERY = 256  # captures between checks that the dictionary still fits the site
DICTIONARY_REVIEW_PAGES = 32
DICTIONARY_REVIEW_WINDOWS = 4  # review periods back (and forward) a sample of pages is looked for in
UNLIKE_RATIO = 2  # a page compressing this many times worse than the best quarter of the dictionary's first pages
UNLIKE_SHARE = 0.25  # of the latest pages reviewed: more than this share unlike it extends the dictionary


class CaptureStore:
    _db: sqlite3.Connection
    _codec: Codec
    _dictionaries_this_transaction: list[int]
    _latest_dictionary: list[int | None]

    def _capture_id_for(self, sha256: str | None) -> int | None:
        """The capture of the body with this sha256 (`body_sha256`), if stored."""
        if sha256 is None:
            return None
        row = self._db.execute("SELECT id FROM captures WHERE sha256 = ?", (sha256,)).fetchone()
        return row["id"] if row else None

    def _store_capture(self, fetch: PageFetch, fetched_at: str, sha256: str | None = None) -> int | None:
        """The capture of this body: the stored one when the same bytes came before, else a new one.
        `sha256`: the body's, when computed already."""
        body = fetch.body
        if body is None:
            return None
        sha256 = sha256 or body_sha256(body)
        row = self._db.execute("SELECT id FROM captures WHERE sha256 = ?", (sha256,)).fetchone()
        if row:
            return row["id"]
        dictionary_id = self._latest_dictionary_id()
        compressed = self._codec.compress(body, dictionary_id)
        headers = {name.lower(): value for name, value in fetch.headers.items()}
        cursor = self._db.execute(
            "INSERT INTO captures (sha256, fetched_at, url, status, headers, size, stored_size, dictionary_id,"
            " body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sha256, fetched_at, fetch.url, fetch.status, compact_json(headers), len(body), len(compressed),
             dictionary_id, compressed),
        )
        self._review_dictionary(cursor.lastrowid, dictionary_id, fetched_at)
        return cursor.lastrowid

    def _latest_dictionary_id(self) -> int | None:
        """Read once per transaction (no other writer can add one while it holds the lock)."""
        if self._latest_dictionary:
            return self._latest_dictionary[0]
        dictionary_id = self._db.execute("SELECT max(id) FROM zstd_dictionaries").fetchone()[0]
        if dictionary_id is not None:
            self._load_dictionary(dictionary_id)
        self._latest_dictionary.append(dictionary_id)
        return dictionary_id

    def _load_dictionary(self, dictionary_id: int) -> None:
        if not self._codec.knows(dictionary_id):
            stored = self._db.execute(
                "SELECT dictionary FROM zstd_dictionaries WHERE id = ?", (dictionary_id,)
            ).fetchone()[0]
            self._codec.add_dictionary(dictionary_id, unpack_dictionary(stored))

    def _review_dictionary(self, capture_id: int, dictionary_id: int | None, now: str) -> None:
        """Give the archive a dictionary as soon as it has a few article pages, and a new one when the
        site's chrome has moved away from it (a redesign): checked every `DICTIONARY_REVIEW_EVERY`
        captures, by comparing how well the latest pages compress with how well the first pages
        compressed with the same dictionary."""
        if dictionary_id is None:
            pages = self._db.execute(
                "SELECT count(*) FROM captures WHERE status BETWEEN 200 AND 299"
            ).fetchone()[0]
            if pages >= DICTIONARY_PAGES:
                self._recompress_plain_captures(self.refresh_dictionary(now=now))  # pages exist: not None
            return
        if capture_id % DICTIONARY_REVIEW_EVERY:
            return
        # Constant work per review, however large the archive: two samples of pages found by rowid,
        # the first pages after the dictionary's own (those compress to almost nothing: left out) and
        # the latest, each read from a window of a few review periods.
        sampled_through = self._db.execute(
            "SELECT sampled_through_capture_id FROM zstd_dictionaries WHERE id = ?", (dictionary_id,)).fetchone()[0]
        window = DICTIONARY_REVIEW_WINDOWS * DICTIONARY_REVIEW_EVERY
        first = self._page_ratios(dictionary_id, sampled_through, sampled_through + window, "ASC")
        latest = self._page_ratios(dictionary_id, max(sampled_through, capture_id - window), capture_id, "DESC")
        if not len(first) == len(latest) == DICTIONARY_REVIEW_PAGES:
            return
        # Pages of a layout the dictionary lacks compress several times worse than those of a layout
        # it holds. The site serves several layouts at once (older articles keep theirs), so such pages
        # come mixed with the others: when a share of the latest are, the worst of them joins the
        # dictionary, which comes to hold a page of each layout (a redesign is the case where all are).
        typical = sorted(first.values())[len(first) // 4]  # of a layout it holds, however mixed the first pages
        unlike = [capture for capture, ratio in latest.items() if ratio > UNLIKE_RATIO * typical]
        if len(unlike) > UNLIKE_SHARE * DICTIONARY_REVIEW_PAGES:
            self._extend_dictionary(dictionary_id, max(unlike, key=latest.__getitem__), now)

    def _extend_dictionary(self, dictionary_id: int, capture_id: int, now: str) -> int:
        """A new dictionary: the current one's content with the capture's body after it (the oldest
        content cut first, past `DICTIONARY_SIZE_AT_MOST`)."""
        row = self._db.execute("SELECT sample_pages, dictionary FROM zstd_dictionaries WHERE id = ?",
                               (dictionary_id,)).fetchone()
        data = make_dictionary([unpack_dictionary(row["dictionary"]), self.capture_body(capture_id)])
        return self._add_dictionary(data, row["sample_pages"] + 1, capture_id, now)

    def _page_ratios(self, dictionary_id: int, after_id: int, through_id: int, order: str) -> dict[int, float]:
        """{capture id: stored size ÷ size} of the first (`ASC`) or last (`DESC`)
        `DICTIONARY_REVIEW_PAGES` article pages compressed with the dictionary, ids in (after, through]."""
        rows = self._db.execute(
            "SELECT id, stored_size * 1.0 / size FROM captures"
            " WHERE id > ? AND id <= ? AND dictionary_id = ? AND status BETWEEN 200 AND 299 AND size > 0"
            f" ORDER BY id {'DESC' if order == 'DESC' else 'ASC'} LIMIT ?",
            (after_id, through_id, dictionary_id, DICTIONARY_REVIEW_PAGES),
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    def _recompress_plain_captures(self, dictionary_id: int) -> None:
        """Captures stored before the first dictionary, compressed again with it (same bytes, smaller)."""
        plain = self._db.execute("SELECT id, body FROM captures WHERE dictionary_id IS NULL ORDER BY id").fetchall()
        for row in plain:
            compressed = self._codec.compress(self._codec.decompress(row["body"]), dictionary_id)
            if len(compressed) < len(row["body"]):
                self._db.execute(
                    "UPDATE captures SET body = ?, stored_size = ?, dictionary_id = ? WHERE id = ?",
                    (compressed, len(compressed), dictionary_id, row["id"]),
                )

    def refresh_dictionary(self, *, now: str | None = None) -> int | None:
        """Make a new dictionary from the latest article pages and compress new captures with it;
        returns its id (None while the archive holds no article page). Older captures keep the dictionary they name. Makes the
        first one on its own; `_review_dictionary` extends it as other layouts show up. Call it by hand
        after a redesign to start afresh from the new layout's pages at once."""
        rows = self._db.execute(
            "SELECT id FROM captures WHERE status BETWEEN 200 AND 299 ORDER BY id DESC LIMIT ?", (DICTIONARY_PAGES,)
        ).fetchall()
        if not rows:
            return None
        data = make_dictionary([self.capture_body(row["id"]) for row in reversed(rows)])
        return self._add_dictionary(data, len(rows), rows[0]["id"], now or to_iso(datetime.now().astimezone()))

    def _add_dictionary(self, data: bytes, sample_pages: int, sampled_through: int, now: str) -> int:
        """Store a dictionary and compress new captures with it."""
        write = self._transaction() if not self._db.in_transaction else _already_in_transaction()
        with write:
            cursor = self._db.execute(
                "INSERT INTO zstd_dictionaries (created_at, sample_pages, sampled_through_capture_id, size,"
                " dictionary) VALUES (?, ?, ?, ?, ?)",
                (now, sample_pages, sampled_through, len(data), pack_dictionary(data)),
            )
            dictionary_id = cursor.lastrowid
            self._codec.add_dictionary(dictionary_id, data)
            self._dictionaries_this_transaction.append(dictionary_id)
            self._latest_dictionary[:] = [dictionary_id]
        return dictionary_id

    def capture_body(self, capture_id: int) -> bytes:
        """The raw body of a capture, as it was received."""
        row = self._db.execute("SELECT body, dictionary_id FROM captures WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise KeyError(capture_id)
        if row["dictionary_id"] is not None:
            self._load_dictionary(row["dictionary_id"])
        return self._codec.decompress(row["body"], row["dictionary_id"])


def body_sha256(body: bytes | None) -> str | None:
    """What names a capture: the sha256 (hex) of its bytes."""
    return hashlib.sha256(body).hexdigest() if body is not None else None


@contextmanager
def _already_in_transaction() -> Iterator[None]:
    yield


def compact_json(value) -> str:
    """JSON as the archive stores it: UTF-8 text as is, no spaces."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
