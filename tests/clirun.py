"""Running `dbp-archive` as users do: a subprocess, its exit status and what it printed, and what it
left in the archive."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys


def dbp(*args, cwd=None, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})})


def one_line_error(done, *words, status=2):
    """The contract for bad input: the documented exit status, one line on stderr naming the input,
    and never a traceback."""
    assert done.returncode == status, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in done.stderr + done.stdout


def query(db, sql, *params):
    """Rows of `sql` on the archive at `db`, through a connection closed at once (an open file would
    keep a read-only mount busy, and a crawl's writer waiting)."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()
