"""Is this line a meta line — a date with little beside it (a weekday, a clock, `Cập nhật:`, a
counter, `In bài`), a counter, print and share words? Such a line is never the article's text,
however long it runs."""

from __future__ import annotations

import re

from crawler.parsing.counts import count_by_icon, find_view_count
from crawler.parsing.dates import find_datetimes
from crawler.parsing.labels import READING_TIME, is_chrome
from crawler.parsing.byline import is_prefixed_byline, looks_like_name, opens_posted_by, parse_byline_line, split_names
from crawler.parsing.text import fold, has_alnum, has_digit, strip_punctuation
from crawler.parsing.vocabulary import VOCABULARY

# Characters: a meta line with everything on it stays short — two dates in their longest written form
# (`Ngày đăng: Thứ Hai, ngày 28 tháng 12 năm 2025 12:59:59 CH (GMT+7)`, ~70 each), the authors, a
# counter and print words; a longer line is a paragraph and is not searched for dates.
META_LINE_MAX = 240
READING_LINE_MAX = 100  # characters of a line a reading time makes a meta line without a date
LINKED_NAME_MAX = 40  # an author's name as a link; longer link texts are titles or prose
LINKED_SECTION_MAX = 60  # a section's name as a link (`Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh`)
RESIDUE_WORDS = 3  # words a meta line may hold besides its dates, counter, labels and names
META_PIECES = re.compile(r"\s*[|•·]\s*|\s+[-–—]\s+")
_LABELS = re.compile(
    "|".join(re.escape(label) for label in sorted(
        VOCABULARY.view_labels + VOCABULARY.updated_labels + VOCABULARY.date_labels + VOCABULARY.meta_words
        + VOCABULARY.posted_by
        # a byline's own label before its colon (`Bài và ảnh: Ngọc Hà | 12:30 05/11/2026`)
        + tuple(f"{prefix}:" for prefix in VOCABULARY.story_and_photo_prefixes + VOCABULARY.story_prefixes),
        key=len, reverse=True)),
    re.IGNORECASE,
)


def residue_words(text: str, dates) -> int:
    """Words left on the line once its dates, counter, labels and separators are taken away, counted
    up to one more than RESIDUE_WORDS (enough to tell a paragraph that mentions a date)."""
    pieces, cursor = [], 0
    for date in dates:
        pieces.append(text[cursor:date.start])
        cursor = date.end
    pieces.append(text[cursor:])
    rest = " ".join(pieces)
    count = find_view_count(rest)
    if count is not None:
        rest = rest.replace(count.raw, " ")
    if "phút" in rest or "PHÚT" in rest:  # (every reading time says `phút`: a test before the pattern's)
        rest = READING_TIME.sub(" ", rest)
    rest = _LABELS.sub(" ", rest)
    # The paper's own name (`Nguồn: Báo Điện Biên Phủ`) and an author's name beside the date are
    # what a meta line holds too.
    pieces = [piece.strip(" :.,") for piece in META_PIECES.split(rest)]
    words = 0
    for piece in pieces:
        if not piece or fold(piece) in VOCABULARY.site_names or split_names(piece) \
                or ("(" in piece and parse_byline_line(piece) is not None):  # `Ngọc Anh (thực hiện)`
            continue
        for word in piece.split():
            if has_alnum(strip_punctuation(word)):
                words += 1
                if words > RESIDUE_WORDS:
                    return words
    return words


def is_meta_line(line) -> bool:
    """A line of the meta line's kind (a bare date, a counter, print/share words): never body text.
    Asked once per line: the article's range and its body both ask it of the first paragraph."""
    if line.meta is None:
        line.meta = _is_meta_text(line.text)
        if not line.meta:
            line.meta = dated_with_linked_names(line) or _counted_by_icon(line)
    return line.meta


def _counted_by_icon(line) -> bool:
    """A number right after a view icon (`<i class="fa fa-eye"></i> 870`), alone or beside what a meta
    line holds (`870 | In bài`, `Tác giả: Đức Anh | 870`): a counter, on a meta line."""
    text = line.text
    if line.block is None or len(text) > META_LINE_MAX or not has_digit(text):
        return False
    count = count_by_icon(line.block, text)
    if count is None:
        return False
    # Read as a reader reads it: the icon says what a label would.
    return _is_meta_text(text.replace(count.raw, f"{_ICON_SAYS}: {count.raw}", 1))


_ICON_SAYS = "Lượt xem"


def dated_with_linked_names(line) -> bool:
    """`Đăng ngày <date> trong <a>Văn hóa</a> bởi <a>Thu Hương</a>`: a dated meta line once the
    authors it links to stand apart from its other words, as separators would set them (a sentence
    that links a name ends as sentences do)."""
    if not line.raw_links or len(line.text) > META_LINE_MAX or line.text.rstrip().endswith((".", "!", "?")):
        return False
    if line.times and RELATIVE_TIME.search(line.text):
        # `<a>Quang Minh</a> <time datetime="…">2 giờ trước</time>`: the element states the date its
        # words give as a time ago; read the line with a date in their place.
        return _dated_meta_text(RELATIVE_TIME.sub(f" {_STATED_DATE} ", _names_apart(line)))
    return has_digit(line.text) and _dated_meta_text(_names_apart(line))


RELATIVE_TIME = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(form).replace(re.escape("{n}"), r"\d{1,3}") for form in VOCABULARY.relative_times)
    + r")(?!\w)", re.IGNORECASE)
_STATED_DATE = "01/01/2000"  # (a stand-in: only whether the line reads as dated is asked)


def _names_apart(line) -> str:
    text = line.text
    section = linked_section(line)
    for _, link_text in line.links:
        if link_text and link_text == section:
            text = text.replace(link_text, " | ", 1)  # (`trong` before it stays: one word of residue)
        elif link_text and len(link_text) <= LINKED_NAME_MAX and looks_like_name(link_text):
            # (a note after the name stays with it: `<a>Trung Dũng</a> (thực hiện)`)
            text = re.sub(rf"{re.escape(link_text)}(\s*\([^()]{{1,30}}\))?", lambda m: f" | {m.group(0)} | ", text, count=1)
    return text


def linked_section(line) -> str | None:
    """The section a word introduces right after the date: `15:17 - 14/02/2019 trong <a>Giáo dục</a>`,
    `Đăng ngày … trong <a>Quốc phòng - An ninh</a>` (the link's text, however many words it has).
    Nothing but the date and its labels stands before the word: `Khai mạc 20/11/2026 trong <a>Lễ
    hội Hoa Ban</a>` is a caption, `08:00 ngày 22/11: Thi đấu trong <a>…</a>` a programme's item."""
    if not line.raw_links or not has_digit(line.text) or line.list_item or line.tag in ("figcaption", "caption"):
        return None
    folded_line = fold(line.text)
    if not any(word in folded_line for word in VOCABULARY.section_intros):
        return None  # (the common case, decided in one pass over the line)
    for _, link_text in line.links:
        if not link_text or len(link_text) > LINKED_SECTION_MAX:
            continue
        before = line.text.partition(link_text)[0]
        folded = fold(before).rstrip(" :")
        if any(folded == word or folded.endswith(f" {word}") for word in VOCABULARY.section_intros):
            dates = find_datetimes(before)
            return link_text if dates and residue_words(before, dates) <= 1 else None
    return None


def _is_meta_text(text: str) -> bool:
    if is_chrome(text):
        return True
    if len(text) > META_LINE_MAX or not has_digit(text):
        return False
    if len(text) <= READING_LINE_MAX and READING_TIME.search(text):
        return True  # `Tác giả: Kiều Trang | Đọc nhanh 4 phút`: furniture beside the author, as a counter is
    return _dated_meta_text(text)


def _dated_meta_text(text: str) -> bool:
    """Dates, and little else beside them."""
    dates = find_datetimes(text)
    return bool(dates) and residue_words(text, dates) <= RESIDUE_WORDS


def labelled_byline(text: str) -> str | None:
    """The labelled byline a line holds (`Tác giả: Vân Anh | In bài`, `Đăng bởi Vân Anh | In bài`):
    the line, or its piece beside print and share words."""
    if is_prefixed_byline(text):
        return text
    pieces = [piece.strip() for piece in META_PIECES.split(text) if piece.strip()]
    bylines = [piece for piece in pieces if is_prefixed_byline(piece) or opens_posted_by(piece)]
    if len(bylines) == 1 and all(piece in bylines or is_chrome(piece) for piece in pieces):
        return bylines[0]
    return None
