"""Replay files from people we do not control: every bad value is a `file:line: message` and exit 1,
the documented limits are checked before parsing, and long gaps cost no time."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from simulator import paths
from simulator.cli import main
from simulator.core import actions as A
from simulator.core.session import Session
from simulator.records import ReplayError, read_replay
from simulator.records.replay_file import MAX_REPLAY_BYTES, MAX_REPLAY_LINES, MAX_SESSION_S
from simulator.scenario import load_agents, load_case

CASE_FILE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
PLEURA = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.novice-pleura.jsonl"


def _replay_exit(tmp_path, capsys, body: str | bytes, name: str = "bad.jsonl") -> tuple[int, str, float]:
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    start = time.process_time()
    code = main(["replay", str(CASE_FILE), str(path)])
    return code, capsys.readouterr().err, time.process_time() - start


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ('{"t": 1e9, "type": "finish"}\n', 1, f"from 0 to {MAX_SESSION_S} (the longest session), got 1000000000.0"),
        ('{"t": 1' + "0" * 400 + ', "type": "finish"}\n', 1, "has 401 digits; at most 18 are read"),
        ('{"t": 0, "type": "consent"}\n{"t": 1, "type": {"a": 1}}\n', 2, "unknown action type {'a': 1}"),
        ('{"t": 0, "type": ["advance"]}\n', 1, "unknown action type ['advance']"),
        ('{"t": "soon", "type": "consent"}\n', 1, "'t' must be a time in seconds"),
        ('{"t": NaN, "type": "consent"}\n', 1, "NaN is not a JSON number"),
        ('{"t": 0, "type": "advance", "mm": Infinity}\n', 1, "Infinity is not a JSON number"),
        ('{"t": 0, "type": "advance", "mm": 123456789012345678}\n', 1, "'mm' is too large"),
        ('{"t": 0, "type": "advance", "mm": [1, 2]}\n', 1, "'mm' must be a number, got [1, 2]"),
        ('{"t": 0, "type": "counsel", "topic": {"x": 1}}\n', 1, "'topic' must be text"),
        ('{"case": {"id": 1}, "seed": 1}\n', 1, "'case' must be a case id (text)"),
        ('{"seed": 1' + "0" * 30 + ', "case": "x"}\n', 1, "at most 18 are read"),
        ("[" * 100_000 + "]" * 100_000 + "\n", 1, "brackets nested too deeply"),
        ('{"t": 0, "type": "consent"}\n\n{"t": 1, "type": "cons\xe9nt"}\n'.encode("latin-1"), 3, "not a UTF-8 text file: byte 0xe9"),
    ],
    ids=["t-1e9", "t-10^400", "type-object", "type-list", "t-text", "nan", "infinity", "int-over-2^53",
         "number-list", "topic-object", "case-object", "seed-huge", "deep-nesting", "invalid-utf8"],
)
def test_bad_values_are_refused_with_file_line_and_exit_1(tmp_path, capsys, body, line, fragment):
    code, err, cpu_s = _replay_exit(tmp_path, capsys, body)
    assert code == 1
    assert err.startswith(f"{tmp_path / 'bad.jsonl'}:{line}: "), err[:200]
    assert fragment in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert cpu_s < 5


def test_too_many_lines_are_refused_before_parsing(tmp_path, capsys):
    body = '{"t": 0, "type": "consent"}\n' * (MAX_REPLAY_LINES + 1)
    assert len(body) < MAX_REPLAY_BYTES  # the line limit, not the size limit, refuses it
    code, err, cpu_s = _replay_exit(tmp_path, capsys, body)
    assert code == 1
    assert err.strip() == f"{tmp_path / 'bad.jsonl'}:{MAX_REPLAY_LINES + 1}: replay files are limited to {MAX_REPLAY_LINES:,} lines"
    assert cpu_s < 1  # counted, not parsed


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as handle:
        handle.truncate(MAX_REPLAY_BYTES + 1)  # sparse: nothing is written, nothing should be read
    assert main(["replay", str(CASE_FILE), str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{path}:1: file is 8.0 MB; replay files are limited to {MAX_REPLAY_BYTES // 1048576} MB"
    )


def test_the_largest_allowed_replay_plays_in_seconds(tmp_path, capsys):
    """At the line limit, with the last action at the longest session time."""
    lines = ['{"t": 0.0, "type": "consent"}']
    lines += [f'{{"t": {i / 60:.4f}, "type": "probe", "x_mm": {40 + i % 50}, "y_mm": 40, "heading_deg": 0}}'
              for i in range(1, MAX_REPLAY_LINES - 1)]
    lines.append(f'{{"t": {MAX_SESSION_S}, "type": "finish"}}')
    code, err, cpu_s = _replay_exit(tmp_path, capsys, "\n".join(lines) + "\n", "long.jsonl")
    assert code == 0, err
    assert cpu_s < 30


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.jsonl"
    os.mkfifo(fifo)
    yaml_fifo = tmp_path / "x.yaml"
    os.mkfifo(yaml_fifo)
    for argv, where in ((["replay", str(CASE_FILE), str(fifo)], f"{fifo}:1: "),
                        (["replay", str(yaml_fifo), str(PLEURA)], f"{yaml_fifo}:1:1: "),
                        (["validate", str(yaml_fifo)], f"{yaml_fifo}:1:1: ")):
        out = subprocess.run([sys.executable, "-m", "simulator", *argv], capture_output=True, text=True, timeout=60)
        assert out.returncode == 1
        assert out.stderr.startswith(where) and "is a pipe (FIFO), not a file; only regular files are read" in out.stderr


def _stepping_every_tick(session: Session, timed) -> None:
    """The reference: advance one tick at a time to each action's time, as replays did before time jumps."""
    groups: list[tuple[float, list]] = []
    for t, action in timed:
        if groups and groups[-1][0] == t:
            groups[-1][1].append(action)
        else:
            groups.append((t, [action]))
    for t, batch in groups:
        while session.time_s < t - session.TICK_S / 2:
            session.step()
        session.step(batch)


def test_a_long_gap_is_jumped_and_gives_the_same_events_as_stepping_every_tick():
    catalogue = load_agents()
    case = load_case(CASE_FILE, catalogue)
    header, timed = read_replay(PLEURA)
    last_t = timed[-1][0]
    # Quiet stretches around the delayed pneumothorax symptoms, then a late note to the patient.
    timed = [(t, a) for t, a in timed if not isinstance(a, A.Finish)]
    timed += [(last_t + 1800.0, A.Counsel(topic="soreness")), (last_t + 1800.0, A.Finish())]
    fast = Session(case, catalogue, header["seed"])
    start = time.process_time()
    fast.run(timed)
    jumped_s = time.process_time() - start
    slow = Session(case, catalogue, header["seed"])
    _stepping_every_tick(slow, timed)
    assert [repr(e) for e in fast.events] == [repr(e) for e in slow.events]
    assert any(type(e).__name__ == "PneumothoraxSymptoms" for e in fast.events)
    assert fast.time_s == slow.time_s
    assert jumped_s < 2


def test_a_session_time_that_is_not_finite_is_refused():
    catalogue = load_agents()
    session = Session(load_case(CASE_FILE, catalogue), catalogue, 0)
    with pytest.raises(ValueError, match="finite number of seconds"):
        session.run([(float("inf"), A.Finish())])
