"""The truth for one page: what a correct parser extracts, shaped like `crawler.article.Article.to_dict()`.

It is computed from the same `ArticleView` the renderer draws, so the page and its truth cannot drift
apart. Text is the normalised form; the renderer is the only place traps are applied.
"""

from __future__ import annotations

from crawler.replica.model import ArticleView


def truth_of(view: ArticleView) -> dict:
    spec = view.spec
    images = spec.images
    credits = [image.credit for image in images if image.credit]
    if spec.byline.photographer:
        credits.append(spec.byline.photographer)
    return {
        "url": view.url,
        "canonical_url": view.url,  # the canonical link, where pages have one, names the same URL
        "article_id": None if spec.id_less else spec.article_id,
        "title": spec.title,
        "category": spec.category.name,
        "published_at": spec.published_at.isoformat(timespec="seconds"),
        "updated_at": spec.updated_at.isoformat(timespec="seconds") if view.shows_update else None,
        "view_count": view.views[1] if view.views else None,
        "sapo": spec.sapo,
        "body_text": spec.body_text(),
        "authors": list(spec.byline.authors),
        "author_role": spec.byline.role,
        "source": spec.byline.source,
        "photo_credits": list(dict.fromkeys(credits)),
        "images": [{"src": view.absolute(image.path), "caption": image.caption, "credit": image.credit}
                   for image in images],
        "related": [{"url": url, "title": title} for url, title in view.related],
    }
