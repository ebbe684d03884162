"""From response bytes to an lxml document, with the page's real encoding.

Order of evidence, as browsers do it: the HTTP `Content-Type` charset, then a byte-order mark,
then `<meta charset>` / `<meta http-equiv>` anywhere in the head, then detection on the whole
document: UTF-8 when all of it decodes strictly as UTF-8, else Windows-1258 (the site's legacy code
page).

One more case, which browsers get wrong too: a UTF-8 page with Windows-1252 bytes pasted in (a quote
mark from a word processor, an ad block). Strict UTF-8 fails on it, and reading the whole page as
Windows-1258 would garble every Vietnamese letter. When the bytes are overwhelmingly valid UTF-8
sequences, beautifulsoup4's `UnicodeDammit.detwingle` re-encodes the stray Windows-1252 bytes as
UTF-8 and the page is read as UTF-8.

Speed matters (the whole parse must stay within a few lxml parses), so UTF-8 bytes go straight to
libxml2 without a Python decode; other code pages are decoded in Python and handed over as UTF-8.
The document's text is left as it came — decomposed accents, `Ð` for `Đ` — because repairing a
whole page costs more than the rest of the parse: every text the parser reads goes through
`text.normalize`, and every label is compared after it.
"""

from __future__ import annotations

import codecs
import itertools
import re

from bs4 import UnicodeDammit
from lxml import etree

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels browsers treat as another encoding (WHATWG): latin-1 declarations mean Windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "utf8": "utf-8", "x-user-defined": "cp1252", "unicode": "utf-8"}
_LEGACY = "cp1258"
MISLABELLED_CP1258 = 5  # tone marks read as Latin letters that show a Latin-1 declaration is wrong
# Windows-1258's combining tone bytes (0xCC, 0xDE, 0xD2, 0xEC, 0xF2) read as Windows-1252, right
# after a letter: `TuâÌn`, `BiêÞn`. No Vietnamese (or Latin-1) word has a capital or a thorn there.
_CP1258_AS_LATIN = re.compile("[a-zà-ỹ][ÌÞÒ]|[a-zà-ỹ]Þ|þ")
MISLABELLED_UTF8 = 20  # UTF-8 sequences (Vietnamese letters) that show a one-byte declaration is wrong
_SINGLE_BYTE = frozenset(("cp1258", "cp1252", "latin_1", "iso8859-1", "iso8859-15", "cp1250", "cp1251"))
# Share of the high bytes in valid UTF-8 sequences that makes a page UTF-8 with damage in it (pasted
# Windows-1252 bytes, a corrupted stretch): a legacy page scores about 1%, and a few hundred garbage
# bytes in a UTF-8 page must not turn it into Windows-1258, garbling every letter.
MOSTLY_UTF8 = 0.8
HEAD_SEARCH = 1 << 20  # bytes searched for the head's end (and a charset in it)
# A plain etree parser: lxml.html's element classes cost a Python call for every node touched.
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def detect_encoding(body: bytes, headers: dict | None = None) -> str:
    """The Python codec name of the page's encoding, following the order of evidence above."""
    return _detected(body, _declared_encoding(body, headers))


def _detected(body: bytes, declared: str | None) -> str:
    if declared and declared != "utf-8":
        return declared
    # Detection (and a check of a UTF-8 declaration): strict UTF-8, else the legacy code page.
    return "utf-8" if _is_utf8(body) else _LEGACY


def is_wide_unicode(body: bytes, headers: dict | None = None) -> bool:
    """Whether the page is UTF-16 or UTF-32 (by its byte-order mark or its HTTP charset): text whose
    every other byte is NUL, so a NUL byte is no sign of binary data."""
    return (_declared_encoding(body, headers) or "").startswith(("utf-16", "utf-32"))


def parse_document(body: bytes, headers: dict | None = None) -> tuple[etree._Element | None, str]:
    """The page's root element (None when nothing parses) and the encoding it was read with
    (`utf-8+windows-1252` for a UTF-8 page repaired of pasted Windows-1252 bytes)."""
    declared = _declared_encoding(body, headers) or ""
    if b"\x00" in body and not declared.startswith(("utf-16", "utf-32")):
        # Browsers drop a NUL from text (the HTML standard); libxml2 reads it as U+FFFD, which would
        # put a replacement character into a title that had none.
        body = body.replace(b"\x00", b"")
    encoding = _detected(body, declared)
    if encoding == _LEGACY and declared in ("", "utf-8") and _mostly_utf8(body):
        body, encoding = UnicodeDammit.detwingle(body), "utf-8+windows-1252"
        return etree.fromstring(body, parser=_UTF8_PARSER), encoding
    if encoding != "utf-8" and encoding in _SINGLE_BYTE and _is_utf8(body) \
            and _at_least(_UTF8_SEQUENCE.finditer(body), MISLABELLED_UTF8):
        # A page declared in a one-byte code page whose bytes are, every one, UTF-8 with Vietnamese
        # letters in it: the declaration is wrong (no legacy page decodes so), and reading by it would
        # garble every letter. (Counted anywhere in the page: its first 64 KB may be script.)
        encoding = "utf-8 (declared " + encoding + ")"
        return etree.fromstring(body, parser=_UTF8_PARSER), encoding
    if encoding == "utf-8":
        if body.startswith(codecs.BOM_UTF8):
            body = body[len(codecs.BOM_UTF8):]
        return etree.fromstring(body, parser=_UTF8_PARSER), encoding
    text = body.decode(encoding, errors="replace").lstrip("\ufeff")
    if encoding in ("cp1252", "iso8859-1") and len(_CP1258_AS_LATIN.findall(text, 0, 65536)) >= MISLABELLED_CP1258:
        # Windows-1258 declared as Latin-1: its tone marks come out as `Ì`, `Þ`, `Ò` glued to letters.
        encoding = "cp1258 (declared " + encoding + ")"
        text = body.decode("cp1258", errors="replace").lstrip("\ufeff")
    return etree.fromstring(text.encode("utf-8"), parser=_UTF8_PARSER), encoding


def _declared_encoding(body: bytes, headers: dict | None) -> str | None:
    declared = _from_headers(headers)
    if declared:
        return declared
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    # `<meta charset>` anywhere in the head, however much script comes first.
    head_end = body.find(b"</head", 0, HEAD_SEARCH)
    if head_end < 0:
        head_end = body.find(b"</HEAD", 0, HEAD_SEARCH)
    match = _META_CHARSET.search(body, 0, head_end if head_end >= 0 else HEAD_SEARCH)
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def _from_headers(headers: dict | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if key.lower() != "content-type":
            continue
        if isinstance(value, (list, tuple)):  # Scrapy keeps header values as lists of bytes
            value = value[0] if value else b""
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        match = _HEADER_CHARSET.search(value)
        return _codec(match.group(1)) if match else None
    return None


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name == "utf-8" else name


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 sequences hold nearly all the high bytes: a UTF-8 page with a few pasted
    Windows-1252 bytes, not a legacy page (whose Vietnamese letters are single high bytes)."""
    high = len(body) - len(body.translate(None, _HIGH_BYTES))  # counted in C
    if not high:
        return False
    needed = MOSTLY_UTF8 * high
    # A sequence of k bytes holds k - 1 continuation bytes (k <= 2(k - 1)): too few of them in the
    # page settle it without the search (a legacy page's letters are mostly lead-range bytes).
    if 2 * (len(body) - len(body.translate(None, _CONTINUATION_BYTES))) < needed:
        return False
    return len(b"".join(_UTF8_SEQUENCE.findall(body))) >= needed


def _at_least(matches, count: int) -> bool:
    return sum(1 for _ in itertools.islice(matches, count)) >= count


def _is_utf8(body: bytes) -> bool:
    """Strict UTF-8 over the whole document: a legacy page may show nothing but ASCII script for its
    first tens of kilobytes, so no prefix decides."""
    try:
        codecs.utf_8_decode(body, "strict", True)
    except UnicodeDecodeError:
        return False
    return True
