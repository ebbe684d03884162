"""`python -m crawler.replica`: the same options as `dbp-archive replica`."""

from __future__ import annotations

import argparse

from crawler.replica.server import run_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.replica",
                                     description="Serve the replica of the site on loopback until interrupted.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--epoch", type=int, default=0, help="the replica's clock at start")
    parser.add_argument("--obfuscate", action="store_true", help="rename classes/ids and swap wrappers on every page")
    parser.add_argument("--url-file", help="write the base URL here once serving")
    args = parser.parse_args(argv)
    run_forever(host=args.host, port=args.port, seed=args.seed, articles=args.articles, epoch=args.epoch,
                obfuscate=args.obfuscate, url_file=args.url_file)


if __name__ == "__main__":
    main()
