"""`make bench`'s `ingest_vs_raw_insert` section: the archive's write path beside a plain insert.

The input is BENCH_PAGES replica pages (`run.replica_pages`), parsed beforehand into the `PageFetch`
values the spider hands the pipeline; the parse is not timed. In one run, alternating so both meet
the same load of the machine:
- **archive**: `Archive.record_fetches`, BENCH_INGEST_BATCH fetches per transaction (the crawl's
  pipeline writes in batches too), into a fresh file each pass: versions, observations, captures,
  links, the frontier and the search index, every fetch hashed, fingerprinted and compressed;
- **raw** (the issue's floor, "the same rows, both with their indexes"): sqlite-utils `insert_all` of
  the rows the archive wrote (read back from an archive pass: captures as stored, articles, versions,
  observations, links, frontier, dictionaries) into an empty file of the archive's own schema, so every
  index and both full-text indexes' triggers do their work, one `insert_all` per table;
- **plain table** (a stricter floor, kept for comparison with earlier runs): sqlite-utils
  `insert_all` of the article fields (`Article.to_dict()`, lists as JSON) and the raw bodies into one
  table without any index, in one call;
- **archive, prepared in workers**: the same, with each batch's hashing, fingerprinting and version
  rows (`archive.prepared.prepare`) done in a pool of one process per core while the writer records
  the batch before: the wall time from the first batch sent to the last committed;
and once, for the record, `Archive.record_fetch` (one transaction per fetch). Each rate is the best
of BENCH_INGEST_PASSES passes; the ratios are the archive's pages/s ÷ a floor's, and the same in
this process's CPU time (`…_cpu`), which a loaded machine moves less: the plain table's insert spends
most of its wall time writing five times the archive's bytes. What the archive spends beyond the
raw floor is its own work: deciding (lookups, updates), hashing, fingerprinting, compressing.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from run import archive_bytes, env_int, file_bytes, print_table, replica_pages, timed

TARGETS = {"ingest_vs_raw_insert": (">=", 0.5)}


def parsed_fetches(pages: list[tuple[bytes, str, dict]]) -> list:
    """The `PageFetch` values the spider would hand the pipeline for these pages, parsed already."""
    from crawler import urls
    from crawler.article import SITE_TIME
    from crawler.items import PageFetch
    from crawler.parsing import parse_article

    fetched_at = datetime.now(SITE_TIME).replace(microsecond=0)
    fetches = []
    for body, url, headers in pages:
        headers = {name.lower(): value for name, value in headers.items()}
        fetches.append(PageFetch(requested_url=url, url=url, status=200, fetched_at=fetched_at, headers=headers,
                                 body=body, article=parse_article(body, url, headers),
                                 identity=urls.identity_of(url)))
    return fetches


_fetches: list = []  # the pass's fetches, inherited by the forked workers


def _prepare_batch(span: tuple[int, int]) -> list[tuple]:
    """What `prepare` makes of fetches[start:stop], without the fetches (the writer has them)."""
    from archive.prepared import prepare

    return [(item.body_sha256, item.fingerprint, item.version_values)
            for item in map(prepare, _fetches[span[0]:span[1]])]


def bench_ingest_vs_raw_insert() -> dict:
    import sqlite_utils

    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION, parse_article

    from archive.prepared import PreparedFetch

    fetches = parsed_fetches(replica_pages(env_int("BENCH_PAGES", 2000)))
    _fetches[:] = fetches
    workers = max(1, os.cpu_count() or 1)
    batch = max(1, env_int("BENCH_INGEST_BATCH", 200))
    passes = max(1, env_int("BENCH_INGEST_PASSES", 3))
    # The plain table: the article's fields (lists and dicts as JSON, as sqlite-utils stores them)
    # and the raw body, built before the clock starts, as the fetches are.
    plain_rows = [dict(fetch.article.to_dict(), body=fetch.body) for fetch in fetches]
    archive_rows: dict[str, list[dict]] = {}  # table → the rows the first archive pass wrote
    sizes: dict[str, int] = {}
    files = itertools.count()
    cpu: dict[str, list[float]] = {"archive": [], "raw": [], "plain": []}  # this process's CPU seconds per pass
    spans = [(start, min(start + batch, len(fetches))) for start in range(0, len(fetches), batch)]
    batches = [fetches[start:stop] for start, stop in spans]

    with tempfile.TemporaryDirectory(prefix="dbp-bench-ingest-") as folder, \
            multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(abs, range(workers))  # the workers started before any clock

        def workers_pass() -> float:
            path = Path(folder) / f"archive-{next(files)}.sqlite"
            with Archive(path, reparse=parse_article) as archive:
                run_id = archive.start_run({"bench": "ingest"}, PARSER_VERSION)

                def write() -> None:
                    for (start, stop), computed in zip(spans, pool.imap(_prepare_batch, spans)):
                        archive.record_fetches(run_id, [PreparedFetch(fetch, *values) for fetch, values
                                                        in zip(fetches[start:stop], computed)])
                elapsed = timed(write)
            path.unlink()
            return elapsed

        def archive_pass(batched: bool) -> float:
            path = Path(folder) / f"archive-{next(files)}.sqlite"
            with Archive(path, reparse=parse_article) as archive:
                run_id = archive.start_run({"bench": "ingest"}, PARSER_VERSION)
                if batched:
                    started = time.process_time()
                    elapsed = timed(lambda: [archive.record_fetches(run_id, each) for each in batches])
                    cpu["archive"].append(time.process_time() - started)
                else:
                    elapsed = timed(lambda: [archive.record_fetch(run_id, fetch) for fetch in fetches])
            sizes["archive"] = archive_bytes(path)
            if not archive_rows:
                archive_rows.update(written_rows(path))
            path.unlink()
            return elapsed

        def raw_pass() -> float:
            path = Path(folder) / f"raw-{next(files)}.sqlite"
            with Archive(path):  # the schema, its indexes and triggers, no rows
                pass
            db = sqlite_utils.Database(path)
            started = time.process_time()
            elapsed = timed(lambda: [db[table].insert_all(rows, batch_size=len(rows))
                                     for table, rows in archive_rows.items()])
            cpu["raw"].append(time.process_time() - started)
            db.close()
            path.unlink()
            return elapsed

        def plain_table_pass() -> float:
            path = Path(folder) / f"plain-{next(files)}.sqlite"
            db = sqlite_utils.Database(path)
            started = time.process_time()
            elapsed = timed(lambda: db["pages"].insert_all(plain_rows, batch_size=len(plain_rows)))
            cpu["plain"].append(time.process_time() - started)
            db.close()
            sizes["plain"] = file_bytes(path)
            path.unlink()
            return elapsed

        times: dict[str, list[float]] = {"archive": [], "raw": [], "plain": [], "workers": []}
        archive_pass(batched=True)  # the rows the raw floor inserts; not timed
        for _ in range(passes):
            times["archive"].append(archive_pass(batched=True))
            times["raw"].append(raw_pass())
            times["plain"].append(plain_table_pass())
            times["workers"].append(workers_pass())
        single_s = archive_pass(batched=False)
        archive_s, raw_s, plain_s, workers_s = (min(times[name]) for name in ("archive", "raw", "plain", "workers"))

    html = sum(len(fetch.body) for fetch in fetches)
    n = len(fetches)

    def pass_ratios(floor: str, mine: str) -> list[float]:
        return sorted(f / m for f, m in zip(times[floor], times[mine]))

    ratios, plain_ratios, worker_ratios = (pass_ratios(*pair) for pair in
                                           (("raw", "archive"), ("plain", "archive"), ("raw", "workers")))
    rows_written = sum(len(rows) for rows in archive_rows.values())
    print_table(f"Ingesting {n} parsed replica pages ({html / 2**20:.0f} MB of HTML), parse time excluded, "
                f"best of {passes} alternating passes", ("", "pages/s", "ms/page", "file MB"),
                [(f"Archive.record_fetches ({batch} fetches per transaction)", round(n / archive_s),
                  round(1000 * archive_s / n, 2), round(sizes["archive"] / 2**20, 1)),
                 (f"the same, prepared in {workers} worker processes", round(n / workers_s),
                  round(1000 * workers_s / n, 2), ""),
                 ("Archive.record_fetch (one transaction each; one pass)", round(n / single_s),
                  round(1000 * single_s / n, 2), ""),
                 (f"sqlite-utils insert_all of the rows it wrote ({rows_written} rows, {len(archive_rows)} tables, "
                  "the archive's schema)", round(n / raw_s), round(1000 * raw_s / n, 2), ""),
                 ("sqlite-utils insert_all (one plain table, one batch)", round(n / plain_s),
                  round(1000 * plain_s / n, 2), round(sizes["plain"] / 2**20, 1))])

    def cpu_ms(name: str) -> float:
        return 1000 * min(cpu[name]) / n

    print(f"  ratio per pass: {', '.join(f'{ratio:.3f}' for ratio in ratios)}; prepared in workers: "
          f"{', '.join(f'{ratio:.3f}' for ratio in worker_ratios)}; in CPU time (best passes, "
          f"{cpu_ms('archive'):.2f} vs {cpu_ms('raw'):.2f} ms/page): {cpu_ms('raw') / cpu_ms('archive'):.3f}; "
          f"beside the plain table: {', '.join(f'{ratio:.3f}' for ratio in plain_ratios)}")
    def ratio(key: str, floor: str, mine: str, floor_s: float, mine_s: float, cpu_too: bool = True) -> dict:
        """`key` (best pass ÷ best pass), its range over the passes, and the same in CPU time."""
        per_pass = pass_ratios(floor, mine)
        figures = {key: round(floor_s / mine_s, 3), f"{key}_min": round(per_pass[0], 3),
                   f"{key}_max": round(per_pass[-1], 3)}
        if cpu_too:
            figures[f"{key}_cpu"] = round(cpu_ms(floor) / cpu_ms(mine), 3)
        return figures

    return {
        "ingest_pages": n,
        "ingest_batch": batch,
        "ingest_pages_per_s": round(n / archive_s, 1),
        "ingest_single_transaction_pages_per_s": round(n / single_s, 1),
        "ingest_cpu_ms_per_page": round(cpu_ms("archive"), 3),
        "raw_insert_rows": rows_written,
        "raw_insert_pages_per_s": round(n / raw_s, 1),
        "raw_insert_cpu_ms_per_page": round(cpu_ms("raw"), 3),
        **ratio("ingest_vs_raw_insert", "raw", "archive", raw_s, archive_s),
        "plain_table_pages_per_s": round(n / plain_s, 1),
        "plain_table_cpu_ms_per_page": round(cpu_ms("plain"), 3),
        **ratio("ingest_vs_plain_table", "plain", "archive", plain_s, archive_s),
        "ingest_workers": workers,
        "ingest_prepared_in_workers_pages_per_s": round(n / workers_s, 1),
        # the workers' CPU is in other processes: no CPU ratio for this one
        **ratio("ingest_vs_raw_insert_prepared_in_workers", "raw", "workers", raw_s, workers_s, cpu_too=False),
        "ingest_archive_bytes_per_html_byte": round(sizes["archive"] / html, 4),
        "plain_table_bytes_per_html_byte": round(sizes["plain"] / html, 4),
    }


def written_rows(path: Path) -> dict[str, list[dict]]:
    """Every row of an archive's tables, by table, in the order the schema creates them, without the
    full-text indexes' own tables (the triggers fill those)."""
    import sqlite_utils

    from archive import search

    db = sqlite_utils.Database(path)
    try:
        indexes = (search.FTS_TABLE, search.TITLE_FTS_TABLE)
        tables = [name for name in db.table_names() if not name.startswith(indexes)]
        return {name: rows for name in tables if (rows := list(db[name].rows))}
    finally:
        db.close()
