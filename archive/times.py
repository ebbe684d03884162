"""Times as the archive stores them: ISO 8601 text in site time, `2020-08-17T08:33:00+07:00`.

One fixed offset for every stored time has a use beyond readability: text order is time order, so SQL
can compare and sort the columns as text (`WHERE next_check_at <= ?`, `ORDER BY fetched_at`).
Asia/Ho_Chi_Minh has had no daylight saving since 1975, so its offset is always `+07:00`.
"""

from __future__ import annotations

from datetime import datetime

from crawler.article import SITE_TIME


def to_iso(moment: datetime) -> str:
    """`moment` in site time, to the second. A naive datetime is refused: its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the archive stores aware times only")
    return moment.astimezone(SITE_TIME).isoformat(timespec="seconds")


def to_iso_or_none(moment: datetime | None) -> str | None:
    return to_iso(moment) if moment is not None else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
