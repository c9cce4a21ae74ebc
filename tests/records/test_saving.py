"""Saving an attempt: result and replay appear together or not at all, never overwrite each other,
and a writer killed mid-save leaves nothing behind once the next save runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from simulator import paths
from simulator.records import read_replay, write_folder_atomic
from simulator.records.atomic import remove_orphans
from simulator.scenario import load_agents, load_case
from simulator.core.session import Session
from simulator.ui.results import save_attempt

CASE_FILE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
EXPERT = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"


def _attempt():
    catalogue = load_agents()
    case = load_case(CASE_FILE, catalogue)
    header, timed = read_replay(EXPERT)
    session = Session(case, catalogue, header["seed"])
    session.run(timed)
    return case, session, timed, header["seed"]


def test_three_saves_of_one_attempt_give_three_complete_folders(tmp_path):
    case, session, timed, seed = _attempt()
    saved = [save_attempt(tmp_path, case, session, timed, "dr test", seed) for _ in range(3)]
    folders = {s["result"].parent for s in saved}
    assert len(folders) == 3 and folders == set(tmp_path.iterdir())  # none overwrote another
    for s in saved:
        assert s["replay"].parent == s["result"].parent
        assert json.loads(s["result"].read_text())["total"] == session.result()["total"]
        assert read_replay(s["replay"])[1] == timed


def test_a_name_already_taken_gets_the_next_suffix(tmp_path):
    """Two saves in the same second have the same stamp: the second gets -2, the third -3."""
    written = [write_folder_atomic(tmp_path, "20260101-120000_dr_s1", {"result.json": str(i)}) for i in range(3)]
    assert [p.name for p in written] == ["20260101-120000_dr_s1", "20260101-120000_dr_s1-2", "20260101-120000_dr_s1-3"]
    assert [(p / "result.json").read_text() for p in written] == ["0", "1", "2"]


def test_a_killed_writer_leaves_no_result_without_replay_and_its_leftovers_are_removed(tmp_path):
    results = tmp_path / "results"
    code = (
        "import sys\n"
        "from simulator.records import write_folder_atomic\n"
        "big = 'x' * 2_000_000\n"
        "for i in range(100000):\n"
        "    write_folder_atomic(sys.argv[1], 'attempt', {'result.json': big, 'replay.jsonl': big})\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(results)], cwd=paths.PROJECT_ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(results.glob("attempt*"))) < 3:
        time.sleep(0.05)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    complete = list(results.glob("attempt*"))
    assert len(complete) >= 3
    for folder in complete:  # whatever moment the kill came, every attempt holds both files, whole
        assert sorted(p.name for p in folder.iterdir()) == ["replay.jsonl", "result.json"]
        assert all(p.stat().st_size == 2_000_000 for p in folder.iterdir())
    write_folder_atomic(results, "next", {"result.json": "{}", "replay.jsonl": ""})
    assert not [p.name for p in results.iterdir() if p.name.startswith(".")]


def test_a_live_writers_temporary_folder_is_left_alone(tmp_path):
    mine = tmp_path / f".attempt.partial-{os.getpid()}-abc"
    mine.mkdir()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".attempt.partial-{int(finished.stdout)}-abc"
    dead.mkdir()
    (dead / "result.json").write_text("{")
    remove_orphans(tmp_path)
    assert mine.is_dir() and not dead.exists()
