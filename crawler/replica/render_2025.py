"""The 2025 generation (baodienbienphu.vn): `<article>`, JSON-LD NewsArticle + BreadcrumbList, SVG icons.

The author block sits under the title, the date reads `17/08/2020 08:33 (GMT+7)`, views may be short
(`3,8 N`, `12K`, `1,2 Tr`), and a photo's credit is a paragraph of its own inside `<figcaption>`.
This generation is also the live site's shell, so home, listing, search and error pages use `shell`.
"""

from __future__ import annotations

import json

from crawler.replica.chrome import (
    ADDRESS, COPYRIGHT, EDITOR, EMAIL, LICENCE, PHONES, SITE_NAME, SITE_SLOGAN, Chrome, Typist, album_items,
    video_items, website_link_items, ad_config, attr, esc, lorem_script, mega_footer, style_sheet,
    today_line, category_menu, extra_menu,
)
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image, Paragraph, Subheading
from crawler.replica.vietnamese import slugify

CLASSES = ["hd", "hd__top", "hd__date", "hd__logo", "hd__search", "nav", "nav__item", "nav__sub", "main",
           "wrap", "grid", "grid__main", "grid__side", "breadcrumbs", "article", "article__header",
           "article__cate", "article__title", "article__meta", "article__author", "article__author-name",
           "article__author-role", "article__time", "article__views", "article__updated", "article__sapo",
           "article__body", "article__footer", "article__share", "article__tags", "comments", "comments__form",
           "related", "related__list", "box", "box__title", "card", "card__title", "card__time", "card__sapo",
           "card__thumb", "ft", "ft__menu", "ft__info", "icon", "credit", "banner", "pagination", "listing",
           "empty", "search-result", "error-page"]

SVG_SPRITE = "".join(
    f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{path}"/></symbol>'
    for name, path in (
        ("eye", "M12 4.5C7 4.5 2.73 7.61 1 12c1.73 4.39 6 7.5 11 7.5s9.27-3.11 11-7.5c-1.73-4.39-6-7.5-11-7.5zM12 17c-2.76 0-5-2.24-5-5s2.24-5 5-5 5 2.24 5 5-2.24 5-5 5zm0-8c-1.66 0-3 1.34-3 3s1.34 3 3 3 3-1.34 3-3-1.34-3-3-3z"),
        ("clock", "M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8zm.5-13H11v6l5.25 3.15.75-1.23-4.5-2.67z"),
        ("print", "M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z"),
        ("facebook", "M22 12c0-5.52-4.48-10-10-10S2 6.48 2 12c0 4.84 3.44 8.87 8 9.8V15H8v-3h2V9.5C10 7.57 11.57 6 13.5 6H16v3h-2c-.55 0-1 .45-1 1v2h3v3h-3v6.95c5.05-.5 9-4.76 9-9.95z"),
        ("zalo", "M12 2C6.48 2 2 6.03 2 11c0 2.84 1.46 5.37 3.75 7.02V22l3.43-1.88c.9.25 1.85.38 2.82.38 5.52 0 10-4.03 10-9S17.52 2 12 2zm1 12H8v-1.5l3-3.5H8V8h5v1.5l-3 3.5h3V14z"),
        ("search", "M15.5 14h-.79l-.28-.27C15.41 12.59 16 11.11 16 9.5 16 5.91 13.09 3 9.5 3S3 5.91 3 9.5 5.91 16 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z"),
        ("menu", "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z"),
        ("link", "M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7c-2.76 0-5 2.24-5 5s2.24 5 5 5h4v-1.9H7c-1.71 0-3.1-1.39-3.1-3.1zM8 13h8v-2H8v2zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4c2.76 0 5-2.24 5-5s-2.24-5-5-5z"),
    ))


def icon(name: str) -> str:
    return f'<svg class="icon" width="16" height="16" aria-hidden="true"><use href="#icon-{name}"></use></svg>'


def shell(*, title: str, chrome: Chrome, main: str, head_extra: str = "", body_class: str = "",
          side: bool = True, charset: str = "utf-8", declared_in: str = "both") -> str:
    """The live site's page: head, header and menu, `main`, the side column, footer and scripts."""
    side_html = f'<aside class="grid__side">{_side(chrome)}</aside>' if side else ""
    return f"""<!doctype html>
<html lang="vi">
<head>
{"" if declared_in == "header" else f'<meta charset="{charset}">'}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head_extra}
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link rel="stylesheet" href="/assets/app.4f2c9a.css">
<style>
{style_sheet(CLASSES, "2025-css")}
</style>
<script>
{ad_config("2025-ads")}
</script>
</head>
<body class="{body_class}">
<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{SVG_SPRITE}</svg>
{_header(chrome)}
<main class="main"><div class="wrap"><div class="grid">
<div class="grid__main">
{main}
</div>
{side_html}
</div></div></main>
{_footer(chrome)}
<script>
{lorem_script("2025-bundle", 180)}
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-DBP2025XYZ"></script>
</body>
</html>
"""


def render(view: ArticleView, chrome: Chrome, charset: str = "utf-8", declared_in: str = "both") -> str:
    spec = view.spec
    typist = Typist(view.traits, f"dbp-replica/typist/{spec.index}/2025/{spec.revision}", loose_whitespace=False)
    first_image = next((b.path for b in spec.body if isinstance(b, Image)), "/assets/og-default.jpg")
    head = f"""<meta name="description" content="{attr(spec.sapo or spec.title)}">
<link rel="canonical" href="{attr(view.url)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(spec.title)}">
<meta property="og:description" content="{attr(spec.sapo or '')}">
<meta property="og:url" content="{attr(view.url)}">
<meta property="og:image" content="{attr(view.absolute(first_image))}">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">{_json_ld(view, first_image)}</script>
<script type="application/ld+json">{_breadcrumb_ld(view)}</script>"""
    main = f"""<nav class="breadcrumbs" aria-label="breadcrumb"><ol>
<li><a href="{view.base_url}/">Trang chủ</a></li>
<li><a href="{view.base_url}/tin-tuc/{spec.category.slug}/">{esc(spec.category.name)}</a></li>
</ol></nav>
<article class="article">
<header class="article__header">
<a class="article__cate" href="{view.base_url}/tin-tuc/{spec.category.slug}/">{esc(spec.category.name)}</a>
<h1 class="article__title">{typist.plain(spec.title)}</h1>
<div class="article__meta">
{_author(view, typist)}
{_times(view)}
</div>
</header>
{_sapo(view, typist)}
<div class="article__body">
{"".join(_block(block, view, typist) for block in spec.body)}
</div>
<div class="article__footer">
{_tags(view)}
<div class="article__share">
<a href="https://www.facebook.com/sharer/sharer.php?u={attr(view.url)}" target="_blank" rel="noopener">{icon("facebook")} Facebook</a>
<a href="https://sp.zalo.me/share_inline?url={attr(view.url)}" target="_blank" rel="noopener">{icon("zalo")} Zalo</a>
<button type="button" onclick="navigator.clipboard.writeText(location.href)">{icon("link")} Sao chép</button>
<a href="javascript:window.print()">{icon("print")} In bài viết</a>
</div>
</div>
</article>
{_comments()}
{_related(view, typist)}
{_same_category(view, chrome)}"""
    return shell(title=f"{spec.title} | {SITE_NAME}", chrome=chrome, main=main, head_extra=head,
                 body_class="page-article", charset=charset, declared_in=declared_in)


def _json_ld(view: ArticleView, first_image: str) -> str:
    spec = view.spec
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": view.url},
        "headline": spec.title,
        "image": [view.absolute(image.path) for image in spec.images] or [view.absolute(first_image)],
        "datePublished": spec.published_at.isoformat(),
        "articleSection": spec.category.name,
        "inLanguage": "vi",
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "logo": {"@type": "ImageObject", "url": f"{view.base_url}/assets/logo.png"}},
    }
    if spec.sapo:
        data["description"] = spec.sapo
    if view.shows_update:
        data["dateModified"] = spec.updated_at.isoformat()
    if spec.byline.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in spec.byline.authors]
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _breadcrumb_ld(view: ArticleView) -> str:
    spec = view.spec
    items = [("Trang chủ", f"{view.base_url}/"), (spec.category.name, f"{view.base_url}/tin-tuc/{spec.category.slug}/"),
             (spec.title, view.url)]
    data = {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": n, "name": name, "item": url}
                                for n, (name, url) in enumerate(items, 1)]}
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _author(view: ArticleView, typist: Typist) -> str:
    byline = view.spec.byline
    role = (f'<span class="article__author-role">{typist.plain(byline.role)}</span>' if byline.role else "")
    return (f'<div class="article__author"><span class="article__author-name">{typist.plain(byline.lines[0])}</span>'
            f"{role}</div>")


def _times(view: ArticleView) -> str:
    spec = view.spec
    parts = [f'<time class="article__time" datetime="{spec.published_at.isoformat()}">{icon("clock")} '
             f"{spec.published_at:%d/%m/%Y %H:%M} (GMT+7)</time>"]
    if view.shows_update:
        parts.append(f'<span class="article__updated">Cập nhật: <time datetime="{spec.updated_at.isoformat()}">'
                     f"{spec.updated_at:%d/%m/%Y %H:%M} (GMT+7)</time></span>")
    if view.views:
        shown = view.views[0]
        label = f"{shown} lượt xem" if view.traits.views_label_after else f"Lượt xem: {shown}"
        parts.append(f'<span class="article__views">{icon("eye")} {label}</span>')
    return "\n".join(parts)


def _sapo(view: ArticleView, typist: Typist) -> str:
    spec = view.spec
    if not spec.sapo:
        return ""
    mark = "<strong>ĐBP</strong> - " if spec.sapo_marked else ""
    return f'<div class="article__sapo"><p>{mark}{typist.prose(spec.sapo, emphasis=False)}</p></div>'


def _block(block, view: ArticleView, typist: Typist) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{typist.prose(block.text)}</p>\n"
    if isinstance(block, Subheading):
        return f"<h2>{typist.plain(block.text)}</h2>\n"
    assert isinstance(block, Image)
    src = view.absolute(block.path)
    caption = ""
    if block.caption or block.credit:
        text = f"<p>{typist.plain(block.caption)}</p>" if block.caption else ""
        credit = f'<p class="credit">Ảnh: {typist.plain(block.credit)}</p>' if block.credit else ""
        caption = f"<figcaption>{text}{credit}</figcaption>"
    return (f'<figure class="article__image"><img src="{src}" srcset="{src} 1x, {src}?w=1600 2x" '
            f'alt="{attr(block.caption or "")}" loading="lazy" width="800" height="533">{caption}</figure>\n')


def _tags(view: ArticleView) -> str:
    if not view.traits.tags:
        return ""
    return ('<div class="article__tags">' + " ".join(
        f'<a href="{view.base_url}/tag/{slugify(t)}">#{esc(t)}</a>' for t in view.traits.tags) + "</div>")


def _comments() -> str:
    return """<section class="comments" id="binh-luan">
<h2 class="box__title">Bình luận</h2>
<form class="comments__form" action="/binh-luan/gui" method="post">
<textarea name="content" rows="4" placeholder="Viết bình luận của bạn..." required></textarea>
<div><input type="text" name="name" placeholder="Họ tên" required> <input type="email" name="email" placeholder="Email"></div>
<button type="submit">Gửi</button>
</form>
<p>Chưa có bình luận nào.</p>
</section>"""


def _related(view: ArticleView, typist: Typist) -> str:
    if not view.related:
        return ""
    items = "\n".join(f'<li><a href="{attr(url)}">{typist.plain(title)}</a></li>' for url, title in view.related)
    return f"""<section class="related"><h2 class="box__title">Tin khác</h2>
<ul class="related__list">
{items}
</ul></section>"""


def _same_category(view: ArticleView, chrome: Chrome) -> str:
    teasers = [t for t in chrome.by_category.get(view.spec.category.slug, ()) if t.path != view.path]
    if not teasers:
        return ""
    return ('<section class="box"><h2 class="box__title">Cùng chuyên mục</h2>'
            + "\n".join(card(t) for t in teasers) + "</section>")


def card(teaser, base_url: str = "", summary: bool = True) -> str:
    thumb = (f'<a class="card__thumb" href="{base_url}{attr(teaser.path)}"><img src="{teaser.thumbnail}" alt="" loading="lazy" width="240" height="160"></a>'
             if teaser.thumbnail else "")
    text = f'<p class="card__sapo">{esc(teaser.summary)}</p>' if summary and teaser.summary else ""
    return f"""<div class="card">{thumb}<h3 class="card__title"><a href="{base_url}{attr(teaser.path)}">{esc(teaser.title)}</a></h3>
<span class="card__time">{icon("clock")} {teaser.published_at:%d/%m/%Y %H:%M}</span>{text}</div>"""


def _header(chrome: Chrome) -> str:
    items = category_menu(chrome.categories, item_class="nav__item", sub_class="nav__sub")
    extras = extra_menu("nav__item")
    return f"""<header class="hd">
<div class="hd__top"><div class="wrap"><span class="hd__date">{today_line(chrome.now)}</span>
<a href="/bao-in/">Báo in</a> <a href="/en/">English</a> <a href="/rss/">RSS</a></div></div>
<div class="wrap"><a class="hd__logo" href="/"><img src="/assets/logo.svg" alt="{SITE_NAME}" width="360" height="64"></a>
<form class="hd__search" action="/tim-kiem" method="get" role="search"><input type="search" name="q" placeholder="Nhập từ khóa"><button type="submit">{icon("search")}</button></form></div>
<nav class="nav"><div class="wrap"><button type="button" aria-label="Menu">{icon("menu")}</button><ul>
<li class="nav__item"><a href="/">Trang chủ</a></li>
{items}
{extras}
</ul></div></nav>
</header>"""


def _side(chrome: Chrome) -> str:
    latest = "\n".join(card(t) for t in chrome.latest)
    most_read = "\n".join(f'<li><a href="{attr(t.path)}">{esc(t.title)}</a></li>' for t in chrome.most_read)
    focus = "\n".join(card(t, summary=False) for t in chrome.photo_news)
    videos = video_items()
    photos = album_items("/media/albums/{n}.jpg", 'alt="" width="135" loading="lazy"')
    links = website_link_items()
    return f"""<section class="box"><h2 class="box__title">Tin mới</h2>
{latest}
</section>
<div class="banner"><a href="/quang-cao/1"><img src="/media/ads/300x250.jpg" width="300" height="250" alt=""></a></div>
<section class="box"><h2 class="box__title">Đọc nhiều</h2><ol>
{most_read}
</ol></section>
<section class="box"><h2 class="box__title">Tiêu điểm</h2>
{focus}
</section>
<section class="box"><h2 class="box__title">Video</h2><ul>{videos}</ul></section>
<section class="box"><h2 class="box__title">Ảnh</h2><ul>{photos}</ul></section>
<section class="box"><h2 class="box__title">Liên kết</h2><ul>{links}</ul></section>"""


def _footer(chrome: Chrome) -> str:
    menu = "".join(f'<li><a href="/tin-tuc/{c.slug}/">{esc(c.name)}</a></li>' for c in chrome.categories)
    return f"""<footer class="ft"><div class="wrap">
<ul class="ft__menu">{menu}</ul>
<nav class="ft__menu">{mega_footer(chrome.categories)}</nav>
<div class="ft__info">
<p><strong>{SITE_NAME.upper()}</strong></p>
<p>{esc(SITE_SLOGAN)}</p>
<p>{esc(LICENCE)}</p>
<p>{esc(EDITOR)}</p>
<p>{esc(ADDRESS)}</p>
<p>{esc(PHONES)}</p>
<p>{esc(EMAIL)}</p>
<p>{esc(COPYRIGHT)}</p>
</div></div></footer>"""
