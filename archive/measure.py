"""Measure the archive's size on synthetic pages: `python -m archive.measure [--articles N]`.

Three numbers, the archive's size targets:
- `ratio`: archive bytes ÷ HTML bytes after a first crawl (target ≤ 0.3);
- `refetch_identical`: archive growth per article when a crawl fetches every page again and every
  page comes back byte for byte the same;
- `refetch_counters`: the same when only the view counters (and the "most read" sidebar) moved, as on
  the real site between two crawls (target ≤ 300 bytes for both).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from archive.db import Archive
from archive.synthetic import SITE_TIME, SyntheticSite

START = datetime(2024, 1, 1, 6, 0, tzinfo=SITE_TIME)


def _size(archive: Archive) -> int:
    archive.checkpoint()
    return archive.path.stat().st_size


def measure(path: Path, articles: int = 1000, chrome_scale: float = 1.0, seed: int = 1) -> dict:
    site = SyntheticSite(articles, seed=seed, chrome_scale=chrome_scale)
    html_bytes = 0
    with Archive(path) as archive:
        run_id = archive.start_run({"measure": True}, "synthetic", started_at=START)
        for index in range(articles):
            fetch = site.fetch(index, START)
            html_bytes += len(fetch.body)
            archive.record_fetch(run_id, fetch)
        first = _size(archive)
        for index in range(articles):
            archive.record_fetch(run_id, site.fetch(index, START + timedelta(days=1)))
        identical = _size(archive)
        for index in range(articles):
            archive.record_fetch(run_id, site.fetch(index, START + timedelta(days=2), views=100 + index + 1))
        counters = _size(archive)
        versions = archive.counts()["versions"]
    return {
        "articles": articles,
        "html_bytes": html_bytes,
        "mean_page_bytes": html_bytes // articles,
        "archive_bytes": first,
        "ratio": round(first / html_bytes, 4),
        "refetch_identical": round((identical - first) / articles, 1),
        "refetch_counters": round((counters - identical) / articles, 1),
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--chrome-scale", type=float, nargs="*", default=[0.4, 1.0],
                        help="0.4 makes pages of about 60 KB, 1.0 about 105 KB")
    options = parser.parse_args()
    for scale in options.chrome_scale:
        with tempfile.TemporaryDirectory() as folder:
            result = measure(Path(folder) / "archive.sqlite", options.articles, scale)
        print(json.dumps({"chrome_scale": scale, **result}))


if __name__ == "__main__":
    main()
