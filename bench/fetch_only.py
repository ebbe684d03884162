"""The floor for `crawl_vs_fetch_only`: a Scrapy spider that downloads a list of URLs and does nothing else.

    python bench/fetch_only.py URL_FILE [SIZES_FILE]

URL_FILE holds one URL a line. The spider runs with the crawl's own settings (`crawler.settings`)
and the same overrides as `dbp-archive crawl --no-politeness`, minus the item pipeline: the same
Scrapy, concurrency, middlewares and download handler, and no parsing, no archive. Prints one JSON
line `{"responses", "bytes", "requests", "seconds"}`, timed like the crawl's summary (from before
the CrawlerProcess is made to after it stops); SIZES_FILE, when given, gets `URL<TAB>body bytes` a line.
"""

from __future__ import annotations

import json
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.runner import NO_POLITENESS, project_settings  # what `dbp-archive crawl --no-politeness` runs with



class FetchOnly(scrapy.Spider):
    name = "fetch-only"

    def __init__(self, urls: list[str], sizes: dict[str, int], **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.sizes = sizes

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.sizes[response.url] = len(response.body)


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        urls = [line.strip() for line in handle if line.strip()]
    settings = project_settings()  # the crawl's own settings, as the crawl reads them
    for name, value in {**NO_POLITENESS, "ITEM_PIPELINES": {}}.items():
        settings.set(name, value, priority="cmdline")
    sizes: dict[str, int] = {}
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler, urls=urls, sizes=sizes)
    process.start()
    seconds = time.monotonic() - started
    if len(argv) > 2:
        with open(argv[2], "w", encoding="utf-8") as handle:
            handle.writelines(f"{url}\t{size}\n" for url, size in sizes.items())
    print(json.dumps({"responses": len(sizes), "bytes": sum(sizes.values()),
                      "requests": crawler.stats.get_value("downloader/request_count", 0),
                      "seconds": round(seconds, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
