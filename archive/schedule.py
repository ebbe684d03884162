"""When to fetch an article again: a table, by how long ago the article last changed.

Fresh articles get edited, corrected and taken down in their first hours; old ones rarely change.
So the interval before the next check grows with the article's age since its last change, where the
change time of the first version is the article's own `updated_at` (else `published_at`, else the
time we first saw it) and of each later edit the time we first saw it.

| time since last change | next check after |
|------------------------|------------------|
| under 3 hours          | 15 minutes       |
| under 1 day            | 1 hour           |
| under 7 days           | 6 hours          |
| under 30 days          | 1 day            |
| under 365 days         | 7 days           |
| older                  | 30 days          |
| taken down (`gone`)    | 30 days          |
| failed fetch           | as above, at most 1 day (a gone article: 30 days) |

Gone articles are still rechecked, because take-downs are sometimes undone, but rarely, and never
without end: diffengine-style polling of dead URLs forever is what this table avoids. A failed fetch
(5xx, a page that did not parse) is retried within a day at most, so one bad night does not leave a
fresh article unchecked for a week; the failure does not count as a change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# (age since last change below which…, …this interval applies), youngest first.
REVISIT_INTERVALS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=3), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
    (timedelta(days=365), timedelta(days=7)),
)
OLDEST_INTERVAL = timedelta(days=30)
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
