"""The exit statuses every `dbp-archive` command uses (README, "Exit statuses"), in one place."""

OK = 0
MOST_FAILED = 1  # crawl: most fetches failed; parse: the page is not an article
CANNOT_RUN = 2  # a usage error, a bad value, an archive or output that cannot be used
LOCKED = 75  # another crawl holds the archive (EX_TEMPFAIL: cron may simply try again)
INTERRUPTED = 130  # Ctrl-C or SIGTERM
READER_GONE = 1  # the reader of stdout went away (`… | head`): click's own status for it, said nowhere
