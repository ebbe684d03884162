"""The 2023 generation (baodienbienphu.com.vn): HTML5 divs and sections with class names, Open Graph tags.

Dates come in several arrangements (`Thứ 2, 17/08/2020 | 08:33`, `17/08/2020 08:33`,
`Thứ Hai, 17/08/2020 - 08:33`, `T2, 17/08/2020, 08:33`) inside `<time datetime=…>`; views as
`Lượt xem: 5.717`, `5,717` or `5717`; photos in `<figure>/<figcaption>`; an author block after the
body; `Cập nhật: …` once the article has been edited; readers' comments under the form.
"""

from __future__ import annotations

import random
from datetime import timedelta

from crawler.replica.chrome import (
    ADDRESS, ANALYTICS, COPYRIGHT, EDITOR, EMAIL, FACEBOOK_SDK, LICENCE, PHONES, SITE_NAME, SITE_SLOGAN,
    Chrome, Typist, category_menu, extra_menu, album_items, video_items, website_link_items, ad_config, attr,
    esc, lorem_script, mega_footer, style_sheet, today_line, weekday_name,
)
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image, Paragraph, Subheading
from crawler.replica.vietnamese import (
    PAPER_MARK, WEEKDAYS_LONG_CAPITALISED, WEEKDAYS_NUMBERED, WEEKDAYS_SHORT, slugify,
)
from crawler.replica import wordbank

CLASSES = ["site-header", "topbar", "topbar__date", "logo", "main-nav", "main-nav__item", "main-nav__sub",
           "site-main", "container", "row", "col-main", "col-side", "breadcrumb", "detail", "detail__title",
           "detail__meta", "detail__time", "detail__views", "detail__updated", "detail__print", "detail__share",
           "detail__sapo", "detail__content", "detail__author", "author-name", "author-role", "detail__tags",
           "box-title", "detail__comments", "comment-form", "comment-list", "comment-item", "detail__related",
           "related-list", "widget", "widget__title", "story", "story__title", "story__time", "story__sapo",
           "story__thumb", "site-footer", "footer-menu", "footer-info", "ads", "search-form", "image",
           "align-center"]


def date_text(view: ArticleView) -> str:
    moment, style, shift = view.spec.published_at, view.traits.date_style, view.traits.weekday_shift
    day, clock = f"{moment:%d/%m/%Y}", f"{moment:%H:%M}"
    if style == "numbered_pipe":
        return f"{weekday_name(WEEKDAYS_NUMBERED, moment, shift)}, {day} | {clock}"
    if style == "long_dash":
        return f"{weekday_name(WEEKDAYS_LONG_CAPITALISED, moment, shift)}, {day} - {clock}"
    if style == "short_comma":
        return f"{weekday_name(WEEKDAYS_SHORT, moment, shift)}, {day}, {clock}"
    return f"{day} {clock}"


def render(view: ArticleView, chrome: Chrome, charset: str = "utf-8", declared_in: str = "both") -> str:
    spec = view.spec
    typist = Typist(view.traits, f"dbp-replica/typist/{spec.index}/2023/{spec.revision}")
    first_image = next((b.path for b in spec.body if isinstance(b, Image)), "/themes/bdb/images/og-default.jpg")
    modified = (f'\n<meta property="article:modified_time" content="{spec.updated_at.isoformat()}">'
                if view.shows_update else "")
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
{"" if declared_in == "header" else f'<meta charset="{charset}">'}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(spec.title)} | {SITE_NAME}</title>
<meta name="description" content="{attr(spec.sapo or spec.title)}">
<link rel="canonical" href="{attr(view.url)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:title" content="{attr(spec.title)}">
<meta property="og:description" content="{attr(spec.sapo or '')}">
<meta property="og:url" content="{attr(view.url)}">
<meta property="og:image" content="{attr(view.absolute(first_image))}">
<meta property="article:section" content="{attr(spec.category.name)}">
<meta property="article:published_time" content="{spec.published_at.isoformat()}">{modified}
<link rel="stylesheet" href="/themes/bdb/css/main.min.css?v=3.2.7">
<link rel="icon" href="/favicon.ico">
<style>
{style_sheet(CLASSES, "2023-css")}
</style>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-DBP2023XYZ"></script>
<script>
{ANALYTICS}
</script>
<script>
{ad_config("2023-ads")}
</script>
</head>
<body class="page-detail">
<div id="fb-root"></div>
<script>{FACEBOOK_SDK}</script>
{_header(chrome)}
<main class="site-main">
<div class="container">
<div class="row">
<div class="col-main">
<div class="breadcrumb"><a href="/">Trang chủ</a> <span>/</span> <a href="/tin-tuc/{spec.category.slug}/">{typist.plain(spec.category.name)}</a></div>
<section class="detail" id="detail-{spec.article_id}">
<h1 class="detail__title">{typist.plain(spec.title)}</h1>
{_meta(view)}
{_share(view)}
{_sapo(view, typist)}
<div class="detail__content" id="article-content">
{"".join(_block(block, typist) for block in spec.body)}
</div>
{_author(view, typist)}
{_tags(view)}
{_comments(view)}
{_related(view, typist)}
</section>
{_same_category(view, chrome)}
{_more_stories(chrome)}
</div>
<aside class="col-side">
{_side(chrome)}
</aside>
</div>
</div>
</main>
{_footer(chrome)}
<script>
{lorem_script("2023-bundle", 210)}
</script>
</body>
</html>
"""


def _header(chrome: Chrome) -> str:
    items = category_menu(chrome.categories, item_class="main-nav__item", sub_class="main-nav__sub")
    extras = extra_menu("main-nav__item")
    return f"""<header class="site-header">
<div class="topbar"><div class="container">
<span class="topbar__date">{today_line(chrome.now)}</span>
<span class="topbar__links"><a href="/bao-in/">Báo in</a> <a href="/rss/">RSS</a> <a href="/en/">English</a> <a href="tel:02153825129">Đường dây nóng: 0215.3825.129</a></span>
</div></div>
<div class="container"><a class="logo" href="/"><img src="/themes/bdb/images/logo.png" alt="{SITE_NAME}" width="420" height="80"></a>
<form class="search-form" action="/tim-kiem" method="get"><input type="search" name="q" placeholder="Tìm kiếm..."><button type="submit">Tìm</button></form></div>
<nav class="main-nav"><div class="container"><ul>
<li class="main-nav__item"><a href="/">Trang chủ</a></li>
{items}
{extras}
</ul></div></nav>
</header>"""


def _meta(view: ArticleView) -> str:
    spec = view.spec
    parts = [f'<time class="detail__time" datetime="{spec.published_at.isoformat()}">{date_text(view)}</time>']
    if view.views:
        parts.append(f'<span class="detail__views"><i class="fa fa-eye"></i> Lượt xem: {view.views[0]}</span>')
    if view.shows_update:
        updated = spec.updated_at
        parts.append(f'<span class="detail__updated">Cập nhật: <time datetime="{updated.isoformat()}">'
                     f'{updated:%d/%m/%Y %H:%M}</time></span>')
    parts.append('<a class="detail__print" href="#" onclick="window.print();return false;">In bài viết</a>')
    return '<div class="detail__meta">' + "\n".join(parts) + "</div>"


def _share(view: ArticleView) -> str:
    url = attr(view.url)
    return f"""<div class="detail__share">
<a href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank" rel="noopener" title="Chia sẻ Facebook"><i class="fa fa-facebook"></i></a>
<a href="https://sp.zalo.me/share_inline?url={url}" target="_blank" rel="noopener" title="Chia sẻ Zalo"><i class="fa fa-zalo"></i></a>
<a href="https://twitter.com/intent/tweet?url={url}" target="_blank" rel="noopener" title="Twitter"><i class="fa fa-twitter"></i></a>
<a href="#" onclick="navigator.clipboard.writeText(location.href);return false;" title="Sao chép liên kết"><i class="fa fa-link"></i></a>
</div>"""


def _sapo(view: ArticleView, typist: Typist) -> str:
    spec = view.spec
    if not spec.sapo:
        return ""
    mark = PAPER_MARK if spec.sapo_marked else ""
    return f'<h2 class="detail__sapo">{mark}{typist.prose(spec.sapo, emphasis=False)}</h2>'


def _block(block, typist: Typist) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{typist.prose(block.text)}</p>\n{typist.maybe_empty_paragraph()}"
    if isinstance(block, Subheading):
        return f"<h3>{typist.plain(block.text)}</h3>\n"
    assert isinstance(block, Image)
    caption = block.printed_caption()
    figcaption = f"<figcaption>{typist.plain(caption)}</figcaption>" if caption else ""
    return (f'<figure class="image align-center"><img src="{block.path}" alt="{attr(block.caption or "")}" '
            f'width="800" height="533">{figcaption}</figure>\n')


def _author(view: ArticleView, typist: Typist) -> str:
    byline = view.spec.byline
    lines = byline.lines
    if byline.role:
        return (f'<div class="detail__author"><p class="author-name"><strong>{typist.plain(lines[0])}</strong></p>'
                f'<p class="author-role"><em>{typist.plain(lines[1])}</em></p></div>')
    return f'<div class="detail__author"><p class="author-name"><strong>{typist.plain(lines[0])}</strong></p></div>'


def _tags(view: ArticleView) -> str:
    if not view.traits.tags:
        return ""
    links = " ".join(f'<a href="/tag/{slugify(t)}">{esc(t)}</a>' for t in view.traits.tags)
    return f'<div class="detail__tags"><span>Từ khóa:</span> {links}</div>'


def _comments(view: ArticleView) -> str:
    rng = random.Random(f"dbp-replica/comments/{view.spec.index}")
    items = []
    for number in range(view.traits.comment_count):
        moment = view.spec.published_at + timedelta(minutes=rng.randint(30, 4000))
        items.append(f"""<div class="comment-item"><p><strong>{esc(rng.choice(wordbank.PEOPLE))}</strong>
<span class="story__time">{moment:%H:%M %d/%m/%Y}</span></p>
<p>{esc(rng.choice(wordbank.QUOTES))}.</p></div>""")
    listing = f'<div class="comment-list">{"".join(items)}</div>' if items else ""
    return f"""<section class="detail__comments" id="binh-luan">
<h3 class="box-title">Bình luận</h3>
<form class="comment-form" action="/binh-luan/gui" method="post">
<textarea name="content" rows="4" placeholder="Ý kiến của bạn..."></textarea>
<input type="text" name="name" placeholder="Họ và tên">
<input type="email" name="email" placeholder="Email">
<button type="submit">Gửi bình luận</button>
</form>
{listing}
</section>"""


def _related(view: ArticleView, typist: Typist) -> str:
    if not view.related:
        return ""
    items = "\n".join(f'<li><a href="{attr(url)}">{typist.plain(title)}</a></li>' for url, title in view.related)
    return f"""<section class="detail__related">
<h3 class="box-title">Tin khác</h3>
<ul class="related-list">
{items}
</ul>
</section>"""


def _story(teaser, with_summary: bool = True) -> str:
    thumb = (f'<a class="story__thumb" href="{attr(teaser.path)}"><img src="{teaser.thumbnail}" alt="" width="240" height="160"></a>'
             if teaser.thumbnail else "")
    summary = f'<p class="story__sapo">{esc(teaser.summary)}</p>' if with_summary and teaser.summary else ""
    return f"""<div class="story">{thumb}
<h3 class="story__title"><a href="{attr(teaser.path)}">{esc(teaser.title)}</a></h3>
<span class="story__time">{teaser.published_at:%d/%m/%Y %H:%M}</span>
{summary}</div>"""


def _same_category(view: ArticleView, chrome: Chrome) -> str:
    teasers = [t for t in chrome.by_category.get(view.spec.category.slug, ()) if t.path != view.path]
    if not teasers:
        return ""
    return ('<div class="widget"><h2 class="widget__title">Tin cùng chuyên mục</h2>'
            + "\n".join(_story(t) for t in teasers) + "</div>")


def _more_stories(chrome: Chrome) -> str:
    return ('<div class="widget"><h2 class="widget__title">Tin tiêu điểm</h2>'
            + "\n".join(_story(t) for t in chrome.photo_news) + "</div>")


def _side(chrome: Chrome) -> str:
    latest = "\n".join(_story(t) for t in chrome.latest)
    most_read = "\n".join(
        f'<li><a href="{attr(t.path)}">{esc(t.title)}</a> <span class="story__time">{t.published_at:%d/%m/%Y}</span></li>'
        for t in chrome.most_read)
    videos = video_items()
    photos = album_items("/uploads/albums/{n}.jpg")
    links = website_link_items()
    return f"""<div class="widget"><h2 class="widget__title">Tin mới</h2>
{latest}
</div>
<div class="ads"><a href="/quang-cao/1"><img src="/uploads/ads/300x250-1.jpg" width="300" height="250" alt=""></a></div>
<div class="widget"><h2 class="widget__title">Đọc nhiều</h2><ol>
{most_read}
</ol></div>
<div class="widget"><h2 class="widget__title">Video</h2><ul>{videos}</ul></div>
<div class="widget"><h2 class="widget__title">Ảnh</h2><ul>{photos}</ul></div>
<div class="widget"><h2 class="widget__title">Liên kết</h2><ul>{links}</ul></div>"""


def _footer(chrome: Chrome) -> str:
    menu = "".join(f'<li><a href="/tin-tuc/{c.slug}/">{esc(c.name)}</a></li>' for c in chrome.categories)
    return f"""<footer class="site-footer">
<div class="container">
<ul class="footer-menu">{menu}</ul>
<div class="footer-menu">{mega_footer(chrome.categories)}</div>
<div class="footer-info">
<p><strong>{SITE_NAME.upper()}</strong> - {esc(SITE_SLOGAN)}</p>
<p>{esc(LICENCE)}</p>
<p>{esc(EDITOR)}</p>
<p>{esc(ADDRESS)}</p>
<p>{esc(PHONES)}</p>
<p>{esc(EMAIL)}</p>
<p>{esc(COPYRIGHT)}</p>
</div>
</div>
</footer>"""
