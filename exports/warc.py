"""WARC/1.1 export for web archivists: the archive's stored responses as pywb, ReplayWeb.page or any
WARC tool reads them, written with warcio: one gzip member per record, or uncompressed for a file
named `.warc` (`gzipped_for`).

Records, in this order per fetch (what goes in: `archive.web_archive`):

- one `warcinfo` first: the software, the archive and the selection, and the conventions below;
- `response`: a stored capture as its first fetch returned it: the status line, the stored headers
  and the body byte for byte as stored. `WARC-Date` is the fetch time, `WARC-Target-URI` the URL
  fetched (after redirects; `DBP-Redirected-From` names the URL asked for, when one led there);
- `request`: the GET of that URL, `WARC-Concurrent-To` its response. The crawler does not store the
  requests it sends, so this one is rebuilt from the URL (request line and `Host`), and
  `DBP-Reconstructed` says so;
- `revisit`: a later fetch that returned a stored body again (profile identical-payload-digest), or
  a 304 (profile server-not-modified), `WARC-Refers-To-Target-URI`/`-Date`/`WARC-Refers-To` naming
  the response it stands for. Its HTTP headers were not stored: the status line, and for an identical
  body its `Content-Type` and `Content-Length`, are rebuilt (`DBP-Reconstructed`);
- `metadata`: per version parsed from that capture, the parsed article as JSON
  (`Archive.version_article(id).to_json()`, `application/json`), `WARC-Concurrent-To` the response,
  `DBP-Article-URL` the page. Its `WARC-Target-URI` is `urn:dbp-archive:version:IDENTITY:NUMBER`,
  not the page's URL: pywb indexes metadata records under their target, and would answer the page's
  URL with the JSON.

**Headers that match the stored body.** Scrapy undoes a response's gzip/deflate/br/zstd encoding
before the archive stores it, and drops `Content-Encoding`; `Content-Length` and `Transfer-Encoding`
still describe the bytes on the wire. A replay tool would cut the body at the wrong length or try to
decode it again, so a response's headers are rewritten to describe the body as stored: no
`Transfer-Encoding`, `Content-Length` its size (a `Content-Encoding` still there names an encoding
the crawler could not undo, so the body is still in it, and it stays). Every response carries
`DBP-Headers-Rewritten`: `none`, or what was changed (`content-length 5321 -> 68706;
transfer-encoding chunked removed`).

Payload digests are the archive's own sha256 (`captures.sha256`, in base32 as WARC tools write them),
so a revisit names the digest of the response it stands for without reading the body again. Record
ids are UUIDs derived from what each record is (the capture's sha256 and time, the observation, the
version), so exporting the same archive twice gives the same ids.
"""

from __future__ import annotations

import base64
import http
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from io import BytesIO
from typing import IO
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.db import Archive
from archive.times import from_iso
from archive.web_archive import Fetch, VersionRow, WebArchiveScope

RECORD_TYPES = ("warcinfo", "response", "request", "revisit", "metadata")
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Namespace of the record ids (a fixed UUID of our own: ids are uuid5 names under it).
RECORD_ID_NAMESPACE = uuid.UUID("6f1c3f8e-4c1a-5b0e-9a57-0d7d2b6a1e10")
# Hop-by-hop and framing headers that describe the bytes on the wire, not the body as stored.
DROPPED_HEADERS = ("transfer-encoding",)

CONVENTIONS = (
    "bodies are stored as the crawler received them after undoing Content-Encoding; response headers"
    " are rewritten to match (DBP-Headers-Rewritten says how); request records and revisit HTTP headers"
    " are rebuilt, not recorded (DBP-Reconstructed says what); payload digests are sha256"
)


def gzipped_for(output: str) -> bool:
    """Whether a WARC written to `output` is gzipped per record: not for a name ending `.warc`, which
    readers take for an uncompressed file; yes for `.warc.gz`, and for any other name or stdout (`-`),
    since web-archive tools expect gzipped WARCs."""
    return not output.lower().endswith(".warc")


@dataclass(frozen=True)
class WarcWritten:
    """What `write_warc` wrote: the records by type (every one of RECORD_TYPES), and the articles
    they hold (each version of a selected article is a metadata record)."""

    records: Counter
    articles: int


def write_warc(archive: Archive, stream: IO[bytes], scope: WebArchiveScope, *, filename: str,
               description: dict[str, str], software: str, gzip: bool = True) -> WarcWritten:
    """Write the WARC of `scope` to `stream`, each record gzipped unless `gzip` is false."""
    writer = WARCWriter(stream, gzip=gzip, warc_version="1.1")
    written: Counter = Counter({record_type: 0 for record_type in RECORD_TYPES})
    articles: set[str] = set()

    def write(record) -> None:
        writer.write_record(record)
        written[record.rec_type] += 1
        if record.rec_type == "metadata":
            articles.add(record.rec_headers.get_header("DBP-Article-Identity"))

    info = {"software": software, "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            **description, "dbp-conventions": CONVENTIONS}
    write(writer.create_warcinfo_record(filename, info))
    for fetch in scope.fetches():
        if fetch.kind == "response":
            _write_response(writer, write, archive, scope, fetch)
        else:
            _write_revisit(writer, write, fetch)
    for version in scope.versions_without_capture():
        write(_metadata_record(writer, archive, version))
    return WarcWritten(written, len(articles))


def _write_response(writer: WARCWriter, write: Callable, archive: Archive, scope: WebArchiveScope,
                    fetch: Fetch) -> None:
    body = archive.capture_body(fetch.capture_id)
    headers, rewritten = headers_for_stored_body(fetch.headers, len(body))
    response_id = response_record_id(fetch.sha256, fetch.fetched_at, fetch.url)
    warc_headers = {
        "WARC-Type": "response",
        "WARC-Record-ID": response_id,
        "WARC-Target-URI": fetch.url,
        "WARC-Date": warc_date(fetch.fetched_at),
        "WARC-Payload-Digest": sha256_digest(fetch.sha256),
        "DBP-Headers-Rewritten": rewritten,
    }
    if fetch.redirected_from:
        warc_headers["DBP-Redirected-From"] = fetch.redirected_from
    record = writer.create_warc_record(
        fetch.url, "response", payload=BytesIO(body), length=len(body), warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(status_line(fetch.status), headers, protocol="HTTP/1.1"))
    write(record)
    write(_request_record(writer, fetch, response_id))
    for version in scope.versions_of_capture(fetch.capture_id):
        write(_metadata_record(writer, archive, version))


def _write_revisit(writer: WARCWriter, write: Callable, fetch: Fetch) -> None:
    not_modified = fetch.status == 304
    refers_to = response_record_id(fetch.sha256, fetch.refers_to_at, fetch.refers_to_url)
    revisit_id = _record_id("revisit", fetch.sha256, fetch.fetched_at, fetch.url)
    if not_modified:
        headers: list[tuple[str, str]] = []
        reconstructed = "HTTP headers: only the status line (the 304's headers were not stored)"
    else:
        headers = [(name, value) for name, value in (
            ("Content-Type", fetch.headers.get("content-type")), ("Content-Length", str(fetch.size))) if value]
        reconstructed = ("HTTP headers: the status line, and Content-Type and Content-Length from the identical"
                         " body's response (the revisit's own headers were not stored)")
    warc_headers = {
        "WARC-Type": "revisit",
        "WARC-Record-ID": revisit_id,
        "WARC-Target-URI": fetch.url,
        "WARC-Date": warc_date(fetch.fetched_at),
        "WARC-Refers-To": refers_to,
        "DBP-Reconstructed": reconstructed,
    }
    if fetch.redirected_from:
        warc_headers["DBP-Redirected-From"] = fetch.redirected_from
    http_headers = StatusAndHeaders(status_line(fetch.status), headers, protocol="HTTP/1.1")
    record = writer.create_revisit_record(fetch.url, sha256_digest(fetch.sha256), fetch.refers_to_url,
                                          warc_date(fetch.refers_to_at), http_headers=http_headers,
                                          warc_headers_dict=warc_headers)
    if not_modified:
        record.rec_headers.replace_header("WARC-Profile", SERVER_NOT_MODIFIED)
    write(record)
    write(_request_record(writer, fetch, revisit_id))


def _request_record(writer: WARCWriter, fetch: Fetch, concurrent_to: str):
    parts = urlsplit(fetch.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    http_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], protocol="",
                                    is_http_request=True)
    warc_headers = {
        "WARC-Type": "request",
        "WARC-Record-ID": _record_id("request", concurrent_to),
        "WARC-Target-URI": fetch.url,
        "WARC-Date": warc_date(fetch.fetched_at),
        "WARC-Concurrent-To": concurrent_to,
        "DBP-Reconstructed": ("the request line and Host header, from the URL fetched (the crawler does not"
                              " store the requests it sends)"),
    }
    return writer.create_warc_record(fetch.url, "request", http_headers=http_headers, warc_headers_dict=warc_headers)


def _metadata_record(writer: WARCWriter, archive: Archive, version: VersionRow):
    article_json = archive.version_article(version.id).to_json().encode("utf-8")
    warc_headers = {
        "WARC-Type": "metadata",
        "WARC-Record-ID": _record_id("metadata", version.identity, str(version.number), version.first_seen),
        "WARC-Date": warc_date(version.capture_fetched_at or version.first_seen),
        "DBP-Article-Identity": version.identity,
        "DBP-Article-URL": version.capture_url or version.url,
        "DBP-Version": str(version.number),
        "DBP-Version-Change": version.change,
        "DBP-Version-First-Seen": version.first_seen,
        "DBP-Version-Last-Seen": version.last_seen,
        "DBP-Parser-Version": version.parser_version,
    }
    if version.capture_id is not None:
        warc_headers["WARC-Concurrent-To"] = response_record_id(
            version.capture_sha256, version.capture_fetched_at, version.capture_url)
    return writer.create_warc_record(metadata_uri(version.identity, version.number), "metadata",
                                     payload=BytesIO(article_json),
                                     length=len(article_json), warc_content_type="application/json",
                                     warc_headers_dict=warc_headers)


def headers_for_stored_body(stored: dict[str, str], size: int) -> tuple[list[tuple[str, str]], str]:
    """The response headers that describe the body as stored (`size` bytes), and a note of what was
    changed (`none` when nothing was)."""
    headers: list[tuple[str, str]] = []
    changes: list[str] = []
    for name, value in stored.items():
        if name in DROPPED_HEADERS:
            changes.append(f"{name} {value} removed")
        elif name == "content-length":
            if value.strip() != str(size):
                changes.append(f"content-length {value} -> {size}")
        else:
            headers.append((_header_case(name), value))
    if "content-length" not in stored:
        changes.append(f"content-length {size} added")
    headers.append(("Content-Length", str(size)))
    return headers, "; ".join(changes) or "none"


def status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def warc_date(site_time: str) -> str:
    """A stored time (`+07:00`) as WARC-Date wants it: UTC, `Z`."""
    return from_iso(site_time).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_digest(hex_sha256: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_sha256)).decode("ascii")


def metadata_uri(identity: str, number: int) -> str:
    """A version's metadata record's target: not the page's URL, which replay tools would then answer
    with the JSON instead of the page (pywb indexes metadata records under their target)."""
    return f"urn:dbp-archive:version:{quote(identity, safe='/')}:{number}"


def response_record_id(sha256: str, fetched_at: str, url: str) -> str:
    return _record_id("response", sha256, fetched_at, url)


def _record_id(*name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_ID_NAMESPACE, chr(31).join(name))}>"


def _header_case(name: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))
