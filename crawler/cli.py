"""`dbp-archive`: one command, a subcommand per job. Each subcommand is a thin shell over a module."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Crawl Báo Điện Biên Phủ into a versioned SQLite archive, and export it."""


@main.command()
@click.argument("source")
@click.option("--url", "page_url", help="The page's URL, when SOURCE is a file (resolves links and the id).")
def parse(source: str, page_url: str | None) -> None:
    """Parse one article page (a FILE or a URL) and print it as JSON."""
    from crawler.parsing import parse_article
    from crawler.article import NotAnArticle

    headers: dict[str, str] = {}
    try:
        if source.startswith(("http://", "https://")):
            import urllib.request

            with urllib.request.urlopen(source, timeout=30) as response:
                body = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
                page_url = page_url or response.geturl()
        else:
            body = Path(source).read_bytes()
            page_url = page_url or Path(source).resolve().as_uri()
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{source}: cannot read: {exc}") from exc
    try:
        article = parse_article(body, page_url, headers)
    except NotAnArticle as exc:
        raise click.ClickException(f"{source}: not an article: {exc}") from exc
    sys.stdout.buffer.write(article.to_json(indent=2).encode("utf-8") + b"\n")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, help="0 picks a free port.")
@click.option("--seed", default=1, show_default=True)
@click.option("--articles", default=200, show_default=True)
@click.option("--epoch", default=0, show_default=True, help="The replica's clock at start.")
@click.option("--obfuscate", is_flag=True, help="Rename classes/ids and swap block wrappers on every page.")
@click.option("--url-file", type=click.Path(dir_okay=False), help="Write the base URL here once serving.")
def replica(host, port, seed, articles, epoch, obfuscate, url_file) -> None:
    """Serve the replica of the site on loopback until interrupted."""
    from crawler.replica.server import run_forever

    run_forever(host=host, port=port, seed=seed, articles=articles, epoch=epoch,
                obfuscate=obfuscate, url_file=url_file)


if __name__ == "__main__":
    main()
