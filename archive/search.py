"""Full-text search over the archive: the index, and the queries that read it.

The index is SQLite FTS5, set up the way sqlite-utils sets one up (`Table.enable_fts`): a table
`versions_fts` whose content is `versions`, named after it, so `sqlite-utils search archive.db
versions …` and Datasette's search box on `versions` find it with no configuration. Every version is
indexed; a search reads the current versions (an article's `current_version_id`) unless asked for
all of them.

Readers type Vietnamese without tone marks and `d` for `đ`. The tokenizer folds tone marks
(`remove_diacritics 2`: `Mường` is indexed as `muong`) but never `đ`, and a second copy of every
text folded would double the index. So the index reads one more column, `search_text`: only the
version's words that hold a `đ`, spelled with `d` (a few percent of its words), which is what lets
Datasette's and sqlite-utils' plain searches find `Đảng bộ` for `dang bo`. `dbp-archive search`
goes further: each typed `d` is asked as `d` or `đ`, so phrases typed without either mark match too.
Folding makes `đường`, `dương` and `đương` meet, so results holding the query exactly as typed come
first.

Ranking reads no more of the index than it must. A word common to most articles (`tỉnh`, `Đảng`)
has a match list as long as the archive: bm25 ranks every match before its LIMIT, so its cost grows
with the archive (`bench/search_speed.py` measures it beside the search). So
`dbp-archive search` ranks what an index can hand out in order and stop early: matches in the title
first, from a second, small index of titles only (`versions_title_fts`), then matches elsewhere, the
most recently archived first within each; the exact spellings among those candidates come first. A
query's cost is then bounded by the few rows it returns, except for a rare phrase of common words,
which must still read those words' match lists once (`bench/search_speed.py`).

The indexes follow `versions` through triggers (`versions_ai`, `versions_ad`, `versions_au`, the names
sqlite-utils gives them, and `versions_title_ai`, `_ad`, `_au`). They are checked each time the
archive is opened for writing: a migration that rebuilds `versions` drops its triggers, and a missing
one is put back and its index rebuilt, never left silently stale; so is an index holding fewer or more
rows than `versions` (rows deleted from it, an index restored from an older copy), found by counting
rows, not by reading the index (`_HELD_ROWS`). `dbp-archive stats --check` reports either. A search
cannot afford the count; it reads single rows (`_disagreement`), and refuses an index they show stale.
The
title index names its content table in single quotes, so sqlite-utils and Datasette, which look for
`content="versions"`, keep finding `versions_fts` as the table's index.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.selection import Selection, condition
from crawler.parsing.text import normalize, search_key

TABLE = "versions"
FTS_TABLE = "versions_fts"
TEXT_COLUMNS = ("title", "sapo", "body_text", "authors", "category")
FOLDED_COLUMN = "search_text"  # their words that hold `đ`, spelled with `d` (`dyet_words`)
COLUMNS = (*TEXT_COLUMNS, FOLDED_COLUMN)
TOKENIZE = "unicode61 remove_diacritics 2"
TITLE_FTS_TABLE = "versions_title_fts"
# bm25 weights, in COLUMNS order, for the SQL that ranks with bm25 (Datasette's canned search): a match
# in the title counts most, one through `đ` → `d` least.
WEIGHTS = (10.0, 4.0, 2.0, 5.0, 3.0, 1.0)
RERANKED = 5  # candidates read per result asked for, to put exact spellings first
# sqlite-utils' trigger bodies, but the update trigger fires only when indexed text changes: every
# fetch of an unchanged article updates `last_seen`, and re-indexing its body each time would cost
# more than the rest of recording it.
_TRIGGERS = {
    f"{TABLE}_ai": f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN\n"
                   f"  INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (new.rowid, "
                   f"{', '.join('new.' + c for c in COLUMNS)});\nEND",
    f"{TABLE}_ad": f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN\n"
                   f"  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.rowid, "
                   f"{', '.join('old.' + c for c in COLUMNS)});\nEND",
    f"{TABLE}_au": f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF {', '.join(TEXT_COLUMNS)} ON {TABLE} BEGIN\n"
                   f"  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.rowid, "
                   f"{', '.join('old.' + c for c in COLUMNS)});\n"
                   f"  INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (new.rowid, "
                   f"{', '.join('new.' + c for c in COLUMNS)});\nEND",
}
# Titles never change (the archive's triggers refuse it); the update and delete triggers are there for
# what a migration rebuilding `versions` might do.
_TITLE_TRIGGERS = {
    f"{TABLE}_title_ai": f"CREATE TRIGGER {TABLE}_title_ai AFTER INSERT ON {TABLE} BEGIN\n"
                         f"  INSERT INTO {TITLE_FTS_TABLE} (rowid, title) VALUES (new.rowid, new.title);\nEND",
    f"{TABLE}_title_ad": f"CREATE TRIGGER {TABLE}_title_ad AFTER DELETE ON {TABLE} BEGIN\n"
                         f"  INSERT INTO {TITLE_FTS_TABLE} ({TITLE_FTS_TABLE}, rowid, title) VALUES ('delete', old.rowid, "
                         f"old.title);\nEND",
    f"{TABLE}_title_au": f"CREATE TRIGGER {TABLE}_title_au AFTER UPDATE OF title ON {TABLE} BEGIN\n"
                        f"  INSERT INTO {TITLE_FTS_TABLE} ({TITLE_FTS_TABLE}, rowid, title) VALUES ('delete', old.rowid, "
                        f"old.title);\n"
                        f"  INSERT INTO {TITLE_FTS_TABLE} (rowid, title) VALUES (new.rowid, new.title);\nEND",
}
# The index as sqlite-utils' `Table.enable_fts` creates it (so its conventions find it), made here:
# enable_fts commits between creating the table and filling it, and a kill there left an empty index.
_QUOTED_COLUMNS = ", ".join(f'"{column}"' for column in COLUMNS)
_INDEX = (f'CREATE VIRTUAL TABLE "{FTS_TABLE}" USING FTS5 (\n    {_QUOTED_COLUMNS},\n'
          f"    tokenize='{TOKENIZE}',\n" + f'    content="{TABLE}"\n)')
# content='…' in single quotes: sqlite-utils and Datasette take an FTS table declaring content="versions"
# for the table's own index, and that must stay `versions_fts`.
_TITLE_INDEX = (f"CREATE VIRTUAL TABLE {TITLE_FTS_TABLE} USING fts5(title, content='{TABLE}', content_rowid='id',"
                f" columnsize=0, tokenize='{TOKENIZE}')")  # no bm25 here: no sizes kept
SNIPPET_CHARS = 160
MARK_OPEN, MARK_CLOSE = "**", "**"


class BadQuery(ValueError):
    """A query that cannot be searched for: an unbalanced quote, nothing but punctuation."""


_DYET_WORD = re.compile(r"\w*[đĐ]\w*")
VARIANTS_MAX = 16  # spellings asked for one typed term; past it, the term is asked as typed
MAX_TERMS = 200  # words and phrases in one query: a pasted paragraph fits, a pasted book does not


_folded = functools.lru_cache(maxsize=1 << 16)(search_key)  # a site's vocabulary: a few thousand words


def dyet_words(*texts: str | None) -> str:
    """A version's `search_text`: each distinct word of `texts` that holds a `đ`, folded (`Đảng` →
    `dang`), in order of first use."""
    # The pattern runs only over the few tokens with a `đ` in them (over a whole body it tries every
    # position), and each distinct word is folded once: a body repeats its words many times.
    written = dict.fromkeys(word for text in texts if text for token in text.split() if "đ" in token or "Đ" in token
                            for word in _DYET_WORD.findall(token))
    words = dict.fromkeys(_folded(word) for word in written)
    return " ".join(words)


def ensure_index(connection: sqlite3.Connection) -> bool:
    """Make both indexes and their triggers exist, each holding a row per version, in one transaction
    (so a kill leaves each whole, or not begun), outside any other. Returns True when it had to build
    or rebuild anything."""
    if (_present(connection) == set(_INDEX_NAMES) and not _short_indexes(connection, _INDEXES)
            and not _disagreement(connection)):
        return False
    connection.execute("BEGIN IMMEDIATE")
    try:
        present = _present(connection)  # again, now that no other writer can be making them
        whole = [index for index in _INDEXES if {index, *_SHADOW_TABLES[index]} <= present]
        stale = set(_short_indexes(connection, whole))
        if FTS_TABLE in whole and TITLE_FTS_TABLE in whole and not stale and _disagreement(connection):
            stale.add(FTS_TABLE)  # counts that agree, the newest version missing: another row in its place
        for index, create, triggers in ((FTS_TABLE, _INDEX, _TRIGGERS), (TITLE_FTS_TABLE, _TITLE_INDEX, _TITLE_TRIGGERS)):
            if index not in whole:
                # One that lost a table of its own cannot be rebuilt, only made again (DROP still works).
                connection.execute(f"DROP TABLE IF EXISTS {index}")
                connection.execute(create)
            missing = [name for name in triggers if name not in present]
            for name in missing:
                connection.execute(triggers[name])
            if index not in whole or missing or index in stale:
                # A new index is filled from `versions`; one that missed a trigger's writes, or lost
                # rows, is refilled whole.
                connection.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return True


_INDEXES = (FTS_TABLE, TITLE_FTS_TABLE)
# The tables FTS5 keeps each index in (an external-content index has no `_content`; columnsize=0, no `_docsize`).
_SHADOW_TABLES = {FTS_TABLE: tuple(f"{FTS_TABLE}_{name}" for name in ("data", "idx", "docsize", "config")),
                  TITLE_FTS_TABLE: tuple(f"{TITLE_FTS_TABLE}_{name}" for name in ("data", "idx", "config"))}
_INDEX_NAMES = (*_INDEXES, *(table for tables in _SHADOW_TABLES.values() for table in tables), *_TRIGGERS,
                *_TITLE_TRIGGERS)
# What each index says it holds, to set against `versions`' count. The body index keeps a row of
# sizes per version (`_docsize`); the title index keeps none (columnsize=0), so for both, the row
# count FTS5 itself keeps: the first varint of its averages record (`_data` row 1, rewritten at
# each commit that changes the index; empty in an index never filled). A count over a btree and one
# row: cheap on a million versions, where FTS5's 'integrity-check' would read the whole index.
_HELD_ROWS = {
    FTS_TABLE: (f"SELECT count(*) FROM {FTS_TABLE}_docsize", f"SELECT block FROM {FTS_TABLE}_data WHERE id = 1"),
    TITLE_FTS_TABLE: (f"SELECT block FROM {TITLE_FTS_TABLE}_data WHERE id = 1",),
}


def _short_indexes(connection: sqlite3.Connection, indexes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """{index: (rows it holds, versions)} for those of `indexes` not holding a row per version: rows
    lost to a stray DELETE or an FTS5 'delete', an index restored from an older copy. One statement,
    so every count is of the same moment."""
    asked = [(index, sql) for index in indexes for sql in _HELD_ROWS[index]]
    if not asked:
        return {}
    versions, *held = connection.execute(
        f"SELECT (SELECT count(*) FROM {TABLE})" + "".join(f", ({sql})" for _, sql in asked)).fetchone()
    short: dict[str, tuple[int, int]] = {}
    for (index, _), value in zip(asked, held):
        rows = value if isinstance(value, int) else _averages_rows(value)
        if rows != versions:
            short.setdefault(index, (rows, versions))
    return short


# What a search checks before it answers, instead of counting (`_short_indexes` costs a read of
# every row of `versions`' btree: many times a search on a million articles): single rows only.
# Both indexes follow the same triggers, so the row counts FTS5 keeps for each agree, and the archive
# never deletes a version, so the newest version is the body index's newest row. A 'delete-all', an
# index restored from an older copy or a lost newest row breaks one or the other.
_LATEST_AND_HELD = ("SELECT (SELECT max(id) FROM versions), (SELECT max(id) FROM versions_fts_docsize),"
                    " (SELECT block FROM versions_fts_data WHERE id = 1),"
                    " (SELECT block FROM versions_title_fts_data WHERE id = 1)")


def _disagreement(connection: sqlite3.Connection) -> str | None:
    """Why the indexes (both present) cannot be whole, from a few single-row reads, or None."""
    latest, latest_indexed, body, titles = connection.execute(_LATEST_AND_HELD).fetchone()
    body_rows, title_rows = _averages_rows(body), _averages_rows(titles)
    if body_rows != title_rows:
        return f"{FTS_TABLE} holds {body_rows} rows, {TITLE_FTS_TABLE} {title_rows}"
    if latest != latest_indexed:
        return f"{FTS_TABLE}'s newest row is version {latest_indexed or 'none'}, the archive's newest {latest}"
    return None


def _averages_rows(record: bytes | None) -> int:
    """The row count at the head of an FTS5 averages record: an SQLite varint (big-endian 7-bit
    groups, the high bit set on all but the last; a ninth byte gives all 8 bits)."""
    value = 0
    for position, byte in enumerate(record or b""):
        if position == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return value


def _present(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute(
        f"SELECT name FROM sqlite_master WHERE name IN ({', '.join('?' * len(_INDEX_NAMES))})", _INDEX_NAMES)}


def has_index(connection: sqlite3.Connection) -> bool:
    return _present(connection) == set(_INDEX_NAMES)


def index_problem(connection: sqlite3.Connection) -> str | None:
    """What is wrong with the search index, naming the file and the command that rebuilds it, or None:
    an index or trigger missing, or an index not holding a row per version (`stats --check`)."""
    if not has_index(connection):
        return _needs_rebuild(connection, "is missing or stale")
    short = _short_indexes(connection, _INDEXES)
    if short:
        return _needs_rebuild(connection, "is stale (" + ", ".join(
            f"{index} holds {rows} rows for {versions} versions" for index, (rows, versions) in short.items()) + ")")
    return _search_problem(connection)


def _search_problem(connection: sqlite3.Connection) -> str | None:
    if not has_index(connection):
        return _needs_rebuild(connection, "is missing or stale")
    disagreement = _disagreement(connection)
    return _needs_rebuild(connection, f"is stale ({disagreement})") if disagreement else None


def require_index(connection: sqlite3.Connection) -> None:
    """`ArchiveNeedsUpgrade`, naming the file, unless the index and all its triggers are there and
    its single-row checks agree (`_disagreement`): a stale index never answers as if whole. (Full
    row counts are left to `index_problem` and the writable open: counting a million-article
    archive's versions costs many times a search.)"""
    problem = _search_problem(connection)
    if problem:
        from archive.records import ArchiveNeedsUpgrade

        raise ArchiveNeedsUpgrade(problem)


def _needs_rebuild(connection: sqlite3.Connection, what: str) -> str:
    path = connection.execute("PRAGMA database_list").fetchone()[2] or "the archive"
    return f"{path}: its search index {what}; `dbp-archive upgrade --db {path}` rebuilds it (the next crawl would too)"


# -- queries ---------------------------------------------------------------------------------------

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str  # normalised, as typed
    phrase: bool
    prefix: bool  # a word typed with a trailing `*`


def parse_query(query: str) -> list[Term]:
    """A reader's query: words and "quoted phrases". Nothing in it is FTS syntax: `AND`, `-`, `:`,
    `NEAR(` are words (punctuation is dropped as the index drops it); a word may end in `*` to
    match as a prefix. An unbalanced quote or a query of punctuation only is a `BadQuery`."""
    query = normalize(query)
    if query.count('"') % 2:
        raise BadQuery(f"{query!r}: unbalanced double quote (quote a phrase with two)")
    terms = []
    for phrase, word in _PHRASE_OR_WORD.findall(query):
        text = phrase if phrase else word
        prefix = not phrase and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if _words(text):
            terms.append(Term(" ".join(_words(text)), bool(phrase), prefix))
    if not terms:
        raise BadQuery(f"{query!r}: no word to search for")
    terms = list(dict.fromkeys(terms))  # a word asked twice is asked once: each costs a pass over every match
    if len(terms) > MAX_TERMS:
        raise BadQuery(f"{query[:60]!r}…: {len(terms)} different words and phrases; at most {MAX_TERMS}")
    return terms


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def match_expression(terms: list[Term]) -> str:
    """The FTS5 MATCH text: every term, in any column, each typed `d` asked as `d` or `đ`. Each
    spelling is an FTS5 string, so nothing the reader typed is read as an operator."""
    parts = []
    for term in terms:
        spellings = _spellings(term.text)
        star = " *" if term.prefix else ""
        parts.append("(" + " OR ".join(f'"{spelling}"{star}' for spelling in spellings) + ")")
    return " AND ".join(parts)


def _spellings(text: str) -> list[str]:
    """`dang bo` → `dang bo`, `đang bo`: every way of reading its `d`s (the tokenizer folds tones)."""
    spellings = [""]
    for ch in text:
        options = (ch, "đ") if ch in "dD" else (ch,)
        spellings = [done + option for done in spellings for option in options]
        if len(spellings) > VARIANTS_MAX:
            return [text]
    return spellings


def is_exact(text: str, terms: list[Term]) -> bool:
    """Whether `text` holds every term as typed, tone marks and `đ` included (case aside)."""
    lowered = text.lower()
    # (A phrase's words may stand across a line break or a doubled space.)
    return all(term.text.lower() in lowered or " " in term.text and _spaced(term.text.lower()).search(lowered)
               for term in terms)


@functools.lru_cache(maxsize=256)
def _spaced(phrase: str) -> re.Pattern:
    return re.compile(r"\s+".join(map(re.escape, phrase.split(" "))))


@dataclass
class SearchFilters(Selection):
    """The shared filters (`archive.selection`), and how many results."""

    limit: int = 20


def search(connection: sqlite3.Connection, query: str, filters: SearchFilters) -> list[dict]:
    """Ranked matches: url, identity, title, published_at, category, authors, version, snippet, and
    title_marked (the title, its matching words marked).

    Candidates, a few times as many as asked for: the filtered matches in titles, newest first, then,
    when those are too few, the other filtered matches, newest first; each read in the index's own
    order, joined as they come and stopped at the count (no match list read whole, none sorted).
    Those holding the query as typed come first."""
    terms = parse_query(query)
    match = match_expression(terms)
    where, params = condition(connection, filters)
    wanted = filters.limit * RERANKED
    rows = _candidates(connection, TITLE_FTS_TABLE, match, where, params, wanted)
    if len(rows) < wanted:
        rows += _candidates(connection, FTS_TABLE, match, where, params, wanted - len(rows), [row[0] for row in rows])
    text_of = {row[0]: "\n".join(part or "" for part in (row[4], row[8], row[9], row[7], row[6])) for row in rows}
    rows.sort(key=lambda row: not is_exact(text_of[row[0]], terms))  # stable: in each group, titles first, newest first
    return [{
        "url": row[3], "identity": row[1], "version": row[2], "title": row[4], "published_at": row[5],
        "category": row[6], "authors": json.loads(row[7]),
        "snippet": snippet((" ".join(part for part in (row[8], row[9]) if part), row[4] or ""), terms),
        "title_marked": marked_whole(row[4] or "", terms),
    } for row in rows[:filters.limit]]


def marked_whole(text: str, terms: list[Term]) -> str:
    """All of `text` (a title) with the query's words marked as a snippet marks them, so a reader
    sees what matched there too when the snippet comes from the body."""
    line = " ".join(text.split())
    return _marked(line, (0, len(line)), _to_mark(_found(line, terms), terms))


def _candidates(connection: sqlite3.Connection, index: str, match: str, where: str, params: list,
                count: int, found: Iterable[int] = ()) -> list[tuple]:
    """The newest `count` versions matching in `index` that pass `where`, but those `found` already.
    CROSS JOIN keeps the index the outer loop, read backwards by rowid (its own order: no sort, and
    it stops at the LIMIT)."""
    return connection.execute(
        "SELECT v.id, v.identity, v.number, v.url, v.title, v.published_at, v.category, v.authors, v.sapo,"
        f" v.body_text FROM {index} CROSS JOIN versions AS v ON v.id = {index}.rowid"
        " CROSS JOIN articles AS a ON a.identity = v.identity"
        f" WHERE {index} MATCH ? AND {index}.rowid NOT IN (SELECT value FROM json_each(?)) AND {where}"
        f" ORDER BY {index}.rowid DESC LIMIT ?",
        [match, json.dumps(list(found)), *params, count]).fetchall()


def snippet(texts: Sequence[str], terms: list[Term], width: int = SNIPPET_CHARS) -> str:
    """The window of `texts` (a result's sapo and body, then its title) a reader would pick to see
    why it matched (`_rank`), each matching word in it marked `**…**`. Words are found as the
    index finds them, tone marks and `đ` aside (so `dang bo` marks `Đảng bộ`); a term typed with its
    marks marks its own spelling where the window holds it (`đảng bộ` marks `Đảng bộ`, not `đang`).
    When none holds a match (it was in the authors or the category), the opening of the first."""
    lines = [" ".join(text.split()) for text in texts]  # one line each, as a snippet is shown
    best: tuple | None = None
    for place, text in enumerate(lines):
        found = _found(text, terms)
        starts = [match.start for match in found]
        for anchor in found:
            window = _window(text, anchor.start, width)
            shown = list(itertools.takewhile(lambda match: match.start < window[1],
                                             found[bisect.bisect_left(starts, window[0]):]))
            shown = [match for match in shown if match.end <= window[1]]
            rank = _rank(shown, anchor, text, terms, place)
            if best is None or rank > best[0]:
                best = (rank, text, window, shown)
    if best is None:
        return lines[0][:width] if lines else ""
    _, text, window, shown = best
    return _marked(text, window, _to_mark(shown, terms))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    term: int  # its index in the query's terms
    as_typed: bool  # spelled as the reader typed it (case aside), not only the same once folded


def _rank(shown: list[_Match], anchor: _Match, text: str, terms: list[Term], place: int) -> tuple:
    """How well a window answers the query, best highest: the more of the query's terms it shows, the
    more of them spelled as typed, then the query's words one after another (a phrase) at its first
    match, then the earlier text (the lead and body before the title), then the earlier place in it."""
    return (len({match.term for match in shown}), len({match.term for match in shown if match.as_typed}),
            _is_phrase_at(text, anchor.start, terms), -place, -anchor.start)


MATCHES_READ = 64  # matches of a term read in one text: enough to find its best window, bounded in a long body


def _found(text: str, terms: list[Term]) -> list[_Match]:
    """Every match of every term in `text` (the first MATCHES_READ of each), in order."""
    found = []
    for number, term in enumerate(terms):
        typed = term.text.lower()
        for match in itertools.islice(_folded_pattern(term.text, term.prefix).finditer(text), MATCHES_READ):
            spelled = " ".join(_words(match.group().lower()))
            found.append(_Match(match.start(), match.end(), number,
                                spelled.startswith(typed) if term.prefix else spelled == typed))
    return sorted(found, key=lambda match: (match.start, match.term))


def _is_phrase_at(text: str, at: int, terms: list[Term]) -> bool:
    """Whether the query's words, every term's in order, stand one after another from `at`."""
    return bool(_folded_pattern(" ".join(term.text for term in terms), terms[-1].prefix).match(text, at))


def _to_mark(shown: list[_Match], terms: list[Term]) -> list[_Match]:
    """The matches to mark: each term typed with marks the fold would drop marks only its own
    spelling where the window holds it; any other term, every spelling."""
    typed_shown = {match.term for match in shown if match.as_typed
                   and search_key(terms[match.term].text) != terms[match.term].text.lower()}
    return [match for match in shown if match.as_typed or match.term not in typed_shown]


def _window(text: str, first: int, width: int) -> tuple[int, int]:
    """The `width` characters of `text` shown for a match at `first`: from a word boundary a little
    before it."""
    start = max(0, first - width // 4)
    if start:
        start = text.rfind(" ", 0, start) + 1
    return start, min(len(text), start + width)


def _marked(text: str, window: tuple[int, int], matches: list[_Match]) -> str:
    start, end = window
    out, at = [], start
    for match in matches:
        if match.start < at:
            continue  # overlapping another term's match, marked already
        out += [text[at:match.start], MARK_OPEN, text[match.start:match.end], MARK_CLOSE]
        at = match.end
    out.append(text[at:end])
    return ("…" if start else "") + "".join(out).strip() + ("…" if end < len(text) else "")


def _letters_folding_to() -> dict[str, str]:
    """Each letter a-z → every composed letter that folds to it (`search_key`), both cases."""
    letters: dict[str, set[str]] = {}
    for code in range(0x41, 0x2000):  # every precomposed Latin letter, Vietnamese's among them
        folded = search_key(chr(code)) if chr(code).isalpha() else ""
        if len(folded) == 1 and "a" <= folded <= "z":
            letters.setdefault(folded, set()).add(chr(code))
    return {letter: "".join(sorted(chars)) for letter, chars in letters.items()}


_FOLDING_TO = _letters_folding_to()


def _words_pattern(words: Iterable[str], prefix: bool, flags: int = 0) -> re.Pattern:
    """Words (patterns) one after another with anything but letters between them, whole (or the last
    one a prefix)."""
    return re.compile(r"\b" + r"\W+".join(words) + (r"\w*" if prefix else r"\b"), flags)


@functools.lru_cache(maxsize=256)
def _folded_pattern(text: str, prefix: bool) -> re.Pattern:
    """A pattern matching `text`'s words in composed text whatever their tone marks, case and `đ`:
    each letter stands for the letters that fold to it, so the text is searched as it is, unfolded
    (folding each result's body to find its words would cost more than the search)."""
    def word(folded: str) -> str:
        return "".join(f"[{re.escape(_FOLDING_TO[ch])}]" if ch in _FOLDING_TO else re.escape(ch) for ch in folded)

    return _words_pattern(map(word, search_key(text).split()), prefix)
