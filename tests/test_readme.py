"""The README's walk-through works as written: each command line of its `walkthrough` block runs
against a replica started as the README says (on a free port instead of 8000)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from crawler.replica import Replica, ReplicaServer

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough(name: str = "walkthrough") -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {name} -->\s*```sh\n(.*?)```", text, flags=re.S)
    assert block, f"README.md lost its {name} block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_walkthrough_runs_against_the_replica(tmp_path):
    import urllib.request

    replica_line = re.search(r"dbp-archive replica --port 8000 --articles (\d+)", README.read_text(encoding="utf-8"))
    assert replica_line, "README.md no longer says how to start the replica"
    with ReplicaServer(Replica(articles=int(replica_line.group(1)))) as server:
        for line in walkthrough():
            words = shlex.split(line.replace("http://127.0.0.1:8000", server.url))
            if words[0] == "curl":  # what curl does here, without needing curl
                url = words[-1]
                request = urllib.request.Request(url, method="POST" if "POST" in words else "GET")
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = response.read()
                if "-o" in words:
                    (tmp_path / words[words.index("-o") + 1]).write_bytes(body)
                continue
            assert words[0] == ".venv/bin/dbp-archive", line
            done = subprocess.run([sys.executable, "-m", "crawler.cli", *words[1:]], cwd=tmp_path,
                                  capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, f"{line}\n{done.stderr}"
            assert "Traceback" not in done.stderr
            if words[1] == "parse":
                assert '"title":' in done.stdout
    assert (tmp_path / "try.csv").stat().st_size > 1000
    # The history section's examples name articles of this archive: each runs on it as written.
    for line in walkthrough("history"):
        words = shlex.split(line, comments=True)
        output = words[words.index(">") + 1] if ">" in words else None
        words = words[:words.index(">")] if output else words
        assert words[0] == "dbp-archive", line
        done = subprocess.run([sys.executable, "-m", "crawler.cli", *words[1:], "--db", "try.db"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0 and "Traceback" not in done.stderr, f"{line}\n{done.stderr}"
        if output:
            (tmp_path / output).write_text(done.stdout)
        assert done.stdout, line  # each shows something: an edit, a version, a match
    assert "**347 ca cấp cứu**" in done.stdout  # the last line: a headline edited away, found in version 1
    assert "<ins>" in (tmp_path / "diff.html").read_text()  # the edit, as a page to share
