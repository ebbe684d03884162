"""The replica's model of the site: which articles exist, what they say, and how that changes with time.

Structure (id, category, listed or not, URL scheme, publication time) is drawn once per index from a
single seeded stream and kept in flat arrays; content is drawn per article from (seed, index) when a
page or a truth is asked for, so a 50 000-article replica costs a few hundred kilobytes.

Time is an integer *epoch*. Each `advance()` replays one day of newsroom life, decided by
(seed, epoch) alone: ~5 % of live articles edited, ~2 % taken down (404 or 410, for good), ~1 % new
articles published, every view counter up. `Replica(seed, articles, epoch=E)` is the same site as
`Replica(seed, articles)` advanced E times.
"""

from __future__ import annotations

import bisect
import random
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from crawler.article import SITE_TIME
from crawler.replica import seed_article, spec as specs
from crawler.replica.spec import ArticleSpec, Category, Edit
from crawler.replica.vietnamese import short_count, group_thousands, slugify

# The replica's clock: "now" at epoch 0; each epoch is one day later.
EPOCH_0_NOW = datetime(2025, 11, 1, 0, 0, tzinfo=SITE_TIME)
EPOCH_LENGTH = timedelta(days=1)
DEFAULT_BASE_URL = "http://127.0.0.1"

# Initial articles are spread in thirds over the three markup generations' eras.
GENERATION_ERAS = {
    "2020": (date(2019, 1, 1), date(2021, 1, 1)),
    "2023": (date(2021, 1, 1), date(2025, 1, 1)),
    "2025": (date(2025, 1, 1), date(2025, 11, 1)),
}
# Publication times fall in the newsroom's day, 06:00–22:00.
NEWSROOM_DAY_START, NEWSROOM_DAY_HOURS = 6, 16

SEED_PUBLISHED_AT = datetime(2020, 8, 17, 8, 33, tzinfo=SITE_TIME)
SEED_CATEGORY = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"

CATEGORY_POOL = (
    Category("Chính trị", "chinh-tri", "politics"),
    Category("Kinh tế", "kinh-te", "economy"),
    Category("Xã hội", "xa-hoi", "society"),
    Category(SEED_CATEGORY, slugify(SEED_CATEGORY), "party_bloc"),
    Category("Quốc phòng - An ninh", "quoc-phong-an-ninh", "defence"),
    Category("Văn hóa - Du lịch", "van-hoa-du-lich", "culture"),
    Category("Y tế", "y-te", "health"),
    Category("Giáo dục", "giao-duc", "education"),
    Category("Thể thao", "the-thao", "sport"),
    Category("Nông nghiệp - Nông thôn", "nong-nghiep-nong-thon", "agriculture"),
    Category("Pháp luật", "phap-luat", "law"),
    Category("Xây dựng Đảng", "xay-dung-dang", "party_building"),
)

# Per-index flags.
UNLISTED = 1  # in no listing and no sitemap; reachable only through another article's `Tin khác`
NO_RELATED = 2  # the page has no `Tin khác` list
ID_LESS = 4  # 2025 `/tin-bai/{category}/{slug}` URL with no numeric id

# Up to SIX_DIGIT_ARTICLES the ids stay in the site's 6-digit range around the seed's fixed id; a bigger
# replica (the scale benchmark's million) spaces them by 1 and lets them run past it, as a site that
# lives long enough does (5 digits below the seed's id, 7 above).
SIX_DIGIT_ARTICLES = 200_000
MAX_ARTICLES = 2_000_000
LOWEST_ID = 1000  # the `.com.vn` URL shape (`…-1234.html`) needs 4 digits
RATES = {"edit": 0.05, "take_down": 0.02, "add": 0.01}
GONE_FOR_GOOD_SHARE = 0.4  # of take-downs answer 410 rather than 404
# The site as it is today (`today=True`) takes articles down in more ways than a 404, and sometimes
# puts them back: how often each way is drawn, and the share of gone articles back each day.
TODAY_TAKE_DOWNS = {404: 3, 410: 2, "soft-404": 2, "redirect-home": 2, "redirect-listing": 2}
TODAY_RETURN_RATE = 0.3


@dataclass(frozen=True)
class Changes:
    """What happened between two epochs, as article ids (the replica's keys, see `Replica.identity`).

    `edited`: existed at `from_epoch`, edited since, still live. `moved`: the edited ones whose URL
    slug changed (old URL answers 301). `taken_down`: existed at `from_epoch`, gone at `to_epoch`
    (`status` says how: 404, 410, or on today's site `soft-404`, `redirect-home`, `redirect-listing`).
    `returned`: gone at `from_epoch` or since, live again at `to_epoch`. `added`: published since
    `from_epoch` and still live.
    """

    from_epoch: int
    to_epoch: int
    edited: tuple[int, ...] = ()
    moved: tuple[int, ...] = ()
    taken_down: tuple[int, ...] = ()
    added: tuple[int, ...] = ()
    status: dict[int, int | str] = field(default_factory=dict)
    returned: tuple[int, ...] = ()
    recategorised: tuple[int, ...] = ()  # moved to another category (today's site: a new URL too)

    def to_dict(self) -> dict:
        return {"from_epoch": self.from_epoch, "to_epoch": self.to_epoch, "edited": list(self.edited),
                "moved": list(self.moved), "taken_down": list(self.taken_down), "added": list(self.added),
                "returned": list(self.returned), "recategorised": list(self.recategorised), "status": {str(k): v for k, v in self.status.items()}}


@dataclass(frozen=True)
class EpochEvents:
    epoch: int
    edits: dict[int, Edit]  # index → edit
    take_downs: dict[int, int | str]  # index → HTTP status, or how today's site takes it down
    added: range  # indices
    returns: tuple[int, ...] = ()  # indices live again
    moves: dict[int, int] = field(default_factory=dict)  # index → its new category (an index)


@dataclass(frozen=True)
class ArticleView:
    """One article as one page shows it: the spec plus everything decided per page (URL, counts)."""

    spec: ArticleSpec
    generation: str
    traits: specs.Traits  # the spec's own, or a plain set when shown in another generation
    base_url: str
    path: str
    views: tuple[str, int] | None  # (text as shown, value it stands for)
    shows_update: bool
    related: tuple[tuple[str, str], ...]  # (absolute URL, title)
    now: datetime

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def absolute(self, path: str) -> str:
        return path if "://" in path else self.base_url + path


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def remember(self, key, value):
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class Replica:
    SEED_ARTICLE_ID = seed_article.SEED_ARTICLE_ID

    def __init__(self, seed: int = 1, articles: int = 200, categories: int = 8, epoch: int = 0,
                 today: bool = False, layouts: str = "generations"):
        if not 1 <= articles <= MAX_ARTICLES:
            raise ValueError(f"articles must be between 1 (the seed article) and {MAX_ARTICLES}")
        self.seed = seed
        # The site as it is today: category listings served by a JSON API on another origin, id-less
        # `/tin-bai/` articles in the current markup, old domains redirecting, take-downs of every kind.
        self.today = today
        # `generations`: each article in its site generation's markup; `random`: each in a layout of
        # its own drawn by `crawler.replica.layouts` (the truth is the same either way).
        if layouts not in ("generations", "random"):
            raise ValueError("layouts must be 'generations' or 'random'")
        self.layouts = layouts
        self.api_url: str | None = None  # today's category API origin, set by the server
        self.old_base_urls: dict[str, str] = {}  # generation → the origin its old domain answers on
        self.initial_count = articles
        self.categories = _choose_categories(categories)
        self.base_url = DEFAULT_BASE_URL
        self.lock = threading.RLock()  # the server renders from several threads; advance() mutates
        self._epoch = 0
        self._events: list[EpochEvents] = []
        self._edits: dict[int, list[Edit]] = {}
        self._gone: dict[int, tuple[int, int]] = {}  # index → (epoch, status)
        self._base_cache = _LRU(512)
        self._view_cache = _LRU(256)
        self.page_cache: dict = {}  # the page layer's per-epoch caches (sidebars, listing sizes)
        self._slug_map: dict[str, int] | None = None  # id-less slug → index, built on first use
        self._id_less_slugs: dict[int, str] = {}
        self._moved_to: dict[int, int] = {}  # index → the category (an index) it was moved to
        self._first_id_less_slug: dict[int, str] = {}  # index → its slug before any re-slug
        self.hidden: frozenset[str] = frozenset()  # furniture a `redesign()` took off every page
        self._lay_out(articles)
        if today:
            self._ensure_slug_map()  # slugs in publication order, whatever is requested first
        for _ in range(epoch):
            self.advance()

    # --- Structure ---------------------------------------------------------------------------
    def _lay_out(self, n: int) -> None:
        rng = random.Random(f"dbp-replica/{self.seed}/structure")
        third = max(1, n // 3)
        self._era_bounds = {"2020": (0, third), "2023": (third, max(third, 2 * n // 3)),
                            "2025": (max(third, 2 * n // 3), n)}
        start, end = GENERATION_ERAS["2020"]
        seed_offset = (SEED_PUBLISHED_AT.date() - start).days + _fraction_of_newsroom_day(SEED_PUBLISHED_AT)
        # (In a replica too big for the seed's place in time to leave room below its fixed id, it sits
        # earlier: one article out of date order among a million.)
        self.seed_index = min(third - 1, int(third * seed_offset / (end - start).days),
                              self.SEED_ARTICLE_ID - LOWEST_ID)

        self._time_jitter = array("d", (rng.random() for _ in range(n)))
        self._added_from: list[tuple[int, int]] = []  # (first index, epoch) per epoch that added
        self._published_added: dict[int, datetime] = {}

        seed_category = next(i for i, c in enumerate(self.categories) if c.name == SEED_CATEGORY)
        weights = [0.6 if c.name == SEED_CATEGORY else 1.0 for c in self.categories]
        self._category = bytearray(rng.choices(range(len(self.categories)), weights=weights, k=n))
        self._category[self.seed_index] = seed_category

        # Ids grow with publication time; the seed keeps its fixed id, the others are spaced around it.
        below, above = self.seed_index, n - self.seed_index
        self._max_gap = max(1, min(5, (self.SEED_ARTICLE_ID - 100_000) // max(below, 1),
                                   (999_999 - self.SEED_ARTICLE_ID) // max(4 * above, 1)))

        ids = array("l", [0]) * n
        ids[self.seed_index] = self.SEED_ARTICLE_ID
        for i in range(self.seed_index - 1, -1, -1):
            ids[i] = ids[i + 1] - rng.randint(1, self._max_gap)
        for i in range(self.seed_index + 1, n):
            ids[i] = ids[i - 1] + rng.randint(1, self._max_gap)
        self._ids = ids
        self._index_of_id = {article_id: i for i, article_id in enumerate(ids)}

        flags = bytearray(n)
        lo_2025 = self._era_bounds["2025"][0]
        for i in range(n):
            if rng.random() < 0.03:
                flags[i] |= UNLISTED
            if rng.random() < 0.10:
                flags[i] |= NO_RELATED
            if i >= lo_2025 and rng.random() < 0.15:
                flags[i] |= ID_LESS
            if today_site_article(self, i, lo_2025):
                flags[i] |= ID_LESS
        flags[self.seed_index] = 0
        self._flags = flags

        self._showcase = self._choose_showcase()

        self._by_category: list[array] = [array("l") for _ in self.categories]
        for i in range(n):
            self._by_category[self._category[i]].append(i)
        self._assign_hosts()

    def _choose_showcase(self) -> dict[int, dict]:
        """A few articles get the rarer presentations outright, so even a small replica shows them all:
        each short view form (`3,8 N`, `12K`, `1,2 Tr`) and a wrong weekday in both dated generations."""
        def first_of(generation: str, count: int) -> list[int]:
            lo, hi = self._era_bounds[generation]
            return [i for i in range(lo, hi) if i != self.seed_index][:count]

        showcase: dict[int, dict] = {}
        for index, (style, views) in zip(first_of("2025", 3), (("short_n", 3_812), ("short_k", 12_345),
                                                              ("short_n", 1_234_567))):
            showcase[index] = {"traits": {"views_style": style}, "content": {"views_at_start": views}}
        for generation, shift in (("2020", 2), ("2023", 1)):
            for index in first_of(generation, 1):
                showcase[index] = {"traits": {"weekday_shift": shift}}
        return showcase

    def _assign_hosts(self) -> None:
        """Give every unlisted article a listed one whose `Tin khác` links to it (or list it after all)."""
        self._host_of: dict[int, int] = {}
        self._hosted: dict[int, list[int]] = {}

        def can_host(j: int) -> bool:
            return not self._flags[j] & (UNLISTED | NO_RELATED)

        for i in range(self.initial_count):
            if not self._flags[i] & UNLISTED:
                continue
            members = self._by_category[self._category[i]]
            position = bisect.bisect_left(members, i)
            later = (j for j in members[position + 1:] if can_host(j))
            earlier = (j for j in reversed(members[:position]) if can_host(j))
            host = next(later, None) or next(earlier, None)
            if host is None:
                self._flags[i] &= ~UNLISTED
                continue
            self._host_of[i] = host
            self._hosted.setdefault(host, []).append(i)

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def total(self) -> int:
        """Indices ever created (initial plus added), taken-down ones included."""
        return len(self._ids)

    def now(self, epoch: int | None = None) -> datetime:
        return EPOCH_0_NOW + EPOCH_LENGTH * (self._epoch if epoch is None else epoch)

    def generation_of(self, index: int) -> str:
        if index == self.seed_index:
            return "2020"
        for generation, (lo, hi) in self._era_bounds.items():
            if lo <= index < hi:
                return generation
        return "2025"

    def added_epoch_of(self, index: int) -> int:
        if index < self.initial_count:
            return 0
        position = bisect.bisect_right(self._added_from, (index, float("inf"))) - 1
        return self._added_from[position][1]

    def published_at(self, index: int) -> datetime:
        if index == self.seed_index:
            return SEED_PUBLISHED_AT
        if index >= self.initial_count:
            return self._published_added[index]
        generation = self.generation_of(index)
        lo, hi = self._era_bounds[generation]
        start, end = GENERATION_ERAS[generation]
        offset = (index - lo + self._time_jitter[index]) * (end - start).days / (hi - lo)
        return _newsroom_time(start, offset)

    def category_of(self, index: int) -> Category:
        """The category the article is in now (today's site moves some)."""
        return self.categories[self._moved_to.get(index, self._category[index])]

    def original_category_of(self, index: int) -> Category:
        """The category it was published in: what its content and `Tin khác` were drawn from."""
        return self.categories[self._category[index]]

    def is_listed(self, index: int) -> bool:
        return not self._flags[index] & UNLISTED

    def is_id_less(self, index: int) -> bool:
        return bool(self._flags[index] & ID_LESS)

    def only_in_listings(self, index: int) -> bool:
        """On today's site a share of listed articles is linked from no other article: only the
        category listings (the API) lead to them once they leave the home page and the feed."""
        return self.today and self.is_listed(index) and index % 4 == 1 and index not in self._host_of

    def is_live(self, index: int) -> bool:
        return 0 <= index < self.total and index not in self._gone

    # --- Ids -----------------------------------------------------------------------------------
    def index_of(self, article_id: int) -> int:
        try:
            return self._index_of_id[article_id]
        except KeyError:
            raise KeyError(f"no article {article_id} in this replica") from None

    def id_of(self, index: int) -> int:
        return self._ids[index]

    def all_ids(self) -> list[int]:
        """Every article ever published up to now, taken-down ones included."""
        return list(self._ids)

    def live_ids(self) -> list[int]:
        return [self._ids[i] for i in range(self.total) if i not in self._gone]

    def listed_ids(self) -> list[int]:
        """Live articles that appear in category listings (unlisted ones excluded)."""
        return [self._ids[i] for i in range(self.total) if i not in self._gone and self.is_listed(i)]

    def unlisted_ids(self) -> list[int]:
        return [self._ids[i] for i in range(self.total) if i not in self._gone and not self.is_listed(i)]

    def id_less_ids(self) -> list[int]:
        """Articles whose pages carry no id: the crawler knows them by canonical URL (`identity`)."""
        return [self._ids[i] for i in range(self.total) if self.is_id_less(i)]

    def status(self, article_id: int) -> int:
        """What the article's URL answers now: 200, or 404/410 after a take-down (404 if unknown); a
        soft-404 answers 200 and a redirect 301, as today's site does."""
        kind = self.gone_kind(article_id)
        return {None: 200, "soft-404": 200, "redirect-home": 301, "redirect-listing": 301}.get(kind, kind)

    def gone_kind(self, article_id: int) -> int | str | None:
        """How the article is taken down (404, 410, `soft-404`, `redirect-home`, `redirect-listing`),
        None while live."""
        index = self._index_of_id.get(article_id)
        if index is None:
            return 404
        gone = self._gone.get(index)
        return gone[1] if gone else None

    def identity(self, article_id: int, base_url: str | None = None) -> str:
        """The archive's key for the article: its id as text, or the canonical URL for id-less pages."""
        from crawler.urls import identity_of  # the archive's rule, which the truth must speak

        index = self.index_of(article_id)
        return identity_of(self.url_for(article_id, base_url)) if self.is_id_less(index) else str(article_id)

    # --- Specs -----------------------------------------------------------------------------------
    def base_spec(self, index: int) -> ArticleSpec:
        """The article as first published."""
        cached = self._base_cache.get(index)
        if cached is not None:
            return cached
        category, generation = self.original_category_of(index), self.generation_of(index)
        article_id, published = self._ids[index], self.published_at(index)
        if index == self.seed_index:
            image = specs.image_path("2020", article_id, published, 1)
            content = seed_article.seed_content(image)
            content = dict(content, slug=slugify(content["title"]))
        else:
            content = specs.draw_content(self.seed, index, category, generation, article_id, published)
            showcase = self._showcase.get(index)
            if showcase:
                traits = replace(content["traits"], **showcase.get("traits", {}))
                content = dict(content, traits=traits, **showcase.get("content", {}))
        built = ArticleSpec(
            index=index, article_id=article_id, category=self.category_of(index), generation=generation,
            id_less=self.is_id_less(index), listed=self.is_listed(index), published_at=published,
            added_epoch=self.added_epoch_of(index), related=self._related(index),
            is_seed=index == self.seed_index, **content)
        return self._base_cache.remember(index, built)

    def spec(self, index: int) -> ArticleSpec:
        """The article as it reads now, edits applied."""
        current = self.base_spec(index)
        for edit in self._edits.get(index, ()):
            current = specs.apply_edit(current, edit, self.seed)
        return current

    def article(self, article_id: int) -> ArticleSpec:
        return self.spec(self.index_of(article_id))

    def title_of_base(self, index: int) -> str:
        if index == self.seed_index:
            return self.base_spec(index).title
        return specs.title_for(self.seed, index, self.original_category_of(index), self.published_at(index).year)

    def _related(self, index: int) -> tuple[int, ...]:
        """`Tin khác`: same-category articles (older first choice), fixed when the article is published."""
        if self._flags[index] & NO_RELATED:
            return ()
        rng = random.Random(f"dbp-replica/{self.seed}/related/{index}")
        members = self._by_category[self._category[index]]
        position = bisect.bisect_left(members, index)
        pool = [j for j in members[max(0, position - 30):position] if not self.only_in_listings(j)]
        if len(pool) < 8 and index < self.initial_count:
            pool += [j for j in members[position + 1:position + 31] if j < self.initial_count
                     and not self.only_in_listings(j)]
        picks = set(rng.sample(pool, min(len(pool), rng.randint(4, 8))))
        picks.update(self._hosted.get(index, ()))
        return tuple(sorted(picks, reverse=True))

    # --- URLs ------------------------------------------------------------------------------------
    def path_of(self, index: int, current: ArticleSpec | None = None) -> str:
        category = self.category_of(index)
        if self.is_id_less(index):
            return f"/tin-bai/{category.slug}/{self._id_less_slug(index)}"
        slug = (current or self.spec(index)).slug
        return f"/tin-tuc/{category.slug}/{self._ids[index]}/{slug}"

    def base_path_of(self, index: int) -> str:
        """The URL the article had when published (what older pages' `Tin khác` links still use)."""
        if self.is_id_less(index):
            first_slug = self._first_id_less_slug.get(index) or self._id_less_slug(index)
            return f"/tin-bai/{self.original_category_of(index).slug}/{first_slug}"
        return f"/tin-tuc/{self.category_of(index).slug}/{self._ids[index]}/{slugify(self.title_of_base(index))}"

    def link_url(self, index: int, base_url: str) -> str:
        """Where another page's `Tin khác` link to the article points. On today's site old articles'
        links still name the old domains, in their URL shapes (`.com.vn`: `/{category}/{slug}-{id}.html`)."""
        if self.old_base_urls and not self.is_id_less(index):
            generation = self.generation_of(index)
            if generation == "2023" and "2023" in self.old_base_urls:
                slug = slugify(self.title_of_base(index))
                return f"{self.old_base_urls['2023']}/{self.category_of(index).slug}/{slug}-{self._ids[index]}.html"
            if generation == "2020" and "2020" in self.old_base_urls:
                return self.old_base_urls["2020"] + self.base_path_of(index)
        return base_url + self.base_path_of(index)

    def url_for(self, article_id: int, base_url: str | None = None) -> str:
        return (base_url or self.base_url) + self.path_of(self.index_of(article_id))

    def _id_less_slug(self, index: int) -> str:
        self._ensure_slug_map()
        return self._id_less_slugs[index]

    def index_for_id_less_slug(self, slug: str) -> int | None:
        self._ensure_slug_map()
        return self._slug_map.get(slug)

    def _reslug_id_less(self, index: int) -> None:
        """A title edit gives an id-less article a new slug; the old ones still lead to it (301)."""
        self._ensure_slug_map()
        self._first_id_less_slug.setdefault(index, self._id_less_slugs[index])
        slug = base = slugify(self.spec(index).title)
        counter = 1
        while slug in self._slug_map and self._slug_map[slug] != index:
            counter += 1
            slug = f"{base}-{counter}"
        self._slug_map[slug] = index
        self._id_less_slugs[index] = slug

    def _ensure_slug_map(self) -> None:
        """Id-less URLs need unique slugs: later articles with a clashing title get `-2`, `-3`…"""
        if self._slug_map is None:
            self._slug_map, self._id_less_slugs, self._slugs_mapped_upto = {}, {}, 0
        for index in range(self._slugs_mapped_upto, self.total):
            if not self.is_id_less(index):
                continue
            slug = base = slugify(self.title_of_base(index))
            counter = 1
            while slug in self._slug_map:
                counter += 1
                slug = f"{base}-{counter}"
            self._slug_map[slug] = index
            self._id_less_slugs[index] = slug
        self._slugs_mapped_upto = self.total

    # --- Views of one page -------------------------------------------------------------------------
    def views_at(self, spec: ArticleSpec, epoch: int | None = None) -> int | None:
        if spec.views_at_start is None:
            return None
        epoch = self._epoch if epoch is None else epoch
        age = epoch - spec.added_epoch
        if age <= 0:
            return spec.views_at_start
        # A jitter below half the daily rate keeps counts strictly increasing from epoch to epoch.
        jitter = random.Random(f"dbp-replica/{self.seed}/views/{spec.index}/{epoch}").randint(
            0, spec.views_per_epoch // 2)
        return spec.views_at_start + age * spec.views_per_epoch + jitter

    def view(self, index: int, generation: str | None = None, base_url: str | None = None) -> ArticleView:
        base_url = base_url or self.base_url
        key = (index, generation, base_url, self._epoch, len(self._edits.get(index, ())))
        cached = self._view_cache.get(key)
        if cached is not None:
            return cached
        current = self.spec(index)
        generation = generation or current.generation
        traits = current.traits if generation == current.generation else specs.default_traits(generation)
        count = self.views_at(current)
        views = None if count is None or "views" in self.hidden else _shown_views(count, traits.views_style)
        related = tuple((self.link_url(r, base_url), self.title_of_base(r)) for r in current.related)
        built = ArticleView(spec=current, generation=generation, traits=traits, base_url=base_url,
                            path=self.path_of(index, current),
                            views=views, shows_update=generation != "2020" and current.updated_at is not None,
                            related=related, now=self.now())
        return self._view_cache.remember(key, built)

    # --- Truth -------------------------------------------------------------------------------------
    def expected(self, article_id: int, generation: str | None = None, base_url: str | None = None) -> dict:
        """What a correct parser extracts from the article's page now, shaped like `Article.to_dict()`.

        Raises `KeyError` for unknown ids and `LookupError` for taken-down articles.
        """
        from crawler.replica.truth import truth_of

        with self.lock:
            index = self.index_of(article_id)
            if index in self._gone:
                raise LookupError(f"article {article_id} was taken down (HTTP {self._gone[index][1]})")
            view = self.view(index, generation, base_url)
            if self.layouts == "random" and generation is None:
                from crawler.replica.layouts import layout_for, truth_for

                return truth_for(view, layout_for(self.seed, index))
            return truth_of(view)

    def expected_for_url(self, url: str) -> dict:
        """Truth for the article a URL of this replica leads to (following id and slug rules)."""
        from crawler.replica.site import resolve_article_path
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
        index = resolve_article_path(self, parts.path)
        if index is None:
            raise KeyError(f"{url} is not an article of this replica")
        return self.expected(self._ids[index], base_url=base)

    # --- Rendering -----------------------------------------------------------------------------------
    def render_article(self, article_id: int, generation: str | None = None, encoding: str | None = None,
                       obfuscate_seed: int | None = None, base_url: str | None = None, layout=None):
        """The article's page as the site serves it (a `Page`), in its own generation unless told, or
        in a `crawler.replica.layouts.Layout`."""
        from crawler.replica.pages import article_page

        with self.lock:
            return article_page(self, self.view(self.index_of(article_id), generation, base_url),
                                encoding=encoding, obfuscate_seed=obfuscate_seed, layout=layout)

    def expected_in_layout(self, article_id: int, layout) -> dict:
        """The truth for the article's page in `layout` (what that page shows of it)."""
        from crawler.replica.layouts import truth_for

        with self.lock:
            return truth_for(self.view(self.index_of(article_id)), layout)

    # --- Redesigns -------------------------------------------------------------------------------------
    REDESIGNABLE = frozenset({"views"})

    def redesign(self, hide=("views",)) -> None:
        """The site's layout changes from now on: the furniture named in `hide` leaves every page.
        `"views"`: no view counter and no `Lượt xem` label on article pages, nor counts beside the
        sidebars' teasers (the site still counts: `views_at` and the "most read" order stand). The
        truth follows (`view_count` None), and the changed pages get new ETags, so a crawl refetches
        them. For testing what a crawl's field health shows after a redesign."""
        unknown = set(hide) - self.REDESIGNABLE
        if unknown:
            raise ValueError(f"cannot hide {sorted(unknown)}: only {sorted(self.REDESIGNABLE)}")
        with self.lock:
            self.hidden = self.hidden | frozenset(hide)
            self._view_cache.clear()
            self.page_cache.clear()

    # --- Time ------------------------------------------------------------------------------------------
    def advance(self, steps: int = 1) -> Changes:
        """Move the clock on by `steps` epochs and report what changed."""
        with self.lock:
            start = self._epoch
            for _ in range(steps):
                self._apply(self._events_for(self._epoch + 1))
            return self.changes(start, self._epoch)

    def _events_for(self, epoch: int) -> EpochEvents:
        rng = random.Random(f"dbp-replica/{self.seed}/epoch/{epoch}")
        live = [i for i in range(self.total) if i not in self._gone]
        editable = [i for i in live if i != self.seed_index]
        edited = rng.sample(editable, min(len(editable), max(1, round(RATES["edit"] * len(live)))))
        day_start = self.now(epoch - 1)
        edits = {}
        for index in sorted(edited):
            kind = rng.choices(specs.EDIT_KINDS, weights=(30, 30, 40))[0]
            # Today's site re-slugs id-less articles too (their old URL then answers 301).
            reslug = kind == "title" and (self.today or not self.is_id_less(index)) and rng.random() < 0.5
            edits[index] = Edit(epoch, kind, reslug, day_start + timedelta(minutes=rng.randint(1, 1439)))
        # The seed stays readable, and hosts keep their unlisted articles reachable.
        protected = {self.seed_index, *self._hosted, *edits}
        removable = [i for i in live if i not in protected]
        removed = rng.sample(removable, min(len(removable), max(1, round(RATES["take_down"] * len(live)))))
        if self.today:
            kinds, weights = zip(*TODAY_TAKE_DOWNS.items())
            take_downs = {i: rng.choices(kinds, weights)[0] for i in sorted(removed)}
        else:
            take_downs = {i: 410 if rng.random() < GONE_FOR_GOOD_SHARE else 404 for i in sorted(removed)}
        new_count = max(1, round(RATES["add"] * len(live)))
        returns: tuple[int, ...] = ()
        moves: dict[int, int] = {}
        if self.today:  # an id-less article moved to another category changes its URL (old one: 301)
            movable = [i for i in live if self.is_id_less(i) and i not in edits and i not in removed]
            for index in rng.sample(movable, min(len(movable), max(1, round(0.01 * len(live))))):
                now_in = self._moved_to.get(index, self._category[index])
                moves[index] = (now_in + 1 + rng.randrange(len(self.categories) - 1)) % len(self.categories)
        if self.today:  # some come back: an error corrected, a page restored
            comeback = sorted(i for i, (_, kind) in self._gone.items() if kind != 410)
            returns = tuple(sorted(rng.sample(comeback, round(TODAY_RETURN_RATE * len(comeback)))))
        return EpochEvents(epoch, edits, take_downs, range(self.total, self.total + new_count), returns, moves)

    def _apply(self, events: EpochEvents) -> None:
        epoch = events.epoch
        for index, edit in events.edits.items():
            self._edits.setdefault(index, []).append(edit)
            if edit.reslug and self.is_id_less(index):
                self._reslug_id_less(index)
        for index, category in events.moves.items():
            self._moved_to[index] = category  # content and `Tin khác` stay as published
            self._base_cache.pop(index, None)  # the spec names its category
        for index in events.returns:
            del self._gone[index]
        for index, status in events.take_downs.items():
            self._gone[index] = (epoch, status)
        self._add_articles(epoch, len(events.added))
        self._events.append(events)
        self._epoch = epoch
        self._view_cache.clear()
        self.page_cache.clear()

    def _add_articles(self, epoch: int, count: int) -> None:
        rng = random.Random(f"dbp-replica/{self.seed}/added/{epoch}")
        first = self.total
        self._added_from.append((first, epoch))
        day_start = self.now(epoch - 1)
        minutes = sorted(rng.randint(0, NEWSROOM_DAY_HOURS * 60 - 1) for _ in range(count))
        for offset in range(count):
            index = first + offset
            article_id = self._ids[-1] + rng.randint(1, self._max_gap)
            if article_id > 999_999:
                raise OverflowError("the replica ran out of 6-digit ids")
            self._ids.append(article_id)
            self._index_of_id[article_id] = index
            self._category.append(rng.randrange(len(self.categories)))
            self._flags.append(ID_LESS if rng.random() < 0.15 or self.today else 0)
            self._by_category[self._category[index]].append(index)
            self._published_added[index] = day_start + timedelta(hours=NEWSROOM_DAY_START,
                                                                 minutes=minutes[offset])
        if self.today:
            self._ensure_slug_map()  # the new articles' slugs now, before any later re-slug can clash

    def changes(self, from_epoch: int, to_epoch: int) -> Changes:
        if not 0 <= from_epoch <= to_epoch <= self._epoch:
            raise ValueError(f"epochs must satisfy 0 <= {from_epoch} <= {to_epoch} <= {self._epoch}")
        existed = self.initial_count if from_epoch == 0 else self._events[from_epoch - 1].added.stop
        now_gone = {i for i, (e, _) in self._gone.items() if e <= to_epoch}
        edited, moved, taken_down, added = set(), set(), {}, []
        returned, recategorised = set(), set()
        for events in self._events[from_epoch:to_epoch]:
            returned |= {i for i in events.returns if i not in now_gone}
            recategorised |= {i for i in events.moves if i < existed and i not in now_gone}
            for index, edit in events.edits.items():
                if index < existed and index not in now_gone:
                    edited.add(index)
                    if edit.reslug:
                        moved.add(index)
            for index, status in events.take_downs.items():
                if index < existed and index in now_gone:
                    taken_down[index] = status
            added += [i for i in events.added if i not in now_gone]
        ids = self._ids
        return Changes(from_epoch, to_epoch, edited=tuple(ids[i] for i in sorted(edited)),
                       moved=tuple(ids[i] for i in sorted(moved | recategorised)),
                       taken_down=tuple(ids[i] for i in sorted(taken_down)),
                       added=tuple(ids[i] for i in added),
                       status={ids[i]: s for i, s in taken_down.items()},
                       returned=tuple(ids[i] for i in sorted(returned)),
                       recategorised=tuple(ids[i] for i in sorted(recategorised)))

    def state(self) -> dict:
        live = self.total - len(self._gone)
        return {"seed": self.seed, "epoch": self._epoch, "now": self.now().isoformat(),
                "articles": self.total, "live": live, "listed": len(self.listed_ids()),
                "taken_down": len(self._gone), "edited": len(self._edits),
                "seed_article_id": self.SEED_ARTICLE_ID}

    # --- Listings --------------------------------------------------------------------------------------
    def listing(self, category: Category | None, offset: int, limit: int) -> list[int]:
        """Indices of live, listed articles, newest first (one category, or all)."""
        if category is None:
            candidates = range(self.total - 1, -1, -1)
        else:
            position = self.categories.index(category)
            members = self._by_category[position]
            if self._moved_to:  # articles moved out of it, and into it
                moved_in = [i for i, to in self._moved_to.items() if to == position]
                members = sorted({*(i for i in members if self._moved_to.get(i, position) == position), *moved_in})
            candidates = reversed(members)
        found, skipped = [], 0
        for index in candidates:
            if index in self._gone or not self.is_listed(index):
                continue
            if skipped < offset:
                skipped += 1
                continue
            found.append(index)
            if len(found) == limit:
                break
        return found

    def category_by_slug(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)


def today_site_article(replica: Replica, index: int, first_of_2025: int) -> bool:
    """On today's site every article of the current era has an id-less `/tin-bai/` URL."""
    return replica.today and index >= first_of_2025


def _choose_categories(count: int) -> list[Category]:
    count = max(1, min(count, len(CATEGORY_POOL)))
    chosen = list(CATEGORY_POOL[:count])
    if not any(c.name == SEED_CATEGORY for c in chosen):
        chosen[-1] = CATEGORY_POOL[3]
    return chosen


def _fraction_of_newsroom_day(moment: datetime) -> float:
    hours = moment.hour + moment.minute / 60 - NEWSROOM_DAY_START
    return hours / NEWSROOM_DAY_HOURS


def _newsroom_time(start: date, day_offset: float) -> datetime:
    whole_days = int(day_offset)
    minutes = int((day_offset - whole_days) * NEWSROOM_DAY_HOURS * 60)
    day = start + timedelta(days=whole_days)
    return datetime.combine(day, time(NEWSROOM_DAY_START), SITE_TIME) + timedelta(minutes=minutes)


def _shown_views(count: int, style: str) -> tuple[str, int]:
    if style == "dot":
        return group_thousands(count, "."), count
    if style == "comma":
        return group_thousands(count, ","), count
    if style == "short_n":
        return short_count(count, "N")
    if style == "short_k":
        return short_count(count, "K")
    return str(count), count
