"""Atomic file writes: a result or replay is either complete on disk or not there at all.

Write to a temporary file in the destination folder, flush and fsync it, then rename it
over the target. A full disk or a crash mid-write leaves any earlier file untouched and
no half-written file behind; the caller gets a `RecordError` that says what failed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class RecordError(Exception):
    """Saving a result or replay failed; nothing was lost or half-written."""


def write_text_atomic(path: Path | str, text: str) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordError(f"cannot create folder {target.parent}: {exc.strerror or exc}") from None
    fd = -1
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
