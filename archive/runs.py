"""The archive's bookkeeping of crawls: runs and their outcome counts (a count mended when a later
fetch shows it wrong), the listings they walked to the end, the per-run field-health counts, and
the frontier of article links found and not yet archived. A mixin of
`archive.db.Archive` (which owns the connection and transactions); `record_fetch` calls the
private parts inside its own transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from archive.times import to_iso
from crawler import urls


class RunStore:
    _db: sqlite3.Connection
    _run_counts: dict[tuple[int, str], int]
    _field_counts: dict[tuple[int, str], int]
    _recounted: list[tuple[str, str]]

    def _archived(self, identity: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE identity = ?", (identity,)).fetchone() is not None

    def start_run(self, settings: dict, parser_version: str, *, started_at: datetime | None = None) -> int:
        started = to_iso(started_at or datetime.now().astimezone())
        with self._transaction():
            # Crawls hold a lock on the archive, so a run still `running` when a new one starts was
            # killed: say so, rather than leave it looking alive forever.
            self._db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            cursor = self._db.execute(
                "INSERT INTO runs (started_at, parser_version, settings) VALUES (?, ?, ?)",
                (started, parser_version, json.dumps(settings, ensure_ascii=False, default=str)),
            )
        return cursor.lastrowid

    def finish_run(self, run_id: int, counts: dict, status: str, *, finished_at: datetime | None = None) -> None:
        """Close a run. The outcome counts are the archive's own (kept by `record_fetch`, in the same
        transaction as each fetch, so they are exact even after a kill); from `counts` the run keeps
        `requests` in its column and the whole dict in `stats`."""
        finished = to_iso(finished_at or datetime.now().astimezone())
        requests = counts.get("requests")
        with self._transaction():
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, requests = ?, stats = ? WHERE id = ?",
                (finished, status, requests, json.dumps(counts, ensure_ascii=False, default=str), run_id),
            )

    def record_listing_walk(self, run_id: int | None, category: str, completed_at: datetime) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO listing_walks (category, completed_at, run_id) VALUES (?, ?, ?)"
                " ON CONFLICT (category) DO UPDATE SET completed_at = excluded.completed_at, run_id = excluded.run_id",
                (category, to_iso(completed_at), run_id),
            )

    def _count_field_health(self, run_id: int, missing: list[str]) -> None:
        """Counted in memory, written by `_write_run_counts` as the transaction commits."""
        counts = self._run_counts
        counts[(run_id, "parsed")] = counts.get((run_id, "parsed"), 0) + 1
        for field in dict.fromkeys(missing):
            self._field_counts[(run_id, field)] = self._field_counts.get((run_id, field), 0) + 1

    def _write_run_counts(self) -> None:
        """A transaction's counts, one statement per run and count rather than one per fetch."""
        for (run_id, column), count in self._run_counts.items():
            # `column` is an outcome's value or `parsed`: one of the runs' count columns, never user text
            self._db.execute(f"UPDATE runs SET {column} = {column} + ? WHERE id = ?", (count, run_id))
        if self._field_counts:
            self._db.executemany(
                "INSERT INTO field_health (run_id, field, fetches) VALUES (?, ?, ?)"
                " ON CONFLICT (run_id, field) DO UPDATE SET fetches = fetches + excluded.fetches",
                [(run_id, field, count) for (run_id, field), count in self._field_counts.items()])

    def _add_to_frontier(self, found_urls: list[str], found_on: str | None, found_at: str, run_id: int | None) -> None:
        """Article links not archived yet, kept until fetched: a killed crawl forgets none of them.
        One statement for all the links: each identity through its alias (`identities.resolve`'s
        rule), and only those no article holds."""
        links = [(identity, url) for url in found_urls if (identity := urls.identity_of(url)) is not None]
        if links:
            self._db.execute(
                "INSERT INTO frontier (identity, url, found_at, found_on, run_id)"
                " SELECT coalesce(al.identity, link.value ->> 0), link.value ->> 1, ?, ?, ?"
                " FROM json_each(?) AS link LEFT JOIN aliases AS al ON al.alias = link.value ->> 0"
                " WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.identity = coalesce(al.identity, link.value ->> 0))"
                " ORDER BY link.key"
                " ON CONFLICT (identity) DO NOTHING",
                (found_at, found_on, run_id, json.dumps(links, ensure_ascii=False)))

    def record_links_found(self, run_id: int | None, found_urls: list[str], found_on: str, found_at: datetime) -> None:
        """Links a listing, feed or home page showed: pending in the frontier until fetched."""
        with self._transaction():
            self._add_to_frontier(found_urls, found_on, to_iso(found_at), run_id)

    def _recount_of_merged(self, run_id: int | None, merged: str, into: str) -> str | None:
        """A re-slugged article fetched at its new address before its old one, in this run, was
        counted new; its old address answering with it shows an archived article: its count is
        `updated`, or `unchanged` when the text is the one archived."""
        if run_id is None or self._db.execute(
                "SELECT 1 FROM observations WHERE run_id = ? AND identity = ? AND outcome = 'new'",
                (run_id, merged)).fetchone() is None:
            return None
        fingerprints = [self._db.execute("SELECT v.fingerprint FROM articles AS a JOIN versions AS v"
                                         " ON v.id = a.current_version_id WHERE a.identity = ?", (identity,)).fetchone()
                        for identity in (merged, into)]
        return "unchanged" if fingerprints[0] is not None and fingerprints[0] == fingerprints[1] else "updated"

    def _recount(self, run_id: int, was: str, now: str) -> None:
        """Move one of the run's fetches from one count to another, in this transaction."""
        self._run_counts[(run_id, was)] = self._run_counts.get((run_id, was), 0) - 1
        self._run_counts[(run_id, now)] = self._run_counts.get((run_id, now), 0) + 1
        self._recounted.append((was, now))

    def take_recounted(self) -> list[tuple[str, str]]:
        """The outcomes recorded fetches recounted since last asked: (counted as, now counts as),
        for the crawl's own counters (its summary line)."""
        recounted, self._recounted = self._recounted, []
        return recounted
