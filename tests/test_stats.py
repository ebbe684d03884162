"""`dbp-archive stats`: its numbers against SQL written here, its chart, and `--check` on a replica
whose layout change hides the view counters."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from archive.stats import BASELINE_RUNS, JUMP, MIN_FETCHES, health_check
from crawler.parsing import parse_article
from crawler.replica import Replica, ReplicaServer
from tests.clirun import dbp, one_line_error, query

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def stats_json(db) -> dict:
    done = dbp("stats", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- the numbers -----------------------------------------------------------------------------------------

def test_json_counts_agree_with_sql_written_here(copy_archive):
    db = copy_archive()
    report = stats_json(db)

    current = query(db, "SELECT a.identity, v.category, v.published_at, v.authors FROM articles AS a"
                        " JOIN versions AS v ON v.id = a.current_version_id")
    assert report["totals"]["articles"] == len(current) == query(db, "SELECT count(*) FROM articles")[0][0]
    assert {row["category"]: row["articles"] for row in report["articles_per_category"]} == \
        Counter(category for _, category, _, _ in current)
    assert {row["month"]: row["articles"] for row in report["articles_per_month"]} == \
        Counter(published[:7] for _, _, published, _ in current if published)
    assert report["articles_undated"] == sum(1 for _, _, published, _ in current if not published)
    authors = Counter(name for _, _, _, names in current for name in set(json.loads(names)))
    assert report["top_authors"][0]["articles"] == max(authors.values())
    assert all(authors[row["author"]] == row["articles"] for row in report["top_authors"])

    editorial = Counter(identity for identity, change in query(db, "SELECT identity, change FROM versions")
                        if change != "parser")
    assert {row["versions"]: row["articles"] for row in report["versions_per_article"]} == Counter(editorial.values())
    assert any(row["versions"] > 1 for row in report["versions_per_article"])  # the archive has edits
    edits = Counter(seen[:7] for seen, in query(db, "SELECT first_seen FROM versions WHERE change = 'edit'"))
    assert {row["month"]: row["edits"] for row in report["edits_per_month"]} == edits
    assert sum(edits.values()) == report["totals"]["edits"] > 0


def test_json_runs_count_parsed_fetches_failures_and_missing_fields(copy_archive):
    db = copy_archive()
    runs = stats_json(db)["runs"]
    stored = query(db, "SELECT id, parsed, failed FROM runs ORDER BY id")
    assert [(run["run_id"], run["parsed"], run["failed"]) for run in runs] == stored
    assert runs[-1]["failed"] >= 1  # the fixture's second crawl met a 500
    for run in runs:
        fetches = query(db, "SELECT o.view_count, v.body_text, v.authors FROM observations AS o"
                            " JOIN versions AS v ON v.id = o.version_id"
                            " WHERE o.run_id = ? AND o.status = 200", run["run_id"])
        assert len(fetches) == run["parsed"]  # a parsed fetch is a 200 that showed a version
        missing = run["missing"]
        assert missing["view_count"]["fetches"] == sum(1 for views, _, _ in fetches if views is None)
        assert missing["authors"]["fetches"] == sum(1 for _, _, names in fetches if json.loads(names) == [])
        assert missing["body_text"]["fetches"] == sum(1 for _, body, _ in fetches if not body)
        undated = query(db, "SELECT fetches FROM field_health WHERE run_id = ? AND field = 'published_at'",
                        run["run_id"])
        assert missing["published_at"]["fetches"] == (undated[0][0] if undated else 0)
        assert missing["view_count"]["share"] == pytest.approx(missing["view_count"]["fetches"] / run["parsed"])


def test_the_text_report_shows_every_section(copy_archive):
    db = copy_archive()
    done = dbp("stats", "--db", db)
    assert done.returncode == 0, done.stderr
    for heading in ("Articles per month", "Articles per category", "Versions per article", "Edits per month",
                    "Top authors", "Crawl health per run", "Check: ok"):
        assert heading in done.stdout, heading
    top = stats_json(db)["top_authors"][0]["author"]
    assert top in done.stdout


# -- the chart --------------------------------------------------------------------------------------------

def test_png_is_a_real_chart(copy_archive, tmp_path):
    from matplotlib.image import imread

    db = copy_archive()
    png = tmp_path / "chart.png"
    done = dbp("stats", "--db", db, "--png", png)
    assert done.returncode == 0, done.stderr
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    pixels = imread(png)
    assert pixels.shape[:2] == (800, 1100)
    assert _bar_pixels(pixels) > 2_000  # the months' bars are drawn, not only axes


def _bar_pixels(pixels) -> int:
    bar = (0x3B / 255, 0x6E / 255, 0xA8 / 255)  # exports.chart's bar colour
    return int((abs(pixels[..., :3] - bar).max(axis=-1) < 0.02).sum())


def test_an_archive_with_nothing_in_it_yet_still_reports_and_charts(tmp_path):
    from matplotlib.image import imread

    from archive.db import Archive

    db = tmp_path / "archive.db"
    Archive(db).close()
    png = tmp_path / "chart.png"
    done = dbp("stats", "--db", db, "--check", "--png", png)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok") and "nothing to compare" in done.stdout
    assert png.read_bytes().startswith(PNG_MAGIC) and _bar_pixels(imread(png)) == 0
    assert stats_json(db)["totals"]["articles"] == 0


def test_png_redraws_a_png_but_replaces_another_file_only_with_force(copy_archive, tmp_path):
    db = copy_archive()
    chart = tmp_path / "chart.png"
    chart.write_bytes(PNG_MAGIC + b"yesterday's chart")
    done = dbp("stats", "--db", db, "--png", chart)  # the daily cron line: redrawn without --force
    assert done.returncode == 0, done.stderr
    assert chart.read_bytes().startswith(PNG_MAGIC) and len(chart.read_bytes()) > 10_000
    for name, kept in [("try.csv", b"article_id,title\r\n1,x\r\n"), ("keep.warc", b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")]:
        other = tmp_path / name
        other.write_bytes(kept)
        one_line_error(dbp("stats", "--db", db, "--png", other), name, "--force")
        assert other.read_bytes() == kept
        done = dbp("stats", "--db", db, "--png", other, "--force")
        assert done.returncode == 0, done.stderr
        assert other.read_bytes().startswith(PNG_MAGIC)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_png_in_an_unwritable_place_is_one_line_and_status_2(copy_archive, tmp_path, read_only):
    db = copy_archive()
    one_line_error(dbp("stats", "--db", db, "--png", tmp_path / "nowhere" / "chart.png"), "chart.png")
    before = Path(db).read_bytes()
    one_line_error(dbp("stats", "--db", db, "--png", db), str(db), "archive")
    assert Path(db).read_bytes() == before
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only(locked)
    one_line_error(dbp("stats", "--db", db, "--png", locked / "chart.png"), "chart.png")
    assert not (locked / "chart.png").exists()


def test_a_missing_or_foreign_archive_is_one_line_and_status_2(tmp_path):
    one_line_error(dbp("stats", "--db", tmp_path / "none.db"), "none.db", "no such archive")
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (text)")
    connection.close()
    one_line_error(dbp("stats", "--db", foreign, "--check"), "other.sqlite")


# -- the check's rule, on runs made up here -----------------------------------------------------------------

def _run(run_id, *, parsed=50, views_missing=0, failed=0, finished=True):
    fetches = parsed + failed
    return {"run_id": run_id, "finished_at": "2025-01-01T00:00:00+07:00" if finished else None,
            "fetches": fetches, "failed": failed, "failed_share": failed / fetches if fetches else None,
            "parsed": parsed, "missing": {
                "view_count": {"fetches": views_missing, "share": views_missing / parsed if parsed else None},
                "published_at": {"fetches": 0, "share": 0.0 if parsed else None}}}


def test_check_rule_needs_two_finished_runs():
    assert health_check([])["ok"]
    alone = health_check([_run(1, views_missing=50)])
    assert alone["ok"] and "nothing to compare" in alone["note"]
    # a run still going is not judged: the finished one before it is the latest
    assert health_check([_run(1), _run(2, views_missing=50, finished=False)])["ok"]


def test_check_rule_a_clear_jump_against_the_median_falls_off():
    healthy = [_run(i, parsed=100, views_missing=10) for i in range(1, 4)]  # 10% each
    jump = round(JUMP * 100)
    fallen = health_check([*healthy, _run(4, parsed=100, views_missing=10 + jump)])
    assert not fallen["ok"] and fallen["run_id"] == 4 and fallen["compared_with"] == [1, 2, 3]
    assert "view count" in fallen["falls"][0] and "median of 10%" in fallen["falls"][0]
    just_below = health_check([*healthy, _run(4, parsed=100, views_missing=10 + jump - 1)])
    assert just_below["ok"], just_below
    # one odd run among the earlier ones does not move the median
    assert not health_check([_run(1, views_missing=5), _run(2, views_missing=50), _run(3, views_missing=5),
                             _run(4, views_missing=50)])["ok"]


def test_check_rule_compares_only_recent_runs_big_enough_to_say_something():
    old_bad = [_run(i, views_missing=50) for i in range(1, 4)]
    recent = [_run(i, views_missing=0) for i in range(4, 4 + BASELINE_RUNS)]
    verdict = health_check([*old_bad, *recent, _run(99, views_missing=50)])
    assert not verdict["ok"] and verdict["compared_with"] == [run["run_id"] for run in recent]
    tiny = [_run(1, views_missing=50), _run(2, parsed=MIN_FETCHES - 1), _run(3, views_missing=50)]
    assert health_check(tiny)["compared_with"] == [1]
    too_small_to_judge = health_check([_run(1), _run(2, parsed=MIN_FETCHES - 1, views_missing=MIN_FETCHES - 1)])
    assert too_small_to_judge["ok"] and too_small_to_judge["note"]


def test_check_rule_failures_jump_too():
    verdict = health_check([_run(1, failed=1), _run(2, parsed=20, failed=30)])
    assert not verdict["ok"] and "fetches failed" in verdict["falls"][0]
    # a crawl where everything failed parsed nothing, and still falls off
    assert not health_check([_run(1), _run(2, parsed=0, failed=40)])["ok"]


# -- the replica's redesign, and --check on it -------------------------------------------------------------

def _page_text(page) -> str:
    """What a reader's browser shows of a page's bytes, near enough: decoded, NFC, lower case."""
    try:
        text = page.body.decode("utf-8")
    except UnicodeDecodeError:
        text = page.body.decode("cp1258")
    return unicodedata.normalize("NFC", text).lower()


def _parsed(replica, article_id):
    page = replica.render_article(article_id)
    return parse_article(page.body, replica.url_for(article_id), {"content-type": page.headers["Content-Type"]})


def test_the_redesign_hides_every_view_counter():
    replica = Replica(seed=3, articles=30)
    ids = replica.live_ids()
    assert sum(1 for i in ids if _parsed(replica, i).view_count is not None) > len(ids) // 2
    assert sum(1 for i in ids if "lượt xem" in _page_text(replica.render_article(i))) > len(ids) // 2
    replica.redesign(hide=("views",))
    for article_id in ids:
        assert "lượt xem" not in _page_text(replica.render_article(article_id))
        assert _parsed(replica, article_id).view_count is None
        assert replica.expected(article_id)["view_count"] is None
    with pytest.raises(ValueError, match="cannot hide"):
        replica.redesign(hide=("title",))


def _crawl(db, server, *extra):
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url", server.url + "/",
               "--no-politeness", *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, (done.stdout, done.stderr)


def test_check_is_ok_on_a_healthy_archive_and_fails_after_the_counters_go(tmp_path):
    db = tmp_path / "archive.db"
    replica = Replica(seed=2, articles=60)
    with ReplicaServer(replica) as server:
        _crawl(db, server)
        first = dbp("stats", "--db", db, "--check")
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("ok") and "nothing to compare" in first.stdout

        replica.advance()
        _crawl(db, server, "--recheck-all")
        healthy = dbp("stats", "--db", db, "--check")
        assert healthy.returncode == 0, healthy.stderr
        assert healthy.stdout.strip() == "ok: run 2 reads as well as the run(s) before it (1)"

        replica.redesign(hide=("views",))
        replica.advance()
        _crawl(db, server, "--recheck-all")
    parsed = query(db, "SELECT parsed FROM runs WHERE id = 3")[0][0]
    assert parsed >= MIN_FETCHES
    # the parser's own count cannot see a counter gone with its label: the observations do
    assert query(db, "SELECT count(*) FROM observations WHERE run_id = 3 AND view_count IS NOT NULL") == [(0,)]
    fallen = dbp("stats", "--db", db, "--check")
    one_line_error(fallen, "run 3", "100% of parsed fetches lacked a view count", status=1)
    assert fallen.stdout == ""
    assert fallen.stderr.startswith("dbp-archive stats: ")
    report = stats_json(db)  # --json alone says the same and exits 0
    assert report["check"]["ok"] is False and report["check"]["compared_with"] == [1, 2]
    assert [run["missing"]["view_count"]["share"] for run in report["runs"]][-1] == 1.0


# Ways an index loses rows while its tables and triggers all stay: what `--check` must still see.
_INDEXED = "title, sapo, body_text, authors, category, search_text"
TAMPERINGS = {
    "docsize rows deleted": "DELETE FROM versions_fts_docsize WHERE id IN (SELECT id FROM versions LIMIT 2)",
    "an FTS5 'delete' of the body index": f"INSERT INTO versions_fts (versions_fts, rowid, {_INDEXED})"
                                          f" SELECT 'delete', id, {_INDEXED} FROM versions ORDER BY id DESC LIMIT 3",
    "an FTS5 'delete' of the title index": "INSERT INTO versions_title_fts (versions_title_fts, rowid, title)"
                                           " SELECT 'delete', id, title FROM versions ORDER BY id DESC LIMIT 1",
    "a table of the index dropped": "DROP TABLE versions_fts_docsize",  # beyond a rebuild: made again
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_check_reports_an_index_short_of_rows_and_upgrade_rebuilds_it(copy_archive, tampering):
    db = copy_archive()
    assert stats_json(db)["search_index"] == {"ok": True, "problem": None}
    before = dbp("stats", "--db", db, "--check")
    with sqlite3.connect(db) as connection:
        connection.execute(TAMPERINGS[tampering])
    connection.close()

    report = stats_json(db)["search_index"]  # --json alone says it and exits 0
    assert report["ok"] is False and "search index is" in report["problem"] and "stale" in report["problem"]
    done = dbp("stats", "--db", db, "--check")
    assert done.returncode == 1, done.stderr
    index_lines = [line for line in done.stderr.splitlines() if "search index" in line]
    assert len(index_lines) == 1 and index_lines[0].startswith("dbp-archive stats: "), done.stderr
    assert f"`dbp-archive upgrade --db {db}` rebuilds it" in index_lines[0]
    assert "Traceback" not in done.stderr
    assert "Search index:" in dbp("stats", "--db", db).stdout

    mended = dbp("upgrade", "--db", db)  # what the line tells the reader to run
    assert mended.returncode == 0 and mended.stdout.strip().endswith("; search index rebuilt"), mended
    assert stats_json(db)["search_index"]["ok"] is True
    word = query(db, "SELECT title FROM versions ORDER BY id DESC LIMIT 1")[0][0].split()[0]
    assert json.loads(dbp("search", word, "--db", db, "--json").stdout)  # and it answers
    after = dbp("stats", "--db", db, "--check")
    assert (after.returncode, after.stderr) == (before.returncode, before.stderr)
    assert "rebuilt" not in dbp("upgrade", "--db", db).stdout


def test_help_documents_every_json_key_and_the_rule(copy_archive):
    report = stats_json(copy_archive())
    done = dbp("stats", "--help")
    assert done.returncode == 0
    for key in report:
        assert key in done.stdout, key
    for field in report["runs"][0]["missing"]:
        assert field in done.stdout, field
    words = " ".join(done.stdout.split())  # however click wrapped it
    assert f"{round(JUMP * 100)} points" in words and f"up to {BASELINE_RUNS} finished runs" in words
    assert f"{MIN_FETCHES} or more parsed fetches" in words
