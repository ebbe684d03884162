"""`make bench`'s `reparse_vs_parse` section: `dbp-archive reparse --workers N` (N = cores) beside
a bare in-process parse loop over the same pages, the floor for one core.

The archive holds BENCH_REPARSE_ARTICLES (default 20 000) replica pages (every generation the
replica renders), parsed and written through the archive's own write path (`Archive.record_fetches`)
as an older parser ("0-bench") read them, with every MISREAD-th title read wrong: the reparse
reads every capture and makes a `parser` version of those. It is built once and cached as
`scale-replica-<N>.sqlite` (in BENCH_SCALE_CACHE, default bench/, gitignored with the scale
section's archives); every measured reparse works on a fresh copy of it.

- **Reparse**: the command as a subprocess, timed from start to exit (spawning its workers, the
  writer's transactions and the last commit included); pages/s = captures read ÷ seconds.
- **Floor**: `crawler.parsing.parse_article` over the same captures in this process, decompressed
  beforehand a chunk at a time (only the parse loop is timed; chunks keep memory flat).
The two alternate BENCH_REPARSE_REPEATS times (default 3); the best of each makes the ratio, and
every pair's own ratio gives its range. Both sides' CPU time per page is reported too (the
reparse's: its writer and workers, from `getrusage`): their ratio says how much work the reparse
adds to parsing, whatever else holds the machine's cores.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from run import REPLICA_SEED, env_int, print_table, run_child, timed  # noqa: E402 - bench/run.py's helpers

TARGETS = {"reparse_vs_parse": (">=", 0.8 * (os.cpu_count() or 1))}

OLD_PARSER = "0-bench"
MISREAD = 10  # every 10th article's stored title is "misread", so a tenth of the reparse writes versions
BUILD_BATCH = 250  # fetches per transaction while building
FLOOR_CHUNK = 500  # captures decompressed at a time for the floor


# -- the archive --------------------------------------------------------------------------------------

_replica = None


def _fetches(task: tuple[int, list[int]]) -> list:
    """In a worker: the replica's pages for these ids, parsed, as an older parser stored them."""
    global _replica
    from crawler import urls
    from crawler.article import SITE_TIME
    from crawler.items import PageFetch
    from crawler.parsing import parse_article
    from crawler.replica import Replica

    articles, ids = task
    if _replica is None:
        _replica = Replica(seed=REPLICA_SEED, articles=articles)
    fetched_at = datetime(2026, 1, 1, 8, tzinfo=SITE_TIME)
    fetches = []
    for article_id in ids:
        url = _replica.url_for(article_id)
        page = _replica.render_article(article_id)
        headers = {name.lower(): value for name, value in page.headers.items()}
        article = replace(parse_article(page.body, url, headers), parser_version=OLD_PARSER)
        if article_id % MISREAD == 0:
            article = replace(article, title=f"{article.title} (misread)")
        fetches.append(PageFetch(requested_url=url, url=url, status=200, headers=headers, body=page.body,
                                 fetched_at=fetched_at + timedelta(seconds=article_id), article=article,
                                 identity=urls.identity_of(url)))
    return fetches


def build(path: Path, articles: int) -> None:
    from archive.db import Archive
    from crawler.replica import Replica

    ids = Replica(seed=REPLICA_SEED, articles=articles).live_ids()[:articles]
    tasks = [(articles, ids[start:start + BUILD_BATCH]) for start in range(0, len(ids), BUILD_BATCH)]
    partial = path.with_suffix(".building")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    started = time.monotonic()
    # The pool forks before the archive opens: no child inherits a connection.
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool, Archive(partial) as archive:
        run_id = archive.start_run({"bench": "reparse"}, OLD_PARSER)
        for fetches in pool.imap(_fetches, tasks):
            archive.record_fetches(run_id, fetches)
        archive.finish_run(run_id, {"requests": len(ids)}, "finished")
        archive.checkpoint()
    partial.rename(path)
    print(f"  built {path.name}: {len(ids):,} articles in {time.monotonic() - started:,.0f}s", flush=True)


def cached_archive(articles: int) -> Path:
    path = Path(os.environ.get("BENCH_SCALE_CACHE", HERE)) / f"scale-replica-{articles}.sqlite"
    if path.exists():
        print(f"  reusing {path.name}")
    else:
        print(f"  building {path.name}: {articles:,} replica articles", flush=True)
        build(path, articles)
    return path


def fresh_copy(source: Path, folder: Path) -> Path:
    """A copy of the cached archive, brought to this schema and with nothing reparsed yet."""
    from archive.db import Archive

    copy = folder / "archive.sqlite"
    for companion in folder.glob("archive.sqlite*"):
        companion.unlink()
    shutil.copyfile(source, copy)
    with Archive(copy) as archive:  # migrations, if the code moved on since the build: not timed
        archive.checkpoint()
    return copy


# -- the two sides ------------------------------------------------------------------------------------

def run_reparse(db: Path, workers: int) -> dict:
    done, cpu = run_child([sys.executable, "-m", "crawler.cli", "reparse", "--db", str(db),
                           "--workers", str(workers)])
    if done.returncode != 0 or not done.stdout.startswith("reparse: "):
        raise RuntimeError(f"reparse failed ({done.returncode}): {done.stdout[-500:]}{done.stderr[-2000:]}")
    words = done.stdout.split()
    return {"read": int(words[1]), "made": int(words[4]), "failed": int(words[7]), "cpu_seconds": cpu}


def timed_reparse(db: Path, workers: int) -> tuple[float, dict]:
    started = time.perf_counter()
    summary = run_reparse(db, workers)
    return time.perf_counter() - started, summary


def floor_seconds(db: Path) -> tuple[float, float, int, int]:
    """(seconds parsing, CPU seconds, pages, bytes): `parse_article` over every capture the reparse reads."""
    import gc
    import json

    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION, parse_article

    seconds, cpu, pages, size = 0.0, 0.0, 0, 0
    with Archive(db, readonly=True) as archive:
        due = archive.due_for_reparse(PARSER_VERSION)
        for start in range(0, len(due), FLOOR_CHUNK):
            chunk = []
            for version_id in due[start:start + FLOOR_CHUNK]:
                row = archive._db.execute(
                    "SELECT c.id, c.url, c.headers FROM versions AS v JOIN captures AS c ON c.id = v.capture_id"
                    " WHERE v.id = ?", (version_id,)).fetchone()
                chunk.append((archive.capture_body(row["id"]), row["url"], json.loads(row["headers"])))
            gc.collect()

            def parse_chunk(chunk=chunk) -> None:
                for body, url, headers in chunk:
                    parse_article(body, url, headers)

            started = time.process_time()
            seconds += timed(parse_chunk)
            cpu += time.process_time() - started
            pages += len(chunk)
            size += sum(len(body) for body, _, _ in chunk)
    return seconds, cpu, pages, size


def _parse_all(pages: list) -> None:
    from crawler.parsing import parse_article

    for body, url, headers in pages:
        parse_article(body, url, headers)


def parallel_ceiling(db: Path, workers: int, count: int) -> float:
    """What the machine gives `workers` processes right now: that many forked processes each parsing
    the same `count` captures at once, pages/s ÷ one process alone (2.0 on two idle cores; less
    while other work holds a core, whatever the reparse does)."""
    import json

    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION

    with Archive(db, readonly=True) as archive:
        pages = []
        for version_id in archive.due_for_reparse(PARSER_VERSION)[:count]:
            row = archive._db.execute(
                "SELECT c.id, c.url, c.headers FROM versions AS v JOIN captures AS c ON c.id = v.capture_id"
                " WHERE v.id = ?", (version_id,)).fetchone()
            pages.append((archive.capture_body(row["id"]), row["url"], json.loads(row["headers"])))

    def rate(processes: int) -> float:
        context = multiprocessing.get_context("fork")
        children = [context.Process(target=_parse_all, args=(pages,)) for _ in range(processes)]
        started = time.perf_counter()
        for child in children:
            child.start()
        for child in children:
            child.join()
        return processes * len(pages) / (time.perf_counter() - started)

    return rate(workers) / rate(1)


# -- the section ---------------------------------------------------------------------------------------

def bench_reparse_vs_parse() -> dict:
    articles = env_int("BENCH_REPARSE_ARTICLES", 20_000)
    repeats = env_int("BENCH_REPARSE_REPEATS", 3)
    workers = os.cpu_count() or 1
    source = cached_archive(articles)
    ceiling_pages = env_int("BENCH_REPARSE_CEILING_PAGES", 1000)
    floors, reparses, pairs, ceilings, cpu = [], [], [], [], {"floor": [], "reparse": []}
    with tempfile.TemporaryDirectory(prefix="dbp-bench-reparse-") as folder:
        for _ in range(repeats):
            db = fresh_copy(source, Path(folder))
            ceilings.append(parallel_ceiling(db, workers, ceiling_pages))
            floor_s, floor_cpu, pages, size = floor_seconds(db)
            reparse_s, summary = timed_reparse(db, workers)
            if summary["read"] != pages or summary["failed"]:
                raise RuntimeError(f"reparse read {summary['read']} captures ({summary['failed']} failed); "
                                   f"the floor parsed {pages}")
            floors.append(pages / floor_s)
            reparses.append(pages / reparse_s)
            pairs.append(reparses[-1] / floors[-1])
            cpu["floor"].append(1000 * floor_cpu / pages)
            cpu["reparse"].append(1000 * summary["cpu_seconds"] / pages)
    floor, ours = max(floors), max(reparses)
    floor_cpu, reparse_cpu = min(cpu["floor"]), min(cpu["reparse"])
    print_table(f"Reparsing {pages:,} replica captures (mean {size / pages / 1024:.0f} KB), {workers} workers, "
                f"{summary['made']:,} versions made; best of {repeats}",
                ("", "pages/s", "ms/page"),
                [("parse_article loop, one core, decompressed beforehand (floor)", round(floor), round(1000 / floor, 2)),
                 (f"dbp-archive reparse --workers {workers}", round(ours), round(1000 / ours, 2)),
                 (f"reparse ÷ floor (target ≥ {TARGETS['reparse_vs_parse'][1]:.1f})", round(ours / floor, 2), "")])
    print(f"CPU per page: floor {floor_cpu:.2f} ms, reparse {reparse_cpu:.2f} ms (its writer and workers together)")
    print(f"{workers} bare parse processes at once ÷ one, same pages (what the machine gave): "
          f"{min(ceilings):.2f}–{max(ceilings):.2f}")
    return {
        "reparse_articles": pages,
        "reparse_workers": workers,
        "reparse_versions_made": summary["made"],
        "reparse_pages_per_s": round(ours, 1),
        "reparse_floor_pages_per_s": round(floor, 1),
        "reparse_vs_parse": round(ours / floor, 3),
        "reparse_vs_parse_min": round(min(pairs), 3),
        "reparse_vs_parse_max": round(max(pairs), 3),
        # CPU per page, all the reparse's processes ÷ the floor's: what the ratio would be on idle cores
        # is `workers` ÷ this (the wall ratio falls short of it when other work holds the cores).
        "reparse_floor_cpu_ms_per_page": round(floor_cpu, 3),
        "reparse_cpu_ms_per_page": round(reparse_cpu, 3),
        "reparse_cpu_vs_parse": round(reparse_cpu / floor_cpu, 3),
        "reparse_parallel_parse_ceiling_min": round(min(ceilings), 3),
        "reparse_parallel_parse_ceiling_max": round(max(ceilings), 3),
    }


if __name__ == "__main__":
    print(bench_reparse_vs_parse())
