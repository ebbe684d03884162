"""`make demo` end to end: two crawls of the replica, a clock move between them, a CSV at the end."""

import csv
import subprocess
import sys


def test_demo_crawls_twice_reports_changes_and_exports(tmp_path):
    done = subprocess.run([sys.executable, "-m", "crawler.demo"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "What the second crawl recorded:" in done.stdout
    for outcome in ("new:", "updated:", "gone HTTP"):
        assert outcome in done.stdout
    exported = (tmp_path / "demo" / "articles.csv").read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.DictReader(exported.decode("utf-8-sig").splitlines()))
    assert len(rows) == 202  # 200 at first, 2 published after the clock moved
    assert {row["state"] for row in rows} == {"live", "gone"}
    seed = next(row for row in rows if row["article_id"] == "171925")
    assert seed["title"] == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
    assert int(seed["view_count"]) > 5717  # 5717 at the first crawl; it grew with the clock
    assert seed["version_count"] == "1"  # growing counts never make versions
