"""The freshness simulation (bench/freshness.py) counts honestly: every edit is caught, superseded or
unseen; the project's schedule is the archive's own function; the anchors' rules are theirs; a budget
holds; the same seed gives the same figures."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import freshness  # noqa: E402
from archive import schedule  # noqa: E402
from freshness import DAY, NEVER  # noqa: E402


@pytest.fixture(scope="module")
def site():
    return freshness.build_site(seed=3, articles=300, days=6)


def scored_edits(site, tick=freshness.TICK_MINUTES) -> int:
    """Edits the crawl can catch: those after an article's first fetch (the initial articles': after 0)."""
    total = 0
    for i, edits in enumerate(site.edits):
        if i < site.initial:
            total += sum(1 for t in edits if t > 0)
            continue
        first_fetch = -(-site.published[i] // tick) * tick  # the first run at or after publication
        if first_fetch < site.end:
            total += sum(1 for t in edits if t > first_fetch)
    return total


@pytest.mark.parametrize("name", freshness.SCHEDULES)
def test_every_edit_is_caught_superseded_or_unseen(site, name):
    outcome = freshness.crawl(site, freshness.DUE[name])
    assert outcome.caught + outcome.superseded + outcome.unseen == scored_edits(site)
    assert outcome.caught > 0 and all(delay >= 0 for delay in outcome.delays)


def test_the_site_is_the_same_for_the_same_seed_and_differs_for_another():
    one, again = freshness.build_site(5, 200, 4), freshness.build_site(5, 200, 4)
    assert (one.published, one.edits) == (again.published, again.edits)
    assert freshness.build_site(6, 200, 4).edits != one.edits


def test_edits_come_mostly_early_with_a_long_tail():
    import random

    rng = random.Random(0)
    ages = [age for _ in range(20_000) for age in freshness.edit_times(rng, 0.0, NEVER, 1.0)]
    within = lambda minutes: sum(1 for age in ages if age < minutes) / len(ages)  # noqa: E731
    assert 18_000 < len(ages) < 22_000  # one edit per article on average
    assert 0.17 < within(3 * 60) < 0.23 and 0.44 < within(DAY) < 0.50 and 0.64 < within(7 * DAY) < 0.70
    assert 0.85 < within(365 * DAY) < 0.91  # the tail: over a tenth of edits come after a year


def test_a_daily_budget_is_never_exceeded_and_takes_the_most_overdue_first(site):
    uncapped = freshness.crawl(site, freshness.news_please_due)
    budget = uncapped.busiest_day // 3
    capped = freshness.crawl(site, freshness.news_please_due, budget_per_day=budget)
    assert capped.busiest_day <= budget < uncapped.busiest_day
    assert capped.requests < uncapped.requests and capped.caught < uncapped.caught


def test_the_project_schedule_is_the_archives_own(monkeypatch):
    fetched, changed = 5 * 60.0, 2 * 60.0  # minutes: fetched 5 h in, changed 2 h in
    expected = schedule.next_check_at(freshness.EPOCH_0_NOW + timedelta(minutes=fetched),
                                      freshness.EPOCH_0_NOW + timedelta(minutes=changed))
    assert freshness.project_due(fetched, changed, 0.0) == fetched + (
        expected - freshness.EPOCH_0_NOW - timedelta(minutes=fetched)) / timedelta(minutes=1)
    # Retuning the archive's table retunes the simulation: no copy of it lives in the bench.
    monkeypatch.setattr(schedule, "REVISIT_INTERVALS", ((timedelta(days=9999), timedelta(hours=5)),))
    assert freshness.project_due(fetched, changed, 0.0) == fetched + 5 * 60


def test_the_anchors_rules():
    assert freshness.news_please_due(100.0, 0.0, 0.0) == 100 + DAY
    # diffengine: due when the time since the check is 0.2 × the age (created at 0, checked at 80 min).
    due = freshness.diffengine_due(80.0, 0.0, 0.0)
    assert due - 80 == pytest.approx(0.2 * due)
    # NewsDiffs' buckets, by minutes since the last update, and old articles left alone.
    assert [freshness.newsdiffs_delay(m) for m in (0, 179, 180, DAY, 7 * DAY, 30 * DAY, 360 * DAY)] == [
        15, 15, 60, 180, 3 * DAY, 30 * DAY, NEVER]
    # Waiting can cross into a longer bucket: checked 2 h 50 after the update, due when the 1-hour
    # bucket says so (3 h 50), not at the 15-minute mark (3 h 05).
    assert freshness.newsdiffs_due(170.0, 0.0, 0.0) == 170 + 60
