"""Text normalisation and decoding: the traps of Vietnamese pages (Ð for Đ, NFD, NBSP, cp1258)."""

import unicodedata

import pytest

from crawler.parsing import parse_article
from crawler.parsing.encoding import detect_encoding, parse_document
from crawler.parsing.markup import text_of
from crawler.parsing.text import fold, has_alnum, has_digit, normalize

VIETNAMESE = "Đảng bộ Khối Cơ quan, Tỉnh ủy viên Lỳ Lỳ Xá, người Mông ở Mường Nhé"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as legacy pages wrote it: tone marks as separate combining bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += base.encode("cp1258") + "".join(c for c in parts if c in _TONES).encode("cp1258")
    return bytes(out)


class TestNormalize:
    def test_eth_becomes_vietnamese_d_with_stroke(self):
        assert normalize("Ðảng bộ ðoàn kết") == "Đảng bộ đoàn kết"
        assert "\u00d0" not in normalize("Ðổi mới") and normalize("Ðổi mới")[0] == "\u0110"

    def test_decomposed_text_is_composed(self):
        decomposed = unicodedata.normalize("NFD", VIETNAMESE)
        assert decomposed != VIETNAMESE
        assert normalize(decomposed) == VIETNAMESE

    def test_nbsp_zero_width_and_runs_of_whitespace_collapse(self):
        assert normalize("\u00a0 Lượt\u00a0xem:\u200b  5717\n\t") == "Lượt xem: 5717"
        assert normalize("Đảng\u200bbộ") == "Đảngbộ"  # zero-width joins, never spaces
        assert normalize("a\u3000b\u2009c\ufeff") == "a b c"

    def test_empty_and_ascii(self):
        assert normalize(None) == "" and normalize("   ") == ""
        assert normalize("  plain   ascii ") == "plain ascii"

    def test_fold_is_case_insensitive_after_normalising(self):
        assert fold("TIN KHÁC") == fold("Tin khác") == fold(unicodedata.normalize("NFD", "tin khác"))


    def test_digit_and_alnum_searches_agree_with_str_methods_on_every_character(self):
        # The readers ask these of every short line; a character the search missed (a superscript
        # or circled digit, a letter of any script) would change what a line is taken for.
        for code in range(0x110000):
            ch = chr(code)
            assert has_digit(f"ab{ch}") is ch.isdigit(), hex(code)
            assert has_alnum(f" {ch}.") is ch.isalnum(), hex(code)


class TestDecoding:
    PAGE = "<html><head>{meta}<title>{text}</title></head><body><h1>{text}</h1></body></html>"

    def page(self, meta: str = "") -> bytes:
        return cp1258(self.PAGE.format(meta=meta, text=VIETNAMESE))

    def title_of(self, body: bytes, headers: dict) -> str:
        doc, _ = parse_document(body, headers)
        return normalize(text_of(doc.find(".//h1")))

    def test_cp1258_named_in_the_http_header(self):
        headers = {"Content-Type": "text/html; charset=windows-1258"}
        assert detect_encoding(self.page(), headers) == "cp1258"
        assert self.title_of(self.page(), headers) == VIETNAMESE

    def test_cp1258_named_in_meta_charset_and_http_equiv(self):
        for meta in ('<meta charset="windows-1258">',
                     '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'):
            body = self.page(meta)
            assert detect_encoding(body, {}) == "cp1258"
            assert self.title_of(body, {}) == VIETNAMESE

    def test_cp1258_named_nowhere_is_detected(self):
        assert detect_encoding(self.page(), {}) == "cp1258"
        assert self.title_of(self.page(), {}) == VIETNAMESE

    def test_header_wins_over_meta(self):
        body = self.PAGE.format(meta='<meta charset="windows-1258">', text=VIETNAMESE).encode("utf-8")
        assert detect_encoding(body, {"content-type": "text/html; charset=utf-8"}) == "utf-8"
        assert self.title_of(body, {"content-type": "text/html; charset=utf-8"}) == VIETNAMESE

    def test_utf8_with_bom_and_scrapy_style_headers(self):
        body = b"\xef\xbb\xbf" + self.PAGE.format(meta="", text=VIETNAMESE).encode("utf-8")
        assert self.title_of(body, {b"Content-Type": [b"text/html"]}) == VIETNAMESE

    def test_declared_utf8_that_is_not_falls_back_to_cp1258(self):
        headers = {"Content-Type": "text/html; charset=utf-8"}
        assert self.title_of(self.page(), headers) == VIETNAMESE

    def test_a_utf8_page_with_pasted_windows_1252_bytes_is_read_as_utf8(self):
        # A word processor's curly quotes (0x93, 0x94 in Windows-1252) inside an otherwise UTF-8 page:
        # strict UTF-8 fails, and reading it all as Windows-1258 would garble every Vietnamese letter.
        body = self.PAGE.format(meta="", text=VIETNAMESE).encode("utf-8").replace(
            b"<body>", b"<body><p>\x93Qu\xe1\xba\xa3ng c\xc3\xa1o\x94</p>", 1)
        for headers in ({}, {"Content-Type": "text/html; charset=utf-8"}):
            doc, encoding = parse_document(body, headers)
            assert encoding == "utf-8+windows-1252"
            assert normalize(text_of(doc.find(".//h1"))) == VIETNAMESE
            assert normalize(text_of(doc.find(".//p"))) == "\u201cQuảng cáo\u201d"
        assert parse_document(self.page(), {})[1] == "cp1258"  # a real legacy page stays one

    @pytest.mark.parametrize("body", [b"", b"   "])
    def test_empty_body_is_not_an_article(self, body):
        from crawler.article import NotAnArticle

        with pytest.raises(NotAnArticle):
            parse_article(body, "https://baodienbienphu.com.vn/tin-tuc/y-te/1/x", {})


@pytest.mark.parametrize("lead,sapo", [
    ("(TTXVN) - Sáng 2/12, hội nghị khai mạc.", "Sáng 2/12, hội nghị khai mạc."),
    ("TTO – Chiều qua, giá xăng giảm.", "Chiều qua, giá xăng giảm."),
    ("(BLC) - Sáng nay, huyện khai giảng.", "Sáng nay, huyện khai giảng."),
    ("ĐBP - Đổi mới phương thức lãnh đạo.", "Đổi mới phương thức lãnh đạo."),
    # Bare capitals before a dash are the lead's own words.
    ("UBND - Ủy ban nhân dân tỉnh họp.", "UBND - Ủy ban nhân dân tỉnh họp."),
    ("COVID - 19 vẫn diễn biến phức tạp.", "COVID - 19 vẫn diễn biến phức tạp."),
    ("HĐND - UBND huyện họp phiên thường kỳ.", "HĐND - UBND huyện họp phiên thường kỳ."),
])
def test_an_outlet_s_mark_leaves_the_lead_and_a_lead_s_own_capitals_stay(lead, sapo):
    from crawler.parsing.labels import strip_lead_mark

    assert strip_lead_mark(lead) == sapo
