"""Atomic file writes: a result or replay is either complete on disk or not there at all.

Write to a temporary file in the destination folder, flush and fsync it, then rename it
over the target. A full disk or a crash mid-write leaves any earlier file untouched and
no half-written file behind; the caller gets a `RecordError` that says what failed.

Files that belong together (an attempt's result and its replay) are written into one
temporary folder that is renamed into place in a single step, so a crash can never leave a
result without its replay, and a name already taken is never overwritten: the folder gets
the next free suffix instead. Temporary names carry the writer's process id; one left
behind by a process that was killed (kill -9 leaves no chance to clean up) is removed by the
next write into the same folder.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

_PARTIAL = re.compile(r"^\..*\.partial-(\d+)-[^/]*$")


class RecordError(Exception):
    """Saving a result or replay failed; nothing was lost or half-written."""


def _partial_prefix(name: str) -> str:
    return f".{name}.partial-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def remove_orphans(folder: Path) -> None:
    """Delete temporary files and folders left in `folder` by writers that no longer run."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _PARTIAL.match(name)
        if match and not _alive(int(match.group(1))):
            path = folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    path.unlink()
                except OSError:
                    pass


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordError(f"cannot create folder {folder}: {exc.strerror or exc}") from None


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (not possible on every platform; best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_text_atomic(path: Path | str, text: str, mode: int | None = None) -> Path:
    target = Path(path)
    _make_folder(target.parent)
    remove_orphans(target.parent)
    fd = -1
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_partial_prefix(target.name), suffix=".tmp", dir=target.parent)
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            fd = -1  # the file object owns it now
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = ""
    except OSError as exc:
        raise RecordError(f"could not save {target}: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def write_folder_atomic(parent: Path | str, stem: str, files: dict[str, str]) -> Path:
    """Write `files` (name -> text) together as the new folder `parent/stem` in one rename.

    If `stem` is taken, `stem-2`, `stem-3`, ... is used: nothing already saved is replaced.
    Returns the folder written.
    """
    parent = Path(parent)
    _make_folder(parent)
    remove_orphans(parent)
    tmp = ""
    try:
        tmp = tempfile.mkdtemp(prefix=_partial_prefix(stem), dir=parent)
        for name, text in files.items():
            _write_synced(Path(tmp) / name, text)
        _fsync_folder(Path(tmp))
        for n in range(1, 10_000):
            target = parent / (stem if n == 1 else f"{stem}-{n}")
            if target.exists():
                continue
            try:
                os.rename(tmp, target)  # fails if another writer took the name meanwhile (not empty)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                    continue
                raise
            tmp = ""
            _fsync_folder(parent)
            return target
        raise RecordError(f"could not save in {parent}: no free name for {stem}")
    except OSError as exc:
        raise RecordError(f"could not save in {parent}: {exc.strerror or exc}") from None
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
