"""The archive's size on replica pages: `.venv/bin/python bench/archive_size.py [--articles N]`.

Three numbers, the archive's size targets (tests/test_archive_size.py asserts them on a small replica):
- `ratio`: archive bytes ÷ HTML bytes after a first crawl of every live article;
- `refetch_identical`: the archive's growth per article when a crawl fetches every page again at
  the same moment of the replica's clock, so every page comes back byte for byte the same;
- `refetch_counters`: the same a day later on the replica's clock, over the articles that were not
  edited, taken down or moved meanwhile: only their view counters and sidebars moved, as on the real
  site between two crawls.
The fetches come from the replica model (`crawler.replica.fetches`): its pages, and the truth of
each as the parsed article.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.db import Archive  # noqa: E402 - after the path is set, when run as a script
from crawler.replica import Replica  # noqa: E402
from crawler.replica.fetches import article_fetch  # noqa: E402


def _size(archive: Archive) -> int:
    archive.checkpoint()
    return archive.path.stat().st_size


def measure(path: Path, articles: int = 1000, seed: int = 1) -> dict:
    replica = Replica(seed=seed, articles=articles)
    ids = replica.live_ids()
    html_bytes = 0
    with Archive(path) as archive:
        run_id = archive.start_run({"measure": True}, "replica", started_at=replica.now())
        fetches = [article_fetch(replica, article_id) for article_id in ids]
        html_bytes = sum(len(fetch.body) for fetch in fetches)
        archive.record_fetches(run_id, fetches)
        first = _size(archive)
        archive.record_fetches(run_id, [article_fetch(replica, article_id) for article_id in ids])
        identical = _size(archive)
        changes = replica.advance()
        moved = set(changes.edited) | set(changes.taken_down) | set(changes.moved) | set(changes.recategorised)
        counters_only = [article_id for article_id in ids if article_id not in moved]
        archive.record_fetches(run_id, [article_fetch(replica, article_id) for article_id in counters_only])
        counters = _size(archive)
        versions = archive.counts()["versions"]
    return {
        "articles": len(ids),
        "html_bytes": html_bytes,
        "mean_page_bytes": html_bytes // len(ids),
        "archive_bytes": first,
        "ratio": round(first / html_bytes, 4),
        "refetch_identical": round((identical - first) / len(ids), 1),
        "refetch_counters": round((counters - identical) / len(counters_only), 1),
        "counters_only_articles": len(counters_only),
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(measure(Path(folder) / "archive.sqlite", options.articles, options.seed)))


if __name__ == "__main__":
    main()
