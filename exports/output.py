"""Where an export writes: never over an archive, never over a file without `--force`, never half.
A file a command redraws in place (the `stats --png` chart, the `diff --html` page) may be replaced
without `--force` when it already is that command's kind of file (`Redrawn`), so a cron line can
redraw it every day; any other file needs `--force`.

An export is written to a temporary file beside its target and renamed over it only once complete, so
a failed or interrupted export leaves the old file whole (or no file), never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from archive.db import COMPANION_SUFFIXES, SQLITE_HEADER

# Files that belong to an archive even when they hold no SQLite header of their own.
ARCHIVE_COMPANIONS = (*COMPANION_SUFFIXES, ".lock")


class OutputRefused(Exception):
    """The target must not be written: the message says why, naming it."""


@dataclass(frozen=True)
class Redrawn:
    """A kind of file a command draws again over its last drawing: an existing file that starts with
    `signature` is taken for an earlier one and replaced without `--force`. `what` names the kind in
    the refusal of any other file ("is not a PNG image")."""

    what: str
    signature: bytes


def output_name(output: str) -> str:
    """The `-o` value as an export's closing line names it: `-` is stdout."""
    return "stdout" if output == "-" else output


def _starts_with(path: Path, signature: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(signature)) == signature
    except OSError:
        return False


def check_target(target: str | os.PathLike, archive: str | os.PathLike | None, *, force: bool = False,
                 redraws: Redrawn | None = None) -> Path:
    """The real path to write, or `OutputRefused`: the archive (None: no archive in hand) and its
    companion files, and any SQLite database, are refused whatever `force` says; another existing file
    needs `force`, unless it is the `redraws` kind of file; so is an empty path (which `Path` would
    take for the current directory)."""
    if not os.fspath(target):
        raise OutputRefused("'': an empty path, not a file to write")
    target = Path(target)
    real = target.resolve()
    archive_real = Path(archive).resolve() if archive is not None else None
    if archive_real is not None and (
            real == archive_real or any(real == Path(f"{archive_real}{suffix}") for suffix in ARCHIVE_COMPANIONS)):
        raise OutputRefused(f"{target}: is the archive itself; refusing to write over it")
    if real.is_dir():
        raise OutputRefused(f"{target}: is a directory")
    if real.exists() and not real.is_file():
        return real  # a device or a pipe (/dev/null, /dev/stdout, a FIFO): written to, never replaced
    if real.exists():
        if _starts_with(real, SQLITE_HEADER) or any(real.name.endswith(suffix) for suffix in COMPANION_SUFFIXES):
            raise OutputRefused(f"{target}: is an SQLite database; never overwritten, --force or not")
        if not force and not (redraws is not None and _starts_with(real, redraws.signature)):
            kind = f" and is not {redraws.what}" if redraws is not None else ""
            raise OutputRefused(f"{target}: already exists{kind}; add --force to replace it")
    if not real.parent.is_dir():
        raise OutputRefused(f"{target}: no such directory {real.parent}")
    return real


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """A binary stream that becomes `target` when the block ends without error, and nothing otherwise.
    A target that is no regular file (a device, a pipe) is written to directly: renaming a file over
    /dev/null would replace the device."""
    if target.exists() and not target.is_file():
        with open(target, "wb") as stream:
            yield stream
        return
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".partial",
                                         delete=False)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)  # as a plain `open` would have made it, not 0600
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
