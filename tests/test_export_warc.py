"""`dbp-archive export warc`: every stored capture of the archive in a WARC/1.1 file that warcio checks
and indexes and pywb replays, with revisits, rebuilt requests and each version's article as JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections import Counter
from datetime import timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.db import Archive
from archive.times import from_iso
from crawler.replica import Replica, ReplicaServer
from exports.warc import headers_for_stored_body
from tests.clirun import dbp, one_line_error, query

WARCIO = Path(sys.executable).parent / "warcio"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def revisited_archive(history_archive, tmp_path_factory) -> Path:
    """The history archive crawled twice more by a replica that changes nothing: the first recheck
    brings bodies stored before (the take-down page, byte for byte: identical-payload revisits), the
    second answers 304 to the validators the first kept (server-not-modified revisits)."""
    db = tmp_path_factory.mktemp("revisited") / "archive.db"
    shutil.copyfile(history_archive, db)
    replica = Replica(seed=1, articles=60)
    replica.advance()  # where the history archive's second crawl left it
    with ReplicaServer(replica) as server:
        command = ["crawl", "--db", db, "--start-url", server.url + "/", "--no-politeness",
                   "-s", "DBP_RETRY_BACKOFF_BASE=0", "-s", "RETRY_TIMES=0", "--recheck-all"]
        for _ in range(2):
            done = dbp(*command)
            assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def exported(revisited_archive) -> tuple[Path, str]:
    """The whole archive as a WARC, and what the command said on stderr."""
    warc = revisited_archive.parent / "archive.warc.gz"
    done = dbp("export", "warc", "--db", revisited_archive, "-o", warc)
    assert done.returncode == 0, done.stderr
    return warc, done.stderr


def read_records(path: Path) -> list[dict]:
    """Every record of a WARC: its type, WARC headers, HTTP status line and headers, and payload."""
    records = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            records.append({
                "type": record.rec_type,
                "version": record.rec_headers.protocol,
                "headers": dict(record.rec_headers.headers),
                "status_line": record.http_headers.statusline if record.http_headers else None,
                "http_protocol": record.http_headers.protocol if record.http_headers else None,  # a request's method
                "http": ({name.lower(): value for name, value in record.http_headers.headers}
                         if record.http_headers else {}),
                "payload": record.content_stream().read(),
            })
    return records


def sha256_digest(hex_sha256: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_sha256)).decode()


def utc(site_time: str) -> str:
    return from_iso(site_time).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def revisit_counts(db: Path) -> tuple[int, int]:
    """(identical-payload revisits, 304 revisits) as the archive records them: every fetch of a stored
    body but the one that stored it, and every 304 about a version with a capture."""
    identical = query(db, "SELECT (SELECT count(*) FROM observations WHERE capture_id IS NOT NULL)"
                          " - (SELECT count(DISTINCT capture_id) FROM observations)")[0][0]
    not_modified = query(db, "SELECT count(*) FROM observations AS o JOIN versions AS v ON v.id = o.version_id"
                             " WHERE o.status = 304 AND v.capture_id IS NOT NULL")[0][0]
    return identical, not_modified


def test_every_capture_is_in_the_warc_byte_for_byte(revisited_archive, exported):
    warc, _ = exported
    records = read_records(warc)
    assert records[0]["type"] == "warcinfo"
    assert {record["version"] for record in records} == {"WARC/1.1"}
    responses = {record["headers"]["WARC-Payload-Digest"]: record for record in records if record["type"] == "response"}
    captures = query(revisited_archive, "SELECT id, sha256, fetched_at, url, status FROM captures ORDER BY id")
    assert len(responses) == len(captures) == len([r for r in records if r["type"] == "response"])
    with Archive(revisited_archive, readonly=True) as archive:
        for capture_id, sha256, fetched_at, url, status in captures:
            record = responses[sha256_digest(sha256)]
            body = archive.capture_body(capture_id)
            assert record["payload"] == body, capture_id
            assert hashlib.sha256(record["payload"]).hexdigest() == sha256
            assert record["headers"]["WARC-Target-URI"] == url
            assert record["headers"]["WARC-Date"] == utc(fetched_at)
            assert record["status_line"].split()[0] == str(status)
            # Headers describe the body as stored: its length, no framing of the wire's bytes.
            assert record["http"]["content-length"] == str(len(body))
            assert "transfer-encoding" not in record["http"]
            assert record["headers"]["DBP-Headers-Rewritten"]


def test_record_counts_by_type_match_the_archive(revisited_archive, exported):
    warc, stderr = exported
    identical, not_modified = revisit_counts(revisited_archive)
    assert identical > 0 and not_modified > 0  # the archive has both kinds, so both are tested
    captures = query(revisited_archive, "SELECT count(*) FROM captures")[0][0]
    versions = query(revisited_archive, "SELECT count(*) FROM versions")[0][0]
    expected = {"warcinfo": 1, "response": captures, "request": captures + identical + not_modified,
                "revisit": identical + not_modified, "metadata": versions}
    records = read_records(warc)
    assert Counter(record["type"] for record in records) == expected
    profiles = Counter(record["headers"]["WARC-Profile"].rsplit("/", 1)[1] for record in records
                       if record["type"] == "revisit")
    assert profiles == {"identical-payload-digest": identical, "server-not-modified": not_modified}
    articles = query(revisited_archive, "SELECT count(*) FROM articles")[0][0]
    line = stderr.strip().splitlines()[-1]
    assert line == (f"exported {articles} articles to {warc} as {sum(expected.values())} WARC records ("
                    + ", ".join(f"{count} {kind}" for kind, count in expected.items()) + ")")


def test_revisits_and_requests_point_at_records_in_the_warc(exported):
    records = read_records(exported[0])
    by_id = {record["headers"]["WARC-Record-ID"]: record for record in records}
    assert len(by_id) == len(records)  # record ids are unique
    for record in records:
        headers = record["headers"]
        if record["type"] == "revisit":
            original = by_id[headers["WARC-Refers-To"]]
            assert original["type"] == "response"
            assert headers["WARC-Payload-Digest"] == original["headers"]["WARC-Payload-Digest"]
            assert headers["WARC-Refers-To-Target-URI"] == original["headers"]["WARC-Target-URI"]
            assert headers["WARC-Refers-To-Date"] == original["headers"]["WARC-Date"]
            assert headers["WARC-Date"] > original["headers"]["WARC-Date"]
            assert record["payload"] == b""  # headers only: the body is the original's
            assert "DBP-Reconstructed" in headers
        if record["type"] == "request":
            answered = by_id[headers["WARC-Concurrent-To"]]
            assert answered["type"] in ("response", "revisit")
            assert headers["WARC-Target-URI"] == answered["headers"]["WARC-Target-URI"]
            assert record["http_protocol"] == "GET" and record["status_line"].startswith("/")
            assert record["http"]["host"] == headers["WARC-Target-URI"].split("/")[2]
            assert "DBP-Reconstructed" in headers


def test_metadata_records_carry_each_stored_version(revisited_archive, exported):
    records = read_records(exported[0])
    by_id = {record["headers"]["WARC-Record-ID"]: record for record in records}
    metadata = [record for record in records if record["type"] == "metadata"]
    versions = query(revisited_archive, "SELECT v.id, v.identity, v.number, c.sha256 FROM versions AS v"
                                        " JOIN captures AS c ON c.id = v.capture_id")
    assert len(metadata) == len(versions)
    found = {(record["headers"]["DBP-Article-Identity"], int(record["headers"]["DBP-Version"])): record
             for record in metadata}
    with Archive(revisited_archive, readonly=True) as archive:
        for version_id, identity, number, sha256 in versions:
            record = found[(identity, number)]
            assert record["headers"]["Content-Type"] == "application/json"
            assert json.loads(record["payload"]) == json.loads(archive.version_article(version_id).to_json())
            response = by_id[record["headers"]["WARC-Concurrent-To"]]
            assert response["headers"]["WARC-Payload-Digest"] == sha256_digest(sha256)
            assert record["headers"]["DBP-Article-URL"] == response["headers"]["WARC-Target-URI"]
            # Not the page's URL, which a replay tool would then answer with this JSON.
            assert record["headers"]["WARC-Target-URI"].startswith("urn:dbp-archive:version:")


def test_warcio_checks_and_indexes_it(exported):
    warc, _ = exported
    checked = subprocess.run([WARCIO, "check", "-v", warc], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "digest pass" in checked.stdout and "failed" not in checked.stdout
    indexed = subprocess.run([WARCIO, "index", "-f", "warc-type,warc-target-uri", warc], capture_output=True,
                             text=True, timeout=120)
    assert indexed.returncode == 0, indexed.stderr
    lines = [json.loads(line) for line in indexed.stdout.splitlines()]
    assert Counter(line["warc-type"] for line in lines) == Counter(record["type"] for record in read_records(warc))


def test_the_name_says_whether_it_is_gzipped(revisited_archive, exported, tmp_path):
    """`.warc` is an uncompressed WARC, `.warc.gz` one gzip member per record, and any other name is
    gzipped (the default web-archive tools expect): the same records either way."""
    warc, _ = exported
    assert warc.read_bytes()[:2] == b"\x1f\x8b"
    gzipped = read_records(warc)
    for name, magic in (("plain.warc", b"WARC/1.1"), ("PLAIN.WARC", b"WARC/1.1"), ("other.bin", b"\x1f\x8b")):
        done = dbp("export", "warc", "--db", revisited_archive, "-o", tmp_path / name)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_bytes().startswith(magic), name
        assert read_records(tmp_path / name)[1:] == gzipped[1:], name  # the warcinfo names its file
        checked = subprocess.run([WARCIO, "check", tmp_path / name], capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_exporting_twice_gives_the_same_records(revisited_archive, exported, tmp_path):
    again = tmp_path / "again.warc.gz"
    assert dbp("export", "warc", "--db", revisited_archive, "-o", again).returncode == 0
    first, second = read_records(exported[0]), read_records(again)
    assert [r["headers"]["WARC-Record-ID"] for r in first[1:]] == [r["headers"]["WARC-Record-ID"] for r in second[1:]]
    assert [r["payload"] for r in first[1:]] == [r["payload"] for r in second[1:]]


def picked_identities(db: Path, where: str, *params) -> set[str]:
    return {row[0] for row in query(db, "SELECT a.identity FROM articles AS a JOIN versions AS v"
                                        f" ON v.id = a.current_version_id WHERE {where}", *params)}


def exported_identities(warc: Path) -> tuple[set[str], set[str]]:
    """(identities of the metadata records, sha256 of the responses) of a WARC."""
    records = read_records(warc)
    return ({r["headers"]["DBP-Article-Identity"] for r in records if r["type"] == "metadata"},
            {hashlib.sha256(r["payload"]).hexdigest() for r in records if r["type"] == "response"})


def captures_of(db: Path, identities: set[str]) -> set[str]:
    marks = ",".join("?" * len(identities))
    return {row[0] for row in query(
        db, f"SELECT sha256 FROM captures WHERE id IN (SELECT capture_id FROM observations WHERE identity IN ({marks}))"
            f" OR id IN (SELECT capture_id FROM versions WHERE identity IN ({marks}))", *identities, *identities)}


@pytest.mark.parametrize("option", ["--category", "--since", "--state"])
def test_filters_narrow_the_warc_to_the_picked_articles(revisited_archive, tmp_path, option):
    db = revisited_archive
    if option == "--category":
        value = query(db, "SELECT v.category FROM articles AS a JOIN versions AS v ON v.id = a.current_version_id"
                          " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0]
        expected = picked_identities(db, "v.category = ?", value)
    elif option == "--since":
        value = query(db, "SELECT substr(published_at, 1, 10) FROM versions WHERE published_at IS NOT NULL"
                          " ORDER BY published_at DESC LIMIT 1 OFFSET 10")[0][0]
        expected = picked_identities(db, "v.published_at >= ?", value)
    else:
        value = "gone"
        expected = picked_identities(db, "a.state = 'gone'")
    total = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < len(expected) < total
    warc = tmp_path / "some.warc.gz"
    done = dbp("export", "warc", "--db", db, "-o", warc, option, value)
    assert done.returncode == 0, done.stderr
    identities, bodies = exported_identities(warc)
    assert identities == expected
    assert bodies == captures_of(db, expected)
    checked = subprocess.run([WARCIO, "check", warc], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout


def test_a_warc_of_nothing_matched_names_the_filters(revisited_archive, tmp_path):
    warc = tmp_path / "none.warc.gz"
    done = dbp("export", "warc", "--db", revisited_archive, "-o", warc, "--category", "nosuch")
    assert done.returncode == 0, done.stderr
    # As csv says it: the filter belongs to the articles, not to the warcinfo record the file still holds.
    line = done.stderr.strip()
    assert line.startswith(f"exported 0 articles to {warc} with --category 'nosuch'") and "record" not in line, line
    assert exported_identities(warc) == (set(), set())


def test_a_warc_on_stdout_says_its_count_on_stderr_and_writes_records_alone(revisited_archive):
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "warc", "--db", str(revisited_archive),
                           "-o", "-", "--category", "nosuch"], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode().startswith("exported 0 articles to stdout with --category 'nosuch'")
    assert len(done.stderr.decode().splitlines()) == 1
    assert done.stdout[:2] == b"\x1f\x8b"  # gzipped, as any name but FILE.warc
    assert [record.rec_type for record in ArchiveIterator(io.BytesIO(done.stdout))] == ["warcinfo"]


def test_headers_are_rewritten_to_match_the_decoded_body():
    """Scrapy stored the body decoded and dropped Content-Encoding; the wire's length and chunking
    would make a replay tool cut the body short or wait for chunks."""
    headers, note = headers_for_stored_body(
        {"content-type": "text/html", "content-length": "5321", "transfer-encoding": "chunked"}, 68706)
    assert headers == [("Content-Type", "text/html"), ("Content-Length", "68706")]
    assert note == "content-length 5321 -> 68706; transfer-encoding chunked removed"
    assert headers_for_stored_body({"content-type": "text/html", "content-length": "12"}, 12)[1] == "none"
    assert headers_for_stored_body({}, 12) == ([("Content-Length", "12")], "content-length 12 added")
    # An encoding the crawler could not undo is still on the body: its header stays.
    kept, _ = headers_for_stored_body({"content-encoding": "compress"}, 3)
    assert ("Content-Encoding", "compress") in kept


def test_refusals_are_one_line_and_leave_files_alone(copy_archive, tmp_path):
    db = copy_archive()
    existing = tmp_path / "old.warc.gz"
    existing.write_bytes(b"old")
    one_line_error(dbp("export", "warc", "--db", db, "-o", existing), "old.warc.gz", "--force")
    one_line_error(dbp("export", "warc", "--db", db, "-o", db, "--force"), "archive itself")
    other_db = copy_archive("other.db")
    one_line_error(dbp("export", "warc", "--db", db, "-o", other_db, "--force"), "SQLite")
    one_line_error(dbp("export", "warc", "--db", tmp_path / "missing.db", "-o", tmp_path / "x.warc.gz"),
                   "missing.db", "no such archive")
    one_line_error(dbp("export", "warc", "--db", db, "-o", tmp_path / "no" / "x.warc.gz"), "no such directory")
    one_line_error(dbp("export", "warc", "--db", db, "-o", existing, "--force", "--search", '"unbalanced'),
                   "--search", "unbalanced")
    one_line_error(dbp("export", "warc", "--db", db, "-o", existing, "--force", "--since", "2024-13-01"), "2024-13-01")
    one_line_error(dbp("export", "warc", "--db", db, "-o", existing, "--force", "--since", "2025-02-01",
                       "--until", "2025-01-01"), "after")
    one_line_error(dbp("export", "warc", "--db", db, "-o", existing, "--force", "--state", "dead"), "dead")
    one_line_error(dbp("export", "warc", "--db", db), "-o")
    assert existing.read_bytes() == b"old"  # no refusal wrote over it
    assert [p.name for p in tmp_path.iterdir() if ".warc" in p.name] == ["old.warc.gz"]  # nor left a part
    done = dbp("export", "warc", "--db", db, "-o", existing, "--force")
    assert done.returncode == 0, done.stderr
    assert read_records(existing)[0]["type"] == "warcinfo"


# --- replay in pywb ---------------------------------------------------------------------------------

def _pywb_requirement() -> str:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["optional-dependencies"]["replay"][0]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pywb_bin(tmp_path_factory) -> Path:
    """pywb's scripts, from a venv of its own: pywb's brotlipy would shadow the brotli Scrapy needs
    in the project's venv (see pyproject.toml's `replay` extra)."""
    venv = tmp_path_factory.mktemp("pywb") / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True, timeout=300)
    if made.returncode:
        _unavailable(f"cannot make a venv for pywb: {made.stderr.strip()[-300:]}")
    installed = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", _pywb_requirement()],
                               capture_output=True, text=True, timeout=600)
    if installed.returncode:
        _unavailable(f"pywb cannot be installed: {installed.stderr.strip()[-300:]}")
    return venv / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_pywb_replays_the_archived_articles(pywb_bin, revisited_archive, exported, tmp_path):
    warc, _ = exported
    for command in (["wb-manager", "init", "dbp"], ["wb-manager", "add", "dbp", str(warc)]):
        done = subprocess.run([pywb_bin / command[0], *command[1:]], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    port = _free_port()
    log = open(tmp_path / "wayback.log", "wb")
    server = subprocess.Popen([pywb_bin / "wayback", "-p", str(port), "-b", "127.0.0.1"], cwd=tmp_path,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/dbp"
    try:
        for _ in range(300):  # until it listens (or dies)
            if server.poll() is not None:
                pytest.fail(f"wayback exited: {(tmp_path / 'wayback.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        # An edited article: each of its versions' captures, at its own fetch time.
        edited = query(revisited_archive, "SELECT v.title, c.id, c.url, c.fetched_at FROM versions AS v"
                                          " JOIN captures AS c ON c.id = v.capture_id WHERE v.identity ="
                                          " (SELECT identity FROM versions WHERE change = 'edit' LIMIT 1)"
                                          " ORDER BY v.number")
        assert len(edited) >= 2
        with Archive(revisited_archive, readonly=True) as archive:
            for title, capture_id, url, fetched_at in edited:
                timestamp = utc(fetched_at).translate(str.maketrans("", "", "-T:Z"))
                status, raw = _get(f"{base}/{timestamp}id_/{url}")
                assert status == 200
                assert raw == archive.capture_body(capture_id)  # the body exactly as the archive holds it
                status, page = _get(f"{base}/{timestamp}mp_/{url}")  # the page as pywb rewrites it
                assert status == 200 and (title.encode() in page or html.escape(title).encode() in page)
                status, frame = _get(f"{base}/{timestamp}/{url}")  # what a reader opens: the framed replay
                assert status == 200 and b"replay_iframe" in frame
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
