"""Bylines and photo credits, read from the short lines that end an article and from captions.

Forms handled (all seen on Vietnamese papers):
  `Lỳ Lỳ Xá` + a role line `Tỉnh ủy viên, Bí thư …`     -> author and role
  `Bài, ảnh: Quang Hưng`                                  -> author who also took the photos
  `Bài: A; Ảnh: B`                                        -> author A, photos B
  `Minh Thùy - Quang Long` (also `và`, `,`)                -> two authors
  `Hoàng Châu (TTXVN)`                                    -> author and agency
  `Theo VOV`, `Theo Báo Nhân Dân`, `Nguồn: TTXVN`          -> republished, no named author
A line is only taken for a byline when it has the shape of one (every word of a name capitalised,
no sentence punctuation), so the last body paragraph is never mistaken for an author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.parsing.text import fold, normalize
from crawler.parsing.vocabulary import VOCABULARY


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in words)


_STORY_AND_PHOTO = re.compile(rf"^(?:{_alternation(VOCABULARY.story_and_photo_prefixes)})\s*[:：]\s*(?P<names>.+)$", re.IGNORECASE)
_STORY_THEN_PHOTO = re.compile(
    rf"^(?:{_alternation(VOCABULARY.story_prefixes)})\s*[:：]\s*(?P<names>.+?)\s*[;,.|\-–]?\s*"
    rf"(?:{_alternation(VOCABULARY.photo_prefixes)})\s*[:：]\s*(?P<photo>.+)$",
    re.IGNORECASE,
)
_STORY_ONLY = re.compile(rf"^(?:{_alternation(VOCABULARY.story_prefixes)})\s*[:：]\s*(?P<names>.+)$", re.IGNORECASE)
_PHOTO_ONLY = re.compile(rf"^\(?(?:{_alternation(VOCABULARY.photo_prefixes)})\s*[:：]\s*(?P<photo>[^()]+?)\)?\.?$", re.IGNORECASE)
_REPUBLISHED = re.compile(
    rf"^(?P<open>\()?\s*(?:{_alternation(VOCABULARY.republished_prefixes)})\s*(?P<colon>[:：])?\s+(?P<source>.+?)\s*(?(open)\))\.?$",
    re.IGNORECASE,
)
_POSTED_BY = re.compile(rf"(?:^|(?<=\s))(?:{_alternation(VOCABULARY.posted_by)})\s+(?P<names>[^\d:|]+)$", re.IGNORECASE)
_POSTED_BY_LINE = re.compile(rf"^(?:{_alternation(VOCABULARY.posted_by)})\s*:?\s+(?P<names>[^\d:|]+)$", re.IGNORECASE)
# `Nhóm phóng viên Chính trị`: a team, perhaps named by its desk (capitalised), credited as one author.
_TEAM = re.compile(rf"^(?:{_alternation(VOCABULARY.teams)})(?P<desk>(?:\s+[^\W\d_][\w-]*){{0,4}})$", re.IGNORECASE)
_FIELD_LINE = re.compile(
    rf"^(?:{_alternation(VOCABULARY.story_prefixes + VOCABULARY.posted_by + VOCABULARY.republished_prefixes + VOCABULARY.editor_labels)})"
    r"\s*[:：]\s*\S", re.IGNORECASE)
_NAME_WITH_AGENCY = re.compile(r"^(?P<names>[^()]+?)\s*[(\[]\s*(?P<agency>[^()\[\]]+?)\s*[)\]]\.?$")
# `Mai Anh/VOV-Tây Bắc`: an agency, perhaps with its regional office.
_NAME_SLASH_AGENCY = re.compile(
    rf"^(?P<names>[^/]+?)\s*/\s*(?P<agency>(?:{_alternation(VOCABULARY.agencies)})(?:\s*[-–]\s*[^\W\d_][\w ]{{0,30}})?)$",
    re.IGNORECASE)
# Between the names of one byline; `--author` splits its value with it too (archive.selection).
NAME_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[,;&]\s*|\s+và\s+|\s+and\s+", re.IGNORECASE)
_ROLE_START = re.compile(rf"^(?:{_alternation(VOCABULARY.role_words)})(?!\w)", re.IGNORECASE)
# The credit at the end of a caption: `… tỉnh. Ảnh: Minh Thùy`, `… tỉnh (Ảnh: TTXVN)`, `… - Ảnh: X`.
_CAPTION_CREDIT = re.compile(
    rf"(?:^|(?<=[\s.(\[\-–|:]))[(\[]?\s*(?:{_alternation(VOCABULARY.photo_prefixes)})\s*[:：]\s*"
    r"(?P<credit>[^:()\[\]]{1,80}?)\s*[)\]]?\s*\.?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = ".!?…:;\"”»"
_NOT_NAME_ENDS = _SENTENCE_END.replace(".", "")  # (`Nguyễn Văn A.`: a name may end in its initial's dot)
_ORGANISATION_PREFIXES = tuple(organisation + " " for organisation in VOCABULARY.organisations)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.]*|[^\W\d_]\.)$")
_AGENCY_LIKE = re.compile(r"^[^\W\d_][\w.+/&' -]{0,40}$")
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}(?:/\S*)?$", re.IGNORECASE)  # `baochinhphu.vn`
_RANKED_NAME = re.compile(rf"^(?P<rank>{_alternation(VOCABULARY.name_ranks)})\s+(?P<name>[^\W\d_][^,;:()]*)$")
_AGENCIES = frozenset(fold(a) for a in VOCABULARY.agencies)
# `Báo Chính phủ`: an outlet's name is not capitalised throughout, but opens with a capitalised kind.
_OUTLET = re.compile(
    rf"^(?!(?:{_alternation(VOCABULARY.not_outlets)})(?!\w))(?:{_alternation(VOCABULARY.outlet_words)})\s+\S",
    re.IGNORECASE,
)


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    role: str | None = None
    source: str | None = None
    photo_credits: list[str] = field(default_factory=list)


def _is_organisation(text: str) -> bool:
    folded = fold(text)
    return folded in VOCABULARY.organisations or folded.startswith(_ORGANISATION_PREFIXES)


def _names_a_unit(text: str) -> bool:
    """An organisation's proper name (`Văn phòng Tỉnh ủy`, `Hội Nông dân huyện`): its word, then a
    capitalised one; `Hội nhập và phát triển`, `Bộ ảnh mùa lúa` are words, not units."""
    folded = fold(text)
    for prefix in _ORGANISATION_PREFIXES:
        if folded.startswith(prefix):
            rest = text[len(prefix):].lstrip()
            return rest[:1].isupper()
    return False


def looks_like_name(text: str, *, allow_caps: bool = True) -> bool:
    """A person's name or pen name: 1–6 capitalised words, no digits, no sentence punctuation.

    Vietnamese capitalises every syllable of a name (`Lỳ Lỳ Xá`) and hardly any word of a heading
    (`Nâng cao chất lượng`), which is what tells the two apart.
    """
    text = text.strip()
    if not text or len(text) > 40 or text[-1] in _NOT_NAME_ENDS:
        return False
    folded = fold(text)
    if folded in _NOT_NAMES:
        return False
    words = text.split()
    if len(words) > 6:
        return False
    if all(fold(word) in VOCABULARY.chrome_words or len(word) == 1 for word in words):
        return False  # `Facebook X`: a row of share buttons, its links glued
    if _is_organisation(text):
        return False  # `Trường THPT Mường Nhé`: a school's name, capitalised as names are
    for word in words:
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
    if not allow_caps and len(words) > 1 and text.isupper():
        return False
    return True


def split_names(text: str, *, allow_caps: bool = True) -> list[str] | None:
    """`Minh Thùy - Quang Long` -> two names; None unless every part is a name."""
    parts = [part.strip(" .") for part in NAME_SEPARATORS.split(normalize(text)) if part.strip(" .")]
    if parts and all(looks_like_name(part, allow_caps=allow_caps) for part in parts):
        return parts
    return None


def starts_with_role(text: str) -> bool:
    """`Tỉnh ủy viên, …`, `Giám đốc …`: a line that opens with a role word of the vocabulary and is
    not a sentence (`Bác sĩ … thăm khám cho bệnh nhân.` is a caption)."""
    text = normalize(text)
    return bool(text) and text[-1] not in ".!?" and bool(_ROLE_START.match(text))


def is_role_line(text: str) -> bool:
    """The line under a name: `Tỉnh ủy viên, Bí thư Đảng ủy Khối …` (starts with a role, or is a short
    unpunctuated phrase that is not itself a name)."""
    text = normalize(text)
    if not text or len(text) > 200 or fold(text) in VOCABULARY.site_names or text[-1] in ".!?":
        return False  # the paper's own name (`ĐBP`) or a sentence is no role
    if _ROLE_START.match(text):
        return True
    if ":" in text:
        return False  # `Từ khóa: du lịch`, `Biên tập: Minh Anh`: a label's line, no one's role
    return len(text) <= 150 and text[-1] not in _SENTENCE_END and not looks_like_name(text)


def opens_posted_by(line: str) -> bool:
    """`bởi Quang Long`, `Đăng bởi …`: a line a byline's words open (checked before parsing it)."""
    return _POSTED_BY_LINE.match(line) is not None


def posted_by(piece: str) -> list[str]:
    """The names after `bởi`/`Đăng bởi` closing a piece of a meta line (`01/12/2026 bởi Ngọc Ánh`)."""
    match = _POSTED_BY.search(normalize(piece))
    return split_names(match.group("names").strip(), allow_caps=False) if match else []


def parse_byline_line(line: str, *, allow_caps: bool = True) -> Byline | None:
    """One byline line in any of the forms above, or None when the line is not a byline."""
    line = normalize(line)
    if not line or len(line) > 120:
        return None
    team = _TEAM.match(line)
    if team and all(word[0].isupper() for word in team.group("desk").split()[:1]):  # (`Chính trị`: a desk's name)
        return Byline(authors=[line])
    match = _STORY_AND_PHOTO.match(line)
    if match:
        names = split_names(match.group("names"))
        return Byline(authors=names, photo_credits=list(names)) if names else None
    match = _STORY_THEN_PHOTO.match(line)
    if match:
        names, photographers = split_names(match.group("names")), split_names(match.group("photo"))
        return Byline(authors=names, photo_credits=photographers) if names and photographers else None
    match = _STORY_ONLY.match(line) or _POSTED_BY_LINE.match(line)
    if match:
        names = split_names(match.group("names"))
        if names:
            return Byline(authors=names)
        # `Bài: Phạm Quang (Văn phòng Tỉnh ủy)`, `Bài: Lan Phương (TTXVN)`: the label over a credited name
        credited = parse_byline_line(match.group("names"), allow_caps=allow_caps)
        return credited if credited is not None and credited.authors else None
    match = _REPUBLISHED.match(line)
    if match:
        return _republished(match.group("source"), labelled=match.group("colon") is not None)
    bracketed = _NAME_WITH_AGENCY.match(line)  # `Name (…)`: a note, an agency or a unit in brackets
    if bracketed and _is_compiled_note(bracketed.group("agency")):
        names = split_names(bracketed.group("names"), allow_caps=allow_caps)
        if names:
            return Byline(authors=names)  # `Thu Hằng (t/h)`: the author compiled it; no other source
    for pattern, match in ((_NAME_WITH_AGENCY, bracketed), (_NAME_SLASH_AGENCY, _NAME_SLASH_AGENCY.match(line))):
        # (after a slash, only a known agency is allowed by the pattern itself)
        if match and (pattern is _NAME_SLASH_AGENCY or _is_agency(match.group("agency"))):
            names = split_names(match.group("names"), allow_caps=allow_caps)
            if names:
                agency = match.group("agency")
                # `Lan Phương (ĐBP)`: the paper's own reporter, not a republished story.
                return Byline(authors=names, source=None if fold(agency) in VOCABULARY.site_names else agency)
    if bracketed and _names_a_unit(bracketed.group("agency")):
        names = split_names(bracketed.group("names"), allow_caps=allow_caps)
        if names:  # `Phạm Quang (Văn phòng Tỉnh ủy)`: where the author works
            return Byline(authors=names, role=bracketed.group("agency"))
    names = split_names(line, allow_caps=allow_caps)
    if names:
        if len(names) == 1 and fold(names[0]) in _AGENCIES:
            return Byline(source=names[0])  # a bare `TTXVN` line credits the agency, not a person
        return Byline(authors=names)
    # `Lỳ Lỳ Xá, Tỉnh ủy viên, Bí thư …` on one line
    name, sep, rest = line.partition(",")
    if sep and looks_like_name(name, allow_caps=allow_caps) and _ROLE_START.match(rest.strip()):
        return Byline(authors=[name.strip()], role=rest.strip())
    ranked = _RANKED_NAME.match(line)  # `Thượng tá Nguyễn Văn A`: the rank is the role
    if ranked and looks_like_name(ranked.group("name"), allow_caps=allow_caps):
        return Byline(authors=[ranked.group("name")], role=ranked.group("rank"))
    return None


def is_prefixed_byline(line: str) -> bool:
    """`Bài và ảnh: Quang Hưng`, `Bài: A; Ảnh: B`, `Tin: A`: a byline by its label, never a caption
    (though it ends in `ảnh: name` like a caption's credit); or by its note after the names that
    credits the article (`Ngọc Anh (thực hiện)`, `Thu Hằng (tổng hợp)`), a byline wherever it stands
    (`Lò Văn Cậy (dịch)` under a quoted verse credits the verse)."""
    byline = parse_byline_line(line)
    if byline is None or not byline.authors:
        return False
    line = normalize(line)
    if any(pattern.match(line) for pattern in (_STORY_AND_PHOTO, _STORY_THEN_PHOTO, _STORY_ONLY, _POSTED_BY_LINE)):
        return True
    noted = _NAME_WITH_AGENCY.match(line)
    return noted is not None and fold(noted.group("agency")) in VOCABULARY.credit_notes


def _is_compiled_note(note: str) -> bool:
    """`(t/h)`, `(thực hiện)`, `(tổng hợp từ TTXVN)`: the author compiled or wrote it down."""
    return fold(note).split(" từ ")[0].strip() in VOCABULARY.compiled_notes


def parse_byline(lines: list[str], *, allow_caps: bool = True) -> Byline | None:
    """A byline from the article's last short lines (name line, then maybe a role line)."""
    lines = [normalize(line) for line in lines if normalize(line)]
    if not lines:
        return None
    byline = parse_byline_line(lines[0], allow_caps=allow_caps)
    if byline is None:
        return None
    if len(lines) > 1 and byline.authors and byline.role is None and is_role_line(lines[1]):
        byline.role = lines[1]
    return byline


def is_field_line(line: str) -> bool:
    """`Tác giả: Hoàng Minh Đức`, `Nguồn: Sở Nông nghiệp`, `Người đăng: Nông Thị Hà`: one labelled
    field of the block a portal closes its articles with."""
    return _FIELD_LINE.match(normalize(line)) is not None


def parse_field_block(lines: list[str]) -> Byline | None:
    """The byline a block of labelled fields gives: the author labelled as the writer (`Tác giả:`,
    `Bài:`) over the one who posted it (`Người đăng:`, who uploads for the portal), and the source
    labelled so (`Nguồn:`). None when no field names anyone."""
    writers, posters, sources = [], [], []
    for line in lines:
        byline = parse_byline_line(line)
        if byline is not None and byline.authors:
            (posters if _POSTED_BY_LINE.match(normalize(line)) else writers).append(byline)
        if byline is not None and byline.source:
            sources.append(byline.source)
    named = (writers or posters or [None])[0]
    if named is None and not sources:
        return None
    byline = named or Byline()
    byline.source = byline.source or (sources[0] if sources else None)
    return byline


def photo_credit_line(line: str) -> str | None:
    """The photographer of a stand-alone credit line (`Ảnh: Minh Thùy`), else None."""
    match = _PHOTO_ONLY.match(normalize(line))
    return match.group("photo").strip() if match else None


def split_caption_credit(text: str) -> tuple[str | None, str | None]:
    """`… tỉnh. Ảnh: Minh Thùy` -> (`… tỉnh.`, `Minh Thùy`). The caption keeps its own final
    punctuation; brackets and dashes that only introduced the credit go. `Ảnh minh họa` has no credit."""
    text = normalize(text)
    match = _CAPTION_CREDIT.search(text)
    if not match:
        return (text or None), None
    caption = text[: match.start()].rstrip(" -–—|(:[")
    return (caption or None), match.group("credit").strip(" .") or None


def credit_names(credit: str) -> list[str]:
    """The people in a credit (`Minh Thùy - Quang Long` -> both); a non-name credit stays whole."""
    return split_names(credit) or [normalize(credit)]


def _republished(source: str, labelled: bool = False) -> Byline | None:
    source = source.strip(" .")
    if not source or len(source) > 60 or (source[0].islower() and not _DOMAIN.match(source)):
        return None  # `Theo báo cáo của …` starts a sentence, not a credit
    match = _NAME_WITH_AGENCY.match(source)
    if match and _is_agency(match.group("agency")):
        names = split_names(match.group("names"))
        if names:
            return Byline(authors=names, source=match.group("agency"))
    words = source.split()
    if fold(source) in _AGENCIES or "." in source or _OUTLET.match(source) \
            or all(w[0].isupper() or not w[0].isalpha() for w in words):
        return Byline(source=source)
    if (labelled or "," not in source) and _names_a_unit(source):
        # `Nguồn: Sở Văn hóa, Thể thao và Du lịch`: an office's proper name (unlabelled, a comma
        # starts a sentence: `Theo Sở Y tế, toàn tỉnh …`)
        return Byline(source=source)
    return None


def _is_agency(text: str) -> bool:
    text = text.strip()
    return fold(text) in _AGENCIES or (bool(_AGENCY_LIKE.match(text)) and (text.isupper() or "." in text))


_NOT_NAMES = (
    VOCABULARY.site_names | VOCABULARY.home_words | VOCABULARY.end_headings | VOCABULARY.chrome_words
    | VOCABULARY.more_links | VOCABULARY.accounts
    # a date's own words, left beside it once it is cut out (`Ngày 25/11/2026`, `Cập nhật 09:00`)
    | frozenset(fold(label) for label in VOCABULARY.date_labels + VOCABULARY.updated_labels)
)
