"""Temporary files of atomic writes: a killed writer's leftovers are removed by the next write,
a live writer's are left alone. (Attempts themselves are saved in the store: test_store.py and
test_store_kill.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

from simulator.records.atomic import remove_orphans


def test_a_live_writers_temporary_folder_is_left_alone(tmp_path):
    mine = tmp_path / f".attempt.partial-{os.getpid()}-abc"
    mine.mkdir()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".attempt.partial-{int(finished.stdout)}-abc"
    dead.mkdir()
    (dead / "result.json").write_text("{")
    remove_orphans(tmp_path)
    assert mine.is_dir() and not dead.exists()
