"""Run one crawl the way cron needs it: checked before it starts, locked, summarised, with an honest
exit status and one line on stderr saying why when it failed.

Scrapy's reactor cannot be restarted in one process, so a process runs at most one crawl; the CLI
calls `run_crawl` once and exits.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from crawler import exits, logs
from crawler.stopping import ARCHIVE_ERROR, NOT_THE_SITE, SHUTDOWN, START_PAGE_FAILED

OUTCOMES = ("new", "updated", "unchanged", "not_modified", "reparsed", "gone", "failed")
# Field health speaks up in the summary line when a field is missing on half the pages of a run this size.
HEALTH_SAMPLE = 10



class CrawlLocked(RuntimeError):
    """Another crawl holds the archive."""


class ArchiveUnusable(RuntimeError):
    """The archive cannot be written: not SQLite, damaged, read-only file or directory…"""


def real_archive_path(db_path: str | os.PathLike) -> Path:
    """The file itself, through any symlink: one archive is one lock, however it is named."""
    return Path(db_path).expanduser().resolve()


def storage_problem(exc: BaseException) -> str:
    """What a failed write to the archive means, for the one line a user reads. A full disk reaches
    SQLite as ENOSPC ("database or disk is full") or, when a file may grow no more (a quota, a file
    size limit: EFBIG), as a failed write ("disk I/O error")."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "the disk is full"
    if name.startswith("SQLITE_IOERR"):
        return f"a write failed ({exc}; is the disk full?)"
    if name.startswith("SQLITE_READONLY"):
        return f"cannot write ({exc}; the file or its directory is read-only)"
    return getattr(exc, "strerror", None) or str(exc)


def archive_problem(exc: BaseException, db_path: str | os.PathLike, real: Path) -> str:
    """What is wrong with the archive, without the path the message starts with (this module's name
    `--db` as typed, the archive's own its real path), for a line that names it once, as typed."""
    return str(exc).removeprefix(f"{db_path}: ").removeprefix(f"{real}: ")


def check_writable(db_path: str, real: Path, command: str) -> None:
    """`command` (crawl, upgrade, reparse) writes the archive, its journal and its lock: say so before
    it starts, naming it, if it cannot."""
    from crawler.commands import not_an_archive_file

    problem = not_an_archive_file(str(db_path), real)
    if problem:
        raise ArchiveUnusable(problem)
    if not real.parent.is_dir():  # a typo in --db must not start a new archive somewhere else
        raise ArchiveUnusable(f"{db_path}: no such directory {real.parent}")
    if real.exists() and not os.access(real, os.R_OK | os.W_OK):
        raise ArchiveUnusable(f"{db_path}: the archive file is read-only; dbp-archive {command} must write to it")
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise ArchiveUnusable(f"{db_path}: its directory {real.parent} is read-only; dbp-archive {command} "
                              f"writes its journal and lock there")


def check_archive(db_path: str, real: Path) -> int:
    """Open (create, check, migrate) the archive before any request: a crawl that cannot store is no
    crawl. Returns the latest run's id, so the crawl can count what its own run recorded."""
    from archive.db import Archive
    from archive.records import ArchiveDamaged, ArchiveError

    try:
        with Archive(real, verify=True) as archive:
            return archive.latest_run_id()
    except ArchiveDamaged as exc:
        raise ArchiveUnusable(f"{db_path}: {archive_problem(exc, db_path, real)}") from None
    except (sqlite3.Error, OSError) as exc:
        raise ArchiveUnusable(f"{db_path}: cannot use as an archive: {storage_problem(exc)}") from None
    except ArchiveError as exc:
        raise ArchiveUnusable(f"{db_path}: cannot use as an archive: {archive_problem(exc, db_path, real)}") from None


@contextmanager
def crawl_lock(db_path: str | os.PathLike):
    """An exclusive, non-blocking lock beside the archive's real file; the kernel drops it if we are
    killed. A lock file this process created is removed again when the block fails (a refused crawl,
    upgrade or reparse leaves nothing beside the file it refused); one that was there stays."""
    real = real_archive_path(db_path)
    lock_path = Path(f"{real}.lock")
    handle, created = _held_lock(db_path, lock_path)
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    except BaseException:
        if created:  # still held: whoever opened it meanwhile finds it gone once it gets it, and retries
            lock_path.unlink(missing_ok=True)
        raise
    finally:
        handle.close()


def _held_lock(db_path, lock_path: Path):
    """The lock file, open and locked, and whether this call created it; `CrawlLocked` when another
    process holds it."""
    while True:
        try:
            fd, created = _open_lock(lock_path)
        except OSError as exc:
            raise ArchiveUnusable(f"{db_path}: cannot create the lock {lock_path}: {exc.strerror or exc}") from None
        if fd is None:
            continue
        handle = os.fdopen(fd, "r+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = handle.read().strip() or "another process"
            handle.close()
            raise CrawlLocked(f"{db_path}: another crawl is running ({holder})") from None
        try:
            same = os.path.samestat(os.stat(lock_path), os.fstat(fd))
        except FileNotFoundError:
            same = False
        if same:
            return handle, created
        handle.close()  # its holder removed the file before we got it: a lock on no path guards nothing


def _open_lock(lock_path: Path) -> tuple[int | None, bool]:
    """(descriptor, created) of the lock file, made if missing; (None, False) when it vanished
    between finding it there and opening it."""
    try:
        return os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666), True
    except FileExistsError:
        pass
    try:
        return os.open(lock_path, os.O_RDWR), False
    except FileNotFoundError:
        return None, False


@dataclass
class CrawlSummary:
    counts: dict
    requests: int
    seconds: float
    home_ok: bool
    store_errors: int = 0
    store_error: str | None = None  # why the first write the archive refused failed
    reason: str | None = "finished"  # Scrapy's close reason; None when the crawl was killed outright
    interrupted: bool = False  # a SIGINT or SIGTERM arrived
    start_url: str = ""
    start_page_error: str | None = None
    db_path: str = ""
    api_errors: int = 0  # answers of the category API that could not be read
    offsite_links: int = 0  # article links to hosts not named as the site's
    offsite_hosts: tuple[str, ...] = ()
    parsed: int = 0  # fetches parsed into an article
    suspect: int = 0  # failed fetches that read as less than the archived version (`archive.suspects`)
    missing: dict = field(default_factory=dict)  # field -> parsed fetches that lacked it (field health)

    @property
    def fetches(self) -> int:
        return sum(self.counts.get(name, 0) for name in OUTCOMES)

    @property
    def exit_status(self) -> int:
        if self.store_errors or self.reason in (ARCHIVE_ERROR, START_PAGE_FAILED, NOT_THE_SITE):
            return exits.CANNOT_RUN
        if self.interrupted or self.reason == SHUTDOWN:
            return exits.INTERRUPTED
        if self.reason is None:
            return exits.CANNOT_RUN
        if not self.home_ok and not self.fetches:
            return exits.CANNOT_RUN
        if self.fetches and self.counts.get("failed", 0) * 2 > self.fetches:
            return exits.MOST_FAILED
        return exits.OK

    def problem(self) -> str | None:
        """The one line for stderr when the crawl did not simply succeed."""
        if self.store_errors or self.reason == ARCHIVE_ERROR:
            why = f": {self.store_error}" if self.store_error else ""
            return (f"{self.db_path}: the archive refused writes{why}; crawl stopped (the fetches recorded "
                    f"before stay, and the next crawl goes on from there)")
        if self.reason == START_PAGE_FAILED:
            return f"{self.start_url}: cannot fetch the start page: {self.start_page_error}"
        if self.reason == NOT_THE_SITE:
            return f"{self.start_url}: not the newspaper's start page: {self.start_page_error}"
        status = self.exit_status
        if status == exits.INTERRUPTED:
            return "interrupted; every fetch so far is archived, and the next crawl goes on from there"
        if status == exits.CANNOT_RUN and self.reason is None:
            return f"{self.db_path}: the crawl stopped before it could start (run with -vv to see why)"
        if status == exits.CANNOT_RUN:
            return f"{self.start_url}: the start page never answered"
        if status == exits.MOST_FAILED:
            return f"most fetches failed ({self.counts.get('failed', 0)} of {self.fetches}); reasons in the archive's failures table"
        return None

    def line(self) -> str:
        c = self.counts
        unchanged = c.get("unchanged", 0) + c.get("not_modified", 0)
        reparsed = f", {c['reparsed']} reparsed" if c.get("reparsed") else ""  # parser upgrades only
        suspect = f" ({self.suspect} suspect)" if self.suspect else ""  # half-read pages, among the failed
        warning = (f"; warning: the category API answered {self.api_errors} request(s) badly"
                   if self.api_errors else "")
        if self.offsite_links:
            hosts = ", ".join(self.offsite_hosts[:3]) + (", …" if len(self.offsite_hosts) > 3 else "")
            warning += (f"; warning: {self.offsite_links} article link(s) to other hosts not followed ({hosts}):"
                        f" --site-domain names the site's other hosts")
        unhealthy = [(name, count) for name, count in sorted(self.missing.items())
                     if self.parsed >= HEALTH_SAMPLE and count * 2 >= self.parsed]
        if unhealthy:
            fields = ", ".join(f"{name} on {count}" for name, count in unhealthy)
            warning += (f"; warning: of {self.parsed} pages read, a field the page shows was not found: {fields}"
                        f" (the site's markup may have changed; see the archive's field_health table)")
        return (f"crawl: {c.get('new', 0)} new, {c.get('updated', 0)} updated{reparsed}, {unchanged} unchanged, "
                f"{c.get('gone', 0)} gone, {c.get('failed', 0)} failed{suspect}, {self.requests} requests "
                f"in {self.seconds:.1f}s{warning}")


def _process_class():
    from scrapy.crawler import CrawlerProcess

    class InterruptibleProcess(CrawlerProcess):
        """Scrapy's process, noting a shutdown signal: a second Ctrl-C stops the reactor before any
        close reason is recorded, and the exit status must still say "interrupted"."""

        interrupted = False

        def _signal_shutdown(self, signum, frame):
            self.interrupted = True
            super()._signal_shutdown(signum, frame)

    return InterruptibleProcess


# `crawl --no-politeness`, for a mirror of one's own: no delay, no AutoThrottle, 8 requests at once.
NO_POLITENESS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 8,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": 8}


def project_settings():
    """Scrapy's settings for `dbp-archive crawl`: `crawler.settings`, whatever directory the command
    runs in. Not Scrapy's `get_project_settings`: that reads the nearest `scrapy.cfg` above the working
    directory, whichever project it belongs to, and appends its folder to `sys.path`, where the parse
    workers (spawned with this `sys.path`) would import that folder's own `crawler` package, not ours."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return settings


def run_crawl(db_path: str, start_url: str | None = None, recheck_all: bool = False,
              max_articles: int | None = None, since: str | None = None,
              verbosity: int = 0, overrides: dict | None = None) -> CrawlSummary:
    """One crawl into the archive at `db_path`. Raises `ArchiveUnusable` or `CrawlLocked` before any
    request when it cannot run; a `settings.BadSetting` from the environment surfaces at import."""
    settings = project_settings()
    real = real_archive_path(db_path)
    settings.set("DBP_ARCHIVE_DB", str(real), priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    if not verbosity:
        verbosity = {"DEBUG": 2, "INFO": 1}.get(settings.get("LOG_LEVEL"), 0)  # DBP_LOG_LEVEL
    if settings.getfloat("DBP_PROGRESS_INTERVAL") <= 0:
        if verbosity == 1:
            settings.set("DBP_PROGRESS_INTERVAL", 5.0, priority="cmdline")
        elif verbosity == 0 and sys.stderr.isatty():
            settings.set("DBP_PROGRESS_INTERVAL", 1.0, priority="cmdline")
            settings.set("DBP_PROGRESS_LIVE", True, priority="cmdline")

    started = time.monotonic()
    check_writable(db_path, real, "crawl")
    created = not real.exists()
    with crawl_lock(real):
        try:
            runs_before = check_archive(db_path, real)
        except ArchiveUnusable:
            if created:  # what this attempt wrote holds nothing: leave no half-made archive behind
                _remove_archive_files(real)
            raise
        process = _process_class()(settings)
        logs.configure(verbosity)
        crawler = process.create_crawler("baodienbienphu")
        process.crawl(crawler, start_url=start_url, recheck_all=recheck_all,
                      max_articles=max_articles, since=since)
        process.start()
        # What is left (the summary, tidying a failed first crawl) takes milliseconds: a Ctrl-C sent
        # twice must not kill the process in between, once the reactor has given back the signals.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        suspect = _suspects_since(real, runs_before)
    stats = crawler.stats
    summary = CrawlSummary(
        counts={name: stats.get_value(f"dbp/{name}", 0) for name in OUTCOMES},
        requests=stats.get_value("downloader/request_count", 0),
        seconds=time.monotonic() - started,
        home_ok=bool(stats.get_value("dbp/home_ok")),
        store_errors=stats.get_value("dbp/store_error", 0),
        store_error=stats.get_value("dbp/store_error_reason"),
        reason=stats.get_value("finish_reason"),
        interrupted=process.interrupted,
        start_url=start_url or settings.get("DBP_START_URL"),
        start_page_error=stats.get_value("dbp/start_page_error"),
        db_path=str(db_path),
        api_errors=stats.get_value("dbp/api_errors", 0),
        offsite_links=stats.get_value("dbp/offsite_links", 0),
        offsite_hosts=tuple(stats.get_value("dbp/offsite_hosts", ())),
        parsed=stats.get_value("dbp/parsed", 0),
        missing={name.removeprefix("dbp/missing/"): value for name, value in stats.get_stats().items()
                 if name.startswith("dbp/missing/")},
        suspect=suspect,
    )
    if created and summary.exit_status == exits.CANNOT_RUN:
        _remove_if_empty(real)
    return summary


def _suspects_since(real: Path, run_id: int) -> int:
    """Suspect fetches the runs after `run_id` recorded (this crawl's: it held the lock)."""
    from archive.db import Archive

    try:
        with Archive(real, readonly=True) as archive:
            return archive.suspects_in_runs_after(run_id)
    except Exception:  # noqa: BLE001 - a count for the summary line, never a reason to fail
        return 0


def _remove_if_empty(real: Path) -> None:
    """A first crawl that could not run leaves no archive behind: it holds a failed run and nothing
    fetched, and a file there would look like an archive to the next person."""
    from archive.db import Archive

    try:
        with Archive(real) as archive:
            if archive.counts()["observations"]:
                return
    except Exception:  # noqa: BLE001 - when in doubt, keep the file
        return
    _remove_archive_files(real)


def _remove_archive_files(real: Path) -> None:
    from archive.db import COMPANION_SUFFIXES

    for path in [real, *(Path(f"{real}{suffix}") for suffix in (*COMPANION_SUFFIXES, ".lock"))]:
        path.unlink(missing_ok=True)
