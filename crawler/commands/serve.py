"""`dbp-archive serve`: the archive in a browser, through Datasette, read-only.

The file is opened immutable: Datasette takes no lock and never waits for one, so a crawl writing to
the same file is never blocked. The price is that the pages show the file as it was when served (an
immutable reader ignores the crawl's write-ahead log): restart `serve` after a crawl to see its work.
"""

from __future__ import annotations

import socket
from pathlib import Path

import click

from crawler.commands import archive_for_reading


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port (port 0: a free one), or a one-line Failure: binding
    it here, before Datasette starts, turns a port in use into a sentence rather than a server log."""
    from crawler.cli import Failure

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        server = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise Failure(f"{host}: cannot serve there: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a server just stopped frees its port at once
        server.bind(address)
        server.listen(128)
    except OSError as exc:
        server.close()
        raise Failure(f"{host}:{port}: cannot serve there: {exc.strerror or exc}") from None
    return server


def _has_log(path: Path) -> bool:
    """A write-ahead log with content beside the file: a writer is at work (or was killed)."""
    log = path.with_name(path.name + "-wal")
    return log.is_file() and log.stat().st_size > 0


@click.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, envvar="DBP_ARCHIVE_DB")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; 0.0.0.0 shows the archive to the whole network.")
def serve(db_path: str, port: int, host: str) -> None:
    """Browse and search the archive in Datasette, read-only, until interrupted (Ctrl-C)."""
    from archive.datasette import metadata

    from archive.stats import search_index

    with archive_for_reading(db_path) as archive:  # refuses, in one line, what is no archive of this release
        index = search_index(archive)  # served all the same (read-only: nothing to mend), but said
    path = Path(db_path).resolve()
    server = listening_socket(host, port)

    import uvicorn
    from datasette.app import Datasette

    database = path.stem  # the name Datasette gives the file, and so its URL
    datasette = Datasette(immutables=[str(path)], metadata=metadata(database),
                          settings={"sql_time_limit_ms": 5000})
    bound_host, bound_port = server.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"Serving {db_path} read-only at http://{shown_host}:{bound_port}/{database} (Ctrl-C stops)",
               err=True)
    if not index["ok"]:
        click.echo(f"dbp-archive serve: warning: {index['problem']}; until then its searches miss articles",
                   err=True)
    if _has_log(path):
        click.echo(f"dbp-archive serve: {db_path} is being written (a crawl?): its pages show the file as of "
                   f"its last checkpoint; serve again after the crawl for the rest", err=True)
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    # uvicorn stops on Ctrl-C and then raises it again: the CLI reports it as an interruption (130).
    uvicorn.Server(config).run(sockets=[server])
