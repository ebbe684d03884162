"""The line under the title: publication time, an update time, the view counter.

The reader looks at the few short texts right after the headline (stopping at the first long
text — the lead — so sidebar dates further down never count); metadata (`<time datetime>`,
JSON-LD, `article:published_time`) fills in what that line does not show, and a date written just
before the headline is the last resort (a page header's "today" date is further away).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lxml import etree

from crawler.parsing.counts import find_view_count
from crawler.parsing.dates import find_datetimes, parse_iso_datetime
from crawler.parsing.metadata import PageMetadata
from crawler.parsing.markup import text_of
from crawler.parsing.text import normalize
from crawler.parsing.vocabulary import VOCABULARY

# The few texts just before the headline (position first: libxml2 then tests only those).
_BEFORE_TITLE = etree.XPath("preceding::text()[position() <= 12]")
_FIRST_TIME_AFTER = etree.XPath("following::time[@datetime][1]")
_UPDATED_BEFORE = re.compile(
    r"(?:" + "|".join(re.escape(label) for label in VOCABULARY.updated_labels) + r")\s*[:：]?\s*(?:lúc|ngày)?\s*$",
    re.IGNORECASE,
)
_DISAGREEMENT = timedelta(days=1)
_CLINGING = ",.;:)]"  # punctuation that follows the previous text without a space


@dataclass
class Dateline:
    published_at: datetime | None = None
    updated_at: datetime | None = None
    view_count: int | None = None
    raw_date: str | None = None
    raw_views: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_dateline(title, zone_texts: list[str], meta: PageMetadata, furniture: list[str],
                  counters_below: list[str]) -> Dateline:
    """`zone_texts`: the short texts right under the headline; `furniture`: counter and date lines
    inside the article's range (below the body, say); `counters_below`: texts with a view label
    found after the article (used only when the page has exactly one: sidebars count other pages)."""
    line = Dateline()
    zone = join_texts(zone_texts)
    _read_dates(zone, line)
    if line.published_at is None and title is not None:
        # A <time> whose text the zone holds (its visible text did not parse: `2 giờ trước`).
        time_element = _FIRST_TIME_AFTER(title)
        shown = normalize(text_of(time_element[0])) if time_element else ""
        if shown and shown in zone:
            line.published_at = parse_iso_datetime(time_element[0].get("datetime"))
            line.raw_date = line.raw_date or time_element[0].get("datetime")
    published_meta = parse_iso_datetime(meta.published)
    if line.published_at is None and published_meta is not None:
        line.published_at, line.raw_date = published_meta, meta.published
    elif line.published_at is not None and published_meta is not None \
            and abs(line.published_at - published_meta) > _DISAGREEMENT:
        line.warnings.append(
            f"visible date {line.raw_date!r} disagrees with metadata {meta.published!r}; kept the visible one"
        )
    if line.published_at is None and title is not None:
        _read_dates(join_texts(_nearest_before(title, 4)), line)
    if line.published_at is None and furniture:
        _read_dates(" ".join(furniture), line)  # `Ngày đăng: 17/08/2020` written under the body
    if line.updated_at is None and meta.modified:
        line.updated_at = parse_iso_datetime(meta.modified)
    if line.published_at is None and line.updated_at is not None:
        line.published_at = line.updated_at  # the only time the page shows
    found = find_view_count(zone) if zone else None
    for text in furniture if found is None else ():
        found = find_view_count(text)
        if found is not None:
            break
    if found is None:
        below = [count for count in map(find_view_count, counters_below) if count is not None]
        found = below[0] if len(below) == 1 else None  # several: sidebars' counts, not ours
    if found is not None:
        line.view_count, line.raw_views = found.value, found.raw
    return line


def join_texts(texts: list[str]) -> str:
    """Texts of neighbouring elements as one line: a space between them, except before punctuation
    (`<b>Thứ Tư</b>, <span>06/11/2024</span>` reads `Thứ Tư, 06/11/2024`)."""
    line = ""
    for text in filter(None, texts):
        line = f"{line}{text}" if not line or text[0] in _CLINGING else f"{line} {text}"
    return line


def _nearest_before(title, count: int) -> list[str]:
    """The `count` non-blank texts nearest before the headline, in reading order."""
    texts = [normalize(node) for node in _BEFORE_TITLE(title) if node.getparent().tag not in ("script", "style")]
    return [text for text in texts if text][-count:]


def _read_dates(text: str, line: Dateline) -> None:
    for found in find_datetimes(text):
        if _UPDATED_BEFORE.search(text[: found.start]):
            if line.updated_at is None:
                line.updated_at = found.value
        elif line.published_at is None:
            line.published_at, line.raw_date = found.value, found.raw
            line.warnings.extend(found.warnings)
