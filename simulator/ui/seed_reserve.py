"""Each attempt's seed chosen one launch ahead, so its ultrasound tables are already on disk.

An attempt's speckle and texture tables are random fields of its seed (core/ultrasound/
table_cache.py): a cache can only hold them for a seed known before the attempt starts. So
once an attempt's first image is ready and the kernels are warm, the trainer draws the next
attempt's seed, builds its tables for the same case (into the cache) in the background while
the trainee works, and notes the seed in the cache folder; the next attempt (a retry, or the
next launch) takes that seed. Each reserved seed is used once. A launch that opens another
case still finds the seed's scatterers but builds the tables of its own scanner settings.

Only with the disk cache on (the trainer's `tpi-sim play`); otherwise every attempt draws a
fresh seed as before. Practice only: a scored attempt (assessment, exam) never takes the
reserved seed, since the note and its tables sit in the user cache folder before the attempt
starts and a candidate could study that speckle in advance; it draws `fresh_seed()`, written
nowhere until its attempt has begun (app.App.new_seed).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

from simulator.ui.background import BackgroundTask

FILE_NAME = "next-seed.json"
SEED_LIMIT = 2**31

_pending: BackgroundTask | None = None


def _reserve_file() -> Path | None:
    from simulator.core.ultrasound import table_cache

    store = table_cache.current_store()
    return None if store is None else store.folder / FILE_NAME


def fresh_seed() -> int:
    """A seed no one has seen: drawn now, kept nowhere (a scored attempt's)."""
    return secrets.randbelow(SEED_LIMIT)


def new_seed() -> int:
    """A seed for a new attempt: the reserved one (its tables are ready) when there is one, else a fresh one."""
    path = _reserve_file()
    if path is not None:
        try:
            seed = int(json.loads(path.read_text(encoding="utf-8"))["seed"])
            path.unlink()
            if 0 <= seed < SEED_LIMIT:
                return seed
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none reserved, or an unreadable note: a fresh seed
    return fresh_seed()


def _write(path: Path, seed: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".next-seed.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"seed": seed}, out)
    os.replace(temp, path)


def prepare_next_after(session, kernels: BackgroundTask | None, started=lambda task: task) -> BackgroundTask | None:
    """Reserve the next attempt's seed and build its tables for `session`'s case, in the background after
    the kernel warm-up `kernels`; nothing when the disk cache is off or a reserved seed is still unused."""
    global _pending
    path = _reserve_file()
    if path is None or path.exists() or (_pending is not None and not _pending.done):
        return None

    def work(progress):
        from simulator.core.session import Session

        if kernels is not None:
            kernels.wait()
        seed = fresh_seed()
        progress(0.1, "tables of the next attempt")
        Session(session.case, session.catalogue, seed).prepare_ultrasound()
        try:
            _write(path, seed)
        except OSError:
            pass  # a folder that cannot be written: the next attempt draws its own seed

    _pending = started(BackgroundTask("next-seed", work))
    return _pending
