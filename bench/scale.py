"""`make bench`'s `scale` section: the archive at scale (BENCH_SCALE_ARTICLES; default 100 000; the
replica model holds at most 200 000 articles, so a million needs its id space widened first).

1. Builds the archive through its own write path (`Archive.record_fetches`, BUILD_BATCH fetches per
   transaction) from replica pages (`crawler.replica.fetches`: the page, and the model's truth as
   its parsed article) rendered and prepared (`archive.prepared`) in worker processes, one per
   core, so the writer only decides and writes; it caches it as `bench/scale-<N>.sqlite`
   (gitignored) with what the build measured beside it (`.json`): a later run reuses both. The
   replica has BENCH_SCALE_INGEST (5 000) articles more than the archive is given.
   `ingest_rate_ratio_<n>_vs_10k`: those articles written into a copy of it and into a copy of a
   10 000-article archive (N/10 when smaller, built and cached the same way), a batch to each in
   turn, timed in the writer only; each copy synced first, and the writer's reads from the disk
   itself per article (`ingest_disk_read_bytes_per_article_<n>`: the page cache's misses) beside.
2. `crawl_startup_s_<n>`, `crawl_startup_rss_mb_<n>`: `dbp-archive crawl --max-articles 1` against a
   small replica, every known article due (the build's fetches lie in the past), timed and its peak
   RSS read (`os.wait4`) from start to exit.
3. `search_p95_ms_<n>`: 200 Vietnamese queries, half with tone marks and the same folded, through
   `Archive.search` (`bench/search_speed.py`'s `search_latency`).
4. `export_<n>_peak_rss_mb`: `dbp-archive export csv` of every article, peak RSS of the process.
5. `growth_bytes_per_article_year`: a simulated year of the replica's clock (BENCH_SCALE_DAYS days of
   BENCH_SCALE_YEAR_ARTICLES articles): every day the clock moves, and what a daily crawl fetches (the
   archive's due articles, and the day's new ones) is rendered by the replica model, parsed and
   recorded; the archive's growth ÷ the article-years it held.

Run alone: `.venv/bin/python bench/scale.py`; in `make bench` as section `scale`
(`BENCH_ONLY=scale`). BENCH_SCALE_CACHE names another folder for the cached archive, BENCH_RESULTS
another results file (the smoke test, `tests/test_bench_scale.py`, uses both). `<n>` in the keys is the scale actually built (`1m`, `100k`, `200`), so a
smaller run never reads as a million.
"""

from __future__ import annotations

import json
from collections import deque
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from run import ReplicaProcess, env_int, print_table, subprocess_env  # noqa: E402 - bench/run.py's helpers

BUILD_BATCH = 500  # fetches per transaction while building
RATE_WINDOW = 10_000  # articles each ingest rate is timed over (N/10 when smaller)
REPLICA_SEED = 1
BUILD_START = "2025-01-01T00:00:00+07:00"  # the build's first fetch; one a second after it
TARGETS = {  # for the million; at other scales the numbers are printed, not judged
    "crawl_startup_s_1m": ("<=", 30.0),
    "crawl_startup_rss_mb_1m": ("<=", 300.0),
    "ingest_rate_ratio_1m_vs_10k": (">=", 0.8),
    "search_p95_ms_1m": ("<=", 100.0),
    "export_1m_peak_rss_mb": ("<=", 150.0),
}


def scale_label(articles: int) -> str:
    if articles % 1_000_000 == 0:
        return f"{articles // 1_000_000}m"
    return f"{articles // 1000}k" if articles % 1000 == 0 else str(articles)


# -- building ---------------------------------------------------------------------------------------

_replica = None


def _replica_for(articles: int):
    """The replica a scale archive is drawn from: `articles` of its own, and the reserve that
    `ingest_ratio` writes later (one model per worker process, made once)."""
    global _replica
    from crawler.replica import Replica

    if _replica is None or _replica.initial_count != articles:
        _replica = Replica(seed=REPLICA_SEED, articles=articles)
    return _replica


def _render(task: tuple[int, int, int]):
    """(replica articles, start, stop) → the fetches of the replica's articles start…stop-1, each
    fetched a second after the one before, prepared for the writer (`archive.prepared`: hashed,
    fingerprinted, version rows made), in a worker process."""
    from archive.prepared import prepare
    from crawler.article import SITE_TIME
    from crawler.replica.fetches import article_fetch

    articles, start, stop = task
    replica = _replica_for(articles)
    first = datetime.fromisoformat(BUILD_START).astimezone(SITE_TIME)
    ids = replica.all_ids()
    return [prepare(article_fetch(replica, ids[index], first + timedelta(seconds=index)))
            for index in range(start, stop)]


def _rendered(pool, tasks: list, ahead: int = 2):
    """The workers' batches in order, at most `ahead` rendered and waiting (`imap` would render them
    all while the writer is slower, and hold them in memory)."""
    waiting = deque(pool.apply_async(_render, (task,)) for task in tasks[:ahead])
    following = iter(tasks[ahead:])
    while waiting:
        batch = waiting.popleft().get()
        task = next(following, None)
        if task is not None:
            waiting.append(pool.apply_async(_render, (task,)))
        yield batch


def build(path: Path, articles: int, reserve: int) -> dict:
    """The archive of the first `articles` of a replica of `articles + reserve`, written batch by
    batch; what the build measured."""
    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION
    from crawler.replica.model import MAX_ARTICLES

    if articles + reserve > MAX_ARTICLES:
        raise SystemExit(f"scale: {articles:,} articles and {reserve:,} more to ingest exceed the replica's "
                         f"{MAX_ARTICLES:,}")
    window = min(RATE_WINDOW, max(1, articles // 10))
    partial = path.with_suffix(".building")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    tasks = [(articles + reserve, start, min(start + BUILD_BATCH, articles))
             for start in range(0, articles, BUILD_BATCH)]
    workers = max(1, os.cpu_count() or 1)
    writing = {"early": 0.0, "late": 0.0, "all": 0.0}
    early, late = (window, 2 * window), (articles - window, articles)
    started = time.monotonic()
    done = 0
    with Archive(partial) as archive, multiprocessing.get_context("fork").Pool(workers) as pool:
        run_id = archive.start_run({"bench": "scale", "articles": articles}, PARSER_VERSION,
                                   started_at=datetime.fromisoformat(BUILD_START))
        for fetches in _rendered(pool, tasks, ahead=2 * workers):
            tick = time.perf_counter()
            archive.record_fetches(run_id, fetches)
            spent = time.perf_counter() - tick
            writing["all"] += spent
            for name, (low, high) in (("early", early), ("late", late)):
                # A batch's time, shared out by how many of its articles fall in the window.
                overlap = max(0, min(high, done + len(fetches)) - max(low, done))
                writing[name] += spent * overlap / len(fetches)
            done += len(fetches)
            if done % 10_000 == 0 or done == articles:
                print(f"  built {done:,} of {articles:,} articles in {time.monotonic() - started:,.0f}s",
                      flush=True)
        archive.finish_run(run_id, {"requests": articles}, "finished")
        archive.checkpoint()
    partial.rename(path)
    label = scale_label(articles)
    return {
        "articles": articles,
        "ingest_reserve": reserve,
        "build_workers": workers,
        "build_seconds": round(time.monotonic() - started, 1),
        "build_write_seconds": round(writing["all"], 1),
        "ingest_window": window,
        f"ingest_pages_per_s_at_{scale_label(window)}": round(window / writing["early"], 1),
        f"ingest_pages_per_s_at_{label}": round(window / writing["late"], 1),
        "archive_bytes": path.stat().st_size,
    }


def ingest_ratio(big: Path, articles: int, big_facts: dict) -> dict:
    """Writing the replica's reserve (the articles after the archive's own, new to it) into a copy of
    the big archive, and its own reserve into a copy of one of RATE_WINDOW articles, batch by batch
    in turn, so both meet the same load of the machine (a long build's early and late rates do not:
    the machine's other work moves in between); rate big ÷ small. Each copy starts as an archive that
    has sat on its disk does (`settled_copy`)."""
    from archive.db import Archive
    from crawler.parsing import PARSER_VERSION

    small_size = min(RATE_WINDOW, max(1, articles // 10))
    small, small_facts = cached_archive(small_size, with_reserve=True)
    extra = min(big_facts["ingest_reserve"], small_facts["ingest_reserve"])
    seconds, read_bytes = {}, {}
    with tempfile.TemporaryDirectory(prefix="dbp-bench-ingest-", dir=big.parent) as folder:
        archives, sizes = {}, {}
        for name, source, size, reserve in (("big", big, articles, big_facts["ingest_reserve"]),
                                            ("small", small, small_size, small_facts["ingest_reserve"])):
            copy = Path(folder) / f"{name}.sqlite"
            settled_copy(source, copy)
            archives[name] = Archive(copy)
            sizes[name] = (size + reserve, size)
            seconds[name] = 0.0
            read_bytes[name] = 0
        try:
            runs = {name: archive.start_run({"bench": "ingest"}, PARSER_VERSION) for name, archive in archives.items()}
            for start in range(0, extra, BUILD_BATCH):
                for name, archive in archives.items():
                    total, size = sizes[name]
                    # Rendered here, untimed: the same replica pages the build's workers made.
                    fetches = _render((total, size + start, size + min(start + BUILD_BATCH, extra)))
                    reads, tick = disk_read_bytes(), time.perf_counter()
                    archive.record_fetches(runs[name], fetches)
                    seconds[name] += time.perf_counter() - tick
                    read_bytes[name] += disk_read_bytes() - reads
        finally:
            for archive in archives.values():
                archive.close()
    label, small_label = scale_label(articles), scale_label(small_size)
    return {f"ingest_pages_per_s_{label}": round(extra / seconds["big"], 1),
            f"ingest_pages_per_s_{small_label}": round(extra / seconds["small"], 1),
            f"ingest_rate_ratio_{label}_vs_{small_label}": round(seconds["small"] / seconds["big"], 3),
            f"ingest_disk_read_bytes_per_article_{label}": read_bytes["big"] // extra,
            f"ingest_disk_read_bytes_per_article_{small_label}": read_bytes["small"] // extra}


def settled_copy(source: Path, copy: Path) -> None:
    """A copy of an archive written back to its disk, as an archive that has sat there is: else
    SQLite's first checkpoint, which syncs the file, waits for gigabytes of the copy's own write-back,
    and the rate measures the copy."""
    shutil.copyfile(source, copy)
    with open(copy, "rb") as settled:
        os.fsync(settled.fileno())


def disk_read_bytes() -> int:
    """Bytes this process has read from the disk itself, not the page cache (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/io") as counters:
            return next(int(line.split()[1]) for line in counters if line.startswith("read_bytes:"))
    except (OSError, StopIteration):
        return 0


def cached_archive(articles: int, *, with_reserve: bool = False) -> tuple[Path, dict]:
    """The archive of `articles` replica articles, built once and cached under BENCH_SCALE_CACHE
    (bench/ by default), with BENCH_SCALE_INGEST articles of its replica left out for `ingest_ratio`.
    `with_reserve`: a cached file built before there was a reserve (older builds) is built again."""
    path = Path(os.environ.get("BENCH_SCALE_CACHE", HERE)) / f"scale-{articles}.sqlite"
    facts = path.with_suffix(".json")
    usable = facts.exists() and (not with_reserve or "ingest_reserve" in json.loads(facts.read_text()))
    if path.exists() and usable:
        print(f"  reusing {path.name} (built {json.loads(facts.read_text()).get('built_at')})")
        return path, json.loads(facts.read_text())
    print(f"  building {path.name}: {articles:,} articles", flush=True)
    measured = build(path, articles, env_int("BENCH_SCALE_INGEST", 5000))
    measured["built_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    facts.write_text(json.dumps(measured, indent=2, sort_keys=True) + "\n")
    return path, measured


# -- processes, timed -------------------------------------------------------------------------------

# A small process runs each measured command and reports its children's peak RSS: Linux counts the
# memory of the process that forked a child into the child's peak (`ru_maxrss` survives exec), so a
# command started straight from this process, big with the benchmark's own data, would read as big.
_LAUNCHER = """
import resource, subprocess, sys, time
started = time.monotonic()
status = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL).returncode
seconds = time.monotonic() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{status} {seconds} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
"""


def timed_child(command: list[str]) -> tuple[int, float, float, str]:
    """(exit status, wall seconds, peak RSS in MB, stderr tail) of one subprocess, start to exit."""
    with tempfile.TemporaryDirectory(prefix="dbp-bench-run-") as folder:
        report = Path(folder) / "report"
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *command], cwd=ROOT,
                              env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        status, seconds, rss_kb = report.read_text().split()
    tail = done.stderr[-2000:].decode("utf-8", "replace")
    return int(status), float(seconds), int(rss_kb) / 1024, tail  # ru_maxrss: KB on Linux


def crawl_startup(path: Path, label: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="dbp-bench-scale-") as folder:
        server = ReplicaProcess(200, Path(folder))
        try:
            status, seconds, rss, errors = timed_child(
                [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(path), "--start-url", server.url,
                 "--max-articles", "1", "--no-politeness"])
        finally:
            server.stop()
    from crawler import exits

    if status not in (exits.OK, exits.MOST_FAILED):  # the one due article is not on this small replica
        raise RuntimeError(f"crawl failed ({status}): {errors}")
    return {f"crawl_startup_s_{label}": round(seconds, 2), f"crawl_startup_rss_mb_{label}": round(rss, 1)}


def export_csv(path: Path, label: str, articles: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="dbp-bench-scale-") as folder:
        out = Path(folder) / "articles.csv"
        status, seconds, rss, errors = timed_child(
            [sys.executable, "-m", "crawler.cli", "export", "csv", "--db", str(path), "-o", str(out)])
        if status != 0:
            raise RuntimeError(f"export failed ({status}): {errors}")
        with open(out, "rb") as handle:
            lines = sum(1 for _ in handle)
    if lines <= articles:  # a header, and a row per article (more lines: text with line breaks)
        raise RuntimeError(f"export wrote {lines} lines for {articles} articles")
    return {f"export_{label}_peak_rss_mb": round(rss, 1), f"export_{label}_seconds": round(seconds, 1)}


# -- a year of daily crawls of the replica ----------------------------------------------------------

def simulated_year(articles: int, days: int) -> dict:
    """The archive's growth over `days` of daily crawls of a replica of `articles` articles, per
    article-year (the articles the archive held, day by day, summed, ÷ 365)."""
    from archive.db import Archive
    from crawler import urls
    from crawler.article import NotAnArticle
    from crawler.items import PageFetch
    from crawler.parsing import PARSER_VERSION, parse_article
    from crawler.replica.model import Replica

    replica = Replica(seed=1, articles=articles)
    fetches = 0

    def fetch(archive, run_id, article_id: int) -> None:
        nonlocal fetches
        url = replica.url_for(article_id)
        status = replica.status(article_id)
        page = replica.render_article(article_id) if status == 200 else None
        headers = {name.lower(): value for name, value in (page.headers if page else {}).items()}
        fetch = PageFetch(requested_url=url, url=url, status=status, fetched_at=replica.now(), headers=headers,
                          body=page.body if page else None, identity=urls.identity_of(url))
        if page is not None:
            try:
                fetch.article = parse_article(page.body, url, headers)
            except NotAnArticle as exc:
                fetch.error, fetch.page_kind = f"not an article: {exc}", exc.kind
        archive.record_fetch(run_id, fetch)
        fetches += 1

    with tempfile.TemporaryDirectory(prefix="dbp-bench-year-") as folder:
        path = Path(folder) / "year.sqlite"
        article_days = 0
        with Archive(path, reparse=parse_article) as archive:
            run_id = archive.start_run({"bench": "year"}, PARSER_VERSION, started_at=replica.now())
            for article_id in replica.live_ids():
                fetch(archive, run_id, article_id)
            archive.checkpoint()
            start_bytes = path.stat().st_size
            initial = archive.count_articles()
            for _ in range(days):
                changes = replica.advance()
                run_id = archive.start_run({"bench": "year"}, PARSER_VERSION, started_at=replica.now())
                due = [entry.identity for entry in archive.due_articles(replica.now())]
                ids = dict.fromkeys([int(identity) for identity in due if identity.isdigit()] + list(changes.added))
                for article_id in ids:
                    fetch(archive, run_id, article_id)
                archive.finish_run(run_id, {}, "finished", finished_at=replica.now())
                article_days += archive.count_articles()
            archive.checkpoint()
            growth = path.stat().st_size - start_bytes
            held = archive.count_articles()
    article_years = article_days / 365
    # The year's new articles cost what the first crawl's did each; the rest is what revisits add.
    revisits = growth - (held - initial) * start_bytes / initial
    return {"year_days": days, "year_replica_articles": articles, "year_articles_at_end": held,
            "year_fetches": fetches, "year_growth_bytes": growth, "year_first_crawl_bytes_per_article":
            round(start_bytes / initial), "year_article_years": round(article_years, 1),
            "growth_bytes_per_article_year": round(growth / article_years),
            "revisit_growth_bytes_per_article_year": round(revisits / article_years)}


# -- the section ------------------------------------------------------------------------------------

def bench_scale() -> dict:
    articles = env_int("BENCH_SCALE_ARTICLES", 100_000)
    label = scale_label(articles)
    path, built = cached_archive(articles, with_reserve=True)
    from archive.db import Archive

    with Archive(path) as archive:  # migrations, if the code moved on since the build: not timed below
        archive.checkpoint()
    results = {f"scale_{key}": value for key, value in built.items()}
    from search_speed import SEARCH_QUERIES, search_latency

    results.update(ingest_ratio(path, articles, built))
    results.update(crawl_startup(path, label))
    results.update(search_latency(path, label))
    results.update(export_csv(path, label, articles))
    results.update(simulated_year(env_int("BENCH_SCALE_YEAR_ARTICLES", 100), env_int("BENCH_SCALE_DAYS", 365)))
    small = scale_label(min(RATE_WINDOW, max(1, articles // 10)))
    print_table(f"The archive at {articles:,} articles ({built['archive_bytes'] / 2**30:.2f} GB, built in "
                f"{built['build_seconds']:,.0f}s)", ("", "value"), [
        (f"ingest pages/s into {small} articles (interleaved)", results[f"ingest_pages_per_s_{small}"]),
        (f"ingest pages/s into {label} articles (interleaved)", results[f"ingest_pages_per_s_{label}"]),
        (f"crawl start-up s (--max-articles 1, all {articles:,} due)", results[f"crawl_startup_s_{label}"]),
        ("crawl peak RSS MB", results[f"crawl_startup_rss_mb_{label}"]),
        (f"search p50 / p95 ms ({SEARCH_QUERIES} queries)",
         f"{results[f'search_p50_ms_{label}']} / {results[f'search_p95_ms_{label}']}"),
        ("export csv peak RSS MB", results[f"export_{label}_peak_rss_mb"]),
        (f"growth bytes per article-year ({results['year_days']} days, {results['year_fetches']:,} fetches)",
         results["growth_bytes_per_article_year"]),
        ("  of which revisits (new articles' first fetches left out)", results["revisit_growth_bytes_per_article_year"]),
    ])
    return results


def main() -> int:
    results_file = Path(os.environ.get("BENCH_RESULTS", HERE / "results.json"))
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results.update(bench_scale())
    results_file.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
