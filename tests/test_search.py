"""Full-text search: tone marks and `đ` optional, exact spellings first, filters, hostile queries,
and an index that follows the archive through migrations."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils
from clirun import dbp, one_line_error
from test_archive import T0, make_article, make_fetch

from archive.db import Archive, ArchiveNeedsUpgrade
from archive.search import BadQuery, SearchFilters, parse_query
from crawler.parsing.text import search_key

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
BASE = "https://baodienbienphu.com.vn/tin-tuc"

# (id, title, category, authors, body, days before T0)
ARTICLES = [
    (1001, "Đại hội Đảng bộ huyện Mường Chà", "Chính trị", ["Minh Thùy"],
     "Đại hội Đảng bộ huyện lần thứ XXII khai mạc sáng nay.", 400),
    (1002, "Dương Văn Đông nhận giải thưởng", "Xã hội", ["Thanh Hà"],
     "Ông Dương Văn Đông ở bản Na Son được khen thưởng.", 30),
    (1003, "Đường lên Mường Phăng được mở rộng", "Kinh tế", ["Minh Thùy"],
     "Con đường từ thành phố lên xã Mường Phăng dài 20 km.", 10),
    (1004, "Dang bo and more: a title with AND, - and : in it", "Chính trị", ["Lò Văn Mừng"],
     "Bài viết về công tác xây dựng Đảng trong tình hình mới: NEAR(the) end.", 5),
    (1005, "Đương nhiệm chủ tịch xã tiếp dân", "Thời sự", ["Thanh Hà"],
     "Chủ tịch đương nhiệm của xã tiếp dân vào thứ Năm hằng tuần.", 1),
]


def _article(article_id, title, category, authors, body, days):
    url = f"{BASE}/{search_key(category).replace(' ', '-')}/{article_id}/bai-{article_id}"
    return make_article(url=url, canonical_url=url, article_id=article_id, title=title, category=category,
                        authors=authors, body_text=body, body_html=f"<p>{body}</p>", sapo=None, related=[],
                        images=[], published_at=T0 - timedelta(days=days))


@pytest.fixture(scope="module")
def search_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    with Archive(path) as archive:
        for row in ARTICLES:
            archive.record_fetch(None, make_fetch(_article(*row)))
        # An edit: article 1003's old wording stays in the archive as version 1.
        edited = _article(*ARTICLES[2])
        edited.body_text = "Con đường từ thành phố lên xã Mường Phăng dài 25 km, đã trải nhựa."
        archive.record_fetch(None, make_fetch(edited, at=T0 + timedelta(days=1)))
    return path


def ids(results) -> list[str]:
    return [result["identity"] for result in results]


def run(db, query, **filters) -> list[str]:
    with Archive(db, readonly=True) as archive:
        return ids(archive.search(query, SearchFilters(**filters)))


def test_without_tone_marks_and_d_for_dyet(search_db):
    assert run(search_db, "Đảng bộ")[:1] == ["1001"]
    assert "1001" in run(search_db, "dang bo")
    assert "1003" in run(search_db, "muong phang")
    assert "1003" in run(search_db, "MUONG PHANG")


def test_eth_typed_for_dyet_is_found_both_ways(search_db):
    # A page types `Ðảng` with an eth; the parser stores `Đảng` (tests/test_parsing_text.py); readers
    # type either, or `dang`.
    assert "1004" in run(search_db, "Ðảng")
    assert "1004" in run(search_db, "Đảng")
    assert "1004" in run(search_db, "xay dung dang")


def test_exact_spelling_ranks_first(search_db):
    # `duong` folds `Dương`, `Đường`, `đương`: each exact spelling puts its own article first.
    folded = set(run(search_db, "duong"))
    assert {"1002", "1003", "1005"} <= folded
    assert run(search_db, "Dương")[0] == "1002"
    assert run(search_db, "Đường")[0] == "1003"
    assert run(search_db, "đương")[0] == "1005"


def test_phrase_query(search_db):
    assert run(search_db, '"Mường Phăng"') == ["1003"]
    assert run(search_db, '"muong pHANG"') == ["1003"]
    assert run(search_db, '"Phăng Mường"') == []  # a phrase is words in their order


def test_prefix(search_db):
    assert "1003" in run(search_db, "Phă*")
    assert "1003" in run(search_db, "pha*")


def test_filters(search_db):
    assert set(run(search_db, "xa")) >= {"1003", "1005"}
    by_full_name = set(run(search_db, "xa", author="Thanh Hà"))
    assert by_full_name and set(run(search_db, "xa", author="Hà")) == by_full_name  # whole words of a name
    assert run(search_db, "xa", author="Th") == []  # not a part of a word
    assert run(search_db, "Thanh Hà", author="thanh ha") == ["1002", "1005"] or \
        set(run(search_db, "Thanh Hà", author="thanh ha")) == {"1002", "1005"}
    assert run(search_db, "Đảng", category="chinh-tri") and set(run(search_db, "Đảng", category="chinh-tri")) <= {"1001", "1004"}
    assert set(run(search_db, "Đảng", category="Chính trị")) == set(run(search_db, "Đảng", category="chinh tri"))
    # A name with punctuation in it, by its slug as the site's URLs spell it.
    assert run(search_db, "Đương", category="thoi-su") == ["1005"]
    since = (T0 - timedelta(days=20)).date().isoformat()
    until = (T0 - timedelta(days=2)).date().isoformat()
    found = run(search_db, "xa", since=since, until=until)
    assert "1003" in found and "1005" not in found and "1002" not in found


def test_an_authors_cell_copied_from_the_csv_finds_the_article_by_all_its_names(tmp_path):
    db = tmp_path / "archive.db"
    bylines = {3001: ["Minh Thùy", "Quang Long"], 3002: ["Minh Thùy"], 3003: ["Quang Long", "Thanh Hà"]}
    with Archive(db) as archive:
        for article_id, authors in bylines.items():
            archive.record_fetch(None, make_fetch(_article(article_id, f"Mùa lúa ở bản {article_id}", "Kinh tế",
                                                           authors, "Bà con thu hoạch lúa.", 1)))
    done = dbp("export", "csv", "--db", db, "-o", "-", "--columns", "article_id,authors")
    assert done.returncode == 0, done.stderr
    cells = {row[0]: row[1] for row in csv.reader(io.StringIO(done.stdout))}
    assert cells["3001"] == "Minh Thùy; Quang Long"

    def found(*args):
        done = dbp("search", "lua", "--db", db, "--json", *args)
        assert done.returncode == 0, done.stderr
        return sorted(result["identity"] for result in json.loads(done.stdout))

    assert found("--author", cells["3001"]) == ["3001"]  # both names, not either
    assert found("--author", "Quang Long, Minh Thùy") == ["3001"]  # in any order, as a byline writes them
    assert found("--author", "quang long;minh thuy") == ["3001"]  # case and tone marks optional
    assert found("--author", "Minh Thùy") == ["3001", "3002"]  # one name, as before
    assert found("--author", "Minh Thùy, Thanh Hà") == []  # no article has both
    assert found("--author", "Hà;") == ["3003"]  # whole words of a name, a stray separator aside
    exported = dbp("export", "csv", "--db", db, "-o", "-", "--columns", "article_id", "--author", cells["3001"])
    assert exported.stdout.lstrip("\ufeff").split() == ["article_id", "3001"]  # every command reads the filter alike


def test_current_versions_unless_all_versions(search_db):
    assert run(search_db, "20 km") == []  # the old wording was edited away
    with Archive(search_db, readonly=True) as archive:
        old = archive.search("20 km", SearchFilters(all_versions=True))
    assert [(r["identity"], r["version"]) for r in old] == [("1003", 1)]
    assert run(search_db, "trải nhựa") == ["1003"]


def test_snippet_marks_the_words_found_without_tone_marks(search_db):
    with Archive(search_db, readonly=True) as archive:
        [result] = archive.search('"xa muong phang"')
    assert "**xã Mường Phăng**" in result["snippet"]


def test_a_match_in_the_title_or_the_sapo_alone_is_what_the_snippet_shows_marked(tmp_path):
    db = tmp_path / "archive.db"
    article = _article(2001, "Lễ hội Hoa Ban ở Điện Biên", "Văn hóa", ["Quàng Thị Mai"],
                       "Du khách đến bản Mường Thanh ngắm cảnh.", 3)
    article.sapo = "Tháng Ba, núi rừng Tây Bắc vào mùa hoa."
    with Archive(db) as archive:
        archive.record_fetch(None, make_fetch(article))

    def snippet_for(query):
        done = dbp("search", query, "--db", db, "--json")
        assert done.returncode == 0, done.stderr
        [result] = json.loads(done.stdout)
        return result["snippet"]

    assert snippet_for('"hoa ban"') == "Lễ hội **Hoa Ban** ở Điện Biên"  # the title: nowhere else
    assert snippet_for("le hoi dien bien") == "**Lễ** **hội** Hoa Ban ở **Điện** **Biên**"
    assert snippet_for("tay bac").startswith("Tháng Ba, núi rừng **Tây** **Bắc**")  # the sapo, as the lead
    assert "**Mường** **Thanh**" in snippet_for("muong thanh")  # the body, as before
    # In the body and the title: the body's words, in context, rather than the title again.
    assert snippet_for("hoa tay") == ("Tháng Ba, núi rừng **Tây** Bắc vào mùa **hoa**. "
                                      "Du khách đến bản Mường Thanh ngắm cảnh.")
    # Only in the byline: nothing to mark in what a snippet shows, so the lead's opening.
    assert snippet_for("quang thi mai").startswith("Tháng Ba, núi rừng")
    # As text, a match in the title alone shows the title once, marked; elsewhere the snippet follows.
    shown = dbp("search", '"hoa ban"', "--db", db).stdout.splitlines()
    assert shown[0] == "1. Lễ hội **Hoa Ban** ở Điện Biên" and len(shown) == 2
    shown = dbp("search", "muong thanh", "--db", db).stdout.splitlines()
    assert shown[0] == "1. Lễ hội Hoa Ban ở Điện Biên" and "**Mường** **Thanh**" in shown[2]
    # In the title and the body: the title's own words marked on its line, the body's window below.
    shown = dbp("search", "hoa tay", "--db", db).stdout.splitlines()
    assert shown[0] == "1. Lễ hội **Hoa** Ban ở Điện Biên" and "**Tây**" in shown[2] and len(shown) == 3


def test_the_snippet_is_where_the_words_stand_together_as_typed(tmp_path):
    db = tmp_path / "archive.db"
    filler = " ".join(["Bà con các bản vùng cao chăm lo sản xuất vụ mùa."] * 5)  # past a snippet's width
    articles = {
        # The words as typed, together, only in the title; the body holds other spellings, apart.
        2101: ("Lễ hội Hoa Ban ở Điện Biên", "Hội nghị bàn về tỷ lệ hộ nghèo của huyện."),
        2102: ("Đại hội Đảng bộ huyện Mường Chà", "Cần đồng bộ các giải pháp; xã đang triển khai."),
        # Together in the body too: the body, in context.
        2103: ("Đảng bộ xã Thanh Nưa", "Sáng nay, Đảng bộ xã tổng kết công tác năm."),
        # In a long body: the window where they stand together, not the first single word.
        2104: ("Tin vùng cao", f"Đang mùa gặt. {filler} Đại hội Đảng bộ xã khai mạc."),
        # Typed with marks: the words spelled so, though the fold also meets them together earlier.
        2105: ("Tin xã", f"Xã đang bổ sung kế hoạch. {filler} Ban Chấp hành Đảng bộ họp."),
    }
    with Archive(db) as archive:
        for article_id, (title, body) in articles.items():
            archive.record_fetch(None, make_fetch(_article(article_id, title, "Chính trị", ["Thanh Hà"], body, 3)))

    def snippets(query):
        done = dbp("search", query, "--db", db, "--json")
        assert done.returncode == 0, done.stderr
        return {result["identity"]: result["snippet"] for result in json.loads(done.stdout)}

    assert snippets("lễ hội")["2101"] == "**Lễ** **hội** Hoa Ban ở Điện Biên"
    found = snippets("dang bo")
    assert found["2102"] == "Đại hội **Đảng** **bộ** huyện Mường Chà"
    assert found["2103"] == "Sáng nay, **Đảng** **bộ** xã tổng kết công tác năm."
    assert found["2104"].startswith("…") and found["2104"].endswith("Đại hội **Đảng** **bộ** xã khai mạc.")
    assert "**Đảng** **bộ** họp" in snippets("đảng bộ")["2105"]
    # As text, the title that holds them is shown marked, once.
    shown = dbp("search", "lễ hội", "--db", db).stdout.splitlines()
    assert shown[0] == "1. **Lễ** **hội** Hoa Ban ở Điện Biên" and len(shown) == 2


def test_a_query_typed_with_tone_marks_marks_its_own_spelling_where_the_text_holds_it():
    from archive.search import snippet

    text = ["Đang họp bàn, Ban Chấp hành Đảng bộ xã họp; đang bổ sung."]
    assert snippet(text, parse_query("đảng bộ")).count("**") == 4  # one pair for each of two words
    assert "**Đảng** **bộ**" in snippet(text, parse_query("đảng bộ"))
    assert "**Đảng bộ**" in snippet(text, parse_query('"đảng bộ"'))
    assert "**Đang**" in snippet(text, parse_query("dang bo"))  # typed without marks: every spelling
    assert "**Đang**" in snippet(["Đang họp."], parse_query("đảng"))  # no exact spelling: the folded one


def test_hostile_queries_are_words_or_one_clear_error(search_db):
    # Operators typed by a reader are words: the headline's `AND`, `-` and `:`.
    assert run(search_db, "Dang bo and more: a title with AND, - and") == ["1004"]
    assert run(search_db, "NEAR(the) end") == ["1004"]
    assert run(search_db, "title -with") == ["1004"]
    assert run(search_db, "title:with") == ["1004"]
    for query in ('"Mường Phăng', 'a " b " c "', "- : * ( )", ""):
        with pytest.raises(BadQuery):
            parse_query(query)


def test_a_bad_query_is_one_line_naming_the_command_once(search_db):
    done = dbp("search", '"', "--db", search_db)
    one_line_error(done, "unbalanced double quote")
    assert done.stderr.startswith("dbp-archive search: '") and "search: search:" not in done.stderr, done.stderr


def test_a_query_that_starts_with_a_dash_is_told_how_to_pass_it(search_db):
    # `-bo` reads as options; the error says where the query goes instead, and that way works.
    done = dbp("search", "-muong", "--db", search_db)
    one_line_error(done, "No such option", "after '--'", "dbp-archive search [OPTIONS] -- QUERY")
    plain = dbp("search", "--db", search_db, "--", "-muong")
    assert plain.returncode == 0 and "Mường" in plain.stdout, plain.stderr
    misspelt = dbp("search", "--limt", "5", "muong", "--db", search_db)  # a misspelt option: click's own hint alone
    one_line_error(misspelt, "Did you mean '--limit'?")
    assert "'--'" not in misspelt.stderr
    one_line_error(dbp("stats", "--bogus", "--db", search_db), "No such option")  # no text argument: no such hint
    assert "'--'" not in dbp("stats", "--bogus", "--db", search_db).stderr
    # Options written after `--` are values too many: the error says options go before it.
    late = dbp("search", "--", "-muong", "--db", search_db)
    one_line_error(late, "unexpected extra arguments", "options go before '--'", "search [OPTIONS] -- QUERY")
    extra = dbp("history", "a", "b", "--db", search_db)  # no `--`: no such hint
    one_line_error(extra, "unexpected extra argument")
    assert "'--'" not in extra.stderr


def test_a_query_of_several_words_unquoted_is_told_to_quote_them(search_db):
    # `search muong lay`: the shell gives two arguments; the error says how to pass one query, and that way works.
    done = dbp("search", "muong", "phang", "--db", search_db)
    one_line_error(done, "unexpected extra argument (phang)", 'quoted: dbp-archive search "muong phang"')
    quoted = dbp("search", "muong phang", "--db", search_db)
    assert quoted.returncode == 0 and "Mường** **Phăng" in quoted.stdout, quoted.stderr
    # A first word with a dash still goes after `--`; a word with a dash after it is a word, no option.
    dashed = dbp("search", "--db", search_db, "--", "-muong", "-cha")
    one_line_error(dashed, 'quoted: dbp-archive search -- "-muong -cha"')
    assert "options go before" not in dashed.stderr
    assert dbp("search", "--db", search_db, "--", "-muong -cha").returncode == 0
    other = dbp("history", "a", "b", "--db", search_db)  # an identity is one word: no such hint
    assert "quoted" not in other.stderr


def test_cli_json_and_errors(search_db):
    done = dbp("search", "muong cha", "--db", search_db, "--json", "--limit", "2")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results and results[0]["identity"] == "1001"
    assert {"url", "identity", "title", "published_at", "snippet"} <= set(results[0])
    assert results[0]["url"].endswith("/1001/bai-1001")
    one_line_error(dbp("search", '"Mường', "--db", search_db), "unbalanced")
    one_line_error(dbp("search", "( * - :", "--db", search_db), "no word")
    one_line_error(dbp("search", "x", "--db", search_db, "--since", "2024-13-01"), "--since")
    one_line_error(dbp("search", "x", "--db", search_db.parent / "missing.db"), "missing.db")
    plain = dbp("search", "Mường Phăng", "--db", search_db)
    assert plain.returncode == 0 and "1. Đường lên **Mường** **Phăng** được mở rộng" in plain.stdout
    # Nothing found is no failure, and the line says which filters narrowed the search.
    none = dbp("search", "Mường Phăng", "--db", search_db, "--author", "Không Ai", "--since", "2020-01-01")
    assert none.returncode == 0 and none.stdout == ""
    assert none.stderr.strip() == "no article matches 'Mường Phăng' with --since '2020-01-01', --author 'Không Ai'"


def test_sqlite_utils_finds_the_index_by_its_conventions(search_db):
    db = sqlite_utils.Database(search_db)
    assert db["versions"].detect_fts() == "versions_fts"
    titles = [row["title"] for row in db["versions"].search("dang bo")]
    assert "Đại hội Đảng bộ huyện Mường Chà" in titles


def test_migration_builds_the_index_on_an_old_archive(tmp_path):
    old = tmp_path / "release-0.1.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", old)
    with Archive(old) as archive:
        title = archive._db.execute("SELECT title FROM versions ORDER BY id LIMIT 1").fetchone()[0]
        first_word = title.split()[0]
        assert archive.search(first_word, SearchFilters(limit=100))
    with sqlite3.connect(old) as db:
        triggers = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"versions_ai", "versions_ad", "versions_au"} <= triggers


def test_a_dropped_trigger_is_restored_and_the_index_rebuilt(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.record_fetch(None, make_fetch(_article(*ARTICLES[0])))
        # What a migration that rebuilds `versions` does: its triggers go, and a version written
        # meanwhile never reaches the index.
        archive._db.execute("DROP TRIGGER versions_ai")
        archive.record_fetch(None, make_fetch(_article(*ARTICLES[2])))
        with pytest.raises(ArchiveNeedsUpgrade, match="search index"):
            archive.search("Mường Phăng")  # a stale index never answers as if whole
    with Archive(path) as archive:  # opening for writing puts the trigger back and rebuilds the index
        assert ids(archive.search("Mường Phăng")) == ["1003"]
        assert ids(archive.search("Mường Chà")) == ["1001"]
        archive.record_fetch(None, make_fetch(_article(*ARTICLES[4])))
        assert ids(archive.search("tiếp dân")) == ["1005"]


def test_an_index_restored_from_an_older_copy_is_rebuilt_on_the_next_writable_open(tmp_path):
    path, older = tmp_path / "archive.db", tmp_path / "older.db"
    with Archive(path) as archive:
        for row in ARTICLES[:4]:
            archive.record_fetch(None, make_fetch(_article(*row)))
    shutil.copyfile(path, older)
    with Archive(path) as archive:
        archive.record_fetch(None, make_fetch(_article(*ARTICLES[4])))
    # The index tables put back from the older copy: every table and trigger there, the newest version not indexed.
    with sqlite3.connect(path) as db:
        db.execute("ATTACH ? AS older", (str(older),))
        for table, in db.execute("SELECT name FROM older.sqlite_master WHERE type = 'table'"
                                 " AND (name LIKE 'versions_fts_%' OR name LIKE 'versions_title_fts_%')").fetchall():
            db.execute(f"DELETE FROM main.{table}")
            db.execute(f"INSERT INTO main.{table} SELECT * FROM older.{table}")
    db.close()
    with Archive(path, readonly=True) as archive:
        with pytest.raises(ArchiveNeedsUpgrade, match="search index is stale"):
            archive.search("tiếp dân")  # never the older copy's answer as if whole
    with Archive(path) as archive:  # what `dbp-archive upgrade` or the next crawl does
        assert archive.search_rebuilt
        assert ids(archive.search("tiếp dân")) == ["1005"]
        assert ids(archive.search("Đương nhiệm")) == ["1005"]  # the title index too
    with Archive(path) as archive:
        assert not archive.search_rebuilt  # a whole index is left alone


def test_a_category_is_its_name_or_its_slug():
    from archive.selection import slug

    assert slug("Văn hóa - Du lịch") == slug("van hoa du lich") == slug("van-hoa-du-lich") == "van-hoa-du-lich"
    assert slug("Quốc phòng - An ninh") == "quoc-phong-an-ninh"
    assert slug("Ðảng bộ") == "dang-bo"


def test_every_search_refuses_a_stale_index_in_one_line(search_db, tmp_path):
    stale = tmp_path / "stale.db"
    stale.write_bytes(search_db.read_bytes())
    with sqlite3.connect(stale) as db:
        db.execute("DROP TRIGGER versions_au")  # what a migration rebuilding `versions` would leave
    for args in (["search", "dang bo"], ["export", "csv", "--search", "dang bo", "-o", tmp_path / "out.csv"],
                 ["export", "jsonl", "--search", "dang bo", "-o", tmp_path / "out.jsonl"],
                 ["export", "warc", "--search", "dang bo", "-o", tmp_path / "out.warc.gz"]):
        one_line_error(dbp(*args, "--db", stale), "stale.db", "search index", f"upgrade --db {stale}")
    assert not list(tmp_path.glob("out.*"))
    assert "rebuild its search index when it is missing or stale" in " ".join(dbp("upgrade", "--help").stdout.split())
    mended = dbp("upgrade", "--db", stale)  # what the error tells the reader to run
    assert mended.returncode == 0 and mended.stdout.strip().endswith("; search index rebuilt"), mended
    assert dbp("search", "dang bo", "--db", stale).returncode == 0
    assert "rebuilt" not in dbp("upgrade", "--db", stale).stdout


_INDEXED = "title, sapo, body_text, authors, category, search_text"
_NEWEST = "(SELECT max(id) FROM versions)"
# Ways an index goes stale with every table and trigger in place: what a search must refuse without counting.
STALE_INDEXES = {
    "body index emptied": ["INSERT INTO versions_fts(versions_fts) VALUES('delete-all')"],
    "title index emptied": ["INSERT INTO versions_title_fts(versions_title_fts) VALUES('delete-all')"],
    "newest version lost from the body index": [
        f"INSERT INTO versions_fts(versions_fts, rowid, {_INDEXED}) SELECT 'delete', id, {_INDEXED}"
        f" FROM versions WHERE id = {_NEWEST}"],
    "newest version lost from the title index": [
        "INSERT INTO versions_title_fts(versions_title_fts, rowid, title) SELECT 'delete', id, title"
        f" FROM versions WHERE id = {_NEWEST}"],
    "newest version lost from the body index, a stray row in its place (the counts agree)": [
        f"INSERT INTO versions_fts(versions_fts, rowid, {_INDEXED}) SELECT 'delete', id, {_INDEXED}"
        f" FROM versions WHERE id = {_NEWEST}",
        f"INSERT INTO versions_fts(rowid, {_INDEXED}) SELECT id + 1000, {_INDEXED} FROM versions WHERE id = {_NEWEST}"],
}


@pytest.mark.parametrize("damage", STALE_INDEXES)
def test_a_search_refuses_an_index_gone_stale_with_its_tables_in_place(search_db, tmp_path, damage):
    stale = tmp_path / "stale.db"
    stale.write_bytes(search_db.read_bytes())
    with sqlite3.connect(stale) as db:
        for statement in STALE_INDEXES[damage]:
            db.execute(statement)
    db.close()
    for args in (["search", "dang bo"], ["export", "csv", "--search", "dang bo", "-o", tmp_path / "out.csv"]):
        one_line_error(dbp(*args, "--db", stale), "stale.db", "search index is stale", f"upgrade --db {stale}")
    assert not list(tmp_path.glob("out.*"))
    checked = dbp("stats", "--check", "--db", stale)
    assert checked.returncode != 0 and "search index" in checked.stdout + checked.stderr
    mended = dbp("upgrade", "--db", stale)  # what the error tells the reader to run
    assert mended.returncode == 0 and mended.stdout.strip().endswith("; search index rebuilt"), mended
    assert run(stale, "dang bo") == run(search_db, "dang bo") != []
    assert run(stale, "Đương nhiệm") == ["1005"]  # the newest version, in both indexes again


def test_a_whole_index_is_never_refused(search_db, tmp_path):
    """The single-row check holds on what the archive does to a whole index: new articles and edits,
    an identity merge, a reparse's versions, a migration, an empty archive."""
    from archive import identities
    from crawler.replica import Replica
    from crawler.replica.fetches import article_fetch

    def searches(path):
        done = dbp("search", "xa", "--db", path, "--json")
        assert done.returncode == 0, done.stderr
        exported = dbp("export", "csv", "--db", path, "--search", "xa", "-o", "-")
        assert exported.returncode == 0, exported.stderr
        return done

    assert json.loads(searches(search_db).stdout)  # the module's archive: new articles and an edit
    merged = tmp_path / "merged.db"
    merged.write_bytes(search_db.read_bytes())
    with Archive(merged) as archive:
        with archive._db:
            archive._db.execute("BEGIN")
            identities.merge(archive._db, "1005", "1003", "a test's merge", T0.isoformat())
        archive.record_fetch(None, make_fetch(_article(1006, "Xã mới", "Thời sự", ["Thanh Hà"], "Tin xã.", 0)))
    assert {"1003", "1006"} <= set(ids(json.loads(searches(merged).stdout)))
    reparsed = tmp_path / "reparsed.db"
    replica = Replica(seed=1, articles=6)
    with Archive(reparsed) as archive:
        for article_id in replica.live_ids():
            fetch = article_fetch(replica, article_id, T0, parser_version="1.0.0")
            fetch.article.body_text = fetch.article.body_text[:40]  # what an older parser missed
            archive.record_fetch(None, fetch)
    done = dbp("reparse", "--db", reparsed, "--workers", "1")
    assert done.returncode == 0 and " 0 versions made" not in done.stdout, done.stdout + done.stderr
    searches(reparsed)
    old = tmp_path / "release-0.1.db"
    shutil.copyfile(FIXTURES / "release-0.1.db", old)
    assert dbp("upgrade", "--db", old).returncode == 0
    searches(old)
    empty = tmp_path / "empty.db"
    Archive(empty).close()
    assert dbp("search", "xa", "--db", empty, "--json").stdout.strip() == "[]"


def test_title_matches_first_then_the_rest_newest_first(search_db):
    # `xa` is in 1005's title, in 1003's body and 1002's category: the title match ranks first, though
    # older than 1003's edit; then the others, the most recently archived first.
    assert run(search_db, "xa") == ["1005", "1003", "1002"]
    # Both titles hold `Mường`: the most recently archived version (1003's edit) first.
    assert run(search_db, "Mường") == ["1003", "1001"]


def test_a_search_reads_its_index_in_order_and_stops_at_the_limit(search_db):
    # What keeps a search off every match of a common word: each index is the outer loop, read in
    # its own (rowid) order, so SQLite never collects and sorts the matches before the LIMIT.
    seen = []
    with Archive(search_db, readonly=True) as archive:
        archive._db.set_trace_callback(seen.append)
        archive.search("dang", SearchFilters(category="chinh-tri", since="2020-01-01"))
        archive._db.set_trace_callback(None)
        plans = [" / ".join(row[3] for row in archive._db.execute(f"EXPLAIN QUERY PLAN {sql}"))
                 for sql in seen if " MATCH " in sql]
    assert len(plans) == 2, plans  # the titles, then the rest: the filters keep too few in titles
    for plan in plans:
        assert plan.startswith("SCAN versions_") and "VIRTUAL TABLE" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_an_archive_without_the_title_index_gets_it_on_upgrade(search_db, tmp_path):
    old = tmp_path / "before-title-index.db"
    old.write_bytes(search_db.read_bytes())
    with sqlite3.connect(old) as db:  # an archive written before the title index existed
        for name in ("versions_title_ai", "versions_title_ad", "versions_title_au"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DROP TABLE versions_title_fts")
    with pytest.raises(ArchiveNeedsUpgrade, match="search index"):
        with Archive(old, readonly=True) as archive:
            archive.search("Mường")
    with Archive(old) as archive:  # what `dbp-archive upgrade` (or the next crawl) does
        assert ids(archive.search("Mường")) == ["1003", "1001"]
        archive.record_fetch(None, make_fetch(_article(1006, "Mường Lay đón khách", "Du lịch", ["Thanh Hà"],
                                                       "Thị xã đón khách du lịch.", 0)))
        assert ids(archive.search("Mường"))[:1] == ["1006"]  # and its triggers keep it whole
    assert sqlite_utils.Database(old)["versions"].detect_fts() == "versions_fts"


@pytest.mark.parametrize("command", ["search", "export"])
@pytest.mark.parametrize("option", ["--author", "--category"])
def test_an_empty_author_or_category_is_refused_not_taken_for_no_filter(search_db, tmp_path, command, option):
    asked = ["search", "Mường Phăng"] if command == "search" else ["export", "csv", "-o", tmp_path / "out.csv"]
    for empty in ("", "  "):
        done = dbp(*asked, "--db", search_db, option, empty)
        one_line_error(done, f"{option} {empty!r}", "empty")
        assert done.stdout == ""
    assert not (tmp_path / "out.csv").exists()
