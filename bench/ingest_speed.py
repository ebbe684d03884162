"""`make bench`'s `ingest_vs_raw_insert` section: the archive's write path beside a plain insert.

The input is BENCH_PAGES replica pages (`run.replica_pages`), parsed beforehand into the `PageFetch`
values the spider hands the pipeline; the parse is not timed. In one run, alternating so both meet
the same load of the machine:
- **archive**: `Archive.record_fetches`, BENCH_INGEST_BATCH fetches per transaction (the crawl's
  pipeline writes in batches too), into a fresh file each pass: versions, observations, captures,
  links, the frontier and the search index, every fetch hashed, fingerprinted and compressed;
- **raw**: sqlite-utils `insert_all` of the same article fields (`Article.to_dict()`, lists as JSON)
  and the raw bodies into one table, in one call;
- **archive, prepared in workers**: the same, with each batch's hashing, fingerprinting and version
  rows (`archive.prepared.prepare`) done in a pool of one process per core while the writer records
  the batch before: the wall time from the first batch sent to the last committed;
and once, for the record, `Archive.record_fetch` (one transaction per fetch). Each rate is the best
of BENCH_INGEST_PASSES passes; the ratios are the archive's pages/s ÷ the plain table's, and the
same in this process's CPU time (`ingest_vs_raw_insert_cpu`), which a loaded machine moves less:
the plain insert spends most of its wall time writing five times the archive's bytes.
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
    rows = [dict(fetch.article.to_dict(), body=fetch.body) for fetch in fetches]
    sizes: dict[str, int] = {}
    files = itertools.count()
    cpu: dict[str, list[float]] = {"archive": [], "raw": []}  # this process's CPU seconds per pass
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
            path.unlink()
            return elapsed

        def raw_pass() -> float:
            path = Path(folder) / f"raw-{next(files)}.sqlite"
            db = sqlite_utils.Database(path)
            started = time.process_time()
            elapsed = timed(lambda: db["pages"].insert_all(rows, batch_size=len(rows)))
            cpu["raw"].append(time.process_time() - started)
            db.close()
            sizes["raw"] = file_bytes(path)
            path.unlink()
            return elapsed

        archive_times, raw_times, worker_times = [], [], []
        for _ in range(passes):
            archive_times.append(archive_pass(batched=True))
            raw_times.append(raw_pass())
            worker_times.append(workers_pass())
        single_s = archive_pass(batched=False)
        archive_s, raw_s, workers_s = min(archive_times), min(raw_times), min(worker_times)

    html = sum(len(fetch.body) for fetch in fetches)
    n = len(fetches)
    ratios = sorted(raw / archive for raw, archive in zip(raw_times, archive_times))
    worker_ratios = sorted(raw / archive for raw, archive in zip(raw_times, worker_times))
    print_table(f"Ingesting {n} parsed replica pages ({html / 2**20:.0f} MB of HTML), parse time excluded, "
                f"best of {passes} alternating passes", ("", "pages/s", "ms/page", "file MB"),
                [(f"Archive.record_fetches ({batch} fetches per transaction)", round(n / archive_s),
                  round(1000 * archive_s / n, 2), round(sizes["archive"] / 2**20, 1)),
                 (f"the same, prepared in {workers} worker processes", round(n / workers_s),
                  round(1000 * workers_s / n, 2), ""),
                 ("Archive.record_fetch (one transaction each; one pass)", round(n / single_s),
                  round(1000 * single_s / n, 2), ""),
                 ("sqlite-utils insert_all (one table, one batch)", round(n / raw_s), round(1000 * raw_s / n, 2),
                  round(sizes["raw"] / 2**20, 1))])
    cpu_ratio = min(cpu["raw"]) / min(cpu["archive"])
    print(f"  ratio per pass: {', '.join(f'{ratio:.3f}' for ratio in ratios)}; prepared in workers: "
          f"{', '.join(f'{ratio:.3f}' for ratio in worker_ratios)}; in CPU time (best passes, "
          f"{1000 * min(cpu['archive']) / n:.2f} vs {1000 * min(cpu['raw']) / n:.2f} ms/page): {cpu_ratio:.3f}")
    return {
        "ingest_pages": n,
        "ingest_batch": batch,
        "ingest_pages_per_s": round(n / archive_s, 1),
        "ingest_single_transaction_pages_per_s": round(n / single_s, 1),
        "raw_insert_pages_per_s": round(n / raw_s, 1),
        "ingest_vs_raw_insert": round(raw_s / archive_s, 3),
        "ingest_vs_raw_insert_min": round(ratios[0], 3),
        "ingest_vs_raw_insert_max": round(ratios[-1], 3),
        "ingest_cpu_ms_per_page": round(1000 * min(cpu["archive"]) / n, 3),
        "raw_insert_cpu_ms_per_page": round(1000 * min(cpu["raw"]) / n, 3),
        "ingest_vs_raw_insert_cpu": round(cpu_ratio, 3),
        "ingest_workers": workers,
        "ingest_prepared_in_workers_pages_per_s": round(n / workers_s, 1),
        "ingest_vs_raw_insert_prepared_in_workers": round(raw_s / workers_s, 3),
        "ingest_vs_raw_insert_prepared_in_workers_min": round(worker_ratios[0], 3),
        "ingest_vs_raw_insert_prepared_in_workers_max": round(worker_ratios[-1], 3),
        "ingest_archive_bytes_per_html_byte": round(sizes["archive"] / html, 4),
        "raw_insert_bytes_per_html_byte": round(sizes["raw"] / html, 4),
    }
