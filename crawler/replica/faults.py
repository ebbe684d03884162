"""Faults the replica can put in a crawler's way, so the crawler's answers to them can be tested.

A real provincial server has bad moments: 5xx under load, answers that never come, a misconfigured
route that streams something huge. `Faults` says which paths misbehave and how. By hand, path by path:

    faults = Faults()
    faults.fail(path, times=2, status=503)   # the first two requests get 503, then normal service
    faults.stall(path, seconds=3, times=1)   # the first request waits 3 s before answering
    faults.huge(path, megabytes=20)          # always a 20 MB body (no page is that big)
    faults.redirect(path, "http://elsewhere/") # always a 302 to that location
    faults.answer(path, b"<html>…", "text/html") # always a 200 with this body instead

Or as a seeded plan of fault modes, each switchable, any combination (`MODES`; `dbp-archive replica
--faults 5xx,reset,trap --fault-seed 3`):

    faults = Faults().plan(["5xx", "reset", "garbage", "trap", "redesign"], seed=3, share=0.3)

Page modes pick about `share` of the article pages (by a hash of seed, round and path, so the same
seed faults the same pages in any request order), one mode each; a picked page misbehaves on its
first `times` attempts (drawn per page, see `_TIMES`) and is served normally after, so every good
article can be archived by a crawler that records failures and retries them. Site modes act on the
whole site. `next_round()` draws a new set of faulty pages (and re-arms them), for the next crawl.

Every request is counted per path (`faults.requests[path]`, query left out), faulty or not;
`faults.injected[mode]` counts the faulty answers given.
"""

from __future__ import annotations

import random
import re
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

# Page modes: what one article page does on a faulty attempt.
PAGE_MODES = {
    "5xx": "a burst of 500/502/503 answers",
    "reset": "the connection is reset (TCP RST) before any answer",
    "stall": "headers and half the body, then silence past the client's timeout",
    "truncate": "a Content-Length longer than the body sent, then the connection closes",
    "charset": "the page's charset missing (header and <meta>) or wrong in the header",
    "loop": "a redirect loop: the page redirects to itself with a new query, without end",
    "offsite": "a 302 to another site",
    "huge": "a 200 whose body swells to 50 MB",
    "empty": "a 200 with an empty body",
    "garbage": "a 200 of random bytes",
}
# Site modes: the whole site.
SITE_MODES = {
    "trap": "one category's listing never ends: every page past the last lists new articles (that 404)",
    "redesign": "mid-crawl, the view counters vanish and every class name and wrapper moves",
    "robots": "robots.txt names a Crawl-delay, and mid-crawl starts disallowing the RSS feed",
}
MODES = {**PAGE_MODES, **SITE_MODES}

# Attempts a picked page misbehaves on: (fewest, most). Modes a crawler retries at once (Scrapy's
# RETRY_TIMES, 3 by default: 4 attempts) outlast its retries sometimes, so some fail a run and are
# retried on the next; the others fail once and are served well on the next run.
_TIMES = {"5xx": (1, 6), "reset": (1, 5), "stall": (1, 5), "truncate": (1, 5), "charset": (None, None)}
_ONCE = (1, 1)

_ARTICLE_PATH = re.compile(r"^/tin-tuc/[a-z0-9-]+/\d+(?:/[^/]*)?/?$|^/tin-bai/[a-z0-9-]+/[a-z0-9-]+(?:\.html)?/?$")
_LISTING_PATH = re.compile(r"^/tin-tuc/([a-z0-9-]+)/(?:trang-(\d+)\.html)?$")
LOOP_PARAMETER = "vong"  # the query a redirect loop counts its hops in
OFFSITE_LOCATION = "http://quang-cao.example/khuyen-mai"  # `.example`: a name that is nobody's
ROBOTS_CHANGED_DISALLOW = "/rss/"
TRAP_ID_BASE = 5_000_000  # above every id a replica gives (they stay below 1 000 000)


def is_article_path(path: str) -> bool:
    return bool(_ARTICLE_PATH.match(path))


def parse_modes(text: str) -> list[str]:
    """`5xx,reset,…` or `all` → the mode names; ValueError naming an unknown one."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return list(MODES)
    unknown = [name for name in names if name not in MODES]
    if unknown or not names:
        raise ValueError(f"unknown fault mode {unknown[0]!r}" if unknown else "no fault mode named")
    return list(dict.fromkeys(names))


@dataclass
class _Rule:
    kind: str  # "fail", "stall", "huge", "redirect" or "answer"
    times: int | None  # None: every time
    status: int = 503
    seconds: float = 0.0
    megabytes: int = 0
    location: str = ""
    body: bytes | None = None
    content_type: str = ""


@dataclass
class Fault:
    """What the server should do instead of (or before, or to) serving the page."""

    status: int | None = None  # answer with this status and a short error page
    delay: float = 0.0  # wait this long first
    body_bytes: int = 0  # answer 200 with a body this big
    location: str = ""  # answer 302 to this location
    body: bytes | None = None  # answer 200 with this body
    content_type: str = ""
    reset: bool = False  # drop the connection with a TCP RST, answering nothing
    truncate: bool = False  # announce the whole body, send half of it, close
    stall: float = 0.0  # send headers and half the body, then wait this long and close
    charset: str | None = None  # "" : no charset anywhere; else the header claims this one
    trap: bool = False  # a listing page past the end lists fresh (dead) article links
    robots_lines: bytes = b""  # added to robots.txt's first group, under its User-agent line


@dataclass
class Plan:
    """The seeded fault modes of a run (see the module docstring)."""

    modes: frozenset[str]
    seed: int = 1
    share: float = 0.2
    round: int = 0
    stall_seconds: float = 3.0  # longer than the timeout the tests give the crawler
    huge_megabytes: int = 50
    trap_links: int = 20
    redesign_after: int = 20  # article pages served before the redesign
    hide: tuple[str, ...] = ("views",)
    crawl_delay: float = 0.05
    robots_change_after: int = 30  # requests before robots.txt changes
    trap_category: str | None = None  # None: the first category whose listing is asked for
    picks: dict[str, tuple[str, int]] = field(default_factory=dict)  # path → (mode, attempts)

    def pick(self, path: str) -> tuple[str, int] | None:
        """(mode, attempts) for an article path, or None: the same answer for the same seed and round."""
        if path in self.picks:
            return self.picks[path]
        page_modes = sorted(self.modes & PAGE_MODES.keys())
        draw = random.Random(zlib.crc32(f"{self.seed}/{self.round}/{path}".encode()))
        chosen = None
        if page_modes and draw.random() < self.share:
            mode = draw.choice(page_modes)
            low, high = _TIMES.get(mode, _ONCE)
            chosen = (mode, 0 if low is None else draw.randint(low, high))  # 0: every attempt
        self.picks[path] = chosen
        return chosen


class Faults:
    def __init__(self):
        self._rules: dict[str, _Rule] = {}
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()  # faulty answers given, by mode
        self.faulted: dict[str, str] = {}  # path → the mode it was picked for, once it misbehaved
        self.plan_: Plan | None = None
        self.article_pages_served = 0
        self.total_requests = 0
        self.on_redesign = None  # set by the server: callable(hide) that redesigns the site
        self.redesigned = False

    # -- by hand --------------------------------------------------------------------------------
    def fail(self, path: str, times: int = 1, status: int = 503) -> "Faults":
        self._rules[path] = _Rule("fail", times, status=status)
        return self

    def stall(self, path: str, seconds: float, times: int = 1) -> "Faults":
        self._rules[path] = _Rule("stall", times, seconds=seconds)
        return self

    def huge(self, path: str, megabytes: int = 20) -> "Faults":
        self._rules[path] = _Rule("huge", None, megabytes=megabytes)
        return self

    def redirect(self, path: str, location: str) -> "Faults":
        self._rules[path] = _Rule("redirect", None, location=location)
        return self

    def answer(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> "Faults":
        self._rules[path] = _Rule("answer", None, body=body, content_type=content_type)
        return self

    # -- as a plan ----------------------------------------------------------------------------
    def plan(self, modes, seed: int = 1, share: float = 0.2, **knobs) -> "Faults":
        """Switch on these modes (names from `MODES`), seeded; `knobs` are `Plan` fields."""
        unknown = set(modes) - MODES.keys()
        if unknown:
            raise ValueError(f"unknown fault mode(s) {sorted(unknown)}: known are {', '.join(MODES)}")
        self.plan_ = Plan(frozenset(modes), seed=seed, share=share, **knobs)
        return self

    def next_round(self, add=()) -> "Faults":
        """Another set of faulty pages, armed afresh (for the next crawl): a page faulted before may
        be picked again, now perhaps an archived one. `add`: modes switched on from this round (a
        `redesign` counts its article pages from here)."""
        with self._lock:
            if self.plan_ is not None:
                self.plan_.round += 1
                self.plan_.picks.clear()
                self.plan_.modes = self.plan_.modes | frozenset(add)
            self.requests.clear()
            self.article_pages_served = 0
        return self

    @property
    def modes(self) -> frozenset[str]:
        return self.plan_.modes if self.plan_ else frozenset()

    # -- serving --------------------------------------------------------------------------------
    def on_request(self, target: str) -> Fault | None:
        parts = urlsplit(target)
        path = parts.path
        hop = LOOP_PARAMETER in parse_qs(parts.query)
        with self._lock:
            self.total_requests += 1
            if not hop:  # a loop's hops are one attempt
                self.requests[path] += 1
            attempt = self.requests[path]
            rule = self._rules.get(path)
            if rule is not None and (rule.times is None or attempt <= rule.times):
                return _by_hand(rule)
            if self.plan_ is None:
                return None
            return self._planned(path, parts.query, attempt, hop)

    def _planned(self, path: str, query: str, attempt: int, hop: bool) -> Fault | None:
        plan = self.plan_
        if path == "/robots.txt" and "robots" in plan.modes:
            self.injected["robots"] += 1
            lines = f"Crawl-delay: {plan.crawl_delay:g}\n"
            if self.total_requests > plan.robots_change_after:
                lines += f"Disallow: {ROBOTS_CHANGED_DISALLOW}\n"
            return Fault(robots_lines=lines.encode())
        listing = _LISTING_PATH.match(path)
        if listing and "trap" in plan.modes:
            if plan.trap_category is None:
                plan.trap_category = listing.group(1)
            if listing.group(1) == plan.trap_category:
                return Fault(trap=True)  # the server knows where the real pages end
            return None
        if not is_article_path(path):
            return None
        picked = plan.pick(path)
        if picked is None:
            return None
        mode, times = picked
        if times and attempt > times:
            return None
        self.injected[mode] += 1
        self.faulted[path] = mode
        draw = random.Random(zlib.crc32(f"{plan.seed}/{plan.round}/{path}/{attempt}/{query}".encode()))
        if mode == "5xx":
            return Fault(status=draw.choice((500, 502, 503)))
        if mode == "reset":
            return Fault(reset=True)
        if mode == "stall":
            return Fault(stall=plan.stall_seconds)
        if mode == "truncate":
            return Fault(truncate=True)
        if mode == "charset":
            return Fault(charset=random.Random(zlib.crc32(path.encode())).choice(("", "wrong")))
        if mode == "loop":
            hops = int(parse_qs(query).get(LOOP_PARAMETER, ["0"])[0] or 0)
            return Fault(location=f"{path}?{LOOP_PARAMETER}={hops + 1}")
        if mode == "offsite":
            return Fault(location=OFFSITE_LOCATION)
        if mode == "huge":
            return Fault(body_bytes=plan.huge_megabytes * 1024 * 1024)
        if mode == "empty":
            return Fault(body=b"", content_type="text/html; charset=utf-8")
        return Fault(body=draw.randbytes(draw.randint(200, 20_000)), content_type="text/html; charset=utf-8")

    def served(self, path: str, status: int) -> None:
        """After an answer: an article page well served (200, or 304) counts towards the mid-crawl redesign."""
        plan = self.plan_
        if plan is None or "redesign" not in plan.modes or status not in (200, 304) or not is_article_path(path):
            return
        with self._lock:
            self.article_pages_served += 1
            due = not self.redesigned and self.article_pages_served >= plan.redesign_after
            if due:
                self.redesigned = True
        if due:
            self.injected["redesign"] += 1
            if self.on_redesign is not None:
                self.on_redesign(plan.hide)


def _by_hand(rule: _Rule) -> Fault:
    if rule.kind == "fail":
        return Fault(status=rule.status)
    if rule.kind == "redirect":
        return Fault(location=rule.location)
    if rule.kind == "answer":
        return Fault(body=rule.body, content_type=rule.content_type)
    if rule.kind == "stall":
        return Fault(delay=rule.seconds)
    return Fault(body_bytes=rule.megabytes * 1024 * 1024)


_META_CHARSET = re.compile(rb"<meta[^>]*charset[^>]*>", re.IGNORECASE)


def relabel_charset(headers: dict[str, str], body: bytes, charset: str) -> tuple[dict[str, str], bytes]:
    """The page with no charset anywhere (`""`), or with a header naming the wrong one (`"wrong"`):
    a UTF-8 page claims Windows-1252, a Windows-1258 page claims UTF-8."""
    headers = dict(headers)
    declared = headers.get("Content-Type", "text/html")
    if charset == "":
        headers["Content-Type"] = "text/html"
        return headers, _META_CHARSET.sub(b"", body)
    legacy = "1258" in declared.lower() or b"windows-1258" in body[:4096].lower()
    headers["Content-Type"] = "text/html; charset=" + ("utf-8" if legacy else "iso-8859-1")
    return headers, body


def trap_listing(path: str, real_pages: int, links: int) -> bytes | None:
    """A listing page past the real end, as a trap serves it: `links` articles never listed before
    (each page its own ids, which answer 404), and a link to the next page; None within the real pages."""
    match = _LISTING_PATH.match(path)
    number = int(match.group(2) or 1)
    if number <= real_pages:
        return None
    slug = match.group(1)
    first = TRAP_ID_BASE + number * links
    cards = "\n".join(f'<article><a href="/tin-tuc/{slug}/{first + i}/tin-moi-{first + i}">Tin mới {first + i}</a>'
                      f"</article>" for i in range(links))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trang {number}</title></head><body>\n"
            f"<section class=\"listing\">{cards}</section>\n"
            f"<nav class=\"pagination\"><a href=\"/tin-tuc/{slug}/trang-{number + 1}.html\" rel=\"next\">Trang sau »</a>"
            f"</nav></body></html>").encode("utf-8")
