"""The 2020 generation (baodienbienphu.info.vn, the seed's era): XHTML tables, inline styles, no metadata.

The date line reads `08:33 - Thứ Hai, 17/08/2020 Lượt xem: 5717 In bài viết`; the byline is one or two
right-aligned paragraphs closing the body; captions sit in a second table row under the photo.
"""

from __future__ import annotations

from crawler.replica.chrome import (
    ADDRESS, ANALYTICS, EDITOR, EMAIL, FACEBOOK_SDK, LICENCE, PHONES, SITE_NAME, SITE_SLOGAN, WEBSITE_LINKS,
    Chrome, Typist, category_menu, extra_menu, album_items, video_items, ad_config, attr, esc, lorem_script,
    mega_footer, style_sheet, today_line, weekday_name,
)
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image, Paragraph, Subheading
from crawler.replica.vietnamese import PAPER_MARK, WEEKDAYS_LONG

CLASSES = ["wrapper", "header_top", "banner", "menu_top", "menu_sub", "breadcrumb", "title_detail",
           "date_detail", "view_count", "print", "sapo_detail", "content_detail", "image_desc", "tools",
           "share", "comment_box", "title_box", "other_news", "date_other", "right_col", "box_right",
           "box_title", "news_item", "news_date", "news_sapo", "footer", "footer_info", "weblink",
           "counter", "ad_right", "video_list", "photo_list", "search_box", "lang"]


def render(view: ArticleView, chrome: Chrome, charset: str = "utf-8", declared_in: str = "both") -> str:
    """The page; `declared_in` says whether the `<meta>` names the charset ("header" leaves it out)."""
    spec = view.spec
    typist = Typist(view.traits, f"dbp-replica/typist/{spec.index}/2020/{spec.revision}")
    meta_charset = ("" if declared_in == "header"
                    else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{meta_charset}<title>{esc(spec.title)} - {SITE_NAME} điện tử</title>
<meta name="keywords" content="{attr(spec.category.name)}, Điện Biên, báo Điện Biên Phủ" />
<meta name="description" content="{attr(spec.sapo or spec.title)}" />
<link href="/Styles/style.css?v=2019" rel="stylesheet" type="text/css" />
<link rel="shortcut icon" href="/favicon.ico" />
<style type="text/css">
{style_sheet(CLASSES, "2020-css")}
</style>
<script type="text/javascript" src="/Scripts/jquery-1.4.2.min.js"></script>
<script type="text/javascript">
{ANALYTICS}
</script>
<script type="text/javascript">
{ad_config("2020-ads")}
</script>
</head>
<body style="margin:0;background:#e9e9e9">
<div id="fb-root"></div>
<script type="text/javascript">{FACEBOOK_SDK}</script>
<div id="wrapper" class="wrapper">
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center" style="background:#fff">
{_header(chrome)}
<tr><td style="padding:10px">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr>
<td valign="top" width="680" style="padding-right:15px">
{_article(view, typist, chrome)}
</td>
<td valign="top" width="300" class="right_col">
{_right_column(chrome)}
</td>
</tr>
</table>
</td></tr>
{_footer(chrome)}
</table>
</div>
<script type="text/javascript">
{lorem_script("2020-bundle", 260)}
</script>
</body>
</html>
"""


def _header(chrome: Chrome) -> str:
    menu = category_menu(chrome.categories, item_class="", sub_class="menu_sub")
    extras = extra_menu()
    return f"""<tr><td class="header_top" style="padding:5px 10px;font-size:11px;color:#666">
<span style="float:right"><a href="/rss/">RSS</a> | <a href="/lien-he/">Liên hệ</a> | <a href="/en/" class="lang">English</a></span>
{today_line(chrome.now)}
</td></tr>
<tr><td class="banner"><a href="/"><img src="/Images/banner.jpg" width="1000" height="120" alt="{SITE_NAME}" /></a></td></tr>
<tr><td style="background:#b30000">
<ul id="menu" class="menu_top">
<li><a href="/">Trang chủ</a></li>
{menu}
{extras}
</ul>
<form action="/tim-kiem" method="get" class="search_box"><input type="text" name="q" value="" /><input type="submit" value="Tìm kiếm" /></form>
</td></tr>"""


def _article(view: ArticleView, typist: Typist, chrome: Chrome) -> str:
    spec = view.spec
    published = spec.published_at
    weekday = weekday_name(WEEKDAYS_LONG, published, view.traits.weekday_shift)
    views = f' <span class="view_count">Lượt xem: {view.views[0]}</span>' if view.views else ""
    sapo = ""
    if spec.sapo:
        mark = PAPER_MARK if spec.sapo_marked else ""
        sapo = f'<div class="sapo_detail"><strong>{mark}{typist.prose(spec.sapo, emphasis=False)}</strong></div>'
    body = "\n".join(_block(block, view, typist) for block in spec.body)
    byline = "\n".join(_byline_line(number, line, typist) for number, line in enumerate(spec.byline.lines))
    return f"""<div class="breadcrumb" style="border-bottom:2px solid #b30000;padding:4px 0">
<a href="/tin-tuc/{spec.category.slug}/" style="color:#b30000;font-weight:bold;text-transform:uppercase">{typist.plain(spec.category.name)}</a>
</div>
<h1 class="title_detail" style="font-size:22px;color:#003366;margin:10px 0">{typist.plain(spec.title)}</h1>
<div class="date_detail" style="color:#888;font-size:11px">{published:%H:%M} - {weekday}, {published:%d/%m/%Y}{views} <a href="javascript:window.print();" class="print">In bài viết</a></div>
{sapo}
<div id="content" class="content_detail" style="text-align:justify">
{body}
{byline}
</div>
{_tools(view)}
{_comments()}
{_related(view, typist)}
{_same_category(view, chrome)}"""


def _block(block, view: ArticleView, typist: Typist) -> str:
    if isinstance(block, Paragraph):
        return f'<p style="text-align: justify;">{typist.prose(block.text)}</p>{typist.maybe_empty_paragraph()}'
    if isinstance(block, Subheading):
        return f'<p style="text-align: justify;"><strong>{typist.plain(block.text)}</strong></p>'
    assert isinstance(block, Image)
    caption = block.printed_caption()
    caption_row = (f'<tr><td class="image_desc" style="font-size:12px;color:#444;text-align:center">'
                   f'<em>{typist.plain(caption)}</em></td></tr>' if caption else "")
    return f"""<table class="image" align="center" border="0" cellpadding="3" cellspacing="0" width="500">
<tr><td><img src="{block.path}" width="500" alt="" /></td></tr>
{caption_row}
</table>"""


def _byline_line(number: int, line: str, typist: Typist) -> str:
    inner = f"<strong>{typist.plain(line)}</strong>" if number == 0 else f"<em>{typist.plain(line)}</em>"
    return f'<p style="text-align: right;">{inner}</p>'


def _tools(view: ArticleView) -> str:
    url = attr(view.url)
    return f"""<div class="tools" style="text-align:right;padding:8px 0;border-top:1px dotted #ccc">
<a href="https://www.facebook.com/sharer/sharer.php?u={url}" class="share" target="_blank">Chia sẻ Facebook</a> |
<a href="https://twitter.com/intent/tweet?url={url}" class="share" target="_blank">Twitter</a> |
<a href="mailto:?subject=Bai%20viet&amp;body={url}">Gửi email</a> |
<a href="javascript:window.print();">In bài viết</a> |
<a href="#wrapper">Về đầu trang</a>
</div>"""


def _comments() -> str:
    return """<div class="comment_box">
<div class="title_box" style="background:#b30000;color:#fff;padding:4px 8px;font-weight:bold">Bình luận</div>
<form action="/binh-luan/gui" method="post">
<table width="100%" border="0" cellpadding="3">
<tr><td width="120">Họ và tên:</td><td><input type="text" name="name" size="40" /></td></tr>
<tr><td>Email:</td><td><input type="text" name="email" size="40" /></td></tr>
<tr><td>Ý kiến của bạn:</td><td><textarea name="content" rows="5" cols="60"></textarea></td></tr>
<tr><td>Mã xác nhận:</td><td><input type="text" name="captcha" size="8" /> <img src="/captcha.ashx" alt="" /></td></tr>
<tr><td></td><td><input type="submit" value="Gửi bình luận" /> <input type="reset" value="Nhập lại" /></td></tr>
</table>
</form>
</div>"""


def _related(view: ArticleView, typist: Typist) -> str:
    if not view.related:
        return ""
    items = "\n".join(
        f'<li><a href="{attr(url.removeprefix(view.base_url))}">{typist.plain(title)}</a></li>'
        for url, title in view.related)
    return f"""<div class="other_news">
<div class="title_box" style="border-bottom:2px solid #b30000;font-weight:bold;color:#b30000">Tin khác</div>
<ul style="list-style:square;padding-left:18px">
{items}
</ul>
</div>"""


def _same_category(view: ArticleView, chrome: Chrome) -> str:
    teasers = [t for t in chrome.by_category.get(view.spec.category.slug, ()) if t.path != view.path]
    if not teasers:
        return ""
    return f"""<div class="box_right">
<div class="title_box">Các tin cùng chuyên mục</div>
{_teasers(teasers, with_summary=True)}
</div>"""


def _teasers(teasers, with_summary: bool) -> str:
    out = []
    for teaser in teasers:
        summary = f'<div class="news_sapo">{esc(teaser.summary)}</div>' if with_summary and teaser.summary else ""
        thumb = (f'<img src="{teaser.thumbnail}" width="80" height="60" align="left" style="margin-right:5px" alt="" />'
                 if with_summary and teaser.thumbnail else "")
        out.append(f"""<div class="news_item" style="overflow:hidden;padding:5px 0;border-bottom:1px dotted #ccc">
{thumb}<a href="{attr(teaser.path)}">{esc(teaser.title)}</a>
<span class="news_date">({teaser.published_at:%d/%m/%Y})</span>
{summary}
</div>""")
    return "\n".join(out)


def _right_column(chrome: Chrome) -> str:
    links = "\n".join(f'<option value="{attr(url)}">{esc(name)}</option>' for name, url in WEBSITE_LINKS)
    videos = video_items()
    photos = album_items("/Images/album{n}.jpg", 'width="135" alt="" /', between="<br />")
    return f"""<div class="box_right">
<div class="box_title">Tin mới</div>
{_teasers(chrome.latest, with_summary=True)}
</div>
<div class="ad_right"><a href="/quang-cao/1"><img src="/Images/qc_300x250_1.jpg" width="300" height="250" alt="" /></a></div>
<div class="box_right">
<div class="box_title">Đọc nhiều</div>
{_teasers(chrome.most_read, with_summary=False)}
</div>
<div class="box_right video_list"><div class="box_title">Video</div><ul>{videos}</ul></div>
<div class="box_right photo_list"><div class="box_title">Tin ảnh</div><ul>{photos}</ul></div>
<div class="ad_right"><a href="/quang-cao/2"><img src="/Images/qc_300x600_2.jpg" width="300" height="600" alt="" /></a></div>
<div class="box_right weblink"><div class="box_title">Liên kết website</div>
<select onchange="window.open(this.value)" style="width:100%"><option value="">-- Chọn liên kết --</option>
{links}
</select></div>
<div class="box_right counter"><div class="box_title">Thống kê truy cập</div>
<p>Đang truy cập: {chrome.visitors_online:,}</p><p>Tổng lượt truy cập: {chrome.visitors_total:,}</p></div>"""


def _footer(chrome: Chrome) -> str:
    menu = " | ".join(f'<a href="/tin-tuc/{c.slug}/">{esc(c.name)}</a>' for c in chrome.categories)
    return f"""<tr><td class="footer" style="background:#b30000;color:#fff;padding:10px;font-size:11px">
<div style="text-align:center;padding-bottom:6px">{menu}</div>
<div class="menu_sub">{mega_footer(chrome.categories)}</div>
<div class="footer_info">
<p><strong>{SITE_NAME.upper()} ĐIỆN TỬ</strong></p>
<p>{esc(SITE_SLOGAN)}</p>
<p>{esc(LICENCE)}</p>
<p>{esc(EDITOR)}</p>
<p>{esc(ADDRESS)}</p>
<p>{esc(PHONES)} - {esc(EMAIL)}</p>
</div>
</td></tr>"""
