"""The layout generator: one article's truth composed into a page of a layout drawn at random.

The replica's four generations keep every block in the same order and nesting, so a parser tuned on
them learns their shape. This module draws, for every block, a form a reader could meet on a
Vietnamese news site — where the meta line, byline, lead and `Tin khác` sit, which elements and
wrappers carry them, what chrome surrounds them, how dates, clocks, counters, bylines and captions
are written, how the page is encoded — and renders the article's view into it. The truth does not
change with the layout: `crawler.replica.truth.truth_of(view)` is what a correct parser extracts
from every page this module writes, which is what the layout property test checks.

`DIMENSIONS` is the table of choices (data, so the test's hypothesis strategy and the replica's
`--layouts random` draw from the same table); `draw_layout(rng)` draws one `Layout`;
`truth_for(view, layout)` is the truth less what the layout shows nowhere. The page itself is
written by `layout_page.render(view, chrome, layout)`, its text forms by `layout_text`.
"""

from __future__ import annotations

import random
from dataclasses import field, make_dataclass
from datetime import datetime

from crawler.replica.model import ArticleView
from crawler.replica.truth import truth_of


# Every choice the generator makes, with its options. The first option of each is the plainest, so a
# shrunk failing layout reads as "the usual page except …".
DIMENSIONS: dict[str, tuple] = {
    # where things sit
    "meta_position": ("below", "above", "split_date_above", "split_counter_above", "after_lead", "under_body"),
    "meta_element": ("div", "spans", "lines", "table", "p", "split_spans"),
    "date_display": ("shown", "metadata_only", "none"),
    "byline_position": ("bottom_apart", "bottom_in_last", "below_container", "top_below_title", "top_above_title",
                        "article_footer", "meta_line", "metadata_only"),
    # `mid_body`: a floated `Tin liên quan` box inside the body's container, before its last paragraph
    "related_position": ("before_comments", "after_comments", "mid_body"),
    "comments": (0, 1, 3, 12, 40, 60),
    # elements and nesting
    # `font_td`: big type in a table's cell, as pages of the 2000s set it (`<font size="4"><b>…`)
    "headline_tag": ("h1", "h2", "h3", "h4", "div", "td", "p_strong", "font_td"),
    "logo_h1": (False, True),
    "wrappers": (0, 1, 2, 3),
    "wrapper_kind": ("div", "section", "article", "table"),
    "lead_style": ("mark_p", "bold_p", "italic_p", "h2", "strong_in_p", "described_p"),
    "lead_mark": ("ĐBP - ", "(ĐBP) - ", "ĐBP – ", "<b>ĐBP</b> - "),
    "subheading_tag": ("h2", "h3", "strong_p", "b_p"),
    "related_heading": ("h2", "h3", "div", "b_inline", "span_block", "strong_p", "xem_them"),
    "related_list": ("ul", "divs", "p_br", "inline"),
    "byline_linked": (False, True),
    "byline_wording": ("as_written", "variant"),
    "byline_elements": ("blocks", "glued_spans"),
    "paragraph_form": ("p", "br"),
    "body_sections": (False, True),
    "quote": (False, True),
    # chrome
    "menu": ("ul", "div_pipes", "table"),
    "category_display": ("breadcrumb_home", "breadcrumb_sep", "link", "label", "labelled_under_body", "none"),
    "sidebar_left": ("none", "Đọc nhiều", "Tin mới", "Tin cùng chuyên mục"),
    "sidebar_right": ("none", "Tin mới", "Đọc nhiều", "Tin cùng chuyên mục"),
    "sidebar_heading": ("block", "inline"),
    "teasers_under_headline": (0, 2, 8),
    "share_bar": ("none", "top", "bottom", "both"),
    "comments_inside_body": (False, True),
    "tags": (False, True),
    "zoom_widget": (False, True),
    # text forms
    # `english`: an English edition's or a theme's default (`Monday, July 15, 2024`), its weekday in English
    "date_form": ("dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "worded", "yyyy-mm-dd", "english", "thg"),
    "clock": ("24", "24s", "12_sa_ch", "12_am_pm", "12_sa_ch_s", "24h_letter", "12_words", "gio"),
    "date_order": ("time_first", "date_first"),
    "weekday": ("none", "long", "numbered", "capitalised"),
    "date_label": ("none", "Đăng lúc:", "Ngày đăng:", "Thời gian:"),
    "gmt": (False, True),
    "counter_form": ("label_colon", "label_after", "sibling", "icon_label", "icon_only", "icon_image"),
    "print_link": (False, True),
    "time_element": (False, True),
    "time_element_day": (False, True),
    # the byline closing the article's container after its own `Tin liên quan` list (VietnamNet-like),
    # when the byline stands apart at the bottom and the list before the comments
    "byline_after_box": (False, True),  # its `datetime` the day alone (`2026-11-05`), stating no clock
    "caption_form": ("tail", "own_line", "paren", "own_element"),
    # encodings
    # `utf16_bom`: UTF-16 told by its byte-order mark alone (as Windows tools save "Unicode" files)
    "encoding": ("utf-8", "cp1258_header", "cp1258_meta", "cp1258_none", "utf16_bom"),
    "leading_script_kb": (0, 8, 40, 70),
    "nfd": (False, True),
    "eth": (False, True),
    # photos
    "photo_form": ("figure", "p_img_em", "centered", "div_wrapper", "table_cell"),
    "photo_table": (False, True),
    "lazy_images": (False, True),
    "image_link": ("none", "javascript", "jpg"),
    # metadata
    "metadata": ("full", "og_only", "none"),
    # forms met on sites outside the project (WordPress, AMP, newer CMSs)
    "clock_shown": (True, False),  # a date without its clock (the time only in `<time datetime>`/metadata)
    "date_link": (False, True),  # the date inside a permalink (`posted-on`), linked authors beside it
    "reading_time": ("none", "Đọc nhanh {minutes} phút", "{minutes} phút đọc"),
    # `<b>Từ khóa:</b>` or the label as the block's own text, over the tags or the first one alone
    "tags_label": ("bold", "plain", "plain_one"),
    "image_element": ("img", "amp-img"),
    # what <title> holds beside the headline: the site's name after or before it, or the section's
    # (`site_section`: the site's name and the section's, no headline, over a dated page whose
    # headline a heading or big type sets apart)
    "html_title": ("title_site", "site_title", "section_title", "title_section_site", "site_section"),
    # the authors' label on the meta line (`Tác giả: A`, WordPress's `… bởi A`)
    # ("": the names alone, in a span of their own beside the date: `Quàng Tuấn | 14:20 - 05/11/2026`)
    "meta_byline_label": ("Tác giả:", "bởi", "Đăng bởi", "Bài:", "Thực hiện:", ""),
    "post_navigation": (False, True),  # `Bài trước: …` / `Bài sau: …` links right after `Tin khác`
    # the menu lists the article's section, or only others (a subsection's article under top sections)
    "menu_lists_category": (True, False),
    # ASP.NET WebForms: the whole page inside one `<form>` (its view state in a hidden field)
    "page_form": (False, True),
    # a video clip in the body, its caption under it (a figure's, or an italic line): no photo, no body text
    "body_video": ("none", "figure", "em_below"),
    # where the site's section pages live: the replica's `/tin-tuc/<slug>/`, or a CMS's deeper path
    "section_path": ("/tin-tuc/{slug}/", "/vi/chuyen-muc/{slug}", "/category/tin-tuc/{slug}"),
    # a CMS that stamps `dateModified` on every article, equal to `datePublished` when none was updated
    "modified_stamp": ("on_update", "always"),
    # the lead as the first block inside the body's container, in a box of its own (a class the
    # paragraphs' wrappers do not have), plain: no mark, no emphasis, no description to match
    "lead_in_body_box": (False, True),
    # forms a third held-out test of other sites' pages met (WordPress locales, hAtom, microdata)
    # the month in words, as a WordPress locale writes it: `28 Tháng Mười Một, 2026`, `Tháng Mười Một 28, 2026`
    "month_in_words": ("none", "day_first", "month_first"),
    "time_markup": ("time", "abbr"),  # hAtom's `<abbr class="published" title="…">` for `<time datetime>`
    # the comments' count right after a counter written before its label: `37 lượt xem0 bình luận`
    "counter_neighbour": ("none", "comments_glued"),
    # a closing byline naming the author's unit in brackets: `<b>Phạm Quang</b> (Văn phòng Tỉnh ủy)`
    "byline_unit": (False, True),
    # the names on the meta line credited after them, unlabelled: `Ngọc Anh (thực hiện) - 30/11/2026`
    "meta_byline_credit": ("label", "credit_after"),
    # schema.org microdata around the article: its dates in `<meta itemprop>` (no JSON-LD needed)
    "microdata": (False, True),
    # WordPress's `… trong <a>Văn hóa</a>` after the date: the section linked on the meta line
    "meta_section_link": (False, True),
    "recent_posts": (False, True),  # a theme's `Bài viết gần đây` list after the article
    "comment_heading": ("default", "Để lại một bình luận", "Leave a Reply"),
    # forms a fourth held-out test met
    # the share row right after the article's own list, its links to the sharers' addresses
    "share_after_related": (False, True),
    # the list as cards: a thumbnail linking the article, its title in a heading linking it again
    "related_cards": (False, True),
    # a card linked whole: one `<a>` around its thumbnail's block and its title's (React sites')
    "related_card_link": ("title", "whole"),
    # a two-digit year beside the clock (`26/11/26 09:12`, a commune portal's Joomla)
    "short_year": (False, True),
    # a portal's table of fields closing the article: `Tác giả: A`, then `Người đăng: B` (who uploaded it)
    "byline_fields": (False, True),
    # Joomla's `In Email` buttons under the closing byline, the print link's address like an article's
    "print_buttons": (False, True),
    # `<title>` and the breadcrumb's last crumb shorten a heading's headline, perhaps after a place
    # (`Điện Biên: Trao nhà …` over `<h2>Trao nhà … xã Lũng Cú</h2>`, a Joomla site's)
    "title_shortened": ("no", "cut", "place_cut"),
    # a list item's mark typed into each of the article's own links (`&#8226; Mường Chà …`)
    "related_bullet": ("", "&#8226; ", "» ", "- "),
    # the site's date of today (a day, no clock) in the masthead, or in a bar right over the headline
    "today_bar": ("top", "over_headline"),
    # the outlet's mark opening a reprint's lead, where the paper's own would stand (`(TTXVN) - …`)
    "reprint_mark": ("", "(TTXVN) - ", "VOV.VN - ", "TTO – ", "(Dân trí) - ", "NLĐO - "),
}


# One record of choices, its fields named by DIMENSIONS and defaulting to each dimension's plainest.
Layout = make_dataclass("Layout", [(name, type(options[0]), field(default=options[0])) for name, options in DIMENSIONS.items()],
                        frozen=True)
Layout.__doc__ = "A drawn layout: one option of every dimension of `DIMENSIONS`."


def draw_layout(rng: random.Random) -> Layout:
    return Layout(**{name: rng.choice(options) for name, options in DIMENSIONS.items()})


def layout_for(seed: int, index: int) -> Layout:
    """The layout the replica's `--layouts random` serves an article in: fixed per article, so a
    recrawl sees the same page."""
    return draw_layout(random.Random(f"dbp-replica/{seed}/layout/{index}"))


def encoding_of(layout: Layout) -> tuple[str, str]:
    """(codec, where the charset is declared: `header`, `meta`, `none`, or `bom` alone)."""
    if layout.encoding == "utf-8":
        return "utf-8", "both"
    if layout.encoding == "utf16_bom":
        return "utf-16", "bom"
    return "windows-1258", layout.encoding.removeprefix("cp1258_")


def truth_for(view: ArticleView, layout: Layout) -> dict:
    """What a correct parser extracts from the page `render` writes: the article's truth, less what
    the layout shows nowhere (no date at all; a byline given only as the metadata's author names)."""
    truth = truth_of(view)
    if layout.date_display == "none":
        truth["published_at"] = truth["updated_at"] = None
    if layout.byline_position == "metadata_only":
        truth["author_role"] = truth["source"] = None
        truth["photo_credits"] = list(dict.fromkeys(image["credit"] for image in truth["images"] if image["credit"]))
    if layout.category_display in ("label", "none") and not layout.menu_lists_category \
            and metadata_kind(layout) != "full" and not section_on_meta_line(layout):
        # An unlinked label no menu lists is a word like any other, and the URL's section is named by
        # no menu: neither metadata nor the page names the section.
        truth["category"] = None
    if layout.date_display == "shown" and not layout.clock_shown \
            and (not layout.time_element or layout.time_element_day) \
            and metadata_kind(layout) != "full" and not layout.microdata:
        # Only the day is shown, and nothing machine-readable states the time.
        for key in ("published_at", "updated_at"):
            if truth[key]:
                truth[key] = datetime.fromisoformat(truth[key]).replace(hour=0, minute=0, second=0).isoformat()
    unit = byline_unit(view, layout)
    if unit:
        truth["author_role"] = unit
    return truth


# Units a closing byline may name in brackets: an organisation's word, then its proper name.
_UNITS = ("Văn phòng Tỉnh ủy", "Hội Nông dân huyện Tuần Giáo", "Trung tâm Y tế huyện Mường Chà",
          "Sở Giáo dục và Đào tạo", "Ban Tuyên giáo Tỉnh ủy")


def byline_unit(view: ArticleView, layout: Layout) -> str | None:
    """The unit the layout names after a one-name byline standing on its own, or None."""
    if not layout.byline_unit or view.spec.byline.form != "name" \
            or layout.byline_position in ("meta_line", "metadata_only"):
        return None
    return _UNITS[view.spec.index % len(_UNITS)]


def section_on_meta_line(layout: Layout) -> bool:
    """The section linked after the shown date (`… trong <a>Văn hóa</a>`), on a meta line by the
    headline (WordPress's entry meta; under the body the same words would read as a teaser's)."""
    return layout.meta_section_link and layout.date_display == "shown" \
        and layout.meta_position in ("below", "above", "split_date_above", "split_counter_above")


def metadata_kind(layout: Layout) -> str:
    """The metadata the page carries: all of it when a field is shown only there."""
    return "full" if "metadata_only" in (layout.date_display, layout.byline_position) else layout.metadata
