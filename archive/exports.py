"""The rows the exports write (`export csv`, `export jsonl`), in four shapes, each one streaming
cursor over the archive, filtered by `archive.selection` (the filters `search` shares):

- `articles`: one row per article, every state, with its current version (the `article_current`
  view's columns);
- `versions`: one row per version of the selected articles (the filters read each version);
- `related`: one row per `Tin khác` link of the selected articles' current versions (as `link_graph`
  reads them: the target's current title when it is archived, else the link's text);
- `views`: the view counts read by every fetch of the selected articles, in fetch order.

`full=True` (JSON Lines) reads every field of the version instead of the spreadsheet's few, with the
article's identity, state and alias URLs. Rows come out as the database stores them (JSON as text,
times as ISO text); the writers turn them into cells or JSON values. Newest site id first, id-less
articles last.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from archive.compression import decompress_markup
from archive.selection import Selection, condition

SHAPES = ("articles", "versions", "related", "views")


# Every stored field of a version (`body_html_zstd` is decoded into `body_html`; `search_text` is an
# index's helper, not content).
_VERSION_FIELDS = ("id AS version_id", "number AS version", "change", "fingerprint", "fingerprint_scheme",
                   "parser_version", "capture_id", "first_seen", "last_seen", "url", "canonical_url", "title",
                   "category", "sapo", "published_at", "updated_at", "authors", "author_role", "source",
                   "photo_credits", "images", "related", "raw", "warnings", "body_text", "body_html_zstd")
_ARTICLE_FIELDS = ("a.identity", "a.site_id", "a.state", "a.gone_status", "a.gone_reason", "a.gone_at",
                   "(SELECT json_group_array(url) FROM (SELECT url FROM aliases AS al"
                   "  WHERE al.identity = a.identity ORDER BY al.first_seen, al.alias)) AS aliases")
# The count a fetch of this version read last: what the article showed while the version was current.
_VERSION_VIEWS = ("(SELECT o.view_count FROM observations AS o WHERE o.identity = v.identity AND o.version_id = v.id"
                  " AND o.view_count IS NOT NULL ORDER BY o.fetched_at DESC, o.id DESC LIMIT 1)")


@dataclass(frozen=True)
class _Query:
    select: str
    tables: str  # FROM … (joins), with `v` and `a` for the selection's condition
    key: str  # what tells one row from every other (`Prepared.lines` hands it out, `rows(keys=…)` reads it)
    order: str  # in the names the select gives its columns (and `row_key`, the key's): a total order
    extra: str = ""  # a condition of the shape's own, ANDed with the selection's
    filtered: bool = True  # the selection's condition applies (`tables` name `a` and `v`)


ROW_KEY = "row_key"
ARTICLE_ORDER = "site_id DESC, identity DESC"


def _query(shape: str, full: bool, everything: bool = False) -> _Query:
    version_fields = ", ".join(f"v.{field}" for field in _VERSION_FIELDS)
    if shape == "articles":
        if full:
            return _Query(f"{version_fields}, {', '.join(_ARTICLE_FIELDS)}, a.view_count, a.view_count_at,"
                          " ac.version_count",
                          "versions AS v JOIN articles AS a ON a.identity = v.identity"
                          " JOIN article_current AS ac ON ac.identity = a.identity",
                          "a.rowid", ARTICLE_ORDER)
        if everything:  # no condition over `a` and `v` to join them for: the view alone
            return _Query("ac.*", "article_current AS ac", "ac.identity", ARTICLE_ORDER, extra="ac.version_id IS NOT NULL",
                          filtered=False)
        return _Query("ac.*", "article_current AS ac JOIN articles AS a ON a.identity = ac.identity"
                              " JOIN versions AS v ON v.id = ac.version_id",
                      "a.rowid", ARTICLE_ORDER)
    if shape == "versions":
        if full:
            return _Query(f"{version_fields}, {', '.join(_ARTICLE_FIELDS)}, {_VERSION_VIEWS} AS view_count",
                          "versions AS v JOIN articles AS a ON a.identity = v.identity",
                          "v.id", f"{ARTICLE_ORDER}, version")
        return _Query("a.identity, a.site_id, a.state, a.gone_at, v.id AS version_id, v.number AS version, v.change,"
                      " v.parser_version, v.url, v.title, v.category, v.published_at, v.updated_at, v.authors,"
                      " v.author_role, v.source, v.sapo, v.body_text, v.first_seen, v.last_seen,"
                      f" {_VERSION_VIEWS} AS view_count",
                      "versions AS v JOIN articles AS a ON a.identity = v.identity",
                      "v.id", f"{ARTICLE_ORDER}, version")
    if shape == "related":
        return _Query("a.identity AS from_identity, a.site_id AS from_article_id, a.url AS from_url,"
                      " v.title AS from_title, l.position, l.to_identity, l.to_url,"
                      " coalesce(tv.title, l.title) AS to_title, l.title AS link_title,"
                      " tv.id IS NOT NULL AS to_archived",
                      "links AS l JOIN versions AS v ON v.id = l.version_id JOIN articles AS a ON a.identity = v.identity"
                      " LEFT JOIN articles AS ta ON ta.identity = l.to_identity"
                      " LEFT JOIN versions AS tv ON tv.id = ta.current_version_id",
                      "l.id", "from_article_id DESC, from_identity DESC, position")
    if shape == "views":
        return _Query("a.identity, a.site_id, a.url, v.title, o.fetched_at AS at, o.view_count AS count",
                      "articles AS a JOIN versions AS v ON v.id = a.current_version_id"
                      " JOIN observations AS o ON o.identity = a.identity",
                      "o.id", f"{ARTICLE_ORDER}, at, {ROW_KEY}",
                      extra="o.view_count IS NOT NULL")
    raise ValueError(f"shape {shape!r}: one of {', '.join(SHAPES)}")


def selection_for(shape: str, selection: Selection) -> Selection:
    """The selection a shape reads: `versions` reads every version; the others each article's
    current one (the links and view counts are then those of the articles it selects)."""
    return replace(selection, all_versions=shape == "versions")


class Prepared:
    """One export's statement, checked (a bad query raises `BadQuery` here, before any output is
    opened) and ready to count or stream. `fields`, when given, names the only columns the rows need:
    SQLite then never reads the others (a body, a count made per article) nor hands them over."""

    def __init__(self, archive, shape: str, selection: Selection, *, full: bool = False,
                 fields: Iterable[str] | None = None) -> None:
        db: sqlite3.Connection = archive._db
        selection = selection_for(shape, selection)
        everything = selection == selection_for(shape, Selection())
        query = _query(shape, full, everything)
        where, self._params = condition(db, selection) if query.filtered else ("1", [])
        if query.extra:
            where = f"{where} AND {query.extra}"
        self._db = db
        self._query = query
        self._from_where = f"FROM {query.tables} WHERE {where}"
        self._wanted = "*" if fields is None else ", ".join(_name(name) for name in dict.fromkeys(fields))
        self._full = full

    def _statement(self, outer: str, extra: str = "") -> str:
        # The ORDER BY is the outer query's, over the inner one's column names: SQLite then flattens
        # the two and computes only what `outer` reads, even when `outer` calls functions (an inner
        # ORDER BY would make the inner query a co-routine that computes every column it selects).
        return (f"SELECT {outer} FROM (SELECT {self._query.select}, {self._query.key} AS {ROW_KEY} "
                f"{self._from_where}{extra}) ORDER BY {self._query.order}")

    def count(self) -> int:
        """How many rows `rows()` will give (for a progress bar)."""
        return self._db.execute(f"SELECT count(*) {self._from_where}", self._params).fetchone()[0]

    def register(self, name: str, function) -> None:
        """A one-argument SQL function that `lines` expressions may call."""
        self._db.create_function(name, 1, function, deterministic=True)

    def lines(self, expression: str) -> sqlite3.Cursor:
        """A cursor over (row key, `expression`) for every row, in the export's order; `expression` is
        SQL over the rows' field names, so that SQLite makes what the writer writes."""
        cursor = self._db.cursor()
        cursor.row_factory = None
        return cursor.execute(self._statement(f"{ROW_KEY}, {expression}"), self._params)

    def rows(self, keys: list | None = None) -> Iterator[dict]:
        """The rows, one at a time from the cursor: memory stays flat however big the archive. `keys`
        (row keys from `lines`) reads just those rows, in the same order."""
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples, made into dicts here in one step each
        if keys is None:
            cursor.execute(self._statement(self._wanted), self._params)
        else:
            wanted = f"{ROW_KEY}, {self._wanted}" if self._wanted != "*" else "*"
            cursor.execute(self._statement(wanted, f" AND {self._query.key} IN ({', '.join('?' * len(keys))})"),
                           [*self._params, *keys])
        names = [column[0] for column in cursor.description]
        decode = "body_html_zstd" in names
        keyless = keys is None and ROW_KEY in names
        for values in cursor:
            row = dict(zip(names, values))
            if keyless:
                del row[ROW_KEY]
            if decode:
                blob = row.pop("body_html_zstd")
                row["body_html"] = decompress_markup(blob, row["body_text"] or "") if blob is not None else None
            yield row


def _name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rows(archive, shape: str, selection: Selection | None = None, *, full: bool = False) -> Iterator[dict]:
    """The rows of one shape for a selection (everything by default)."""
    return Prepared(archive, shape, selection or Selection(), full=full).rows()
