"""An article's history, for archivists: which article a URL or identity means, its versions with
what changed from each to the next, its view counts over time, one version's stored fields and the
raw response they were parsed from.

Read-only: every function takes an open `archive.db.Archive` and only reads (the CLI opens the file
with `readonly=True`).

**Which article.** Whatever a user pastes: a URL on any of the site's hosts (or the replica's
loopback address), an old URL that is now an alias, a bare path, or the identity itself (`'212838'`,
`/tin-bai/xa-hoi/…`). It goes through the identity rule (`crawler.urls.identity_of`), then the
archive's aliases (`archive.identities.resolve`), then the merges that folded an identity into
another; a URL of no known shape is looked up as an address the archive met.

**What changed.** Consecutive versions' stored fields are compared one by one (`COMPARED_FIELDS`).
URLs inside `images` and `related` are compared without scheme and host, as the fingerprint does: a
move between the site's domains is no change of content.
"""

from __future__ import annotations

import json
from typing import Any

from crawler import urls

from archive import identities
from archive.compression import decompress_markup
from archive.db import Archive
from archive.records import CONTENT_FIELDS

# The editorial fields of a version, in the order people read them.
COMPARED_FIELDS = CONTENT_FIELDS
JSON_FIELDS = ("authors", "photo_credits", "images", "related", "raw", "warnings")
# Columns of `versions` that `version_fields` returns besides the compared ones (never the compressed markup).
OTHER_COLUMNS = ("id", "identity", "number", "change", "parser_version", "fingerprint", "fingerprint_scheme",
                 "capture_id", "first_seen", "last_seen", "url", "canonical_url", "raw", "warnings")
MERGE_HOPS = 16  # merges chain (a into b, b into c); more than this many links is a loop, not history


class ArticleNotFound(LookupError):
    """No archived article answers to what was asked."""


class NoSuchVersion(LookupError):
    """The article has no version of that number."""


class NoCapture(LookupError):
    """The version has no stored response body."""


def find_article(archive: Archive, asked: str) -> str:
    """The archive identity `asked` (a URL, a path, an identity) stands for, or `ArticleNotFound`."""
    db = archive._db
    text = asked.strip()
    # A path may come without its leading slash (`tin-bai/xa-hoi/…`); an id has no slash at all.
    address = text if "://" in text or text.startswith("/") else f"/{text}" if "/" in text else None
    candidates = [urls.identity_of(address), text, urls.canonical_path(address) if address else None]
    for candidate in dict.fromkeys(c for c in candidates if c):
        found = _archived_identity(db, identities.resolve(db, candidate))
        if found is not None:
            return found
    # A URL of no known shape: an address the archive met (an article's, a version's, an alias's).
    row = db.execute(
        "SELECT identity FROM articles WHERE url = :u"
        " UNION ALL SELECT identity FROM aliases WHERE url = :u"
        " UNION ALL SELECT identity FROM versions WHERE url = :u OR (canonical_url = :u AND canonical_url <> url) LIMIT 1", {"u": text},
    ).fetchone() if text else None
    if row is not None:
        found = _archived_identity(db, row[0])
        if found is not None:
            return found
    raise ArticleNotFound(asked)


def _archived_identity(db, identity: str) -> str | None:
    """`identity` if it is an archived article, else what merges made of it, else None."""
    for _ in range(MERGE_HOPS):
        if db.execute("SELECT 1 FROM articles WHERE identity = ?", (identity,)).fetchone():
            return identity
        row = db.execute("SELECT into_identity FROM identity_merges WHERE from_identity = ?"
                         " ORDER BY id DESC LIMIT 1", (identity,)).fetchone()
        if row is None:
            return None
        identity = row[0]
    return None


def article_history(archive: Archive, identity: str) -> dict[str, Any]:
    """{"identity", "url", "state", "gone_at", "gone_reason", "aliases": [{"alias", "url", "first_seen"}],
    "versions": [{"number", "change", "parser_version", "first_seen", "last_seen", "changed_fields",
    "title", "url"}], "views": [{"at", "count"}]} — gone_at and gone_reason (`404`, `410`, `soft-404`,
    `redirect-home`, `redirect-listing`) null unless the article is gone; versions oldest first, each
    with the fields that differ from the one before (none for the first); views: every fetch that read
    a count, in time order. A version whose change is `first` but whose number is not 1 was first
    read at another address (its `url`) before that address was found to be this article's."""
    db = archive._db
    article = db.execute("SELECT identity, url, state, gone_at, gone_reason FROM articles WHERE identity = ?",
                         (identity,)).fetchone()
    if article is None:
        raise ArticleNotFound(identity)
    aliases = [dict(row) for row in db.execute(
        "SELECT alias, url, first_seen FROM aliases WHERE identity = ? ORDER BY first_seen, alias", (identity,))]
    rows = db.execute(
        f"SELECT number, change, parser_version, first_seen, last_seen, url, {', '.join(COMPARED_FIELDS)}"
        " FROM versions WHERE identity = ? ORDER BY number", (identity,)).fetchall()
    versions, before = [], None
    for row in rows:
        fields = _decoded(row)
        versions.append({
            "number": row["number"], "change": row["change"], "parser_version": row["parser_version"],
            "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            "changed_fields": changed_fields(before, fields) if before is not None else [],
            "title": row["title"], "url": row["url"],
        })
        before = fields
    views = [{"at": row[0], "count": row[1]} for row in db.execute(
        "SELECT fetched_at, view_count FROM observations WHERE identity = ? AND view_count IS NOT NULL"
        " ORDER BY fetched_at, id", (identity,))]
    gone = article["state"] == "gone"
    return {"identity": article["identity"], "url": article["url"], "state": article["state"],
            "gone_at": article["gone_at"] if gone else None, "gone_reason": article["gone_reason"] if gone else None,
            "aliases": aliases, "versions": versions, "views": views}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The compared fields whose values differ between two versions' decoded fields."""
    return [name for name in COMPARED_FIELDS if comparable(name, before.get(name)) != comparable(name, after.get(name))]


def comparable(name: str, value: Any) -> Any:
    """A field's value as compared: URLs in `images` and `related` without scheme and host."""
    if name == "images" and value:
        return [{**image, "src": urls.without_host(image.get("src") or "")} for image in value]
    if name == "related" and value:
        return [{**link, "url": urls.without_host(link.get("url") or "")} for link in value]
    return value


def version_numbers(archive: Archive, identity: str) -> list[int]:
    return [row[0] for row in archive._db.execute(
        "SELECT number FROM versions WHERE identity = ? ORDER BY number", (identity,))]


def current_version_number(archive: Archive, identity: str) -> int | None:
    row = archive._db.execute(
        "SELECT versions.number FROM articles JOIN versions ON versions.id = articles.current_version_id"
        " WHERE articles.identity = ?", (identity,)).fetchone()
    return row[0] if row else None


def version_fields(archive: Archive, identity: str, number: int) -> dict[str, Any]:
    """One version as stored, JSON columns decoded and the body markup decompressed (`body_html`)."""
    columns = dict.fromkeys((*OTHER_COLUMNS, *COMPARED_FIELDS, "body_html_zstd"))
    row = archive._db.execute(f"SELECT {', '.join(columns)} FROM versions WHERE identity = ? AND number = ?",
                              (identity, number)).fetchone()
    if row is None:
        raise NoSuchVersion(number)
    fields = _decoded(row)
    fields["body_html"] = decompress_markup(fields.pop("body_html_zstd"), row["body_text"])
    return fields


def version_capture(archive: Archive, identity: str, number: int) -> bytes:
    """The response body a version was parsed from, byte for byte as received."""
    row = archive._db.execute("SELECT capture_id FROM versions WHERE identity = ? AND number = ?",
                              (identity, number)).fetchone()
    if row is None:
        raise NoSuchVersion(number)
    if row[0] is None:
        raise NoCapture(number)
    return archive.capture_body(row[0])


def _decoded(row) -> dict[str, Any]:
    fields = dict(row)
    for name in JSON_FIELDS:
        if name in fields and fields[name] is not None:
            fields[name] = json.loads(fields[name])
    return fields
