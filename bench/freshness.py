"""`make bench`'s `freshness` section: how many requests each revisit schedule spends per edit it
catches, and how soon it catches them, on one simulated site over FRESHNESS_DAYS (60) days.

The site. Its articles and their publication times are the replica's: the FRESHNESS_ARTICLES
(20 000) initial articles of `Replica(seed, n)` at their `published_at` (2019 – 2025-11-01), then each
simulated day `RATES["add"]` (1 %) of the articles so far published at the replica's newsroom-day times
(06:00 – 22:00). Its edits are not the replica's: `Replica.advance()` edits 5 % of all live articles a day
whatever their age, a test load under which an article's age says nothing of its next edit. Here, as
NewsDiffs' buckets assume, most edits come in an article's first hours and days and a long tail
follows: each article gets Poisson(EDITS_PER_ARTICLE = 1) edits over its life,
each at an age drawn from the Lomax law F(a) = 1 − (1 + a/2 h)^−0.25, so 20 % of edits fall within
3 hours of publication, 47 % within a day, 67 % within a week, 77 % within 30 days, 88 % within a year.
Take-downs are left out: the replica's 2 % a day is a stress figure too, and counting fetches of dead
pages would favour our 30-day `gone` rule on a rate we chose.

The crawler. Every FRESHNESS_TICK_MINUTES (15, the finest interval any of the four tables asks for) it
reads the listings, fetches each new article once (its first version: the same for every schedule
and outside the budget) and then fetches the articles its schedule says are due, most overdue first
(`ORDER BY next_check_at`, as `Archive.due_articles` does), until the day's request budget is spent.
An edit is caught by the first fetch after it, with that delay, unless a later edit came first (then
the site's intermediate text is lost: superseded) or no fetch came before the end (unseen); both count
as missed.

The schedules, each from the state a crawler has (when it checked, when it saw the last change, when it
first saw the article):
- `project`: `archive.schedule.next_check_at`, the function the archive calls;
- `news_please`: every article again a day after its last fetch;
- `diffengine`: due once the time since the last check reaches 0.2 × the article's age (its
  `Entry.stale`, as the docstring means: its code's `timedelta.seconds` drops whole days);
- `newsdiffs`: its `get_update_delay` buckets by time since the last change.
Each runs once uncapped and once under the same daily budget for all: the busiest day of the thriftiest
anchor uncapped (whatever our own table asks), so every schedule must live on what the cheapest
alternative spends, and one that would spend more must choose what to leave overdue. The
`freshness_<name>_…` keys are the capped run's, `freshness_<name>_uncapped_…` the others.
Everything is seeded (FRESHNESS_SEED) and depends on nothing else: the same knobs give the same numbers.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from run import env_int, print_table  # noqa: E402 - bench/run.py's helpers

from archive.schedule import next_check_at  # noqa: E402
from crawler.replica.model import (EPOCH_0_NOW, NEWSROOM_DAY_HOURS, NEWSROOM_DAY_START, RATES,  # noqa: E402
                                   Replica)

DAYS = 60
ARTICLES = 20_000
TICK_MINUTES = 15
SEED = 1
EDITS_PER_ARTICLE = 1.0
EDIT_AGE_SCALE_MINUTES = 120.0
EDIT_AGE_TAIL = 1.25  # Lomax shape + 1: the hazard falls as age^-1.25, so a long tail of late edits
DAY = 1440  # minutes
NEVER = math.inf
SCHEDULES = ("project", "news_please", "diffengine", "newsdiffs")
ANCHORS = SCHEDULES[1:]

TARGETS = {
    # the project's requests per edit caught ÷ the fewest of the three anchors', same budget
    "freshness_requests_per_edit_vs_best_anchor": ("<=", 1.0),
    # the project's median detection delay ÷ the shortest of the three anchors', same budget
    "freshness_delay_p50_vs_best_anchor": ("<=", 1.0),
}


# -- the site --------------------------------------------------------------------------------------

@dataclass
class Site:
    """Times in minutes from the replica's epoch 0 (`EPOCH_0_NOW`, midnight); an initial article's
    publication is before 0. `edits[i]`: article i's edit times, sorted (an empty tuple if none)."""

    published: list[float]
    edits: list[tuple[float, ...]]
    initial: int  # articles 0 … initial-1 existed at 0; the rest are published in order
    days: int

    @property
    def end(self) -> float:
        return self.days * DAY


def build_site(seed: int = SEED, articles: int = ARTICLES, days: int = DAYS,
               edits_per_article: float = EDITS_PER_ARTICLE) -> Site:
    replica = Replica(seed, articles)
    minute = timedelta(minutes=1)
    published = [(replica.published_at(i) - EPOCH_0_NOW) / minute for i in range(articles)]
    rng = random.Random(f"dbp-freshness/{seed}/publication")
    for day in range(days):
        count = max(1, round(RATES["add"] * len(published)))
        start = day * DAY + NEWSROOM_DAY_START * 60
        published += sorted(start + rng.random() * NEWSROOM_DAY_HOURS * 60 for _ in range(count))
    end = days * DAY
    edits = [edit_times(random.Random(f"dbp-freshness/{seed}/edits/{i}"), at, end, edits_per_article)
             for i, at in enumerate(published)]
    return Site(published, edits, articles, days)


def edit_times(rng: random.Random, published: float, end: float, mean: float) -> tuple[float, ...]:
    """Poisson(`mean`) edits at Lomax-distributed ages after `published`, those before `end`, sorted."""
    times = []
    for _ in range(_poisson(rng, mean)):
        age = EDIT_AGE_SCALE_MINUTES * ((1 - rng.random()) ** (1 / (1 - EDIT_AGE_TAIL)) - 1)
        if published + age < end:
            times.append(published + age)
    return tuple(sorted(times))


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


# -- the schedules: (checked, last change seen, first seen) → when due next, all in minutes -------------

def project_due(checked: float, changed: float, first_seen: float) -> float:
    fetched = EPOCH_0_NOW + timedelta(minutes=checked)
    return (next_check_at(fetched, EPOCH_0_NOW + timedelta(minutes=changed)) - EPOCH_0_NOW) / timedelta(minutes=1)


def news_please_due(checked: float, changed: float, first_seen: float) -> float:
    return checked + DAY


def diffengine_due(checked: float, changed: float, first_seen: float) -> float:
    # stale once now − checked ≥ 0.2 × (now − created): now = (checked − 0.2 × created) / 0.8
    return max(checked, (checked - 0.2 * first_seen) / 0.8)


def newsdiffs_delay(minutes_since_update: float) -> float:
    """NewsDiffs' `get_update_delay` (ecprice/newsdiffs, website/frontend/management/commands/scraper.py
    at 279e867): 15 min under 3 hours since the last update, 1 h under a day, 3 h under 7 days, 3 days
    under 30, 30 days under 360, and older ones ignored (`60*24*365*1e5`; `update_versions` also
    drops articles neither updated nor added in 366 days)."""
    days = minutes_since_update // DAY
    if minutes_since_update < 3 * 60:
        return 15
    if days < 1:
        return 60
    if days < 7:
        return 180
    if days < 30:
        return 3 * DAY
    if days < 360:
        return 30 * DAY
    return NEVER


def newsdiffs_due(checked: float, changed: float, first_seen: float) -> float:
    # Checked once minutes_since_check ≥ the delay for minutes_since_update *then*, where
    # minutes_since_update counts from max(last_update, initial_date): the delay may grow while waiting.
    since = max(changed, first_seen)
    due = checked + newsdiffs_delay(checked - since)
    while due < NEVER and newsdiffs_delay(due - since) > due - checked:
        due = checked + newsdiffs_delay(due - since)
    return due


DUE: dict[str, Callable[[float, float, float], float]] = {
    "project": project_due, "news_please": news_please_due, "diffengine": diffengine_due,
    "newsdiffs": newsdiffs_due,
}


# -- the crawl -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    requests: int = 0  # revisits the schedule asked for (first fetches apart)
    first_fetches: int = 0
    busiest_day: int = 0
    delays: list[float] = field(default_factory=list)  # minutes, one per edit caught
    superseded: int = 0
    unseen: int = 0
    days: int = 1

    @property
    def caught(self) -> int:
        return len(self.delays)

    @property
    def missed(self) -> int:
        return self.superseded + self.unseen


def crawl(site: Site, due: Callable[[float, float, float], float], budget_per_day: float = NEVER,
          tick: int = TICK_MINUTES) -> Outcome:
    """Run one schedule over the site's days (see the module's docstring) and say what it caught."""
    n = len(site.published)
    seen = [0] * n  # how many of the article's edits the archive has seen
    changed = [0.0] * n
    first_seen = [0.0] * n
    queue: list[tuple[float, int]] = []
    outcome = Outcome(days=site.days)
    phase = random.Random("dbp-freshness/phase")  # the same for every schedule
    for i in range(site.initial):
        # The archive was current at 0 and each article last checked somewhere in its interval.
        edits = site.edits[i]
        seen[i] = bisect.bisect_right(edits, 0.0)
        changed[i] = edits[seen[i] - 1] if seen[i] else site.published[i]
        first_seen[i] = site.published[i]
        interval = due(0.0, changed[i], first_seen[i])
        if interval < NEVER:
            heapq.heappush(queue, (interval * (1 - phase.random()), i))
    upcoming = site.initial
    spent_today, today = 0, 0
    for now in range(0, site.days * DAY, tick):
        while upcoming < n and site.published[upcoming] <= now:
            i, upcoming = upcoming, upcoming + 1
            edits = site.edits[i]
            seen[i] = bisect.bisect_right(edits, now)  # edits before the first fetch are in version 1
            changed[i] = edits[seen[i] - 1] if seen[i] else site.published[i]  # the page's updated_at
            first_seen[i] = now
            outcome.first_fetches += 1
            heapq.heappush(queue, (max(due(now, changed[i], now), now + 1), i))
        if now // DAY != today:
            outcome.busiest_day = max(outcome.busiest_day, spent_today)
            spent_today, today = 0, now // DAY
        while queue and queue[0][0] <= now and spent_today < budget_per_day:
            _, i = heapq.heappop(queue)
            spent_today += 1
            outcome.requests += 1
            edits = site.edits[i]
            current = bisect.bisect_right(edits, now)
            if current > seen[i]:
                outcome.delays.append(now - edits[current - 1])
                outcome.superseded += current - 1 - seen[i]
                seen[i], changed[i] = current, now  # the change time is when it was first seen
            next_due = due(now, changed[i], first_seen[i])
            if next_due < NEVER:  # a run fetches an article once at most: the earliest is the next run
                heapq.heappush(queue, (max(next_due, now + 1), i))
    outcome.busiest_day = max(outcome.busiest_day, spent_today)
    for i in range(upcoming):
        outcome.unseen += len(site.edits[i]) - seen[i]
    return outcome


# -- the section -----------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0–1) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def figures(name: str, outcome: Outcome) -> dict:
    caught = outcome.caught
    return {
        f"freshness_{name}_requests_per_day": round(outcome.requests / outcome.days, 1),
        f"freshness_{name}_busiest_day_requests": outcome.busiest_day,
        f"freshness_{name}_delay_p50_h": round(percentile(outcome.delays, 0.5) / 60, 2) if caught else None,
        f"freshness_{name}_delay_p90_h": round(percentile(outcome.delays, 0.9) / 60, 2) if caught else None,
        f"freshness_{name}_edits_caught": caught,
        f"freshness_{name}_edits_missed": outcome.missed,
        f"freshness_{name}_edits_superseded": outcome.superseded,
        f"freshness_{name}_requests_per_edit_caught": round(outcome.requests / caught, 2) if caught else None,
    }


def bench_freshness() -> dict:
    seed = env_int("FRESHNESS_SEED", SEED)
    days = env_int("FRESHNESS_DAYS", DAYS)
    tick = env_int("FRESHNESS_TICK_MINUTES", TICK_MINUTES)
    site = build_site(seed, env_int("FRESHNESS_ARTICLES", ARTICLES), days)
    uncapped = {name: crawl(site, DUE[name], tick=tick) for name in SCHEDULES}
    budget = min(uncapped[name].busiest_day for name in ANCHORS)
    capped = {name: crawl(site, DUE[name], budget, tick) for name in SCHEDULES}
    edits = capped["project"].caught + capped["project"].missed  # after each article's first fetch
    results = {"freshness_seed": seed, "freshness_days": days, "freshness_tick_minutes": tick, "freshness_edits": edits,
               "freshness_articles_at_start": site.initial,
               "freshness_articles_at_end": len(site.published), "freshness_budget_per_day": budget,
               "freshness_first_fetches": capped["project"].first_fetches}
    for name in SCHEDULES:
        results.update(figures(name, capped[name]))
        results.update(figures(f"{name}_uncapped", uncapped[name]))
    # A schedule that caught nothing has no cost per edit (None) and no delay: it cannot be the best.
    per_edit = [results[f"freshness_{name}_requests_per_edit_caught"] for name in ANCHORS]
    p50s = [results[f"freshness_{name}_delay_p50_h"] for name in ANCHORS if capped[name].caught]
    ours_per_edit = results["freshness_project_requests_per_edit_caught"]
    ours_p50 = results["freshness_project_delay_p50_h"]
    if ours_per_edit is not None and any(value is not None for value in per_edit):
        results["freshness_requests_per_edit_vs_best_anchor"] = round(
            ours_per_edit / min(value for value in per_edit if value is not None), 3)
    if capped["project"].caught and p50s and min(p50s) > 0:
        results["freshness_delay_p50_vs_best_anchor"] = round(ours_p50 / min(p50s), 3)
    header = ("", "requests/day", "p50 delay h", "p90 delay h", "caught", "missed", "requests/edit")
    for title, suffix in ((f"same budget, {budget:,} requests a day", ""), ("uncapped", "_uncapped")):
        rows = []
        for name in SCHEDULES:
            key = f"freshness_{name}{suffix}_"
            rows.append((name, results[key + "requests_per_day"], results[key + "delay_p50_h"],
                         results[key + "delay_p90_h"], results[key + "edits_caught"],
                         results[key + "edits_missed"], results[key + "requests_per_edit_caught"]))
        print_table(f"Freshness over {days} simulated days, {site.initial:,} → {len(site.published):,} articles,"
                    f" {edits:,} edits to catch: {title}", header, rows)
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(bench_freshness(), indent=2, sort_keys=True))
