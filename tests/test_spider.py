"""The spider's discovery rules on hand-made responses (no network, no reactor)."""

from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request

from crawler.spiders.baodienbienphu import BaoDienBienPhuSpider

HOST = "http://127.0.0.1:8000"
SIDEBAR = "".join(f'<a href="/tin-tuc/xa-hoi/{n}/tin-moi">Tin mới {n}</a>' for n in range(900, 905))


def listing(page: int, ids: list[int]) -> HtmlResponse:
    suffix = "" if page == 1 else f"trang-{page}.html"
    url = f"{HOST}/tin-tuc/y-te/{suffix}"
    items = "".join(f'<h3><a href="/tin-tuc/y-te/{n}/bai-{n}">Bài {n}</a></h3>' for n in ids)
    return HtmlResponse(url, body=f"<html><body>{SIDEBAR}{items}</body></html>".encode(), encoding="utf-8",
                        request=Request(url))


def spider(known=(), walked=()):
    made = BaoDienBienPhuSpider(start_url=HOST + "/")
    made.known, made.walked = set(known), set(walked)
    return made


def next_pages(results):
    return [r.url for r in results if isinstance(r, Request) and "trang-" in r.url]


def test_paging_goes_on_past_a_page_already_requested_through_tin_khac():
    crawl = spider()
    # A whole page reached earlier through other articles' Tin khác (and the sidebar from the home page).
    for n in [*range(100, 110), *range(900, 905)]:
        crawl.requested.add(str(n))
    results = list(crawl.parse_listing(category="y-te", response=listing(1, list(range(100, 110)))))
    assert next_pages(results) == [f"{HOST}/tin-tuc/y-te/trang-2.html"]
    assert not [r for r in results if isinstance(r, Request) and "/bai-" in r.url]  # nothing fetched twice


def test_paging_stops_at_a_page_of_archived_articles_once_the_listing_was_walked():
    archived = {str(n) for n in [*range(100, 110), *range(900, 905)]}
    crawl = spider(known=archived, walked={"y-te"})
    assert next_pages(crawl.parse_listing(category="y-te", response=listing(1, list(range(100, 110))))) == []
    # Never walked to the end (a killed or bounded first crawl): older pages may hold gaps, go on.
    crawl = spider(known=archived)
    assert next_pages(crawl.parse_listing(category="y-te", response=listing(1, list(range(100, 110))))) == [
        f"{HOST}/tin-tuc/y-te/trang-2.html"]


def test_past_the_end_the_walk_stops_and_is_recorded():
    from crawler.items import ListingWalked

    crawl = spider()
    assert next_pages(crawl.parse_listing(category="y-te", response=listing(1, [1, 2]))) == [
        f"{HOST}/tin-tuc/y-te/trang-2.html"]
    # Past the end: an empty list; the sidebar's links were on page 1 already, so they are not news.
    results = list(crawl.parse_listing(category="y-te", response=listing(2, [])))
    assert next_pages(results) == []
    assert [r.category for r in results if isinstance(r, ListingWalked)] == ["y-te"]


def test_one_request_per_article_whatever_the_slug():
    crawl = spider()
    page = listing(1, [5, 5])
    page = page.replace(body=page.body.replace(b"/tin-tuc/y-te/5/bai-5", b"/tin-tuc/the-thao/5/other-slug", 1))
    articles = [r for r in crawl.parse_listing(page, category="y-te") if isinstance(r, Request) and "/5/" in r.url]
    assert len(articles) == 1


def test_feeds_announced_on_the_home_page_are_read():
    from scrapy.http import XmlResponse

    crawl = spider()
    crawl.crawler = SimpleNamespace(stats=SimpleNamespace(set_value=lambda *args: None))  # no engine here
    home = HtmlResponse(HOST + "/", body=b'<html><head><link rel="alternate" type="application/rss+xml" '
                        b'href="/rss/tin-moi.rss"></head><body></body></html>', encoding="utf-8")
    feeds = [r for r in crawl.parse_home(home) if isinstance(r, Request) and r.callback == crawl.parse_feed]
    assert [r.url for r in feeds] == [HOST + "/rss/tin-moi.rss"]

    rss = XmlResponse(HOST + "/rss/tin-moi.rss", body=(
        b'<?xml version="1.0"?><rss version="2.0"><channel><link>http://127.0.0.1:8000/</link>'
        b"<item><link>http://127.0.0.1:8000/tin-tuc/y-te/7/bai-7</link></item></channel></rss>"))
    atom = XmlResponse(HOST + "/atom.xml", body=(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/tin-tuc/y-te/8/bai-8"/></entry></feed>'))
    urls = [r.url for feed in (rss, atom) for r in crawl.parse_feed(feed) if isinstance(r, Request)]
    assert urls == [HOST + "/tin-tuc/y-te/7/bai-7", HOST + "/tin-tuc/y-te/8/bai-8"]


def test_a_listing_page_that_answers_404_past_the_end_ends_the_walk():
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from crawler.items import ListingWalked

    crawl = spider()
    request = Request(f"{HOST}/tin-tuc/y-te/trang-7.html", cb_kwargs={"category": "y-te"})

    def failed(status):
        failure = Failure(HttpError(Response(request.url, status=status, request=request), "Ignoring non-200 response"))
        failure.request = request  # as Scrapy hands it to an errback
        return [r for r in (crawl.listing_failed(failure) or []) if isinstance(r, ListingWalked)]

    assert [r.category for r in failed(404)] == ["y-te"]
    assert [r.category for r in failed(410)] == ["y-te"]
    assert failed(503) == []  # a server error is no end: the walk is not recorded


def test_the_archive_is_asked_once_a_run_whether_a_link_is_known_or_due(tmp_path):
    """Every page links the same menus and sidebars: each identity's answers, fixed when the run
    began, are asked of the archive once, not once a page."""
    from datetime import datetime, timedelta

    from archive.db import Archive
    from crawler.article import SITE_TIME
    from test_archive import URL, make_fetch

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.record_fetch(None, make_fetch())
    crawl = spider()
    crawl.archive = Archive(path, readonly=True)
    crawl.started = datetime.now(SITE_TIME) + timedelta(days=400)
    asked = []
    for name in ("known_identity", "is_due"):
        ask = getattr(crawl.archive, name)
        setattr(crawl.archive, name, lambda *args, _ask=ask, _name=name, **kw: asked.append(_name) or _ask(*args, **kw))
    identity = crawl.resolve(URL)
    try:
        assert [crawl.is_known(identity) for _ in range(3)] == [True] * 3
        assert [crawl.is_due(identity) for _ in range(3)] == [True] * 3
        assert [crawl.is_known("999999") for _ in range(2)] == [False] * 2
    finally:
        crawl.archive.close()
    assert sorted(asked) == ["is_due", "known_identity", "known_identity"]


def test_the_debug_log_shows_a_fetch_as_one_line_without_its_page():
    # `-vv` is Scrapy's debug log, which prints every item handed to the pipeline: a cron log
    # mailed after one crawl must not hold whole pages.
    from datetime import datetime, timezone

    from scrapy.logformatter import LogFormatter

    from crawler.items import PageFetch
    from crawler.parsing import parse_article
    from crawler.replica import Replica

    replica = Replica(seed=3, articles=20)
    article_id = replica.live_ids()[0]
    page = replica.render_article(article_id)
    url = replica.url_for(article_id)
    article = parse_article(page.body, url, page.headers)
    fetch = PageFetch(requested_url=url, url=url, status=200, fetched_at=datetime.now(timezone.utc),
                      headers=page.headers, body=page.body, article=article)
    entry = LogFormatter().scraped(fetch, HtmlResponse(url, body=page.body, request=Request(url)), spider())
    logged = entry["msg"] % entry["args"]
    assert article.title in logged and url in logged
    assert article.body_text[:200] not in logged and len(logged) < 1000
