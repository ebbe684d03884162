"""Which articles (or versions) a reader asks for: the filters every command shares — `search`,
`export csv`, `export jsonl`, `export warc` — as one SQL condition, so a filter means the same thing
everywhere.

The condition is written over `v`, a row of `versions` (the current one, or every one), and `a`, its
row of `articles`:

- `since`/`until`: publication dates, both ends included (`YYYY-MM-DD`, site time);
- `category`: a category's name or slug, case and tone marks optional (`Văn hóa - Du lịch`,
  `van hoa du lich`, `van-hoa-du-lich`), whole: a part of one (`van hoa`) matches none, and the
  commands then name the closest the archive holds (`closest_categories`);
- `author`: one of the version's authors, or whole words of one (`Hà` for `Thanh Hà`), case and tone
  marks optional; several names, as a byline or the CSV's authors cell lists them (`Minh Thùy; Thanh
  Hà`, `Minh Thùy, Thanh Hà`), must each be one of its authors, in any order;
- `search`: a reader's query (`archive.search.parse_query`), through the full-text index;
- `state`: `live`, `gone` or `all`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from crawler.parsing.text import normalize, search_key

STATES = ("all", "live", "gone")
KEY_FUNCTION = "dbp_search_key"  # the fold, as an SQL function on connections that filter
SLUG_FUNCTION = "dbp_slug"
_NOT_WORD = re.compile(r"[\W_]+")


def slug(name: str | None) -> str:
    """A category's name as its URL slug: folded, words joined by `-` (`Văn hóa - Du lịch` →
    `van-hoa-du-lich`); a slug is its own slug."""
    return _NOT_WORD.sub("-", search_key(name)).strip("-")


CLOSEST_CATEGORIES = 5  # named when a --category matches none: enough to spot the one meant


def closest_categories(asked: str, held: Iterable[str | None]) -> list[str] | None:
    """None when `asked` is one of the `held` categories as `condition` reads it (its name or slug,
    folded); else those it could have meant, folded word by word: the categories it begins (`Văn
    hóa` → `Văn hóa - Du lịch`), then those it stands within, then those it holds whole (`Y tế dự
    phòng` → `Y tế`), each group by name, at most CLOSEST_CATEGORIES. `--category` itself never
    matches this loosely: a filter that widened by itself would change what a saved command exports
    the day an exact category appears."""
    wanted = slug(asked)
    ranked = []
    for name in held:  # read no further than a match: the archive reads its categories as they come
        have = slug(name) if name else None
        if have == wanted:
            return None
        if not wanted or not have:
            continue
        # (Begun as written without its spaces too: `Vanhoa` → `Văn hóa - Du lịch`.)
        rank = (0 if have.startswith(wanted) or have.replace("-", "").startswith(wanted.replace("-", ""))
                else 1 if f"-{wanted}" in f"-{have}" else 2 if f"-{have}-" in f"-{wanted}-" else None)
        if rank is not None:
            ranked.append((rank, name))
    return [name for _, name in sorted(set(ranked))[:CLOSEST_CATEGORIES]]


def _author_names(author: str) -> list[str]:
    """The names an `--author` asks for, split where the parser splits a byline into names (`A, B`,
    `A; B`, `A - B`, `A và B`), so no stored name holds a separator; a text of separators alone stays
    one name, which no author has."""
    from crawler.parsing.byline import NAME_SEPARATORS

    return [name for name in NAME_SEPARATORS.split(normalize(author)) if name.strip()] or [author]


@dataclass
class Selection:
    since: str | None = None
    until: str | None = None
    category: str | None = None
    author: str | None = None
    search: str | None = None
    state: str = "all"
    all_versions: bool = False  # every version, not only each article's current one


def condition(connection: sqlite3.Connection, selection: Selection) -> tuple[str, list]:
    """(SQL condition over `v` and `a`, its parameters). Registers the fold on `connection`."""
    connection.create_function(KEY_FUNCTION, 1, search_key, deterministic=True)
    connection.create_function(SLUG_FUNCTION, 1, slug, deterministic=True)
    where: list[str] = []
    params: list = []
    if not selection.all_versions:
        where.append("v.id = a.current_version_id")
    if selection.since:
        where.append("v.published_at >= ?")
        params.append(selection.since)
    if selection.until:
        where.append("substr(v.published_at, 1, 10) <= ?")
        params.append(selection.until)
    if selection.category:
        where.append(f"{SLUG_FUNCTION}(v.category) = ?")
        params.append(slug(selection.category))
    if selection.author:
        # Whole words of a name: `Hà` finds `Thanh Hà` and `Vũ Hà`, `lan` finds `Lan Phương`, not `Lang`.
        for name in _author_names(selection.author):
            where.append(f"EXISTS (SELECT 1 FROM json_each(v.authors)"
                         f" WHERE instr(' ' || {KEY_FUNCTION}(json_each.value) || ' ', ?) > 0)")
            params.append(f" {' '.join(search_key(name).split())} ")
    if selection.search:
        from archive.search import FTS_TABLE, match_expression, parse_query, require_index

        require_index(connection)
        where.append(f"v.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
        params.append(match_expression(parse_query(selection.search)))
    if selection.state not in STATES:
        raise ValueError(f"state {selection.state!r}: one of {', '.join(STATES)}")
    if selection.state != "all":
        where.append("a.state = ?")
        params.append(selection.state)
    return (" AND ".join(where) or "1"), params
