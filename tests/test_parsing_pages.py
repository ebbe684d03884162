"""Whole pages in four markups, padded with real-page chrome, asserting every field; and pages
that are not articles. The pages are built by tests/fixtures/parsing/pages.py."""

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

import pytest
from urllib.parse import urlsplit

from crawler.article import Image, NotAnArticle
from crawler.parsing import PARSER_VERSION, parse_article
from crawler.parsing.dates import SITE_TZ

_spec = importlib.util.spec_from_file_location(
    "dbp_parsing_fixture_pages", Path(__file__).parent / "fixtures" / "parsing" / "pages.py"
)
pages = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = pages
_spec.loader.exec_module(pages)

# Words of the chrome around every article: none may leak into body_text.
CHROME_WORDS = ["In bài viết", "Lượt xem", "Bình luận", "Tin khác", "Tin mới", "Đọc nhiều", "Facebook", "Zalo",
                "Chia sẻ", "Gửi bình luận", "Trang chủ", "Tổng Biên tập", "Giấy phép", "Tin cùng chuyên mục",
                "Ý kiến bạn đọc", "Từ khóa", "Copy link", "Các tin khác", "Tin liên quan"]


def parse(page):
    return parse_article(page.body, page.url, page.headers)


def assert_clean_body(article, paragraphs):
    assert article.body_text == "\n\n".join(paragraphs)
    for word in CHROME_WORDS:
        assert word not in article.body_text, word
        assert word not in article.body_html, word
    for fragment in ("class=", "style=", "<script", "<div", "<span", "<table", "<td"):
        assert fragment not in article.body_html, fragment
    assert "\u00d0" not in article.body_text and "\u00a0" not in article.body_text


def assert_related(article, count, host):
    assert len(article.related) == count
    assert len({link.url for link in article.related}) == count
    for link in article.related:
        assert link.url.startswith(host) and link.title and "#" not in link.url


class TestSeedArticleInTableLayout:
    """The one real article we know, in a 2020 table layout with `Ð` typed for `Đ`."""

    @pytest.fixture(scope="class")
    @classmethod
    def article(cls):
        return parse(pages.seed_table_page())

    def test_identity(self, article):
        assert article.article_id == 172345
        assert article.canonical_url == pages.SEED_URL
        assert article.parser_version == PARSER_VERSION

    def test_title_category_time_views(self, article):
        assert article.title == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
        assert article.title[0] == "\u0110"
        assert article.category == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
        assert article.published_at == datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TZ)
        assert article.to_dict()["published_at"] == "2020-08-17T08:33:00+07:00"
        assert article.updated_at is None
        assert article.view_count == 5717
        assert article.raw == {"date": "08:33 - Thứ Hai, 17/08/2020", "views": "5717"}
        assert article.warnings == []

    def test_sapo_body_image(self, article):
        assert article.sapo.startswith("Đổi mới phương thức lãnh đạo")
        assert article.sapo.endswith("nhiệm vụ chung của toàn Đảng bộ.")
        assert_clean_body(article, [p.replace("\u00d0", "Đ") for p in pages.SEED_PARAGRAPHS])
        caption, credit = pages.SEED_CAPTION.replace("\u00d0", "Đ").split(" Ảnh: ")
        assert article.images == [Image(pages.SEED_IMAGE, caption, credit)]
        assert article.body_html.startswith(f'<figure><img src="{pages.SEED_IMAGE}">')

    def test_byline(self, article):
        assert article.authors == ["Lỳ Lỳ Xá"]
        assert article.author_role == "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
        assert article.source is None
        assert article.photo_credits == ["Minh Thùy"]
        assert "Lỳ Lỳ Xá\n" not in article.body_text and not article.body_text.endswith("tỉnh")

    def test_related(self, article):
        assert_related(article, 8, "https://baodienbienphu.info.vn/tin-tuc/")
        expected = pages.related_links(__import__("random").Random(7), 8, "https://baodienbienphu.info.vn")
        assert [(r.url, r.title) for r in article.related] == expected


class TestDivPageWithOpenGraph:
    """2021–2025 div layout: og:, <time>, h2 sapo, figures with lazy images, an in-body related box,
    `Bài, ảnh:` byline, an update time, a short-form counter; all text decomposed (NFD)."""

    @pytest.fixture(scope="class")
    @classmethod
    def article(cls):
        return parse(pages.div_og_page())

    def test_fields(self, article):
        assert article.article_id == 212838
        assert article.canonical_url == "https://baodienbienphu.com.vn/tin-tuc/kinh-te/212838/muong-nhe-ra-quan-trong-rung-thay-the"
        assert article.title == pages.DIV_TITLE
        assert article.category == "Kinh tế"
        assert article.published_at == datetime(2023, 5, 12, 14, 5, tzinfo=SITE_TZ)
        assert article.updated_at == datetime(2023, 5, 12, 16, 20, tzinfo=SITE_TZ)
        assert article.view_count == 3800
        assert article.raw == {"date": "Thứ Sáu, 12/05/2023 | 14:05", "views": "3,8 N"}
        assert article.sapo == pages.DIV_SAPO

    def test_body_keeps_going_past_an_inline_related_box(self, article):
        paragraphs = pages.DIV_PARAGRAPHS
        assert_clean_body(article, [paragraphs[0], pages.DIV_SUBHEADING, *paragraphs[1:]])
        assert f"<h3>{pages.DIV_SUBHEADING}</h3>" in article.body_html

    def test_images_and_credits(self, article):
        assert article.images == [
            Image("https://baodienbienphu.com.vn/uploads/2023/05/trong-rung-1.jpg", *pages.DIV_CAPTIONS[0]),
            Image("https://cdn.baodienbienphu.com.vn/uploads/2023/05/trong-rung-2.jpg", *pages.DIV_CAPTIONS[1]),
        ]
        assert article.authors == ["Quang Hưng"] and article.photo_credits == ["Quang Hưng"]
        assert article.author_role is None and article.source is None

    def test_related_has_the_inline_box_then_the_list(self, article):
        assert_related(article, 8, "https://baodienbienphu.com.vn/tin-tuc/")


class TestJsonLdArticlePage:
    """2025 `<article>` page: JSON-LD, an id-less `/tin-bai/` URL, lazy image with an italic caption
    paragraph, a list, a blockquote, `(ĐBP) -` lead mark, `Hoàng Châu (TTXVN)`."""

    @pytest.fixture(scope="class")
    @classmethod
    def article(cls):
        return parse(pages.json_ld_page())

    def test_fields(self, article):
        assert article.article_id is None
        assert article.canonical_url == pages.JSONLD_URL
        assert article.identity == urlsplit(pages.JSONLD_URL).path  # host-free: a domain move is the same article
        assert article.title == pages.JSONLD_TITLE
        assert article.category == "Văn hóa"
        assert article.published_at == datetime(2025, 1, 5, 14, 5, tzinfo=SITE_TZ)
        assert article.updated_at == datetime(2025, 1, 6, 9, 0, tzinfo=SITE_TZ)
        assert article.view_count == 12000
        assert article.raw == {"date": "Chủ nhật, 05/01/2025, 14:05", "views": "12K"}
        assert article.sapo == pages.JSONLD_SAPO

    def test_body(self, article):
        paragraphs = pages.JSONLD_PARAGRAPHS
        assert_clean_body(article, [paragraphs[0], *pages.JSONLD_LIST, *paragraphs[1:]])
        assert "<ul><li>Diễu hành đường phố</li>" in article.body_html
        assert f"<blockquote><p>{paragraphs[2]}</p></blockquote>" in article.body_html
        assert article.images == [Image("https://baodienbienphu.vn/media/2025/01/hoa-ban-1.jpg", pages.JSONLD_CAPTION, "TTXVN")]

    def test_byline_and_related(self, article):
        assert article.authors == ["Hoàng Châu"] and article.source == "TTXVN"
        assert article.photo_credits == ["TTXVN"]
        assert [link.url for link in article.related] == [
            "https://baodienbienphu.vn/tin-bai/van-hoa/khai-mac-tuan-van-hoa-the-thao",
            "https://baodienbienphu.vn/tin-bai/van-hoa/du-lich-dien-bien-don-khach-dau-nam",
            "https://baodienbienphu.vn/tin-bai/van-hoa/hoa-ban-no-trang-nui-rung",
        ]
        assert article.related[0].title == "Khai mạc Tuần Văn hóa - Thể thao các dân tộc"


class TestObfuscatedWindows1258Page:
    """Random class names, one-cell tables and sections for wrappers, a sidebar before the article,
    a header date, the counter's label and number in sibling elements, Windows-1258 undeclared."""

    @pytest.fixture(scope="class")
    @classmethod
    def article(cls):
        return parse(pages.obfuscated_page())

    def test_fields(self, article):
        assert article.article_id == 205511
        assert article.title == pages.ODD_TITLE
        assert article.category == "Y tế"
        assert article.published_at == datetime(2024, 8, 17, 8, 33, tzinfo=SITE_TZ)
        assert article.view_count == 5717
        assert article.raw == {"date": "17/08/2024 08:33 (GMT+7)", "views": "5.717"}
        assert article.sapo == pages.ODD_SAPO

    def test_body_images_byline(self, article):
        assert_clean_body(article, pages.ODD_PARAGRAPHS)
        assert article.images == [Image("https://baodienbienphu.com.vn/Uploads/2024/8/tiem-chung.jpg", pages.ODD_CAPTION, "Thanh Bình")]
        assert article.authors == ["Minh Thùy", "Quang Long"]
        assert article.photo_credits == ["Thanh Bình"]
        assert_related(article, 5, "https://baodienbienphu.com.vn/tin-tuc/")


@pytest.mark.parametrize("build", pages.ARTICLE_PAGES, ids=lambda b: b.__name__)
def test_pages_are_realistic_in_size(build):
    assert 60_000 <= len(build().body) <= 120_000


@pytest.mark.parametrize("build", pages.ARTICLE_PAGES, ids=lambda b: b.__name__)
def test_same_output_without_the_site_url(build):
    """Identity aside, nothing depends on the URL's host: the generation hints are only hints."""
    page = build()
    here = parse(page).to_dict()
    elsewhere = parse_article(page.body, "file:///tmp/page.html", page.headers).to_dict()
    for key in ("url", "canonical_url", "article_id", "related", "images", "body_html", "category"):
        here.pop(key), elsewhere.pop(key)
    assert here == elsewhere


@pytest.mark.parametrize("build,reason", [
    (pages.listing_page, "listing"), (pages.search_page, "search"), (pages.error_page, "error"),
    (pages.home_page, "home page"),
])
def test_not_articles(build, reason):
    with pytest.raises(NotAnArticle, match=reason):
        parse(build())


@pytest.mark.parametrize("build", [pages.listing_page, pages.search_page, pages.error_page, pages.home_page],
                         ids=lambda b: b.__name__)
def test_not_articles_even_without_a_telling_url(build):
    page = build()
    with pytest.raises(NotAnArticle):
        parse_article(page.body, "file:///tmp/page.html", page.headers)


@pytest.mark.parametrize("build", pages.ARTICLE_PAGES, ids=lambda b: b.__name__)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_renamed_classes_and_swapped_wrappers_change_nothing(build, seed):
    """Class names and ids renamed at random, div ↔ section ↔ article ↔ one-cell table: the output
    must not move, since no field may depend on the markup's names."""
    page = build()
    assert parse(pages.obfuscate(page, seed)).to_dict() == parse(page).to_dict()
