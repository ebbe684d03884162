"""When to fetch an article again: a table, by how long ago the article last changed.

Fresh articles get edited, corrected and taken down in their first hours; old ones rarely change.
So the interval before the next check grows with the article's age since its last change, where the
change time of the first version is the article's own `updated_at` (else `published_at`, else the
time we first saw it) and of each later edit the time we first saw it.

| time since last change | next check after |
|------------------------|------------------|
| under 3 hours          | 45 minutes       |
| under 6 hours          | 1 hour           |
| under 1 day            | 3 hours          |
| under 7 days           | 1 day            |
| under 30 days          | 7 days           |
| under 365 days         | 14 days          |
| older                  | 180 days         |
| taken down (`gone`)    | 30 days          |
| failed fetch           | as above, at most 1 day (a gone article: 30 days) |

The figures come from `make bench`'s `freshness` section (bench/freshness.py, BENCHMARKS.md): on a
simulated site whose edits come mostly in the first hours and days with a long tail, this table
makes fewer requests per edit caught than re-fetching daily (news-please), diffengine's
0.2 × age rule or NewsDiffs' buckets, with a shorter median delay, on the same daily budget, when the
crawl runs every 15 minutes (run every 2 hours, it ties diffengine). A check every 15 minutes
(NewsDiffs' first bucket) catches a fresh edit some 15 minutes sooner on average than one every 45,
for three times the requests, and every edit seen sends the article back to the top of the table.
Past a day a check a day, then a week, then two still catches the long tail of late corrections,
and an article untouched for a year is looked at twice a year rather than never.

Gone articles are still rechecked, because take-downs are sometimes undone, but rarely, and never
without end: diffengine-style polling of dead URLs forever is what this table avoids. A failed fetch
(5xx, a page that did not parse) is retried within a day at most, so one bad night does not leave a
fresh article unchecked for a week; the failure does not count as a change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# (age since last change below which…, …this interval applies), youngest first.
REVISIT_INTERVALS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=3), timedelta(minutes=45)),
    (timedelta(hours=6), timedelta(hours=1)),
    (timedelta(days=1), timedelta(hours=3)),
    (timedelta(days=7), timedelta(days=1)),
    (timedelta(days=30), timedelta(days=7)),
    (timedelta(days=365), timedelta(days=14)),
)
OLDEST_INTERVAL = timedelta(days=180)
GONE_INTERVAL = timedelta(days=30)
FAILED_RETRY_AT_MOST = timedelta(days=1)


def revisit_interval(age: timedelta) -> timedelta:
    """The interval for an article whose last change was `age` ago (negative ages count as zero)."""
    for below, interval in REVISIT_INTERVALS:
        if age < below:
            return interval
    return OLDEST_INTERVAL


def next_check_at(fetched_at: datetime, last_changed: datetime | None, *, gone: bool = False,
                  failed: bool = False) -> datetime:
    """When to check again an article fetched at `fetched_at`."""
    if gone:
        return fetched_at + GONE_INTERVAL
    interval = revisit_interval(fetched_at - last_changed) if last_changed else REVISIT_INTERVALS[0][1]
    if failed:
        interval = min(interval, FAILED_RETRY_AT_MOST)
    return fetched_at + interval
