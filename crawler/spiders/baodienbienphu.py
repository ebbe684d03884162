"""The crawl of Báo Điện Biên Phủ: discover articles, fetch what is new or due, hand each fetch on.

Discovery, in the order requests are issued:
1. known articles that are due for a revisit (the archive's schedule), most overdue first, with
   their ETag/Last-Modified so an unchanged page costs a 304;
2. the home page, then the RSS/Atom feeds it announces, `sitemap.xml`, and every category listing
   it links to, page after page until a page brings no article we do not already know;
3. the `Tin khác` links of every fetched article (some articles are reachable only that way).

One id is one article, whatever slug, category or host the link uses. The spider only fetches and
parses; `crawler.pipelines.ArchivePipeline` stores.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin, urlsplit

import scrapy
import scrapy.exceptions
from twisted.internet.defer import CancelledError
from scrapy.spidermiddlewares.httperror import HttpError

from crawler import urls
from crawler.spiders import category_api
from crawler.article import SITE_TIME, NotAnArticle
from crawler.items import LinksFound, ListingWalked, PageFetch
from crawler.parse_workers import ParseWorkers
from crawler.stopping import NOT_THE_SITE, START_PAGE_FAILED, close_crawl


def failure_text(failure) -> str:
    """A failed fetch as one line a reader can act on, for the failures table and the one-line error."""
    return _error_text(failure.value)


def _error_text(error: BaseException) -> str:
    # Twisted wraps the causes of a response that never came (`ResponseNeverReceived`,
    # `ResponseFailed`) in a list of failures, Scrapy wraps that again (`DownloadFailedError` from
    # it), and OpenSSL states its errors as tuples: each would reach the reader as a repr.
    wrapper = error.__cause__ if getattr(error.__cause__, "reasons", None) else error
    reasons = getattr(wrapper, "reasons", None)
    if reasons:
        return "; ".join(dict.fromkeys(_error_text(reason.value) for reason in reasons))
    if type(error).__module__.startswith("OpenSSL") and error.args and isinstance(error.args[0], list):
        details = ", ".join(part[-1] for part in error.args[0] if isinstance(part, tuple) and part and part[-1])
        if details:
            plain_http = any(sign in details for sign in _PLAIN_HTTP_SIGNS)
            return f"TLS failed ({details})" + (": does the server speak https?" if plain_http else "")
    return str(error) or type(error).__name__


# What OpenSSL says when the other side answered in plain HTTP (an https:// URL on an http port).
_PLAIN_HTTP_SIGNS = ("wrong version number", "unknown protocol", "http request")


# Scrapy cancels a download that outgrows DOWNLOAD_MAXSIZE; newer releases say so with their own type.
SIZE_CAP_ERRORS = tuple(filter(None, (CancelledError, getattr(scrapy.exceptions, "DownloadCancelledError", None))))
# Statuses an article callback must see rather than have filtered: unchanged, taken down.
ARTICLE_STATUSES = [304, 404, 410]


def header_dict(response) -> dict[str, str]:
    return {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def requested_url(request) -> str:
    """The URL we asked for, before any redirect (Scrapy keeps the chain in meta)."""
    return request.meta.get("redirect_urls", [request.url])[0]


REMEMBERED_ANSWERS = 100_000  # identities per answer kind a run remembers; past it, it starts again


def _remembered(answers: dict[str, bool], identity: str, ask) -> bool:
    answer = answers.get(identity)
    if answer is None:
        if len(answers) >= REMEMBERED_ANSWERS:
            answers.clear()
        answer = answers[identity] = ask()
    return answer


def now() -> datetime:
    return datetime.now(SITE_TIME).replace(microsecond=0)


class BaoDienBienPhuSpider(scrapy.Spider):
    name = "baodienbienphu"

    def __init__(self, start_url=None, recheck_all=False, max_articles=None, since=None, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.recheck_all = str(recheck_all).lower() in ("1", "true", "yes")
        self.max_articles = int(max_articles) if max_articles else None
        self.since = datetime.fromisoformat(since).replace(tzinfo=SITE_TIME) if isinstance(since, str) else since
        self.requested: set[str] = set()  # identities already requested in this run
        # The archive, open for reading while the crawl runs: what is known, aliased and due is asked
        # link by link (primary-key lookups), never loaded whole: a million known articles cost no
        # memory. "Known" means archived before this run began (`started`).
        self.archive = None
        self.started: datetime | None = None
        # What a spider made without a crawl (no archive open: a unit test's) knows and finds due.
        self.known: set[str] = set()
        self.due: set[str] = set()
        # Answers the archive gave this run, identity → bool: both are fixed at `started`, and every page
        # links the same menus and sidebars, so most links are asked about again and again. Bounded
        # (REMEMBERED_ANSWERS): a backfill meets every identity of the site.
        self.known_answers: dict[str, bool] = {}
        self.due_answers: dict[str, bool] = {}
        self.listed: dict[str, set[str]] = {}  # category -> identities seen on its listing pages
        self.walked: set[str] = set()  # categories some crawl has read to the end
        self.api_url: str | None = None  # the category API origin, once known
        self.api_categories: set[str] = set()  # categories read through the API in this run
        self.offsite_hosts: set[str] = set()  # hosts of article links not followed
        self.new_listing_pages: dict[str, int] = {}  # category -> its listing pages with new articles, this run
        self.listing_new_pages_max: int | None = None  # DBP_LISTING_NEW_PAGES_MAX; None: no cap
        self.parse_workers = ParseWorkers()  # DBP_PARSE_WORKERS processes; none: parsed here

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.start_url = spider.start_url or settings.get("DBP_START_URL")
        host = urlsplit(spider.start_url).hostname or ""
        site_domains = settings.getlist("DBP_SITE_DOMAINS")
        # The allowed host follows the start URL; the site's own domains are one site together
        # (named with --site-domain, they count whatever the start URL: a mirror's other hosts).
        on_site = any(host == d or host.endswith("." + d) for d in site_domains)
        explicit = settings.getpriority("DBP_SITE_DOMAINS") > settings.getpriority("BOT_NAME")
        spider.allowed_domains = [host] + (site_domains if on_site or explicit else [])
        spider.api_url = (settings.get("DBP_API_URL") or "").rstrip("/") or None
        spider.listing_new_pages_max = settings.getint("DBP_LISTING_NEW_PAGES_MAX") or None
        spider.parse_workers = ParseWorkers(settings.getint("DBP_PARSE_WORKERS"))
        return spider

    # -- start ------------------------------------------------------------------------------
    async def start(self):
        from archive.db import Archive

        self.started = now()
        # The pipeline has opened (and migrated) the archive already; reading needs no write lock.
        self.archive = Archive(self.settings.get("DBP_ARCHIVE_DB"), readonly=True)
        self.walked = self.archive.walked_listings()
        pending = self.archive.pending_links()
        # Links an earlier (perhaps killed) run found and never fetched come first: some articles
        # are reachable only through them.
        for identity, url, found_on in pending:
            # A link on the host of the page that showed it is the site's own: asked for where the
            # crawl is pointed now. One to another host is followed only if that host is the site's.
            if found_on and urlsplit(url).netloc == urlsplit(found_on).netloc:
                url = urls.on_host(url, self.start_url)
            elif not self.on_site(url):  # still said in the summary, as when it was found
                self.offsite_hosts.add(urlsplit(url).netloc)
                self.crawler.stats.inc_value("dbp/offsite_links")
                continue
            request = self.article_request(url, identity, priority=110)
            if request:
                yield request
        # Due rows stream from the archive in batches, most overdue first, until the article cap.
        for position, entry in enumerate(self.archive.due_articles(self.started, recheck_all=self.recheck_all)):
            if self.at_article_cap():
                break
            if entry.identity in self.requested:
                continue  # a listing or Tin khác link got there first while this loop was paused
            # Asked for where the crawl is pointed: the host an article was first seen on may be an
            # old domain, or a mirror's port that no longer answers.
            request = self.article_request(urls.on_host(entry.url, self.start_url), entry.identity,
                                           priority=100 - min(position, 99),
                                           validators={"etag": entry.etag, "last_modified": entry.last_modified})
            if request:
                yield request
        yield scrapy.Request(self.start_url, callback=self.parse_home, priority=200,
                             errback=self.home_failed)

    # -- discovery --------------------------------------------------------------------------
    def parse_home(self, response):
        self.crawler.stats.set_value("dbp/home_ok", True)
        feeds = response.css('link[rel="alternate"][type*="rss"]::attr(href), '
                             'link[rel="alternate"][type*="atom"]::attr(href)').getall()
        for feed in feeds:
            yield response.follow(feed, callback=self.parse_feed, errback=self.ignore_failure)
        # Asked for only once the site has answered: a start page that fails ends the crawl at once.
        yield scrapy.Request(urljoin(self.start_url, "/sitemap.xml"), callback=self.parse_sitemap,
                             priority=150, errback=self.ignore_failure)
        seen_listings = set()
        article_links = []
        for url in page_links(response):
            listing = urls.listing_page(url)
            if listing and listing[0] not in seen_listings:
                seen_listings.add(listing[0])
                yield response.follow(urljoin(url, f"/tin-tuc/{listing[0]}/"), callback=self.parse_listing,
                                      cb_kwargs={"category": listing[0]}, errback=self.listing_failed)
            elif urls.is_article_url(url):
                article_links.append(url)
                yield from self.maybe_article(url)
        yield from self.links_found(response, article_links)
        if not (feeds or seen_listings or article_links):
            # No article link, no category listing, no feed: not the newspaper (a parked domain, a
            # captive portal, a wrong --start-url) or a redesign the crawler cannot read. Either way a
            # cron job must hear it rather than archive nothing and report success.
            self.crawler.stats.set_value("dbp/start_page_error", "it shows no article links, listings or feeds")
            close_crawl(self.crawler, NOT_THE_SITE)

    def links_found(self, response, found: list[str]):
        """Of the article links a page showed, those on the site and not archived, for the frontier."""
        pending = [url for url in found
                   if urls.is_article_url(url) and self.on_site(url) and not self.is_known(self.resolve(url))]
        if pending:
            yield LinksFound(pending, response.url, now())

    def resolve(self, url: str) -> str | None:
        identity = urls.identity_of(url)
        if identity is None or self.archive is None:
            return identity
        return self.archive.resolve_identity(identity)

    def is_known(self, identity: str | None) -> bool:
        """Archived (or an alias of an article archived) before this run began."""
        if identity is None or self.archive is None:
            return identity in self.known
        return _remembered(self.known_answers, identity,
                           lambda: self.archive.known_identity(identity, before=self.started))

    def is_due(self, identity: str) -> bool:
        """Due for a revisit when this run began (a listing may meet it before the due walk does)."""
        if self.archive is None:
            return identity in self.due
        return _remembered(self.due_answers, identity, lambda: self.archive.is_due(identity, self.started))

    def listing_failed(self, failure):
        """A listing page that answers 404/410 is past the end: the listing was walked."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            yield ListingWalked(failure.request.cb_kwargs["category"], now())
        else:
            self.logger.info("%s: listing failed: %s", failure.request.url, failure_text(failure))

    def parse_listing(self, response, category: str):
        if urls.listing_page(requested_url(response.request))[1] == 1 and self.is_shell(response):
            yield from self.read_category_api(response, category)
            return
        seen = self.listed.setdefault(category, set())
        unseen = fresh = 0
        article_links = []
        for url in page_links(response):
            identity = self.resolve(url) if urls.is_article_url(url) else None
            if identity is None:
                continue
            article_links.append(url)
            # Unseen: not on an earlier page of this listing (sidebars repeat the same links on every
            # page). Fresh: unseen and not archived before this run; an article already requested
            # through a `Tin khác` link still counts, since the older ones below it may not be.
            if identity not in seen:
                unseen += 1
                fresh += not self.is_known(identity)
            seen.add(identity)
            yield from self.maybe_article(url)
        yield from self.links_found(response, article_links)
        if not unseen:
            # Past the last page (the site still answers 200, with an empty list): walked to the end.
            yield ListingWalked(category, now())
            return
        # Listings run newest first: once a walk has reached the end, a page with nothing fresh means
        # the rest is known already. Before that (a first crawl that was killed or bounded), walk on.
        if (fresh or category not in self.walked) and not self.at_article_cap() and not self.too_many_new_pages(
                category, response.url, fresh):
            # The next page by number, from the page we asked for (a redirect may have moved us).
            next_page = urls.next_listing_url(requested_url(response.request))
            yield response.follow(next_page, callback=self.parse_listing, cb_kwargs={"category": category},
                                  errback=self.listing_failed)

    def too_many_new_pages(self, category: str, url: str, fresh: int) -> bool:
        """A listing whose every page brings articles never archived, past DBP_LISTING_NEW_PAGES_MAX pages
        in one run, is a pagination trap (or more news than a run should take in): stop walking it. Pages
        of archived articles do not count, so the next run goes deeper, from where this one stopped."""
        if not fresh or self.listing_new_pages_max is None:
            return False
        self.new_listing_pages[category] = self.new_listing_pages.get(category, 0) + 1
        if self.new_listing_pages[category] < self.listing_new_pages_max:
            return False
        self.crawler.stats.inc_value("dbp/listings_cut_short")
        self.logger.warning("%s: listing %s cut short: %d pages of new articles in this run (DBP_LISTING_NEW_PAGES_MAX)",
                            url, category, self.new_listing_pages[category])
        return True

    # -- today's category pages: an empty shell, and a JSON API on another origin ------------------
    def is_shell(self, response) -> bool:
        """A category page rendered in the browser: no article link in its HTML, or a script naming
        the API it reads them from."""
        return not any(urls.is_article_url(url) for url in page_links(response)) or bool(category_api.api_base_named_in(response.text))

    def read_category_api(self, response, category: str):
        if self.api_url is None:  # --api-url / DBP_API_URL first, then the page's own script, then the real host
            self.api_url = (category_api.api_base_named_in(response.text) or category_api.REAL_API_URL).rstrip("/")
            yield self.api_request(category_api.menu_url(self.api_url), self.parse_api_menu)
        yield from self.api_category_request(category)

    def api_request(self, url: str, callback, **cb_kwargs):
        # The API lives on another origin: allowed explicitly; robots, delays and the User-Agent
        # apply to it as to the site (Scrapy keeps a robots.txt and a download slot per host).
        return scrapy.Request(url, callback=callback, errback=self.api_failed, cb_kwargs=cb_kwargs,
                              meta={"allow_offsite": True}, priority=50)

    def api_category_request(self, category: str):
        if category not in self.api_categories:
            self.api_categories.add(category)
            limit = category_api.FIRST_LIMIT
            yield self.api_request(category_api.category_url(self.api_url, category, limit, 1), self.parse_api_category,
                                   category=category, limit=limit, page=1, previous=None)

    def parse_api_menu(self, response):
        try:
            slugs = category_api.menu_slugs(response.body)
        except category_api.BadAnswer as exc:
            yield from self.api_bad_answer(response.url, exc)
            return
        for slug in slugs:
            yield from self.api_category_request(slug)

    def parse_api_category(self, response, category: str, limit: int, page: int | None, previous):
        """Paging is not known: ask page 2, 3, …; a page that repeats the one before means the server
        ignores `page`, so ask again with a larger limit instead. Stop when an answer brings nothing
        fresh (once the category was walked to its end) or lists fewer than asked (its end)."""
        try:
            found = category_api.article_urls(response.body, self.start_url)
        except category_api.BadAnswer as exc:
            yield from self.api_bad_answer(response.url, exc)
            return
        identities = [self.resolve(url) for url in found]
        fresh = sum(not self.is_known(identity) for identity in identities)
        for url in found:
            yield from self.maybe_article(url)
        yield from self.links_found(response, found)
        at_end = len(found) < limit or limit >= category_api.MAX_LIMIT
        if identities == previous and page is not None:
            page = None  # the server ignores paging: from now on, only the limit grows
        elif at_end:
            yield ListingWalked(category, now())
            return
        if (not fresh and category in self.walked) or self.at_article_cap():
            return
        if page is None:
            limit = min(category_api.MAX_LIMIT, limit * 4)
        else:
            page += 1
        yield self.api_request(category_api.category_url(self.api_url, category, limit, page), self.parse_api_category,
                               category=category, limit=limit, page=page, previous=identities)

    def api_bad_answer(self, url: str, reason):
        self.crawler.stats.inc_value("dbp/api_errors")
        self.logger.warning("%s: the category API answered badly (%s); discovery goes on without it", url, reason)
        return iter(())

    def api_failed(self, failure):
        error = failure_text(failure)
        if failure.check(HttpError):
            error = f"HTTP {failure.value.response.status}"
        return self.api_bad_answer(failure.request.url, error)

    def parse_sitemap(self, response):
        response.selector.remove_namespaces()
        found = [loc.strip() for loc in response.xpath("//url/loc/text()").getall()]
        for url in found:
            if urls.is_article_url(url):
                yield from self.maybe_article(url)
        yield from self.links_found(response, found)

    def parse_feed(self, response):
        """RSS `<item><link>` or Atom `<entry><link href>`: the newest articles, cheaply."""
        response.selector.remove_namespaces()
        found = list(page_links(response, "//item/link/text() | //entry/link/@href"))
        for url in found:
            if urls.is_article_url(url):
                yield from self.maybe_article(url)
        yield from self.links_found(response, found)

    def on_site(self, url: str) -> bool:
        """Scrapy's off-site rule, asked before requesting: no allowed domains means every host."""
        domains = getattr(self, "allowed_domains", None)
        host = (urlsplit(url).hostname or "").lower()
        return not domains or any(host == domain or host.endswith("." + domain) for domain in domains)

    def maybe_article(self, url: str):
        identity = self.resolve(url)
        if identity is None or identity in self.requested:
            return
        if not self.on_site(url):  # said in the summary: the site may have hosts not named yet
            self.offsite_hosts.add(urlsplit(url).netloc)
            self.crawler.stats.inc_value("dbp/offsite_links")
            return
        if self.is_known(identity) and not (self.recheck_all or self.is_due(identity)):
            return  # archived and not due: the schedule decides when to look again
        request = self.article_request(url, identity)
        if request:
            yield request

    def article_request(self, url: str, identity: str, priority: int = 0, validators=None):
        if self.at_article_cap():
            return None
        self.requested.add(identity)
        return scrapy.Request(
            url, callback=self.parse_article, errback=self.article_failed, priority=priority,
            meta={"handle_httpstatus_list": ARTICLE_STATUSES, "identity": identity,
                  "validators": validators or {}},
        )

    def at_article_cap(self) -> bool:
        return self.max_articles is not None and len(self.requested) >= self.max_articles

    # -- articles ---------------------------------------------------------------------------
    async def parse_article(self, response):
        fetch = PageFetch(
            requested_url=requested_url(response.request),
            url=response.url,
            status=response.status,
            fetched_at=now(),
            headers=header_dict(response),
            body=response.body if response.status != 304 else None,
            identity=response.meta.get("identity"),
        )
        if response.status == 200:
            try:
                fetch.article = await self.parse_workers.parse(response.body, response.url, fetch.headers)
            except NotAnArticle as exc:
                fetch.error = f"not an article: {exc}"
                fetch.page_kind = exc.kind
            except Exception as exc:  # a parser bug must never cost the raw page or the run
                fetch.error = f"parse failed: {type(exc).__name__}: {exc}"
                self.logger.warning("%s: parse failed: %s", response.url, exc)
        article = fetch.article
        if (article and self.since and article.published_at and article.published_at < self.since
                and not self.is_known(fetch.identity)):
            return  # a new article outside the run's bounds: neither stored nor followed
            # (an archived one is always recorded: its revisit was due, and an edit must not be lost)
        yield fetch
        if article:
            for link in article.related:
                if urls.is_article_url(link.url):
                    for request in self.maybe_article(link.url):
                        yield request

    def article_failed(self, failure):
        request = failure.request
        status, error = 0, failure_text(failure)
        response = None
        if failure.check(HttpError):
            response = failure.value.response  # kept raw: what the server said is evidence too
            status = response.status
            error = f"HTTP {status}"
        elif failure.check(*SIZE_CAP_ERRORS):
            error = f"refused: larger than the {self.settings.getint('DOWNLOAD_MAXSIZE')} byte cap"
        self.logger.info("%s: fetch failed: %s", request.url, error)
        yield PageFetch(requested_url=requested_url(request),
                        url=response.url if response is not None else request.url, status=status,
                        fetched_at=now(), headers=header_dict(response) if response is not None else {},
                        body=response.body if response is not None else None,
                        error=f"fetch failed: {error}", identity=request.meta.get("identity"))

    def closed(self, reason):
        self.parse_workers.close()
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        if self.offsite_hosts:
            self.crawler.stats.set_value("dbp/offsite_hosts", sorted(self.offsite_hosts))

    def home_failed(self, failure):
        """Without its start page a crawl finds nothing new; and a site that cannot serve it is down."""
        error = failure_text(failure)
        if failure.check(HttpError):
            error = f"HTTP {failure.value.response.status}"
        self.logger.info("%s: start page failed: %s", failure.request.url, error)
        self.crawler.stats.set_value("dbp/start_page_error", error)
        close_crawl(self.crawler, START_PAGE_FAILED)

    def ignore_failure(self, failure):
        self.logger.info("%s: %s", failure.request.url, failure_text(failure))


def page_links(response, xpath: str = "//a/@href"):
    """The page's links made absolute; an `href` that is no URL (`http://[oops/`) is skipped, not an
    error that would end the reading of the page."""
    for href in response.xpath(xpath).getall():
        try:
            yield response.urljoin(href.strip())
        except ValueError:
            continue
