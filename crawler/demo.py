"""`make demo`: the whole pipeline on the bundled replica, start to finish, in about a minute.

Serves the replica on a free loopback port, crawls it into `demo/archive.db`, moves the replica's
clock on (edits, take-downs, growing view counts, new articles), crawls again, exports
`demo/articles.csv` and prints what changed. Crawls run as `dbp-archive crawl` subprocesses, exactly
as cron would run them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from archive.db import Archive
from crawler.replica import Replica, ReplicaServer

DEMO_DIR = Path("demo")


def pastable_command() -> str:
    """How this shell reaches the `dbp-archive` this demo runs: its bare name when that is what PATH
    finds (an activated venv, an installed tool), else the script beside this Python, relative to
    here when it lies below (`.venv/bin/dbp-archive` after `make demo`)."""
    script = Path(sys.executable).parent / "dbp-archive"
    found = shutil.which("dbp-archive")
    if not script.exists() or (found and Path(found).resolve() == script.resolve()):
        return "dbp-archive"
    try:
        return str(script.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(script.absolute())


def run_cli(*args: str) -> None:
    command = [sys.executable, "-m", "crawler.cli", *args]
    print(f"$ {pastable_command()} " + " ".join(args), flush=True)
    done = subprocess.run(command)
    if done.returncode != 0:
        sys.exit(f"demo: `dbp-archive {args[0]}` failed with status {done.returncode}")


def show_changes(db: Path) -> None:
    with Archive(db, readonly=True) as archive:
        changes = archive.run_changes(archive.latest_run_id())
    if not changes:
        print("  nothing changed")
    for change in changes:
        versions = f" (now {change['version_count']} versions)" if change["outcome"] == "updated" else ""
        status = f" HTTP {change['status']}" if change["outcome"] == "gone" else ""
        print(f"  {change['outcome']:>8}{status}: {change['identity']} {change['title']}{versions}")


def main() -> None:
    DEMO_DIR.mkdir(exist_ok=True)
    db = DEMO_DIR / "archive.db"
    for stale in DEMO_DIR.glob("archive.db*"):
        stale.unlink()  # each demo starts from an empty archive
    replica = Replica(seed=1, articles=200)
    with ReplicaServer(replica) as server:
        print(f"Replica of the site serving {len(replica.all_ids())} articles at {server.url}/\n")
        crawl = ["crawl", "--db", str(db), "--start-url", server.url + "/", "--no-politeness"]
        run_cli(*crawl)

        changes = replica.advance()
        print(f"\nThe replica's clock moves on one day: {len(changes.edited)} articles edited, "
              f"{len(changes.taken_down)} taken down, {len(changes.added)} published, view counts grow.\n")
        run_cli(*crawl, "--recheck-all")
        print("\nWhat the second crawl recorded:")
        show_changes(db)

    print()
    # --force: the CSV is the demo's own, remade on every run as the archive is
    run_cli("export", "csv", "--db", str(db), "-o", str(DEMO_DIR / "articles.csv"), "--force")
    print(f"\nOpen {DEMO_DIR / 'articles.csv'} in a spreadsheet, or query {db} with sqlite3 "
          f"(see archive/SCHEMA.md).")
    print(f"Browse and search it in Datasette: {pastable_command()} serve --db {db}  (then open http://127.0.0.1:8001/)")


if __name__ == "__main__":
    main()
