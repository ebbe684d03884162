"""The meta line: publication time, an update time, the view counter.

A reader looks for them near the headline, on either side of it, and may meet them after the lead
or under the body; what tells them apart from the article's text is what the line says — a date
with little else beside it (a weekday, a clock, `Cập nhật:`, a counter, `In bài`), or a number
beside a view label — and what tells them apart from other articles' dates is that they are not in
a teaser or a row of links. Lines are asked in the order a reader meets them: under the headline,
then above it (nearest first), then in the body's range. Metadata (`<time datetime>` on the line,
JSON-LD, `article:published_time`) fills in what no line shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.parsing.counts import count_by_icon, find_view_count
from crawler.parsing.dates import find_datetimes, parse_iso_datetime
from crawler.parsing.labels import has_view_label
from crawler.parsing.lines import Line
from crawler.parsing.metaline import META_LINE_MAX, RESIDUE_WORDS, dated_with_linked_names, residue_words
from crawler.parsing.metadata import PageMetadata
from crawler.parsing.regions import PROSE_LINE, Regions, is_other_article, is_teaser
from crawler.parsing.text import has_digit
from crawler.parsing.urls import OwnPage
from crawler.parsing.vocabulary import VOCABULARY

_UPDATED_BEFORE = re.compile(
    r"(?:" + "|".join(re.escape(label) for label in VOCABULARY.updated_labels) + r")\s*[:：]?\s*(?:lúc|ngày)?\s*$",
    re.IGNORECASE,
)
_DISAGREEMENT = timedelta(days=1)
_LATER = timedelta(minutes=1)  # past the shown clock's minute: a stamp within it is the publication's own
_CLOCK_LABEL = re.compile(r"^(?:giờ|giờ đăng|lúc|thời gian|time)\s*:?$", re.IGNORECASE)
_BARE_CLOCK = re.compile(r"^\d{1,2}\s*(?::|h|g|giờ)\s*\d{2}(?::\d{2})?(?:\s*\w{2,5})?$", re.IGNORECASE)


@dataclass
class Dateline:
    published_at: datetime | None = None
    updated_at: datetime | None = None
    view_count: int | None = None
    raw_date: str | None = None
    raw_views: str | None = None
    raw_updated: str | None = None
    warnings: list[str] = field(default_factory=list)
    view_label_seen: bool = False  # a view label stood in the article's range (field health)
    # The shown date had no clock: a machine-readable time of the same day says when (`on_the_day`).
    published_day_only: bool = False
    updated_day_only: bool = False
    # The publication date is a bare day away from the headline's lines (perhaps the site's today).
    published_apart: bool = False


def meta_candidates(regions: Regions) -> list[Line]:
    """The lines that may carry the meta line, in the order a reader asks them: never a link to
    another page (a permalink around the date leads to the page itself)."""
    ordered = regions.head + regions.above[::-1] + regions.body
    return [line for line in ordered
            if line.raw and len(line.text) <= META_LINE_MAX and (line.times or _may_be_meta(line.text))
            and (not line.is_link or _permalinked(line, regions.page)) and not is_teaser(line, regions.page)]


def _permalinked(line: Line, page: OwnPage | None) -> bool:
    """No link of the line names another article: each leads back to the page or is a bare date (a
    permalink either way), leads nowhere (`In bài`), or is no article's link at all (an author's
    page beside the date: `10:53 - 10/08/2022 | bởi <a>Trần Thanh</a>`)."""
    return not any(is_other_article(href, text, page) and not href.startswith(("javascript:", "#"))
                   for href, text in line.links)


def _may_be_meta(text: str) -> bool:
    """A date or a count has digits; a label split from its number (`Lượt xem:`) has the label."""
    return has_digit(text) or has_view_label(text)


def read_dateline(regions: Regions, meta: PageMetadata) -> Dateline:
    found = Dateline()
    candidates = meta_candidates(regions)
    lines = regions.lines
    under_headline = {line.index for line in regions.head}
    day_only: list = []
    for position, line in enumerate(candidates):
        text = line.text
        # (A line `is_meta_line` has refused holds no date with little beside it: it asked just this.)
        dates = find_datetimes(text) if line.meta is not False and has_digit(text) else []
        if dates and (residue_words(text, dates) <= RESIDUE_WORDS or dated_with_linked_names(line)):
            # What a reader reads with it: a label on the line before (`<dt>Cập nhật</dt><dd>…`), a
            # clock on the line after (`<dd>05/09/2024</dd><dd>07:30</dd>`).
            before = lines[line.index - 1].text if line.index > 0 else ""
            after = lines[line.index + 1].text if line.index + 1 < len(lines) else ""
            if _CLOCK_LABEL.match(after) and line.index + 2 < len(lines):
                after = lines[line.index + 2].text  # `<dt>Giờ:</dt><dd>9:05 SA</dd>`
            if len(dates) == 1 and ":" not in dates[0].raw and _BARE_CLOCK.match(after):
                text = f"{text} {after}"
                dates = find_datetimes(text)
            if _UPDATED_BEFORE.search(before) and len(before) <= 30:
                text = f"{before} {text}"
                dates = find_datetimes(text)
            if line.index not in under_headline and not any(date.clock for date in dates) and not line.times:
                # A day without its clock away from the headline's own lines may be the site's date
                # of today (a masthead's, a bar's over the headline): a dated line with its clock, under
                # the body, is the article's. Asked only if none is.
                day_only.append((text, dates, line.times))
            else:
                _take_dates(text, dates, found, line.times)
        elif line.times and found.published_at is None and len(text) < PROSE_LINE:
            # A <time> whose shown text is no date (`2 giờ trước`): its machine-readable value.
            found.published_at = parse_iso_datetime(line.times[0])
            found.raw_date = found.raw_date or line.times[0]
        if has_view_label(text):
            found.view_label_seen = True
            if found.view_count is None:
                count = find_view_count(text)
                if count is None and position + 1 < len(candidates):
                    # The label and the number in elements of their own: `Lượt xem:` / `5.717`.
                    count = find_view_count(f"{text} {candidates[position + 1].text}")
                if count is not None:
                    found.view_count, found.raw_views = count.value, count.raw
        elif found.view_count is None and line.block is not None and has_digit(text):
            count = count_by_icon(line.block, text)  # (an eye and a number, no label)
            if count is not None:
                found.view_count, found.raw_views = count.value, count.raw
    for text, dates, stamps in day_only:
        unset = found.published_at is None
        _take_dates(text, dates, found, stamps)
        found.published_apart = found.published_apart or (unset and found.published_at is not None)
    _from_metadata(found, meta)
    return found


_STATES_CLOCK = re.compile(r"[T ]\d{2}:?\d{2}")  # `…T07:45`, `…T0745`: a time of day, not just an offset


def _take_dates(text: str, dates, found: Dateline, stamps: list[str]) -> None:
    for position, date in enumerate(dates):
        value, day_only = date.value, not date.clock
        if day_only and len(stamps) == len(dates) and _STATES_CLOCK.search(stamps[position]):
            # `<time datetime="…T07:45+07:00">01/12/2026</time>`: the element states the clock the text
            # leaves out (`datetime="2026-11-05"` states none: the metadata may yet).
            stated = on_the_day(parse_iso_datetime(stamps[position]), value)
            if stated is not None:
                value, day_only = stated, False
        if _UPDATED_BEFORE.search(text[: date.start]):
            if found.updated_at is None:
                found.updated_at, found.raw_updated, found.updated_day_only = value, date.raw, day_only
        elif found.published_at is None:
            found.published_at, found.raw_date, found.published_day_only = value, date.raw, day_only
            found.warnings.extend(date.warnings)


def on_the_day(stated: datetime | None, day: datetime) -> datetime | None:
    """A machine-readable time that falls on the shown day (site time), else None."""
    if stated is None or stated.astimezone(day.tzinfo).date() != day.date():
        return None
    return stated


def _from_metadata(found: Dateline, meta: PageMetadata) -> None:
    published = parse_iso_datetime(meta.published)
    if found.published_at is None and published is not None:
        found.published_at, found.raw_date = published, meta.published
    elif found.published_day_only and on_the_day(published, found.published_at) is not None:
        found.published_at = published
    elif found.published_at is not None and published is not None \
            and abs(found.published_at - published) > _DISAGREEMENT:
        found.warnings.append(
            f"visible date {found.raw_date!r} disagrees with metadata {meta.published!r}; kept the visible one")
    if found.updated_at is None and meta.modified:
        modified = parse_iso_datetime(meta.modified)
        if found.published_at is None or (modified is not None and modified - found.published_at >= _LATER):
            found.updated_at = modified  # a CMS stamps `dateModified` = `datePublished` on the never updated
    elif found.updated_day_only and meta.modified:
        found.updated_at = on_the_day(parse_iso_datetime(meta.modified), found.updated_at) or found.updated_at
    if found.published_at is None and found.updated_at is not None:
        found.published_at = found.updated_at  # the only time the page shows
        found.raw_date = found.raw_date or found.raw_updated
