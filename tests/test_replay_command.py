"""`tpi-sim replay`: the table, the result file, the seed rule and the exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator import paths
from simulator.cli import main

EXPERT = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.expert.jsonl"
NOVICE = paths.REPLAYS_DIR / "s1_upper_trapezius_thin.novice-pleura.jsonl"
CASE_FILE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"


def test_expert_replay_by_case_id_prints_pass_and_writes_the_result(tmp_path, capsys):
    out = tmp_path / "result.json"
    assert main(["replay", "s1_upper_trapezius_thin", str(EXPERT), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Localization" in printed and "Safety" in printed and ": PASS" in printed
    result = json.loads(out.read_text())
    assert result["result_version"] == 2 and result["case_id"] == "s1_upper_trapezius_thin"
    assert result["seed"] == 1  # from the replay header
    assert result["passed"] is True and result["total"] >= 90
    assert list(tmp_path.iterdir()) == [out]  # written atomically: no temp file left behind


def test_failed_attempt_still_exits_0_and_lists_the_critical_error(tmp_path, capsys):
    assert main(["replay", str(CASE_FILE), str(NOVICE), "--out", str(tmp_path / "r.json")]) == 0
    printed = capsys.readouterr().out
    assert ": FAIL" in printed and "pleura_puncture" in printed
    assert json.loads((tmp_path / "r.json").read_text())["passed"] is False


def test_seed_option_overrides_the_header(tmp_path):
    out = tmp_path / "r.json"
    assert main(["replay", str(CASE_FILE), str(EXPERT), "--seed", "42", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["seed"] == 42


def test_seed_defaults_to_0_without_a_header(tmp_path):
    lines = [line for line in EXPERT.read_text().splitlines() if '"t"' in line]
    bare = tmp_path / "bare.jsonl"
    bare.write_text("\n".join(lines) + "\n")
    out = tmp_path / "r.json"
    assert main(["replay", str(CASE_FILE), str(bare), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["seed"] == 0


def test_identical_runs_write_identical_files(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(["replay", str(CASE_FILE), str(EXPERT), "--out", str(a)])
    main(["replay", str(CASE_FILE), str(EXPERT), "--out", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_malformed_replay_line_is_reported_as_file_line(tmp_path, capsys):
    lines = EXPERT.read_text().splitlines()
    lines[3] = '{"t": 2.0, "type": "palpate", "x_mm": "left", "y_mm": 40, "pressure": 0.7}'
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    out = tmp_path / "r.json"
    assert main(["replay", str(CASE_FILE), str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:4: ") and "x_mm" in err
    assert not out.exists()


def test_bad_case_reports_loader_diagnostics(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    shutil.copy(CASE_FILE, broken)
    broken.write_text(broken.read_text().replace("weight_kg: 50", "weight_kg: -50", 1))
    assert main(["replay", str(broken), str(EXPERT)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "weight_kg" in err
    line = err.splitlines()[0]
    assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()  # file:line:col


def test_unknown_case_and_missing_replay_exit_1(tmp_path, capsys):
    assert main(["replay", "no_such_case", str(EXPERT)]) == 1
    assert "no_such_case" in capsys.readouterr().err
    assert main(["replay", str(CASE_FILE), str(tmp_path / "missing.jsonl")]) == 1
    assert "missing.jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["replay"], ["replay", str(CASE_FILE)]])
def test_missing_arguments_are_usage_errors(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2


def test_case_can_be_named_by_id_or_short_prefix():
    from simulator import paths
    from simulator.scenario.loader import find_case_file

    assert find_case_file("s1") == paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
    assert find_case_file("s10") == paths.SCENARIOS_DIR / "s10_upper_trapezius_marcaine.yaml"
    assert find_case_file("no_such_case") is None
