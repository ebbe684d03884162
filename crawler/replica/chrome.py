"""What surrounds an article on every page: menus, sidebars, footers, styles, scripts.

Real pages weigh 60–120 KB, most of it this chrome; its lists carry links, dates and teasers of
*other* articles, which is exactly what a parser must not mistake for the article's own.
The data is shared; each generation's renderer lays it out in its own markup.
"""

from __future__ import annotations

import html
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from crawler.replica.vietnamese import with_eth, with_lower_eth, WEEKDAYS_LONG

SITE_NAME = "Báo Điện Biên Phủ"
SITE_SLOGAN = "Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Điện Biên - Tiếng nói của Đảng bộ, chính quyền và nhân dân các dân tộc tỉnh Điện Biên"
ADDRESS = "Địa chỉ: Số 1, tổ 1, phường Mường Thanh, thành phố Điện Biên Phủ, tỉnh Điện Biên"
PHONES = "Điện thoại: Tòa soạn 0215.3825.129 - Trị sự 0215.3825.340 - Fax: 0215.3824.888"
EMAIL = "Email: baodienbienphu.dbp@gmail.com"
LICENCE = "Giấy phép hoạt động báo điện tử số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp"
EDITOR = "Chịu trách nhiệm xuất bản: Tổng Biên tập"
COPYRIGHT = "© Bản quyền thuộc về Báo Điện Biên Phủ. Ghi rõ nguồn khi phát hành lại thông tin từ website này."

EXTRA_MENU = (("Video", "/video/"), ("Ảnh", "/anh/"), ("Podcast", "/podcast/"), ("E-paper", "/bao-in/"),
              ("Điện Biên 70 năm", "/chuyen-de/dien-bien-70-nam/"), ("English", "/en/"))
SUBMENU = ("Tin tức", "Sự kiện", "Chuyên đề", "Phóng sự", "Gương sáng")
PHOTO_ALBUMS = ("Mùa hoa ban nở trắng núi rừng Tây Bắc", "Cánh đồng Mường Thanh mùa lúa chín",
                "Sắc màu chợ phiên vùng cao Tủa Chùa", "Lễ hội đua thuyền trên sông Nậm Rốm",
                "Đồi A1 - chứng tích lịch sử", "Bình minh trên đèo Pha Đin")
VIDEOS = ("Điện Biên: Đẩy mạnh chuyển đổi số trong cải cách hành chính",
          "Bản tin thời sự tối", "Nông dân Mường Ảng vào mùa thu hoạch cà phê",
          "Giữ gìn bản sắc văn hóa dân tộc Mông", "Phóng sự: Những người giữ rừng ở Mường Nhé")
WEBSITE_LINKS = (
    ("Cổng Thông tin điện tử tỉnh Điện Biên", "https://www.dienbien.gov.vn"),
    ("Báo Nhân Dân", "https://nhandan.vn"), ("Thông tấn xã Việt Nam", "https://www.vnanet.vn"),
    ("Đài Tiếng nói Việt Nam", "https://vov.vn"), ("Báo Quân đội nhân dân", "https://www.qdnd.vn"),
    ("Tạp chí Cộng sản", "https://www.tapchicongsan.org.vn"), ("Báo Chính phủ", "https://baochinhphu.vn"),
    ("Đài PT-TH Điện Biên", "https://truyenhinhdienbien.vn"), ("Báo Lai Châu", "https://baolaichau.vn"),
    ("Báo Sơn La", "https://baosonla.vn"), ("Báo Lào Cai", "https://baolaocai.vn"),
    ("Báo Yên Bái", "https://baoyenbai.com.vn"), ("Báo Hà Giang", "https://baohagiang.vn"),
    ("Báo Tuyên Quang", "https://baotuyenquang.com.vn"), ("Báo Hòa Bình", "https://baohoabinh.com.vn"),
    ("Báo Điện Biên Phủ bản tiếng Anh", "/en/"), ("Bộ Thông tin và Truyền thông", "https://mic.gov.vn"),
)


@dataclass(frozen=True)
class Teaser:
    """Another article as a sidebar or listing shows it."""

    path: str
    title: str
    published_at: datetime
    summary: str
    thumbnail: str | None
    views: int | None = None


@dataclass(frozen=True)
class Chrome:
    categories: tuple  # of spec.Category
    latest: tuple[Teaser, ...]
    most_read: tuple[Teaser, ...]
    photo_news: tuple[Teaser, ...]
    by_category: dict  # category slug → newest teasers of that category (`Tin cùng chuyên mục`)
    now: datetime
    visitors_online: int
    visitors_total: int


def mega_footer(categories) -> str:
    """The footer's site map: every category with its sub-sections (plain links, no dates)."""
    columns = []
    for category in categories:
        links = "".join(f'<li><a href="/tin-tuc/{category.slug}/?muc={n}">{esc(name)}</a></li>'
                        for n, name in enumerate(SUBMENU))
        columns.append(f'<li><a href="/tin-tuc/{category.slug}/"><strong>{esc(category.name)}</strong></a>'
                       f"<ul>{links}</ul></li>")
    return "<ul>" + "".join(columns) + "</ul>"


def category_menu(categories, item_class: str, sub_class: str) -> str:
    """The top menu: every category with its sub-menu (each generation names the classes its way)."""
    item = f' class="{item_class}"' if item_class else ""
    return "\n".join(
        f'<li{item}><a href="/tin-tuc/{c.slug}/">{esc(c.name)}</a><ul class="{sub_class}">'
        + "".join(f'<li><a href="/tin-tuc/{c.slug}/?muc={n}">{esc(s)}</a></li>' for n, s in enumerate(SUBMENU))
        + "</ul></li>" for c in categories)


def extra_menu(item_class: str = "") -> str:
    item = f' class="{item_class}"' if item_class else ""
    return "\n".join(f'<li{item}><a href="{href}">{esc(name)}</a></li>' for name, href in EXTRA_MENU)


def video_items() -> str:
    return "\n".join(f'<li><a href="/video/{n}/">{esc(v)}</a></li>' for n, v in enumerate(VIDEOS, 1))


def album_items(image: str, image_attrs: str = 'alt="" width="135"', between: str = "") -> str:
    """Photo-album teasers; `image` is a path pattern with `{n}` for the album number."""
    return "\n".join(f'<li><a href="/anh/{n}/"><img src="{image.format(n=n)}" {image_attrs}>{between}{esc(p)}</a></li>'
                     for n, p in enumerate(PHOTO_ALBUMS, 1))


def website_link_items() -> str:
    return "\n".join(f'<li><a href="{attr(url)}" rel="nofollow">{esc(name)}</a></li>' for name, url in WEBSITE_LINKS)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def today_line(now: datetime) -> str:
    return f"{WEEKDAYS_LONG[now.weekday()]}, {now:%d/%m/%Y}"


def short_summary(text: str | None, words: int = 24) -> str:
    if not text:
        return ""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


class Typist:
    """Writes one article's text into markup with the traps its traits call for.

    Traps never change the normalised text: `Ð` for `Đ`, decomposed letters, non-breaking or doubled
    spaces, line breaks inside paragraphs, emphasis around a few words, empty `&nbsp;` paragraphs.
    """

    def __init__(self, traits, stream: str, loose_whitespace: bool = True):
        self.traits = traits
        self.rng = random.Random(stream)
        self.loose_whitespace = loose_whitespace

    def letters(self, text: str) -> str:
        if self.traits.eth:
            text = with_eth(text)
        if self.traits.lower_eth:
            text = with_lower_eth(text)
        if self.traits.nfd == "text":
            text = unicodedata.normalize("NFD", text)
        return text

    def plain(self, text: str) -> str:
        """Title, caption, byline: letters trapped, spacing left alone."""
        return esc(self.letters(text))

    def prose(self, text: str, emphasis: bool = True) -> str:
        """Body and lead text: also loose whitespace and an occasional emphasised phrase."""
        words = [esc(w) for w in self.letters(text).split(" ")]
        rng = self.rng
        if emphasis and len(words) > 6 and rng.random() < 0.35:
            start = rng.randrange(len(words) - 3)
            stop = start + rng.randint(1, 3)
            tag = rng.choice(("strong", "em", "b", "i", 'span style="color:#1f1f1f"'))
            words[start] = f"<{tag}>{words[start]}"
            words[stop - 1] = f"{words[stop - 1]}</{tag.split()[0]}>"
        if not self.loose_whitespace:
            return " ".join(words)
        gaps = []
        for _ in words[1:]:
            roll = rng.random()
            gaps.append("&nbsp;" if roll < 0.01 else "\u00a0" if roll < 0.015 else "  " if roll < 0.025
                        else "\n" if roll < 0.045 else " ")
        out = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:]))
        if rng.random() < 0.1:
            out = "\n\t" + out + " \n"
        return out

    def maybe_empty_paragraph(self, tag: str = "p") -> str:
        """CMS editors leave `<p>&nbsp;</p>` between paragraphs; a parser must drop them."""
        return f"<{tag}>&nbsp;</{tag}>" if self.loose_whitespace and self.rng.random() < 0.08 else ""


def weekday_name(names: tuple[str, ...], moment: datetime, shift: int) -> str:
    return names[(moment.weekday() + shift) % 7]


def style_sheet(class_names: list[str], seed: str) -> str:
    """A plausible theme stylesheet: one rule per class plus the usual resets and media queries."""
    rng = random.Random(seed)
    props = ("margin", "padding", "font-size", "line-height", "color", "background", "border-bottom",
             "display", "width", "float", "text-transform", "font-weight", "letter-spacing")
    values = {
        "margin": ("0", "0 0 10px", "8px 0", "0 auto", "15px 0 0"),
        "padding": ("0", "5px 10px", "10px 0", "0 15px", "12px"),
        "font-size": ("12px", "13px", "14px", "16px", "18px", "22px", "1.1rem"),
        "line-height": ("1.4", "1.5", "20px", "24px", "1.6"),
        "color": ("#333", "#1a1a1a", "#b30000", "#005a9c", "#666", "#fff", "#8b0000"),
        "background": ("#fff", "#f5f5f5", "#b30000", "transparent", "#eef3f8", "url(/images/bg.png) repeat-x"),
        "border-bottom": ("1px solid #ddd", "2px solid #b30000", "1px dotted #ccc", "none"),
        "display": ("block", "inline-block", "flex", "none", "table"),
        "width": ("100%", "300px", "680px", "33.333%", "auto"),
        "float": ("left", "right", "none"),
        "text-transform": ("uppercase", "none"),
        "font-weight": ("bold", "normal", "600"),
        "letter-spacing": ("0", ".02em"),
    }
    rules = ["*{box-sizing:border-box}", "body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222}",
             "a{color:#1a1a1a;text-decoration:none}", "a:hover{color:#b30000}", "img{max-width:100%;border:0}",
             "ul,ol{margin:0;padding:0;list-style:none}", "h1,h2,h3{margin:0 0 10px}"]
    for name in class_names:
        chosen = rng.sample(props, rng.randint(3, 7))
        body = ";".join(f"{p}:{rng.choice(values[p])}" for p in chosen)
        rules.append(f".{name}{{{body}}}")
        if rng.random() < 0.3:
            rules.append(f".{name} a:hover{{color:{rng.choice(values['color'])}}}")
    media = [f".{name}{{width:100%;float:none}}" for name in rng.sample(class_names, min(12, len(class_names)))]
    rules.append("@media (max-width: 768px){" + "".join(media) + "}")
    return "\n".join(rules)


ANALYTICS = """window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
gtag('config', 'G-DBP2020XYZ', { 'anonymize_ip': true });
(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){
(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
})(window,document,'script','//www.google-analytics.com/analytics.js','ga');
ga('create', 'UA-12345678-1', 'auto');
ga('send', 'pageview');"""

FACEBOOK_SDK = """(function(d, s, id) {
  var js, fjs = d.getElementsByTagName(s)[0];
  if (d.getElementById(id)) return;
  js = d.createElement(s); js.id = id;
  js.src = "https://connect.facebook.net/vi_VN/sdk.js#xfbml=1&version=v3.2";
  fjs.parentNode.insertBefore(js, fjs);
}(document, 'script', 'facebook-jssdk'));"""


def ad_config(seed: str) -> str:
    """An ad server's slot table: bulky, script-only, and full of numbers that are not view counts."""
    rng = random.Random(seed)
    slots = []
    for number in range(1, 25):
        width, height = rng.choice(((300, 250), (300, 600), (728, 90), (970, 250), (320, 100)))
        slots.append(f"  {{ id: 'adslot-{number}', size: [{width}, {height}], zone: {rng.randint(10000, 99999)}, "
                     f"refresh: {rng.choice((0, 30, 60))}, lazy: {str(rng.random() < 0.5).lower()}, "
                     f"targeting: {{ section: 'detail', pos: '{rng.choice(('top', 'right', 'inread', 'bottom'))}' }} }}")
    return "var adSlots = [\n" + ",\n".join(slots) + "\n];\nfor (var i = 0; i < adSlots.length; i++) { /* defer */ }"


def lorem_script(seed: str, lines: int) -> str:
    """A minified vendor bundle stand-in (what real pages ship inline)."""
    rng = random.Random(seed)
    names = ("a", "b", "c", "d", "e", "t", "n", "r", "i", "o", "s", "u")
    out = []
    for number in range(lines):
        f, x, y = rng.choice(names), rng.choice(names), rng.choice(names)
        out.append(f"function _{number:03d}({x},{y}){{var {f}={x}||{{}};if(!{y})return {f};"
                   f"for(var k in {y})if({y}.hasOwnProperty(k)){f}[k]={y}[k];return {f}}}")
    return ";".join(out)
