"""`dbp-archive stats`: what the archive holds and how each crawl read, as a report, JSON or a chart;
and `--check`, the health check cron alerts on. The numbers come from `archive.stats` (all of its SQL),
the chart from `exports.chart`; this module reads options and formats."""

from __future__ import annotations

import json
import sys

import click

from crawler import exits
from crawler.commands import archive_for_reading, output_target

# Column headings of the per-run health table, by field (`archive.stats.FIELD_WORDS` has the sentences).
FIELD_HEADINGS = {"published_at": "date", "view_count": "views", "body_text": "body", "authors": "authors",
                  "related": "related", "title": "title", "encoding": "encoding"}


def _help() -> str:
    from archive.stats import BASELINE_RUNS, JUMP, MIN_FETCHES

    return f"""Articles per month and category, versions per article, edits per month, top
    authors, and crawl health per run (failures; parsed fetches lacking a date, a view count, a
    body, authors, and what else the parser's field_health counts). Exit 0; with --check, 1 when
    the latest crawl fell off or the search index is missing or stale (`dbp-archive upgrade`
    rebuilds it); 2 when the archive cannot be read or FILE written.

    \b
    --json keys:
      totals                  {{articles, live, gone, versions, edits, observations, runs}}
      articles_per_month      [{{month: "YYYY-MM", articles}}] by the current version's published_at
      articles_undated        articles whose current version has no published_at
      articles_per_category   [{{category, articles}}], most first
      versions_per_article    [{{versions, articles}}] (parser re-readings not counted)
      edits_per_month         [{{month, edits}}]: versions with change = 'edit', by first_seen
      top_authors             [{{author, articles}}] on current versions
      runs                    [{{run_id, started_at, finished_at, status, fetches, failed,
                                failed_share, parsed, missing: {{field: {{fetches, share}}}}}}]
      check                   {{ok, run_id, compared_with, falls, note}}: what --check decides
      check_rule              {{jump, baseline_runs, min_fetches}}
      search_index            {{ok, problem}}: every index and trigger there, each index
                              holding a row per version; problem names the repair command

    \b
    Fields in `missing` (share: of the run's parsed fetches):
      published_at            no date on the page or in its metadata (field_health)
      view_count              no view count recorded for the fetch
      body_text, authors      the version the fetch showed has no body, no authors
      related, title, encoding  as field_health counts them (archive/SCHEMA.md)

    The check: a field falls off when the share of the latest finished run's parsed fetches
    lacking it is {round(JUMP * 100)} points or more above the median share of up to {BASELINE_RUNS}
    finished runs before it with {MIN_FETCHES} or more parsed fetches (failures likewise, as a
    share of all fetches). Fewer than two finished runs: nothing to compare, exit 0.
    """


@click.command(help=_help(), short_help="Archive statistics and crawl health; --check for cron.")
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (keys below) instead of the report.")
@click.option("--png", "png_path", metavar="FILE",
              help="Also draw articles per month and the view growth of the most-viewed articles into FILE "
                   "(a PNG already there is redrawn; another file is replaced only with --force; never an "
                   "SQLite file).")
@click.option("--force", is_flag=True, help="Let --png replace a FILE that is not a PNG.")
@click.option("--check", is_flag=True,
              help="Judge the latest finished crawl's health against the runs before it, and check the "
                   "search index: exit 1 with the reason on stderr if the crawl fell off or the index is "
                   "missing or stale, else print `ok …` and exit 0.")
def stats(db_path, as_json, png_path, force, check) -> None:
    """What the archive holds and how each crawl read (the help is `_help()`, built from the rule's constants)."""
    from archive import stats as archive_stats
    from crawler.cli import Failure

    target = None
    if png_path is not None:
        from exports.chart import CHART_FILE

        target = output_target(png_path, db_path, force=force, redraws=CHART_FILE)
    with archive_for_reading(db_path) as archive:
        report = archive_stats.archive_stats(archive)
        viewed = archive_stats.view_series(archive) if target is not None else []
    if target is not None:
        from exports.chart import draw_chart

        try:
            draw_chart(target, report["articles_per_month"], report["articles_undated"], viewed)
        except OSError as exc:
            raise Failure(f"{png_path}: cannot write: {exc.strerror or exc}") from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    elif not check:
        click.echo(format_report(report))
    if check:
        verdict, index = report["check"], report["search_index"]
        if not verdict["ok"]:
            click.echo(f"dbp-archive stats: run {verdict['run_id']}: {'; '.join(verdict['falls'])}", err=True)
        if not index["ok"]:
            click.echo(f"dbp-archive stats: {index['problem']}", err=True)
        if not (verdict["ok"] and index["ok"]):
            sys.exit(exits.MOST_FAILED)
        if not as_json:
            click.echo(ok_line(verdict))


def ok_line(verdict: dict) -> str:
    if verdict["note"]:
        return f"ok: {verdict['note']}"
    compared = ", ".join(map(str, verdict["compared_with"]))
    return f"ok: run {verdict['run_id']} reads as well as the run(s) before it ({compared})"


def format_report(report: dict) -> str:
    t = report["totals"]
    sections = [
        f"{t['articles']} articles ({t['live']} live, {t['gone']} gone), {t['versions']} versions "
        f"({t['edits']} edits), {t['observations']} fetches in {t['runs']} crawl(s)",
        _month_grid(report["articles_per_month"], report["articles_undated"]),
        _section("Articles per category", ("category", "articles"),
                 [(row["category"] or "(none)", row["articles"]) for row in report["articles_per_category"]]),
        _section("Versions per article (parser re-readings not counted)", ("versions", "articles"),
                 [(row["versions"], row["articles"]) for row in report["versions_per_article"]]),
        _section("Edits per month (first seen)", ("month", "edits"),
                 [(row["month"], row["edits"]) for row in report["edits_per_month"]]),
        _section("Top authors (articles, current versions)", ("author", "articles"),
                 [(row["author"], row["articles"]) for row in report["top_authors"]]),
        _health_section(report["runs"]),
    ]
    verdict = report["check"]
    sections.append("Check: " + (ok_line(verdict) if verdict["ok"]
                                 else f"run {verdict['run_id']}: {'; '.join(verdict['falls'])}")
                    + ("" if report["search_index"]["ok"] else f"\nSearch index: {report['search_index']['problem']}"))
    return "\n\n".join(sections)


def _month_grid(per_month: list[dict], undated: int) -> str:
    """Articles per month as a year-by-month grid: a decade of months reads on one screen."""
    counts = {row["month"]: row["articles"] for row in per_month}
    years = sorted({month[:4] for month in counts})
    rows = [(year, *(counts.get(f"{year}-{m:02d}", "") for m in range(1, 13)),
             sum(counts.get(f"{year}-{m:02d}", 0) for m in range(1, 13))) for year in years]
    title = "Articles per month (published_at of the current version)"
    if undated:
        title += f"; {undated} without a date"
    return _section(title, ("year", *(f"{m:02d}" for m in range(1, 13)), "total"), rows)


def _health_section(runs: list[dict]) -> str:
    fields = list(runs[-1]["missing"]) if runs else []
    heading = ("run", "started", "status", "fetches", "failed", "parsed",
               *(FIELD_HEADINGS.get(field, field) for field in fields))
    rows = [(run["run_id"], run["started_at"], run["status"], run["fetches"],
             f"{run['failed']} ({_pct(run['failed_share'])})", run["parsed"],
             *(_pct(run["missing"].get(field, {}).get("share")) for field in fields)) for run in runs]
    return _section("Crawl health per run (failed: of all fetches; fields: share of parsed fetches lacking it)",
                    heading, rows)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _section(title: str, heading: tuple, rows: list[tuple]) -> str:
    if not rows:
        return f"{title}\n  (none)"
    table = [tuple(map(str, heading)), *(tuple(map(str, row)) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(heading))]
    # Text columns (the first, and any that is not a number) to the left, numbers to the right.
    numeric = [all(_numberish(row[i]) for row in table[1:]) for i in range(len(heading))]
    lines = ["  ".join(cell.rjust(width) if numeric[i] else cell.ljust(width)
                       for i, (cell, width) in enumerate(zip(row, widths))).rstrip() for row in table]
    return "\n".join([title, *("  " + line for line in lines)])


def _numberish(cell: str) -> bool:
    return cell in ("-", "") or cell.rstrip("%").split(" ")[0].isdigit()
