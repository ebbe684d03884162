"""The reliability suite: crawls of a replica that fails in every way `crawler.replica.faults` knows,
all modes at once, and what the archive must show for it.

Three crawls per seed, each a `dbp-archive crawl` subprocess bounded by a subprocess timeout:
1. a first crawl, page faults on a share of the article pages, an endless listing, robots.txt with a
   Crawl-delay that changes mid-run;
2. a plain rerun: what failed in run 1 is retried (the faults on a page end after a few attempts);
3. a new round of page faults, now on archived articles, and a redesign mid-crawl (`--recheck-all`).

Short form (in `make test`): one seed, 60 articles. Long form (`make reliability`,
`DBP_RELIABILITY=long`): five seeds and 250 articles. `DBP_RELIABILITY_SEED=N` picks the short form's
seed; every assertion names its seed. `DBP_RELIABILITY_REPORT=path` appends each seed's figures to that
file as a JSON line (RELIABILITY.md's table is made from them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clirun import dbp, one_line_error, query
from crawler.replica import Replica, ReplicaServer
from crawler.replica.faults import MODES, PAGE_MODES, ROBOTS_CHANGED_DISALLOW, Faults, is_article_path
from crawler.replica.pages import LISTING_PAGE_SIZE, RSS_PATH, category_size

LONG = os.environ.get("DBP_RELIABILITY", "").strip().lower() == "long"
SEEDS = [1, 2, 3, 4, 5] if LONG else [int(os.environ.get("DBP_RELIABILITY_SEED", "1"))]
ARTICLES = 250 if LONG else 60
SHARE = 0.3  # of the article pages, faulted in each round
RETRY_TIMES = 3  # Scrapy's default, which the crawler keeps: 4 attempts per fetch
LISTING_NEW_PAGES_MAX = 10 if LONG else 3  # above every real category's pages, so only the trap is cut
TRAP_LINKS = 5
CRAWL_DELAY = 0.02
CRAWL_TIMEOUT = 600 if LONG else 120  # a hung crawl fails the suite here, not by a duration assertion
CRAWL = ["--no-politeness", "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "DOWNLOAD_TIMEOUT=1",
         "-s", f"DBP_LISTING_NEW_PAGES_MAX={LISTING_NEW_PAGES_MAX}", "-s", f"RETRY_TIMES={RETRY_TIMES}"]
# What the failures table must say for a page that stayed broken through a run, by its fault.
REASONS = {
    "5xx": ("HTTP 50",),
    "reset": ("Connection", "connection", "lost", "Lost"),
    "stall": ("took longer than",),
    "truncate": ("DataLoss", "data loss"),
    "loop": ("max redirections",),
    "offsite": ("redirected off the site",),
    "huge": ("refused: larger than",),
    "empty": ("not an article",),
    "garbage": ("not an article",),
}


@dataclass
class Run:
    done: subprocess.CompletedProcess
    requests: Counter  # by path, this run's only
    injected: Counter
    faulted: dict  # article path -> its fault mode, this run's round


@dataclass
class Scenario:
    seed: int
    replica: Replica
    db: Path
    base_url: str
    runs: list[Run] = field(default_factory=list)
    check_before: subprocess.CompletedProcess | None = None
    check_after: subprocess.CompletedProcess | None = None
    trap_category: str | None = None

    def who(self, run: int | None = None) -> str:
        return f"seed {self.seed}" + (f", run {run}" if run else "")


def _crawl(scenario: Scenario, faults: Faults, *extra) -> Run:
    before_requests, before_injected = Counter(faults.requests), Counter(faults.injected)
    faults.faulted.clear()
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--db", str(scenario.db),
               "--start-url", scenario.base_url + "/", *CRAWL, *extra]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{scenario.who(len(scenario.runs) + 1)}: the crawl did not end within {CRAWL_TIMEOUT} s")
    requests = Counter(faults.requests)
    requests.subtract(before_requests)  # a new round starts its counts afresh, before the snapshot
    injected = Counter(faults.injected)
    injected.subtract(before_injected)
    return Run(done, +requests, +injected, dict(faults.faulted))


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def scenario(request, tmp_path_factory) -> Scenario:
    seed = request.param
    replica = Replica(seed=seed, articles=ARTICLES)
    modes = set(MODES) - {"redesign"}  # the redesign comes in run 3, once there is a baseline
    faults = Faults().plan(modes, seed=seed, share=SHARE, trap_links=TRAP_LINKS, crawl_delay=CRAWL_DELAY,
                           stall_seconds=2.5, robots_change_after=30, redesign_after=max(10, ARTICLES // 4))
    db = tmp_path_factory.mktemp(f"reliability-{seed}") / "archive.db"
    with ReplicaServer(replica, faults=faults) as server:
        scenario = Scenario(seed, replica, db, server.url)
        scenario.runs.append(_crawl(scenario, faults))
        scenario.runs.append(_crawl(scenario, faults))
        scenario.check_before = dbp("stats", "--db", db, "--check")
        faults.next_round(add=("redesign",))
        scenario.runs.append(_crawl(scenario, faults, "--recheck-all"))
        scenario.check_after = dbp("stats", "--db", db, "--check")
        scenario.trap_category = faults.plan_.trap_category
    _report(scenario)
    return scenario


def _identity_of_path(scenario: Scenario, path: str) -> str | None:
    from crawler.urls import identity_of

    return identity_of(scenario.base_url + path)


def _live(scenario: Scenario) -> set[str]:
    return {scenario.replica.identity(article_id) for article_id in scenario.replica.live_ids()}


def _archived(scenario: Scenario) -> set[str]:
    return {row[0] for row in query(scenario.db, "SELECT identity FROM articles")}


def _failures(scenario: Scenario, run: int) -> list[tuple[str, str, str]]:
    return query(scenario.db, "SELECT f.identity, o.url, f.error FROM failures AS f"
                              " JOIN observations AS o ON o.id = f.observation_id WHERE o.run_id = ?", run)


# -- bounds ------------------------------------------------------------------------------------------

def test_every_run_ends_with_an_honest_exit_status(scenario):
    # 0, or 1 when most fetches failed (a rerun whose few retries sit among a trap's dead links).
    for number, run in enumerate(scenario.runs, 1):
        assert run.done.returncode in (0, 1), (scenario.who(number), run.done.stdout, run.done.stderr[-3000:])
        if run.done.returncode == 1:
            assert "most fetches failed" in run.done.stderr, (scenario.who(number), run.done.stderr[-3000:])
        assert "Traceback" not in run.done.stderr, scenario.who(number)
    assert scenario.runs[0].done.returncode == 0, scenario.who(1)


def test_no_page_is_asked_for_more_than_its_retries_allow(scenario):
    for number, run in enumerate(scenario.runs, 1):
        for path, count in run.requests.items():
            if is_article_path(path):  # a redirect loop's hops are one attempt
                # Twisted sends a request again, once, when a kept-alive connection drops before any
                # answer: a reset costs up to two requests per attempt.
                most = (RETRY_TIMES + 1) * (2 if run.faulted.get(path) == "reset" else 1)
                assert count <= most, (scenario.who(number), path, run.faulted.get(path), count)
        loops = sum(1 for mode in run.faulted.values() if mode == "loop")
        assert run.injected["loop"] <= loops * 21, scenario.who(number)  # REDIRECT_MAX_TIMES hops, then given up


def test_listings_are_walked_within_their_pages_and_the_trap_is_cut_short(scenario):
    replica = scenario.replica
    assert scenario.trap_category, scenario.who()
    for number, run in enumerate(scenario.runs, 1):
        for category in replica.categories:
            pages = max(1, -(-category_size(replica, category) // LISTING_PAGE_SIZE))
            asked = sum(count for path, count in run.requests.items()
                        if path.startswith(f"/tin-tuc/{category.slug}/") and not is_article_path(path))
            if category.slug == scenario.trap_category:
                # The real pages, then new-article pages up to the cap (counted with the real ones).
                assert pages < asked <= pages + LISTING_NEW_PAGES_MAX, (scenario.who(number), category.slug, asked)
            else:
                assert asked <= pages + 1, (scenario.who(number), category.slug, asked)  # + the empty page past the end
    assert "cut short" in scenario.runs[0].done.stderr, scenario.who(1)
    stats = json.loads(query(scenario.db, "SELECT stats FROM runs WHERE id = 1")[0][0])
    assert stats.get("listings_cut_short") == 1, scenario.who(1)


# -- nothing lost, nothing invented -------------------------------------------------------------------------

def test_what_run_1_did_not_archive_is_in_its_failures_with_url_and_reason(scenario):
    missing = _live(scenario) - set(_archived_after_run(scenario, 1))
    failures = _failures(scenario, 1)
    failed = {identity for identity, _, _ in failures}
    assert missing, f"{scenario.who(1)}: no fault outlasted the retries, so this check could not fail"
    assert missing <= failed, (scenario.who(1), sorted(missing - failed))
    for identity, url, error in failures:
        assert url and url.startswith(scenario.base_url) and error, (scenario.who(1), identity, url, error)


def test_each_failure_says_what_went_wrong(scenario):
    run = scenario.runs[0]
    errors = {}
    for identity, url, error in _failures(scenario, 1):
        errors.setdefault(identity, []).append(error)
    checked = Counter()
    for path, mode in run.faulted.items():
        identity = _identity_of_path(scenario, path)
        if (mode not in REASONS or identity not in errors or identity in _archived_after_run(scenario, 1)
                or identity not in _live(scenario)):  # a trap's dead links end in their 404
            continue
        assert any(word in error for error in errors[identity] for word in REASONS[mode]), (
            scenario.who(1), mode, path, errors[identity])
        checked[mode] += 1
    assert len(checked) >= 4, (scenario.who(1), checked)


def test_every_failure_of_run_1_is_retried_in_run_2(scenario):
    failed = {identity for identity, _, _ in _failures(scenario, 1)} & _live(scenario)
    retried = {row[0] for row in query(scenario.db, "SELECT DISTINCT identity FROM observations WHERE run_id = 2")}
    retried |= {identity for identity, _, _ in _failures(scenario, 2)}
    assert failed and failed <= retried, (scenario.who(2), sorted(failed - retried))


def test_every_good_article_is_archived_as_the_site_shows_it(scenario):
    replica = scenario.replica
    assert _live(scenario) <= _archived_after_run(scenario, 2), (
        scenario.who(2), sorted(_live(scenario) - _archived_after_run(scenario, 2)))
    rows = {row[0]: row[1:] for row in query(scenario.db, "SELECT identity, title, sapo, body_text, published_at, "
                                                          "authors FROM article_current")}
    charset_pages = 0
    for article_id in replica.live_ids():
        truth = replica.expected(article_id)
        identity = replica.identity(article_id)
        expected = (truth["title"], truth["sapo"], truth["body_text"], truth["published_at"], truth["authors"])
        title, sapo, body, published, authors = rows[identity]
        assert (title, sapo, body, published, json.loads(authors)) == expected, (scenario.who(), identity)
        path = replica.url_for(article_id).removeprefix(scenario.base_url)
        charset_pages += scenario.runs[0].faulted.get(path) == "charset"
    assert charset_pages, f"{scenario.who()}: no mislabelled page archived, so the charset check could not fail"


def test_no_faulty_answer_became_a_version(scenario):
    # The replica's clock never moves here: one version per article, whatever was served in between.
    assert query(scenario.db, "SELECT count(*), count(DISTINCT identity) FROM versions") == [(len(_archived(scenario)),) * 2], scenario.who()
    assert query(scenario.db, "SELECT count(*) FROM versions WHERE title = '' OR body_text = ''") == [(0,)], scenario.who()
    assert query(scenario.db, "SELECT max(size) FROM captures")[0][0] < 8 * 1024 * 1024, scenario.who()
    # Run 3's faults hit archived articles: failures, never versions.
    assert scenario.runs[2].injected.total() > 0 and _failures(scenario, 3), scenario.who(3)


def test_every_page_mode_was_served(scenario):
    served = Counter()
    for run in scenario.runs:
        served.update(run.injected)
    assert set(MODES) <= set(served), (scenario.who(), sorted(set(MODES) - set(served)))


# -- robots.txt and the redesign --------------------------------------------------------------------------

def test_robots_crawl_delay_is_applied_and_its_change_obeyed_from_the_next_run(scenario):
    stats = json.loads(query(scenario.db, "SELECT stats FROM runs WHERE id = 1")[0][0])
    assert stats.get("crawl_delay") == CRAWL_DELAY, (scenario.who(1), stats)
    first, second = scenario.runs[0].requests, scenario.runs[1].requests
    assert first[RSS_PATH] == 1, scenario.who(1)  # read before robots.txt changed
    assert not [path for path in second if path.startswith(ROBOTS_CHANGED_DISALLOW)], scenario.who(2)


def test_the_redesign_shows_in_stats_check(scenario):
    before, after = scenario.check_before, scenario.check_after
    assert before.returncode == 0, (scenario.who(2), before.stdout, before.stderr)
    assert after.returncode == 1, (scenario.who(3), after.stdout, after.stderr)
    assert "lacked a view count" in after.stdout + after.stderr, (scenario.who(3), after.stdout, after.stderr)
    assert scenario.runs[2].injected["redesign"] == 1, scenario.who(3)


# -- helpers over the archive ---------------------------------------------------------------------------

def _archived_after_run(scenario: Scenario, run: int) -> set[str]:
    return {row[0] for row in query(scenario.db, "SELECT DISTINCT identity FROM observations WHERE run_id <= ?"
                                                 " AND version_id IS NOT NULL", run)}


def _report(scenario: Scenario) -> None:
    target = os.environ.get("DBP_RELIABILITY_REPORT")
    if not target:
        return
    injected = Counter()
    for run in scenario.runs:
        injected.update(run.injected)
    figures = {
        "seed": scenario.seed, "articles": len(scenario.replica.all_ids()), "runs": len(scenario.runs),
        "faults_injected": dict(sorted(injected.items())), "faults_total": injected.total(),
        "requests": [sum(run.requests.values()) for run in scenario.runs],
        "failures_recorded": [len(_failures(scenario, n)) for n in (1, 2, 3)],
        "articles_lost": len(_live(scenario) - _archived(scenario)),
        "versions_per_article": query(scenario.db, "SELECT count(*) * 1.0 / count(DISTINCT identity) FROM versions")[0][0],
        "stats_check_after_redesign": scenario.check_after.returncode,
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(figures) + "\n")


# -- the knobs ----------------------------------------------------------------------------------------

def test_replica_faults_option_refuses_an_unknown_mode():
    one_line_error(dbp("replica", "--faults", "5xx,flood"), "--faults", "flood")


def test_replica_serves_the_faults_it_is_told(tmp_path):
    url_file = tmp_path / "url"
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "replica", "--articles", "10",
                                "--faults", "robots,trap", "--url-file", str(url_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        import time
        import urllib.request

        for _ in range(200):
            if url_file.exists():
                break
            time.sleep(0.05)
        base = url_file.read_text().strip()
        robots = urllib.request.urlopen(base + "/robots.txt", timeout=10).read().decode()
        assert "Crawl-delay:" in robots
        listing = urllib.request.urlopen(base + "/tin-tuc/chinh-tri/trang-9.html", timeout=10).read().decode()
        assert "/tin-tuc/chinh-tri/trang-10.html" in listing and "tin-moi-" in listing
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert "Faults: robots, trap (seed 1, share 0.2)" in out


# -- Crawl-delay, on Scrapy's own objects ----------------------------------------------------------------

def test_crawl_delay_holds_each_slot_at_the_pace_robots_txt_names():
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.robotstxt import ProtegoRobotParser
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from crawler.extensions import RobotsCrawlDelay

    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "USER_AGENT": "dbp-archive/test",
                                         "AUTOTHROTTLE_MAX_DELAY": 10.0})
    crawler.stats = MemoryStatsCollector(crawler)
    slots = {"slow.example": Slot(8, 0.0, 0.5), "other.example": Slot(8, 0.0, 0.5)}
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(
        slots=slots, get_slot_key=lambda request: request.url.split("/")[2]))
    extension = RobotsCrawlDelay.from_crawler(crawler)
    slow, other = Request("http://slow.example/a"), Request("http://other.example/a")
    extension.robots_parsed(ProtegoRobotParser(b"User-agent: *\nCrawl-delay: 2.5\n", None), slow)
    extension.robots_parsed(ProtegoRobotParser(b"User-agent: *\nDisallow: /x\n", None), other)
    extension.enforce(slow)
    assert (slots["slow.example"].delay, slots["slow.example"].jitter) == (2.5, 0.0)
    slots["slow.example"].delay = 0.3  # AutoThrottle lowered it after a quick answer
    extension.enforce(slow, response=None)
    assert slots["slow.example"].delay == 2.5
    extension.enforce(other)
    assert (slots["other.example"].delay, slots["other.example"].jitter) == (0.0, 0.5)  # no Crawl-delay: untouched
    extension.robots_parsed(ProtegoRobotParser(b"User-agent: *\nCrawl-delay: 3600\n", None), other)
    extension.enforce(other)
    assert slots["other.example"].delay == 10.0  # capped: a run must end
    assert crawler.stats.get_value("dbp/crawl_delay") == 10.0
