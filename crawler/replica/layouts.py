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
`render(view, chrome, layout)` writes the page.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import field, make_dataclass
from datetime import datetime

from crawler.replica.chrome import SITE_NAME, Chrome, Teaser, Typist, attr, esc, lorem_script
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image, Paragraph, Subheading, Traits
from crawler.replica.truth import truth_of
from crawler.replica.vietnamese import (
    WEEKDAYS_LONG, WEEKDAYS_LONG_CAPITALISED, WEEKDAYS_NUMBERED, slugify,
)

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
    "headline_tag": ("h1", "h2", "h3", "h4", "div", "td", "p_strong"),
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
    "counter_form": ("label_colon", "label_after", "sibling", "icon_label"),
    "print_link": (False, True),
    "time_element": (False, True),
    "time_element_day": (False, True),
    # the byline closing the article's container after its own `Tin liên quan` list (VietnamNet-like),
    # when the byline stands apart at the bottom and the list before the comments
    "byline_after_box": (False, True),  # its `datetime` the day alone (`2026-11-05`), stating no clock
    "caption_form": ("tail", "own_line", "paren", "own_element"),
    # encodings
    "encoding": ("utf-8", "cp1258_header", "cp1258_meta", "cp1258_none"),
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
    "html_title": ("title_site", "site_title", "section_title", "title_section_site"),
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
    """(codec, where the charset is declared: `header`, `meta` or `none`)."""
    if layout.encoding == "utf-8":
        return "utf-8", "both"
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
            and metadata_kind(layout) != "full":
        # An unlinked label no menu lists is a word like any other, and the URL's section is named by
        # no menu: neither metadata nor the page names the section.
        truth["category"] = None
    if layout.date_display == "shown" and not layout.clock_shown \
            and (not layout.time_element or layout.time_element_day) \
            and metadata_kind(layout) != "full":
        # Only the day is shown, and nothing machine-readable states the time.
        for key in ("published_at", "updated_at"):
            if truth[key]:
                truth[key] = datetime.fromisoformat(truth[key]).replace(hour=0, minute=0, second=0).isoformat()
    return truth


def metadata_kind(layout: Layout) -> str:
    """The metadata the page carries: all of it when a field is shown only there."""
    return "full" if "metadata_only" in (layout.date_display, layout.byline_position) else layout.metadata


# --- the page ------------------------------------------------------------------------------------

def render(view: ArticleView, chrome: Chrome, layout: Layout) -> str:
    page = _Composer(view, chrome, layout)
    return page.document()


class _Composer:
    def __init__(self, view: ArticleView, chrome: Chrome, layout: Layout):
        self.view, self.chrome, self.layout = view, chrome, layout
        self.spec = view.spec
        self.rng = random.Random(f"dbp-replica/layout-text/{self.spec.index}/{self.spec.revision}")
        traits = Traits(eth=layout.eth, nfd="text" if layout.nfd else "none")
        self.typist = Typist(traits, f"dbp-replica/layout-typist/{self.spec.index}/{self.spec.revision}")

    # -- helpers
    def text(self, value: str) -> str:
        return self.typist.plain(value)

    def section(self, slug: str) -> str:
        return self.layout.section_path.format(slug=slug)

    def href(self, path: str) -> str:
        return attr(self.view.absolute(path))

    def wrap(self, inner: str, kind: str | None = None) -> str:
        kind = kind or self.layout.wrapper_kind
        if kind == "table":
            return f"<table><tr><td>{inner}</td></tr></table>"
        return f"<{kind}>{inner}</{kind}>"

    # -- the document
    def document(self) -> str:
        layout, spec = self.layout, self.spec
        codec, declared = encoding_of(layout)
        charset_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={codec}">' \
            if declared in ("meta", "both") else ""
        script = (f"<script>\n{lorem_script(f'layout/{spec.index}', layout.leading_script_kb * 1024 // 100 + 1)}\n</script>"
                  if layout.leading_script_kb else "")
        head = f"""<!DOCTYPE html>
<html lang="vi"><head>
{script}
{charset_meta}
<title>{esc(self.html_title())}</title>
{self.metadata()}
</head>
<body>"""
        article = self.article()
        for _ in range(layout.wrappers):
            article = self.wrap(article)
        left = self.sidebar(layout.sidebar_left, "left")
        right = self.sidebar(layout.sidebar_right, "right")
        logo = (f'<h1 class="logo"><a href="/">{esc(SITE_NAME)}</a></h1>' if layout.logo_h1
                else f'<div class="logo"><a href="/"><img src="/images/logo.png" alt="{esc(SITE_NAME)}"></a></div>')
        html = f"""{head}
<div class="top">{logo}<span>{esc(_weekday(WEEKDAYS_LONG, self.chrome.now))}, {self.chrome.now:%d/%m/%Y}</span></div>
{self.menu()}
{left}
{self.category_before()}
{article}
{right}
<div class="footer"><p>{esc(SITE_NAME)} - Cơ quan của Đảng bộ tỉnh Điện Biên</p>
<p>Giấy phép số 123/GP-BTTTT. Địa chỉ tòa soạn: Số 1, phường Mường Thanh, Điện Biên Phủ.</p></div>
</body></html>"""
        if layout.page_form:
            opening, _, rest = html.partition("<body>")
            inner, _, closing = rest.rpartition("</body>")
            html = (f'{opening}<body><form method="post" action="./ChiTiet.aspx?id={spec.index}" id="aspnetForm">'
                    f'<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAg">'
                    f'{inner}</form></body>{closing}')
        return unicodedata.normalize("NFD", html) if layout.nfd else html

    def html_title(self) -> str:
        title, section = self.spec.title, self.spec.category.name
        return {"title_site": f"{title} - {SITE_NAME}", "site_title": f"{SITE_NAME} - {title}",
                "section_title": f"{section} - {title}",
                "title_section_site": f"{title} | {section} | {SITE_NAME}"}[self.layout.html_title]

    def metadata(self) -> str:
        spec, view, layout = self.spec, self.view, self.layout
        kind = metadata_kind(layout)
        if kind == "none":
            return ""
        parts = [f'<meta property="og:title" content="{attr(spec.title)}">']
        if spec.sapo:
            parts.append(f'<meta property="og:description" content="{attr(spec.sapo)}">')
        if kind == "full":
            dated = layout.date_display != "none"
            parts += [f'<link rel="canonical" href="{attr(view.url)}">',
                      '<meta property="og:type" content="article">',
                      f'<meta name="author" content="{SITE_NAME}">',
                      f'<meta property="article:section" content="{attr(spec.category.name)}">']
            data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title}
            if dated:
                parts.append(f'<meta property="article:published_time" content="{spec.published_at.isoformat()}">')
                data["datePublished"] = spec.published_at.isoformat()
            if dated and view.shows_update:
                data["dateModified"] = spec.updated_at.isoformat()
            elif dated and layout.modified_stamp == "always":
                data["dateModified"] = spec.published_at.isoformat()
            if layout.byline_position == "metadata_only" and spec.byline.authors:
                data["author"] = [{"@type": "Person", "name": name} for name in spec.byline.authors]
            # ASCII escapes: a legacy code page cannot carry every letter, and a script takes no &#N; references.
            parts.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
        return "\n".join(parts)

    # -- chrome
    def menu(self) -> str:
        items = [(c.name, self.section(c.slug)) for c in self.chrome.categories
                 if self.layout.menu_lists_category or c.slug != self.spec.category.slug]
        items += [("Video", "/video/"), ("Ảnh", "/anh/"), ("Phóng sự", "/phong-su/")]
        links = [f'<a href="{path}">{esc(name)}</a>' for name, path in items]
        if self.layout.menu == "ul":
            return '<ul class="menu">' + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
        if self.layout.menu == "div_pipes":
            return '<div class="menu">' + " | ".join(links) + "</div>"
        return '<table class="menu"><tr>' + "".join(f"<td>{link}</td>" for link in links) + "</tr></table>"

    def category_before(self) -> str:
        """The breadcrumb (or none) between the menu and the article."""
        category = self.spec.category
        link = f'<a href="{self.section(category.slug)}">{self.text(category.name)}</a>'
        display = self.layout.category_display
        if display == "breadcrumb_home":
            return f'<div class="crumbs"><a href="/">Trang chủ</a> » {link}</div>'
        if display == "breadcrumb_sep":
            if self.rng.random() < 0.5:
                return f'<ul class="crumbs"><li><a href="/">Trang chủ</a></li><li>›</li><li>{link}</li></ul>'
            return f'<div class="crumbs"><span>{link}</span> › <span>{self.text(self.spec.title)}</span></div>'
        return ""

    def sidebar(self, heading: str, side: str) -> str:
        if heading == "none":
            return ""
        chrome = self.chrome
        teasers = {"Đọc nhiều": chrome.most_read, "Tin mới": chrome.latest,
                   "Tin cùng chuyên mục": chrome.by_category.get(self.spec.category.slug, ())}[heading]
        teasers = [t for t in teasers if t.path != self.view.path][:6] or list(chrome.latest[:4])
        items = [self.teaser_item(t, heading == "Đọc nhiều") for t in teasers]
        if self.layout.sidebar_heading == "inline":
            return f'<div class="side-{side}"><b>{esc(heading)}</b> ' + " ".join(items) + "</div>"
        return f'<div class="side-{side}"><h3>{esc(heading)}</h3><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"

    def teaser_item(self, teaser: Teaser, with_views: bool) -> str:
        when = f"{teaser.published_at:%H:%M %d/%m/%Y}"
        extra = f' <span>{teaser.views:,} lượt xem</span>'.replace(",", ".") if with_views and teaser.views else ""
        return f'<span class="item"><a href="{self.href(teaser.path)}">{esc(teaser.title)}</a> <span>({when})</span>{extra}</span>'

    def share(self) -> str:
        return ('<div class="share"><a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Twitter</a>'
                ' <a href="#">Email</a></div>')

    # -- the article
    def article(self) -> str:
        layout = self.layout
        headline = self.headline()
        meta = self.meta_lines()
        byline = self.byline_html()
        lead = self.lead()
        above, below = [], []
        if layout.category_display == "link":
            above.append(f'<div class="cat"><a href="{self.section(self.spec.category.slug)}">{self.text(self.spec.category.name)}</a></div>')
        elif layout.category_display == "label":
            above.append(f'<div class="cat"><span>{self.text(self.spec.category.name)}</span></div>')
        position = layout.meta_position
        if position == "above":
            above.append(meta["all"])
        elif position == "split_date_above":
            above.append(meta["date"])
            below.append(meta["counter"])
        elif position == "split_counter_above":
            above.append(meta["counter"])
            below.append(meta["date"])
        if layout.byline_position == "top_above_title":
            above.append(byline)
        if layout.zoom_widget:
            below.append('<div class="tools"><a href="#">A-</a> <a href="#">A+</a> <a href="#">In bài</a></div>')
        if layout.teasers_under_headline:
            below.append(self.teaser_box(layout.teasers_under_headline))
        if layout.share_bar in ("top", "both"):
            below.append(self.share())
        if position == "below":
            below.append(meta["all"])
        if layout.byline_position == "top_below_title":
            below.append(byline)
        if layout.lead_in_body_box:
            lead = ""  # in the body's container (`body`)
            if position == "after_lead":
                below.append(meta["all"])
        elif position == "after_lead":
            below += [lead, meta["all"]]
        else:
            below.append(lead)
        # (A body without paragraphs has no middle: its box stands after it, before the comments.)
        inside = layout.related_position == "mid_body" and any(isinstance(b, Paragraph) for b in self.spec.body)
        content = self.body(byline if layout.byline_position == "bottom_in_last" else None,
                            self.related_box("Tin liên quan") if inside else None)
        after = []
        boxed_byline = layout.byline_after_box and layout.byline_position == "bottom_apart" \
            and layout.related_position == "before_comments" and bool(self.view.related)
        if boxed_byline:
            content += self.related_box("Tin liên quan")
        if layout.byline_position == "bottom_apart" or (layout.byline_position == "meta_line" and byline):
            content += byline
        if position == "under_body":
            content += meta["all"]
        if layout.comments_inside_body and layout.byline_position in ("bottom_apart", "bottom_in_last"):
            content += ('<div><div>Bình luận</div><form><textarea></textarea><img src="/captcha.ashx?x=1">'
                        '<input type="text"><button>Gửi</button></form></div>')
        if layout.share_bar in ("bottom", "both"):
            after.append(self.share())
        if layout.byline_position == "below_container":
            after.append(byline)
        if layout.category_display == "labelled_under_body":
            # WordPress's `cat-links` in the entry's footer.
            link = (f'Chuyên mục: <a href="{self.section(self.spec.category.slug)}" rel="category tag">'
                    f'{self.text(self.spec.category.name)}</a>')
            after.append(f'<div class="cat-links">{link}</div>' if self.rng.random() < 0.5
                         else f'<footer class="entry-footer"><span class="cat-links">{link}</span></footer>')
        if layout.tags and self.view.traits.tags:
            shown = self.view.traits.tags[:1] if layout.tags_label == "plain_one" else self.view.traits.tags
            tags = " ".join(f'<a href="/tag/{slugify(t)}">{esc(t)}</a>' for t in shown)
            label = "<b>Từ khóa:</b>" if layout.tags_label == "bold" else "Từ khóa:"
            after.append(f'<div class="tags">{label} {tags}</div>')
        comments = self.comments()
        # (`Bài trước`/`Bài sau` right after the article's own list, as a WordPress theme's; none
        # after a box mid-body, nor on a page without a list.)
        related = "" if inside or boxed_byline else \
            self.related_box("Tin khác") + self.post_navigation() * bool(self.view.related)
        ending = [comments, related] if layout.related_position == "after_comments" else [related, comments]
        body = f'<div class="content">{content}</div>'
        if layout.byline_position == "article_footer":
            # HTML5: the article's own <footer> carries its byline.
            inner = "\n".join(part for part in above + [headline] + below + [body] if part)
            return "\n".join(part for part in [f"<article>{inner}\n<footer>{byline}</footer></article>"] + after + ending
                             if part)
        parts = above + [headline] + below + [body] + after + ending
        return "\n".join(part for part in parts if part)

    def headline(self) -> str:
        return _heading_in(self.layout.headline_tag, self.text(self.spec.title), ' class="t"')

    # -- the meta line
    def date_text(self, moment: datetime, label: str | None = None) -> str:
        layout = self.layout
        day = {"dd/mm/yyyy": f"{moment:%d/%m/%Y}", "d/m/yyyy": f"{moment.day}/{moment.month}/{moment.year}",
               "dd-mm-yyyy": f"{moment:%d-%m-%Y}", "dd.mm.yyyy": f"{moment:%d.%m.%Y}",
               "worded": f"ngày {moment.day} tháng {moment.month} năm {moment.year}",
               "yyyy-mm-dd": f"{moment:%Y-%m-%d}",
               "english": f"{_ENGLISH_MONTHS[moment.month - 1]} {moment.day}, {moment.year}",
               "thg": f"{moment.day} thg {moment.month}, {moment.year}"}[layout.date_form]
        clock = _clock(moment, layout.clock) if layout.clock_shown else ""
        if layout.weekday != "none" or layout.date_form == "english":
            # (An English date always with its weekday: `May 9, 2024` alone reads as Vietnamese `may`.)
            names = _ENGLISH_WEEKDAYS if layout.date_form == "english" else {
                "long": WEEKDAYS_LONG, "numbered": WEEKDAYS_NUMBERED,
                "capitalised": WEEKDAYS_LONG_CAPITALISED}[layout.weekday]
            day = f"{_weekday(names, moment)}, {day}"
        label = label or (None if layout.date_label == "none" else layout.date_label)
        if layout.meta_element == "split_spans":
            # Every piece in an element of its own: `<span>10:15</span> | <b>Thứ Tư</b>, <span>06/11/2024</span>`.
            day = esc(day)
            if layout.weekday != "none":
                weekday, _, rest = day.partition(", ")
                day = f"<b>{weekday}</b>, <span>{rest}</span>"
            else:
                day = f"<span>{day}</span>"
            text = day if not clock else f"<span>{clock}</span> | {day}" if layout.date_order == "time_first" \
                else f"{day} <span>{clock}</span>"
        else:
            text = esc(day if not clock else f"{clock} - {day}" if layout.date_order == "time_first" else f"{day} {clock}")
        if layout.gmt:
            text += " (GMT+7)"
        if layout.time_element:
            stamp = moment.date().isoformat() if layout.time_element_day else moment.isoformat()
            text = f'<time datetime="{stamp}">{text}</time>'
        if layout.date_link:
            text = f'<a href="{attr(self.view.url)}" rel="bookmark">{text}</a>'  # WordPress's `posted-on`
        return f"{esc(label)} {text}" if label else text

    def counter_text(self) -> str | None:
        if not self.view.views:
            return None
        return _COUNTER_FORMS[self.layout.counter_form].format(count=esc(self.view.views[0]))

    def meta_lines(self) -> dict[str, str]:
        spec, view, layout = self.spec, self.view, self.layout
        pieces = []
        if layout.date_display == "shown":
            pieces.append(self.date_text(spec.published_at))
            if view.shows_update:
                pieces.append(self.date_text(spec.updated_at, "Cập nhật:"))
        if self.byline_in_meta():
            names = [self.text(name) for name in spec.byline.authors]
            if layout.byline_linked:
                names = [f'<a href="/tac-gia/{slugify(name)}">{shown}</a>' for name, shown in zip(spec.byline.authors, names)]
            label = layout.meta_byline_label
            if not label and (layout.meta_element in ("lines", "table", "p") or layout.date_display != "shown"
                              or layout.meta_position in ("under_body", "after_lead")):
                # Names alone are a byline beside the date on one line by the headline; alone on a line,
                # or in the body's range, they read as a paragraph, so such pages label them.
                label = "Tác giả:"
            pieces.append(f"{label} {', '.join(names)}".strip())
        date_pieces = list(pieces)
        counter = self.counter_text()
        if counter:
            pieces.append(counter)
        if layout.reading_time != "none":
            pieces.append(esc(layout.reading_time.format(minutes=2 + len(spec.body) // 3)))
        if layout.print_link:
            pieces.append('<a href="javascript:window.print()">In bài</a>')
        element = layout.meta_element

        def line(parts: list[str]) -> str:
            if not parts:
                return ""
            if element == "spans":
                return '<div class="meta">' + " | ".join(f"<span>{p}</span>" for p in parts) + "</div>"
            if element == "lines":
                return '<div class="meta">' + "".join(f"<div>{p}</div>" for p in parts) + "</div>"
            if element == "table":
                return '<table class="meta"><tr>' + "".join(f"<td>{p}</td>" for p in parts) + "</tr></table>"
            if element == "p" or self.layout.meta_position == "under_body":
                return '<p class="meta">' + "<br>".join(parts) + "</p>"
            return '<div class="meta">' + " | ".join(parts) + "</div>"

        return {"all": line(pieces), "date": line(date_pieces), "counter": line([counter] if counter else [])}

    # -- byline
    def byline_lines(self) -> list[str]:
        """The byline as printed, in the spec's wording or a variant a reader meets as often."""
        byline = self.spec.byline
        lines = list(byline.lines)
        if self.layout.byline_wording == "as_written":
            return lines
        form = byline.form
        if form == "name":
            return [f"Bài: {lines[0]}"]
        if form == "name_role":
            return [f"{lines[0]}, {lines[1]}"]
        if form == "text_photo":
            name = byline.authors[0]
            return [f"Bài và ảnh: {name}" if lines[0].startswith("Bài, ảnh") else f"Bài, ảnh: {name}"]
        if form == "two_authors":
            return [" và ".join(byline.authors)]
        if form == "agency":
            return [f"{byline.authors[0]}/{byline.source}"]
        return [f"Nguồn: {byline.source}"]

    def byline_in_meta(self) -> bool:
        """`Tác giả: A, B` on the meta line, for bylines that are names only (else the byline stands
        at the bottom, apart)."""
        return self.layout.byline_position == "meta_line" and self.spec.byline.form in ("name", "two_authors")

    def byline_html(self) -> str:
        if self.layout.byline_position == "metadata_only" or self.byline_in_meta():
            return ""
        byline = self.spec.byline
        lines = self.byline_lines()
        if self.layout.byline_linked and byline.authors:
            first = lines[0]
            for name in byline.authors:
                first = first.replace(name, f'\0{name}\1', 1)
            escaped = self.text(first)
            for name in byline.authors:
                shown = self.text(name)
                escaped = escaped.replace(f"\0{shown}\1", f'<a href="/tac-gia/{slugify(name)}">{shown}</a>', 1)
            lines[0] = escaped
        else:
            lines[0] = self.text(lines[0])
        rendered = [f"<strong>{lines[0]}</strong>"] + [self.text(line) for line in lines[1:]]
        if self.layout.byline_position == "bottom_in_last":
            return "<br>" + "<br>".join(rendered)
        if self.layout.byline_elements == "glued_spans" and len(rendered) > 1:
            return '<div class="author">' + "".join(f"<span>{line}</span>" for line in rendered) + "</div>"
        return '<div class="author">' + "".join(f"<p>{line}</p>" for line in rendered) + "</div>"

    # -- lead
    def lead(self) -> str:
        sapo = self.spec.sapo
        if not sapo:
            return ""
        style = self.layout.lead_style
        if style == "described_p" and self.layout.metadata == "none" and self.layout.date_display != "metadata_only":
            style = "bold_p"  # a plain lead is told apart only by the page's description
        if style == "mark_p" and not self.spec.sapo_marked:
            style = "italic_p"  # reprints carry no `ĐBP - ` mark
        text = self.typist.prose(sapo, emphasis=False)
        if self.spec.sapo_marked and style in ("mark_p", "bold_p", "h2", "strong_in_p"):
            text = self.layout.lead_mark.replace("ĐBP", self.text("ĐBP")) + text
        return {"mark_p": f"<p>{text}</p>", "bold_p": f'<p style="font-weight:bold"><b>{text}</b></p>',
                "italic_p": f"<p><em>{text}</em></p>", "h2": f'<h2 class="sapo">{text}</h2>',
                "strong_in_p": f"<p><strong>{text}</strong></p>", "described_p": f'<div class="sapo">{text}</div>'}[style]

    # -- body
    def body(self, byline_in_last: str | None, box_before_last: str | None = None) -> str:
        """The body's blocks in order: paragraphs as `<p>` or as runs between `<br><br>`, photos in
        the layout's form, perhaps a quote, perhaps grouped in sections of a few blocks; a box of
        other news before the last paragraph (what follows it, photos too, is still the body)."""
        layout = self.layout
        blocks = list(self.spec.body)
        paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)]
        last_paragraph = paragraphs[-1] if paragraphs else -1
        quoted = paragraphs[len(paragraphs) // 2] if layout.quote and len(paragraphs) >= 3 else -1
        out: list[str] = []
        run: list[str] = []  # paragraphs between line breaks (`paragraph_form` = "br")

        def flush() -> None:
            if run:
                out.append("<div>" + "<br><br>".join(run) + "</div>")
                run.clear()

        index = 0
        while index < len(blocks):
            block = blocks[index]
            if index == last_paragraph and box_before_last:
                flush()
                out.append(f'<div style="float:right;width:40%">{box_before_last}</div>')
            if isinstance(block, Image):
                flush()
                if layout.photo_table:
                    photos = [block]
                    while index + 1 < len(blocks) and isinstance(blocks[index + 1], Image):
                        index += 1
                        photos.append(blocks[index])
                    out.append(self.photo_table(photos))
                else:
                    out.append(self.photo(block))
            elif index == quoted:
                flush()
                out.append(f"<blockquote><p>{self.typist.prose(block.text)}</p></blockquote>")
            else:
                if isinstance(block, Subheading):
                    html = self.subheading(block.text) if layout.paragraph_form == "p" else f"<b>{self.text(block.text)}</b>"
                else:
                    tail = byline_in_last if index == last_paragraph and byline_in_last else ""
                    html = self.typist.prose(block.text) + tail
                    if layout.paragraph_form == "p":
                        html = f"<p>{html}</p>" + self.typist.maybe_empty_paragraph()
                if layout.paragraph_form == "br":
                    run.append(html)
                else:
                    out.append(html)
            index += 1
        flush()
        if byline_in_last and last_paragraph < 0:
            out.append(f"<p>{byline_in_last.removeprefix('<br>')}</p>")  # no paragraph to close: on its own
        if layout.body_sections:
            out = [f'<div class="sec">{"".join(out[i:i + 3])}</div>' for i in range(0, len(out), 3)]
        if layout.lead_in_body_box and self.spec.sapo:
            out.insert(0, f'<div class="lead-box">{self.typist.prose(self.spec.sapo, emphasis=False)}</div>')
        if layout.body_video != "none" and paragraphs:
            out.insert(max(1, len(out) - 1), self.video())  # (before the last block, which may hold the byline)
        return "\n".join(out)

    def subheading(self, text: str) -> str:
        return _heading_in(self.layout.subheading_tag, self.text(text))

    def img(self, image: Image) -> str:
        src = self.href(image.path)
        if self.layout.image_element == "amp-img":
            tag = f'<amp-img src="{src}" width="800" height="533" layout="responsive" alt=""></amp-img>'
        else:
            tag = (f'<img src="/images/blank.gif" data-src="{src}" alt="">' if self.layout.lazy_images
                   else f'<img src="{src}" alt="">')
        link = self.layout.image_link
        if link == "javascript":
            return f'<a href="javascript:void(0)">{tag}</a>'
        if link == "jpg":
            return f'<a href="{src}" target="_blank">{tag}</a>'
        return tag

    def caption(self, image: Image) -> tuple[str, str]:
        """(the caption as printed, a credit printed in an element of its own, or "")."""
        if image.caption is None:
            return "", ""
        caption = self.text(image.caption)
        if image.credit is None:
            return caption, ""
        credit = self.text(image.credit)
        form = self.layout.caption_form
        if form == "own_element":
            return caption, f"Ảnh: {credit}"
        if form == "own_line":
            return f"{caption}<br><em>Ảnh: {credit}</em>", ""
        if form == "paren" or image.credit_style == "paren":
            return f"{caption} (Ảnh: {credit})", ""
        return f"{caption} Ảnh: {credit}", ""

    def photo(self, image: Image) -> str:
        caption, credit = self.caption(image)
        form = self.layout.photo_form
        if form == "figure":
            inner = caption + (f"<span>{credit}</span>" if credit else "")
            return f"<figure>{self.img(image)}" + (f"<figcaption>{inner}</figcaption>" if inner else "") + "</figure>"
        if form == "div_wrapper":
            return (f'<div class="pic">{self.img(image)}' + (f"<p>{caption}</p>" if caption else "")
                    + (f"<p>{credit}</p>" if credit else "") + "</div>")
        if form == "table_cell":
            rows = f"<tr><td>{self.img(image)}</td></tr>" + "".join(
                f"<tr><td>{cell}</td></tr>" for cell in (caption, credit) if cell)
            return f'<table class="pic">{rows}</table>'
        if form == "centered":
            return (f'<p style="text-align:center">{self.img(image)}</p>' + "".join(
                f'<p style="text-align:center">{cell}</p>' for cell in (caption, credit) if cell))
        return f"<p>{self.img(image)}</p>" + "".join(f"<p><em>{cell}</em></p>" for cell in (caption, credit) if cell)

    def video(self) -> str:
        player = (f'<video controls width="640" poster="/images/video-{self.spec.index}.jpg">'
                  f'<source src="/media/clip-{self.spec.index}.mp4" type="video/mp4">'
                  'Trình duyệt của bạn không hỗ trợ video.</video>')
        caption = self.text(f"Clip: {self.spec.title}")
        if self.layout.body_video == "figure":
            return f'<figure class="video">{player}<figcaption>{caption}</figcaption></figure>'
        return f'<div class="video">{player}</div><p><em>{caption}</em></p>'

    def photo_table(self, images: list[Image]) -> str:
        """Several photos in one table inside the body's container, each cell a photo and its caption."""
        cells = []
        for image in images:
            caption, credit = self.caption(image)
            cells.append(f"<tr><td>{self.img(image)}" + (f"<br>{caption}" if caption else "")
                         + (f"<br><span>{credit}</span>" if credit else "") + "</td></tr>")
        return f'<table class="pics">{"".join(cells)}</table>'

    def teaser_box(self, count: int) -> str:
        """Other articles' teasers (title, date, lead) right under the headline."""
        teasers = [t for t in self.chrome.latest if t.path != self.view.path][:count]
        items = "".join(f'<div class="it"><a href="{self.href(t.path)}">{esc(t.title)}</a>'
                        f'<span>{t.published_at:%H:%M %d/%m/%Y}</span><p>{esc(t.summary)}</p></div>' for t in teasers)
        heading = "<h3>Tin mới</h3>" if count > 4 else ""
        return f'<div class="box">{heading}{items}</div>'

    # -- after the body
    def related_box(self, words: str) -> str:
        """The article's own list of other news under a heading saying `words` (`Tin khác`, `Tin liên quan`)."""
        links = self.view.related
        if not links:
            return ""
        anchors = [f'<a href="{attr(url)}">{self.text(title)}</a>' for url, title in links]
        heading, form = self.layout.related_heading, self.layout.related_list
        if heading == "b_inline":
            # The heading shares a block with its links.
            joiner = "<br>" if form in ("p_br", "ul", "divs") else " "
            return f'<div class="other"><b>{words}:</b>{joiner}' + joiner.join(anchors) + "</div>"
        title = {"h2": f"<h2>{words}</h2>", "h3": f"<h3>{words.upper()}</h3>", "div": f'<div class="hd">{words}</div>',
                 "span_block": f'<div><span>Các {words[0].lower()}{words[1:]}</span></div>',
                 "strong_p": f"<p><strong>{words}:</strong></p>",
                 "xem_them": "<p><strong>Xem thêm:</strong></p>"}[heading]
        if form == "ul":
            listing = "<ul>" + "".join(f"<li>{a}</li>" for a in anchors) + "</ul>"
        elif form == "divs":
            listing = "".join(f'<div class="it">{a}</div>' for a in anchors)
        elif form == "p_br":
            listing = "<p>" + "<br>".join(anchors) + "</p>"
        else:
            listing = "<div>" + " ".join(anchors) + "</div>"
        return f'<div class="other">{title}{listing}</div>'

    def post_navigation(self) -> str:
        """Links to the previous and next articles (a WordPress theme's), titled by their label."""
        if not self.layout.post_navigation:
            return ""
        others = [t for t in self.chrome.latest if t.path != self.view.path][:2]
        links = [f'<div class="nav-{side}"><a href="{self.href(t.path)}" rel="{side}">{label}: {esc(t.title)}</a></div>'
                 for (side, label), t in zip((("prev", "Bài trước"), ("next", "Bài sau")), others)]
        return f'<nav class="navigation post-navigation"><div class="nav-links">{"".join(links)}</div></nav>'

    def comments(self) -> str:
        count = self.layout.comments
        rng = random.Random(f"dbp-replica/layout-comments/{self.spec.index}")
        entries = []
        for number in range(count):
            name = rng.choice(("Nguyễn Văn An", "Lò Thị Mai", "Quàng Văn Hương", "Bạn đọc", "Giàng A Páo"))
            when = self.spec.published_at.replace(minute=(self.spec.published_at.minute + number) % 60)
            text = rng.choice((
                "Bài viết rất hay, cảm ơn phóng viên đã phản ánh kịp thời tình hình ở địa phương.",
                "Mong các cấp chính quyền quan tâm hơn nữa tới đồng bào vùng cao, nhất là các bản xa trung tâm.",
                "Đề nghị tỉnh sớm có chính sách hỗ trợ để người dân yên tâm sản xuất, ổn định cuộc sống lâu dài.",
            ))
            entries.append(f'<div class="cmt"><b>{esc(name)}</b> <span>{when:%H:%M %d/%m/%Y}</span><p>{esc(text)}</p></div>')
        heading = "<h3>Bình luận</h3>" if count else "<h3>Gửi bình luận</h3>"
        form = '<form action="/binh-luan" method="post"><textarea name="c"></textarea><button>Gửi</button></form>'
        return f'<div class="comments">{heading}{"".join(entries)}{form}</div>'


def _heading_in(form: str, text: str, attributes: str = "") -> str:
    """A heading in the element a layout draws: `h1`–`h4`, `div`, a one-cell table, a bold paragraph."""
    if form == "td":
        return f"<table><tr><td{attributes}>{text}</td></tr></table>"
    if form in ("p_strong", "strong_p"):
        return f"<p><strong>{text}</strong></p>"
    if form == "b_p":
        return f"<p><b>{text}</b></p>"
    return f"<{form}{attributes}>{text}</{form}>"


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday(names: tuple[str, ...], moment: datetime) -> str:
    return names[moment.weekday()]


# Each clock form as a format over the moment's fields (data, like the other forms).
_CLOCK_FORMS = {
    "24": "{hour:02d}:{minute:02d}", "24s": "{hour:02d}:{minute:02d}:{second:02d}",
    "12_sa_ch": "{twelve}:{minute:02d} {sa_ch}", "12_am_pm": "{twelve}:{minute:02d} {am_pm}",
    "12_sa_ch_s": "{twelve}:{minute:02d}:{second:02d} {sa_ch}", "24h_letter": "{hour:02d}h{minute:02d}",
    "12_words": "{twelve}:{minute:02d} {half}", "gio": "{hour} giờ {minute:02d}",
}
_COUNTER_FORMS = {
    "label_colon": "Lượt xem: {count}", "label_after": "{count} lượt xem",
    "sibling": "<span>Lượt xem:</span> <span>{count}</span>",
    "icon_label": '<img src="/images/eye.png" width="12" alt=""> {count} lượt đọc',
}


def _clock(moment: datetime, form: str) -> str:
    hour = moment.hour
    return _CLOCK_FORMS[form].format(
        hour=hour, minute=moment.minute, second=moment.second, twelve=hour % 12 or 12,
        sa_ch="SA" if hour < 12 else "CH", am_pm="AM" if hour < 12 else "PM",
        half="sáng" if hour < 12 else "chiều" if hour < 18 else "tối")

