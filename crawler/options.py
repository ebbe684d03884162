"""Typed, checked values for the crawl's settings: from `DBP_*` variables and from `-s NAME=VALUE`.

A cron job that sets `DBP_DOWNLOAD_DELAY=abc` must hear so in one line before anything is fetched,
not meet a traceback at import time or a crawl that silently runs with a default. Each variable has
one parser here; `crawler.settings` applies them, and the CLI checks them first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit


class BadSetting(ValueError):
    """A setting's value cannot be used; the message names it and says why."""


def boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("not a yes/no value (use 1 or 0)")


def _number(kind: type, minimum: float, inclusive: bool) -> Callable[[str], Any]:
    def parse(text: str):
        try:
            value = kind(text.strip())
        except ValueError:
            raise ValueError(f"not {'an integer' if kind is int else 'a number'}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        if value < minimum or (value == minimum and not inclusive):
            raise ValueError(f"must be {'at least' if inclusive else 'more than'} {minimum:g}")
        return value
    return parse


non_negative_float = _number(float, 0, inclusive=True)
positive_float = _number(float, 0, inclusive=False)
non_negative_int = _number(int, 0, inclusive=True)
positive_int = _number(int, 1, inclusive=True)


def log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("not a log level (DEBUG, INFO, WARNING, ERROR)")
    return level


def site_url(text: str) -> str:
    """An http(s) URL with a host: where a crawl may start."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError("its port is no number from 0 to 65535") from None
    return text.strip()


def text(value: str) -> str:
    return value


# Variable → (Scrapy setting it sets, parser of its text).
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "DBP_ARCHIVE_DB": ("DBP_ARCHIVE_DB", text),
    "DBP_CONTACT": ("DBP_CONTACT", text),
    "DBP_START_URL": ("DBP_START_URL", site_url),
    "DBP_API_URL": ("DBP_API_URL", site_url),
    "DBP_DOWNLOAD_DELAY": ("DOWNLOAD_DELAY", non_negative_float),
    "DBP_AUTOTHROTTLE": ("AUTOTHROTTLE_ENABLED", boolean),
    "DBP_OBEY_ROBOTS": ("ROBOTSTXT_OBEY", boolean),
    "DBP_RETRY_TIMES": ("RETRY_TIMES", non_negative_int),
    "DBP_RETRY_BACKOFF_BASE": ("DBP_RETRY_BACKOFF_BASE", non_negative_float),
    "DBP_DOWNLOAD_TIMEOUT": ("DOWNLOAD_TIMEOUT", positive_float),
    "DBP_DOWNLOAD_MAXSIZE": ("DOWNLOAD_MAXSIZE", positive_int),
    "DBP_LOG_LEVEL": ("LOG_LEVEL", log_level),
    "DBP_PROGRESS_INTERVAL": ("DBP_PROGRESS_INTERVAL", non_negative_float),
    "DBP_PARSE_WORKERS": ("DBP_PARSE_WORKERS", non_negative_int),
}
# The same checks for the settings themselves, whichever way they are given.
SETTING_PARSERS = {setting: parser for setting, parser in ENVIRONMENT.values()}


def environment_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings the `DBP_*` variables in `environ` ask for, typed; `BadSetting` names a bad one.
    A variable set to nothing (`DBP_DOWNLOAD_DELAY=` in a crontab or an EnvironmentFile) is unset, as
    click already reads `DBP_ARCHIVE_DB`: the setting keeps its default."""
    settings = {}
    for variable, (setting, parser) in ENVIRONMENT.items():
        if environ.get(variable):
            try:
                settings[setting] = parser(environ[variable])
            except ValueError as exc:
                raise BadSetting(f"{variable}={environ[variable]!r}: {exc}") from None
    return settings


def typed_override(assignment: str, defaults: Mapping[str, Any]) -> tuple[str, Any]:
    """`NAME=VALUE` from `-s`, as (NAME, value typed like the setting's default). Unknown names are
    refused: a typo would otherwise be a setting nobody reads."""
    name, equals, value = assignment.partition("=")
    name = name.strip()
    if not equals or not name:
        raise BadSetting(f"-s {assignment!r}: expected NAME=VALUE")
    if name not in defaults:
        raise BadSetting(f"-s {assignment!r}: no such setting {name}")
    default = defaults[name]
    try:
        if name in SETTING_PARSERS:
            return name, SETTING_PARSERS[name](value)
        if isinstance(default, bool):
            return name, boolean(value)
        if isinstance(default, int):
            return name, _number(int, float("-inf"), inclusive=True)(value)
        if isinstance(default, float):
            return name, _number(float, float("-inf"), inclusive=True)(value)
        if isinstance(default, (list, tuple, dict)):
            return name, _structured(value, dict if isinstance(default, dict) else list)
    except ValueError as exc:
        raise BadSetting(f"-s {assignment!r}: {exc}") from None
    return name, value


def _structured(value: str, kind: type) -> Any:
    if kind is list and not value.lstrip().startswith("["):
        return [item.strip() for item in value.split(",") if item.strip()]
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        raise ValueError(f"not a JSON {'object' if kind is dict else 'list'}") from None
    if not isinstance(parsed, kind):
        raise ValueError(f"not a JSON {'object' if kind is dict else 'list'}")
    return parsed

