"""Vietnamese text as the replica needs it: the normal form the truth uses, and the traps pages apply.

The truth is always the *normalised* text (NFC, `Đ`/`đ` rather than the look-alike `Ð`/`ð`,
whitespace collapsed). Pages show the same text through traps the real site is known to have:
`Ð` typed for `Đ`, decomposed (NFD) text, Windows-1258 bytes with tone marks as combining characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

ETH_UPPER = "\u00d0"  # Ð, Latin capital ETH: the site's look-alike for Đ
ETH_LOWER = "\u00f0"  # ð
D_STROKE_UPPER = "\u0110"  # Đ
D_STROKE_LOWER = "\u0111"  # đ

# The paper's mark that opens a lead; the site types it with the correct Đ even where it uses Ð elsewhere.
PAPER_MARK = "ĐBP - "

# Monday = 0, as `datetime.weekday()` counts.
WEEKDAYS_LONG = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_LONG_CAPITALISED = WEEKDAYS_LONG[:6] + ("Chủ Nhật",)
WEEKDAYS_NUMBERED = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")
WEEKDAYS_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def normalise(text: str) -> str:
    """The form all truth text takes: NFC, `Ð`→`Đ`, `ð`→`đ`, runs of whitespace (NBSP too) → one space."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace(ETH_UPPER, D_STROKE_UPPER).replace(ETH_LOWER, D_STROKE_LOWER)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower-case ASCII skeleton (`Đảng bộ` → `dang bo`), for search and slugs."""
    text = normalise(text).replace(D_STROKE_UPPER, "D").replace(D_STROKE_LOWER, "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(text: str) -> str:
    """URL slug the way Vietnamese CMSs make them: folded, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def with_eth(text: str) -> str:
    """Type `Ð` (ETH) for every `Đ`, keeping the paper's `ĐBP` mark intact as the real site does."""
    return "ĐBP".join(part.replace(D_STROKE_UPPER, ETH_UPPER) for part in text.split("ĐBP"))


def with_lower_eth(text: str) -> str:
    """Type `ð` for `đ` (rarer than the capital, but seen on pages converted from old fonts)."""
    return text.replace(D_STROKE_LOWER, ETH_LOWER)


def decompose(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- Windows-1258 ------------------------------------------------------------------------------
# The code page has the vowels with circumflex, breve and horn precomposed (â ê ô ă ơ ư) and a few
# Latin-1 letters with a tone (à á è é …), but writes the other tones as separate combining marks.
# Text that cp1258 cannot hold precomposed is therefore split into base letter + tone mark, which is
# what Vietnamese software writing this code page did. What it cannot hold at all (the look-alike
# `Ð`, symbols) becomes a numeric character reference, as browsers do when submitting forms.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ERROR_HANDLER = "dbp-replica-vietnamese-1258"


def _cp1258_spelling(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    shape = "".join(m for m in decomposed[1:] if m not in TONE_MARKS)
    tones = "".join(m for m in decomposed[1:] if m in TONE_MARKS)
    candidate = unicodedata.normalize("NFC", decomposed[0] + shape) + tones
    try:
        candidate.encode("cp1258")
    except UnicodeEncodeError:
        return f"&#{ord(char)};"
    return candidate


def _handle_unencodable(error: UnicodeEncodeError) -> tuple[str, int]:
    replacement = "".join(_cp1258_spelling(c) for c in error.object[error.start:error.end])
    return replacement, error.end


codecs.register_error(_ERROR_HANDLER, _handle_unencodable)


def encode_windows_1258(html_text: str) -> bytes:
    """Encode an HTML document in Windows-1258 (tones as combining marks, the rest as `&#N;`)."""
    return html_text.encode("cp1258", errors=_ERROR_HANDLER)


# --- Numbers -----------------------------------------------------------------------------------
def group_thousands(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


def short_count(value: int, style: str) -> tuple[str, int]:
    """A view count the compact way (`3,8 N`, `12K`, `1,2 Tr`) and the number that text stands for.

    Integer arithmetic rounds half up, so the shown text and the truth cannot disagree by a float.
    """
    if value < 1000:
        return str(value), value
    if style == "K":
        thousands = (value + 500) // 1000
        if 10 <= thousands < 1000:
            return f"{thousands}K", thousands * 1000
    tenths_of_thousand = (value + 50) // 100
    if tenths_of_thousand < 10_000:
        return f"{_decimal_comma(tenths_of_thousand)} N", tenths_of_thousand * 100
    tenths_of_million = (value + 50_000) // 100_000
    return f"{_decimal_comma(tenths_of_million)} Tr", tenths_of_million * 100_000


def _decimal_comma(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole},{tenth}" if tenth else str(whole)
