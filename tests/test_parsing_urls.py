"""Identity from the address: article ids on every domain, canonical URLs, listing and search URLs."""

import pytest

from crawler.parsing.generations import ArticleLayout2025, DivLayout2021, TableLayout2020, UNKNOWN, generation_for
from crawler.parsing.urls import (article_id, canonical_url, category_slug, looks_like_article_link, looks_like_listing_link,
                                  page_kind_from_url)


@pytest.mark.parametrize("url,expected", [
    ("https://baodienbienphu.com.vn/tin-tuc/y-te/212838/da-nang-nhieu-truong-hop", 212838),
    ("http://baodienbienphu.info.vn/tin-tuc/xa-hoi/172345/slug?x=1#c", 172345),
    ("https://en.baodienbienphu.com.vn/tin-tuc/news/5/slug", 5),
    ("https://baodienbienphu.vn/tin-bai/van-hoa/le-hoi-hoa-ban", None),
    ("https://baodienbienphu.com.vn/tin-tuc/kinh-te/", None),
])
def test_article_id(url, expected):
    assert article_id(url) == expected


def test_canonical_url():
    page = "https://baodienbienphu.com.vn/tin-tuc/y-te/1/a?utm=x#top"
    assert canonical_url(page, None) == "https://baodienbienphu.com.vn/tin-tuc/y-te/1/a"
    assert canonical_url(page, "/tin-tuc/y-te/1/b") == "https://baodienbienphu.com.vn/tin-tuc/y-te/1/b"
    assert canonical_url(page, "https://baodienbienphu.com.vn/") == "https://baodienbienphu.com.vn/tin-tuc/y-te/1/a"


def test_a_query_that_names_the_page_stays_in_its_canonical_url_and_identity():
    """A script serving every article at one path (`detail.asp?id=…`, Joomla's `index.php?…&id=…`)
    tells them apart by the query: two articles there are two identities; a tracking parameter
    makes no second one, and the site's own article addresses carry no query at all."""
    from crawler.urls import link_identity, page_identity

    one, two = "http://old.example/detail.asp?id=4530", "http://old.example/detail.asp?id=4531"
    assert canonical_url(one + "&utm_source=fb&fbclid=x#top", None) == one
    assert page_identity(one) != page_identity(two)
    assert page_identity(one) == page_identity(one.replace("http:", "https:") + "&utm_campaign=x") == "/detail.asp?id=4530"
    joomla = "https://x.example/index.php?view=article&option=com_content&id=8813"
    assert page_identity(joomla) == page_identity("https://x.example/index.php?id=8813&option=com_content&view=article")
    assert link_identity(one) != link_identity(two)
    assert page_identity(joomla + "&Itemid=45") == page_identity(joomla + "&Itemid=12")  # (a menu's item, no page)
    for kept in ("http://x.example/index.php?/news/123", "http://x.example/a?a%20b&x", "http://x.example/d.asp?id=1;b=2"):
        assert canonical_url(kept + "&utm_source=x", None) == kept  # the query as written, less the tracker
    assert canonical_url("https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc?page=2", None) == \
        "https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc"


@pytest.mark.parametrize("url,kind", [
    ("https://baodienbienphu.com.vn/", "home"), ("https://baodienbienphu.vn/index.html", "home"),
    ("https://baodienbienphu.com.vn/tin-tuc/kinh-te/", "listing"),
    ("https://baodienbienphu.com.vn/tin-tuc/kinh-te/trang-2.html", "listing"),
    ("https://baodienbienphu.com.vn/tim-kiem?q=rung", "search"),
    ("https://baodienbienphu.com.vn/tin-tuc/kinh-te/212838/slug", None),
    ("https://baodienbienphu.vn/tin-bai/van-hoa/le-hoi", None),
    ("file:///tmp/page.html", None),
    # An old CMS's script serves every page; its query names the article (a bare `/index.php` is home).
    ("http://baotinh.example.vn/index.php?option=com_content&task=view&id=20455&Itemid=7", None),
    ("http://baotinh.example.vn/index.php", "home"),
    # Another site's articles under its news folder are no listing; its pages of a listing are.
    ("https://bao.example.vn/tin-tuc/gia-xang-giam-nhe-123.html", None),
    ("https://bao.example.vn/tin-tuc/gia-xang-giam-nhe-post812345.html", None),
    ("https://bao.example.vn/tin-tuc/trang-2.html", "listing"),
    # A tag's or an author's page lists their articles.
    ("https://cand.example.vn/tag/lua-dao-qua-mang/", "listing"),
    # The site's article address with a stray search key is still the article's.
    ("https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban?q=1", None),
    ("https://bao.example.vn/tac-gia/thu-ha", "listing"),
])
def test_page_kind_from_url(url, kind):
    assert page_kind_from_url(url) == kind


def test_listing_links():
    base = "https://baodienbienphu.com.vn/tin-tuc/y-te/1/a"
    assert looks_like_listing_link("/tin-tuc/y-te/", base)
    assert looks_like_listing_link("https://baodienbienphu.vn/tin-bai/y-te", base)
    assert not looks_like_listing_link("/tin-tuc/y-te/212838/slug", base)
    assert not looks_like_listing_link("https://facebook.com/share", base)
    assert not looks_like_listing_link("javascript:void(0)", base)
    # A CMS's sections two levels down are sections; the current site's id-less articles are not.
    assert looks_like_listing_link("/vi/chuyen-muc/van-hoa", base)
    assert looks_like_listing_link("/category/tin-tuc/dang-bo-khoi-co-quan-va-doanh-nghiep-tinh/", base)
    assert not looks_like_listing_link("/tin-bai/y-te/benh-vien-da-khoa-tinh-tiep-nhan-368-ca", base)
    assert not looks_like_listing_link("/a/b/c/d", base)
    # A section's own page as SharePoint names it: the section is its folder, two levels down.
    assert looks_like_listing_link("/tin-tuc-su-kien/tin-trong-tinh/Pages/default.aspx", base)
    # An author's or a tag's articles are listings, but no section the article belongs to.
    for href in ("/tac-gia/ngoc-ha", "/tac-gia/ngoc-ha/bai-viet", "/tag/nong-thon-moi/trang-2", "/vi/tag/du-lich",
                 "https://baodienbienphu.vn/Author/hoang-lan"):
        assert not looks_like_listing_link(href, base), href
    # An AMP or mobile edition links the sections of the site it mirrors.
    assert looks_like_listing_link("https://tinbien.example.vn/thoi-su/", "https://m.tinbien.example.vn/amp/a-20261201.html")
    assert not looks_like_listing_link("https://other.example.vn/thoi-su/", "https://m.tinbien.example.vn/amp/a.html")


def test_article_links():
    for href in ("/tin-tuc/xa-hoi/172352/dua-nuoc", "https://baodienbienphu.com.vn/xa-hoi/dua-nuoc-123456.html",
                 "tin-bai/xa-hoi/dua-nuoc-sach"):
        assert looks_like_article_link(href), href
    # An author's page that the `/{category}/{slug}-{id}.html` shape would take for an article: a
    # byline linking there is no `Tin khác` item.
    for href in ("/tac-gia/ha-phuong-1234.html", "/author/thanh-hung-20231.html", "/vi/tag/du-lich-2024.html",
                 "http://[oops/", "#", "javascript:void(0)"):
        assert not looks_like_article_link(href), href


@pytest.mark.parametrize("href", [
    "https://baonghean.vn/ngu-dan-dien-chau-vuon-khoi-dip-cuoi-nam-10312210.html",  # at the root, an id
    "/kinh-te/nong-nghiep/gia-sau-rieng-tang-manh-dau-vu-82231.html",  # two sections deep
    "/du-lich/12/356190/nghia-lo-le-hoi-xen-dong.aspx", "/giao-duc/409-hoi-giang-giao-vien-gioi-cap-xa",
    "/kinh-te/vai-thieu-say-kho-xuat-khau-postid421337.bbg", "/kinh-te/202611/che-tan-cuong-vao-vu-dong-3f41a7c/",
    "/xa-hoi/thong-xe-cau-treo-ban-phu-sung.html",  # no id: a slug of several words and a page's extension
])
def test_other_sites_article_links(href):
    assert looks_like_article_link(href)


@pytest.mark.parametrize("href", [
    "/tin-tuc/van-hoa-du-lich/", "/category/tin-tuc/dang-bo-khoi-co-quan/", "/vi/chuyen-muc/van-hoa", "/kinh-te",
    "/tag/dien-bien-phu-2024", "/images/anh-le-hoi-hoa-ban-2024.jpg", "/tin-tuc/xa-hoi/trang-2.html", "/ve-chung-toi.html",
    "/vi/news/chinh-tri-xa-hoi-c101/", "/chuyen-muc/dai-hoi-dang-2025-2030/",  # a section's code, a term's years
    "/ho-so/nguyen-thi-thu-huong-1234", "/nha-bao/lo-van-hai-2041",  # a journalist's page
])
def test_sections_files_and_short_pages_are_no_article_links(href):
    assert not looks_like_article_link(href)


def test_generations_by_host():
    assert isinstance(generation_for("https://baodienbienphu.info.vn/x"), TableLayout2020)
    assert isinstance(generation_for("https://en.baodienbienphu.com.vn/x"), DivLayout2021)
    assert isinstance(generation_for("https://baodienbienphu.vn/tin-bai/a/b"), ArticleLayout2025)
    assert generation_for("file:///x.html") is UNKNOWN


@pytest.mark.parametrize("href,base", [
    ("/a/b?x#y", "https://h.vn/t/1/x?q=1#f"), ("https://x/y", "https://h.vn/"), ("//cdn.x/y", "https://h.vn/a"),
    ("a/b", "https://h.vn/t/1/x"), ("/a", "https://h.vn:8080/p"), ("/a/../b", "https://h.vn/x"), (" /a ", "https://h.vn"),
    ("?page=2", "https://h.vn/t/x"), ("/a", "file:///tmp/x.html"),
])
def test_absolute_matches_urljoin(href, base):
    from urllib.parse import urljoin

    from crawler.parsing.urls import absolute

    assert absolute(href, base) == urljoin(base, href.strip())


@pytest.mark.parametrize("url,slug", [
    ("https://baodienbienphu.vn/tin-bai/xa-hoi/dua-nuoc-sach-ve-ban", "xa-hoi"),
    ("https://baodienbienphu.com.vn/tin-tuc/kinh-te/212838/bai", "kinh-te"),
    ("https://baobiencuong.vn/xa-hoi/nam-po-ho-tro-nha-o-post51207.html", "xa-hoi"),  # another site's first folder
    ("https://x.vn/vi/chuyen-muc/van-hoa/bai-123.html", "van-hoa"),  # past a language and `chuyen-muc`
    ("https://x.vn/2026/11/28/thu-vien-tinh/", None),  # a date's folders name no section
    ("https://x.vn/posts/2026/03/mua-hoa-ban/", None),  # nor the folder every post sits in
    ("https://x.vn/mua-hoa-ban/", None),  # the last folder is the article's own
    ("https://x.vn/tac-gia/ngoc-ha/bai", None),
])
def test_the_section_slug_an_address_names(url, slug):
    assert category_slug(url) == slug


def test_a_refusal_by_address_quotes_a_long_address_cut_short():
    """A tag page at a 10 000-character address: the reason stays one readable line."""
    from crawler.article import NotAnArticle
    from crawler.parsing.classify import SHOWN_TITLE, refuse_by_url
    from crawler.parsing.metadata import PageMetadata

    url = "https://x.example.vn/tag/" + "a" * 10_000 + "/"
    with pytest.raises(NotAnArticle) as refused:
        refuse_by_url(url, PageMetadata())
    assert len(str(refused.value)) < SHOWN_TITLE + 40 and url[:SHOWN_TITLE] in str(refused.value)
