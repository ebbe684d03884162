"""`dbp-archive history`, `diff` and `show`: one article's versions, what changed between two of
them word by word, and one version's fields or raw page. Thin shells over `archive.history` (the
queries) and `exports.diff` (the rendering)."""

from __future__ import annotations

import json
import sys

import click

from crawler.commands import archive_for_reading, check_article, counted, output_target

DB_OPTION = click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB",
                         help="The SQLite archive (opened read-only).")


def _failure(message: str):
    from crawler.cli import Failure

    return Failure(message)


ARTICLE_ARGUMENT = click.argument("article", metavar="URL_OR_IDENTITY", callback=check_article)


def _identity(archive, asked: str) -> str:
    from archive.history import ArticleNotFound, find_article

    try:
        return find_article(archive, asked)
    except ArticleNotFound:
        raise _failure(f"{asked}: no such article in {archive.path}") from None


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@click.command(short_help="An article's versions, what each changed, and its view counts.")
@ARTICLE_ARGUMENT
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def history(article: str, db_path: str, as_json: bool) -> None:
    """An article's versions (number, change, first and last seen, the fields that changed from the
    version before) and its view counts over time.

    URL_OR_IDENTITY: the article's URL on any of the site's hosts, an old URL of it (an alias), or its
    identity ('212838', '/tin-bai/xa-hoi/...'). A `parser` version is the same page read
    differently by a newer parser, not an edit.

    --json prints {"identity", "url", "state", "gone_at", "gone_reason", "aliases": [{"alias", "url",
    "first_seen"}], "versions": [{"number", "change", "parser_version", "first_seen", "last_seen",
    "changed_fields", "title", "url"}], "views": [{"at", "count"}]}; a taken-down article shows when the
    archive first saw it gone and how (gone_reason: 404, 410, soft-404, redirect-home, ...).
    """
    from archive.history import article_history

    with archive_for_reading(db_path) as archive:
        found = article_history(archive, _identity(archive, article))
    if as_json:
        click.echo(_dumps(found))
        return
    click.echo(_history_text(found))


def _history_text(found: dict) -> str:
    lines = [f"{found['identity']}  {found['url']}" + (f"  ({_gone(found)})" if found["state"] == "gone" else "")]
    for alias in found["aliases"]:
        lines.append(f"  also known as {alias['alias']}  (since {alias['first_seen']})")
    lines.append("")
    lines.append(f"versions ({len(found['versions'])}):")
    previous_url = None
    for version in found["versions"]:
        seen = version["first_seen"] if version["first_seen"] == version["last_seen"] \
            else f"{version['first_seen']} … {version['last_seen']}"
        lines.append(f"  {version['number']:>3}  {version['change']:<10}  {seen}")
        lines.append(f"       {version['title']}")
        if version["change"] == "parser":
            what = f"re-read by parser {version['parser_version']}, not an edit"
        elif version["change"] == "first" and version["number"] > 1:  # met at its other address first
            what = (f"first read at {version['url']}, later found to be this article; "
                    + ("changed: " + ", ".join(version["changed_fields"]) if version["changed_fields"]
                       else "the same text"))
        elif version["number"] == 1 or not version["changed_fields"]:
            what = None
        else:
            what = "changed: " + ", ".join(version["changed_fields"])
        if version["change"] == "parser" and version["changed_fields"]:
            what += "; reads differently: " + ", ".join(version["changed_fields"])
        if what:
            lines.append(f"       {what}")
        if previous_url and version.get("url") and version["url"] != previous_url and version["change"] != "first":
            lines.append(f"       at {version['url']} (was {previous_url})")  # a re-slug or a move to another section
        previous_url = version.get("url") or previous_url
    lines.append("")
    if found["views"]:
        lines.append(f"views ({counted(len(found['views']), 'readings')}):")
        lines.extend(f"  {view['at']}  {view['count']:>9}" for view in found["views"])
    else:
        lines.append("views: no fetch read a view count")
    return "\n".join(lines)


def _gone(found: dict) -> str:
    """`gone since <time>: HTTP 404` — when the archive first saw the take-down, and how it looked."""
    reason = found["gone_reason"]
    how = f"HTTP {reason}" if reason and reason.isdigit() else reason
    return "gone" + (f" since {found['gone_at']}" if found["gone_at"] else "") + (f": {how}" if how else "")


SQLITE_MAX_INTEGER = 2**63 - 1  # past it, no row can have the number (and sqlite3 refuses to bind it)


def _version_number(ctx, param, value):
    if value is not None and value < 1:
        raise click.BadParameter(f"{value}: version numbers start at 1")
    if value is not None and value > SQLITE_MAX_INTEGER:
        raise click.BadParameter(f"{value}: no archive has a version of that number")
    return value


@click.command(short_help="A word-level diff of two versions of an article.")
@ARTICLE_ARGUMENT
@click.argument("v1", required=False, type=int, callback=_version_number)
@click.argument("v2", required=False, type=int, callback=_version_number)
@DB_OPTION
@click.option("--html", "html_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the diff as a standalone HTML page (UTF-8, <del>/<ins>) to FILE: a page "
                   "diff wrote before is replaced; another file only with --force; never an SQLite file.")
@click.option("--force", is_flag=True, help="Let --html replace a FILE that is not a page diff wrote.")
def diff(article: str, v1: int | None, v2: int | None, db_path: str, html_file: str | None, force: bool) -> None:
    """A word-level diff of each field that changed between two versions of an article.

    With no version numbers: the last two versions; with V1 alone: V1 against the latest. On a terminal
    removed words are red and struck through, added ones green; otherwise (a pipe, a file) they are
    marked [-removed-] and {+added+}. Long unchanged stretches of the body are folded; the HTML page
    shows every word. An article with a single version has nothing to compare: that is said in one
    line and the exit status is 0 (no page is written).
    """
    from archive.history import changed_fields, version_fields, version_numbers
    from exports.diff import DIFF_PAGE, render_html, render_terminal, version_diff
    from exports.output import atomic_output

    target = output_target(html_file, db_path, force=force, redraws=DIFF_PAGE) if html_file is not None else None
    with archive_for_reading(db_path) as archive:
        identity = _identity(archive, article)
        numbers = version_numbers(archive, identity)
        for asked in (v1, v2):
            if asked is not None and asked not in numbers:
                raise _failure(f"{article}: no version {asked} (it has {_span(numbers)})")
        if v1 is None and len(numbers) < 2:
            click.echo(f"{identity}: only one version, nothing to compare")
            return
        old_number = v1 if v1 is not None else numbers[-2]
        new_number = v2 if v2 is not None else numbers[-1] if v1 is None or v1 != numbers[-1] else None
        if new_number is None or new_number == old_number:
            raise _failure(f"{article}: version {old_number} against itself: name another (it has {_span(numbers)})")
        before = version_fields(archive, identity, old_number)
        after = version_fields(archive, identity, new_number)
    fields = changed_fields(before, after)
    diffs = version_diff(before, after, fields)
    heading = (f"{identity}: version {old_number} ({before['change']}, {before['first_seen']}) → "
               f"version {new_number} ({after['change']}, {after['first_seen']})")
    if after["change"] == "parser" and new_number == old_number + 1:
        heading += f"\nversion {new_number} is the same page re-read by parser {after['parser_version']}, not an edit"
    if target is not None:
        page = render_html(f"{after['title']} — versions {old_number} and {new_number}", heading, diffs)
        try:
            with atomic_output(target) as stream:
                stream.write(page.encode("utf-8"))
        except OSError as exc:
            raise _failure(f"{html_file}: cannot write: {exc.strerror or exc}") from None
    if not diffs:
        click.echo(heading + "\nno stored field differs")
        return
    click.echo(render_terminal(heading, diffs, colour=sys.stdout.isatty()), nl=False)


def _span(numbers: list[int]) -> str:
    if not numbers:
        return "no versions"
    return f"version {numbers[0]}" if len(numbers) == 1 else f"versions {numbers[0]}–{numbers[-1]}"


@click.command(short_help="One version's fields as JSON, or the raw page it was parsed from.")
@ARTICLE_ARGUMENT
@click.option("--version", "number", type=int, callback=_version_number,
              help="Version number (default: the current one).")
@click.option("--raw", is_flag=True, help="Write the stored response body exactly as captured (bytes) instead.")
@DB_OPTION
def show(article: str, number: int | None, raw: bool, db_path: str) -> None:
    """One version of an article: its stored fields as JSON (the body's markup as `body_html`), or with
    --raw the page it was parsed from, byte for byte as the site sent it (`> page.html`)."""
    from archive.history import (NoCapture, NoSuchVersion, current_version_number, version_capture,
                                 version_fields, version_numbers)

    with archive_for_reading(db_path) as archive:
        identity = _identity(archive, article)
        numbers = version_numbers(archive, identity)
        chosen = number if number is not None else current_version_number(archive, identity) or numbers[-1]
        try:
            if raw:
                body = version_capture(archive, identity, chosen)
            else:
                fields = version_fields(archive, identity, chosen)
        except NoSuchVersion:
            raise _failure(f"{article}: no version {chosen} (it has {_span(numbers)})") from None
        except NoCapture:
            raise _failure(f"{article}: version {chosen} has no stored response body") from None
    if raw:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    click.echo(_dumps(fields))
