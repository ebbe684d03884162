"""Scrapy settings for the dbp-archive crawl.

Defaults are polite to a small provincial server: robots.txt obeyed, AutoThrottle on, one request
at a time per host with a delay floor, and a User-Agent that names the project and a contact.
Every setting can be overridden the Scrapy way (`-s NAME=VALUE`, `custom_settings`) and the ones an
operator is likely to change also from the environment (`DBP_*`, parsed and checked by
`crawler.options`), which is handy in a crontab.
"""

import os

from crawler import __version__
from crawler.options import environment_settings


BOT_NAME = "dbp-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are and how to reach the operator: a newsroom webmaster who sees us in the logs can ask.
DBP_CONTACT = "set DBP_CONTACT to an e-mail or URL"

# Politeness.
ROBOTSTXT_OBEY = True
# One request at a time per host, and few waiting in the downloader: a graceful stop (Ctrl-C, SIGTERM)
# lets queued requests finish, each a politeness delay apart, so a long queue would delay the exit.
CONCURRENT_REQUESTS = 2
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0  # the floor AutoThrottle never goes below
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Faults: retry 5xx and timeouts with a growing pause (crawler.middlewares.BackoffMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DBP_RETRY_BACKOFF_BASE = 2.0  # seconds; doubled per retry
DOWNLOAD_TIMEOUT = 30.0
# Article pages weigh 60–120 KB; anything near this cap is not a page we want.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Items are stored one at a time anyway (one SQLite writer); Scrapy's default of 100 concurrent items
# only costs CPU in coroutine bookkeeping.
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.BackoffMiddleware": 540,
    "crawler.middlewares.ConditionalGetMiddleware": 560,
    # Above Scrapy's RedirectMiddleware (600), so it sees a redirect's response first.
    "crawler.middlewares.OffsiteRedirectMiddleware": 610,
}
# A listing is walked at most this many pages of new articles per run (20 new articles a page: 4 000): an
# endless pagination trap stops there, and a listing deeper than that goes on at the next run.
DBP_LISTING_NEW_PAGES_MAX = 200
# Processes that parse article pages (`crawler.parse_workers`); 0: the crawl's own process. Only a crawl
# bound by our CPU (a mirror, politeness off) gains from them.
DBP_PARSE_WORKERS = 0
DUPEFILTER_CLASS = "crawler.dupefilter.ArticleAwareDupeFilter"
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}

# Where the archive lives; `dbp-archive crawl --db` sets it too.
DBP_ARCHIVE_DB = "archive.db"
# The real site's current home; older domains are accepted as the same site.
DBP_START_URL = "https://baodienbienphu.vn/"
DBP_SITE_DOMAINS = ["baodienbienphu.vn", "baodienbienphu.com.vn", "baodienbienphu.info.vn"]
# Today's category API origin; None: the one a category page's script names, else the real one
# (`crawler.spiders.category_api.REAL_API_URL`).
DBP_API_URL = None

# Progress lines (`crawl -v`) every this many seconds; 0: none.
DBP_PROGRESS_INTERVAL = 0.0
EXTENSIONS = {"crawler.extensions.CrawlProgress": 500, "crawler.extensions.RobotsCrawlDelay": 510}

# The operator's environment last: it wins over the defaults above (a bad value raises BadSetting).
globals().update(environment_settings(os.environ))
USER_AGENT = f"dbp-archive/{__version__} (news archive; contact: {DBP_CONTACT})"
