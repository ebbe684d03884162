"""The CLI's subcommands that live in modules of their own, registered at the bottom of `crawler.cli`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.db import Archive
from archive.records import ArchiveError


def check_date(ctx, param, value):
    """A click callback: a date option as `YYYY-MM-DD`, or one line saying what is wrong with it.
    Other ISO 8601 forms Python reads (`20240131`) and the day-first `31/01/2024` of Vietnamese
    dates (the CSV's `published_local`) come back as `YYYY-MM-DD`: the archive compares dates as
    text, where `20240131` would sort among no date at all."""
    import datetime
    import re

    import click

    if value is None:
        return None
    day_first = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    try:
        if day_first:
            day, month, year = map(int, day_first.groups())
            return datetime.date(year, month, day).isoformat()
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        # a well-formed day that does not exist says why (`day is out of range for month`)
        why = f" ({exc})" if day_first or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""
        raise click.BadParameter(f"{value!r} is not a date like 2024-01-31 or 31/01/2024{why}") from None


def check_article(ctx, param, value):
    """A click callback: an article asked for (`history`'s argument, `reparse --article`), refused
    when blank before any archive is opened ("no such article" would name it as nothing, and an
    empty option must not mean every article)."""
    if value is not None and not value.strip():
        from crawler.cli import Failure

        raise Failure("an empty URL or identity")
    return value


def counted(number: int, plural: str) -> str:
    """`3 articles`, `1 article`: a count with its noun in agreement (`plural` ends in its `s`)."""
    return f"{number} {plural if number != 1 else plural.removesuffix('s')}"


def filters_named(db_path: str, **given: str | None) -> str:
    """` with --category 'x', --author 'y'` for the filters a reader gave (empty when none): what a
    command that found nothing says, so that a misspelt name shows beside the empty result. A
    `--category` the archive at `db_path` holds no version of, whatever the other filters, is said so,
    with the closest categories it does hold (`archive.selection.closest_categories`)."""
    named = [f"--{name} {value!r}" for name, value in given.items() if value]
    return (f" with {', '.join(named)}" if named else "") + _unknown_category(db_path, given.get("category"))


def _unknown_category(db_path: str, category: str | None) -> str:
    from archive.selection import closest_categories

    if not category:
        return ""
    with archive_for_reading(db_path) as archive:
        closest = closest_categories(category, archive.categories())
    if closest is None:
        return ""
    if not closest:
        return f"; no category {category!r} in the archive (`dbp-archive stats --db {db_path}` lists them)"
    quoted = [repr(name) for name in closest]
    either = f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
    return f"; no category {category!r} in the archive; did you mean {either}?"


def not_an_archive_file(db_path: str, path: Path) -> str | None:
    """Why `--db` cannot name an archive file, in the words every command (readers, crawl, upgrade,
    reparse) uses: an empty path, a directory, a device or a pipe. None when `path` is a regular file
    or nothing yet (what is missing each command says for itself)."""
    if not db_path:
        return "--db '': an empty path, not an archive"
    if path.is_dir():
        return f"{db_path}: is a directory, not an archive"
    if path.exists() and not path.is_file():
        return f"{db_path}: not a regular file, so not an archive"
    return None


def existing_archive_file(db_path: str) -> Path:
    """The path of an archive to read, or `crawler.cli.Failure` when no file is there to read (missing,
    a directory, empty)."""
    from crawler.cli import Failure

    archive_file = Path(db_path)
    try:
        problem = not_an_archive_file(db_path, archive_file)
        if problem:
            raise Failure(problem)
        if not archive_file.exists():
            raise Failure(f"{db_path}: no such archive")
        if archive_file.stat().st_size == 0:
            raise Failure(f"{db_path}: an empty file, not an archive")
    except OSError as exc:  # a name too long for the file system, a directory that cannot be searched
        raise Failure(f"{db_path}: cannot read: {exc.strerror or exc}") from None
    return archive_file


@contextmanager
def progress_bar(length: int, label: str) -> Iterator:
    """A bar on stderr while `length` steps are done, when stderr is a terminal; silent otherwise (a
    cron log never fills with bars). Its `update(steps)` is safe to call either way."""
    import sys

    import click

    if sys.stderr.isatty() and length > 0:
        with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
            yield bar
    else:
        yield _NoBar()


class _NoBar:
    def update(self, steps: int) -> None:
        pass


def archive_to_update(db_path: str) -> Path:
    """The real path (through any symlink) of an existing archive a command will write (`upgrade`,
    `reparse`), or `crawler.cli.Failure` in one line: a path the file system refuses, a directory, no
    file, an empty file (a crawl may start an archive there; these commands never do)."""
    from crawler.cli import Failure
    from crawler.runner import real_archive_path

    try:
        real = real_archive_path(db_path)
        problem = not_an_archive_file(db_path, real)
        is_file = real.is_file()
        empty = is_file and real.stat().st_size == 0
    except OSError as exc:  # a name the file system refuses (too long, a loop of links)
        raise Failure(f"{db_path[:120]}: cannot use this path: {exc.strerror or exc}") from None
    if problem:
        raise Failure(problem)
    if not is_file:
        raise Failure(f"{db_path}: no such archive")
    if empty:
        raise Failure(f"{db_path}: an empty file, not an archive")
    return real


def output_target(path: str, db_path: str, *, force: bool, redraws=None) -> Path:
    """Where a command may write `path` (`exports.output.check_target`: never the archive, through a
    symlink, `..` or a hard link; an existing file only with `force` or when it is the `redraws`
    kind), checked before anything is read; else `Failure` in one line."""
    from crawler.cli import Failure
    from exports.output import OutputRefused, check_target

    try:
        return check_target(path, db_path, force=force, redraws=redraws)
    except OutputRefused as exc:
        raise Failure(str(exc)) from None
    except OSError as exc:  # a name too long for the file system, a directory that cannot be searched
        raise Failure(f"{path}: cannot write: {exc.strerror or exc}") from None


@contextmanager
def archive_for_reading(db_path: str) -> Iterator[Archive]:
    """The archive at `db_path` opened read-only, or `crawler.cli.Failure` in one line naming it: a
    missing, empty, damaged or foreign file, or one an older release wrote (never migrated here)."""
    from crawler.cli import Failure

    archive_file = existing_archive_file(db_path)
    try:
        archive = Archive(archive_file, readonly=True, verify=True)
    except ArchiveError as exc:
        raise Failure(str(exc)) from None
    except sqlite3.Error as exc:
        raise Failure(f"{db_path}: cannot read as an archive: {exc}") from None
    try:
        yield archive
    except sqlite3.Error as exc:  # a file that opened but holds no archive's tables
        raise Failure(f"{db_path}: cannot read as an archive: {exc}") from None
    finally:
        archive.close()
