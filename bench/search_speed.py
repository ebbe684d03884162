"""`make bench`'s `search` section: `search_p95_ms` over 200 Vietnamese queries on a 50 000-article
archive (BENCH_SEARCH_ARTICLES), the one `bench/scale.py` builds and caches (`cached_archive`).

The queries come from the archive being searched, never from the generator that filled it: words of
a seeded random sample of current titles, 1–3 of them in a row, some quoted as phrases; half typed
as a reader with a Vietnamese keyboard types them (tone marks, `đ`), half the same folded (no marks,
`d` for `đ`), as a reader without one does. Each query runs through `Archive.search` (its default 20
results, a read-only archive), and right after it, on the same query, two floors inside FTS5 alone:
bm25 over every match (what any relevance ranking that sees every match pays, before a join) and a
count of every match (reading each match once). Each is the best of BENCH_SEARCH_REPEATS runs (3).
`search_queries` and `search_latency` are also what `bench/scale.py` times at every scale.
Tiny run: BENCH_SEARCH_ARTICLES=300 BENCH_SEARCH_QUERIES=20 BENCH_SEARCH_REPEATS=1 BENCH_SCALE_INGEST=0
BENCH_SCALE_CACHE=<folder> (seconds).
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from run import env_int, print_table  # noqa: E402 - bench/run.py's helpers

SEARCH_QUERIES = 200
SEARCH_ARTICLES = 50_000
TARGETS = {"search_p95_ms": ("<=", 50.0)}
QUERY_SEED = 5
REPEATS = 3  # runs of each query; its best is kept


def search_queries(path: Path, count: int = SEARCH_QUERIES, seed: int = QUERY_SEED) -> list[str]:
    """`count` queries drawn from the current titles of the archive at `path`: the first half with
    tone marks, the second half the same queries folded (`crawler.parsing.text.search_key`)."""
    from crawler.parsing.text import search_key

    rng = random.Random(seed)
    titles = _sampled_titles(path, count // 2, rng)
    marked = []
    for title in titles:
        words = title.split()
        size = min(len(words), rng.choice((1, 2, 2, 3)))
        start = rng.randrange(len(words) - size + 1)
        text = " ".join(words[start:start + size])
        marked.append(f'"{text}"' if size > 1 and rng.random() < 0.4 else text)
    return marked + [search_key(query) for query in marked]


def _sampled_titles(path: Path, count: int, rng: random.Random) -> list[str]:
    """The titles of `count` current versions picked at random, by rowid: no read of every article."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        low, high = db.execute("SELECT min(rowid), max(rowid) FROM articles").fetchone()
        if low is None:
            raise RuntimeError(f"{path}: no articles to draw queries from")
        titles: list[str] = []
        for _ in range(50 * count):
            row = db.execute("SELECT v.title FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id"
                             " WHERE a.rowid = ?", (rng.randint(low, high),)).fetchone()
            if row and row[0] and row[0].split():
                titles.append(row[0])
                if len(titles) == count:
                    return titles
    raise RuntimeError(f"{path}: too few titled articles to draw {count} queries from")


def _percentiles(times: list[float], name: str) -> dict:
    times = sorted(times)
    return {f"{name}_p50_ms": round(times[len(times) // 2], 1),
            f"{name}_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            f"{name}_max_ms": round(times[-1], 1)}


def timed_queries(path: Path, queries: list[str], extra: tuple[str, ...] = (), repeats: int = 1) -> dict[str, list[float]]:
    """Milliseconds per query of `Archive.search` (its default 20 results, read-only), and of each of
    `extra` (names in FLOORS) on the same query right after it, so both meet the same load; each the
    best of `repeats` runs (the machine's other work only ever adds to a run)."""
    from archive.db import Archive

    times: dict[str, list[float]] = {name: [] for name in ("search", *extra)}
    with Archive(path, readonly=True) as archive:
        archive.search(queries[0])  # the index's first pages into the cache, as any server has them
        db = archive._db
        for query in queries:
            ways = {"search": (archive.search, (query,))}
            for name in extra:
                sql, match = FLOORS[name](query)
                ways[name] = (lambda sql, match: db.execute(sql, (match,)).fetchall(), (sql, match))
            for name, (call, args) in ways.items():
                best = float("inf")
                for _ in range(repeats):
                    tick = time.perf_counter()
                    call(*args)
                    best = min(best, time.perf_counter() - tick)
                times[name].append(1000 * best)
    return times


def _every_match_by_bm25(query: str) -> tuple[str, str]:
    """What ranking by relevance costs before any join: bm25 over every match, inside FTS5."""
    from archive.search import FTS_TABLE, WEIGHTS, match_expression, parse_query

    return (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
            f" ORDER BY bm25({FTS_TABLE}, {', '.join(map(str, WEIGHTS))}) LIMIT 100",
            match_expression(parse_query(query)))


def _every_match_counted(query: str) -> tuple[str, str]:
    """Reading every match once, nothing ranked: what any ranking that sees every match pays."""
    from archive.search import FTS_TABLE, match_expression, parse_query

    return f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", match_expression(parse_query(query))


FLOORS = {"bm25_every_match": _every_match_by_bm25, "every_match_counted": _every_match_counted}


def search_latency(path: Path, label: str, count: int = SEARCH_QUERIES) -> dict:
    """`search_p50_ms_<label>`, `_p95_`, `_max_`: `Archive.search` over `search_queries(path, count)`."""
    times = timed_queries(path, search_queries(path, count), repeats=env_int("BENCH_SEARCH_REPEATS", REPEATS))["search"]
    return {key.replace("_ms", f"_ms_{label}"): value for key, value in _percentiles(times, "search").items()}


def bench_search() -> dict:
    from scale import cached_archive

    articles = env_int("BENCH_SEARCH_ARTICLES", SEARCH_ARTICLES)
    count = env_int("BENCH_SEARCH_QUERIES", SEARCH_QUERIES)
    path, _ = cached_archive(articles)
    from archive.db import Archive

    with Archive(path) as archive:  # migrations and indexes, if the code moved on since the build: not timed
        archive.checkpoint()
    repeats = env_int("BENCH_SEARCH_REPEATS", REPEATS)
    times = timed_queries(path, search_queries(path, count), tuple(FLOORS), repeats)
    results = {"search_articles": articles, "search_queries": count, "search_repeats": repeats}
    for name, measured in times.items():
        results.update(_percentiles(measured, "search" if name == "search" else f"search_{name}"))
    results["search_p95_vs_bm25_every_match"] = round(results["search_p95_ms"] / results["search_bm25_every_match_p95_ms"], 3)
    print_table(f"Search over {articles:,} articles ({count} queries, half without tone marks; each way on "
                f"each query in turn, best of {repeats})", ("", "p50 ms", "p95 ms", "max ms"), [
        (label, results[f"{key}_p50_ms"], results[f"{key}_p95_ms"], results[f"{key}_max_ms"]) for label, key in (
            ("Archive.search (20 results)", "search"),
            ("bm25 over every match, FTS5 alone (no join)", "search_bm25_every_match"),
            ("every match counted, FTS5 alone", "search_every_match_counted"))])
    return results


if __name__ == "__main__":
    print(bench_search())
