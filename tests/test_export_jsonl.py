"""`export jsonl`: one object per line with every field of the version, identity, state and aliases;
the CSV's filters and shapes; against the crawled archive with an alias (`tests.test_export.newsroom`)."""

from __future__ import annotations

import json

import pytest

from archive.db import Archive
from exports.jsonl import SHAPE_KEYS
from tests.clirun import dbp, one_line_error, query
from tests.test_export import FORMULA_LIKE, newsroom  # noqa: F401 - the shared archive fixture

JSON_COLUMNS = ("authors", "photo_credits", "images", "related", "raw", "warnings")


def export(db, out, *args) -> list[dict]:
    done = dbp("export", "jsonl", "--db", db, "-o", out, *args)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: JSON Lines readers would choke on it
    assert data.endswith(b"\n") and b"\r" not in data
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def expected_version(db, version_id: int) -> dict:
    """Every field of a version, the article's identity, state and aliases: read here with plain SQL."""
    (row,) = query(db, """
        SELECT v.id, v.number, v.change, v.fingerprint, v.fingerprint_scheme, v.parser_version, v.capture_id,
               v.first_seen, v.last_seen, v.url, v.canonical_url, v.title, v.category, v.sapo, v.published_at,
               v.updated_at, v.authors, v.author_role, v.source, v.photo_credits, v.images, v.related, v.raw,
               v.warnings, v.body_text, a.identity, a.site_id, a.state, a.gone_status, a.gone_reason, a.gone_at
          FROM versions AS v JOIN articles AS a USING (identity) WHERE v.id = ?""", version_id)
    names = ("version_id", "version", "change", "fingerprint", "fingerprint_scheme", "parser_version", "capture_id",
             "first_seen", "last_seen", "url", "canonical_url", "title", "category", "sapo", "published_at",
             "updated_at", "authors", "author_role", "source", "photo_credits", "images", "related", "raw",
             "warnings", "body_text", "identity", "article_id", "state", "gone_status", "gone_reason", "gone_at")
    fields = dict(zip(names, row))
    for name in JSON_COLUMNS:
        fields[name] = json.loads(fields[name])
    fields["aliases"] = [url for (url,) in query(db, "SELECT url FROM aliases WHERE identity = ?"
                                                     " ORDER BY first_seen, alias", fields["identity"])]
    with Archive(db, readonly=True) as archive:
        fields["body_html"] = archive.version_article(version_id).body_html
    return fields


def test_jsonl_round_trip_of_every_article(newsroom, tmp_path):  # noqa: F811
    lines = export(newsroom, tmp_path / "a.jsonl")
    articles = query(newsroom, "SELECT a.current_version_id, a.view_count, a.view_count_at,"
                               " (SELECT count(*) FROM versions AS n WHERE n.identity = a.identity AND n.change <> 'parser')"
                               " FROM articles AS a ORDER BY a.site_id DESC, a.identity DESC")
    assert len(lines) == len(articles)
    for line, (version_id, views, views_at, version_count) in zip(lines, articles):
        expected = {**expected_version(newsroom, version_id), "view_count": views, "view_count_at": views_at,
                    "version_count": version_count}
        assert line == expected
        assert list(line) == [name for name, _ in SHAPE_KEYS["articles"]]
    by_identity = {line["identity"]: line for line in lines}
    # Lists are JSON lists (of objects for images and links), not strings.
    assert any(isinstance(line["images"], list) and line["images"] and isinstance(line["images"][0], dict)
               for line in lines)
    assert all(isinstance(line["related"], list) and isinstance(line["authors"], list) for line in lines)
    assert by_identity["990002"]["authors"] == FORMULA_LIKE[990002]["authors"]  # as stored: JSON needs no defusing
    assert by_identity["990001"]["title"] == FORMULA_LIKE[990001]["title"]
    (aliased, old_url), = query(newsroom, "SELECT identity, url FROM aliases")
    assert by_identity[aliased]["aliases"] == [old_url]
    assert {line["state"] for line in lines} == {"live", "gone"}
    assert "Mường".encode() in (tmp_path / "a.jsonl").read_bytes()  # UTF-8 itself, not \\u escapes


def test_jsonl_every_version(newsroom, tmp_path):  # noqa: F811
    lines = export(newsroom, tmp_path / "v.jsonl", "--all-versions")
    versions = query(newsroom, "SELECT v.id, (SELECT o.view_count FROM observations AS o WHERE o.version_id = v.id"
                               " AND o.view_count IS NOT NULL ORDER BY o.fetched_at DESC, o.id DESC LIMIT 1)"
                               " FROM versions AS v JOIN articles AS a USING (identity)"
                               " ORDER BY a.site_id DESC, a.identity DESC, v.number")
    assert [line["version_id"] for line in lines] == [version_id for version_id, _ in versions]
    for line, (version_id, views) in zip(lines, versions):
        assert line == {**expected_version(newsroom, version_id), "view_count": views}
    assert "edit" in {line["change"] for line in lines}


def test_jsonl_related_and_views_are_typed(newsroom, tmp_path):  # noqa: F811
    related = export(newsroom, tmp_path / "r.jsonl", "--related", "--state", "live")
    assert len(related) == query(newsroom, "SELECT count(*) FROM links AS l JOIN articles AS a"
                                           " ON a.current_version_id = l.version_id WHERE a.state = 'live'")[0][0]
    assert {type(line["to_archived"]) for line in related} == {bool}
    assert {line["to_archived"] for line in related} == {True, False}
    assert all(isinstance(line["position"], int) for line in related)
    views = export(newsroom, tmp_path / "w.jsonl", "--views")
    assert [(line["identity"], line["at"], line["count"]) for line in views] == query(newsroom, """
        SELECT a.identity, o.fetched_at, o.view_count FROM observations AS o JOIN articles AS a USING (identity)
         WHERE o.view_count IS NOT NULL ORDER BY a.site_id DESC, a.identity DESC, o.fetched_at, o.id""")


def test_jsonl_filters_and_columns(newsroom, tmp_path):  # noqa: F811
    lines = export(newsroom, tmp_path / "f.jsonl", "--search", "muong phang", "--columns", "title,identity,aliases")
    assert all(list(line) == ["title", "identity", "aliases"] for line in lines)
    assert sorted(line["identity"] for line in lines) == sorted(identity for (identity,) in query(newsroom, """
        SELECT a.identity FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id
         WHERE v.id IN (SELECT rowid FROM versions_fts WHERE versions_fts MATCH '"muong phang"')"""))
    gone = export(newsroom, tmp_path / "g.jsonl", "--state", "gone")
    assert [line["identity"] for line in gone] == [identity for (identity,) in query(
        newsroom, "SELECT identity FROM articles WHERE state = 'gone' ORDER BY site_id DESC, identity DESC")]
    assert gone and all(line["gone_reason"] for line in gone)
    done = dbp("export", "jsonl", "--db", newsroom, "--views", "--columns", "list")
    assert done.returncode == 0 and done.stdout.splitlines() == [name for name, _ in SHAPE_KEYS["views"]]


@pytest.mark.parametrize(("args", "words"), [
    (["--columns", "title,body"], ["--columns", "body"]),
    (["--since", "2025/12/31"], ["2025/12/31"]),
    (["--search", '"'], ["--search"]),
    (["--all-versions", "--views"], ["--all-versions", "--views"]),
])
def test_jsonl_bad_input_is_one_line_and_nothing_is_written(newsroom, tmp_path, args, words):  # noqa: F811
    out = tmp_path / "out" / "never.jsonl"
    out.parent.mkdir()
    one_line_error(dbp("export", "jsonl", "--db", newsroom, "-o", out, *args), *words)
    assert not list(out.parent.iterdir())


def test_jsonl_to_stdout_and_never_over_a_file_without_force(newsroom, tmp_path):  # noqa: F811
    done = dbp("export", "jsonl", "--db", newsroom, "--state", "gone")
    assert done.returncode == 0
    assert done.stderr == "exported 1 article to stdout\n"  # the archive's one take-down
    assert len(done.stdout.splitlines()) == 1
    assert [json.loads(line)["state"] for line in done.stdout.splitlines()] == ["gone"] * len(done.stdout.splitlines())
    out = tmp_path / "kept.jsonl"
    out.write_text("mine\n")
    one_line_error(dbp("export", "jsonl", "--db", newsroom, "-o", out), "kept.jsonl", "--force")
    assert out.read_text() == "mine\n"
    one_line_error(dbp("export", "jsonl", "--db", newsroom, "-o", newsroom, "--force"), "archive")
    assert dbp("export", "jsonl", "--db", newsroom, "-o", out, "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith('{"identity": ')
