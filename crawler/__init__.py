"""dbp-archive: crawler, parser and replica site."""

__version__ = "0.1.0"
