"""Statistics over the archive, for archivists and for cron: what it holds, and how each crawl read.

Read-only: every function takes an open `archive.db.Archive` (the CLI opens it with `readonly=True`).

**What it holds.** Articles are counted in every state (a taken-down article was published too), by
their current version: its `published_at` month (text order is time order, and every stored time is
in site time, so `substr(published_at, 1, 7)` is the month a reader of the paper saw), its category,
its authors. Versions per article count the newsroom's versions, not `parser` ones (a parser
re-reading the same page is nothing the newsroom did; as `article_current.version_count` does).
Edits are versions with `change = 'edit'`, in the month they were first seen.

**How each crawl read (field health).** For every run: its fetches and failures (the `runs` counts),
and for its parsed fetches (`runs.parsed`, the fetches parsed into an article) the share that lacked
each field. Each field is counted where it is counted exactly, fetch by fetch:

- `published_at`, and whatever else the parser reports (`related`, `title`, `encoding`): the
  `field_health` table, the parser's own count (`crawler/parsing/health.py`);
- `view_count`: the fetch's observation recorded no view count. `field_health` only counts a view
  label without a number; a redesign that drops the counter with its label leaves no label to miss;
- `body_text`, `authors`: the version the fetch showed has an empty body, no authors. Both are in the
  fingerprint, so the version a fetch showed holds what that fetch read.

Runs from before schema 5 (`runs.parsed = 0`) have no `field_health` rows: their parsed fetches are
counted from the observations, and the parser's fields read None (unknown).

**The check** (`health_check`, for `dbp-archive stats --check`) judges the latest finished run
against the finished runs before it: see the constants below. It also checks the search index
(`search_index`): every index and trigger there, each index holding a row per version.
"""

from __future__ import annotations

import statistics
from typing import Any

from archive import search
from archive.db import Archive

# --- the check's rule ---------------------------------------------------------------------------------
# A field "falls off" when the share of the latest run's parsed fetches lacking it is at least
# JUMP above the median share of the runs it is compared with (failures likewise, as a share of all
# fetches). The runs compared with are up to BASELINE_RUNS finished runs before it, each with at
# least MIN_FETCHES parsed fetches (or fetches, for failures): a crawl of three pages says nothing.
# A jump of 25 points is well above what a healthy site moves between crawls (articles without a
# counter, pages without a byline are a steady share), and well below what a redesign does to the
# field it hides (all of its pages at once).
JUMP = 0.25
BASELINE_RUNS = 5
MIN_FETCHES = 10

TOP_AUTHORS = 10
TOP_VIEWED = 5  # articles whose view growth the chart draws

# Fields counted from what the archive recorded for each parsed fetch (see the module's docstring);
# every other field comes from `field_health`.
RECORDED_FIELDS = ("view_count", "body_text", "authors")
# The order fields are shown in, and the words a sentence names them with.
FIELD_WORDS = {
    "published_at": "a date",
    "view_count": "a view count",
    "body_text": "a body",
    "authors": "authors",
    "related": "their Tin khác links",
    "title": "a title on the page",
    "encoding": "readable text (mis-decoded)",
}

_CURRENT = "FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id"


def articles_per_month(archive: Archive) -> tuple[list[dict], int]:
    """([{"month": "2020-08", "articles": n}, …] oldest first, articles whose page states no date)."""
    rows = archive._db.execute(
        f"SELECT substr(v.published_at, 1, 7) AS month, count(*) {_CURRENT}"
        " GROUP BY month ORDER BY month").fetchall()
    undated = sum(count for month, count in rows if month is None)
    return [{"month": month, "articles": count} for month, count in rows if month is not None], undated


def articles_per_category(archive: Archive) -> list[dict]:
    """[{"category": name or None, "articles": n}, …], most articles first."""
    return [{"category": category, "articles": count} for category, count in archive._db.execute(
        f"SELECT v.category, count(*) AS n {_CURRENT} GROUP BY v.category ORDER BY n DESC, v.category")]


def versions_per_article(archive: Archive) -> list[dict]:
    """[{"versions": k, "articles": n}, …]: how many articles have k versions (`parser` ones aside)."""
    return [{"versions": versions, "articles": count} for versions, count in archive._db.execute(
        "SELECT versions, count(*) FROM (SELECT count(*) AS versions FROM versions"
        "  WHERE change != 'parser' GROUP BY identity) GROUP BY versions ORDER BY versions")]


def edits_per_month(archive: Archive) -> list[dict]:
    """[{"month", "edits"}, …] oldest first: versions with `change = 'edit'` by when first seen."""
    return [{"month": month, "edits": count} for month, count in archive._db.execute(
        "SELECT substr(first_seen, 1, 7) AS month, count(*) FROM versions WHERE change = 'edit'"
        " GROUP BY month ORDER BY month")]


def top_authors(archive: Archive, limit: int = TOP_AUTHORS) -> list[dict]:
    """[{"author", "articles"}, …]: the names on most articles' current versions."""
    return [{"author": name, "articles": count} for name, count in archive._db.execute(
        f"SELECT author.value AS name, count(DISTINCT a.identity) AS n {_CURRENT}, json_each(v.authors) AS author"
        " WHERE json_valid(v.authors) GROUP BY name ORDER BY n DESC, name LIMIT ?", (limit,))]


def totals(archive: Archive) -> dict:
    db = archive._db
    articles, live = db.execute("SELECT count(*), coalesce(sum(state = 'live'), 0) FROM articles").fetchone()
    versions, edits = db.execute("SELECT count(*), coalesce(sum(change = 'edit'), 0) FROM versions").fetchone()
    return {"articles": articles, "live": live, "gone": articles - live, "versions": versions, "edits": edits,
            "observations": db.execute("SELECT count(*) FROM observations").fetchone()[0],
            "runs": db.execute("SELECT count(*) FROM runs").fetchone()[0]}


def run_health(archive: Archive) -> list[dict]:
    """Every run, oldest first: {"run_id", "started_at", "finished_at", "status", "fetches", "failed",
    "failed_share", "parsed", "missing": {field: {"fetches": n or None, "share": 0..1 or None}}}."""
    db = archive._db
    recorded = {row[0]: row[1:] for row in db.execute(
        "SELECT o.run_id, count(*), sum(o.view_count IS NULL), sum(coalesce(v.body_text, '') = ''),"
        "       sum(NOT json_valid(v.authors) OR coalesce(json_array_length(v.authors), 0) = 0)"
        "  FROM observations AS o JOIN versions AS v ON v.id = o.version_id"
        " WHERE o.run_id IS NOT NULL AND o.status BETWEEN 200 AND 299 GROUP BY o.run_id")}
    parser_counts: dict[int, dict[str, int]] = {}
    for run_id, field, fetches in db.execute("SELECT run_id, field, fetches FROM field_health"):
        parser_counts.setdefault(run_id, {})[field] = fetches
    parser_fields = {field for counts in parser_counts.values() for field in counts} - set(RECORDED_FIELDS)
    fields = [*FIELD_WORDS, *sorted(parser_fields - set(FIELD_WORDS))]  # and any a newer parser reports
    runs = []
    for row in db.execute(
            "SELECT id, started_at, finished_at, status, parsed, failed,"
            "       new + updated + reparsed + unchanged + not_modified + gone + failed AS fetches"
            "  FROM runs ORDER BY id"):
        observed = recorded.get(row["id"], (0, 0, 0, 0))
        counted_by_parser = row["parsed"] > 0  # schema 5 onwards
        parsed = row["parsed"] if counted_by_parser else observed[0]
        from_recorded = dict(zip(RECORDED_FIELDS, observed[1:]))
        missing = {}
        for field in fields:
            if field in RECORDED_FIELDS:
                count = from_recorded[field]
            else:
                count = parser_counts.get(row["id"], {}).get(field, 0) if counted_by_parser else None
            missing[field] = {"fetches": count, "share": _share(count, parsed)}
        runs.append({"run_id": row["id"], "started_at": row["started_at"], "finished_at": row["finished_at"],
                     "status": row["status"], "fetches": row["fetches"], "failed": row["failed"],
                     "failed_share": _share(row["failed"], row["fetches"]), "parsed": parsed, "missing": missing})
    return runs


def health_check(runs: list[dict]) -> dict:
    """The latest finished run against the finished runs before it (the rule: `JUMP`, `BASELINE_RUNS`,
    `MIN_FETCHES`). {"ok": bool, "run_id", "compared_with": [run ids], "falls": [sentences], "note"}."""
    finished = [run for run in runs if run["finished_at"] is not None]
    if len(finished) < 2:
        return {"ok": True, "run_id": finished[-1]["run_id"] if finished else None, "compared_with": [],
                "falls": [], "note": f"{len(finished)} finished run(s): nothing to compare yet"}
    latest, before = finished[-1], finished[:-1]
    falls: list[str] = []
    compared: set[int] = set()
    judged = False
    failure_base = [run for run in before if run["fetches"] >= MIN_FETCHES][-BASELINE_RUNS:]
    if latest["fetches"] >= MIN_FETCHES and failure_base:
        judged = True
        compared |= {run["run_id"] for run in failure_base}
        usual = statistics.median(run["failed_share"] for run in failure_base)
        if _jumped(latest["failed_share"], usual):
            falls.append(f"{_pct(latest['failed_share'])} of fetches failed, against "
                         f"{_against(usual, len(failure_base))}")
    field_base = [run for run in before if run["parsed"] >= MIN_FETCHES][-BASELINE_RUNS:]
    if latest["parsed"] >= MIN_FETCHES and field_base:
        for field, now in latest["missing"].items():
            shares = [run["missing"][field]["share"] for run in field_base
                      if run["missing"].get(field, {}).get("share") is not None]
            if now["share"] is None or not shares:
                continue
            judged = True
            compared |= {run["run_id"] for run in field_base}
            usual = statistics.median(shares)
            if _jumped(now["share"], usual):
                falls.append(f"{_pct(now['share'])} of parsed fetches lacked {FIELD_WORDS.get(field, field)}, "
                             f"against {_against(usual, len(shares))}")
    note = None if judged else (f"run {latest['run_id']}: too few fetches to judge, or no earlier run with "
                                f"{MIN_FETCHES} or more to compare with")
    return {"ok": not falls, "run_id": latest["run_id"], "compared_with": sorted(compared), "falls": falls,
            "note": note}


def search_index(archive: Archive) -> dict:
    """{"ok": bool, "problem": a sentence naming the repair command, or None} (`search.index_problem`)."""
    problem = search.index_problem(archive._db)
    return {"ok": problem is None, "problem": problem}


def view_series(archive: Archive, limit: int = TOP_VIEWED) -> list[dict]:
    """The most-viewed articles (by their latest count), each with its view counts over time:
    [{"identity", "title", "views": [{"at", "count"}, …]}, …]."""
    top = archive._db.execute(
        f"SELECT a.identity, v.title {_CURRENT} WHERE a.view_count IS NOT NULL"
        " ORDER BY a.view_count DESC, a.identity LIMIT ?", (limit,)).fetchall()
    return [{"identity": identity, "title": title, "views": [
        {"at": at, "count": count} for at, count in archive._db.execute(
            "SELECT fetched_at, view_count FROM observations WHERE identity = ? AND view_count IS NOT NULL"
            " ORDER BY fetched_at, id", (identity,))]} for identity, title in top]


def archive_stats(archive: Archive) -> dict[str, Any]:
    """Everything `dbp-archive stats` reports, as one JSON-ready object (its keys: see the command's help)."""
    per_month, undated = articles_per_month(archive)
    runs = run_health(archive)
    return {"totals": totals(archive), "articles_per_month": per_month, "articles_undated": undated,
            "articles_per_category": articles_per_category(archive), "versions_per_article": versions_per_article(archive),
            "edits_per_month": edits_per_month(archive), "top_authors": top_authors(archive),
            "runs": runs, "check": health_check(runs), "search_index": search_index(archive),
            "check_rule": {"jump": JUMP, "baseline_runs": BASELINE_RUNS, "min_fetches": MIN_FETCHES}}


def _jumped(share: float, usual: float) -> bool:
    return share - usual >= JUMP - 1e-9  # 35% against 10% is 25 points, whatever floats make of it


def _share(count: int | None, total: int) -> float | None:
    return None if count is None or not total else count / total


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _against(usual: float, runs: int) -> str:
    return f"{_pct(usual)} in the run before it" if runs == 1 else f"a median of {_pct(usual)} in the {runs} runs before it"


__all__ = ["archive_stats", "articles_per_category", "articles_per_month", "edits_per_month", "health_check",
           "run_health", "search_index", "top_authors", "totals", "versions_per_article", "view_series",
           "BASELINE_RUNS", "JUMP", "MIN_FETCHES"]
