"""Parsing in worker processes (`crawl --parse-workers N`) archives exactly what parsing in the crawl's
own process does, and a worker that dies costs no page."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess

import pytest

from archive_state import archive_state, differences
from clirun import dbp, query
from crawler.parse_workers import ParseWorkers
from crawler.parsing import parse_article
from crawler.replica import Replica, ReplicaServer


def test_a_crawl_parsed_in_workers_archives_what_an_in_process_crawl_does(tmp_path):
    replica = Replica(seed=11, articles=80)
    with ReplicaServer(replica) as server:
        for workers in (0, 2):
            done = dbp("crawl", "--db", tmp_path / f"{workers}.db", "--start-url", server.url, "--no-politeness",
                       "--parse-workers", workers)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
    for workers in (0, 2):  # each run says how it parsed
        (settings,), = query(tmp_path / f"{workers}.db", "SELECT settings FROM runs")
        assert json.loads(settings)["DBP_PARSE_WORKERS"] == workers
    in_process, in_workers = archive_state(tmp_path / "0.db"), archive_state(tmp_path / "2.db")
    assert len(in_process["versions"]) >= 70  # the replica's live articles, every one parsed
    assert differences(in_workers, in_process) == []


def test_a_crawl_run_inside_another_scrapy_project_parses_in_its_workers_all_the_same(tmp_path):
    """Scrapy's own `get_project_settings` appends the nearest `scrapy.cfg`'s folder to `sys.path`,
    and a spawned worker inherits it: from inside another project with a `crawler` package of its
    own, the workers imported that package and died with a traceback."""
    import sys
    from pathlib import Path

    command = Path(sys.executable).parent / "dbp-archive"  # as installed: `python -m` would put the cwd first
    if not command.exists():
        pytest.skip(f"{command} is not installed (make installs it)")
    other = tmp_path / "other-project"
    (other / "crawler").mkdir(parents=True)
    (other / "scrapy.cfg").write_text("[settings]\ndefault = crawler.settings\n")
    (other / "crawler" / "__init__.py").write_text("raise ImportError('the other project was imported')\n")
    (other / "work").mkdir()
    with ReplicaServer(Replica(seed=11, articles=20)) as server:
        done = subprocess.run([command, "crawl", "--db", "a.db", "--start-url", server.url, "--no-politeness",
                               "--parse-workers", "1"], cwd=other / "work", capture_output=True, text=True,
                              timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "worker" not in done.stderr, done.stderr
    (fetched,), = query(other / "work" / "a.db", "SELECT count(*) FROM versions")
    assert fetched >= 15


def test_pages_are_parsed_here_once_a_worker_has_died():
    replica = Replica(seed=11, articles=10)
    article_id = replica.live_ids()[0]
    page, url = replica.render_article(article_id), replica.url_for(article_id)
    expected = parse_article(page.body, url, page.headers)
    workers = ParseWorkers(1)

    async def parse_twice_killing_between():
        first = await workers.parse(page.body, url, page.headers)
        for process in list(workers._pool._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        return first, await workers.parse(page.body, url, page.headers)

    try:
        first, after_death = asyncio.run(parse_twice_killing_between())
    finally:
        workers.close()
    assert first == expected and after_death == expected
    assert not workers.offloaded  # and the pages after it are parsed in process, without waiting on a dead pool


@pytest.mark.parametrize("signum", [signal.SIGINT], ids=["ctrl-c"])
def test_a_stop_sent_to_the_process_group_stops_a_crawl_and_its_workers_in_one_line(tmp_path, signum):
    """A terminal's Ctrl-C and `systemctl stop`'s SIGTERM reach every process of the group, the workers
    too: they leave it to the crawl, which archives what is in flight and says so in one line (no worker
    tracebacks, no "a parse worker died", no hang)."""
    import subprocess
    import sys
    import time

    from clirun import one_line_error

    replica = Replica(seed=12, articles=400)  # stopped at 40 versions: most still to fetch
    db = tmp_path / "archive.db"
    with ReplicaServer(replica) as server:
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                                  server.url, "--no-politeness", "--parse-workers", "2"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and crawl.poll() is None:
            try:
                if db.exists() and query(db, "SELECT count(*) FROM versions")[0][0] >= 40:
                    break
            except sqlite3.OperationalError:  # the crawl has not made its tables yet
                pass
            time.sleep(0.05)
        os.killpg(crawl.pid, signum)
        out, err = crawl.communicate(timeout=60)
        one_line_error(subprocess.CompletedProcess(crawl.args, crawl.returncode, out, err), "interrupted", status=130)
        rerun = dbp("crawl", "--db", db, "--start-url", server.url, "--no-politeness", "--parse-workers", 2)
        assert rerun.returncode == 0, rerun.stderr
    assert query(db, "SELECT count(*) FROM articles")[0][0] == len(replica.all_ids())


def _parse_workers_of(pid: int) -> list[int]:
    """The spawned worker processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline", "rb") as command:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command.read():
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass  # ended while read
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads processes' parents from Linux's /proc")
def test_workers_end_with_a_crawl_killed_outright(tmp_path):
    """SIGKILL (the OOM killer, `timeout -s KILL`) gives the crawl no chance to shut its pool down: the
    workers, which ignore Ctrl-C and SIGTERM, must not live on without it."""
    import subprocess
    import sys
    import time

    replica = Replica(seed=13, articles=1500)
    db = tmp_path / "archive.db"
    with ReplicaServer(replica) as server:
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db), "--start-url",
                                  server.url, "--no-politeness", "--parse-workers", "2"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        workers: list[int] = []
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and crawl.poll() is None and len(workers) < 2:
                time.sleep(0.1)
                workers = _parse_workers_of(crawl.pid)
            assert len(workers) == 2, "the crawl never started its two parse workers"
            crawl.kill()
            crawl.wait(timeout=30)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and any(_running(pid) for pid in workers):
                time.sleep(0.1)
            assert not [pid for pid in workers if _running(pid)], "parse workers outlived their crawl"
        finally:
            for pid in workers:
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)
