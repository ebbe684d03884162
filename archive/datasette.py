"""What `dbp-archive serve` tells Datasette about the archive: titles, descriptions, a label for every
column of every table and view, the licence note, and the canned queries (their SQL lives here, with
the archive's other statements).

Data only: nothing here imports Datasette. `metadata(database)` is the dict Datasette takes as its
metadata, keyed by the database name it gives the file (the file name without its extension).

Full-text search: the table search box on `versions` is Datasette's own, found through the
external-content FTS5 table `versions_fts` (sqlite-utils conventions: no configuration); the views
`article_current` and `current_articles` get one through `fts_table` / `fts_pk` below. The index
reads tone-less words as their marked forms and `d` as `đ` (`archive/search.py` says how), so a
reader's `dang bo` finds `Đảng bộ`. The canned search matches the query as typed, each word quoted
so that nothing in it is FTS syntax; `dbp-archive search` does more with a query (phrases, filters,
exact spellings ranked first).
"""

from __future__ import annotations

from archive import search

SITE_URL = "https://baodienbienphu.vn/"

LICENCE_NOTE = (
    "The articles, their text and photos belong to Báo Điện Biên Phủ, the newspaper that published "
    "them; this archive records them as they appeared, for research. It grants no right to republish."
)

def _period(column: str) -> str:
    """SQL keeping rows whose `column` falls in the dates `:since`..`:until` (inclusive, YYYY-MM-DD);
    an empty bound is no bound. Stored times are ISO text with one offset, so text order is time order."""
    return (f"(:since = '' OR {column} >= :since)"
            f" AND (:until = '' OR {column} < date(:until, '+1 day'))")


# A query as typed, made into FTS5 words: each whitespace-separated word quoted (so `-`, `:`, `AND`,
# `NEAR(` and `*` are words, never syntax), the double quotes a reader typed dropped. The empty words
# that runs of spaces leave (`""`) and words of punctuation alone hold no token: FTS5 ignores them.
_FTS_WORDS = ("'\"' || replace(replace(replace(replace(replace(:q, '\"', ''), char(9), ' '), char(10), ' '),"
              " char(13), ' '), ' ', '\" \"') || '\"'")

# An article named by its identity, its site id, a URL it answered at, or an alias.
_TARGET = """
WITH target(identity) AS (
  SELECT identity FROM articles WHERE identity = trim(:article) OR url = trim(:article)
  UNION SELECT identity FROM aliases WHERE alias = trim(:article) OR url = trim(:article)
  UNION SELECT identity FROM versions WHERE url = trim(:article) OR (canonical_url = trim(:article) AND canonical_url <> url)
)"""

QUERIES: dict[str, dict] = {
    "search": {
        "hide_sql": True,  # the form and the answer first; "Show SQL" is one click
        "title": "Search articles",
        "description": (
            "Current versions whose title, lead, body, authors or category hold every word of q, best "
            "matches first. Type Vietnamese with or without tone marks: a tone-less word (dang bo) "
            "finds Đảng bộ. Words are matched as words: quotes, -, : and * are no syntax."),
        "sql": f"""
SELECT v.identity, v.title, v.category, v.published_at,
       snippet(versions_fts, 2, '[', ']', ' … ', 16) AS snippet,  -- from the body (column 2), never the helper column
       a.view_count, a.url
  FROM versions_fts
  JOIN versions AS v ON v.id = versions_fts.rowid
  JOIN articles AS a ON a.current_version_id = v.id
 WHERE trim(:q) <> '' AND versions_fts MATCH {_FTS_WORDS}
 ORDER BY bm25(versions_fts, {', '.join(map(str, search.WEIGHTS))})
 LIMIT 200""",
    },
    "article_history": {
        "hide_sql": True,
        "title": "An article's history",
        "description": (
            "Every version of one article, oldest first: why it was made (first, edit, parser), when it "
            "was first and last seen, its title, and which fields differ from the version before. "
            "article: its identity (site id, e.g. 212838), a URL it answered at, or an alias."),
        "sql": f"""{_TARGET}
SELECT identity, number, change, first_seen, last_seen, title, changed_fields, parser_version, version_id
  FROM version_changes
 WHERE identity IN (SELECT identity FROM target)
 ORDER BY identity, number""",
    },
    "articles_by_author": {
        "hide_sql": True,
        "title": "Articles by author",
        "description": ("Articles whose current byline names author (a whole name or part of one; "
                        "ASCII letters match either case), newest first."),
        "sql": """
SELECT a.identity, a.title, a.authors, a.category, a.published_at, a.view_count, a.version_count, a.url
  FROM article_current AS a
 WHERE trim(:author) <> ''
   AND EXISTS (SELECT 1 FROM json_each(a.authors) WHERE json_each.value LIKE '%' || trim(:author) || '%')
 ORDER BY a.published_at DESC
 LIMIT 1000""",
    },
    "most_viewed": {
        "hide_sql": True,
        "title": "Most viewed in a period",
        "description": ("Articles published from since to until (dates, YYYY-MM-DD, both included; "
                        "leave one empty for no bound), by their latest view count."),
        "sql": f"""
SELECT a.identity, a.title, a.category, a.published_at, a.view_count, a.view_count_at, a.url
  FROM article_current AS a
 WHERE a.view_count IS NOT NULL AND {_period('a.published_at')}
 ORDER BY a.view_count DESC, a.published_at DESC
 LIMIT 200""",
    },
    "edits_in_period": {
        "hide_sql": True,
        "title": "Edits in a period",
        "description": ("Versions the newsroom made by editing an article, first seen from since to until "
                        "(dates, YYYY-MM-DD, both included; empty: no bound), newest first, with the "
                        "fields the edit changed. Parser re-readings are left out."),
        "sql": f"""
SELECT c.identity, c.number, c.first_seen AS edited_at, c.title, c.changed_fields, a.url
  FROM version_changes AS c
  JOIN articles AS a ON a.identity = c.identity
 WHERE c.change = 'edit' AND {_period('c.first_seen')}
 ORDER BY c.first_seen DESC, c.identity
 LIMIT 1000""",
    },
}

# Labels shared by the columns that mean the same wherever they appear.
_ARTICLE_STATE = {
    "identity": "The article's key: its site id, or its URL's path when the URL has no id",
    "site_id": "The numeric id in the article's URL (empty for id-less URLs)",
    "url": "The URL the article answered at last, after redirects",
    "state": "live, or gone after a take-down answer",
    "gone_status": "While gone: HTTP status of the latest take-down answer",
    "gone_reason": "While gone: 404, 410, soft-404, redirect-home or redirect-listing",
    "gone_at": "While gone: when that answer first came",
    "first_seen": "First fetch that returned the article",
    "last_seen": "Latest fetch that returned it (200 or 304)",
    "last_changed": "When its current editorial content appeared",
    "next_check_at": "When the crawler will fetch it again",
    "view_count": "Latest view count read from the page",
    "view_count_at": "When that count was read",
}
_VERSION_FIELDS = {
    "title": "Headline, as on the page",
    "category": "Section, as on the page",
    "published_at": "Publication time the page states (+07:00)",
    "updated_at": "Update time the page states (+07:00)",
    "authors": "Byline names (JSON list)",
    "author_role": "The byline's role line",
    "source": "Agency of a republished piece (TTXVN, VOV, …)",
    "sapo": "The lead paragraph",
    "body_text": "The body: paragraphs separated by blank lines",
}
_LINK = {
    "id": "Row id",
    "version_id": "The version that shows the link (→ versions)",
    "from_identity": "The linking article (→ articles)",
    "position": "1, 2, … in page order",
    "to_identity": "Identity the link points to (may not be archived yet)",
    "to_url": "The link's URL as on the page",
    "title": "The link's text as on the page",
}
_RUN_COUNTS = {outcome: f"Fetches of this run with outcome {outcome}"
               for outcome in ("new", "updated", "reparsed", "unchanged", "not_modified", "gone", "failed")}

TABLES: dict[str, dict] = {
    "articles": {
        "description": "One row per article ever found, in every state, pointing at its current version.",
        "columns": {
            **_ARTICLE_STATE,
            "last_checked_at": "Latest fetch of the article, whatever the answer",
            "current_version_id": "Its content as of last_seen (→ versions)",
            "etag": "ETag of the latest 200, for a conditional fetch",
            "last_modified": "Last-Modified of the latest 200, for a conditional fetch",
        },
    },
    "versions": {
        "description": ("Each distinct editorial content of an article: a new row only when the content "
                        "changes (an edit) or a newer parser reads it differently. Search it with or "
                        "without tone marks."),
        "label_column": "title",
        "facets": ["change"],
        "columns": {
            "id": "Version id",
            "identity": "The article (→ articles)",
            "number": "1, 2, … per article, in the order made",
            "change": "Why it exists: first, edit, parser or unverified",
            "fingerprint": "sha256 of the normalised editorial content",
            "fingerprint_scheme": "The rules that made the fingerprint",
            "parser_version": "The parser that read these fields",
            "capture_id": "The raw response they were read from (→ captures)",
            "first_seen": "First fetch that showed this content",
            "last_seen": "Latest fetch that showed it",
            "url": "The page's URL when this version was made",
            "canonical_url": "The page's canonical link then",
            **_VERSION_FIELDS,
            "photo_credits": "Names after Ảnh: (JSON list)",
            "images": "Images with caption and credit (JSON list)",
            "related": "The Tin khác links (JSON list; also in links)",
            "raw": "Strings as found on the page (JSON)",
            "warnings": "The parser's doubts about this page (JSON list)",
            "body_html_zstd": "The cleaned body markup, zstd-compressed",
            "search_text": "Its words that hold đ, spelled with d, for readers who type them so (search only)",
        },
    },
    "versions_fts": {
        "description": "The full-text index of versions (FTS5, kept in step by triggers); its rowid is versions.id.",
        "columns": {
            "title": "Headline", "sapo": "Lead", "body_text": "Body", "authors": "Byline names",
            "category": "Section", "search_text": "Their words that hold đ, spelled with d",
        },
    },
    "versions_title_fts": {
        "description": ("The headlines' own full-text index (FTS5, kept in step by triggers), which dbp-archive "
                        "search reads first; its rowid is versions.id."),
        "columns": {"title": "Headline"},
    },
    "observations": {
        "description": "One row per fetch, whatever happened: statuses over time and the view-count series.",
        "columns": {
            "id": "Fetch id, in recording order",
            "run_id": "The crawl that made it (→ runs)",
            "identity": "The article (empty when the fetch concerns none archived)",
            "fetched_at": "When the response arrived",
            "url": "Final URL, after redirects",
            "redirected_from": "The URL requested, when a redirect led to url",
            "status": "HTTP status (304: not modified)",
            "outcome": "new, updated, reparsed, unchanged, not_modified, gone or failed",
            "view_count": "View count on the page then",
            "version_id": "The version this fetch showed (→ versions)",
            "capture_id": "The stored body of this response, if stored (→ captures)",
        },
    },
    "captures": {
        "description": "Raw response bodies, each distinct body once, so any version can be re-parsed.",
        "columns": {
            "id": "Capture id",
            "sha256": "sha256 of the body as received",
            "fetched_at": "First fetch that returned this body",
            "url": "Its URL",
            "status": "Its HTTP status",
            "headers": "Its response headers (JSON, names lower-cased)",
            "size": "Body size in bytes",
            "stored_size": "Size as stored, compressed",
            "dictionary_id": "Dictionary needed to decompress it (→ zstd_dictionaries)",
            "body": "The body, one zstd frame",
        },
    },
    "zstd_dictionaries": {
        "description": "Compression dictionaries made of earlier pages; each capture names the one it needs.",
        "columns": {
            "id": "Dictionary id",
            "created_at": "When it was made",
            "sample_pages": "How many bodies it is made of",
            "sampled_through_capture_id": "Latest capture among them",
            "size": "Bytes",
            "dictionary": "The raw-content dictionary",
        },
    },
    "links": {
        "description": "The Tin khác links of every version, one row per link.",
        "columns": _LINK,
    },
    "current_links": {
        "description": "The Tin khác links of current versions only.",
        "columns": _LINK,
    },
    "runs": {
        "description": "One row per crawl, with its outcome counts.",
        "columns": {
            "id": "Run id",
            "started_at": "When the crawl started",
            "finished_at": "When it finished (empty: running, or killed)",
            "status": "running, finished, shutdown, interrupted, …",
            "parser_version": "The parser the crawl ran with",
            "settings": "The crawl's settings (JSON)",
            **_RUN_COUNTS,
            "parsed": "Fetches parsed into an article (field_health's denominator)",
            "requests": "HTTP requests the crawl made",
            "stats": "Everything the crawler reported at the end (JSON)",
        },
    },
    "field_health": {
        "description": "Per run, how many parsed fetches lacked a field: a redesign shows as one count jumping.",
        "columns": {
            "run_id": "The run (→ runs)",
            "field": "The field the pages lacked",
            "fetches": "Parsed fetches of the run that lacked it",
        },
    },
    "failures": {
        "description": "One row per failed fetch (5xx, a page that does not parse as an article).",
        "columns": {
            "observation_id": "The fetch (→ observations)",
            "identity": "The article key known at fetch time",
            "error": "What went wrong, in one line",
        },
    },
    "suspect_fetches": {
        "description": "Fetches that read as less than the archived version (a half-read page): kept as captures, never versions.",
        "columns": {
            "observation_id": "The fetch (→ observations; its outcome is failed)",
            "version_id": "The current version it fell short of (→ versions)",
            "capture_id": "The body as received (→ captures)",
            "missing": "JSON list of what it lacked: title, body_text, published_at, page_end",
        },
    },
    "state_changes": {
        "description": "Take-downs and returns: an article going from live to gone or back.",
        "columns": {
            "id": "Row id",
            "identity": "The article (→ articles)",
            "observation_id": "The fetch that showed the change (→ observations)",
            "changed_at": "Its time",
            "from_state": "State before",
            "to_state": "State after",
            "status": "That fetch's HTTP status",
            "reason": "For a take-down: how it went (see articles.gone_reason)",
        },
    },
    "aliases": {
        "description": "Other identities an article answered at (old slugs, other categories, canonical links).",
        "columns": {
            "alias": "The other identity",
            "identity": "The article it stands for (→ articles)",
            "url": "A URL that had this alias",
            "first_seen": "When it was met",
        },
    },
    "identity_merges": {
        "description": "Merges of two archived identities found to be one article.",
        "columns": {
            "id": "Row id",
            "merged_at": "When",
            "from_identity": "The identity merged away",
            "into_identity": "The article it joined",
            "reason": "The fetch or migration that joined them",
            "in_progress": "1 only inside the merge's own transaction",
        },
    },
    "frontier": {
        "description": "Every article link a page showed before the archive held that article.",
        "columns": {
            "identity": "The linked article's identity",
            "url": "The link",
            "found_at": "When it was found",
            "found_on": "The page that showed it",
            "run_id": "The run that found it (→ runs)",
            "fetched_at": "When a fetch answered for it (empty: pending)",
        },
    },
    "reparses": {
        "description": "Every stored capture a reparse read with a newer parser, and what came of it; a reparse resumes from here.",
        "columns": {
            "id": "Row id",
            "version_id": "The version whose capture was read (→ versions)",
            "parser_version": "The parser that read it",
            "reparsed_at": "When",
            "outcome": "version (it read differently: a parser version), unchanged or failed",
            "error": "Why it failed, in one line",
        },
    },
    "listing_walks": {
        "description": "Category listings some crawl has read to their last page.",
        "columns": {
            "category": "The category's slug",
            "completed_at": "When the walk ended",
            "run_id": "The run (→ runs)",
        },
    },
    "article_current": {
        "description": "Each article, every state, with its current version's fields. Search it with or without tone marks.",
        # A view has no FTS table of its own; its version_id is the index's rowid.
        "fts_table": "versions_fts",
        "fts_pk": "version_id",
        "columns": {
            **_ARTICLE_STATE,
            "version_id": "Its current version (→ versions)",
            "version_number": "That version's number",
            "change": "Why that version exists",
            "parser_version": "The parser that read it",
            **_VERSION_FIELDS,
            "version_count": "Editorial versions (parser re-readings not counted)",
        },
    },
    "current_articles": {
        "description": ("Each archived article with its current version, for reading: authors as one line, "
                        "edits counted. Search it with or without tone marks."),
        "fts_table": "versions_fts",
        "fts_pk": "version_id",
        "columns": {
            **{name: _ARTICLE_STATE[name] for name in ("identity", "url", "state", "gone_reason", "view_count",
                                                       "view_count_at", "first_seen", "last_changed", "last_seen")},
            **{name: _VERSION_FIELDS[name] for name in ("title", "category", "author_role", "source",
                                                        "published_at", "updated_at", "sapo")},
            "authors": "Byline names, comma-separated",
            "version_number": "The current version's number",
            "edits": "Versions the newsroom made by editing",
            "version_id": "The current version (→ versions)",
        },
    },
    "version_changes": {
        "description": "Each version beside the one before it: which fields it changed.",
        "columns": {
            "version_id": "The version (→ versions)",
            "identity": "The article (→ articles)",
            "number": "1, 2, … per article",
            "change": "Why it exists: first, edit, parser or unverified",
            "parser_version": "The parser that read it",
            "first_seen": "First fetch that showed it",
            "last_seen": "Latest fetch that showed it",
            "title": "Its headline",
            "url": "The page's URL then",
            "changed_fields": "Fields that differ from the version before (JSON list; [] for a first version)",
        },
    },
    "view_growth": {
        "description": "Views per article per day (the day's highest count) and the growth since the day before.",
        "columns": {
            "identity": "The article (→ articles)",
            "day": "The day, YYYY-MM-DD",
            "views": "The highest count read that day",
            "growth": "Views gained since the previous day with a count",
        },
    },
    "link_graph": {
        "description": "The Tin khác links of current versions, with titles at both ends.",
        "columns": {
            "from_identity": "The linking article",
            "from_title": "Its headline",
            "position": "1, 2, … in page order",
            "to_identity": "The linked article's identity",
            "to_title": "Its headline when archived, else the link's text",
            "link_title": "The link's text as on the page",
            "to_url": "The link's URL",
            "to_archived": "1 when the linked article is archived",
        },
    },
    "run_health": {
        "description": "Crawl health per run: fetches, failures, and the share of parsed pages lacking each field.",
        "columns": {
            "run_id": "The run (→ runs)",
            "started_at": "When it started",
            "finished_at": "When it finished",
            "status": "How it ended",
            "requests": "HTTP requests made",
            "fetches": "Fetches recorded, every outcome",
            "failed": "Fetches that failed",
            "parsed": "Fetches parsed into an article",
            **{f"missing_{field}": f"Share of parsed pages without {what}" for field, what in (
                ("title", "a visible headline (only metadata stated it)"), ("published_at", "a date"), ("view_count", "a view count"),
                ("body_text", "a body"), ("related", "Tin khác links under the heading"),
                ("encoding", "cleanly decoded text"))},
            "fetches_without_views": "Fetches that showed an article but no view count",
        },
    },
}


def metadata(database: str) -> dict:
    """Datasette's metadata for an archive served under the name `database`."""
    return {
        "title": "Báo Điện Biên Phủ archive",
        "description": ("Every article the crawler has seen of Báo Điện Biên Phủ, every version of it and "
                        "every fetch, read-only. " + LICENCE_NOTE),
        "license": "Content © Báo Điện Biên Phủ; no licence to republish",
        "license_url": SITE_URL,
        "source": "Báo Điện Biên Phủ",
        "source_url": SITE_URL,
        "databases": {
            database: {
                "description": "The archive file: tables and views as archive/SCHEMA.md describes them.",
                "tables": TABLES,
                "queries": QUERIES,
            },
        },
    }
