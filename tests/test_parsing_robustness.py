"""Whatever the bytes, the parser returns an Article or raises NotAnArticle, never anything else."""

from hypothesis import HealthCheck, given, settings, strategies as st

from crawler.article import Article, NotAnArticle
from crawler.parsing import parse_article

URL = "https://baodienbienphu.com.vn/tin-tuc/y-te/212838/slug"
TAGS = ["p", "div", "h1", "h2", "span", "a", "img", "table", "tr", "td", "br", "time", "figure", "figcaption",
        "ul", "li", "b", "em", "script", "section", "article", "meta", "title", "blockquote"]
WORDS = ["Đảng bộ", "Lượt xem: 5.717", "08:33 - Thứ Hai, 17/08/2020", "ĐBP - ", "Ảnh: Minh Thùy", "Tin khác",
         "Bình luận", "Bài, ảnh: Quang Hưng", "Theo VOV", "Ð", "\u00a0", "\u200b", "x" * 90, "Cập nhật:", "(GMT+7)"]


@st.composite
def html_soup(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attrs = draw(st.sampled_from(['', ' class="x"', ' href="/tin-tuc/a/1/b"', ' src="/a.jpg"',
                                          ' datetime="2020-08-17T08:33:00+07:00"', ' style="text-align:right"']))
            parts.append(f"<{tag}{attrs}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.sampled_from(WORDS)) + draw(st.text(max_size=20)))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1258"]))
    return "".join(parts).encode(encoding, errors="ignore")


def parses_or_refuses(body: bytes, headers: dict) -> None:
    try:
        assert isinstance(parse_article(body, URL, headers), Article)
    except NotAnArticle as refusal:
        assert str(refusal)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_soup(), st.sampled_from([{}, {"Content-Type": "text/html; charset=utf-8"},
                                     {"content-type": "text/html; charset=bogus"}]))
def test_tag_soup(body, headers):
    parses_or_refuses(body, headers)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(body):
    parses_or_refuses(body, {})


def test_degenerate_documents():
    for body in (b"<html></html>", b"<frameset></frameset>", b"<?xml version='1.0'?><rss/>", b"\x00\x01\x02",
                 b"<h1>" * 2000, b"<div>" * 5000 + b"<h1>T</h1>" + b"</div>" * 5000, b"<html><head></head></html>"):
        parses_or_refuses(body, {})


def test_image_sizes_that_are_digits_but_no_number():
    # `²` is a digit to str.isdigit but no number to int(): the size is unreadable, not a crash.
    for size in ("1²0", "①", "²px"):
        body = (f'<html><body><h1>Tiêu đề bài viết đủ dài để đọc</h1><p><img src="/a.jpg" width="{size}" '
                f'height="{size}"></p><p>{"Nội dung bài viết. " * 8}</p></body></html>').encode()
        parses_or_refuses(body, {})
