"""Dates as the site prints them, and as page metadata states them.

The site writes day-first dates with a 24-hour time, in any order and with any separator, often
with a Vietnamese weekday (an English edition or a theme's default writes `Monday, July 15, 2024 8:30 AM`): `08:33 - Thứ Hai, 17/08/2020`, `Thứ 2, 17/08/2020 | 08:33`,
`17/08/2020 08:33 (GMT+7)`, `Chủ nhật, 05/01/2025, 14:05`. General-purpose parsers misread these
(dateutil reads `GMT+7` with the POSIX sign), so this module finds the pieces with anchored regexes
and assembles them itself. The digits are the truth: a weekday that disagrees only adds a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser
from dateutil.parser import isoparse

from crawler.parsing.text import fold, has_digit, normalize
from crawler.parsing.vocabulary import VOCABULARY

SITE_TZ = ZoneInfo(VOCABULARY.site_timezone)

_WEEKDAY_NAMES_VI = {1: "Thứ Hai", 2: "Thứ Ba", 3: "Thứ Tư", 4: "Thứ Năm", 5: "Thứ Sáu", 6: "Thứ Bảy", 7: "Chủ nhật"}

# dd/mm/yyyy with one separator used twice; no digit may touch either end.
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\d/.\-]\d)")
# `26/11/26 09:12`, `09:12 - 26/11/26`: a two-digit year, read only beside a clock and between
# slashes — alone, `26/11/26` could be any three numbers; `11-9-11` is a score, `2.1.25` a version,
# and a house number (`12/3/45`) reads as a year to come, which no page is dated.
_CLOCK_NEXT = r"\d{1,2}\s*(?:[:hHg]|giờ)\s*\d{2}"
_HALF_DAY = r"(?:\s*(?:SA|CH|AM|PM|sáng|trưa|chiều|tối))?"
_SHORT_YEAR_DATE = re.compile(
    rf"(?:(?<![\d:]){_CLOCK_NEXT}(?::\d{{2}})?{_HALF_DAY}\s*[-,|]?\s*)?(?<![\d/.\-])(\d{{1,2}})(/)(\d{{1,2}})/(\d{{2}})(?![\d/.\-])"
    rf"(?P<after>\s*[-,|]?\s*(?:lúc\s+)?{_CLOCK_NEXT})?")
# `2024-09-05` (year first, as CMSs print ISO dates)
_YEAR_FIRST_DATE = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d\-])")
# `ngày 17 tháng 8 năm 2020`, and `17 thg 8, 2020` (the short form of phones' and social sites' dates)
_WORDED_DATE = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+(?:tháng|thg)\s+(\d{1,2})\s*(?:năm|,)?\s+(\d{4})(?!\d)",
                          re.IGNORECASE)
# `28 Tháng Mười Một, 2026` and `Tháng Mười Một 28, 2026`: the month in words, longest first (so
# `Mười Một` is not read as `Mười`) and capitalised, as month names are (`9 tháng năm 2022` is
# "nine months of 2022").
_MONTH_WORDS = "|".join(re.escape(spelling) for word in sorted(VOCABULARY.month_words, key=len, reverse=True)
                        for spelling in dict.fromkeys((word.title(), word.capitalize())))
_MONTH_IN_WORDS = re.compile(
    rf"(?<!\w)(?:(\d{{1,2}})\s+[Tt]háng\s+({_MONTH_WORDS})|[Tt]háng\s+({_MONTH_WORDS})\s+(\d{{1,2}}))(?!\w),?"
    r"\s+(\d{4})(?!\d)")
# `July 15, 2024`, `Jul. 15th 2024`, `15 July 2024`: the English forms, month names from the vocabulary.
# (Capitalised, as English writes them: a lower-case `may` is Vietnamese.)
_MONTH_NAMES = "|".join(re.escape(m.capitalize()) for m in sorted(VOCABULARY.months, key=len, reverse=True))
_ENGLISH_DATE = re.compile(
    rf"(?<!\w)(?:({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?|(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?)"
    r"\s+(\d{4})(?!\d)")
# `May` is a Vietnamese word too (`Tổng Công ty May 10, 2024`): an English date in May shows it is English.
_ENGLISH_CONTEXT = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|AM|PM)\b")
# A 12-hour clock says which half of the day: `SA`/`CH` (sáng, chiều) or `AM`/`PM`.
# `15 giờ 15`, `15g15`, `08h33` too; the half of the day may be written out (`3:15 chiều`, `9:15 tối`).
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])\s*(?:[:hH]|g|giờ)\s*([0-5]\d)(?::([0-5]\d))?"
                   r"(?:\s*(SA|CH|AM|PM|A\.M\.|P\.M\.|sáng|trưa|chiều|tối)(?!\w))?(?![\d:])", re.IGNORECASE)
_AFTERNOON = ("ch", "pm", "p.m.", "chiều", "tối")
_NOON = "trưa"  # `12:30 trưa` is 12:30, `1:15 trưa` 13:15
# `(GMT+7)`, `GMT+07:00`, `UTC+7`, or a bare ISO offset right after a time: masked before looking for times.
_ZONE = re.compile(r"\(?\s*\b(?:GMT|UTC)\s*(?:([+\-−])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)?", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(VOCABULARY.weekdays, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_YEAR_DIGITS = re.compile(r"\d{4}")
_UPDATE_LABEL = re.compile("|".join(re.escape(label) for label in VOCABULARY.updated_labels), re.IGNORECASE)
# How far (in characters) a time or weekday may stand from its date and still belong to it.
_TIME_REACH = 30
_WEEKDAY_REACH = 25


@dataclass(frozen=True)
class FoundDate:
    value: datetime  # aware, in the site's zone
    raw: str  # the date text as found
    start: int  # span of `raw` in the searched text
    end: int
    warnings: tuple[str, ...] = ()
    clock: bool = True  # a time of day was written with the date (else the value is its midnight)


def find_datetimes(text: str) -> list[FoundDate]:
    """Every date (with its nearby time, weekday and zone) in `text`, in order of appearance."""
    text = normalize(text)
    if not text or (_YEAR_DIGITS.search(text) is None and ("/" not in text or _SHORT_YEAR_DATE.search(text) is None)):
        return []  # every form of date holds its year's four digits, or its two beside a clock
    zones = [(m.start(), m.end(), _zone_offset(m)) for m in _ZONE.finditer(text) if m.group(0).strip()]
    masked = _mask(text, [(s, e) for s, e, _ in zones])
    weekdays = list(_WEEKDAY.finditer(masked))
    times = list(_TIME.finditer(masked))
    # `Thứ 2` holds a digit: hide weekdays when checking that nothing numeric parts a time from its date.
    bare = _mask(masked, [m.span() for m in weekdays])
    found: list[FoundDate] = []
    for start, end, day, month, year in _date_matches(masked):
        time = _nearest(times, start, end, _TIME_REACH, bare)
        span_start, span_end = start, end
        hour = minute = second = 0
        if time is not None:
            hour, minute = int(time.group(1)), int(time.group(2))
            second = int(time.group(3) or 0)
            half = (time.group(4) or "").casefold()
            if half == _NOON:
                hour = hour + 12 if 1 <= hour <= 5 else hour
            elif half and hour <= 12:
                hour = hour % 12 + (12 if half in _AFTERNOON else 0)
            span_start, span_end = min(span_start, time.start()), max(span_end, time.end())
        weekday = _nearest(weekdays, span_start, span_end, _WEEKDAY_REACH, bare)
        if weekday is not None:
            span_start, span_end = min(span_start, weekday.start()), max(span_end, weekday.end())
        offset = None
        for zone_start, zone_end, zone_offset in zones:
            if 0 <= zone_start - span_end <= 3:  # the zone written right after the date expression
                span_end, offset = zone_end, zone_offset
                break
        try:
            local = datetime(year, month, day, hour, minute, second,
                             tzinfo=timezone(offset) if offset is not None else SITE_TZ)
        except ValueError:
            continue  # 31/02/2020 and the like: not a date
        warnings: tuple[str, ...] = ()
        if weekday is not None:
            stated = VOCABULARY.weekdays[fold(weekday.group(1))]
            if stated != local.isoweekday():
                warnings = (
                    f"weekday {weekday.group(1)!r} disagrees with {day:02d}/{month:02d}/{year} "
                    f"(a {_WEEKDAY_NAMES_VI[local.isoweekday()]}); kept the date",
                )
        found.append(FoundDate(local.astimezone(SITE_TZ), text[span_start:span_end].strip(), span_start, span_end, warnings,
                               time is not None))
    found.sort(key=lambda date: date.start)  # (each form is searched apart: a reader meets them in order)
    return found


def find_datetime(text: str) -> FoundDate | None:
    """The first date in `text`, or None. Never raises on odd input."""
    found = find_datetimes(text)
    return found[0] if found else None


def parse_iso_datetime(value: str | None) -> datetime | None:
    """A machine-readable timestamp from metadata, in the site's zone: ISO 8601 in any of its forms
    (`2020-08-17T08:33:00+07:00`, `…Z`, `20200817T083300+0700`, a bare date), read by python-dateutil's
    `isoparse`, or RFC 2822 (`Mon, 17 Aug 2020 08:33:00 +0700`, as feeds and some CMSs write it), read
    by its general parser, which is right for this form alone: it misreads the Vietnamese ones
    (`(GMT+7)` taken as UTC−7). A display date in metadata goes to the anchored Vietnamese patterns."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = isoparse(value)
    except (ValueError, OverflowError):
        parsed = _rfc2822(value)
        if parsed is None:
            found = find_datetime(value)  # some CMSs put a display date in metadata
            return found.value if found else None
    if isinstance(parsed, date) and not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SITE_TZ)
    return parsed.astimezone(SITE_TZ)


_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                       r"\s*(?:[+-]\d{4}|GMT|UTC|UT|Z)?$")


def _rfc2822(value: str) -> datetime | None:
    if not _RFC_2822.match(value):
        return None
    try:
        return dateutil_parser.parse(value)
    except (ValueError, OverflowError):
        return None


def _date_matches(text: str):
    for m in _NUMERIC_DATE.finditer(text):
        yield m.start(), m.end(), int(m.group(1)), int(m.group(3)), int(m.group(4))
    for m in _YEAR_FIRST_DATE.finditer(text):
        yield m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1))
    if "/" in text:
        this_year = date.today().year
        for m in _SHORT_YEAR_DATE.finditer(text):
            year = 2000 + int(m.group(4))
            if (m.group("after") is not None or m.start() < m.start(1)) and year <= this_year:  # (a clock beside it)
                yield m.start(1), m.end(4), int(m.group(1)), int(m.group(3)), year
    folded = text.casefold()
    if "tháng" in folded or "thg" in folded:
        for m in _WORDED_DATE.finditer(text):
            yield m.start(), m.end(), int(m.group(1)), int(m.group(2)), int(m.group(3))
        for m in _MONTH_IN_WORDS.finditer(text):
            month = VOCABULARY.month_words[fold(m.group(2) or m.group(3))]
            yield m.start(), m.end(), int(m.group(1) or m.group(4)), month, int(m.group(5))
    for m in _ENGLISH_DATE.finditer(text):
        name = m.group(1) or m.group(4)
        if name == "May" and _ENGLISH_CONTEXT.search(text) is None:
            continue
        month = VOCABULARY.months[name.casefold()]
        yield m.start(), m.end(), int(m.group(2) or m.group(3)), month, int(m.group(5))


def _nearest(matches, start: int, end: int, reach: int, text: str):
    """The match closest to [start, end) within `reach` characters (one inside it is closest)."""
    best, best_gap = None, reach + 1
    for m in matches:
        if m.end() <= start:
            gap = start - m.end()
        elif m.start() >= end:
            gap = m.start() - end
        else:
            return m  # `08:33 - Thứ Hai, 17/08/2020`: the weekday sits between time and date
        if gap < best_gap and not _has_digits_between(text, m, start, end):
            best, best_gap = m, gap
    return best


def _has_digits_between(text: str, m, start: int, end: int) -> bool:
    """A number, or an update's label (`… 2023 | Cập nhật: 00:10`), between a time and a date means
    they belong to different expressions."""
    between = text[m.end():start] if m.end() <= start else text[end:m.start()]
    return has_digit(between) or _UPDATE_LABEL.search(between) is not None


def _zone_offset(m: re.Match) -> timedelta | None:
    if not m.group(2):
        return timedelta(0)  # bare `GMT`/`UTC`
    sign = -1 if m.group(1) in "-−" else 1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out spans (keeping offsets) so `GMT+07:00` is not read as a time."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
