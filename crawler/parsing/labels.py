"""Recognising the page's furniture by its words: end-of-article headings, other-news headings,
print/share lines, view counters, bare datelines.

Every function takes text that is already `normalize`d (the callers normalise once and ask
several questions), and compares it case-insensitively with the vocabulary.
"""

from __future__ import annotations

import re

from crawler.parsing.dates import find_datetime
from crawler.parsing.text import has_alnum, has_digit, strip_punctuation
from crawler.parsing.vocabulary import VOCABULARY

HEADING_MAX = 60  # characters: a heading such as `Tin khác` is short
CHROME_MAX = 160
FOOTER_MAX = 300
_CHROME_SPLIT = re.compile(r"[|/•·]+|\s{2,}")
# Any of the phrases anywhere in folded text, as one search in C rather than a loop of `in` tests.
_VIEW_LABEL = re.compile("|".join(re.escape(label.casefold()) for label in VOCABULARY.view_labels))
_END_HEADINGS = VOCABULARY.end_headings
_RELATED_HEADINGS = VOCABULARY.related_headings
_CHROME_WORDS = VOCABULARY.chrome_words
_FOOTER_PHRASE = re.compile("|".join(re.escape(phrase) for phrase in VOCABULARY.footer_phrases))
_CHROME_RUN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(word) for word in sorted(_CHROME_WORDS, key=len, reverse=True)) + r")(?!\w)")
# `Địa chỉ bài viết: https://…`: the label, then the address alone.
_PAGE_ADDRESS = re.compile(
    "^(?:" + "|".join(re.escape(label) for label in VOCABULARY.page_address) + r")\s*:\s*\S+$", re.IGNORECASE)
# `Đọc nhanh 3 phút`, `5 phút đọc`: how long the article takes to read, furniture wherever it stands.
READING_TIME = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(pattern).replace(re.escape("{minutes}"), r"\d{1,3}")
                             for pattern in VOCABULARY.reading_time) + r")(?!\w)",
    re.IGNORECASE,
)
# The paper's mark opening a lead: `ĐBP - `, `(ĐBP) - `, `ĐBP – ` (`Ð` typed for `Đ` too).
_LEAD_MARK = re.compile(
    "^(?:" + "|".join(re.escape(mark).replace("Đ", "[ĐÐ]") for mark in VOCABULARY.lead_marks) + r")\s*[-–—:]\s*",
)

# Another outlet's mark opening a reprint's lead, before a dash (a colon would be a label: `HÀ NỘI:`):
# one of the vocabulary's, bare or bracketed, or any two to six capitals in brackets (`(BLC) - `).
# Bare capitals are words of the lead as often (`UBND - `, `COVID - 19`, `HĐND - UBND huyện …`).
_OUTLET_MARK = re.compile(
    r"^(?:\(\s*)?(?:" + "|".join(re.escape(mark) for mark in VOCABULARY.outlet_marks) + r")(?:\s*\))?"
    r"\s*[-–—]\s+(?=\S)|^\(\s*[A-ZĐ]{2,6}(?:\.(?:VN|vn))?\s*\)\s*[-–—]\s+(?=\S)",
)


def label_key(text: str) -> str:
    """`» TIN KHÁC:` -> `tin khác`."""
    return strip_punctuation(text).casefold()


def has_lead_mark(text: str) -> bool:
    return bool(_LEAD_MARK.match(text))


def strip_lead_mark(text: str) -> str:
    """`ĐBP - Đổi mới …` -> `Đổi mới …`; `(TTXVN) - Sáng 2/12, …` -> `Sáng 2/12, …`."""
    stripped = _LEAD_MARK.sub("", text, count=1)
    return _OUTLET_MARK.sub("", stripped, count=1) if stripped == text else stripped


def heading_kind(text: str) -> str | None:
    """`related` for an other-news heading, `end` for any other end of the article (comments,
    tags), None for anything else."""
    if len(text) > HEADING_MAX:
        return None
    key = label_key(text)
    if key in _RELATED_HEADINGS:
        return "related"
    return "end" if key in _END_HEADINGS else None


def has_view_label(text: str) -> bool:
    """`Lượt xem`, `lượt đọc`, `Views` … anywhere in the text."""
    return _VIEW_LABEL.search(text.casefold()) is not None


def _is_reading_time(key: str) -> bool:
    """A folded piece that is a reading time: it opens with its number or `đọc`/`thời gian` (a test
    before the pattern's)."""
    return (key[0].isdigit() or key.startswith(_READING_OPENINGS)) and READING_TIME.fullmatch(key) is not None


_READING_OPENINGS = tuple({label_key(pattern.split("{", 1)[0]).split(" ")[0] for pattern in VOCABULARY.reading_time} - {""})


def is_share_row(text: str) -> bool:
    """Print and share words alone or in a row (`Chia sẻ`, `Facebook Zalo In`): buttons, which no
    teaser's date or counter is."""
    if len(text) > CHROME_MAX:
        return False
    return label_key(text) in _CHROME_WORDS or not has_alnum(_CHROME_RUN.sub(" ", text.casefold()))


def is_footer(text: str) -> bool:
    """The publisher's footer: licence, address, copyright (short lines)."""
    if len(text) > FOOTER_MAX:
        return False
    return _FOOTER_PHRASE.search(text.casefold()) is not None


def is_chrome(text: str) -> bool:
    """Furniture lines: print/share words (alone or in a row), view counters, a bare dateline."""
    if len(text) > CHROME_MAX:
        return False
    if is_share_row(text):
        return True
    if len(text) <= 100 and has_view_label(text):
        return True
    parts = [label_key(part) for part in _CHROME_SPLIT.split(text)]
    if parts and all(not part or part in _CHROME_WORDS or _is_reading_time(part) for part in parts):
        return True
    if ":" in text and _PAGE_ADDRESS.match(text):
        return True
    if len(text) > 80 or not has_digit(text):
        return False
    found = find_datetime(text)
    return found is not None and len(text) - len(found.raw) <= 20
