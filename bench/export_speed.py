"""`make bench`'s `export_csv_vs_sqlite3` section: `dbp-archive export csv` of an archive of
BENCH_EXPORT_ARTICLES articles (default 50 000; `scale.cached_archive`, built through the archive's
write path and cached under bench/, or BENCH_SCALE_CACHE) beside the `sqlite3` shell's `-csv` export
of the same columns from the same file, in the same order.

Both run as subprocesses from start to exit (`scale.timed_child`, which also reads the peak RSS),
alternating BENCH_EXPORT_REPEATS times (default 5); the ratio is best ÷ best, and each pair's own
ratio gives its range. The shell's query makes the cells ours makes (the `published_local` and
`authors` cells in SQL): the two files are checked to hold the same cells, ours defused (a leading
`'` before a formula-like cell), which the shell does not do.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from run import env_int, print_table  # noqa: E402 - bench/run.py's helpers
from scale import cached_archive, timed_child  # noqa: E402

TARGETS = {"export_csv_vs_sqlite3": ("<=", 2.0), "export_peak_rss_mb": ("<=", 150.0)}

# The articles shape's default columns (exports.csv.SHAPE_COLUMNS["articles"]) as the shell reads them.
SHELL_QUERY = """
SELECT url, site_id AS article_id, title, category, published_at,
       strftime('%d/%m/%Y %H:%M', substr(published_at, 1, 19)) AS published_local, updated_at, view_count,
       (SELECT group_concat(value, '; ') FROM json_each(authors)) AS authors, author_role, source, sapo,
       version_count, state, gone_reason, gone_at, first_seen, last_seen, last_changed, identity
  FROM article_current ORDER BY site_id DESC, identity DESC
"""


def sqlite3_shell() -> str:
    shell = shutil.which("sqlite3")
    if shell is None:
        raise RuntimeError("the sqlite3 shell is missing (Debian: apt-get install -y sqlite3): it is this section's floor")
    return shell


def same_cells(ours: Path, theirs: Path) -> tuple[int, int]:
    """(rows, columns) both files hold, after checking they are the same (ours defused, with a BOM)."""
    from exports.csv import FORMULA_STARTS

    with open(ours, encoding="utf-8-sig", newline="") as a, open(theirs, encoding="utf-8", newline="") as b:
        count = 0
        for mine, shell in zip(csv.reader(a), csv.reader(b), strict=True):
            undone = [cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell for cell in mine]
            if undone != shell:
                raise RuntimeError(f"row {count}: export csv wrote {mine[:4]}…, the shell {shell[:4]}…")
            count += 1
    return count - 1, len(shell)  # the header is no row


def bench_export_csv_vs_sqlite3() -> dict:
    articles = env_int("BENCH_EXPORT_ARTICLES", 50_000)
    repeats = env_int("BENCH_EXPORT_REPEATS", 5)
    shell = sqlite3_shell()
    path, _ = cached_archive(articles)
    from archive.db import Archive

    with Archive(path) as archive:  # migrations, if the code moved on since the build: not timed
        archive.checkpoint()
    ours_s, shell_s, pairs, rss = [], [], [], {"ours": 0.0, "shell": 0.0}
    with tempfile.TemporaryDirectory(prefix="dbp-bench-export-") as folder:
        ours_out, shell_out = Path(folder) / "ours.csv", Path(folder) / "shell.csv"
        ours = [sys.executable, "-m", "crawler.cli", "export", "csv", "--db", str(path), "-o", str(ours_out), "--force"]
        theirs = [shell, "-csv", "-header", "-cmd", f".output {shell_out}", f"file:{path}?mode=ro", SHELL_QUERY]
        for _ in range(repeats):
            for name, command, seconds in (("ours", ours, ours_s), ("shell", theirs, shell_s)):
                status, elapsed, peak, errors = timed_child(command)
                if status != 0:
                    raise RuntimeError(f"{command[0]} failed ({status}): {errors}")
                seconds.append(elapsed)
                rss[name] = max(rss[name], peak)
            pairs.append(ours_s[-1] / shell_s[-1])
        rows, columns = same_cells(ours_out, shell_out)
        size = ours_out.stat().st_size
    best_ours, best_shell = min(ours_s), min(shell_s)
    print_table(f"Exporting {rows:,} articles as CSV ({size / 2**20:.0f} MB, {columns} columns); best of {repeats}",
                ("", "seconds", "peak RSS MB"),
                [("dbp-archive export csv", round(best_ours, 2), round(rss["ours"], 1)),
                 ("sqlite3 -csv, the same cells (floor)", round(best_shell, 2), round(rss["shell"], 1)),
                 ("export ÷ sqlite3 (target ≤ 2)", round(best_ours / best_shell, 2), "")])
    return {
        "export_articles": rows,
        "export_csv_bytes": size,
        "export_csv_seconds": round(best_ours, 3),
        "export_sqlite3_seconds": round(best_shell, 3),
        "export_csv_vs_sqlite3": round(best_ours / best_shell, 3),
        "export_csv_vs_sqlite3_min": round(min(pairs), 3),
        "export_csv_vs_sqlite3_max": round(max(pairs), 3),
        "export_peak_rss_mb": round(rss["ours"], 1),
        "export_sqlite3_peak_rss_mb": round(rss["shell"], 1),
    }


if __name__ == "__main__":
    print(bench_export_csv_vs_sqlite3())
