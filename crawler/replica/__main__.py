"""`python -m crawler.replica`: `dbp-archive replica`, with the same options and errors."""

import sys

from crawler.cli import main

if __name__ == "__main__":
    main(["replica", *sys.argv[1:]])
