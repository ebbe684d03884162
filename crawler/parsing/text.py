"""Text normalisation applied to every text field the parser emits.

Vietnamese pages mix composed and decomposed accents, type the Icelandic eth `Ð` (U+00D0) for
the Vietnamese `Đ` (U+0110), and pad text with NBSP and zero-width characters. Everything the
parser returns goes through `normalize` so that downstream search and comparison see one spelling.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Zero-width characters vanish (they sit inside words); every other space-like run becomes one space
# (`str.split()` splits on all Unicode whitespace: NBSP, U+2000–U+200A, U+3000, newlines).
# Control characters go too: no page means them, and one stored (ESC, CSI) would drive the terminal that
# `search` or `diff` prints it to.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1b\x7f-\x9f]")
_SPACES = re.compile(r"  +")
_TRAILING_COUNT = re.compile(r"\(\s*\d*\s*\)$")  # `Bình luận (0)`
_LABEL_DECORATION = " :：-–—»«>|•·*.,()[]\u25ba\u25b6\u2022"
# `str.isdigit` and `str.isalnum` of any character, as one search in C (a Python loop over a line's
# characters costs more than the rest of the question asked about it): decimal digits and the
# superscript, circled and other digits `isdigit` counts too; `[^\W_]` is exactly `isalnum`.
_DIGIT = re.compile(
    "[\\d\u00b2-\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43"
    "\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")
_ALNUM = re.compile(r"[^\W_]")


def has_digit(text: str) -> bool:
    """Whether any character of the text is a digit (`str.isdigit`)."""
    return _DIGIT.search(text) is not None


def has_alnum(text: str) -> bool:
    """Whether any character of the text is a letter or a digit (`str.isalnum`)."""
    return _ALNUM.search(text) is not None


def normalize(text: str | None) -> str:
    """NFC, `Ð`→`Đ`, zero-width characters removed, whitespace collapsed and trimmed."""
    if not text:
        return ""
    printable = text.isprintable()
    if not printable:  # before NFC: a mark after a removed character composes with the letter before it
        text = _ZERO_WIDTH.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", eth_to_dyet(text))
    # Fast path (this runs on every text the parser touches): printable text holds no whitespace
    # but the plain space and no zero-width character, so only doubled spaces can need work.
    if printable:
        return (_SPACES.sub(" ", text) if "  " in text else text).strip()
    return " ".join(text.split())


def eth_to_dyet(text: str) -> str:
    """`Ð`/`ð` never mean the Icelandic letter on a Vietnamese page: they are mistyped `Đ`/`đ`.
    (`str.replace` rather than `str.translate`: the latter is many times slower.)"""
    return text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")


def fold(text: str) -> str:
    """A key for case-insensitive comparison of normalised text (`Tin Khác` == `TIN KHÁC`)."""
    return normalize(text).casefold()


def shared_run(first: str, second: str) -> int:
    """The length of the longest run of characters the two strings share."""
    return SequenceMatcher(None, first, second, autojunk=False).find_longest_match(
        0, len(first), 0, len(second)).size


REPEATED_TITLE = 20  # characters of the headline a breadcrumb's last crumb or `<title>` shares at least


def strip_punctuation(text: str) -> str:
    """Drop decoration around a label: `Tin khác:`, `» Tin liên quan`, `Bình luận (0)`."""
    return _TRAILING_COUNT.sub("", text).strip(_LABEL_DECORATION)


_MARKS = re.compile("[\u0300-\u036f]")


def search_key(text: str | None) -> str:
    """Text as a reader types it without tone marks: normalised, lower case, every accent and
    vowel mark dropped, `đ` → `d` (`Đảng bộ` → `dang bo`). Composed text keeps its length, letter for
    letter, so a match found in the key is at the same place in the text."""
    text = normalize(text).lower()
    if text.isascii():
        return text
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped).replace("\u0111", "d")
