"""The replica over real HTTP on loopback: `ReplicaServer` for tests, `run_forever` for the CLI.

HTTP/1.1 with keep-alive (every response has a Content-Length), one thread per connection. Rendering
is CPU-bound and the model is shared, so requests are served one at a time under the replica's lock.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.replica.faults import Faults
from crawler.replica.model import Replica
from crawler.replica.pages import Page
from crawler.replica.site import Site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site  # set on the per-server subclass
    faults: Faults | None = None  # likewise; None: a well-behaved server

    def version_string(self) -> str:
        return "nginx"  # what the real site answers with; no replica fingerprint in headers

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fault = self.faults.on_request(self.path) if self.faults else None
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.body_bytes:
            return self._send_huge(fault.body_bytes)
        if fault and fault.location:
            page = Page(302, {"Location": fault.location, "Content-Type": "text/html; charset=utf-8"}, b"")
        elif fault and fault.status:
            page = Page(fault.status, {"Content-Type": "text/html; charset=utf-8"},
                        b"<html><body><h1>Service Unavailable</h1></body></html>")
        else:
            page = self.site.handle(method, self.path, dict(self.headers.items()))
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        body = b"" if page.status == 304 else page.body
        if page.status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and body:
            self.wfile.write(body)

    def _send_huge(self, size: int) -> None:
        """A 200 whose body never ends soon: streamed in chunks so the server holds none of it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
            self.wfile.write(b"x" * (size % len(chunk)))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client refused it, as it should

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # a crawl makes thousands of requests; the tests read results, not logs


class ReplicaServer:
    """Serve a replica in a background thread: `with ReplicaServer(Replica()) as server: server.url`."""

    def __init__(self, replica: Replica, host: str = "127.0.0.1", port: int = 0, obfuscate: bool = False,
                 faults: Faults | None = None):
        self.replica = replica
        self.site = Site(replica, obfuscate=obfuscate)
        self.faults = faults
        handler = type("ReplicaHandler", (_Handler,), {"site": self.site, "faults": faults})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        replica.base_url = self.url  # absolute links and the truth name this server
        self._thread: threading.Thread | None = None

    def start(self) -> "ReplicaServer":
        # A short poll interval keeps shutdown (every test teardown) quick.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="replica-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_forever(host: str = "127.0.0.1", port: int = 0, seed: int = 1, articles: int = 200, epoch: int = 0,
                obfuscate: bool = False, url_file: str | None = None) -> None:
    """Serve until SIGINT or SIGTERM; print the URL (and write it to `url_file`) once listening."""
    replica = Replica(seed=seed, articles=articles, epoch=epoch)
    server = ReplicaServer(replica, host=host, port=port, obfuscate=obfuscate)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    try:
        if url_file:
            temporary = f"{url_file}.tmp{os.getpid()}"
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(server.url + "\n")
            os.replace(temporary, url_file)  # readers never see a half-written file
        print(f"Serving replica at {server.url}/ ({replica.total} articles, epoch {replica.epoch})", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        print("Replica stopped.", file=sys.stderr, flush=True)
