"""Results and replays: round trips, readable refusals, and atomic saves that lose nothing."""

import errno
import json
import os

import pytest

from simulator.core.actions import Advance, Consent, Insert, Palpate
from simulator.records import (
    RecordError, ReplayError, read_replay, read_result, write_replay, write_result,
)


def test_replay_round_trip(tmp_path):
    timed = [(0.0, Consent()), (1.5, Palpate(x_mm=10, y_mm=20, pressure=0.6)),
             (3.0, Insert(x_mm=40, y_mm=40, angle_deg=25, heading_deg=0)), (3.5, Advance(mm=12.5))]
    path = write_replay(tmp_path / "a.jsonl", {"case": "demo", "seed": 3}, timed)
    header, back = read_replay(path)
    assert header["case"] == "demo" and header["seed"] == 3
    assert back == timed


@pytest.mark.parametrize(
    "lines, line_no, fragment",
    [
        (['{"t": 0, "type": "consent"}', "{not json"], 2, "not valid JSON"),
        (['{"t": 0, "type": "fly"}'], 1, "unknown action type 'fly'"),
        (['{"case": "x", "seed": 1}', '{"type": "consent"}'], 2, "'t' must be a time"),
        (['{"t": 2, "type": "consent"}', '{"t": 1, "type": "consent"}'], 2, "must not go backwards"),
        (['{"t": 0, "type": "advance", "mm": "far"}'], 1, "'mm' must be a number"),
        (['{"t": 0, "type": "advance"}'], 1, "'advance' needs 'mm'"),
        (['# comment', '', '[1, 2]'], 3, "must be a JSON object"),
        (['{"case": "x", "seed": -1}'], 1, "'seed' must be a whole number"),
    ],
)
def test_bad_replay_lines_are_refused_with_file_and_line(tmp_path, lines, line_no, fragment):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReplayError) as info:
        read_replay(path)
    assert str(info.value).startswith(f"{path}:{line_no}: ")
    assert fragment in str(info.value)


def test_binary_replay_is_refused(tmp_path):
    path = tmp_path / "bin.jsonl"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ReplayError, match=r":1: not a UTF-8 text file: byte 0xff"):
        read_replay(path)


def test_result_is_canonical(tmp_path):
    a = write_result(tmp_path / "a.json", {"b": 1, "a": [1.5, {"z": 0, "y": 1}]})
    b = write_result(tmp_path / "b.json", {"a": [1.5, {"y": 1, "z": 0}], "b": 1})
    assert a.read_bytes() == b.read_bytes()
    assert read_result(a) == {"a": [1.5, {"y": 1, "z": 0}], "b": 1}


def test_full_disk_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = write_result(tmp_path / "result.json", {"total": 80})

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(RecordError, match="No space left"):
        write_result(target, {"total": 10})
    assert json.loads(target.read_text()) == {"total": 80}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RecordError, match="cannot create folder"):
        write_result(blocker / "sub" / "r.json", {})
