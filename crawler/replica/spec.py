"""What one article *is* (its spec) and how its content is drawn from (seed, index).

A spec holds the normalised truth (title, sapo, body blocks, byline, images) plus the presentation
traits its pages use (date arrangement, view-count style, encoding, text traps). Specs are built on
demand and never stored for the whole site: a 50 000-article replica keeps only a few arrays of ints.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from crawler.replica import wordbank
from crawler.replica.vietnamese import slugify

GENERATIONS = ("2020", "2023", "2025")

# name only / name + role line / `Bài, ảnh: X` / `A - B` / `X (TTXVN)` / `Theo VOV`
BYLINE_FORMS = ("name", "name_role", "text_photo", "two_authors", "agency", "republished")
BYLINE_WEIGHTS = (30, 12, 15, 13, 12, 12)

DATE_STYLES_2023 = ("numbered_pipe", "plain", "long_dash", "short_comma")
VIEW_STYLES = {"2020": ("plain",), "2023": ("plain", "dot", "comma"), "2025": ("dot", "short_n", "short_k")}
ILLUSTRATION = "Ảnh minh họa"


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    topic: str  # key into wordbank.TOPICS


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class Image:
    path: str  # root-relative; the truth makes it absolute
    caption: str | None  # truth caption: own punctuation kept, credit removed
    credit: str | None
    credit_style: str = "tail"  # "tail": `… Ảnh: X`; "paren": `… (Ảnh: X)`

    def printed_caption(self) -> str | None:
        """The caption as one line with its credit, the way 2020/2023 pages print it."""
        if self.credit is None:
            return self.caption
        if self.credit_style == "paren":
            return f"{self.caption} (Ảnh: {self.credit})"
        return f"{self.caption} Ảnh: {self.credit}"


Block = Paragraph | Subheading | Image


@dataclass(frozen=True)
class Byline:
    form: str
    authors: tuple[str, ...]
    role: str | None = None
    source: str | None = None
    photographer: str | None = None  # set by the `Bài, ảnh: X` form
    lines: tuple[str, ...] = ()  # the byline as printed, one entry per line


@dataclass(frozen=True)
class Traits:
    """How the article's pages present it. None of this changes the truth except where noted."""

    date_style: str = "2020"
    views_style: str = "plain"  # truth follows the shown value for the short styles
    views_label_after: bool = False  # `3,8 N lượt xem` rather than `Lượt xem: 3,8 N`
    weekday_shift: int = 0  # days the printed weekday is off by (0 = correct)
    encoding: str = "utf-8"  # or "windows-1258"
    charset_declared_in: str = "both"  # "header", "meta" or "both"
    nfd: str = "none"  # "text": the article's text decomposed; "page": the whole document
    eth: bool = False  # `Ð` typed for `Đ`
    lower_eth: bool = False  # `ð` typed for `đ`
    comment_count: int = 0
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleSpec:
    index: int
    article_id: int
    category: Category
    generation: str
    id_less: bool  # served at `/tin-bai/{category}/{slug}` with no id in the URL
    listed: bool
    title: str
    slug: str
    sapo: str | None
    sapo_marked: bool  # printed after the paper's `ĐBP - ` mark
    body: tuple[Block, ...]
    byline: Byline
    published_at: datetime
    views_at_start: int | None  # None: the page shows no counter
    views_per_epoch: int
    added_epoch: int
    traits: Traits
    related: tuple[int, ...] = ()  # indices of the `Tin khác` entries
    updated_at: datetime | None = None
    revision: int = 0
    is_seed: bool = False

    @property
    def images(self) -> list[Image]:
        return [block for block in self.body if isinstance(block, Image)]

    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.body if isinstance(b, (Paragraph, Subheading)))


def _weighted(rng: random.Random, options, weights):
    return rng.choices(options, weights=weights, k=1)[0]


def draw_traits(rng: random.Random, generation: str, allow_wrong_weekday: bool) -> Traits:
    weekday_shift = rng.randint(1, 6) if allow_wrong_weekday and rng.random() < 0.03 else 0
    if generation == "2020":
        encoding = "windows-1258" if rng.random() < 0.35 else "utf-8"
        if encoding == "windows-1258":
            declared, nfd = rng.choice(("header", "meta")), "none"  # cp1258 is decomposed by nature
        else:
            declared = "both"
            nfd = _weighted(rng, ("none", "text", "page"), (70, 20, 10))
        return Traits(date_style="2020", views_style="plain", weekday_shift=weekday_shift,
                      encoding=encoding, charset_declared_in=declared, nfd=nfd, eth=True,
                      lower_eth=rng.random() < 0.1)
    tags = tuple(rng.sample(wordbank.TAGS, rng.randint(2, 4)))
    if generation == "2023":
        return Traits(date_style=rng.choice(DATE_STYLES_2023), views_style=rng.choice(VIEW_STYLES["2023"]),
                      weekday_shift=weekday_shift, nfd="text" if rng.random() < 0.05 else "none",
                      eth=rng.random() < 0.1, comment_count=_weighted(rng, (0, 1, 2, 3), (50, 20, 20, 10)),
                      tags=tags)
    return Traits(date_style="gmt7", views_style=_weighted(rng, VIEW_STYLES["2025"], (50, 30, 20)),
                  views_label_after=rng.random() < 0.5, tags=tags)


def default_traits(generation: str) -> Traits:
    """Plain presentation for an article shown in a generation other than its own."""
    if generation == "2020":
        return Traits(date_style="2020", views_style="plain", eth=True)
    if generation == "2023":
        return Traits(date_style="numbered_pipe", views_style="dot")
    return Traits(date_style="gmt7", views_style="dot")


def draw_byline(rng: random.Random, form: str) -> Byline:
    if form == "name":
        name = rng.choice(wordbank.REPORTERS)
        return Byline(form, (name,), lines=(name,))
    if form == "name_role":
        name, role = rng.choice(wordbank.OFFICIAL_AUTHORS), rng.choice(wordbank.AUTHOR_ROLES)
        return Byline(form, (name,), role=role, lines=(name, role))
    if form == "text_photo":
        name = rng.choice(wordbank.REPORTERS)
        label = rng.choice(("Bài, ảnh", "Bài và ảnh"))
        return Byline(form, (name,), photographer=name, lines=(f"{label}: {name}",))
    if form == "two_authors":
        first, second = rng.sample(wordbank.REPORTERS, 2)
        return Byline(form, (first, second), lines=(f"{first} - {second}",))
    if form == "agency":
        name = rng.choice(wordbank.AGENCY_REPORTERS)
        return Byline(form, (name,), source="TTXVN", lines=(f"{name} (TTXVN)",))
    source = rng.choice(wordbank.REPUBLISHED_FROM)
    return Byline("republished", (), source=source, lines=(f"Theo {source}",))


def image_path(generation: str, article_id: int, published_at: datetime, number: int) -> str:
    if generation == "2020":
        return f"/dataimages/{published_at:%Y%m}/original/images{article_id}_{number}.jpg"
    if generation == "2023":
        return f"/uploads/images/{published_at:%Y/%m/%d}/{article_id}-{number}.jpg"
    return f"/media/{published_at:%Y/%m/%d}/{article_id}_{number}.jpg"


def draw_images(rng: random.Random, writer: wordbank.Writer, topic: str, generation: str,
                byline: Byline, article_id: int, published_at: datetime) -> list[Image]:
    count = _weighted(rng, (0, 1, 2, 3, 4), (10, 55, 18, 10, 7))
    images = []
    for number in range(1, count + 1):
        caption = writer.caption(topic)
        path = image_path(generation, article_id, published_at, number)
        if caption == ILLUSTRATION:
            images.append(Image(path, caption, None))
            continue
        if generation != "2020" and rng.random() < 0.05:
            images.append(Image(path, None, None))  # a photo with no caption at all
            continue
        if byline.photographer:
            # `Bài, ảnh: X` means X took the photos: captions credit X or nobody.
            credit = byline.photographer if rng.random() < 0.8 else None
        else:
            credit = rng.choice(wordbank.REPORTERS) if rng.random() < 0.85 else None
        style = rng.choice(("tail", "tail", "paren"))
        # `… (Ảnh: X)` follows a caption with or without its own full stop; `… Ảnh: X` always after one.
        ends_with_stop = credit is None or style == "tail" or rng.random() < 0.5
        images.append(Image(path, caption + "." if ends_with_stop else caption, credit, style))
    return images


BRIEF_SHARE = 0.04  # of articles: a news brief of a paragraph or two


def draw_body(rng: random.Random, writer: wordbank.Writer, topic: str, images: list[Image],
              used: set[str], brief: bool = False) -> tuple[Block, ...]:
    """A brief (`brief`) is one paragraph or two, one photo at most: without its lead, thinner than
    a page the parser refuses as too thin when it shows no date."""
    paragraph_count = rng.randint(1, 2) if brief else rng.randint(4, 12)
    blocks: list[Block] = [Paragraph(writer.paragraph(topic, used)) for _ in range(paragraph_count)]
    if brief:
        images = images[:1]
    if paragraph_count >= 6 and rng.random() < 0.45:
        for position in sorted(rng.sample(range(2, paragraph_count), rng.randint(1, 2)), reverse=True):
            blocks.insert(position, Subheading(writer.subheading(topic)))
    if images:
        # The first photo sits under the lead (as in the seed) or after the first paragraph.
        first_at = 0 if rng.random() < 0.7 else 1
        slots = [first_at] + sorted(rng.sample(range(2, len(blocks) + 1), len(images) - 1))
        for offset, (slot, image) in enumerate(zip(slots, images)):
            blocks.insert(slot + offset, image)
    return tuple(blocks)


def draw_content(seed: int, index: int, category: Category, generation: str, article_id: int,
                 published_at: datetime, allow_wrong_weekday: bool = True) -> dict:
    """Everything about the article that its own random stream decides."""
    rng = random.Random(f"dbp-replica/{seed}/article/{index}")
    writer = wordbank.Writer(rng, published_at.year)
    topic = category.topic
    title = title_for(seed, index, category, published_at.year)
    form = _weighted(rng, BYLINE_FORMS, BYLINE_WEIGHTS)
    byline = draw_byline(rng, form)
    used: set[str] = set()
    sapo = writer.lead(topic, used) if rng.random() < 0.88 else None
    images = draw_images(rng, writer, topic, generation, byline, article_id, published_at)
    # (Its own stream, so that every other article stays as it was drawn before briefs were.)
    brief_rng = random.Random(f"dbp-replica/{seed}/brief/{index}")
    brief = brief_rng.random() < BRIEF_SHARE
    if brief and brief_rng.random() < 0.5:
        sapo = None  # (a brief is often its paragraphs and nothing else)
    body = draw_body(rng, writer, topic, images, used, brief)
    viral = rng.random() < 0.02
    views = rng.randint(1_000_000, 3_000_000) if viral else int(rng.paretovariate(1.6) * 600)
    return dict(
        title=title, slug=slugify(title), sapo=sapo,
        sapo_marked=form not in ("agency", "republished"),  # reprints carry no `ĐBP - ` mark
        body=body, byline=byline,
        views_at_start=None if rng.random() < 0.1 else views,
        views_per_epoch=rng.randint(1, 40) * (50 if viral else 1),
        traits=draw_traits(random.Random(f"dbp-replica/{seed}/traits/{index}"), generation,
                           allow_wrong_weekday),
    )


def title_for(seed: int, index: int, category: Category, year: int) -> str:
    """The article's original title, from a stream of its own so listings need not build whole specs."""
    return wordbank.Writer(random.Random(f"dbp-replica/{seed}/title/{index}"), year).title(category.topic)


# --- Edits -------------------------------------------------------------------------------------
EDIT_KINDS = ("title", "sapo", "paragraph")


@dataclass(frozen=True)
class Edit:
    epoch: int
    kind: str
    reslug: bool  # a title edit that also changes the URL slug (old URL then 301s)
    at: datetime


def apply_edit(spec: ArticleSpec, edit: Edit, seed: int) -> ArticleSpec:
    rng = random.Random(f"dbp-replica/{seed}/edit/{edit.epoch}/{spec.index}")
    writer = wordbank.Writer(rng, edit.at.year)
    topic = spec.category.topic
    changes: dict = {"updated_at": edit.at, "revision": spec.revision + 1}
    if edit.kind == "title":
        title = spec.title
        while title == spec.title:
            title = writer.title(topic) if rng.random() < 0.5 else _retouch_title(rng, spec.title)
        changes["title"] = title
        if edit.reslug:
            changes["slug"] = slugify(title)
    elif edit.kind == "sapo" and spec.sapo is not None:
        changes["sapo"] = writer.lead(topic, set())
    else:
        positions = [i for i, block in enumerate(spec.body) if isinstance(block, Paragraph)]
        position = rng.choice(positions)
        body = list(spec.body)
        body[position] = Paragraph(body[position].text + " " + writer.sentence(topic, set()))
        changes["body"] = tuple(body)
    return replace(spec, **changes)


def _retouch_title(rng: random.Random, title: str) -> str:
    """Small wording fixes editors make after publication."""
    suffixes = (" năm " + str(rng.randint(2019, 2025)), " (cập nhật)", ": Nhiều kết quả tích cực",
                " ở vùng cao")
    return title + rng.choice(suffixes)
