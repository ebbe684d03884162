"""Variations of one article page, one presentation change at a time: where the date sits, how the
byline and the counter are written, missing sapo, misleading sidebars. Each page is padded with
the same chrome as the fixture pages."""

import importlib.util
import random
import sys
from datetime import datetime
from pathlib import Path

import pytest

from crawler.parsing import parse_article
from crawler.parsing.dates import SITE_TZ

_spec = importlib.util.spec_from_file_location(
    "dbp_parsing_fixture_pages", Path(__file__).parent / "fixtures" / "parsing" / "pages.py"
)
pages = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = pages
    _spec.loader.exec_module(pages)

URL = "https://baodienbienphu.com.vn/tin-tuc/xa-hoi/198765/ho-tro-nha-o-cho-ho-ngheo"
TITLE = "Hỗ trợ nhà ở cho hộ nghèo huyện Điện Biên Đông"
SAPO = "Năm 2024, huyện Điện Biên Đông hỗ trợ xây mới, sửa chữa nhà ở cho 320 hộ nghèo, hộ cận nghèo trên địa bàn."
PARAGRAPHS = [
    "Nguồn kinh phí từ Chương trình mục tiêu quốc gia giảm nghèo bền vững và vốn huy động xã hội hóa, "
    "mỗi hộ được hỗ trợ từ 40 đến 60 triệu đồng tùy mức độ xây mới hay sửa chữa.",
    "Các xã thành lập tổ giúp đỡ, huy động đoàn viên thanh niên, dân quân tham gia vận chuyển vật liệu, "
    "giúp ngày công cho các hộ khó khăn về nhân lực.",
    "Đến nay đã có 280 ngôi nhà hoàn thành, đưa vào sử dụng; số còn lại phấn đấu xong trước ngày 30/12.",
]


def build(*, dateline="Thứ Tư, 06/11/2024 | 10:15", dateline_before_title=False, views="Lượt xem: 1.234",
          sapo=f"ĐBP - {SAPO}", byline_html="<p>Thanh Hà</p>", after_body_html="", meta="",
          sidebar_views=False, body_wrapper="div") -> bytes:
    rng = random.Random(42)
    date_html = f"<div>{dateline}</div>" if dateline else ""
    views_html = f"<div>{views}</div>" if views else ""
    sidebar = pages.sidebar_box(rng, "Đọc nhiều", 8)
    if sidebar_views:
        sidebar = sidebar.replace('<span class="tm">', '<span class="vw">Lượt xem: 987</span><span class="tm">')
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = f"""
<div class="c1"><a href="/">Trang chủ</a> / <a href="/tin-tuc/xa-hoi/">Xã hội</a></div>
{date_html if dateline_before_title else ""}<h1>{TITLE}</h1>{"" if dateline_before_title else date_html}{views_html}
{f"<p><strong>{sapo}</strong></p>" if sapo else ""}
<{body_wrapper} class="c2">{paragraphs}{byline_html}</{body_wrapper}>{after_body_html}
{pages.comment_form()}{pages.other_news(rng, "Tin khác", pages.related_links(rng, 4, "https://baodienbienphu.com.vn"))}"""
    document = f"""<html><head><meta charset="utf-8"><title>{TITLE} - Báo Điện Biên Phủ</title>{meta}</head>
<body><div class="top"><span>Thứ Ba, 25/11/2025</span>{pages.menu(rng)}</div>
<div class="main">{article}</div><div class="side">{sidebar}</div>{pages.footer(rng)}</body></html>"""
    return pages.pad_to(document, rng).encode("utf-8")


def parse(**options):
    return parse_article(build(**options), URL, {})


def test_baseline():
    article = parse()
    assert article.title == TITLE and article.category == "Xã hội"
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.view_count == 1234 and article.sapo == SAPO
    assert article.body_text == "\n\n".join(PARAGRAPHS)
    assert article.authors == ["Thanh Hà"] and article.article_id == 198765
    assert len(article.related) == 4


def test_date_written_above_the_title_not_the_header_date():
    article = parse(dateline="08:00 - Thứ Tư, 06/11/2024", dateline_before_title=True)
    assert article.published_at == datetime(2024, 11, 6, 8, 0, tzinfo=SITE_TZ)


def test_no_visible_date_uses_metadata_not_the_page_header():
    article = parse(dateline="", meta='<meta property="article:published_time" content="2024-11-06T10:15:00+07:00">')
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.raw["date"] == "2024-11-06T10:15:00+07:00"


def test_no_date_anywhere():
    assert parse(dateline="").published_at is None


def test_wrong_weekday_is_a_warning():
    article = parse(dateline="Thứ Hai, 06/11/2024 | 10:15")
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert len(article.warnings) == 1 and "Thứ Hai" in article.warnings[0]


def test_update_time():
    article = parse(dateline="06/11/2024 10:15 - Cập nhật: 07/11/2024 08:00")
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.updated_at == datetime(2024, 11, 7, 8, 0, tzinfo=SITE_TZ)


@pytest.mark.parametrize("views,expected", [("Lượt xem: 5,717", 5717), ("<span>Lượt xem</span> <b>3,8 N</b>", 3800),
                                            ("1,2 Tr lượt xem", 1200000), ("", None)])
def test_view_counter_forms(views, expected):
    assert parse(views=views).view_count == expected


def test_sidebar_counts_are_not_ours():
    assert parse(views="", sidebar_views=True).view_count is None


def test_no_sapo():
    article = parse(sapo="")
    assert article.sapo is None and article.body_text == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("mark", ["ĐBP - ", "ĐBP – ", "(ĐBP) - ", "ÐBP - "])
def test_lead_marks(mark):
    assert parse(sapo=mark + SAPO).sapo == SAPO


@pytest.mark.parametrize("byline_html,authors,role,source,credits", [
    ('<p style="text-align:right"><b>Bài, ảnh: Quang Hưng</b></p>', ["Quang Hưng"], None, None, ["Quang Hưng"]),
    ("<p>Minh Thùy - Quang Long</p>", ["Minh Thùy", "Quang Long"], None, None, []),
    ("<p>Hoàng Châu (TTXVN)</p>", ["Hoàng Châu"], None, "TTXVN", []),
    ("<p><em>Theo VOV</em></p>", [], None, "VOV", []),
    ("<p>Theo Báo Nhân Dân</p>", [], None, "Báo Nhân Dân", []),
    ("<p>Lỳ Lỳ Xá<br>Tỉnh ủy viên, Bí thư Đảng ủy Khối</p>", ["Lỳ Lỳ Xá"], "Tỉnh ủy viên, Bí thư Đảng ủy Khối", None, []),
    ("", [], None, None, []),
])
def test_byline_forms(byline_html, authors, role, source, credits):
    article = parse(byline_html=byline_html)
    assert (article.authors, article.author_role, article.source, article.photo_credits) == (authors, role, source, credits)
    assert article.body_text == "\n\n".join(PARAGRAPHS)


def test_author_block_below_the_body():
    article = parse(byline_html="", after_body_html='<div class="au"><span>Thanh Hà</span></div>')
    assert article.authors == ["Thanh Hà"] and article.body_text == "\n\n".join(PARAGRAPHS)


def test_metadata_author_is_a_hint_when_nothing_is_visible():
    article = parse(byline_html="", meta='<meta name="author" content="Thanh Hà">')
    assert article.authors == ["Thanh Hà"]
    article = parse(byline_html="", meta='<meta name="author" content="Báo Điện Biên Phủ">')
    assert article.authors == []


@pytest.mark.parametrize("wrapper", ["div", "section", "article", "td"])
def test_body_wrapper_kind_does_not_matter(wrapper):
    if wrapper == "td":
        article = parse_article(build().replace(b'<div class="c2">', b'<table><tr><td class="c2">')
                                .replace(b"<p>Thanh H\xc3\xa0</p></div>", b"<p>Thanh H\xc3\xa0</p></td></tr></table>"), URL, {})
    else:
        article = parse(body_wrapper=wrapper)
    assert article.body_text == "\n\n".join(PARAGRAPHS) and article.authors == ["Thanh Hà"]


def test_title_from_metadata_when_no_heading_shows_it():
    body = build().replace(f"<h1>{TITLE}</h1>".encode(), b"")
    article = parse_article(body, URL, {})
    assert article.title == TITLE
    assert article.body_text == "\n\n".join(PARAGRAPHS)
    assert article.warnings == ["no element on the page shows the title: taken from the page's metadata"]


def test_photo_story_with_little_text_beside_a_long_sidebar():
    rng = random.Random(1)
    photos = "".join(
        f'<figure><img src="/anh/{i}.jpg"><figcaption>Khoảnh khắc {i} tại lễ hội. Ảnh: Quang Hưng</figcaption></figure>'
        for i in range(3)
    )
    document = f"""<html><head><title>Sắc màu lễ hội Hoa Ban - Báo Điện Biên Phủ</title></head><body>
{pages.menu(rng)}<div class="w"><div class="m"><h1>Sắc màu lễ hội Hoa Ban</h1><div>05/01/2025 14:05</div>
<div class="b"><p>ĐBP - Một số hình ảnh ghi nhận tại lễ hội hoa ban năm nay.</p>{photos}<p>Quang Hưng</p></div></div>
<div class="s">{pages.sidebar_box(rng, "Tin mới", 12)}</div></div></body></html>"""
    article = parse_article(document.encode(), "https://baodienbienphu.com.vn/tin-tuc/anh/123456/sac-mau", {})
    assert article.sapo == "Một số hình ảnh ghi nhận tại lễ hội hoa ban năm nay."
    assert [image.src for image in article.images] == [f"https://baodienbienphu.com.vn/anh/{i}.jpg" for i in range(3)]
    assert article.images[0].caption == "Khoảnh khắc 0 tại lễ hội." and article.images[0].credit == "Quang Hưng"
    assert article.authors == ["Quang Hưng"] and article.photo_credits == ["Quang Hưng"]
    assert article.body_text == ""


def test_counter_and_date_written_under_the_body():
    article = parse(dateline="", views="", byline_html="<p>Thanh Hà</p><p>Ngày đăng: 06/11/2024 10:15</p><p>Lượt xem: 2.468</p>")
    assert article.view_count == 2468 and article.raw["views"] == "2.468"
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.body_text == "\n\n".join(PARAGRAPHS) and article.authors == ["Thanh Hà"]


def test_date_split_across_elements():
    article = parse(dateline="<span>10:15</span> | <b>Thứ Tư</b>, <span>06/11/2024</span>")
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.raw["date"] == "10:15 | Thứ Tư, 06/11/2024"


def test_breadcrumb_repeating_the_title():
    body = build().replace(b'<a href="/tin-tuc/xa-hoi/">X\xc3\xa3 h\xe1\xbb\x99i</a></div>',
                           f'<a href="/tin-tuc/xa-hoi/">Xã hội</a> / <a href="/tin-tuc/xa-hoi/">{TITLE}</a></div>'.encode())
    assert parse_article(body, URL, {}).category == "Xã hội"


def test_plain_caption_line_under_an_image():
    body = build().replace(b"<p>Ngu", '<p><img src="/a.jpg"></p><p>Ảnh minh họa</p><p>Ngu'.encode(), 1)
    article = parse_article(body, URL, {})
    assert [(i.src, i.caption, i.credit) for i in article.images] == [("https://baodienbienphu.com.vn/a.jpg", "Ảnh minh họa", None)]
    assert article.body_text == "\n\n".join(PARAGRAPHS)


def test_a_short_first_paragraph_is_body_not_header_scrap():
    short = "Sáng nay, huyện tổ chức bàn giao nhà."
    body = build(sapo="").replace(b'<div class="c2"><p>', f'<div class="c2"><p>{short}</p><p>'.encode(), 1)
    article = parse_article(body, URL, {})
    assert article.body_text == "\n\n".join([short, *PARAGRAPHS])


def test_teasers_between_headline_and_dateline_lend_no_date():
    rng = random.Random(3)
    teasers = pages.sidebar_box(rng, "Tin mới", 2)
    body = build().replace(f"<h1>{TITLE}</h1>".encode(), f"<h1>{TITLE}</h1>{teasers}".encode())
    article = parse_article(body, URL, {})
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)
    assert article.body_text == "\n\n".join(PARAGRAPHS) and article.sapo == SAPO


def test_a_teaser_column_between_headline_and_body_is_not_a_listing():
    rng = random.Random(4)
    column = pages.sidebar_box(rng, "Tin mới", 8)
    body = build().replace(f"<h1>{TITLE}</h1>".encode(), f"<h1>{TITLE}</h1>{column}".encode())
    article = parse_article(body, "file:///page.html", {})
    assert article.body_text == "\n\n".join(PARAGRAPHS) and article.authors == ["Thanh Hà"]
    assert article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)


def test_old_layout_with_paragraphs_between_line_breaks():
    rng = random.Random(5)
    cell = "<br><br>".join([pages.SEED_SAPO, *pages.SEED_PARAGRAPHS[:3], f"<b>{pages.SEED_AUTHOR}</b>"])
    cell += f"<br><i>{pages.SEED_ROLE}</i>"
    document = f"""<html><head><title>{pages.SEED_TITLE} - Báo Điện Biên Phủ</title></head><body><table><tr>
<td>{pages.sidebar_box(rng, "Tin mới", 5)}</td><td><table><tr><td><b>{pages.SEED_TITLE}</b></td></tr>
<tr><td>08:33 - Thứ Hai, 17/08/2020</td></tr><tr><td>{cell}</td></tr></table></td></tr></table></body></html>"""
    article = parse_article(document.encode(), pages.SEED_URL, {})
    assert article.sapo.startswith("Đổi mới phương thức") and article.sapo.endswith("toàn Đảng bộ.")
    assert article.body_text == "\n\n".join(p.replace("\u00d0", "Đ") for p in pages.SEED_PARAGRAPHS[:3])
    assert article.authors == ["Lỳ Lỳ Xá"] and article.author_role.startswith("Tỉnh ủy viên, Bí thư")
    assert article.published_at == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)


def test_author_block_above_the_lead_with_name_and_role_glued():
    top = "<div><span>Mùa A Vảng</span><span>Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo</span></div>"
    body = build(byline_html="").replace(b"<p><strong>", top.encode() + b"<p><strong>", 1)
    article = parse_article(body, URL, {})
    assert article.sapo == SAPO and article.body_text == "\n\n".join(PARAGRAPHS)
    assert article.authors == ["Mùa A Vảng"]
    assert article.author_role == "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo"


@pytest.mark.parametrize("figure", [
    '<figure><img src="/a.jpg"><figcaption>Khai giảng năm học mới<span>Ảnh: Trung Dũng</span></figcaption></figure>',
    '<table><tr><td><img src="/a.jpg"></td></tr><tr><td>Khai giảng năm học mới</td></tr><tr><td>Ảnh: Trung Dũng</td></tr></table>',
    '<p><img src="/a.jpg"></p><p><span>Khai giảng năm học mới</span><span>Ảnh: Trung Dũng</span></p>',
])
def test_credit_set_in_its_own_element(figure):
    body = build().replace(b"<p>Ngu", figure.encode() + "<p>Ngu".encode(), 1)
    article = parse_article(body, URL, {})
    assert [(i.caption, i.credit) for i in article.images] == [("Khai giảng năm học mới", "Trung Dũng")]
    assert article.photo_credits == ["Trung Dũng"] and article.body_text == "\n\n".join(PARAGRAPHS)


def test_comment_box_with_a_captcha_inside_the_body_block():
    box = ('<div><div>Bình luận</div><form><textarea></textarea><img src="/captcha.ashx?x=1">'
           '<input type="text"><button>Gửi</button></form></div>')
    body = build().replace(b"<p>Thanh H\xc3\xa0</p>", "<p>Thanh Hà</p>".encode() + box.encode(), 1)
    article = parse_article(body, URL, {})
    assert article.images == [] and article.authors == ["Thanh Hà"]
    assert article.body_text == "\n\n".join(PARAGRAPHS)


def test_a_date_inside_the_lead_is_not_the_dateline():
    sapo = "ĐBP - <em>Ngày 12/05/2024</em>, huyện Điện Biên Đông hỗ trợ xây mới, sửa chữa nhà ở cho 320 hộ nghèo, hộ cận nghèo trên địa bàn."
    article = parse(dateline="", sapo=sapo)
    assert article.published_at is None and article.raw["date"] is None
    assert article.sapo.startswith("Ngày 12/05/2024, huyện")


def test_a_captioned_photo_opening_a_block_of_the_body_does_not_swallow_its_paragraphs():
    # The body in sections; the first holds one photo (with a figcaption) and paragraphs after it:
    # that section is no figure, whatever marks its photo up.
    figure = '<figure><img src="/a.jpg" width="800"><figcaption><p>Ảnh minh họa</p></figcaption></figure>'
    sections = (f'<div class="c2"><div>{figure}<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>'
                f'<div><p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[0]}</p></div><div><p>{PARAGRAPHS[1]}</p><p>Thanh Hà</p></div></div>')
    body = build(byline_html="").replace(f'<div class="c2">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div>'.encode(),
                                         sections.encode(), 1)
    assert sections.encode() in body
    article = parse_article(body, URL, {})
    assert article.body_text == "\n\n".join(PARAGRAPHS + PARAGRAPHS[:2]) and article.authors == ["Thanh Hà"]
    assert [(i.src, i.caption) for i in article.images] == [("https://baodienbienphu.com.vn/a.jpg", "Ảnh minh họa")]


def test_author_block_with_a_long_role_beside_the_dateline():
    # Name and role under the headline, then the date and the counter, then a body opening with a photo:
    # the role line is neither the lead nor a paragraph that ends the line under the headline.
    role = "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng ban Tuyên giáo Tỉnh ủy"
    header = (f'<div><div><span>Nguyễn Thị Thu Hà</span><span>{role}</span></div>'
              '<time datetime="2024-11-06T10:15:00+07:00"><svg width="16"></svg> 06/11/2024 10:15 (GMT+7)</time>'
              '<span><svg width="16"></svg> Lượt xem: 6,9 N</span></div>')
    figure = '<figure><img src="/a.jpg" width="800"><figcaption><p>Ảnh minh họa</p></figcaption></figure>'
    body = build(dateline="", views="", sapo="", byline_html="").replace(
        f"<h1>{TITLE}</h1>".encode(), f"<h1>{TITLE}</h1>{header}".encode(), 1).replace(
        b'<div class="c2"><p>', f'<div class="c2">{figure}<p>'.encode(), 1)
    article = parse_article(body, URL, {})
    assert article.body_text == "\n\n".join(PARAGRAPHS)
    assert article.authors == ["Nguyễn Thị Thu Hà"] and article.author_role == role
    assert article.view_count == 6900 and article.published_at == datetime(2024, 11, 6, 10, 15, tzinfo=SITE_TZ)


def test_author_block_below_the_body_with_a_long_role_line_then_tags():
    role = "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
    block = (f'<div class="x9"><p><strong>Quàng Văn Bình</strong></p><p><em>{role}</em></p></div>'
             '<div><span>Từ khóa:</span> <a href="/tag/ocop">OCOP</a> <a href="/tag/bien-gioi">biên giới</a></div>')
    article = parse(byline_html="", after_body_html=block)
    assert article.authors == ["Quàng Văn Bình"] and article.author_role == role
    assert article.body_text == "\n\n".join(PARAGRAPHS)


def test_an_empty_body_beside_paragraphs_is_never_silent():
    from lxml import etree

    from crawler.parsing import _body_warnings
    from crawler.parsing.body import Body
    from crawler.parsing.content import Reading
    paragraph = etree.fromstring(f"<p>{PARAGRAPHS[0]}</p>")
    lead = etree.fromstring(f"<p>{SAPO}</p>")
    assert _body_warnings(Body(sapo=SAPO), Reading(lead_blocks=[lead, paragraph]))
    assert not _body_warnings(Body(sapo=SAPO), Reading(lead_blocks=[lead]))
    assert not _body_warnings(Body(text=PARAGRAPHS[0]), Reading(lead_blocks=[paragraph]))


@pytest.mark.parametrize("author,authors,source", [("Bài, ảnh: Vân Anh", ["Vân Anh"], None),
                                                  ("Minh Quyết (TTXVN)", ["Minh Quyết"], "TTXVN")])
def test_a_caption_opening_with_a_role_word_is_not_the_authors_role(author, authors, source):
    # The name under the headline, the date and counter beside icons, then a photo whose caption
    # opens with a role word (`Cán bộ …`): the caption is no role of the author's.
    header = (f'<div><div><span>{author}</span></div><time><svg width="16"></svg> 06/11/2024 10:15 (GMT+7)</time>'
              '<span><svg width="16"></svg> 707 lượt xem</span></div>')
    caption = "Cán bộ Đồn Biên phòng Sam Mứn tuần tra bảo vệ biên giới"
    figure = f'<figure><img src="/a.jpg" width="800"><figcaption><p>{caption}</p><p>Ảnh: Vân Anh</p></figcaption></figure>'
    body = build(dateline="", views="", sapo="", byline_html="").replace(
        f"<h1>{TITLE}</h1>".encode(), f"<h1>{TITLE}</h1>{header}".encode(), 1).replace(
        b'<div class="c2"><p>', f'<div class="c2">{figure}<p>'.encode(), 1)
    article = parse_article(body, URL, {})
    assert (article.authors, article.author_role, article.source) == (authors, None, source)
    assert [(i.caption, i.credit) for i in article.images] == [(caption, "Vân Anh")]
    assert article.view_count == 707 and article.body_text == "\n\n".join(PARAGRAPHS)


def test_a_byline_right_under_a_captionless_photo_is_not_its_caption():
    byline = '<table><tr><td><img src="/c.jpg" width="500"></td></tr></table><p style="text-align: right;"><strong>Bài và ảnh: Quang Hưng</strong></p>'
    article = parse(byline_html=byline)
    assert [(i.src, i.caption, i.credit) for i in article.images] == [("https://baodienbienphu.com.vn/c.jpg", None, None)]
    assert article.authors == ["Quang Hưng"] and article.photo_credits == ["Quang Hưng"]
    assert article.body_text == "\n\n".join(PARAGRAPHS)
