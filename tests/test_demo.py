"""`make demo` end to end: two crawls of the replica, a clock move between them, a CSV at the end."""

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo")
    done = subprocess.run([sys.executable, "-m", "crawler.demo"], cwd=workdir, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return workdir, done.stdout


def test_demo_crawls_twice_reports_changes_and_exports(demo):
    workdir, stdout = demo
    assert "What the second crawl recorded:" in stdout
    for outcome in ("new:", "updated:", "gone HTTP"):
        assert outcome in stdout
    exported = (workdir / "demo" / "articles.csv").read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.DictReader(exported.decode("utf-8-sig").splitlines()))
    assert len(rows) == 202  # 200 at first, 2 published after the clock moved
    assert {row["state"] for row in rows} == {"live", "gone"}
    seed = next(row for row in rows if row["article_id"] == "171925")
    assert seed["title"] == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
    assert int(seed["view_count"]) > 5717  # 5717 at the first crawl; it grew with the clock
    assert seed["version_count"] == "1"  # growing counts never make versions


def test_the_demo_runs_again_in_the_same_folder(demo):
    """A second `make demo` starts from an empty archive and remakes its own CSV over the first."""
    workdir, _ = demo
    first = (workdir / "demo" / "articles.csv").read_bytes()
    again = subprocess.run([sys.executable, "-m", "crawler.demo"], cwd=workdir, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert (workdir / "demo" / "articles.csv").read_bytes().count(b"\n") == first.count(b"\n")


def test_the_commands_the_demo_prints_run_as_pasted(demo):
    """Each `$ …` line is a command a reader can paste into the same shell: its program is found as
    written (the bare name only when PATH finds that same program), and the datasette hint too."""
    import shutil

    workdir, stdout = demo
    shown = [line[2:].split()[0] for line in stdout.splitlines() if line.startswith("$ ")]
    shown.append(stdout.split("Browse and search it in Datasette: ", 1)[1].split()[0])
    assert len(shown) == 4 and len(set(shown)) == 1
    program = str(workdir / shown[0]) if "/" in shown[0] else shutil.which(shown[0])  # an absolute path stays itself
    assert program and Path(program).exists(), shown[0]
    done = subprocess.run([program, "--help"], cwd=workdir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "crawl" in done.stdout, done.stderr


def test_readme_sql_examples_run_on_the_demo_archive(demo):
    """The README's SQL is for archivists to paste: every statement must run and find something."""
    workdir, _ = demo
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in block.split(";") if s.strip()]
    assert len(statements) >= 5
    with sqlite3.connect(workdir / "demo" / "archive.db") as db:
        for statement in statements:
            assert db.execute(statement).fetchall(), statement
