"""`make bench`: how fast the parser is, beside the floor and beside what a user would pick instead.

On a few thousand replica pages of realistic weight (60–120 KB, every generation), in one run:
- the floor: a bare `lxml.html.fromstring` of the same bytes;
- ours: `crawler.parsing.parse_article`;
- trafilatura's `bare_extraction(with_metadata=True)`.
Prints a table and writes `bench/results.json` (other sections add their own keys).
Set BENCH_PAGES to change the page count, BENCH_ONLY=parse to run one section.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
TARGETS = {"parse_speedup_vs_trafilatura": (">=", 5.0), "parse_cost_vs_lxml": ("<=", 5.0)}


def replica_pages(count: int, seed: int = 7) -> list[tuple[bytes, str, dict]]:
    from crawler.replica import Replica

    replica = Replica(seed=seed, articles=count)
    pages = []
    for article_id in replica.live_ids()[:count]:
        page = replica.render_article(article_id)
        pages.append((page.body, replica.url_for(article_id), page.headers))
    return pages


def pages_per_second(work, pages, repeats: int = 3) -> float:
    """Best of `repeats` passes over all pages: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        for page in pages:
            work(page)
        best = min(best, time.perf_counter() - started)
    return len(pages) / best


def bench_parse() -> dict:
    import lxml.html
    from trafilatura import bare_extraction

    from crawler.parsing import parse_article

    count = int(os.environ.get("BENCH_PAGES", "2000"))
    pages = replica_pages(count)
    mean_kb = sum(len(body) for body, _, _ in pages) / len(pages) / 1024
    floor = pages_per_second(lambda p: lxml.html.fromstring(p[0]), pages)
    ours = pages_per_second(lambda p: parse_article(p[0], p[1], p[2]), pages)
    # trafilatura is ~100× slower: one pass over the same pages is already a long, stable sample.
    theirs = pages_per_second(lambda p: bare_extraction(p[0], url=p[1], with_metadata=True), pages, repeats=1)
    rows = [("lxml.html.fromstring (floor)", floor), ("dbp-archive parse_article", ours),
            ("trafilatura bare_extraction", theirs)]
    print(f"\nParsing {len(pages)} replica pages, mean {mean_kb:.0f} KB")
    print(f"{'':32} {'pages/s':>10} {'ms/page':>9}")
    for name, rate in rows:
        print(f"{name:32} {rate:10.0f} {1000 / rate:9.2f}")
    return {
        "parse_pages": len(pages),
        "parse_mean_page_kb": round(mean_kb, 1),
        "parse_pages_per_s": round(ours, 1),
        "lxml_pages_per_s": round(floor, 1),
        "trafilatura_pages_per_s": round(theirs, 1),
        "parse_speedup_vs_trafilatura": round(ours / theirs, 2),
        "parse_cost_vs_lxml": round(floor / ours, 2),
    }


SECTIONS = {"parse": bench_parse}


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    only = os.environ.get("BENCH_ONLY")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, section in SECTIONS.items():
        if only and name != only:
            continue
        results.update(section())
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print("\nTargets")
    missed = 0
    for key, (op, target) in TARGETS.items():
        if key not in results:
            continue
        value = results[key]
        ok = value >= target if op == ">=" else value <= target
        missed += not ok
        print(f"  {key:40} {value:8} (target {op} {target}) {'ok' if ok else 'MISSED'}")
    print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
