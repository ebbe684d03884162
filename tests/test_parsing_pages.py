"""Properties of the parser on whole pages that hold whatever their layout: no field depends on the
page's address or its class names; pages that are not articles are refused; a field a reader sees
and the parser does not read is reported (field health). Every page comes from the replica or its
layout generator (`crawler.replica.layouts`)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from crawler.article import NotAnArticle
from crawler.parsing import parse_article
from crawler.replica import Replica
from crawler.replica.layouts import Layout, draw_layout
from crawler.replica.site import respond

REPLICA = Replica(seed=11, articles=120, epoch=2)
ARTICLES = REPLICA.live_ids()
URL_FREE = ("url", "canonical_url", "article_id", "related", "images", "body_html")


def drawn(count: int, salt: str):
    rng = random.Random(f"pages/{salt}")
    return [(rng.choice(ARTICLES), draw_layout(rng)) for _ in range(count)]


@pytest.mark.parametrize("article_id,layout", drawn(12, "url"))
def test_same_output_without_the_site_url(article_id, layout):
    """Identity aside, nothing depends on the URL: generation hints are only hints, and the category
    comes from the page whenever the page shows one."""
    page = REPLICA.render_article(article_id, layout=layout)
    here = parse_article(page.body, REPLICA.url_for(article_id), page.headers).to_dict()
    elsewhere = parse_article(page.body, "file:///tmp/page.html", page.headers).to_dict()
    for key in URL_FREE + (("category",) if layout.category_display == "none" else ()):
        here.pop(key), elsewhere.pop(key)  # (a page showing no section leaves only the URL to name it)
    assert here == elsewhere


@pytest.mark.parametrize("article_id,layout", drawn(12, "names"))
@pytest.mark.parametrize("seed", [1, 2])
def test_renamed_classes_and_swapped_wrappers_change_nothing(article_id, layout, seed):
    """Class names and ids renamed at random, div ↔ section ↔ article ↔ one-cell table."""
    page = REPLICA.render_article(article_id, layout=layout)
    renamed = REPLICA.render_article(article_id, layout=layout, obfuscate_seed=seed)
    assert renamed.body != page.body
    url = REPLICA.url_for(article_id)
    assert parse_article(renamed.body, url, renamed.headers).to_dict() == parse_article(page.body, url, page.headers).to_dict()


@pytest.mark.parametrize("path", ["/", "/tin-tuc/{slug}/", "/tim-kiem?q=Điện+Biên", "/khong-co-trang-nay"])
def test_not_articles_even_without_a_telling_url(path):
    category = REPLICA.categories[0].slug
    page = respond(REPLICA, "GET", path.format(slug=category))
    with pytest.raises(NotAnArticle):
        parse_article(page.body, "file:///tmp/page.html", page.headers)


def test_a_quote_in_the_body_stays_a_quote_in_body_html():
    article_id = next(a for a in ARTICLES if sum(1 for b in REPLICA.article(a).body if type(b).__name__ == "Paragraph") >= 5)
    page = REPLICA.render_article(article_id, layout=Layout(quote=True))
    parsed = parse_article(page.body, REPLICA.url_for(article_id), page.headers)
    assert parsed.body_html.count("<blockquote><p>") == 1
    assert parsed.body_text == REPLICA.expected(article_id)["body_text"]


def test_the_metadata_author_counts_only_when_no_byline_shows_and_never_the_paper():
    for article_id in ARTICLES[:20]:
        layout = Layout(byline_position="metadata_only")
        page = REPLICA.render_article(article_id, layout=layout)
        assert b'name="author" content="B' in page.body  # the CMS names the paper as the author too
        parsed = parse_article(page.body, REPLICA.url_for(article_id), page.headers)
        assert parsed.authors == list(REPLICA.article(article_id).byline.authors)


# --- field health: what a reader sees that the parser did not read --------------------------------

def page_text(article_id: int, layout: Layout = Layout()) -> tuple[str, str]:
    page = REPLICA.render_article(article_id, layout=layout)
    return page.body.decode("utf-8"), REPLICA.url_for(article_id)


def with_meta_line(html: str, meta: str) -> str:
    """The page with its meta line (`<div class="meta">…</div>`) written as `meta` instead."""
    start = html.index('<div class="meta">')
    return html[:start] + meta + html[html.index("</div>", start) + len("</div>"):]


def with_views(count: int = 1) -> list[int]:
    return [a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).views][:count]


def test_a_healthy_page_misses_nothing():
    for article_id in ARTICLES[:30]:
        html, url = page_text(article_id)
        parsed = parse_article(html.encode(), url, {})
        assert parsed.missing == [], (article_id, parsed.warnings)


def test_a_counter_left_for_a_script_to_fill_is_a_missing_view_count():
    article_id = with_views()[0]
    html, url = page_text(article_id)
    shown = REPLICA.view(REPLICA.index_of(article_id)).views[0]
    html = html.replace(f"Lượt xem: {shown}", 'Lượt xem: <span class="js-views"></span>', 1)
    parsed = parse_article(html.encode(), url, {})
    assert parsed.view_count is None and "view_count" in parsed.missing


def test_a_tin_khac_list_left_for_a_script_to_fill_is_missing_related():
    article_id = next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).related)
    html, url = page_text(article_id)
    start = html.index("<h2>Tin khác</h2>") + len("<h2>Tin khác</h2>")
    html = html[:start] + '<div id="related-js"></div>' + html[html.index("</ul>", start) + 5:]
    parsed = parse_article(html.encode(), url, {})
    assert parsed.related == [] and "related" in parsed.missing


def test_an_empty_body_beside_paragraphs_is_never_silent():
    """A photo story whose paragraphs the body reader did not take (here: told it took none)."""
    from crawler.parsing.dateline import read_dateline
    from crawler.parsing.encoding import parse_document
    from crawler.parsing.headline import find_title
    from crawler.parsing.health import field_health
    from crawler.parsing.lines import read_lines
    from crawler.parsing.metadata import read_metadata
    from crawler.parsing.regions import find_regions

    article_id = ARTICLES[4]
    html, url = page_text(article_id)
    parsed = parse_article(html.encode(), url, {})
    doc, encoding = parse_document(html.encode())
    meta = read_metadata(doc)
    regions = find_regions(read_lines(doc, find_title(doc, meta, [])[0]), url)
    dateline = read_dateline(regions, meta)
    assert field_health(parsed, regions, dateline, [], title_from_page=True, encoding=encoding) == ([], [])
    parsed.body_text = ""
    missing, warnings = field_health(parsed, regions, dateline, [], title_from_page=True, encoding=encoding)
    assert missing == ["body_text"] and "paragraph(s) follow the headline" in warnings[0]


def test_a_page_declared_in_the_wrong_code_page_is_read_in_its_own():
    article_id = ARTICLES[6]
    truth = REPLICA.expected(article_id)
    html, url = page_text(article_id)
    # UTF-8 declared as Windows-1258: every byte is UTF-8, with Vietnamese letters: no legacy page does that.
    utf8 = parse_article(html.encode("utf-8"), url, {"Content-Type": "text/html; charset=windows-1258"})
    # Windows-1258 declared as Latin-1: its tone marks would come out as `Ì`, `Þ`, `Ò` after letters.
    from crawler.replica.vietnamese import encode_windows_1258

    legacy = parse_article(encode_windows_1258(html), url, {"Content-Type": "text/html; charset=iso-8859-1"})
    for parsed in (utf8, legacy):
        assert (parsed.title, parsed.body_text, parsed.authors) == (truth["title"], truth["body_text"], truth["authors"])
        assert "encoding" not in parsed.missing


def test_a_page_that_cannot_be_read_right_is_reported():
    article_id = ARTICLES[6]
    html, url = page_text(article_id)
    # UTF-8 with one stray byte, declared Windows-1258: it is read as declared, and every letter is wrong.
    body = html.encode("utf-8").replace(b"<body>", b"<body>\xff", 1)
    parsed = parse_article(body, url, {"Content-Type": "text/html; charset=windows-1258"})
    assert "encoding" in parsed.missing
    assert any("mis-decoded" in warning for warning in parsed.warnings)


def test_no_missing_encoding_on_every_generation_of_the_replica():
    for article_id in ARTICLES[:40]:
        page = REPLICA.render_article(article_id)
        parsed = parse_article(page.body, REPLICA.url_for(article_id), page.headers)
        assert "encoding" not in parsed.missing, (article_id, parsed.warnings)


def test_a_link_that_is_no_url_is_skipped_not_a_crash():
    article_id = next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).related)
    html, url = page_text(article_id)
    broken = html.replace("<h2>Tin khác</h2><ul>", '<h2>Tin khác</h2><ul><li><a href="http://[oops/">Lỗi</a></li>', 1)
    broken = broken.replace('<ul class="menu">', '<ul class="menu"><li><a href="http://[oops/">Lỗi</a></li>', 1)
    assert broken.count("http://[oops/") == 2
    parsed = parse_article(broken.encode(), url, {})
    assert parsed.related == parse_article(html.encode(), url, {}).related
    assert parsed.category == REPLICA.article(article_id).category.name


def test_the_spider_skips_a_link_that_is_no_url():
    from scrapy.http import HtmlResponse

    from crawler.spiders.baodienbienphu import page_links

    body = b'<a href="/tin-tuc/xa-hoi/">A</a><a href="http://[oops/">B</a><a href="https://x.vn/y">C</a>'
    response = HtmlResponse("https://baodienbienphu.vn/", body=body, encoding="utf-8")
    assert list(page_links(response)) == ["https://baodienbienphu.vn/tin-tuc/xa-hoi/", "https://x.vn/y"]


def test_a_box_under_a_heading_the_vocabulary_does_not_know_ends_the_body():
    article_id = next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).related
                      and REPLICA.article(a).byline.form == "name")
    html, url = page_text(article_id)
    teasers = "".join(f'<li><a href="{link}">{title}</a></li>' for link, title in REPLICA.view(REPLICA.index_of(ARTICLES[1])).related[:3])
    box = f'<div class="box"><h3>Tin hay trong tuần</h3><ul>{teasers}</ul></div>'
    at = html.index('<div class="content">')
    end = html.index("\n", html.index('<div class="author">', at))
    boxed = html[:end] + box + html[end:]
    parsed, truth = parse_article(boxed.encode(), url, {}), REPLICA.expected(article_id)
    assert (parsed.body_text, parsed.authors) == (truth["body_text"], truth["authors"])
    assert [r.url for r in parsed.related] == [r["url"] for r in truth["related"]]


def test_a_caption_written_before_its_photo():
    import re

    article_id = next(a for a in ARTICLES if any(i.caption for i in REPLICA.article(a).images))
    html, url = page_text(article_id, Layout(photo_form="figure"))
    swapped = re.sub(r"<figure>(<img [^>]*>)(<figcaption>.*?</figcaption>)</figure>", r"<figure>\2\1</figure>", html)
    assert swapped != html
    parsed, truth = parse_article(swapped.encode(), url, {}), REPLICA.expected(article_id)
    assert [(i.src, i.caption, i.credit) for i in parsed.images] == [
        (i["src"], i["caption"], i["credit"]) for i in truth["images"]]
    assert parsed.body_text == truth["body_text"]


def test_dates_split_over_a_definition_list_and_glued_by_css():
    article_id = next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).shows_update)
    spec = REPLICA.article(article_id)
    html, url = page_text(article_id)
    published, updated = spec.published_at, spec.updated_at
    listing = (f"<dl><dt>Ngày đăng</dt><dd>{published:%d/%m/%Y}</dd><dd>{published:%H:%M}</dd>"
               f"<dt>Cập nhật</dt><dd>{updated:%d/%m/%Y %H:%M}</dd></dl>")
    parsed = parse_article(with_meta_line(html, listing).encode(), url, {})
    assert (parsed.published_at, parsed.updated_at) == (published, updated)
    labelled = f"<dl><dt>Ngày đăng:</dt><dd>{published:%d/%m/%Y}</dd><dt>Giờ:</dt><dd>{published:%H:%M}</dd></dl>"
    assert parse_article(with_meta_line(html, labelled).encode(), url, {}).published_at == published
    glued = f'<div class="meta"><span>{published:%H:%M}</span><span>{published:%d/%m/%Y}</span></div>'
    parsed = parse_article(with_meta_line(html, glued).encode(), url, {})
    assert parsed.published_at == published


# --- forms a third held-out test found (hand-written pages of other sites' kinds) ------------------

def _named_with_views() -> int:
    return next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).views and REPLICA.article(a).byline.form == "name")


def _without_category(article_id: int) -> tuple[str, str]:
    """The page with its section shown nowhere: no breadcrumb, no metadata, under a URL naming none."""
    html, _ = page_text(article_id, Layout(category_display="none", metadata="none"))
    return html, f"http://127.0.0.1/bai-viet/{article_id}/bai"


def test_a_counter_before_its_label_beside_another_count_after_it():
    # `37 lượt xem0 bình luận` (two spans, no space): the number after the label counts comments.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    shown = REPLICA.view(REPLICA.index_of(article_id)).views[0]
    counters = f'<span class="v">{shown} lượt xem</span><span class="c">0 bình luận</span>'
    parsed = parse_article(html.replace(f"Lượt xem: {shown}", counters, 1).encode(), url, {})
    assert parsed.view_count == REPLICA.expected(article_id)["view_count"] != 0


@pytest.mark.parametrize("unit", [" (Văn phòng Tỉnh ủy)", " (Hội Nông dân huyện)"])
def test_a_closing_byline_with_the_authors_unit(unit):
    # `<b>Phạm Quang</b> (Văn phòng Tỉnh ủy)`: a government portal's byline names where the author works.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth = REPLICA.expected(article_id)
    name = truth["authors"][0]
    signed = html.replace(f"<p><strong>{name}</strong></p>", f"<p><strong>{name}</strong>{unit}</p>", 1)
    assert signed != html
    parsed = parse_article(signed.encode(), url, {})
    assert (parsed.authors, parsed.author_role, parsed.body_text) == ([name], unit.strip(" ()"), truth["body_text"])


def test_a_slogan_after_a_place_name_is_no_byline():
    # `Điện Biên - Hội nhập và phát triển` closing the body (a series' slogan): `Hội nhập` is a word,
    # not the `Hội` of a unit's name.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth = REPLICA.expected(article_id)
    for slogan in ("Điện Biên - Hội nhập và phát triển", "Điện Biên (Hội nhập và phát triển)"):
        unsigned = html.replace(f"<p><strong>{truth['authors'][0]}</strong></p>", f"<p>{slogan}</p>", 1)
        parsed = parse_article(unsigned.encode(), url, {})
        assert (parsed.authors, parsed.author_role) == ([], None), slogan
        assert parsed.body_text == truth["body_text"] + "\n\n" + slogan


def test_an_interviewer_credit_on_the_meta_line():
    # `Ngọc Anh (thực hiện) - 30/11/2026 20:15`: who conducted the interview, beside the date.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth, published = REPLICA.expected(article_id), REPLICA.article(article_id).published_at
    html = html.replace(f"<p><strong>{truth['authors'][0]}</strong></p>", "", 1)
    meta = f'<p class="byline">{truth["authors"][0]} (thực hiện) - {published:%d/%m/%Y %H:%M}</p>'
    parsed = parse_article(with_meta_line(html, meta).encode(), url, {})
    assert (parsed.published_at, parsed.authors) == (published, truth["authors"])


def test_a_wordpress_meta_line_with_a_worded_month_in_an_abbr_and_links():
    # `Đăng ngày <abbr class="published" title="…">28 Tháng Mười Một, 2026</abbr> trong <a>Văn hóa</a>
    # bởi <a>Thu Hương</a>`: the clock in the abbr's title, the section (one the menu lists) and the
    # author as links.
    article_id = _named_with_views()
    html, url = _without_category(article_id)
    truth, published = REPLICA.expected(article_id), REPLICA.article(article_id).published_at
    months = {1: "Một", 2: "Hai", 3: "Ba", 4: "Tư", 5: "Năm", 6: "Sáu", 7: "Bảy", 8: "Tám", 9: "Chín", 10: "Mười",
              11: "Mười Một", 12: "Mười Hai"}
    html = html.replace(f"<p><strong>{truth['authors'][0]}</strong></p>", "", 1)
    meta = (f'<div class="entry-meta">Đăng ngày <abbr class="published" title="{published.isoformat()}">'
            f'{published.day} Tháng {months[published.month]}, {published.year}</abbr> trong '
            f'<a href="/category/chuyen-muc/" rel="category tag">{truth["category"]}</a> bởi '
            f'<span class="author vcard"><a class="url fn n" href="/author/x/">{truth["authors"][0]}</a></span></div>')
    parsed = parse_article(with_meta_line(html, meta).encode(), url, {})
    assert (parsed.published_at, parsed.category, parsed.authors, parsed.sapo) == (
        published, truth["category"], truth["authors"], truth["sapo"])


def test_microdata_dates_in_the_body_are_metadata():
    # `<meta itemprop="dateModified" content="…">` inside the article's item, where no JSON-LD says it;
    # a teaser's or a comment's item is not the article's.
    article_id = next(a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).shows_update)
    html, url = page_text(article_id, Layout(metadata="none"))
    spec = REPLICA.article(article_id)
    updated_shown = html.index("Cập nhật")
    start = html.rindex("|", 0, updated_shown)  # the meta line without its update, the update in microdata
    end = html.index("</div>", updated_shown)
    page = html[:start] + html[end:]
    stated = f'<meta itemprop="dateModified" content="{spec.updated_at.isoformat()}">'
    # A teaser's item before the article's, and a comment's inside it, state dates of their own.
    teaser = ('<div itemscope itemtype="https://schema.org/NewsArticle"><a href="/tin-tuc/khac/1/bai">Bài khác</a>'
              '<meta itemprop="dateModified" content="2019-01-01T00:00:00+07:00"></div>')
    comment = ('<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
               '<meta itemprop="dateModified" content="2030-01-01T00:00:00+07:00"></div>')
    wrapped = page.replace("<h1", f'{teaser}<div itemscope itemtype="https://schema.org/NewsArticle">{comment}'
                                  f'{stated}<h1', 1).replace('<div class="comments">', '</div><div class="comments">', 1)
    assert parse_article(wrapped.encode(), url, {}).updated_at == spec.updated_at
    alone = page.replace("<h1", teaser + "<h1", 1)  # the teaser's item alone: no date of this article's
    assert parse_article(alone.encode(), url, {}).updated_at != datetime(2019, 1, 1, tzinfo=spec.updated_at.tzinfo)


def test_a_recent_posts_box_after_the_body_is_no_body():
    article_id = _named_with_views()
    html, url = page_text(article_id)
    teasers = "".join(f'<a href="{link}"><img src="/t.jpg"><p>{title}</p></a>'
                      for link, title in REPLICA.view(REPLICA.index_of(ARTICLES[1])).related[:3])
    box = f'<div class="recent"><h2>Bài viết gần đây</h2>{teasers}</div>'
    at = html.index('<div class="comments">')
    parsed, truth = parse_article((html[:at] + box + html[at:]).encode(), url, {}), REPLICA.expected(article_id)
    assert parsed.body_text == truth["body_text"]


def test_related_cards_with_summaries_linking_another_sites_addresses():
    # `Bài viết liên quan` as cards (a headline link over a summary paragraph), linking article
    # addresses of a shape the paper's grammar does not know (`/slug-10312210.html`, at the root):
    # the summaries are no body text, and every card is a related link.
    article_id = next(a for a in ARTICLES if len(REPLICA.view(REPLICA.index_of(a)).related) >= 3)
    html, url = page_text(article_id)
    truth = REPLICA.expected(article_id)
    links = [(f"https://baonghean.vn/{REPLICA.article(a).slug}-{10312000 + n}.html", REPLICA.article(a).title)
             for n, a in enumerate(ARTICLES[1:4])]
    cards = "".join(f'<div class="card"><img src="/thumb/{n}.jpg"><h3><a href="{link}">{title}</a></h3>'
                    f"<p>Sáng 20/11, đoàn công tác của tỉnh đã kiểm tra tiến độ tại cơ sở và làm việc với huyện.</p></div>"
                    for n, (link, title) in enumerate(links))
    start = html.index('<div class="other">')
    end = html.index('<div class="comments">')
    page = html[:start] + f'<section class="related"><h2>Bài viết liên quan</h2>{cards}</section>' + html[end:]
    parsed = parse_article(page.encode(), url, {})
    assert [r["url"] for r in parsed.to_dict()["related"]] == [link for link, _ in links]
    assert parsed.body_text == truth["body_text"] and parsed.authors == truth["authors"]


@pytest.mark.parametrize("stated", ["the site's name", "nothing"])
def test_a_headline_in_h2_under_an_empty_logo_h1_when_the_metadata_names_only_the_site(stated):
    # The logo's <h1> holds an image; og:title and <title> say the site's name (one the vocabulary
    # does not know, given by the logo's link and og:site_name), or nothing: the headline is the
    # first <h2> that reads as one.
    import re

    article_id = _named_with_views()
    html, url = page_text(article_id, Layout(headline_tag="h2", logo_h1=True, metadata="og_only"))
    truth = REPLICA.expected(article_id)
    site = "Báo Tây Nguyên điện tử" if stated == "the site's name" else ""
    html = re.sub(r'<h1 class="logo">.*?</h1>', f'<h1 class="logo"><a href="/" title="{site}"><img src="/logo.png" alt="{site}"></a></h1>', html)
    html = re.sub(r"<title>.*?</title>", f"<title>{site}</title>", html).replace('<h2 class="t">', "<h2>", 1)
    html = re.sub(r'<meta property="og:title" content="[^"]*">', f'<meta property="og:title" content="{site}">'
                  f'<meta property="og:site_name" content="{site}">', html)
    parsed = parse_article(html.encode(), url, {})
    assert (parsed.title, parsed.body_text, parsed.authors) == (truth["title"], truth["body_text"], truth["authors"])


def test_a_print_view_with_the_articles_address_after_its_byline():
    # A print view: `Ngày 25/11/2026 - 15:20` over the text, the byline in bold at the end, then
    # `Địa chỉ bài viết: https://…`. The address line is furniture (the byline is still the body's
    # last line); with no byline at all, the date's word `Ngày` is no author's name.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth, published = REPLICA.expected(article_id), REPLICA.article(article_id).published_at
    html = with_meta_line(html, f"<div>Ngày {published:%d/%m/%Y - %H:%M}</div>")
    byline = f"<p><strong>{truth['authors'][0]}</strong></p></div>"
    with_address = html.replace(byline, f"{byline}<div><small>Địa chỉ bài viết: {url}</small></div>", 1)
    parsed = parse_article(with_address.encode(), url, {})
    assert (parsed.authors, parsed.body_text, parsed.published_at) == (truth["authors"], truth["body_text"], published)
    unsigned = parse_article(html.replace(f"<p><strong>{truth['authors'][0]}</strong></p>", "", 1).encode(), url, {})
    assert unsigned.authors == [] and unsigned.published_at == published


def test_print_and_email_buttons_under_the_byline_and_a_plural_heading_over_the_list():
    # Joomla's `In Email` buttons right under the closing byline (the print link's address looks like
    # an article's: `/giao-duc/412-truong-thcs-hung-hoa?print=1`), then `Các bài viết khác`.
    article_id = next(a for a in ARTICLES if REPLICA.article(a).byline.form == "name" and REPLICA.view(REPLICA.index_of(a)).related)
    html, url = page_text(article_id, Layout(related_heading="h2"))
    truth = REPLICA.expected(article_id)
    byline = f"<p><strong>{truth['authors'][0]}</strong></p></div>"
    slug = "-".join(REPLICA.article(article_id).slug.split("-")[:4])
    buttons = (f'<div class="buttonheading"><a href="/giao-duc/{article_id}-{slug}?tmpl=component&amp;print=1" '
               f'title="In">In</a> <a href="/component/mailto/?tmpl=component&amp;link=abc">Email</a></div>')
    html = html.replace(byline, byline + buttons, 1).replace("<h2>Tin khác</h2>", "<h2>Các bài viết khác</h2>", 1)
    parsed = parse_article(html.encode(), url, {}).to_dict()
    assert (parsed["authors"], parsed["body_text"], parsed["related"]) == (truth["authors"], truth["body_text"], truth["related"])


def test_a_portals_table_of_fields_closing_the_article():
    # A government portal's table under the text: `Tác giả:`, `Nguồn:`, `Người đăng:` (who uploaded
    # it): the writer is the author, the source the source, and no field is body text.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth = REPLICA.expected(article_id)
    rows = "".join(f'<tr><td style="text-align:right"><strong>{label}:</strong> {value}</td></tr>' for label, value in (
        ("Tác giả", truth["authors"][0]), ("Nguồn", "Sở Nông nghiệp và Môi trường"), ("Người đăng", "Nông Thị Hà")))
    html = html.replace(f"<p><strong>{truth['authors'][0]}</strong></p>", f"<table>{rows}</table>", 1)
    parsed = parse_article(html.encode(), url, {})
    assert (parsed.authors, parsed.source, parsed.body_text) == (truth["authors"], "Sở Nông nghiệp và Môi trường",
                                                                 truth["body_text"])


def test_a_gallerys_thumbnail_strip_and_an_authors_avatar_are_no_photos():
    # A slider's strip of thumbnails (`width="90"`) repeating its photos, and an author box: an
    # avatar (`width="48"`) beside a link to the author's page. Neither is an article photo; the
    # avatar's name is the byline.
    article_id = next(a for a in ARTICLES if REPLICA.article(a).images and REPLICA.article(a).byline.form == "name")
    html, url = page_text(article_id)
    truth = REPLICA.expected(article_id)
    name = truth["authors"][0]
    strip = "".join(f'<div class="thumb"><img src="/uploads/thumb_{n}.jpg" alt="" width="90"></div>' for n in range(4))
    box = (f'<div class="author-box"><img src="/uploads/avatars/a.jpg" alt="{name}" class="avatar" width="48" '
           f'height="48"><a href="/tac-gia/a" class="author-name">{name}</a></div>')
    html = html.replace(f'<div class="author"><p><strong>{name}</strong></p></div>', f'<div class="thumbs">{strip}</div>{box}', 1)
    parsed = parse_article(html.encode(), url, {}).to_dict()
    assert (parsed["images"], parsed["authors"], parsed["body_text"]) == (truth["images"], truth["authors"], truth["body_text"])


def _named_with_related() -> int:
    return next(a for a in ARTICLES if REPLICA.article(a).byline.form == "name" and REPLICA.view(REPLICA.index_of(a)).related)


@pytest.mark.parametrize("after", [' <span>1.234 lượt xem</span>', " (18/11/2026)"])
def test_a_related_item_with_its_count_or_date_is_no_share_row(after):
    # The share row that ends the list is buttons; an item's counter or date beside its title is not.
    article_id = _named_with_related()
    html, url = page_text(article_id, Layout(related_list="ul"))
    truth = REPLICA.expected(article_id)
    html = html.replace("</a></li>", f"</a>{after}</li>")
    parsed = parse_article(html.encode(), url, {}).to_dict()
    assert parsed["related"] == truth["related"]


def test_a_dated_line_with_trong_and_a_section_link_inside_the_text_or_after_it():
    # `08:00 ngày 22/11/2026: Thi đấu trong <a>Hội thao</a>` as a programme's item, `Khai mạc … trong
    # <a>…</a>` as a caption, and a widget's `20/11/2026 trong <a>Thể thao</a>` after the article are
    # text and teasers: only right after the date on the meta line does `trong` introduce the section.
    article_id = _named_with_related()
    html, url = page_text(article_id, Layout(related_list="ul"))
    truth = REPLICA.expected(article_id)
    programme = ('<ul><li>08:00 ngày 22/11/2026: Thi đấu trong <a href="/tin-tuc/the-thao/">Hội thao các dân tộc</a></li>'
                 '<li>20:00 ngày 22/11/2026: Bế mạc trong <a href="/tin-tuc/van-hoa/">Tuần Văn hóa</a></li></ul>')
    widget = '<div class="widget"><div class="post-meta">20/11/2026 trong <a href="/tin-tuc/the-thao/">Thể thao</a></div></div>'
    at = html.index('<div class="author">')
    html = html[:at] + programme + html[at:]
    at = html.index('<div class="comments">')
    parsed = parse_article((html[:at] + widget + html[at:]).encode(), url, {})
    assert parsed.category == truth["category"]
    assert parsed.body_text.endswith("Bế mạc trong Tuần Văn hóa") and parsed.authors == truth["authors"]


def test_a_link_inside_the_lead_to_another_sites_article_is_no_teaser():
    # `ĐBP - Thực hiện <a href="https://baochinhphu.vn/…-102261120123.htm">Chỉ thị …</a>, …`: a link in
    # running text, however its address looks, leaves the paragraph the lead.
    import re

    article_id = _named_with_views()
    html, url = page_text(article_id, Layout(lead_style="mark_p"))
    truth = REPLICA.expected(article_id)
    head, _, rest = html.partition("<body>")
    lead = re.search(r"<p>ĐBP - ((?:\S+ ){3})((?:\S+ ){3})", rest)
    assert lead, "the lead's paragraph"
    link = f'<a href="https://baochinhphu.vn/thu-tuong-chi-thi-day-nhanh-giai-ngan-102261120123.htm">{lead[2].strip()}</a> '
    rest = rest[:lead.start(2)] + link + rest[lead.end(2):]
    parsed = parse_article((head + "<body>" + rest).encode(), url, {})
    assert (parsed.sapo, parsed.body_text) == (truth["sapo"], truth["body_text"])


@pytest.mark.parametrize("page", ["about", "section_before"])
def test_second_rank_headings_without_an_h1(page):
    # No <h1> and metadata naming only the site: an undated page (an about page, a soft 404) is no
    # article; a section's name in an <h2> over the headline's <h2> is not the headline.
    import re

    article_id = _named_with_views()
    html, url = page_text(article_id, Layout(headline_tag="h2", metadata="og_only", html_title="section_title"))
    truth = REPLICA.expected(article_id)
    html = re.sub(r'<meta property="og:title" content="[^"]*">', '<meta property="og:title" content="Báo Điện Biên Phủ">', html)
    html = re.sub(r"<title>.*?</title>", "<title>Báo Điện Biên Phủ</title>", html).replace('<h2 class="t">', "<h2>", 1)
    if page == "about":
        html = with_meta_line(html, "")
        with pytest.raises(NotAnArticle):
            parse_article(html.encode(), "http://127.0.0.1/gioi-thieu", {})
    else:
        html = html.replace("<h2>", f'<h2 class="cat">{truth["category"]} - Xã hội</h2><h2>', 1)
        assert parse_article(html.encode(), url, {}).title == truth["title"]


def test_a_wordpress_byline_beside_its_comments_link_and_an_advert_label():
    # `… bởi <a>Lò Thị Hương</a> <a href="#comments">3 bình luận</a>` on the meta line (the count of
    # comments cut as the views' is), `Chia sẻ: Facebook X` and an advert's `Quảng cáo` in the body.
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth, published = REPLICA.expected(article_id), REPLICA.article(article_id).published_at
    name = truth["authors"][0]
    html = html.replace(f"<p><strong>{name}</strong></p>", "", 1)
    meta = (f'<div class="entry-meta">Đăng ngày {published:%d/%m/%Y} lúc {published:%H:%M} <span class="byline"> bởi '
            f'<a href="/author/x/">{name}</a></span> <span><a href="#comments">3 bình luận</a></span></div>')
    html = with_meta_line(html, meta)
    last = html.rindex("</p>", 0, html.index('<div class="author">'))
    html = html[:last + 4] + '<div class="ad"><span>Quảng cáo</span></div>' + html[last + 4:]
    html = html.replace('<div class="author">', '<div class="sharedaddy"><h3>Chia sẻ:</h3><ul><li><a href="?share=facebook">'
                        'Facebook</a></li><li><a href="?share=twitter">X</a></li></ul></div><div class="author">', 1)
    parsed = parse_article(html.encode(), url, {})
    assert (parsed.authors, parsed.published_at, parsed.body_text) == ([name], published, truth["body_text"])


def test_another_sites_address_names_the_section_its_menu_lists():
    # `/xa-hoi/<article>.html` and a menu linking `/xa-hoi/`: the section is the address's folder, as
    # the menu names it, when the page shows it nowhere else.
    article_id = _named_with_views()
    html, _ = _without_category(article_id)
    truth = REPLICA.expected(article_id)
    slug = REPLICA.article(article_id).category.slug
    url = f"http://127.0.0.1/{slug}/bai-viet-so-{article_id}.html"
    assert parse_article(html.encode(), url, {}).category == truth["category"]
    assert parse_article(html.encode(), f"http://127.0.0.1/2019/01/bai-viet-so-{article_id}/", {}).category is None


def test_a_wordpress_meta_line_with_its_counter_after_the_author_and_the_sites_name_as_a_home_link():
    # `Đăng ngày … bởi <a>Thu Hương</a> <span>1.234 lượt xem</span>` under a logo `<a href="/">Tin Tây
    # Bắc</a>`: the counter's number is no part of the name, and the logo's link names the site, not
    # an author (a new user's trial found both).
    article_id = _named_with_views()
    html, url = page_text(article_id)
    truth, published = REPLICA.expected(article_id), REPLICA.article(article_id).published_at
    name, shown = truth["authors"][0], REPLICA.view(REPLICA.index_of(article_id)).views[0]
    html = html.replace(f"<p><strong>{name}</strong></p>", "", 1)
    meta = (f'<div class="entry-meta"><span>Đăng ngày {published:%d/%m/%Y %H:%M}</span> <span>bởi <a href="/author/x/">'
            f'{name}</a></span>\n<span class="post-views">{shown} lượt xem</span></div>')
    page = with_meta_line(html, meta)
    for logo in ("", '<div class="site-branding"><a href="/">Tin Tây Bắc</a></div>'):
        at = page.index("<h1")
        parsed = parse_article((page[:at] + logo + page[at:]).encode(), url, {})
        assert (parsed.authors, parsed.view_count, parsed.published_at) == ([name], truth["view_count"], published), logo
