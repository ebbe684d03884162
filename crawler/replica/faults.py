"""Faults the replica can put in a crawler's way, so the crawler's answers to them can be tested.

A real provincial server has bad moments: 5xx under load, answers that never come, a misconfigured
route that streams something huge. `Faults` says which paths misbehave and how:

    faults = Faults()
    faults.fail(path, times=2, status=503)   # the first two requests get 503, then normal service
    faults.stall(path, seconds=3, times=1)   # the first request waits 3 s before answering
    faults.huge(path, megabytes=20)          # always a 20 MB body (no page is that big)
    faults.redirect(path, "http://elsewhere/") # always a 302 to that location
    faults.answer(path, b"<html>…", "text/html") # always a 200 with this body instead

Every request is counted per path (`faults.requests[path]`), faulty or not.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass


@dataclass
class _Rule:
    kind: str  # "fail", "stall", "huge", "redirect" or "answer"
    times: int | None  # None: every time
    status: int = 503
    seconds: float = 0.0
    megabytes: int = 0
    location: str = ""
    body: bytes | None = None
    content_type: str = ""


@dataclass
class Fault:
    """What the server should do instead of (or before) serving the page."""

    status: int | None = None  # answer with this status and a short error page
    delay: float = 0.0  # wait this long first
    body_bytes: int = 0  # answer 200 with a body this big
    location: str = ""  # answer 302 to this location
    body: bytes | None = None  # answer 200 with this body
    content_type: str = ""


class Faults:
    def __init__(self):
        self._rules: dict[str, _Rule] = {}
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()

    def fail(self, path: str, times: int = 1, status: int = 503) -> "Faults":
        self._rules[path] = _Rule("fail", times, status=status)
        return self

    def stall(self, path: str, seconds: float, times: int = 1) -> "Faults":
        self._rules[path] = _Rule("stall", times, seconds=seconds)
        return self

    def huge(self, path: str, megabytes: int = 20) -> "Faults":
        self._rules[path] = _Rule("huge", None, megabytes=megabytes)
        return self

    def redirect(self, path: str, location: str) -> "Faults":
        self._rules[path] = _Rule("redirect", None, location=location)
        return self

    def answer(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> "Faults":
        self._rules[path] = _Rule("answer", None, body=body, content_type=content_type)
        return self

    def on_request(self, path: str) -> Fault | None:
        path = path.split("?", 1)[0]
        with self._lock:
            self.requests[path] += 1
            rule = self._rules.get(path)
            if rule is None or (rule.times is not None and self.requests[path] > rule.times):
                return None
        if rule.kind == "fail":
            return Fault(status=rule.status)
        if rule.kind == "redirect":
            return Fault(location=rule.location)
        if rule.kind == "answer":
            return Fault(body=rule.body, content_type=rule.content_type)
        if rule.kind == "stall":
            return Fault(delay=rule.seconds)
        return Fault(body_bytes=rule.megabytes * 1024 * 1024)
