"""The replica over real HTTP on loopback: `ReplicaServer` for tests, `run_forever` for the CLI.

HTTP/1.1 with keep-alive (every response has a Content-Length), one thread per connection. Rendering
is CPU-bound and the model is shared, so requests are served one at a time under the replica's lock.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.replica.faults import Faults, relabel_charset, trap_listing
from crawler.replica.model import Replica
from crawler.replica.pages import Page
from crawler.replica.site import Site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    respond: staticmethod  # (method, target, headers) → Page; set on the per-server subclass
    faults: Faults | None = None  # likewise; None: a well-behaved server
    trap: staticmethod | None = None  # path → the pagination trap's page, or None within the real pages

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
        if fault and fault.reset:
            return self._reset()
        if fault and fault.body_bytes:
            return self._send_huge(fault.body_bytes)
        page = None
        if fault and fault.location:
            page = Page(302, {"Location": fault.location, "Content-Type": "text/html; charset=utf-8"}, b"")
        elif fault and fault.status:
            page = Page(fault.status, {"Content-Type": "text/html; charset=utf-8"},
                        b"<html><body><h1>Service Unavailable</h1></body></html>")
        elif fault and fault.body is not None:
            page = Page(200, {"Content-Type": fault.content_type}, fault.body)
        elif fault and fault.trap and self.trap is not None:
            page = self.trap(self.path)
        if page is None:
            page = self.respond(method, self.path, dict(self.headers.items()))
        if fault and fault.robots_lines and page.status == 200:
            agent, _, rules = page.body.partition(b"\n")
            page = Page(page.status, page.headers, agent + b"\n" + fault.robots_lines + rules)
        if fault and fault.charset is not None and page.status == 200:
            page = Page(page.status, *relabel_charset(page.headers, page.body, fault.charset))
        if self.faults:
            self.faults.served(self.path.split("?", 1)[0], page.status)
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        body = b"" if page.status == 304 else page.body
        if page.status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "HEAD" or not body:
            return
        if fault and (fault.truncate or fault.stall):
            return self._send_part(body, fault.stall)
        self.wfile.write(body)

    def _send_part(self, body: bytes, stall: float) -> None:
        """Half the body promised, then (after `stall` seconds of silence) the connection closes."""
        self.close_connection = True
        try:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if stall:
                time.sleep(stall)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first, as it should

    def _reset(self) -> None:
        """No answer at all: the connection is dropped with a TCP RST (SO_LINGER 0, then close)."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

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


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a client that gave up on a faulty answer (a stall, a huge body) did right
        super().handle_error(request, client_address)


def _http_server(host: str, port: int, respond, faults: Faults | None, trap=None) -> ThreadingHTTPServer:
    handler = type("ReplicaHandler", (_Handler,), {"respond": staticmethod(respond), "faults": faults,
                                                   "trap": staticmethod(trap) if trap else None})
    httpd = _QuietServer((host, port), handler)
    httpd.daemon_threads = True
    return httpd


# Today's site: the old domains, as other loopback addresses on the same port (all of 127/8 is
# loopback), by the generation whose pages still link to them.
OLD_HOSTS = {"2023": "127.0.0.2", "2020": "127.0.0.3"}
OLD_DOMAIN_ATTEMPTS = 5


class ReplicaServer:
    """Serve a replica in a background thread: `with ReplicaServer(Replica()) as server: server.url`.

    A replica of today's site (`Replica(today=True)`) also serves its category API on a second
    origin (`api_url`, with its own `api_faults`) and its old domains (`old_urls`), which redirect
    every URL to the current host."""

    def __init__(self, replica: Replica, host: str = "127.0.0.1", port: int = 0, obfuscate: bool = False,
                 faults: Faults | None = None, api_faults: Faults | None = None, keep_pages: bool = False):
        self.replica = replica
        self.site = Site(replica, obfuscate=obfuscate, keep_pages=keep_pages)
        self.faults = faults
        if faults is not None:
            faults.on_redesign = self._redesign
        self.api_url: str | None = None
        self.old_urls: dict[str, str] = {}
        if replica.today:
            self.api_faults = api_faults or Faults()
        # The old domains answer on the main server's port number: a free port picked on 127.0.0.1 may
        # be taken on 127.0.0.2 (another replica's, tests side by side), so another is picked then.
        for attempt in range(OLD_DOMAIN_ATTEMPTS):
            try:
                self._bind(host, port, faults)
                break
            except OSError as exc:
                if port != 0 or exc.errno != errno.EADDRINUSE or attempt == OLD_DOMAIN_ATTEMPTS - 1:
                    raise
        self._threads: list[threading.Thread] = []

    def _bind(self, host: str, port: int, faults) -> None:
        from crawler.replica import api

        replica = self.replica
        self.httpd = _http_server(host, port, self.site.handle, faults, self._trap_page)
        self.host, self.port = self.httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        replica.base_url = self.url  # absolute links and the truth name this server
        self._servers = [self.httpd]
        if not replica.today:
            return
        api_httpd = _http_server(host, 0, lambda method, target, headers: api.handle(replica, method, target),
                                 self.api_faults)
        self.api_url = replica.api_url = f"http://{host}:{api_httpd.server_address[1]}"
        self._servers.append(api_httpd)
        self.old_urls = {}
        for generation, old_host in OLD_HOSTS.items():
            try:
                self._servers.append(_http_server(old_host, self.port, self.site.redirect_to_current, None))
            except OSError as exc:
                for httpd in self._servers:
                    httpd.server_close()
                raise OSError(exc.errno, f"{old_host}:{self.port} (an old domain): {exc.strerror}") from None
            self.old_urls[generation] = f"http://{old_host}:{self.port}"
        replica.old_base_urls = dict(self.old_urls)

    def _trap_page(self, target: str) -> Page | None:
        """The pagination trap's page for a listing URL past its category's real end, else None."""
        from crawler.replica.pages import LISTING_PAGE_SIZE, category_size

        path = target.split("?", 1)[0]
        slug = path.split("/")[2]
        with self.replica.lock:
            category = self.replica.category_by_slug(slug)
            if category is None or self.replica.today:
                return None
            real_pages = max(1, -(-category_size(self.replica, category) // LISTING_PAGE_SIZE))
        body = trap_listing(path, real_pages, self.faults.plan_.trap_links)
        if body is None:
            return None
        self.faults.injected["trap"] += 1
        return Page(200, {"Content-Type": "text/html; charset=utf-8"}, body)

    def _redesign(self, hide: tuple[str, ...]) -> None:
        """The fault plan's mid-crawl redesign: furniture gone, and every class name and wrapper moved."""
        self.replica.redesign(hide=hide)
        self.site.obfuscate = True

    @property
    def old_hosts(self) -> list[str]:
        return [f"{OLD_HOSTS[generation]}" for generation in self.old_urls]

    def start(self) -> "ReplicaServer":
        # A short poll interval keeps shutdown (every test teardown) quick.
        for httpd in self._servers:
            thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                      name="replica-http", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if self._threads:
            for httpd in self._servers:
                httpd.shutdown()
            for thread in self._threads:
                thread.join()
            self._threads = []
        for httpd in self._servers:
            httpd.server_close()

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_forever(host: str = "127.0.0.1", port: int = 0, seed: int = 1, articles: int = 200, epoch: int = 0,
                obfuscate: bool = False, url_file: str | None = None, today: bool = False,
                layouts: str = "generations", faults: list[str] | None = None, fault_seed: int = 1,
                fault_share: float = 0.2, prerender: bool = False) -> None:
    """Serve until SIGINT or SIGTERM; print the URL (and write it to `url_file`) once listening.
    `faults`: mode names (`crawler.replica.faults.MODES`), planned with `fault_seed` and `fault_share`.
    `prerender`: every article page rendered before listening, and kept (`Site(keep_pages=True)`)."""
    replica = Replica(seed=seed, articles=articles, epoch=epoch, today=today, layouts=layouts)
    plan = Faults().plan(faults, seed=fault_seed, share=fault_share) if faults else None
    server = ReplicaServer(replica, host=host, port=port, obfuscate=obfuscate, faults=plan, keep_pages=prerender)
    if prerender:
        server.site.prerender()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    announced = False
    try:
        if url_file:
            temporary = f"{url_file}.tmp{os.getpid()}"
            try:
                with open(temporary, "w", encoding="utf-8") as handle:
                    handle.write(server.url + "\n")
                os.replace(temporary, url_file)  # readers never see a half-written file
            except OSError:
                if os.path.exists(temporary):
                    os.remove(temporary)  # a full disk leaves no half-written temporary behind
                raise
        print(f"Serving replica at {server.url}/ ({replica.total} articles, epoch {replica.epoch})", flush=True)
        announced = True
        if plan is not None:
            print(f"Faults: {', '.join(sorted(plan.modes))} (seed {fault_seed}, share {fault_share:g})", flush=True)
        if server.api_url:
            print(f"Its category API at {server.api_url}/, its old domains at {', '.join(server.old_urls.values())}",
                  flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        if announced:  # else the caller's one line says why it never served
            print("Replica stopped.", file=sys.stderr, flush=True)
