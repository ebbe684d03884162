"""The `Article` value: what the parser makes of one article page.

Everything downstream (the archive, the exports) consumes this value and nothing else,
so its field names are the project's vocabulary. Text fields are already normalised
(NFC, `Ð`→`Đ`, whitespace collapsed); times are aware datetimes in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

# The site's clock: every time on its pages, and every time this project stores (UTC+7, no DST).
SITE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Image:
    src: str  # absolute URL
    caption: str | None = None  # the caption without its `Ảnh: …` credit
    credit: str | None = None  # the name after `Ảnh:`


@dataclass(frozen=True)
class RelatedLink:
    url: str  # absolute URL
    title: str


@dataclass
class Article:
    url: str
    canonical_url: str
    article_id: int | None  # the numeric id in the URL; None on id-less (2025 `/tin-bai/`) URLs
    title: str
    category: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    view_count: int | None = None
    sapo: str | None = None  # the lead, without the paper's `ĐBP - ` mark
    body_text: str = ""  # body paragraphs joined by blank lines; no sapo, captions or byline
    body_html: str = ""  # cleaned content markup only
    authors: list[str] = field(default_factory=list)
    author_role: str | None = None
    source: str | None = None  # agency: `TTXVN`, `VOV`, `Báo Nhân Dân` (from `Theo …`)
    photo_credits: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    raw: dict[str, str | None] = field(default_factory=dict)  # {"date": …, "views": …} as found
    warnings: list[str] = field(default_factory=list)
    # Fields a reader sees on the page that the parser did not read (`crawler.parsing.health`): the
    # archive counts them per run, so a redesign that hides a field shows up.
    missing: list[str] = field(default_factory=list)
    parser_version: str = ""

    @property
    def identity(self) -> str:
        """The archive key (`crawler.urls`): the numeric id where the URL has one, else the canonical
        URL's path, host-free."""
        from crawler.urls import page_identity

        return str(self.article_id) if self.article_id is not None else page_identity(self.url, self.canonical_url)

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("published_at", "updated_at"):
            value = getattr(self, key)
            data[key] = value.isoformat(timespec="seconds") if value else None
        return data

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


class NotAnArticle(ValueError):
    """The page parsed, but it is not an article (a listing, a search page, an error page).

    `kind` says what it is when the parser can tell: `home`, `listing`, `search` or `error` (a "not
    found" page served with 200 is how some sites take an article down)."""

    def __init__(self, message: str, kind: str | None = None):
        super().__init__(message)
        self.kind = kind
