"""`dbp-archive`: one command, a subcommand per job. Each subcommand is a thin shell over a module.

Every failure a user can cause ends in one line on stderr naming the input, and an exit status from
the README's table: 2 for anything that kept the command from running (a usage error, a bad value, an
archive that cannot be used, an output that must not be written), 130 when interrupted.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
from pathlib import Path

import click

from crawler import __version__, exits


class CommandError(click.ClickException):
    """An error that names the command it ended (`dbp-archive export csv: …`), as click's usage errors
    do: in a cron log of several commands, the line says which one failed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        context = click.get_current_context(silent=True)
        self.command_path = context.command_path if context is not None else "dbp-archive"


class Failure(CommandError):
    """The command could not do its job; the message names the input."""

    exit_code = exits.CANNOT_RUN


class NotAnArticlePage(CommandError):
    """`parse` read the page, and it is not an article (a listing, an error page…)."""

    exit_code = exits.MOST_FAILED


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dbp-archive")
def cli() -> None:
    """Crawl Báo Điện Biên Phủ into a versioned SQLite archive, and export it."""


def main(args: list[str] | None = None) -> None:
    """The console entry point: click's errors as one line, Ctrl-C as 130, never a traceback."""
    if sys.stdout is None:  # `dbp-archive … >&-`: nowhere to print to, which is no traceback either
        _say("dbp-archive: standard output is closed")
        sys.exit(exits.CANNOT_RUN)
    try:
        status = cli.main(args, prog_name="dbp-archive", standalone_mode=False)
        sys.stdout.flush()  # here, not at exit: a full disk under `>> crawl.log` is then one line
    except BrokenPipeError:  # `… | head`: the reader has what it wanted, as `grep … | head` would
        _quiet(sys.stdout)
        sys.exit(exits.READER_GONE)
    except click.exceptions.NoArgsIsHelpError as exc:  # `dbp-archive` alone: the help, as asked
        try:
            click.echo(exc.ctx.get_help())
        except OSError:
            _quiet(sys.stdout)
        sys.exit(exits.CANNOT_RUN)
    except click.UsageError as exc:
        argv = sys.argv[1:] if args is None else list(args)
        # (an option missing its value is reported without the command's context: name it from argv)
        where = exc.ctx.command_path if exc.ctx is not None else " ".join(["dbp-archive", *_command_words(argv)])
        _say(f"{where}: {exc.format_message()} ({_usage_hint(exc, argv)})")
        sys.exit(exits.CANNOT_RUN)
    except click.ClickException as exc:
        _say(f"{getattr(exc, 'command_path', 'dbp-archive')}: {exc.format_message()}")
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        _say("dbp-archive: interrupted")
        sys.exit(exits.INTERRUPTED)
    except OSError as exc:  # the commands name their own files; what is left is the output stream
        _quiet(sys.stdout)
        where = f"{exc.filename}: " if exc.filename else "standard output: "
        _say(f"dbp-archive: cannot write {where}{exc.strerror or exc}")  # (what a crawl archived stays archived)
        sys.exit(exits.CANNOT_RUN)
    sys.exit(status if isinstance(status, int) else 0)


def _say(line: str) -> None:
    """One line on stderr; when stderr cannot be written either (`>> crawl.log 2>&1` on a full disk),
    the exit status alone must tell, so the write's failure is no second error."""
    try:
        click.echo(line, err=True)
        sys.stderr.flush()
    except OSError:
        _quiet(sys.stderr)


def _quiet(stream) -> None:
    """Point the stream's descriptor at the null device, so the interpreter's last flush of what
    could not be written adds no second message."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _usage_hint(exc: click.UsageError, argv: list[str]) -> str:
    """A query or a value that starts with a dash (`-bo`, `-5`) reads as an option; the shell's `--`
    is how to pass it, and a user who meant the text does not know that. Everything after `--` is
    a value, so an option written there is one argument too many: say where options go (a command
    that takes no argument too: `stats -- --check`). A query of several words typed unquoted is
    words too many: say to quote it."""
    command = exc.ctx.command if exc.ctx is not None else None
    if isinstance(exc, click.NoSuchOption) and isinstance(command, click.Group):
        # `dbp-archive --db a.db stats`: the command's options follow its name — when it has that option
        names = _command_words(argv)
        named = cli
        for name in names:
            named = named.commands[name]
        if names and any(exc.option_name in param.opts for param in named.params if isinstance(param, click.Option)):
            return f"a command's options go after its name: dbp-archive {' '.join(names)} {exc.option_name} …"
    arguments = [param for param in command.params if isinstance(param, click.Argument)] if command else []
    extra = ""  # the arguments left over, as click's message lists them: `… extra arguments (lay cha)`
    if exc.message.startswith("Got unexpected extra argument"):
        extra = exc.message.partition(" (")[2].removesuffix(")")
    after_separator = argv[argv.index("--") + 1 :] if extra and "--" in argv else []
    options = {name for param in command.get_params(exc.ctx) if isinstance(param, click.Option)
               for name in (*param.opts, *param.secondary_opts)} if command else set()
    # One of the command's own options (`-- -muong --db x.db`), not a word of the query (`-- -muong -cha`)
    late_option = any(word.partition("=")[0] in options for word in after_separator)
    if not arguments:
        if late_option:  # (`stats -- --check`: a command of options alone takes nothing after `--`)
            return f"options go before '--', and nothing after it: {exc.ctx.command_path} [OPTIONS]"
        return "see --help"
    name = arguments[0].make_metavar(exc.ctx) if len(arguments) == 1 else "value"
    usage = f"{exc.ctx.command_path} [OPTIONS] -- {name}"
    dashed = isinstance(exc, click.NoSuchOption) and not exc.option_name.startswith("--") and not exc.possibilities
    if dashed:  # (`--limt` is a misspelt option: click's "Did you mean" says so)
        return f"a {name} that starts with '-' goes last, after '--': {usage}"
    if late_option:
        return f"options go before '--', the {name} after it: {usage}"
    if extra and arguments[0].name == "query":  # (`search muong lay`: the second word is the extra one)
        words = f"{exc.ctx.params.get('query')} {extra}"
        typed = f"-- {_quoted(words)}" if words.startswith("-") else _quoted(words)
        return f"a {name} of several words is quoted: {exc.ctx.command_path} {typed}"
    return "see --help"


def _command_words(argv: list[str]) -> list[str]:
    """The command's words in `argv` (`export`, `csv`), wherever they stand among its options."""
    names, group = [], cli
    for word in argv:
        if isinstance(group, click.Group) and word in group.commands:
            names.append(word)
            group = group.commands[word]
    return names


def _quoted(words: str) -> str:
    """`"muong lay"`, as the README writes a query, unless the shell reads into double quotes
    (`$`, a backquote, `\\`, `!`, `"`): then shlex's single quotes."""
    return f'"{words}"' if not set(words) & set('$`\\!"') else shlex.quote(words)


def _check_http_url(ctx, param, value):
    from crawler.options import site_url

    if value is None:
        return None
    try:
        return site_url(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: {exc}") from None


MAX_PAGE_BYTES = 2**40  # --max-size's ceiling: a read of more than this cannot be asked for


def _max_size_default() -> int:
    from crawler.settings import DOWNLOAD_MAXSIZE

    return DOWNLOAD_MAXSIZE


@cli.command()
@click.argument("source")
@click.option("--url", "page_url", callback=_check_http_url,
              help="The page's URL, when SOURCE is a file or - (resolves links and the id).")
@click.option("--max-size", type=click.IntRange(1, MAX_PAGE_BYTES), default=_max_size_default, show_default="the crawl's cap",
              help="Refuse pages larger than this many bytes (the crawl refuses them too).")
def parse(source: str, page_url: str | None, max_size: int) -> None:
    """Parse one article page (a FILE, a URL, or - for standard input) and print it as JSON."""
    from crawler.article import NotAnArticle
    from crawler.parsing import parse_article

    if not source:  # Path("") is the current directory: "cannot read: Is a directory" would puzzle
        raise Failure("'': an empty path, not a page file or URL")
    headers: dict[str, str] = {}
    unplaced = page_url is None  # (a saved page or standard input read without its address)
    too_big = f"{source}: larger than the {max_size}-byte cap (--max-size raises it)"
    if "://" in source:
        from crawler.options import site_url

        try:
            site_url(source)
        except ValueError as exc:
            raise Failure(f"{source}: {exc}") from None
    try:
        if source.startswith(("http://", "https://")):
            import urllib.error
            import urllib.request

            try:
                with urllib.request.urlopen(source, timeout=30) as response:
                    body = response.read(max_size + 1)
                    headers = {k.lower(): v for k, v in response.headers.items()}
                    page_url = page_url or response.geturl()
            except urllib.error.HTTPError as exc:  # the server answered: an error page is no article
                raise NotAnArticlePage(f"{source}: not an article: HTTP {exc.code} {exc.reason}") from None
        elif source == "-":  # `curl … | dbp-archive parse - --url …`
            if sys.stdin is None:  # (`<&-`: no standard input at all)
                raise Failure("-: cannot read: standard input is closed")
            if sys.stdin.isatty():  # `parse -` typed without a pipe would otherwise sit there silently
                _say("dbp-archive parse: reading the page from the terminal; end it with Ctrl-D "
                     "(or pipe it in: curl -s URL | dbp-archive parse - --url URL)")
            body = sys.stdin.buffer.read(max_size + 1)
            page_url = page_url or Path.cwd().as_uri() + "/"
        else:
            path = Path(source)
            if path.is_file() and path.stat().st_size > max_size:
                raise Failure(too_big)
            with open(path, "rb") as handle:
                body = handle.read(max_size + 1)
            page_url = page_url or path.resolve().as_uri()
    except (OSError, ValueError) as exc:
        raise Failure(f"{source}: cannot read: {getattr(exc, 'strerror', None) or getattr(exc, 'reason', None) or exc}") from None
    if len(body) > max_size:
        raise Failure(too_big)
    try:
        article = parse_article(body, page_url, headers)
    except NotAnArticle as exc:
        raise NotAnArticlePage(f"{source}: not an article: {exc}") from None
    sys.stdout.buffer.write(article.to_json(indent=2).encode("utf-8") + b"\n")
    if "://" not in source and unplaced:  # a saved page's `/tin-tuc/…` links would read as file:///tin-tuc/…
        sys.stdout.flush()
        _say(f"dbp-archive parse: note: {source} was read without --url, as {page_url}: its links and "
             f"images resolve against the file (`/…` to file:///…) and no id is read from its address; "
             f"pass --url with the page's address (its canonical_url, if it names one)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--seed", default=1, show_default=True)
@click.option("--articles", default=200, show_default=True, type=click.IntRange(1, 200_000))
@click.option("--epoch", default=0, show_default=True, type=click.IntRange(min=0), help="The replica's clock at start.")
@click.option("--obfuscate", is_flag=True, help="Rename classes/ids and swap block wrappers on every page.")
@click.option("--url-file", type=click.Path(dir_okay=False),
              help="Write the base URL here once serving (replacing an earlier URL file; any other file only "
                   "with --force).")
@click.option("--force", is_flag=True, help="Let --url-file replace a file that is no earlier URL file.")
@click.option("--today", is_flag=True,
              help="The site as it is today: category API on a second port, old domains on 127.0.0.2/.3.")
@click.option("--layouts", type=click.Choice(["generations", "random"]), default="generations", show_default=True,
              help="`random`: every article in a page layout of its own, drawn by the layout generator "
                   "(positions, elements, chrome, text forms, encodings), the same on every fetch.")
@click.option("--faults", "fault_modes", metavar="MODE,…",
              help="Misbehave: 5xx, reset, stall, truncate, charset, loop, offsite, huge, empty, garbage, trap, "
                   "redesign, robots, or all (crawler/replica/README.md).")
@click.option("--fault-seed", default=1, show_default=True, help="Which pages the faults pick.")
@click.option("--fault-share", default=0.2, show_default=True, type=click.FloatRange(0, 1),
              help="The share of article pages the page faults pick.")
@click.option("--prerender", is_flag=True,
              help="Render every article page before serving and keep each epoch's pages in memory "
                   "(for benchmarks: serving then costs the server next to nothing).")
def replica(host, port, seed, articles, epoch, obfuscate, url_file, force, today, layouts, fault_modes, fault_seed,
            fault_share, prerender) -> None:
    """Serve the replica of the site on loopback until interrupted."""
    from crawler.replica.faults import parse_modes
    from crawler.replica.server import run_forever

    if url_file is not None:  # "" too: an empty path is refused, not taken for no file
        from exports.output import OutputRefused, Redrawn, check_target

        try:  # rewritten on every start (a script reads it), over nothing else unless told
            target = check_target(url_file, None, force=force, redraws=Redrawn("an earlier URL file", b"http"))
        except OutputRefused as exc:
            raise Failure(f"--url-file {exc}") from None
        if target.exists() and not target.is_file():  # it is renamed into place: that would replace a device
            raise Failure(f"--url-file {url_file}: is not a regular file (a device or a pipe); refusing to replace it")
    try:
        modes = parse_modes(fault_modes) if fault_modes is not None else None
    except ValueError as exc:
        raise click.BadParameter(f"{fault_modes!r}: {exc}", param_hint="'--faults'") from None
    try:
        run_forever(host=host, port=port, seed=seed, articles=articles, epoch=epoch,
                    obfuscate=obfuscate, url_file=url_file, today=today, layouts=layouts,
                    faults=modes, fault_seed=fault_seed, fault_share=fault_share, prerender=prerender)
    except OSError as exc:
        if url_file and exc.filename and (os.fspath(exc.filename) == url_file
                                          or os.fspath(exc.filename).startswith(f"{url_file}.tmp")):  # its temporary
            raise Failure(f"--url-file {url_file}: cannot write: {exc.strerror or exc}") from None
        raise Failure(f"{host}:{port}: cannot serve there: {exc.strerror or exc}") from None


def _check_since(ctx, param, value):
    from crawler.commands import check_date

    return check_date(ctx, param, value)


def _check_site_domains(ctx, param, values):
    """Hosts, however a user writes them: `127.0.0.2`, `127.0.0.2:8000`, `http://127.0.0.2:8000/`."""
    import re
    from urllib.parse import urlsplit

    hosts = []
    for value in values:
        host = (urlsplit(value if "://" in value else f"//{value}").hostname or "").rstrip(".")
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*", host):
            raise click.BadParameter(f"{value!r} is not a host name")
        hosts.append(host)
    return tuple(hosts)


@cli.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB",
              help="The SQLite archive (created if missing; its directory must exist).")
@click.option("--start-url", callback=_check_http_url,
              help="Crawl this host instead of the real site (the replica, a mirror).")
@click.option("--api-url", callback=_check_http_url,
              help="The category API's origin (else the one category pages name, else the real one).")
@click.option("--site-domain", "site_domains", multiple=True, metavar="HOST", callback=_check_site_domains,
              help="Another host of the same site (repeatable; default: the three real domains).")
@click.option("--recheck-all", is_flag=True, help="Re-fetch every known article, due or not.")
@click.option("--max-articles", type=click.IntRange(min=1), help="Fetch at most this many article pages.")
@click.option("--since", callback=_check_since,
              help="Keep only articles published on or after this date (YYYY-MM-DD or DD/MM/YYYY).")
@click.option("--no-politeness", is_flag=True, help="No delay, no AutoThrottle: only for your own mirror.")
@click.option("--parse-workers", type=click.IntRange(0, 64),
              help="Parse pages in this many processes (a mirror without politeness: CPU-bound); default 0, or $DBP_PARSE_WORKERS.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@click.option("-v", "--verbose", count=True, help="-v for progress lines, -vv for Scrapy's debug log.")
def crawl(db_path, start_url, api_url, site_domains, recheck_all, max_articles, since, no_politeness,
          parse_workers, overrides, verbose) -> None:
    """Crawl the site into the archive. Prints one summary line; exit 0 ok, 1 most fetches failed,
    2 the crawl could not run, 75 another crawl holds the archive, 130 interrupted."""
    from crawler.options import BadSetting, environment_settings, typed_override

    try:
        environment_settings(os.environ)  # before the settings module reads them
        from crawler.runner import project_settings

        defaults = project_settings()
        settings = dict(typed_override(item, defaults) for item in overrides)
    except BadSetting as exc:
        raise click.UsageError(str(exc)) from None
    if api_url:
        settings["DBP_API_URL"] = api_url
    if site_domains:
        settings["DBP_SITE_DOMAINS"] = list(site_domains)
    if parse_workers is not None:
        settings["DBP_PARSE_WORKERS"] = parse_workers
    from crawler.runner import NO_POLITENESS, ArchiveUnusable, CrawlLocked, run_crawl

    if no_politeness:
        settings.update(NO_POLITENESS)

    try:
        summary = run_crawl(db_path, start_url=start_url, recheck_all=recheck_all,
                            max_articles=max_articles, since=since, verbosity=verbose, overrides=settings)
    except CrawlLocked as exc:
        click.echo(f"dbp-archive crawl: {exc}; exiting", err=True)
        sys.exit(exits.LOCKED)
    except ArchiveUnusable as exc:
        raise Failure(str(exc)) from None
    click.echo(summary.line())
    problem = summary.problem()
    if problem:
        click.echo(f"dbp-archive crawl: {problem}", err=True)
    sys.exit(summary.exit_status)


@cli.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
def upgrade(db_path) -> None:
    """Bring an archive written by an older release to this release's schema, in place (one
    transaction: all of it or none), and rebuild its search index when it is missing or stale (what
    `search` and `export --search` refuse). Crawls do both on their own; this is for readers who come
    first."""
    from archive.db import Archive, schema_version_of
    from archive.records import ArchiveError
    from archive.schema import MIGRATIONS
    from crawler.runner import (ArchiveUnusable, CrawlLocked, archive_problem, check_writable, crawl_lock,
                                storage_problem)

    from crawler.commands import archive_to_update

    real = archive_to_update(db_path)
    try:
        check_writable(db_path, real, "upgrade")
    except ArchiveUnusable as exc:
        if real.is_file() and _current_and_whole(real):  # nothing to write: read-only is no obstacle
            click.echo(f"{db_path}: already at schema {len(MIGRATIONS)}")
            return
        raise Failure(f"{db_path}: cannot upgrade: {archive_problem(exc, db_path, real)}") from None
    try:
        with crawl_lock(real):  # never under a running crawl
            before = schema_version_of(real)
            archive = Archive(real, verify=True)
            archive.close()
    except CrawlLocked as exc:
        click.echo(f"dbp-archive upgrade: {exc}; exiting", err=True)
        sys.exit(exits.LOCKED)
    except (ArchiveUnusable, ArchiveError) as exc:
        raise Failure(f"{db_path}: cannot upgrade: {archive_problem(exc, db_path, real)}") from None
    except (sqlite3.Error, OSError) as exc:  # a full disk: the migration is one transaction, rolled back
        raise Failure(f"{db_path}: cannot upgrade: {storage_problem(exc)}") from None
    if before != len(MIGRATIONS):  # an older schema's upgrade builds the search index as one of its steps
        click.echo(f"{db_path}: upgraded from schema {before} to {len(MIGRATIONS)}")
    else:
        click.echo(f"{db_path}: already at schema {before}" + ("; search index rebuilt" if archive.search_rebuilt else ""))


def _current_and_whole(real) -> bool:
    """Whether the archive is at this release's schema with a whole search index: what `upgrade`
    would leave it as, read without writing (a read-only archive that needs nothing is fine)."""
    from archive.db import Archive
    from archive.records import ArchiveError
    from archive.stats import search_index

    try:  # a read-only open refuses an archive at an older schema (ArchiveNeedsUpgrade)
        with Archive(real, readonly=True) as archive:
            return search_index(archive)["ok"]
    except (ArchiveError, sqlite3.Error, OSError):
        return False


from crawler.commands.export import export  # noqa: E402
cli.add_command(export)
from crawler.commands.search import search  # noqa: E402
cli.add_command(search)
from crawler.commands.reparse import reparse  # noqa: E402
cli.add_command(reparse)

from crawler.commands.history import diff, history, show; cli.add_command(history); cli.add_command(diff); cli.add_command(show)  # noqa: E402, E702
from crawler.commands.stats import stats; cli.add_command(stats)  # noqa: E402, E702
from crawler.commands.serve import serve; cli.add_command(serve)  # noqa: E402, E702

if __name__ == "__main__":
    main()
