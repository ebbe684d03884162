"""bench/scale.py at a tiny scale, so the benchmark of a million articles cannot rot unnoticed: it
builds its archive, crawls it, searches it, exports it and simulates a year, and writes every number."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_scale_benchmark_runs_end_to_end_at_200_articles(tmp_path, monkeypatch):
    results = tmp_path / "results.json"
    env = dict(os.environ, BENCH_SCALE_ARTICLES="200", BENCH_SCALE_DAYS="2", BENCH_SCALE_YEAR_ARTICLES="12",
               BENCH_SCALE_CACHE=str(tmp_path), BENCH_RESULTS=str(results), BENCH_SCALE_INGEST="100")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(results.read_text())
    for key in ("crawl_startup_s_200", "crawl_startup_rss_mb_200", "search_p95_ms_200", "export_200_peak_rss_mb",
                "ingest_rate_ratio_200_vs_20", "ingest_pages_per_s_200", "growth_bytes_per_article_year"):
        assert measured[key] > 0, key
    assert measured["scale_articles"] == 200 and measured["scale_ingest_reserve"] == 100
    assert measured["year_fetches"] > 12  # the first crawl, then each day's due and new articles
    # The build went through the archive's write path: every article, a version and a capture each,
    # and the crawl recorded one run more.
    with sqlite3.connect(tmp_path / "scale-200.sqlite") as db:
        assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 200
        # from the replica (its pages, the model's truth as the article), not from a generator of its own
        assert db.execute("SELECT DISTINCT parser_version FROM versions").fetchall() == [("replica-truth",)]
        assert db.execute("SELECT count(*) FROM captures WHERE size > 30000").fetchone()[0] >= 200
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM captures").fetchone()[0] >= 200
    # A later run reuses the cached archive rather than building it again.
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    monkeypatch.setenv("BENCH_SCALE_CACHE", str(tmp_path))
    import scale

    path, facts = scale.cached_archive(200)
    assert path == tmp_path / "scale-200.sqlite" and facts["articles"] == 200
