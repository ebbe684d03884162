"""The layout generator's page: one article's view written into the layout drawn for it.

`render(view, chrome, layout)` places every block where the layout says — the meta line, byline,
lead, body, photos, `Tin khác`, comments — inside the chrome (menu, breadcrumb, sidebars, share bars)
and the wrappers it draws. How the dates, counter and byline read is `layout_text`'s; what a correct
parser extracts from the page is `layouts.truth_for`'s.
"""

from __future__ import annotations

import json
import random
import unicodedata

from crawler.replica.chrome import SITE_NAME, Chrome, Teaser, Typist, attr, esc, lorem_script
from crawler.replica.layout_text import byline_lines, counter_text, date_text, weekday
from crawler.replica.layouts import Layout, byline_unit, encoding_of, metadata_kind, section_on_meta_line
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image, Paragraph, Subheading, Traits
from crawler.replica.vietnamese import WEEKDAYS_LONG, slugify


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
        today = f"<span>{esc(weekday(WEEKDAYS_LONG, self.chrome.now))}, {self.chrome.now:%d/%m/%Y}</span>"
        # (Over the headline only where the article shows its own date with its clock: a bare day there
        # and nowhere else could be the article's, to a reader too.)
        bar = "over_headline" if layout.today_bar == "over_headline" and layout.date_display == "shown" \
            and layout.clock_shown else "top"
        over_headline = f'<div class="today">{today}</div>' if bar == "over_headline" else ""
        html = f"""{head}
<div class="top">{logo}{today if bar == "top" else ""}</div>
{self.menu()}
{left}
{self.category_before()}
{over_headline}
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

    def short_title(self) -> str:
        """The headline as `<title>` and the breadcrumb give it: whole, or its first words (two thirds
        of them, 20 characters or more), perhaps after a place; shortened only over a heading element
        (a `div`'s text would leave a reader of the markup nothing to tell the headline by)."""
        title = self.spec.title
        if self.layout.title_shortened == "no" or self.layout.headline_tag not in ("h1", "h2", "h3", "h4"):
            return title
        words = title.split()
        cut = " ".join(words[:max(4, -(-len(words) * 2 // 3))])
        if len(cut) < 20 or cut == title:
            return title
        return f"Điện Biên: {cut}" if self.layout.title_shortened == "place_cut" else cut

    def html_title(self) -> str:
        title, section = self.short_title(), self.spec.category.name
        form = self.layout.html_title
        if form == "site_section" and metadata_kind(self.layout) == "none" and not self.headline_set_apart():
            form = "title_site"  # (nothing else would state the headline)
        return {"title_site": f"{title} - {SITE_NAME}", "site_title": f"{SITE_NAME} - {title}",
                "section_title": f"{section} - {title}",
                "title_section_site": f"{title} | {section} | {SITE_NAME}",
                "site_section": f"{SITE_NAME} - {section}"}[form]

    def headline_set_apart(self) -> bool:
        """The page shows its headline as one a reader of the markup could tell without `<title>` or
        metadata stating it: a heading of the first ranks or big type, on a page showing its date,
        which links the words `<title>` gives to the section's page (else they could be a headline's)."""
        layout = self.layout
        section_linked = layout.menu_lists_category or layout.category_display in ("breadcrumb_home", "breadcrumb_sep", "link")
        return layout.headline_tag in ("h1", "h2", "h3", "font_td") and layout.date_display == "shown" and section_linked

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
            return f'<div class="crumbs"><span>{link}</span> › <span>{self.text(self.short_title())}</span></div>'
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

    def share(self, sharers: bool = False) -> str:
        if sharers:  # (the buttons link the sharing services with the article's address)
            page = attr(self.view.url)
            return (f'<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={page}">Facebook</a>'
                    f'<a href="https://zalo.me/share?u={page}">Zalo</a><button>Sao chép link</button></div>')
        return ('<div class="share"><a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Twitter</a>'
                ' <a href="#">Email</a></div>')

    # -- the article
    def article(self) -> str:
        layout, spec = self.layout, self.spec
        blocks = self.article_blocks()
        if not layout.microdata or layout.date_display == "none":
            return blocks
        stamps = [("datePublished", spec.published_at)]
        if self.view.shows_update:
            stamps.append(("dateModified", spec.updated_at))
        elif layout.modified_stamp == "always":
            stamps.append(("dateModified", spec.published_at))
        metas = "".join(f'<meta itemprop="{name}" content="{moment.isoformat()}">' for name, moment in stamps)
        return f'<div itemscope itemtype="https://schema.org/NewsArticle">{metas}\n{blocks}</div>'

    def article_blocks(self) -> str:
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
        if self.lead_in_box():
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
        if layout.recent_posts:
            after.append(self.recent_posts())
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
        if related and layout.share_after_related:
            related += self.share(sharers=True)
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
    def meta_lines(self) -> dict[str, str]:
        spec, view, layout = self.spec, self.view, self.layout
        pieces = []
        if layout.date_display == "shown":
            pieces.append(date_text(layout, spec.published_at, permalink=view.url))
            if section_on_meta_line(layout):
                pieces[-1] += (f' trong <a href="{self.section(spec.category.slug)}" rel="category tag">'
                               f'{self.text(spec.category.name)}</a>')
            if view.shows_update:
                pieces.append(date_text(layout, spec.updated_at, "Cập nhật:", view.url))
        if self.byline_in_meta():
            names = [self.text(name) for name in spec.byline.authors]
            if layout.byline_linked:
                names = [f'<a href="/tac-gia/{slugify(name)}">{shown}</a>' for name, shown in zip(spec.byline.authors, names)]
            label = layout.meta_byline_label
            if layout.meta_byline_credit == "credit_after":
                pieces.append(f"{', '.join(names)} (thực hiện)")  # credited after the names: no label
            elif not label and (layout.meta_element in ("lines", "table", "p") or layout.date_display != "shown"
                              or layout.meta_position in ("under_body", "after_lead")):
                # Names alone are a byline beside the date on one line by the headline; alone on a line,
                # or in the body's range, they read as a paragraph, so such pages label them.
                label = "Tác giả:"
                pieces.append(f"{label} {', '.join(names)}".strip())
            else:
                pieces.append(f"{label} {', '.join(names)}".strip())
        date_pieces = list(pieces)
        counter = counter_text(layout, view.views)
        if counter and layout.counter_neighbour == "comments_glued" and layout.counter_form in ("label_after", "icon_label"):
            counter += f"<span>{layout.comments} bình luận</span>"  # no space between: CSS sets them apart
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
    def byline_in_meta(self) -> bool:
        """`Tác giả: A, B` on the meta line, for bylines that are names only (else the byline stands
        at the bottom, apart)."""
        return self.layout.byline_position == "meta_line" and self.spec.byline.form in ("name", "two_authors")

    def byline_html(self) -> str:
        if self.layout.byline_position == "metadata_only" or self.byline_in_meta():
            return ""
        byline = self.spec.byline
        lines = byline_lines(self.layout, byline)
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
        unit = byline_unit(self.view, self.layout)
        if unit:
            rendered[0] += f" ({self.text(unit)})"
        elif self.layout.byline_fields and byline.form == "name" \
                and self.layout.byline_position in ("bottom_apart", "below_container", "article_footer"):
            # (a portal's fields close the article, its writer's name as a field's value)
            rows = [("Tác giả", self.text(byline.authors[0])), ("Người đăng", self.text("Nông Thị Hà"))]
            return '<table class="fields">' + "".join(
                f'<tr><td style="text-align:right"><strong>{label}:</strong> {value}</td></tr>' for label, value in rows) \
                + "</table>" + self.print_buttons()
        if self.layout.byline_position == "bottom_in_last":
            return "<br>" + "<br>".join(rendered)
        if self.layout.byline_elements == "glued_spans" and len(rendered) > 1:
            return '<div class="author">' + "".join(f"<span>{line}</span>" for line in rendered) + "</div>" \
                + self.print_buttons()
        return '<div class="author">' + "".join(f"<p>{line}</p>" for line in rendered) + "</div>" + self.print_buttons()

    def print_buttons(self) -> str:
        """Joomla's `In Email` under the byline: the print link's address names the article by an
        id and a shortened alias, which reads like another article's."""
        if not self.layout.print_buttons or self.layout.byline_position not in ("bottom_apart", "below_container"):
            return ""  # (buttons closing the article, under a byline that does)
        alias = "-".join(self.spec.slug.split("-")[:4])
        return (f'<div class="buttonheading"><a href="/print/{self.spec.index + 100}-{alias}?tmpl=component&amp;print=1" '
                'title="In" rel="nofollow">In</a> <a href="/component/mailto/?tmpl=component&amp;link=x" title="Email">Email</a></div>')

    # -- lead
    def lead_in_box(self) -> bool:
        """The plain lead boxed inside the body's container, over two paragraphs or more: over a
        brief's one paragraph, two plain boxes would look alike but for the CSS, so the lead keeps
        its style there."""
        return self.layout.lead_in_body_box and sum(isinstance(b, Paragraph) for b in self.spec.body) >= 2

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
        elif not self.spec.sapo_marked:
            text = self.text(self.layout.reprint_mark) + text
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
        if self.lead_in_box() and self.spec.sapo:
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
        mark = self.layout.related_bullet
        anchors = [f'<a href="{attr(url)}">{mark}{self.text(title)}</a>' for url, title in links]
        heading, form = self.layout.related_heading, self.layout.related_list
        if heading == "b_inline":
            # The heading shares a block with its links.
            joiner = "<br>" if form in ("p_br", "ul", "divs") else " "
            return f'<div class="other"><b>{words}:</b>{joiner}' + joiner.join(anchors) + "</div>"
        title = {"h2": f"<h2>{words}</h2>", "h3": f"<h3>{words.upper()}</h3>", "div": f'<div class="hd">{words}</div>',
                 "span_block": f'<div><span>Các {words[0].lower()}{words[1:]}</span></div>',
                 "strong_p": f"<p><strong>{words}:</strong></p>",
                 "xem_them": "<p><strong>Xem thêm:</strong></p>"}[heading]
        if self.layout.related_cards and self.layout.related_card_link == "whole":
            listing = '<div class="grid">' + "".join(
                f'<a class="card" href="{attr(url)}"><div class="thumb"><img src="/thumbs/{n}.jpg" alt=""></div>'
                f'<div class="card-title">{self.text(title)}</div></a>' for n, (url, title) in enumerate(links)) + "</div>"
        elif self.layout.related_cards:
            listing = '<div class="grid">' + "".join(
                f'<article><a href="{attr(url)}"><img src="/thumbs/{n}.jpg" alt=""></a><h3>{anchor}</h3></article>'
                for n, ((url, _), anchor) in enumerate(zip(links, anchors))) + "</div>"
        elif form == "ul":
            listing = "<ul>" + "".join(f"<li>{a}</li>" for a in anchors) + "</ul>"
        elif form == "divs":
            listing = "".join(f'<div class="it">{a}</div>' for a in anchors)
        elif form == "p_br":
            listing = "<p>" + "<br>".join(anchors) + "</p>"
        else:
            listing = "<div>" + " ".join(anchors) + "</div>"
        return f'<div class="other">{title}{listing}</div>'

    def recent_posts(self) -> str:
        """A theme's widget of the latest posts, titled by its heading alone."""
        teasers = [t for t in self.chrome.latest if t.path != self.view.path][:5]
        items = "".join(f'<li><a href="{self.href(t.path)}">{esc(t.title)}</a></li>' for t in teasers)
        return f'<section class="widget widget_recent_entries"><h2 class="widget-title">Bài viết gần đây</h2><ul>{items}</ul></section>'

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
        heading = self.layout.comment_heading
        if heading == "default":
            heading = "Bình luận" if count else "Gửi bình luận"
        heading = f"<h3>{heading}</h3>"
        form = '<form action="/binh-luan" method="post"><textarea name="c"></textarea><button>Gửi</button></form>'
        return f'<div class="comments">{heading}{"".join(entries)}{form}</div>'


def _heading_in(form: str, text: str, attributes: str = "") -> str:
    """A heading in the element a layout draws: `h1`–`h4`, `div`, a one-cell table, a bold paragraph."""
    if form == "td":
        return f"<table><tr><td{attributes}>{text}</td></tr></table>"
    if form == "font_td":
        return f'<table><tr><td{attributes}><font size="4" color="#003399"><b>{text}</b></font></td></tr></table>'
    if form in ("p_strong", "strong_p"):
        return f"<p><strong>{text}</strong></p>"
    if form == "b_p":
        return f"<p><b>{text}</b></p>"
    return f"<{form}{attributes}>{text}</{form}>"

