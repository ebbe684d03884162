"""Synthetic article pages: realistic in size and shape, not in markup.

The archive's size targets are about pages that are mostly chrome (menus, sidebars, footer, inline
scripts) around a few kilobytes of Vietnamese text. No machine here reaches the real site, so the size
measurements (`archive.measure`) and the tests build such pages here: a seeded generator, so every
run measures the same bytes. The markup is invented; only its proportions matter.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from crawler.article import SITE_TIME, Article, Image, RelatedLink
from crawler.items import PageFetch

BASE_URL = "https://baodienbienphu.com.vn"

# Words of the seed article, so that text compresses like Vietnamese prose does (multi-byte letters,
# a small vocabulary of syllables).
_WORDS = (
    "đổi mới phương thức lãnh đạo của cấp ủy trong thực hiện nhiệm vụ chính trị nhiệm kỳ Đảng ủy "
    "Khối Cơ quan và Doanh nghiệp tỉnh các tổ chức đảng ở cơ sở phát huy vai trò hiệu quả mỗi đơn vị "
    "góp phần hoàn thành tốt chung toàn Đảng bộ đồng chí Tỉnh ủy viên Bí thư chủ trì Hội nghị kỳ họp "
    "bất thường Ban Chấp hành triển khai quán triệt Nghị quyết chỉ đạo hướng dẫn học tập chỉ thị "
    "nghị quyết phù hợp với tình hình thực tiễn luôn nêu cao tinh thần trách nhiệm tập trung cán bộ "
    "đảng viên người lao động hăng hái thi đua công tác xây dựng tại từng giáo dục tư tưởng được quan "
    "tâm thường xuyên tạo chuyển biến tích cực nhận thức hành động nâng cao ý thức tu dưỡng rèn luyện "
    "công chức viên chức tăng cường sự đoàn kết thống nhất kinh tế xã hội quốc phòng an ninh nông thôn "
    "mới đô thị văn minh xóa đói giảm nghèo Điện Biên Mường Nhé Tủa Chùa Mường Chà bà con dân tộc"
).split()

_CATEGORIES = [
    ("chinh-tri", "Chính trị"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội"), ("y-te", "Y tế"),
    ("giao-duc", "Giáo dục"), ("quoc-phong-an-ninh", "Quốc phòng - An ninh"), ("van-hoa", "Văn hóa"),
    ("the-thao", "Thể thao"), ("dang-bo-khoi", "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"),
    ("phap-luat", "Pháp luật"), ("du-lich", "Du lịch"), ("nong-nghiep", "Nông nghiệp"),
]
_AUTHORS = ["Minh Thùy", "Quang Hưng", "Lỳ Lỳ Xá", "Hoàng Châu", "Quang Long", "Thanh Hà", "Duy Khánh"]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(12, 30)) for _ in range(rng.randint(3, 6)))


def _title(rng: random.Random) -> str:
    return _sentence(rng, rng.randint(8, 16))[:-1]


def _slug(rng: random.Random) -> str:
    return "-".join(rng.choice(["xay-dung", "dang-bo", "nong-thon", "moi", "phat-trien", "kinh-te",
                                "dien-bien", "hoi-nghi", "trien-khai", "nghi-quyet"]) for _ in range(7))


class SyntheticSite:
    """A seeded site: a fixed chrome (menus, scripts, footer) and `n` articles with ids from 200 000.

    `chrome_scale` sizes the shared chrome: 1.0 makes pages of about 105 KB, 0.4 about 60 KB.
    `page(i)` renders article `i` as its HTML bytes; `views` sets the page's view counter, `edit`
    appends a sentence to the body (an editorial edit), so a test can make a re-fetch differ exactly as
    it wants.
    """

    def __init__(self, articles: int, seed: int = 1, chrome_scale: float = 1.0):
        rng = random.Random(seed)
        self.seed = seed
        self.size = articles
        self.ids = [200_000 + 7 * i for i in range(articles)]
        self._chrome_head, self._chrome_foot = self._chrome(rng, chrome_scale)
        self._titles = {article_id: _title(random.Random(seed * 1_000_003 + article_id))
                        for article_id in self.ids}

    def _chrome(self, rng: random.Random, scale: float) -> tuple[str, str]:
        menu = "".join(
            f'<li class="menu-item"><a href="{BASE_URL}/tin-tuc/{slug}/" title="{name}">{name}</a>'
            f'<ul class="sub-menu">' + "".join(
                f'<li><a href="{BASE_URL}/tin-tuc/{slug}-{k}/">{_title(rng)[:30]}</a></li>' for k in range(6)
            ) + "</ul></li>\n"
            for slug, name in _CATEGORIES
        )
        css = "".join(f".c{k}{{margin:{k % 9}px;padding:{k % 5}px;color:#{k * 2654435761 % 0xFFFFFF:06x}}}\n"
                      for k in range(int(900 * scale)))
        script = "".join(f"var w{k}=document.getElementById('z{k}');if(w{k}){{w{k}.style.display='none';}}\n"
                         for k in range(int(500 * scale)))
        head = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Báo Điện Biên Phủ</title>\n<style>" + css + "</style>\n<script>" + script + "</script>"
            '</head><body><header class="site-header"><div class="logo"><a href="/">Báo Điện Biên Phủ</a>'
            '</div><nav class="main-menu"><ul>' + menu + "</ul></nav></header>\n"
        )
        links = "".join(f'<li><a href="{BASE_URL}/lien-ket/{k}">{_title(rng)[:40]}</a></li>\n' for k in range(60))
        foot = (
            '<footer class="site-footer"><div class="links"><ul>' + links + "</ul></div>"
            "<p>Cơ quan chủ quản: Tỉnh ủy Điện Biên. Giấy phép số 12/GP-BTTTT. Địa chỉ: Phường Mường Thanh, "
            "thành phố Điện Biên Phủ, tỉnh Điện Biên.</p></footer></body></html>\n"
        )
        return head, foot

    def url(self, article_id: int) -> str:
        category = _CATEGORIES[article_id % len(_CATEGORIES)][0]
        return f"{BASE_URL}/tin-tuc/{category}/{article_id}/{_slug(random.Random(article_id))}"

    def article(self, index: int, *, views: int = 100, edit: int = 0, parser_version: str = "1") -> Article:
        """The `Article` a parser would make of `page(index, views=…, edit=…)`."""
        article_id = self.ids[index]
        rng = random.Random(self.seed * 1_000_003 + article_id)
        title = _title(rng)
        paragraphs = [_paragraph(rng) for _ in range(rng.randint(6, 12))]
        for k in range(edit):
            paragraphs.append(f"Cập nhật lần {k + 1}: " + _sentence(rng, 14))
        published = datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TIME) + timedelta(hours=article_id % 5000)
        related = [
            RelatedLink(url=self.url(other), title=self._titles[other])
            for other in rng.sample(self.ids, min(6, len(self.ids)))
            if other != article_id
        ][:5]
        images = [Image(src=f"{BASE_URL}/uploads/2020/08/{article_id}-{k}.jpg", caption=_sentence(rng, 10),
                        credit=rng.choice(_AUTHORS)) for k in range(rng.randint(1, 3))]
        category = _CATEGORIES[article_id % len(_CATEGORIES)][1]
        return Article(
            url=self.url(article_id), canonical_url=self.url(article_id), article_id=article_id,
            title=title, category=category, published_at=published, view_count=views,
            sapo=_sentence(rng, 40), body_text="\n\n".join(paragraphs),
            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
            authors=[rng.choice(_AUTHORS)], author_role=None, source=None,
            photo_credits=[image.credit for image in images if image.credit], images=images,
            related=related, raw={"date": published.strftime("%H:%M - %d/%m/%Y"), "views": str(views)},
            parser_version=parser_version,
        )

    def page(self, index: int, *, views: int = 100, edit: int = 0, article: Article | None = None) -> bytes:
        article = article or self.article(index, views=views, edit=edit)
        article_id = self.ids[index]
        # The "most read" sidebar differs from page to page, as on real sites.
        rng = random.Random(article_id * 31 + views)
        sidebar = "".join(
            f'<li class="item"><a href="{self.url(other)}"><img src="{BASE_URL}/uploads/thumb/{other}.jpg">'
            f"{self._titles[other]}</a></li>\n"
            for other in rng.sample(self.ids, min(10, len(self.ids)))
        )
        images = "".join(f'<figure><img src="{image.src}"><figcaption>{image.caption} Ảnh: {image.credit}'
                         f"</figcaption></figure>" for image in article.images)
        related = "".join(f'<li><a href="{link.url}">{link.title}</a></li>' for link in article.related)
        content = (
            f'<main><div class="breadcrumb"><a href="#">{article.category}</a></div>'
            f'<h1 class="title">{article.title}</h1><div class="meta">{article.raw["date"]} '
            f"Lượt xem: {views} In bài viết</div><div class=\"sapo\">ĐBP - {article.sapo}</div>"
            f'<div class="content">{images}{article.body_html}<p class="author">{article.authors[0]}</p>'
            f'</div><div class="comments">Bình luận</div><div class="other-news"><h3>Tin khác</h3><ul>'
            f'{related}</ul></div></main><aside class="sidebar"><h3>Đọc nhiều</h3><ul>{sidebar}</ul></aside>\n'
        )
        return (self._chrome_head + content + self._chrome_foot).encode("utf-8")

    def fetch(self, index: int, fetched_at: datetime, *, views: int = 100, edit: int = 0,
              parser_version: str = "1", status: int = 200) -> PageFetch:
        article = self.article(index, views=views, edit=edit, parser_version=parser_version)
        body = self.page(index, views=views, edit=edit, article=article)
        return PageFetch(
            requested_url=article.url, url=article.url, status=status, fetched_at=fetched_at,
            headers={"content-type": "text/html; charset=utf-8", "etag": f'"{article.article_id}-{views}-{edit}"',
                     "server": "nginx"},
            body=body, article=article, identity=article.identity,
        )


def with_views(fetch: PageFetch, views: int) -> PageFetch:
    """The same fetch with another view count in its Article (the body is left as it is)."""
    return replace(fetch, article=replace(fetch.article, view_count=views))
