"""The console command's contract with its users: bad input gets one clear line and a non-zero exit."""

from clirun import dbp, one_line_error


def test_parse_a_missing_file(tmp_path):
    one_line_error(dbp("parse", str(tmp_path / "nope.html")), "nope.html", "cannot read")


def test_parse_an_empty_file(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    one_line_error(dbp("parse", str(empty)), "empty.html", "not an article", status=1)


def test_export_from_a_missing_archive(tmp_path):
    one_line_error(dbp("export", "csv", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.csv")),
                   "none.db")
    assert not (tmp_path / "x.csv").exists()


def test_export_to_an_unwritable_place(tmp_path):
    from archive.db import Archive

    Archive(tmp_path / "a.db").close()
    one_line_error(dbp("export", "csv", "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / "no-dir" / "x.csv")),
                   "x.csv")


def test_crawl_rejects_a_bad_since_date(tmp_path):
    one_line_error(dbp("crawl", "--db", str(tmp_path / "a.db"), "--since", "last tuesday"), "last tuesday")
    assert not (tmp_path / "a.db").exists()


def test_crawl_and_export_refuse_a_file_that_is_not_an_archive(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 100)
    one_line_error(dbp("crawl", "--db", str(junk), "--start-url", "http://127.0.0.1:9/"), "notes.db")
    one_line_error(dbp("export", "csv", "--db", str(junk), "-o", str(tmp_path / "x.csv")), "notes.db")
    assert junk.read_text().startswith("these are my notes")  # untouched


def test_the_command_starts_without_the_crawl_machinery():
    """Every command pays the CLI's imports at start-up, and an export or a search is a second's work:
    Scrapy, the parse workers, the parser's lxml and w3lib's URL module (urllib.request and the email
    package behind it) load only in the commands that use them."""
    import subprocess
    import sys

    heavy = ["scrapy", "twisted", "crawler.parse_workers", "lxml", "w3lib.url", "bs4"]
    shown = subprocess.run([sys.executable, "-c", "import sys, crawler.cli; "
                            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.strip() == "", shown


def test_an_error_names_the_command_it_ended(tmp_path):
    """In a cron log of several commands, each error line says which command failed: a failure as a
    usage error does."""
    missing = tmp_path / "none.db"
    for args, where in ((["export", "csv", "-o", "-"], "dbp-archive export csv: "),
                        (["history", "1"], "dbp-archive history: "), (["stats"], "dbp-archive stats: ")):
        done = dbp(*args, "--db", missing)
        one_line_error(done, "none.db", "no such archive")
        assert done.stderr.startswith(where), done.stderr
    done = dbp("export", "csv", "--db", missing, "--since", "notadate")
    assert done.stderr.startswith("dbp-archive export csv: "), done.stderr


def test_parse_a_saved_page_without_its_url_says_how_its_links_were_read(tmp_path):
    # Without --url a saved page's `/tin-tuc/…` links resolve against the file: the output is still
    # the article, and stderr says so once; with --url nothing is said.
    import json

    from crawler.replica import Replica

    replica = Replica(seed=1, articles=20)
    article_id = replica.live_ids()[0]
    page = tmp_path / "saved.html"
    url = replica.url_for(article_id)
    page.write_bytes(replica.render_article(article_id).body)
    plain = dbp("parse", str(page))
    assert plain.returncode == 0 and json.loads(plain.stdout)["title"], plain.stderr
    assert plain.stderr.count("\n") == 1 and "saved.html" in plain.stderr and "--url" in plain.stderr, plain.stderr
    assert "file:///" in plain.stderr and "canonical_url" in plain.stderr
    placed = dbp("parse", str(page), "--url", url)
    assert placed.returncode == 0 and placed.stderr == "" and json.loads(placed.stdout)["url"] == url


def test_a_closed_standard_output_is_one_line_not_a_traceback(tmp_path):
    import subprocess
    import sys

    page = tmp_path / "p.html"
    page.write_text("<html><body><h1>x</h1></body></html>")
    done = subprocess.run(f"{sys.executable} -m crawler.cli parse {page} >&-", shell=True, capture_output=False,
                          stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2 and done.stderr == "dbp-archive: standard output is closed\n", done.stderr


def test_an_option_after_the_separator_is_told_to_go_before_it_by_a_command_of_options_alone(tmp_path):
    # `stats` and `export csv` take no argument: an option after `--` is said to go before it, as the
    # commands with an argument say (tests/test_search.py), not a bare "see --help".
    for args, where in ((["stats", "--", "--check"], "dbp-archive stats [OPTIONS]"),
                        (["export", "csv", "--", "--db", "x.db"], "dbp-archive export csv [OPTIONS]")):
        done = dbp(*args, cwd=tmp_path)
        one_line_error(done, "unexpected extra argument", "options go before '--'", where)
    assert "'--'" not in dbp("stats", "--", "--chek", cwd=tmp_path).stderr  # no option of stats: no such hint


def test_a_commands_option_before_its_name_is_told_where_it_goes(tmp_path):
    # `dbp-archive --db a.db stats`: the option belongs to the command, after its name.
    for args, where in ((["--db", "x.db", "stats"], "dbp-archive stats --db"),
                        (["--db", "x.db", "export", "csv"], "dbp-archive export csv --db")):
        done = dbp(*args, cwd=tmp_path)
        one_line_error(done, "No such option '--db'", "options go after its name", where)
    assert "after its name" not in dbp("--bogus", cwd=tmp_path).stderr  # no command named: no such hint
    # Only an option the command has; the group's own name once (`export --db x.db csv`).
    assert "after its name" not in dbp("--url", "https://x/y", "stats", cwd=tmp_path).stderr
    assert "after its name" not in dbp("--db", "x.db", "export", cwd=tmp_path).stderr
    one_line_error(dbp("export", "--db", "x.db", "csv", cwd=tmp_path), "after its name: dbp-archive export csv --db")


def test_an_option_missing_its_value_names_the_command(tmp_path):
    one_line_error(dbp("parse", "page.html", "--url", cwd=tmp_path), "dbp-archive parse: Option '--url' requires an argument")


def test_parse_reads_a_page_from_standard_input(tmp_path):
    # `curl … | dbp-archive parse - --url …`: the same article as from the saved file; an empty input
    # is no article (exit 1), as an empty file is.
    import json
    import subprocess
    import sys

    from crawler.replica import Replica

    replica = Replica(seed=1, articles=20)
    article_id = replica.live_ids()[0]
    page = tmp_path / "saved.html"
    page.write_bytes(replica.render_article(article_id).body)
    url = replica.url_for(article_id)
    piped = subprocess.run([sys.executable, "-m", "crawler.cli", "parse", "-", "--url", url], input=page.read_bytes(),
                           capture_output=True, cwd=tmp_path, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout) == json.loads(dbp("parse", page, "--url", url).stdout)
    empty = subprocess.run([sys.executable, "-m", "crawler.cli", "parse", "-"], input=b"", capture_output=True,
                           cwd=tmp_path, timeout=120)
    assert empty.returncode == 1 and b"-: not an article" in empty.stderr and b"Traceback" not in empty.stderr
    closed = subprocess.run(f"{sys.executable} -m crawler.cli parse - <&-", shell=True, capture_output=True,
                            cwd=tmp_path, timeout=120)
    assert closed.returncode == 2 and closed.stderr == b"dbp-archive parse: -: cannot read: standard input is closed\n"


def test_parse_a_saved_page_with_its_url_in_capitals_reads_the_same_article(tmp_path):
    # Scheme and host are case-blind: `HTTPS://BaoDienBienPhu.vn/…` names the same article, with the same
    # id, as the lowercase address (crawler/urls.py reads ids and identities from the path alone).
    import json

    from crawler.replica import Replica

    replica = Replica(seed=1, articles=20)
    article_id = replica.live_ids()[0]
    page = tmp_path / "saved.html"
    page.write_bytes(replica.render_article(article_id).body)
    path = replica.url_for(article_id).split("/", 3)[3]
    read = [json.loads(dbp("parse", page, "--url", f"{origin}/{path}").stdout)
            for origin in ("https://baodienbienphu.vn", "HTTPS://BaoDienBienPhu.vn")]
    assert read[0]["article_id"] == read[1]["article_id"] == article_id
    assert read[0]["title"] == read[1]["title"] and read[0]["body_text"] == read[1]["body_text"]


def test_parse_from_a_terminal_says_it_is_reading_the_terminal(tmp_path):
    # `dbp-archive parse -` typed at a prompt, with nothing piped in, would wait without a word: it says
    # where it reads and how to end, and what is typed there is parsed like a piped page.
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    try:
        run = subprocess.Popen([sys.executable, "-m", "crawler.cli", "parse", "-"], stdin=follower,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
        os.close(follower)
        os.write(leader, b"\x04")  # Ctrl-D at once: an empty page, no article
        out, err = run.communicate(timeout=120)
    finally:
        os.close(leader)
    assert err.startswith(b"dbp-archive parse: reading the page from the terminal; end it with Ctrl-D"), err
    assert run.returncode == 1 and b"-: not an article" in err and b"Traceback" not in err
