"""Atomic file writes: a result or replay is either complete on disk or not there at all.

Write to a temporary file in the destination folder, flush and fsync it, then rename it
over the target. A full disk or a crash mid-write leaves any earlier file untouched and
no half-written file behind; the caller gets a `RecordError` that says what failed.

Attempts themselves live in the attempt store (records.store), one transaction each; files
are for exports and single results. `mode` sets a file's permissions before it appears (an
export is group-readable, 0640, so a programme's staff can read it), and folders made on the
way get `folder_mode` (0750 for exports). Temporary names carry the writer's process id; one
left behind by a process that was killed (kill -9 leaves no chance to clean up) is removed by
the next write into the same folder.
"""

from __future__ import annotations

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


def _make_folder(folder: Path, mode: int = 0o777) -> None:
    try:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True, mode=mode)
        for made in missing:  # mkdir's mode is cut by the umask; the folders made here get it exactly
            if mode != 0o777:
                os.chmod(made, mode)
    except OSError as exc:
        raise RecordError(f"cannot create folder {folder}: {exc.strerror or exc}") from None


def write_text_atomic(path: Path | str, text: str, mode: int | None = None, folder_mode: int = 0o777) -> Path:
    target = Path(path)
    _make_folder(target.parent, folder_mode)
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
