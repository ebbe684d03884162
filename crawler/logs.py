"""What a crawl writes to stderr: nothing when all is well, one line per problem, tracebacks never
(except at `-vv`, for a developer).

Scrapy's own log is for developers; cron mails whatever is printed, so by default only the crawl's
own warnings reach stderr, and the CLI prints the one line that says why a crawl failed. `-v` adds
progress and Scrapy's warnings; `-vv` is Scrapy's whole debug log.
"""

from __future__ import annotations

import logging
import sys

OWN_LOGGERS = ("crawler", "archive", "exports", "baodienbienphu")  # the last: the spider's logger
# Scrapy gives these levels of their own (scrapy.utils.log.DEFAULT_LOGGING); they follow ours instead.
OTHER_LOGGERS = ("scrapy", "twisted", "py.warnings")


class OneLineFormatter(logging.Formatter):
    """A record on one line, without its traceback: the reason is in the message."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return " | ".join(line for line in super().format(record).splitlines() if line.strip())


def configure(verbosity: int) -> None:
    """0: the crawl's warnings; 1: its progress and Scrapy's warnings; 2: everything, with tracebacks.
    Call it after Scrapy has configured logging (`CrawlerProcess()`), with LOG_INSTALL_ROOT_HANDLER off."""
    handler = logging.StreamHandler(sys.stderr)
    if verbosity >= 2:
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        root_level, own_level = logging.DEBUG, logging.DEBUG
    elif verbosity == 1:
        handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
        root_level, own_level = logging.WARNING, logging.INFO
    else:
        handler.setFormatter(OneLineFormatter("dbp-archive crawl: %(message)s"))
        root_level, own_level = logging.CRITICAL + 1, logging.WARNING
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(root_level)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own_level)
    for name in OTHER_LOGGERS:
        logging.getLogger(name).setLevel(root_level)
