"""The parser on layouts it has never met: pages the replica's layout generator composes.

`crawler.replica.layouts` draws, for every block of one article's page, a form a reader could meet
(where the meta line, byline, lead and `Tin khác` sit; which elements carry them; menus, sidebars,
date, clock, counter and caption forms; encodings; photo forms). Every field must come out right on
every layout:

- the property test draws thousands of layouts (hypothesis; a new seed each run, printed on failure
  with the shrunk layout — a failing layout shrinks towards each dimension's plainest option);
- one test per option of every dimension, so a parser that ignores one variation fails by name;
- one test per failure class the parser once had on pages written outside the project.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, note, seed, settings, strategies as st

from crawler.parsing import parse_article
from crawler.replica import Replica
from crawler.replica.layouts import DIMENSIONS, Layout, draw_layout, section_on_meta_line
from crawler.replica.spec import Image, Paragraph

FIELDS = ("title", "category", "published_at", "updated_at", "view_count", "authors", "author_role", "source",
          "photo_credits", "images", "sapo", "body_text", "related")
# A new seed each run (printed on failure); DBP_LAYOUT_SEED repeats one (both checked in conftest.py).
SEED = int(os.environ.get("DBP_LAYOUT_SEED") or random.SystemRandom().randrange(1, 2**32))
EXAMPLES = int(os.environ.get("DBP_LAYOUT_EXAMPLES") or 2000)
# Three epochs on: some articles have been edited (an update time shows) and some taken down.
REPLICA = Replica(seed=7, articles=300, epoch=3)
ARTICLES = REPLICA.live_ids()


def neutral_url(article_id: int) -> str:
    """The article's URL with its section's slug replaced: the category must come from the page
    (a breadcrumb, a label, metadata), not from the address the test happens to know."""
    slug = REPLICA.article(article_id).category.slug
    return REPLICA.url_for(article_id).replace(f"/{slug}/", "/bai-viet/", 1)


def check(article_id: int, layout: Layout) -> dict:
    """Parse the article's page in `layout` under a URL that does not name its section; fail naming
    every wrong field (expected, got)."""
    page = REPLICA.render_article(article_id, layout=layout)
    truth = REPLICA.expected_in_layout(article_id, layout)
    if layout.category_display == "none" and layout.metadata != "full" and not section_on_meta_line(layout) \
            and "metadata_only" not in (layout.date_display, layout.byline_position):
        truth["category"] = None  # shown nowhere on the page: only the URL named it
    parsed = parse_article(page.body, neutral_url(article_id), page.headers).to_dict()
    wrong = {key: (truth[key], parsed[key]) for key in FIELDS if parsed[key] != truth[key]}
    assert not wrong, f"article {article_id} in {layout} (layout seed {SEED}): fields differ (expected, got): {wrong}"
    return parsed


LAYOUTS = st.builds(Layout, **{name: st.sampled_from(options) for name, options in DIMENSIONS.items()})


@seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(layout=LAYOUTS, position=st.integers(0, len(ARTICLES) - 1))
def test_every_field_right_on_every_layout(layout, position):
    note(f"layout seed {SEED}: DBP_LAYOUT_SEED={SEED} repeats this run")
    check(ARTICLES[position], layout)


@pytest.mark.parametrize("dimension,option", [(d, o) for d, options in DIMENSIONS.items() for o in options])
def test_each_option_of_each_dimension(dimension, option):
    """Six layouts with the option forced and everything else drawn: a parser that ignores this one
    variation fails here by name."""
    rng = random.Random(f"{SEED}/{dimension}/{option}")
    for _ in range(6):
        check(rng.choice(ARTICLES), replace(draw_layout(rng), **{dimension: option}))


def some_articles(count: int = 10, **wanted) -> list[int]:
    """Articles of every generation and byline form, filtered by spec attributes when asked."""
    chosen = [a for a in ARTICLES if all(getattr(REPLICA.article(a), k) == v for k, v in wanted.items())]
    step = max(1, len(chosen) // count)
    return chosen[::step][:count]


# --- the failure classes (each a page shape that once broke the parser) -------------------------------

def test_a_counter_above_the_headline():
    for article_id in some_articles():
        parsed = check(article_id, Layout(meta_position="split_counter_above"))
        assert parsed["view_count"] == REPLICA.expected(article_id)["view_count"]


def test_an_unlinked_category_label_with_the_menu_right_before_the_headline():
    for article_id in some_articles():
        parsed = check(article_id, Layout(category_display="label", menu="ul"))
        assert parsed["category"] == REPLICA.article(article_id).category.name


@pytest.mark.parametrize("comments", [0, 40, 60])
def test_tin_khac_as_an_inline_bold_heading_after_the_comments_beside_a_most_read_sidebar(comments):
    layout = Layout(related_heading="b_inline", related_list="inline", related_position="after_comments",
                    comments=comments, sidebar_right="Đọc nhiều", sidebar_heading="inline")
    for article_id in some_articles():
        parsed = check(article_id, layout)
        assert [r["url"] for r in parsed["related"]] == [url for url, _ in REPLICA.view(REPLICA.index_of(article_id)).related]



def test_a_meta_line_with_everything_on_it():
    """Both dates worded with weekday, label, 12-hour clock and zone, the authors, the counter and
    `In bài` on one line: longer than a meta line usually runs, still no paragraph."""
    layout = Layout(meta_position="above", meta_element="spans", byline_position="meta_line", date_form="worded",
                    clock="12_words", weekday="numbered", date_label="Ngày đăng:", gmt=True, print_link=True)
    edited = [a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).shows_update]
    for article_id in [a for a in edited if REPLICA.article(a).byline.form == "two_authors"][:4] + edited[:6]:
        parsed = check(article_id, layout)
        assert parsed["published_at"] and parsed["updated_at"]

@pytest.mark.parametrize("time_element", [False, True])
def test_the_dateline_after_the_lead(time_element):
    for article_id in some_articles():
        check(article_id, Layout(meta_position="after_lead", time_element=time_element))


@pytest.mark.parametrize("clock", ["12_sa_ch", "12_am_pm", "12_sa_ch_s"])
def test_a_twelve_hour_clock_in_the_afternoon(clock):
    afternoon = [a for a in ARTICLES if REPLICA.article(a).published_at.hour >= 13][:8]
    assert afternoon
    for article_id in afternoon:
        parsed = check(article_id, Layout(clock=clock))
        assert int(parsed["published_at"][11:13]) >= 13


def test_an_author_whose_name_is_a_link():
    for article_id in some_articles(12):
        for position in ("bottom_apart", "top_below_title", "below_container"):
            check(article_id, Layout(byline_linked=True, byline_position=position))


@pytest.mark.parametrize("script_kb", [40, 70])
def test_windows_1258_declared_nowhere_after_long_scripts(script_kb):
    """The first 64 KB or more are script: the encoding is decided on the whole document."""
    for article_id in some_articles():
        layout = Layout(encoding="cp1258_none", leading_script_kb=script_kb)
        page = REPLICA.render_article(article_id, layout=layout)
        assert b"charset" not in page.body.lower() and "charset" not in page.headers["Content-Type"]
        if script_kb == 70:
            assert page.body.index(b"<title") > 64 * 1024
        parsed = check(article_id, layout)
        assert "encoding" not in parse_article(page.body, parsed["url"], page.headers).missing


def test_utf16_told_by_its_byte_order_mark_alone():
    """A page saved as "Unicode" (UTF-16, a NUL beside every ASCII letter) with no charset declared
    anywhere: its byte-order mark decides, and its NUL bytes are no sign of binary data."""
    for article_id in some_articles():
        layout = Layout(encoding="utf16_bom", leading_script_kb=8)
        page = REPLICA.render_article(article_id, layout=layout)
        assert page.body[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in page.body[:4096]
        assert "charset" not in page.headers["Content-Type"]
        parsed = check(article_id, layout)
        assert not parsed["warnings"]


def test_logo_as_h1_headline_in_h2_byline_and_date_above_it_italic_lead():
    layout = Layout(logo_h1=True, headline_tag="h2", byline_position="top_above_title", meta_position="above",
                    lead_style="italic_p")
    for article_id in some_articles(12):
        check(article_id, layout)


@pytest.mark.parametrize("photo_form", ["figure", "p_img_em", "div_wrapper", "table_cell"])
def test_a_photo_wrapped_in_a_javascript_link(photo_form):
    for article_id in some_articles(10):
        check(article_id, Layout(image_link="javascript", photo_form=photo_form))


def test_a_photo_table_inside_the_paragraphs_container():
    with_photos = [a for a in ARTICLES if len(REPLICA.article(a).images) >= 2][:10]
    for article_id in with_photos:
        parsed = check(article_id, Layout(photo_table=True))
        assert len(parsed["images"]) >= 2 and parsed["body_text"]


# --- forms met on hand-written pages in other sites' styles (WordPress, AMP, newer CMSs) -------------

def test_a_permalinked_date_with_linked_authors_beside_it():
    """WordPress's `posted-on`: the date is a link to the page itself, the authors' names link to
    their pages. Neither is another article's teaser, nor a breadcrumb (the date's slashes are no
    trail), wherever the meta line stands."""
    for article_id in some_articles(10):
        for position in ("below", "above", "after_lead", "under_body"):
            check(article_id, Layout(date_link=True, byline_position="meta_line", byline_linked=True,
                                     meta_position=position, category_display="breadcrumb_home"))


@pytest.mark.parametrize("machine", ["time_element", "metadata", "none"])
def test_a_date_shown_without_its_clock(machine):
    """`01/12/2026` alone: the time comes from `<time datetime>` or the metadata when they state it
    for that day, else the day's midnight."""
    layout = Layout(clock_shown=False, time_element=machine == "time_element",
                    metadata="full" if machine == "metadata" else "og_only")
    for article_id in some_articles():
        parsed = check(article_id, layout)
        published = REPLICA.article(article_id).published_at
        expected = published.replace(hour=0, minute=0, second=0) if machine == "none" else published
        assert parsed["published_at"] == expected.isoformat(timespec="seconds")


@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("related_list", ["ul", "divs"])
def test_a_byline_after_the_article_s_own_list_inside_its_container(related_list, linked):
    """`<div class="content">…<div>Tin liên quan</div><ul>…</ul><div>Thanh Hùng</div></div>`: the list
    is the related links and the name after it, in the article's container, is the byline."""
    articles = [a for a in some_articles(40) if REPLICA.expected(a)["related"] and REPLICA.expected(a)["authors"]]
    for article_id in articles[:10]:
        check(article_id, Layout(byline_after_box=True, byline_position="bottom_apart", byline_linked=linked,
                                 related_position="before_comments", related_list=related_list, comments=3))


def test_a_time_element_stating_the_day_alone_leaves_the_clock_to_the_metadata():
    """`<time datetime="2026-11-05">5 thg 11, 2026</time>` and `article:published_time` with the
    clock: the metadata's time, not the day's midnight."""
    for article_id in some_articles():
        parsed = check(article_id, Layout(clock_shown=False, time_element=True, time_element_day=True,
                                          date_form="thg", metadata="full"))
        assert parsed["published_at"] == REPLICA.article(article_id).published_at.isoformat(timespec="seconds")


@pytest.mark.parametrize("reading_time", DIMENSIONS["reading_time"][1:])
@pytest.mark.parametrize("position", ["below", "after_lead", "under_body"])
def test_a_reading_time_on_the_meta_line(reading_time, position):
    """`Đọc nhanh 3 phút` beside the date and authors: furniture, never body text, role or a word
    that makes the meta line a paragraph."""
    for article_id in some_articles(6):
        check(article_id, Layout(reading_time=reading_time, meta_position=position, byline_position="meta_line"))
        check(article_id, Layout(reading_time=reading_time, meta_position=position, date_display="none"))


def test_photos_in_amp_img():
    with_photos = [a for a in ARTICLES if REPLICA.article(a).images][:10]
    for photo_form in DIMENSIONS["photo_form"]:
        for article_id in with_photos:
            parsed = check(article_id, Layout(image_element="amp-img", photo_form=photo_form))
            assert parsed["images"]


def test_a_tags_label_as_plain_text_ends_the_article_before_the_byline_under_it():
    """`<div>Từ khóa: <a>…</a></div>` after a byline: the label heads its links as a bold one does."""
    tagged = [a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).traits.tags][:10]
    assert tagged
    for article_id in tagged:
        for form in ("plain", "plain_one"):
            check(article_id, Layout(tags=True, tags_label=form, byline_position="below_container"))


@pytest.mark.parametrize("label", DIMENSIONS["meta_byline_label"][1:])
@pytest.mark.parametrize("linked", [False, True])
def test_authors_after_bởi_on_the_meta_line(label, linked):
    """WordPress's `… 01/12/2026 bởi <a>Ngọc Ánh</a>`, and `Đăng bởi A, B` on a line of its own when
    no date is shown: the authors, never the category or the body's text."""
    for article_id in some_articles(10):
        for date_display in ("shown", "none"):
            check(article_id, Layout(byline_position="meta_line", meta_byline_label=label, byline_linked=linked,
                                     date_display=date_display, date_link=True))


# What the property test drew with layout seed 36: a meta line after the lead holding only the
# byline and print words (`Đăng bởi Quang Hưng, Hà Linh | In bài`), the date in no element.
SEED_36 = dict(
    meta_position="after_lead", meta_element="spans", date_display="metadata_only", byline_position="meta_line",
    related_position="after_comments", comments=12, headline_tag="h2", logo_h1=False, wrappers=3,
    wrapper_kind="table", lead_style="strong_in_p", lead_mark="ĐBP - ", subheading_tag="h3", related_heading="div",
    related_list="p_br", byline_linked=False, byline_wording="variant", byline_elements="glued_spans",
    paragraph_form="br", body_sections=False, quote=False, menu="ul", category_display="breadcrumb_sep",
    sidebar_left="Tin cùng chuyên mục", sidebar_right="Tin mới", sidebar_heading="block", teasers_under_headline=0,
    share_bar="bottom", comments_inside_body=False, tags=False, zoom_widget=False, date_form="dd/mm/yyyy",
    clock="24h_letter", date_order="time_first", weekday="numbered", date_label="Thời gian:", gmt=True,
    counter_form="label_colon", print_link=True, time_element=False, caption_form="own_line", encoding="utf-8",
    leading_script_kb=8, nfd=False, eth=False, photo_form="p_img_em", photo_table=True, lazy_images=True,
    image_link="none", metadata="none", clock_shown=False, date_link=True, reading_time="none",
    tags_label="plain_one", image_element="img", html_title="section_title", meta_byline_label="Đăng bởi",
    post_navigation=False, menu_lists_category=True)


def test_a_permalinked_date_above_the_headline_beside_linked_authors():
    """`<a rel=bookmark>10:53 - 10/08/2022 (GMT+7)</a> | bởi <a>Trần Thanh</a>, <a>Việt Hà</a>`: the
    authors' links name no other article, so the line is still the dateline (layout seed 2070509966)."""
    layout = dict(SEED_36, meta_position="split_date_above", meta_element="div", date_display="shown",
                  byline_linked=True, byline_elements="blocks", byline_wording="as_written", wrappers=0,
                  clock="24", date_order="time_first", weekday="none", date_label="none", gmt=True,
                  date_form="dd/mm/yyyy", print_link=False, metadata="og_only", clock_shown=True, date_link=True,
                  meta_byline_label="bởi", headline_tag="h1", lead_style="mark_p", paragraph_form="p")
    for article_id in (172090, *some_articles(5)):
        check(article_id, Layout(**layout))


def test_authors_after_đăng_bởi_beside_print_words_with_no_date_shown():
    """`Đăng bởi A, B | In bài` is a byline beside print words, never the body's first paragraph."""
    for article_id in (171882, *some_articles(5)):
        check(article_id, Layout(**SEED_36))


@pytest.mark.parametrize("related_list", DIMENSIONS["related_list"])
def test_links_to_the_previous_and_next_articles_right_after_tin_khac(related_list):
    """`Bài trước: …` / `Bài sau: …` under the list: navigation, never related links."""
    for article_id in [a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).related][:10]:
        for heading in ("h3", "b_inline"):
            check(article_id, Layout(post_navigation=True, related_list=related_list, related_heading=heading))


@pytest.mark.parametrize("bullet", DIMENSIONS["related_bullet"][1:])
@pytest.mark.parametrize("related_list", DIMENSIONS["related_list"])
def test_a_bullet_typed_into_each_related_link_is_no_part_of_its_title(bullet, related_list):
    for article_id in some_articles(4):
        parsed = check(article_id, Layout(related_bullet=bullet, related_list=related_list))
        assert [r["title"] for r in parsed["related"]] == [t for _, t in REPLICA.view(REPLICA.index_of(article_id)).related]


@pytest.mark.parametrize("position", DIMENSIONS["related_position"])
def test_xem_them_as_the_heading_of_the_article_s_own_list(position):
    """`<strong>Xem thêm:</strong>` over the links: the related list, and no line of the body; a
    `Xem thêm` link (more of a sidebar's list) stays a link."""
    for article_id in [a for a in ARTICLES if REPLICA.view(REPLICA.index_of(a)).related][:10]:
        for related_list in DIMENSIONS["related_list"]:
            check(article_id, Layout(related_heading="xem_them", related_list=related_list, related_position=position))


@pytest.mark.parametrize("display", ["link", "breadcrumb_sep"])
def test_a_section_link_over_the_headline_that_no_menu_lists(display):
    """A subsection's article under a menu of top sections: the lone section link over the headline,
    or a breadcrumb ending in a title with digits, is the category; an author's linked name beside
    it is not."""
    for article_id in some_articles(12):
        for byline in ("top_above_title", "top_below_title", "bottom_apart"):
            check(article_id, Layout(category_display=display, menu_lists_category=False, metadata="none",
                                     byline_position=byline, byline_linked=True))


@pytest.mark.parametrize("html_title", DIMENSIONS["html_title"])
def test_a_headline_outside_h1_with_only_title_to_confirm_it(html_title):
    """No og:title: <title> names the section (or a site the vocabulary does not know) beside the
    headline, which stands in a cell, a div or a bold paragraph."""
    for headline_tag in ("td", "div", "p_strong"):
        for article_id in some_articles(6):
            check(article_id, Layout(metadata="none", html_title=html_title, headline_tag=headline_tag))


def test_a_section_named_by_its_label_under_the_entry():
    """WordPress's `Chuyên mục: <a>Du lịch</a>` under the body, no breadcrumb, no metadata: the
    category, and no line of the body."""
    for article_id in some_articles(12):
        check(article_id, Layout(category_display="labelled_under_body", metadata="none"))


@pytest.mark.parametrize("metadata", ["full", "none"])
def test_a_page_wholly_inside_an_aspnet_form(metadata):
    """ASP.NET WebForms wraps the whole page, headline and article included, in one `<form>`: a
    form there is the page, not a search or comment box, so nothing is refused or lost."""
    for article_id in some_articles(8):
        check(article_id, Layout(page_form=True, metadata=metadata, wrappers=2, sidebar_left="Đọc nhiều"))


@pytest.mark.parametrize("body_video", DIMENSIONS["body_video"][1:])
def test_a_video_s_caption_is_neither_body_text_nor_a_photo(body_video):
    for article_id in some_articles(8):
        parsed = check(article_id, Layout(body_video=body_video))
        assert "Clip:" not in parsed["body_text"]


@pytest.mark.parametrize("section_path", DIMENSIONS["section_path"][1:])
@pytest.mark.parametrize("display", ["breadcrumb_home", "breadcrumb_sep", "label"])
def test_section_links_two_levels_deep(section_path, display):
    """`/vi/chuyen-muc/van-hoa`: the menu is still a menu and the breadcrumb's link still the section."""
    for article_id in some_articles(6):
        check(article_id, Layout(section_path=section_path, category_display=display, metadata="none"))


def test_english_dates_with_their_weekday_and_a_twelve_hour_clock():
    for article_id in some_articles(8):
        parsed = check(article_id, Layout(date_form="english", weekday="long", clock="12_am_pm", metadata="none"))
        assert parsed["published_at"] == REPLICA.expected(article_id)["published_at"]


# --- the seed article ---------------------------------------------------------------------------------

SEED_FIELDS = {
    "title": "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh",
    "category": "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh",
    "published_at": "2020-08-17T08:33:00+07:00",
    "authors": ["Lỳ Lỳ Xá"],
    "author_role": "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh",
    "photo_credits": ["Minh Thùy"],
}


@pytest.mark.parametrize("layout_seed", range(12))
def test_the_seed_article_in_drawn_layouts(layout_seed):
    seed_replica = Replica(seed=1, articles=50)
    # (shown dates and byline, and a menu listing the section: the seed's known fields are on the page)
    layout = replace(draw_layout(random.Random(layout_seed)), date_display="shown", clock_shown=True,
                     byline_position="bottom_apart", menu_lists_category=True)
    page = seed_replica.render_article(Replica.SEED_ARTICLE_ID, layout=layout)
    truth = seed_replica.expected_in_layout(Replica.SEED_ARTICLE_ID, layout)
    parsed = parse_article(page.body, truth["url"], page.headers).to_dict()
    for key, value in SEED_FIELDS.items():
        assert parsed[key] == value, (key, layout)
    assert parsed["sapo"].startswith("Đổi mới phương thức lãnh đạo")
    assert {key: parsed[key] for key in FIELDS} == {key: truth[key] for key in FIELDS}


# --- content a layout cannot vary: the same generator, the article's view edited -------------------------

def page_of(view, layout: Layout) -> tuple[bytes, dict, dict]:
    """(body, headers, truth) of the view's page in the layout, as the replica serves it."""
    from crawler.replica.layouts import truth_for
    from crawler.replica.pages import article_page

    page = article_page(REPLICA, view, layout=layout)
    return page.body, page.headers, truth_for(view, layout)


@pytest.mark.parametrize("mark", DIMENSIONS["reprint_mark"][1:])
@pytest.mark.parametrize("lead_style", ["bold_p", "italic_p", "described_p"])
def test_another_outlet_s_mark_opening_a_reprint_s_lead_is_not_the_lead(mark, lead_style):
    """A reprint's lead opens with its outlet's mark (`(TTXVN) - `, `TTO – `) as the paper's own
    leads open with `ĐBP - `: the sapo is the lead without it, and the body keeps its first paragraph."""
    reprints = [a for form in ("agency", "republished") for a in some_articles(4, sapo_marked=False)
                if REPLICA.article(a).sapo and REPLICA.article(a).byline.form == form]
    assert len(reprints) >= 3, reprints
    for article_id in reprints:
        parsed = check(article_id, Layout(reprint_mark=mark, lead_style=lead_style))
        assert parsed["sapo"] == REPLICA.article(article_id).sapo


@pytest.mark.parametrize("shortened", DIMENSIONS["title_shortened"][1:])
@pytest.mark.parametrize("headline_tag", ["h2", "h3", "h4"])
@pytest.mark.parametrize("crumb", ["breadcrumb_sep", "link"])
def test_a_heading_s_headline_that_title_and_the_breadcrumb_shorten(shortened, headline_tag, crumb):
    """No `<h1>` but the logo, no metadata: `<title>` (and the crumb, Joomla's) gives the headline's
    first words, perhaps after a place; the heading holding more of them is the headline."""
    layout = Layout(title_shortened=shortened, headline_tag=headline_tag, metadata="none", category_display=crumb,
                    logo_h1=True)
    for article_id in some_articles(8):
        check(article_id, layout)


@pytest.mark.parametrize("headline_tag", ["h2", "h3", "font_td"])
@pytest.mark.parametrize("category_display", ["label", "breadcrumb_home"])
def test_a_headline_that_title_does_not_state(headline_tag, category_display):
    """`<title>` names the site and the section only, no metadata: the headline is the heading (or
    the big type of a page of the 2000s) over the article's text — not the section's label reading
    `<title>`'s words, not a subheading below, not a box of teasers' heading right under it."""
    layout = Layout(html_title="site_section", headline_tag=headline_tag, metadata="none",
                    category_display=category_display, subheading_tag="h2", teasers_under_headline=8)
    for article_id in some_articles(8):
        check(article_id, layout)


@pytest.mark.parametrize("counter_form", ["icon_only", "icon_image"])
@pytest.mark.parametrize("meta_position,meta_element", [("below", "div"), ("under_body", "spans"), ("split_counter_above", "div")])
@pytest.mark.parametrize("byline_position", ["meta_line", "bottom_apart"])
def test_a_counter_drawn_as_an_eye_and_a_number(counter_form, meta_position, meta_element, byline_position):
    """No label: the icon says `Lượt xem`; the number is the count, never a paragraph of the body."""
    layout = Layout(counter_form=counter_form, meta_position=meta_position, meta_element=meta_element,
                    byline_position=byline_position)
    for article_id in some_articles(6):
        parsed = check(article_id, layout)
        assert parsed["view_count"] == REPLICA.expected(article_id)["view_count"]


@pytest.mark.parametrize("meta_position", ["under_body", "after_lead", "below", "above"])
@pytest.mark.parametrize("clock", ["24", "12_sa_ch"])
def test_the_site_s_date_of_today_over_the_headline_is_not_the_article_s(meta_position, clock):
    """A bar with today's date (a day, no clock) right over the headline; the article's own date,
    with its clock, wherever its meta line stands."""
    layout = Layout(today_bar="over_headline", meta_position=meta_position, clock=clock, metadata="none")
    for article_id in some_articles(6):
        parsed = check(article_id, layout)
        assert parsed["published_at"] == REPLICA.expected(article_id)["published_at"]


@pytest.mark.parametrize("ago", ["2 giờ trước", "35 phút trước", "hôm qua"])
def test_linked_authors_beside_a_time_written_as_a_time_ago(ago):
    """`<a>Quang Minh</a> <time datetime="…">2 giờ trước</time>`: the element states the date, the
    line is the meta line, and the linked name beside it is the author."""
    import re

    layout = Layout(byline_position="meta_line", meta_byline_label="", byline_linked=True, time_element=True,
                    metadata="og_only", meta_position="below")
    checked = 0
    for article_id in [a for a in ARTICLES if REPLICA.article(a).byline.form == "name"][:6]:
        page = REPLICA.render_article(article_id, layout=layout)
        html = page.body.decode("utf-8")
        relative = re.sub(r'(<time datetime="[^"]+">).*?(</time>)', rf"\g<1>{ago}\g<2>", html, count=1, flags=re.S)
        assert relative != html
        parsed = parse_article(relative.encode(), neutral_url(article_id), page.headers)
        truth = REPLICA.expected_in_layout(article_id, layout)
        assert parsed.authors == truth["authors"] and parsed.published_at.isoformat() == truth["published_at"]
        checked += 1
    assert checked >= 3


BRIEFS = [a for a in ARTICLES if sum(isinstance(b, Paragraph) for b in REPLICA.article(a).body) <= 2]


@pytest.mark.parametrize("layout", [
    # the counter under the body, the box before a brief's only paragraph: the small container is no teaser
    Layout(meta_position="under_body", related_position="mid_body"),
    Layout(meta_position="under_body", related_position="mid_body", paragraph_form="br", body_sections=True),
    # `In Email` buttons linking an address like an article's, right over the counter
    Layout(meta_position="split_date_above", print_buttons=True, byline_position="bottom_apart",
           counter_form="label_after", comments_inside_body=True),
    # a brief's paragraphs in sections, the byline outside them: its first paragraph is no lead set apart
    Layout(body_sections=True, byline_position="below_container", photo_table=True),
    Layout(body_sections=True, byline_position="bottom_in_last", related_position="mid_body", photo_table=True),
], ids=["box_then_counter", "box_then_counter_br", "print_buttons", "sections", "sections_box"])
def test_a_brief_of_a_paragraph_or_two(layout):
    assert len(BRIEFS) >= 5, BRIEFS
    for article_id in BRIEFS:
        check(article_id, layout)


def test_a_short_first_paragraph_is_body_and_no_lead():
    view = REPLICA.view(REPLICA.index_of(ARTICLES[5]))
    short = "Sáng nay, huyện tổ chức bàn giao nhà."
    edited = replace(view, spec=replace(view.spec, sapo=None, body=(Paragraph(short),) + view.spec.body))
    for layout_seed in range(8):
        layout = replace(draw_layout(random.Random(layout_seed)), paragraph_form="p")
        body, headers, truth = page_of(edited, layout)
        parsed = parse_article(body, truth["url"], headers)
        assert parsed.sapo is None and parsed.body_text == truth["body_text"], layout
        assert parsed.body_text.startswith(short)


def test_no_date_anywhere_is_reported_missing():
    article_id = ARTICLES[3]
    layout = Layout(date_display="none", metadata="none")
    page = REPLICA.render_article(article_id, layout=layout)
    parsed = parse_article(page.body, REPLICA.url_for(article_id), page.headers)
    assert parsed.published_at is None and "published_at" in parsed.missing
    assert REPLICA.article(article_id).published_at.strftime("%d/%m/%Y") not in page.body.decode("utf-8")


def test_a_title_shown_by_no_element_comes_from_metadata_and_is_reported():
    article_id = ARTICLES[8]
    layout = Layout(headline_tag="h1")
    page = REPLICA.render_article(article_id, layout=layout)
    title = REPLICA.article(article_id).title
    body = page.body.decode("utf-8").replace(f'<h1 class="t">{title}</h1>', "", 1)
    assert '<h1 class="t">' not in body
    parsed = parse_article(body.encode(), REPLICA.url_for(article_id), page.headers)
    assert parsed.title == title and "title" in parsed.missing
    assert parsed.body_text == REPLICA.expected(article_id)["body_text"]


def test_a_photo_story_with_little_text():
    """Photos and their captions, a lead and a byline, no paragraph: beside long sidebars too."""
    article_id = next(a for a in ARTICLES if len(REPLICA.article(a).images) >= 3 and REPLICA.article(a).sapo)
    view = REPLICA.view(REPLICA.index_of(article_id))
    edited = replace(view, spec=replace(view.spec, body=tuple(view.spec.images)))
    for layout_seed in range(10):
        layout = replace(draw_layout(random.Random(f"photo-story/{layout_seed}")), sidebar_right="Tin mới",
                         sidebar_left="Đọc nhiều", lead_style="mark_p")
        body, headers, truth = page_of(edited, layout)
        parsed = parse_article(body, truth["url"], headers).to_dict()
        assert truth["body_text"] == ""
        wrong = {key: (truth[key], parsed[key]) for key in FIELDS if parsed[key] != truth[key]}
        assert not wrong, (layout, wrong)


@pytest.mark.parametrize("layout_seed", range(16))
def test_a_related_box_mid_body_followed_only_by_short_paragraphs_and_a_photo(layout_seed):
    """A `Tin liên quan` box floated before the last paragraph, the text after it shorter than any
    paragraph that proves the body goes on by its length alone: the rest of the article (its
    paragraphs, a photo, the byline and counter under them) is still read, the box's links are
    related, nothing of the box is body."""
    article_id = next(a for a in ARTICLES if len(REPLICA.view(REPLICA.index_of(a)).related) >= 2)
    view = REPLICA.view(REPLICA.index_of(article_id))
    closing = ("Đại tá Lê Văn Minh, Phó Giám đốc Công an tỉnh cho biết, đây là chuyên án lớn nhất từ đầu năm. "
               "Vụ án đang được tiếp tục điều tra, mở rộng.")
    photo = Image("/uploads/news/2026_11/tang-vat.jpg", "Số ma túy thu giữ.", "Minh Đức")
    edited = replace(view, spec=replace(view.spec, body=view.spec.body + (Paragraph(closing), photo)))
    layout = replace(draw_layout(random.Random(f"mid-body-box/{layout_seed}")), related_position="mid_body",
                     date_display="shown", meta_position="under_body" if layout_seed % 2 else "below")
    body, headers, truth = page_of(edited, layout)
    parsed = parse_article(body, truth["url"], headers).to_dict()
    assert truth["body_text"].endswith(closing) and truth["images"][-1]["caption"] == "Số ma túy thu giữ."
    wrong = {key: (truth[key], parsed[key]) for key in FIELDS if parsed[key] != truth[key]}
    assert not wrong, (layout, wrong)


@pytest.mark.parametrize("layout_seed", range(12))
def test_a_related_article_titled_by_a_name_alone_is_an_item_not_a_byline(layout_seed):
    """A portrait's headline can be a person's name (`Lò Văn Mừng`): under `Tin khác`, linked to an
    article, it is one of the list's items, and the items after it are read too (a byline's link goes
    to the author's page, never to an article)."""
    article_id = next(a for a in ARTICLES if len(REPLICA.view(REPLICA.index_of(a)).related) >= 3)
    view = REPLICA.view(REPLICA.index_of(article_id))
    (url, _), *rest = view.related
    edited = replace(view, related=((url, "Lò Văn Mừng"), *rest))
    layout = replace(draw_layout(random.Random(f"name-item/{layout_seed}")), related_list="ul")
    body, headers, truth = page_of(edited, layout)
    parsed = parse_article(body, truth["url"], headers).to_dict()
    assert truth["related"][0]["title"] == "Lò Văn Mừng" and len(truth["related"]) >= 3
    wrong = {key: (truth[key], parsed[key]) for key in FIELDS if parsed[key] != truth[key]}
    assert not wrong, (layout, wrong)


def test_a_short_paragraph_in_the_next_section_after_a_box_that_closed_the_last_one_is_body():
    """A CMS that groups paragraphs in sections (`<div class="sec">`), a `Tin liên quan` box closing
    one of them, and the last paragraph, shorter than one that proves the body goes on by length,
    alone in the next section: a reader sees the article go on in its column."""
    article_id = next(a for a in ARTICLES if len(REPLICA.view(REPLICA.index_of(a)).related) >= 2)
    view = REPLICA.view(REPLICA.index_of(article_id))
    closing = "Đến nay, 22/114 xã, thị trấn đã hoàn thành kế hoạch đề ra. Các thầy cô giáo đã đến từng bản vận động học sinh."
    # A photo, the paragraphs as one block of `<br>`-parted text, the box: one section of three; the
    # closing paragraph opens the next.
    paragraphs = tuple(block for block in view.spec.body if isinstance(block, Paragraph))
    photo = Image("/uploads/news/2026_11/lop-hoc.jpg", "Một lớp học ở bản.", "Thu Hằng")
    edited = replace(view, spec=replace(view.spec, body=(photo, *paragraphs, Paragraph(closing))))
    apart = 0
    for layout_seed in range(24):
        layout = replace(draw_layout(random.Random(f"next-section/{layout_seed}")), related_position="mid_body",
                         body_sections=True, paragraph_form="br", quote=False, body_video="none",
                         date_display="shown", encoding="utf-8", nfd=False, eth=False)
        body, headers, truth = page_of(edited, layout)
        html = body.decode()
        box = html.find('style="float:right;width:40%"')
        last = html.find("22/114", box)
        if not 0 < box < last or '<div class="sec">' not in html[box:last]:
            continue  # the box and the paragraph in one section: the tests above
        apart += 1
        parsed = parse_article(body, truth["url"], headers).to_dict()
        assert truth["body_text"].endswith(closing)
        wrong = {key: (truth[key], parsed[key]) for key in FIELDS if parsed[key] != truth[key]}
        assert not wrong, (layout, wrong)
    assert apart >= 5, apart  # the generator drew the case often enough to test it


def test_a_modified_stamp_equal_to_the_publication_is_no_update():
    # A CMS that stamps `dateModified` on every article: on one never updated it equals
    # `datePublished`, and the page shows no `Cập nhật` line.
    article_id = next(a for a in ARTICLES if not REPLICA.view(REPLICA.index_of(a)).shows_update)
    page = REPLICA.render_article(article_id, layout=Layout(modified_stamp="always", date_display="shown"))
    assert '"dateModified"' in page.body.decode()
    parsed = parse_article(page.body, REPLICA.url_for(article_id), page.headers)
    assert parsed.updated_at is None and parsed.published_at is not None


def test_the_next_section_of_the_body_is_the_wrapper_right_after_one_like_it():
    """The rule under the test above, on its own: the wrapper right after the one that held the body's
    paragraphs, of the same element and class; bare `<div>`s (a comment beside the body looks the
    same) and a like wrapper further on are not."""
    import lxml.html

    from crawler.parsing.regions import _in_next_section

    doc = lxml.html.fromstring(
        '<div id="c"><div class="sec" id="a"><p>x</p></div><div class="sec" id="b"><p id="in-b">y</p></div>'
        '<div class="ad" id="d"></div><div class="sec" id="e"><p id="in-e">z</p></div>'
        '<div id="f"><p>x</p></div><div id="g"><p id="in-g">y</p></div></div>')
    found = {element.get("id"): element for element in doc.iter() if element.get("id")}
    assert _in_next_section(found["in-b"], found["a"])
    assert not _in_next_section(found["in-e"], found["b"])  # an advert's wrapper between them
    assert not _in_next_section(found["in-e"], found["a"])
    assert not _in_next_section(found["in-g"], found["f"])  # bare wrappers: no section by their look
