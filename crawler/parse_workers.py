"""Parsing in worker processes, for crawls that are bound by our CPU rather than by the site.

A polite crawl waits about a second between requests, and parsing a page in the crawl's own process
costs a few milliseconds: nothing to gain. A backfill from a mirror with politeness off is the
opposite: the reactor thread spends about half its time in `parse_article`, and while it parses it
neither downloads nor writes. `DBP_PARSE_WORKERS = N` (`crawl --parse-workers N`) moves the parse into N
processes, so the reactor keeps downloading and the archive keeps writing meanwhile.

`parse_article` is pure (bytes, URL, headers → an `Article`, or `NotAnArticle`), so a worker's answer is
the in-process answer: the exceptions it raises come back as themselves. Workers start by `spawn`:
a forked copy of a running crawl would carry its sockets and its open SQLite connections, which
SQLite forbids across a fork. A worker that dies takes no page with it: the page is parsed here
instead, and so is every later one (said once in the log).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.article import Article

logger = logging.getLogger(__name__)


def start_parse_worker() -> None:
    """In a parse worker as it starts: the parser imported now, not with the first page; Ctrl-C left
    to the parent; and an end together with the parent.

    A terminal's Ctrl-C reaches the whole process group; the parent finishes the pages in flight and
    shuts its workers down, while a worker that died of it would print a traceback and break the pool
    under a crawl that is trying to stop. SIGTERM is left alone: a pool stops its workers with it.
    A parent killed outright (SIGKILL, the OOM killer) shuts nothing down, and the pool's pipe stays
    open in every worker, so none would see it go: each watches its parent instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()
    try:
        import crawler.parsing.reader  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any failure to load the parser: the parent parses instead
        # Said in one line, and the worker ends here: the pool would print the exception's traceback,
        # and its parent notices the dead worker and parses in its own process (saying so once).
        print(f"dbp-archive crawl: a parse worker cannot load the parser ({exc})", file=sys.stderr, flush=True)
        os._exit(1)


def _end_with(parent) -> None:
    parent.join()  # returns once the parent process has ended, however it ended
    os._exit(1)


class ParseWorkers:
    """`await workers.parse(body, url, headers)`: `parse_article` in a worker process (none: here)."""

    def __init__(self, processes: int = 0):
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    @property
    def offloaded(self) -> bool:
        return self.processes > 0 and not self._broken

    async def parse(self, body: bytes, url: str, headers: dict[str, str]) -> Article:
        # Imported here, not with this module: a worker imports this module to unpickle its
        # initializer before that runs, and must not be inside the parser's imports when Ctrl-C comes.
        from crawler.parsing import parse_article

        if not self.offloaded:
            return parse_article(body, url, headers)
        if self._pool is None:  # on the first page: a crawl that fetches no article starts no process
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=start_parse_worker)
        try:
            return await asyncio.wrap_future(self._pool.submit(parse_article, body, url, headers))
        except BrokenProcessPool:
            if not self._broken:
                logger.warning("a parse worker died; parsing in the crawl's own process from now on")
                self._broken = True
            return parse_article(body, url, headers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
