"""Noticing that an author saved a case file (or its catalogue), without an extra dependency.

`tpi-sim preview` redraws a case whenever its file changes. Polling is enough for a file an
author saves by hand: each poll compares every watched file's modification time, size and a
hash of its bytes, so a save that keeps the size and lands within the file system's time
resolution is still noticed, and an editor's save-by-rename (the file briefly missing) reads
as one change, not an error that sticks. Watching is driven by the caller's clock (`tick`),
so a test can say "one second later" without sleeping.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

# How often the files are looked at: a save shows within this (plus the time to draw it).
POLL_INTERVAL_S = 0.25
# Files larger than this are not hashed (the loader refuses them anyway): size and time decide.
MAX_HASHED_BYTES = 8 * 1024 * 1024

Signature = tuple[int, int, str] | None  # (mtime_ns, size, sha256), None while the file is missing


def file_signature(path: Path) -> Signature:
    """What a file looks like now: modification time, size and content hash; None if unreadable."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    digest = ""
    if info.st_size <= MAX_HASHED_BYTES:
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            return None
    return info.st_mtime_ns, info.st_size, digest


class FileWatcher:
    """Reports once per change to any of a set of files, polled every `interval_s` of caller time."""

    def __init__(self, paths: Sequence[Path], interval_s: float = POLL_INTERVAL_S):
        self.paths = tuple(Path(p) for p in paths)
        self.interval_s = float(interval_s)
        self._since_poll_s = 0.0
        self._seen = self._signatures()

    def _signatures(self) -> tuple[Signature, ...]:
        return tuple(file_signature(p) for p in self.paths)

    def watch(self, paths: Sequence[Path]) -> None:
        """Watch these files from now on (the set can change, e.g. a catalogue appears beside the case)."""
        paths = tuple(Path(p) for p in paths)
        if paths != self.paths:
            self.paths = paths
            self._seen = self._signatures()

    def poll(self) -> bool:
        """True when any file differs from the last poll (or was added, removed, or replaced)."""
        now = self._signatures()
        changed = now != self._seen
        self._seen = now
        return changed

    def tick(self, dt_s: float) -> bool:
        """Advance the caller's clock; polls when `interval_s` has passed and says whether anything changed."""
        self._since_poll_s += max(float(dt_s), 0.0)
        if self._since_poll_s < self.interval_s:
            return False
        self._since_poll_s = 0.0
        return self.poll()
