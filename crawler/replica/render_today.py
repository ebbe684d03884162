"""Today's generation (baodienbienphu.vn as public scrapers show it, 2025–26): a server-rendered
article page whose content sits in `#detail-news`, the body in `div.editor-content`, the category a
link to `/tin-tuc/…` inside it; every other page carries no category metadata (no `article:section`,
no JSON-LD), and images come from a media host. Category pages are an empty shell: the browser reads
their articles from the JSON API (`crawler.replica.api`), whose address the shell's script names.

The fields shown are the 2025 generation's (same dates, views, byline, captions): only the markup
differs, so the truth (`crawler.replica.truth`) is the same.
"""

from __future__ import annotations

import json

from crawler.replica import render_2025
from crawler.replica.chrome import SITE_NAME, Chrome, Typist, attr, esc
from crawler.replica.model import ArticleView
from crawler.replica.spec import Image



def render(view: ArticleView, chrome: Chrome, charset: str = "utf-8", declared_in: str = "both") -> str:
    spec = view.spec
    typist = Typist(view.traits, f"dbp-replica/typist/{spec.index}/today/{spec.revision}", loose_whitespace=False)
    with_metadata = spec.index % 2 == 0
    first_image = next((b.path for b in spec.body if isinstance(b, Image)), "/assets/og-default.jpg")
    head = f'<link rel="canonical" href="{attr(view.url)}">\n<meta property="og:title" content="{attr(spec.title)}">'
    if with_metadata:
        head += (f'\n<meta property="og:image" content="{attr(view.absolute(first_image))}">'
                 f'\n<meta property="article:section" content="{attr(spec.category.name)}">')
    body = "".join(render_2025._block(block, view, typist) for block in spec.body)
    main = f"""<div id="detail-news" class="detail">
<div class="detail__top"><a class="detail__cat" href="{view.base_url}/tin-tuc/{spec.category.slug}">{esc(spec.category.name)}</a></div>
<h1 class="detail__title">{typist.plain(spec.title)}</h1>
<div class="detail__info">
{render_2025._times(view)}
</div>
{render_2025._sapo(view, typist)}
<div class="editor-content">
{body}
</div>
<div class="detail__author">{render_2025._author(view, typist)}</div>
</div>
{render_2025._comments()}
{render_2025._related(view, typist)}"""
    return render_2025.shell(title=f"{spec.title} | {SITE_NAME}", chrome=chrome, main=main, head_extra=head,
                             body_class="page-detail", charset=charset, declared_in=declared_in)


def category_shell(category, chrome: Chrome, api_base: str) -> str:
    """What `/tin-tuc/{slug}` sends: a menu, a mount point and a script; no article in the HTML."""
    config = json.dumps({"apiBase": api_base, "categorySlug": category.slug})
    main = (f'<h1 class="box__title">{esc(category.name)}</h1>\n'
            f'<div id="category-app" data-category="{attr(category.slug)}">Đang tải…</div>\n'
            f"<script>window.__APP_CONFIG__ = {config};</script>\n"
            f'<script src="/assets/category.7d1e0b.js" defer></script>')
    return render_2025.shell(title=f"{category.name} | {SITE_NAME}", chrome=chrome, main=main,
                             body_class="page-category", side=False)
