"""`make bench`: how fast the parser, the archive and the whole crawl are, each beside a floor.

Sections (one function each in SECTIONS, run in that order; BENCH_ONLY=name[,name…] picks some):
- `parse`: `crawler.parsing.parse_article` pages/s on pages of all four generations and drawn
  layouts (`parse_pages`) beside a bare `lxml.html.fromstring` of the same bytes (the floor) and
  trafilatura's `bare_extraction(with_metadata=True)` (what a user would pick; on an evenly spaced BENCH_TRAFILATURA_PAGES of them, default 500: it is the slow one).
- `ingest_vs_raw_insert`: `Archive.record_fetches` of pre-parsed fetches, in batches, beside
  sqlite-utils `insert_all` of the rows it wrote into an empty archive (its indexes and full-text
  triggers), and of the same fields and bodies into one plain table (`bench/ingest_speed.py`).
- `crawl_vs_fetch_only`: `dbp-archive crawl --no-politeness` over a replica of BENCH_ARTICLES
  articles, beside a Scrapy spider that only downloads the same article URLs (`bench/fetch_only.py`).
- `archive_bytes_per_html_byte`, `unchanged_recrawl_bytes_per_article`,
  `recrawl_requests_per_new_article`: the archive's size after that crawl, its growth on a
  `--recheck-all` crawl of the unchanged site, and the requests a normal crawl spends per new
  article after the replica's clock moves one day.
- `reparse_vs_parse`, `export_csv_vs_sqlite3`, `search`, `freshness`: in `bench/reparse_speed.py`,
  `bench/export_speed.py`, `bench/search_speed.py`, `bench/freshness.py` (each module's docstring).
- `scale`: the archive at BENCH_SCALE_ARTICLES articles (`bench/scale.py`, cached under bench/).
The crawl sections share one replica server (`python -m crawler.replica`, its own process) and one
archive, built on first use. Prints a table per section, writes `bench/results.json` (BENCH_RESULTS:
another file), checks TARGETS. BENCHMARKS.md lists every knob.
Sizes: BENCH_PAGES (parse, ingest; default 2000), BENCH_ARTICLES (crawl; default 20000).
BENCH_PROFILE=DIR runs every crawl under pyinstrument and leaves `crawl-N.html` call trees there.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", HERE / "results.json"))  # another file: the smoke test
TARGETS = {
    "parse_speedup_vs_trafilatura": (">=", 10.0),
    "parse_cost_vs_lxml": ("<=", 3.0),
    "crawl_vs_fetch_only": (">=", 0.7),
    "archive_bytes_per_html_byte": ("<=", 0.2),
    "unchanged_recrawl_bytes_per_article": ("<=", 250),
    "recrawl_requests_per_new_article": ("<=", 1.2),
}
REPLICA_SEED = 1
SUBPROCESS_TIMEOUT = 1800  # seconds; a crawl of 20 000 articles takes a few minutes


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# -- shared helpers --------------------------------------------------------------------------------

def print_table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    """A title, then rows: the first column left-aligned, numbers right-aligned to their header."""
    first = max(len(str(row[0])) for row in [header, *rows])
    widths = [max(len(header[i]), *(len(_cell(row[i])) for row in rows)) for i in range(1, len(header))]
    print(f"\n{title}")
    print(f"{header[0]:{first}}  " + "  ".join(f"{h:>{w}}" for h, w in zip(header[1:], widths)))
    for row in rows:
        print(f"{row[0]:{first}}  " + "  ".join(f"{_cell(v):>{w}}" for v, w in zip(row[1:], widths)))


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.{2 if abs(value) < 10 else 1 if abs(value) < 1000 else 0}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def best_seconds(run: Callable[[], float], repeats: int) -> float:
    """The fastest of `repeats` runs (each returns its own elapsed seconds): the least disturbed by
    the rest of the machine."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        best = min(best, run())
    return best


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


@functools.cache
def replica_pages(count: int, seed: int = 7) -> list[tuple[bytes, str, dict]]:
    """(body, url, headers) of the first `count` articles of a replica, each in its own generation."""
    from crawler.replica import Replica

    replica = Replica(seed=seed, articles=count)
    pages = []
    for article_id in replica.live_ids()[:count]:
        page = replica.render_article(article_id)
        pages.append((page.body, replica.url_for(article_id), page.headers))
    return pages


def parse_pages(count: int, seed: int = 7) -> list[tuple[bytes, str, dict]]:
    """Pages of all four generations and of drawn layouts: half the replica's own (2020, 2023,
    2025), a quarter today's markup, a quarter layouts from `crawler.replica.layouts`."""
    import random

    from crawler.replica import Replica
    from crawler.replica.layouts import draw_layout

    pages = replica_pages(count // 2, seed)
    today = Replica(seed=seed, articles=max(200, count), today=True)
    current = [a for a in today.live_ids() if today.article(a).generation == "2025"][: count // 4]
    for article_id in current:
        page = today.render_article(article_id)
        pages.append((page.body, today.url_for(article_id), page.headers))
    rng = random.Random(seed)
    plain = Replica(seed=seed, articles=max(200, count // 4))
    for article_id in rng.sample(plain.live_ids(), min(count - len(pages), len(plain.live_ids()))):
        page = plain.render_article(article_id, layout=draw_layout(rng))
        pages.append((page.body, plain.url_for(article_id), page.headers))
    return pages


def pages_per_second(work, pages, repeats: int = 3) -> float:
    def each_page() -> None:
        for page in pages:
            work(page)  # results dropped as made: no pile of them for the collector to walk

    return len(pages) / best_seconds(lambda: timed(each_page), repeats)


def file_bytes(path: Path) -> int:
    """A SQLite file's size with its write-ahead log, if any."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def archive_bytes(path: Path) -> int:
    """The archive's size once its write-ahead log is moved into the main file."""
    from archive.db import Archive

    with Archive(path) as archive:
        archive.checkpoint()
    return file_bytes(path)


# -- parse -----------------------------------------------------------------------------------------

def bench_parse() -> dict:
    import lxml.html
    from trafilatura import bare_extraction

    from crawler.parsing import parse_article

    pages = parse_pages(env_int("BENCH_PAGES", 2000))
    mean_kb = sum(len(body) for body, _, _ in pages) / len(pages) / 1024
    floor = pages_per_second(lambda p: lxml.html.fromstring(p[0]), pages)
    ours = pages_per_second(lambda p: parse_article(p[0], p[1], p[2]), pages)
    # trafilatura is ~10× slower: one pass over an evenly spaced subset of the same pages (every
    # generation in the same proportions) is already a long, stable sample.
    sample = pages[::max(1, len(pages) // env_int("BENCH_TRAFILATURA_PAGES", 500))]
    theirs = pages_per_second(lambda p: bare_extraction(p[0], url=p[1], with_metadata=True), sample, repeats=1)
    rows = [("lxml.html.fromstring (floor)", floor), ("dbp-archive parse_article", ours),
            (f"trafilatura bare_extraction ({len(sample)} of them)", theirs)]
    print_table(f"Parsing {len(pages)} replica pages, mean {mean_kb:.0f} KB", ("", "pages/s", "ms/page"),
                [(name, round(rate), round(1000 / rate, 2)) for name, rate in rows])
    return {
        "parse_pages": len(pages),
        "parse_mean_page_kb": round(mean_kb, 1),
        "parse_pages_per_s": round(ours, 1),
        "lxml_pages_per_s": round(floor, 1),
        "trafilatura_pages": len(sample),
        "trafilatura_pages_per_s": round(theirs, 1),
        "parse_speedup_vs_trafilatura": round(ours / theirs, 2),
        "parse_cost_vs_lxml": round(floor / ours, 2),
    }


# -- crawls of the replica -------------------------------------------------------------------------

class ReplicaProcess:
    """`python -m crawler.replica` in its own process (the bench process's GIL would throttle a server
    thread), stopped with SIGTERM; `advance()` moves its clock one day and returns the changes."""

    def __init__(self, articles: int, folder: Path, prerender: bool = False):
        url_file = folder / "replica-url"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.replica", "--articles", str(articles), "--seed", str(REPLICA_SEED),
             "--port", "0", "--url-file", str(url_file), *(["--prerender"] if prerender else [])],
            cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60 + (articles / 100 if prerender else 0)  # ~5 ms to render a page
        while not url_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the replica server did not start")
            time.sleep(0.05)
        self.url = url_file.read_text().strip()

    def advance(self) -> dict:
        request = urllib.request.Request(f"{self.url}/_replica/advance", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_child(command: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run a bench subprocess to its end; returns it and the CPU seconds (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True,
                          timeout=SUBPROCESS_TIMEOUT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def subprocess_env() -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


SUMMARY = re.compile(r"crawl: (?P<new>\d+) new, (?P<updated>\d+) updated, (?P<unchanged>\d+) unchanged, "
                     r"(?P<gone>\d+) gone, (?P<failed>\d+) failed, (?P<requests>\d+) requests in (?P<seconds>[\d.]+)s")


def run_crawl(db: Path, url: str, *flags: str) -> dict:
    """`dbp-archive crawl --no-politeness` as a subprocess; its summary line as numbers."""
    command = [sys.executable]
    profile_dir = os.environ.get("BENCH_PROFILE")
    if profile_dir:
        Path(profile_dir).mkdir(parents=True, exist_ok=True)
        # pyinstrument samples (about 1 ms): a call tree with little of cProfile's per-call overhead,
        # which inflates the many small calls a parse makes.
        profile = Path(profile_dir) / f"crawl-{len(list(Path(profile_dir).glob('crawl-*.html'))) + 1}.html"
        command += ["-m", "pyinstrument", "--renderer", "html", "--outfile", str(profile)]
    # A backfill from a mirror is CPU-bound: the parse goes to the other cores, as a user would set it.
    workers = env_int("BENCH_PARSE_WORKERS", max(1, (os.cpu_count() or 2) - 1))
    command += ["-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", url, "--no-politeness",
                "--parse-workers", str(workers), *flags]
    done, cpu = run_child(command)
    match = SUMMARY.search(done.stdout)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"crawl failed ({done.returncode}): {done.stdout[-500:]}{done.stderr[-2000:]}")
    summary = {name: int(value) for name, value in match.groupdict().items() if name != "seconds"}
    summary["seconds"] = float(match["seconds"])
    summary["cpu_seconds"] = round(cpu, 1)
    summary["fetched"] = sum(summary[name] for name in ("new", "updated", "unchanged", "gone", "failed"))
    return summary


class CrawlSession:
    """One replica server and one archive, shared by the crawl sections, each step done once, on first
    use, in the order a site's life has them: first crawl, recheck of the unchanged site, a day later."""

    def __init__(self, articles: int):
        self.articles = articles
        self._folder = tempfile.TemporaryDirectory(prefix="dbp-bench-crawl-")
        self.folder = Path(self._folder.name)
        self.db = self.folder / "archive.sqlite"
        # Pages rendered before the clock starts: the fetch-only floor measures Scrapy, not the server.
        self.server = ReplicaProcess(articles, self.folder, prerender=True)
        self.epoch = 0

    def close(self) -> None:
        self.server.stop()
        self._folder.cleanup()

    @functools.cached_property
    def first_crawl(self) -> dict:
        summary = run_crawl(self.db, self.server.url)
        summary["archive_bytes"] = archive_bytes(self.db)
        return summary

    @functools.cached_property
    def fetch_only(self) -> dict:
        """bench/fetch_only.py over every article URL of the replica (as the model names them on this
        server); `sizes` maps each URL to its body's length."""
        from crawler.replica import Replica

        replica = Replica(seed=REPLICA_SEED, articles=self.articles)
        url_file, size_file = self.folder / "article-urls", self.folder / "article-sizes"
        url_file.write_text("".join(replica.url_for(article_id, self.server.url) + "\n"
                                    for article_id in replica.live_ids()))
        done, cpu = run_child([sys.executable, str(HERE / "fetch_only.py"), str(url_file), str(size_file)])
        if done.returncode != 0:
            raise RuntimeError(f"fetch-only spider failed ({done.returncode}): {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["cpu_seconds"] = round(cpu, 1)
        result["sizes"] = {url: int(size) for url, size in
                           (line.split("\t") for line in size_file.read_text().splitlines())}
        return result

    @functools.cached_property
    def recheck_crawl(self) -> dict:
        """`--recheck-all` of the site as the first crawl left it (same epoch): every page unchanged."""
        if self.epoch:
            raise RuntimeError("the recheck must run before the replica's clock moves")
        self.first_crawl  # noqa: B018 - the archive to recheck
        before = archive_bytes(self.db)
        summary = run_crawl(self.db, self.server.url, "--recheck-all")
        summary["growth_bytes"] = archive_bytes(self.db) - before
        return summary

    @functools.cached_property
    def next_day_crawl(self) -> dict:
        """A normal crawl after the replica's clock moved one day (~1 % new articles)."""
        self.first_crawl  # noqa: B018 - the archive that knows the site as it was
        changes = self.server.advance()
        self.epoch += 1
        summary = run_crawl(self.db, self.server.url)
        summary["changes"] = {name: len(changes[name]) for name in ("added", "edited", "moved", "taken_down")}
        return summary


_session: CrawlSession | None = None


def crawl_session() -> CrawlSession:
    global _session
    if _session is None:
        _session = CrawlSession(env_int("BENCH_ARTICLES", 20_000))
    return _session


def bench_crawl_vs_fetch_only() -> dict:
    session = crawl_session()
    crawl, fetch = session.first_crawl, session.fetch_only
    crawl_rate = crawl["new"] / crawl["seconds"]
    fetch_rate = fetch["responses"] / fetch["seconds"]
    crawl_cpu_ms = 1000 * crawl["cpu_seconds"] / crawl["new"]
    fetch_cpu_ms = 1000 * fetch["cpu_seconds"] / fetch["responses"]
    print_table(f"Crawling a replica of {session.articles} articles (replica server in its own process)",
                ("", "articles", "requests", "seconds", "articles/s", "crawler CPU s", "CPU ms/article"),
                [("dbp-archive crawl --no-politeness", crawl["new"], crawl["requests"], crawl["seconds"],
                  round(crawl_rate, 1), crawl["cpu_seconds"], round(crawl_cpu_ms, 2)),
                 ("fetch-only Scrapy spider, same URLs", fetch["responses"], fetch["requests"],
                  round(fetch["seconds"], 1), round(fetch_rate, 1), fetch["cpu_seconds"], round(fetch_cpu_ms, 2))])
    return {
        "crawl_replica_articles": session.articles,
        "crawl_new_articles": crawl["new"],
        "crawl_requests": crawl["requests"],
        "crawl_seconds": crawl["seconds"],
        "crawl_pages_per_s": round(crawl_rate, 1),
        "fetch_only_pages": fetch["responses"],
        "fetch_only_seconds": round(fetch["seconds"], 1),
        "fetch_only_pages_per_s": round(fetch_rate, 1),
        "crawl_cpu_ms_per_article": round(crawl_cpu_ms, 2),
        "fetch_only_cpu_ms_per_article": round(fetch_cpu_ms, 2),
        "crawl_vs_fetch_only": round(crawl_rate / fetch_rate, 3),
        # The same comparison in CPU time: steadier than wall time on a machine shared with other work.
        "crawl_vs_fetch_only_cpu": round(fetch_cpu_ms / crawl_cpu_ms, 3),
    }


def bench_archive_bytes_per_html_byte() -> dict:
    from archive.db import Archive
    from crawler import urls

    session = crawl_session()
    crawl = session.first_crawl
    with Archive(session.db) as archive:
        archived = archive.known_identities()
    # The article pages' bytes as the crawl received them: the fetch-only pass downloads the same
    # URLs from the same replica at the same epoch, byte for byte the same pages.
    sizes = session.fetch_only["sizes"]
    html = sum(size for url, size in sizes.items() if urls.identity_of(url) in archived)
    ratio = crawl["archive_bytes"] / html
    print_table(f"Archive size after the first crawl ({len(archived)} articles)", ("", "MB", "bytes/article"),
                [("article HTML fetched", round(html / 2**20, 1), round(html / len(archived))),
                 ("archive file (checkpointed)", round(crawl["archive_bytes"] / 2**20, 1),
                  round(crawl["archive_bytes"] / len(archived))),
                 ("archive ÷ HTML", round(ratio, 3), "")])
    return {
        "first_crawl_html_bytes": html,
        "first_crawl_archive_bytes": crawl["archive_bytes"],
        "archive_bytes_per_html_byte": round(ratio, 4),
    }


def bench_unchanged_recrawl_bytes_per_article() -> dict:
    recheck = crawl_session().recheck_crawl
    per_article = recheck["growth_bytes"] / recheck["fetched"]
    print_table("Recrawl of the unchanged site (--recheck-all, same epoch)",
                ("", "fetched", "unchanged", "requests", "seconds", "growth bytes", "bytes/article"),
                [("dbp-archive crawl --recheck-all", recheck["fetched"], recheck["unchanged"],
                  recheck["requests"], recheck["seconds"], recheck["growth_bytes"], round(per_article, 1))])
    return {
        "unchanged_recrawl_articles": recheck["fetched"],
        "unchanged_recrawl_seconds": recheck["seconds"],
        "unchanged_recrawl_growth_bytes": recheck["growth_bytes"],
        "unchanged_recrawl_bytes_per_article": round(per_article, 1),
    }


def bench_recrawl_requests_per_new_article() -> dict:
    day = crawl_session().next_day_crawl
    changes = day["changes"]
    per_new = day["requests"] / max(day["new"], 1)
    print_table(f"A normal crawl one replica day later ({changes['added']} added, {changes['edited']} edited, "
                f"{changes['taken_down']} taken down)",
                ("", "new", "updated", "gone", "requests", "seconds", "requests/new"),
                [("dbp-archive crawl", day["new"], day["updated"], day["gone"], day["requests"], day["seconds"],
                  round(per_new, 2))])
    return {
        "recrawl_replica_added": changes["added"],
        "recrawl_new_articles": day["new"],
        "recrawl_requests": day["requests"],
        "recrawl_requests_per_new_article": round(per_new, 3),
    }


def section_in(module: str, function: str) -> Callable[[], dict]:
    """A section that lives in a module of its own under bench/ (imported when it runs), with its
    own TARGETS, added to the table's."""
    def run() -> dict:
        imported = importlib.import_module(module)
        TARGETS.update(getattr(imported, "TARGETS", {}))
        return getattr(imported, function)()

    run.__name__ = f"{module}.{function}"
    return run


SECTIONS = {
    "parse": bench_parse,
    "ingest_vs_raw_insert": section_in("ingest_speed", "bench_ingest_vs_raw_insert"),
    "crawl_vs_fetch_only": bench_crawl_vs_fetch_only,
    "archive_bytes_per_html_byte": bench_archive_bytes_per_html_byte,
    "unchanged_recrawl_bytes_per_article": bench_unchanged_recrawl_bytes_per_article,
    "recrawl_requests_per_new_article": bench_recrawl_requests_per_new_article,
    "reparse_vs_parse": section_in("reparse_speed", "bench_reparse_vs_parse"),
    "export_csv_vs_sqlite3": section_in("export_speed", "bench_export_csv_vs_sqlite3"),
    "search": section_in("search_speed", "bench_search"),
    "freshness": section_in("freshness", "bench_freshness"),
    "scale": section_in("scale", "bench_scale"),
}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    unknown = only - set(SECTIONS)
    if unknown:
        print(f"unknown section(s) {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    started = time.monotonic()
    results.update(bench_date=datetime.now().astimezone().isoformat(timespec="seconds"), bench_cpus=os.cpu_count())
    try:
        for name, section in SECTIONS.items():
            if only and name not in only:
                continue
            results.update(section())
            RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    finally:
        if _session is not None:
            _session.close()
    print("\nTargets")
    for key, (op, target) in TARGETS.items():
        if key not in results:
            continue
        value = results[key]
        ok = value >= target if op == ">=" else value <= target
        print(f"  {key:40} {value:8} (target {op} {target}) {'ok' if ok else 'MISSED'}")
    print(f"\n{time.monotonic() - started:.0f}s; wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
