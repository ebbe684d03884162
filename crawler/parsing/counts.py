"""View counters: `5717`, `5.717`, `5,717`, and short forms `3,8 N`, `12K`, `1,2 Tr`.

Without a unit, `.` and `,` only group thousands (so every group after the first has three
digits); with a unit they are the decimal mark. The result is always an int.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from crawler.parsing.text import fold, normalize
from crawler.parsing.vocabulary import VOCABULARY

_UNITS = "|".join(re.escape(u) for u in sorted(VOCABULARY.count_multipliers, key=len, reverse=True))
# A number as printed: digits with optional `.`/`,`/space groups or one decimal mark, then a unit.
_NUMBER = r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?"
_COUNT = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNITS})?\.?\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:[.,\u00a0 ]\d{3})+$")
_COUNT_IN_TEXT = rf"(?P<count>(?:{_NUMBER})(?:\s*(?:{_UNITS})(?!\w))?)"
_LABELS = "|".join(re.escape(label) for label in VOCABULARY.view_labels)
# `Lượt xem: 5717` (label first, maybe with an icon or a colon between) or `5.717 lượt xem`.
_LABEL_THEN_COUNT = re.compile(rf"(?:{_LABELS})\s*[:：]?\s*{_COUNT_IN_TEXT}", re.IGNORECASE)
# The number must stand alone: `17/08/2020 lượt xem` and `08h30 Lượt xem` have no count.
_COUNT_THEN_LABEL = re.compile(rf"(?<![\w/.,:\-]){_COUNT_IN_TEXT}\s*(?:{_LABELS})", re.IGNORECASE)
# What else a row of counters counts, as the number's own noun (lower-case: `Chia sẻ`, `In bài` are
# buttons): `37 lượt xem 0 bình luận`.
_OTHER_NOUNS = r"\s*(?:bình luận|lượt thích|thích|lượt chia sẻ|chia sẻ|comments?|likes?|shares?)(?!\w)"
_OTHER_COUNT_NEXT = re.compile(_OTHER_NOUNS)
# Another count, number and noun: `3 bình luận` (WordPress's comments link beside the author).
OTHER_COUNT = re.compile(r"(?<![\w/.,:])\d[\d.,]*" + _OTHER_NOUNS, re.IGNORECASE)


@dataclass(frozen=True)
class FoundCount:
    value: int
    raw: str  # the counter as printed, e.g. `5.717` or `3,8 N`


def parse_count(text: str | None) -> int | None:
    """The integer a counter text stands for, or None when it is not a count."""
    match = _COUNT.match(normalize(text)) if text else None
    if not match:
        return None
    number, unit = match.group("number"), match.group("unit")
    if unit:
        try:
            amount = Decimal(number.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            return None
        return int(amount * VOCABULARY.count_multipliers[fold(unit)])
    if _GROUPED.match(number):
        return int(re.sub(r"\D", "", number))
    if number.isdigit():
        return int(number)
    return None  # `5,7` without a unit: neither a grouped integer nor a short form


def find_view_count(text: str) -> FoundCount | None:
    """The number next to a view label (`Lượt xem: 5.717`) in a line of text, or None."""
    text = normalize(text)
    after_label = _first_count(_LABEL_THEN_COUNT, text)
    if after_label is not None and not after_label[1]:
        return after_label[0]
    # A number after the label that another count's noun follows counts that (`37 lượt xem
    # 0 bình luận`): a number before the label, when there is one, is the counter.
    before_label = _first_count(_COUNT_THEN_LABEL, text)
    found = before_label or after_label
    return found[0] if found else None


def _first_count(pattern: re.Pattern, text: str) -> tuple[FoundCount, bool] | None:
    """The first match of `pattern` that is a count, and whether another count's noun follows it."""
    for match in pattern.finditer(text):
        raw = match.group("count").strip()
        value = parse_count(raw)
        if value is not None:
            return FoundCount(value, raw), _OTHER_COUNT_NEXT.match(text, match.end()) is not None
    return None


def count_by_icon(block, line_text: str) -> FoundCount | None:
    """The number right after a view icon in `block` (`<i class="fa fa-eye"></i> 2.468`): an
    empty element whose class names an eye or views, or a small image whose address does, which a
    reader reads as the label. The number must stand in the line (`line_text`)."""
    for icon in block.iter("i", "span", "em", "img", "svg"):
        if icon.tag == "img":
            named = icon.get("src") or ""
        elif len(icon) or (icon.text or "").strip():
            continue  # (an element with text says something: it is no icon)
        else:
            named = icon.get("class") or ""
        if not named or not _VIEW_ICON_WORDS & set(_NAME_WORD.findall(named.lower())):
            continue  # (by whole words: `fa-eye`, `icon-view.png`, never `review-stars` or `interview.jpg`)
        after = (icon.tail or "").strip()
        if not after:
            following = icon.getnext()
            after = (following.text or "").strip() if following is not None else ""
        match = _NUMBER_FIRST.match(normalize(after))
        if match and match.group("count") in line_text:
            value = parse_count(match.group("count"))
            if value is not None:
                return FoundCount(value, match.group("count").strip())
    return None


_VIEW_ICON_WORDS = frozenset(VOCABULARY.view_icons)
_NAME_WORD = re.compile(r"[a-z0-9]+")
_NUMBER_FIRST = re.compile(rf"^{_COUNT_IN_TEXT}(?![\w/:])", re.IGNORECASE)
