"""The one real article we have (`data/seed-article.txt`), turned into a spec's content.

The file is the text a reader sees, top to bottom: category, title, date line, lead, photo caption,
body paragraphs, the byline (name, then role), then the `Bình luận` and `Tin khác` headings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from crawler.replica.spec import Byline, Image, Paragraph, Traits
from crawler.replica.vietnamese import PAPER_MARK, normalise

SEED_ARTICLE_ID = 171925
VIEWS_AT_EPOCH_0 = 5717
_DATE_LINE = re.compile(r"^\d{2}:\d{2} - .+, \d{2}/\d{2}/\d{4}")


def raw_text() -> str:
    return resources.files("crawler.replica").joinpath("data/seed-article.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def seed_content(image_path: str) -> dict:
    """The seed's truth (normalised) in the shape `spec.draw_content` returns."""
    lines = [line.strip() for line in raw_text().splitlines() if line.strip()]
    date_at = next(i for i, line in enumerate(lines) if _DATE_LINE.match(line))
    comments_at = lines.index("Bình luận")
    title = normalise(" ".join(lines[1:date_at]))
    sapo_line, caption_line = lines[date_at + 1], lines[date_at + 2]
    paragraphs, (author, role) = lines[date_at + 3:comments_at - 2], lines[comments_at - 2:comments_at]
    caption, credit = caption_line.rsplit(" Ảnh: ", 1)
    byline = Byline("name_role", (normalise(author),), role=normalise(role),
                    lines=(normalise(author), normalise(role)))
    return dict(
        title=title,
        sapo=normalise(sapo_line.removeprefix(PAPER_MARK)),
        sapo_marked=True,
        body=(Image(image_path, normalise(caption), normalise(credit), "tail"),)
        + tuple(Paragraph(normalise(p)) for p in paragraphs),
        byline=byline,
        views_at_start=VIEWS_AT_EPOCH_0,
        views_per_epoch=3,
        traits=Traits(date_style="2020", views_style="plain", eth=True),
    )


def category_name() -> str:
    return normalise(raw_text().splitlines()[0])
