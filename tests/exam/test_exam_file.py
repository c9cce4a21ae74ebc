"""Exam files as a programme writes them: `tpi-sim validate`, `tpi-sim schema --exam`, load_exam."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator import paths
from simulator.scenario import CaseError
from simulator.scenario.exam_loader import load_exam
from tests.cli_run import run_cli

SHIPPED = paths.SCENARIOS_DIR / "exams" / "foundation.yaml"
EXAM_SCHEMA = paths.SCENARIOS_DIR / "exam.schema.json"

GOOD = """\
# yaml-language-server: $schema=./exam.schema.json
exam_version: 1
id: unit-exam
title: Unit exam
instructions: Treat the patient.
time_limit_s: 120
show_at_end: pass_fail_only
pass_rule:
  kind: total
  min_mean_total: 70
cases:
  - case: s1_upper_trapezius_thin
    seed: 5
  - case: ../cases/local.yaml
    seed: 6
    time_limit_s: 300
"""


def write_exam(folder: Path, text: str, name: str = "exam.yaml") -> Path:
    """An exam in folder/exams/ with the exam schema beside it and a local case in folder/cases/."""
    (folder / "exams").mkdir(exist_ok=True)
    (folder / "cases").mkdir(exist_ok=True)
    shutil.copy(EXAM_SCHEMA, folder / "exams" / EXAM_SCHEMA.name)
    shutil.copy(paths.SCENARIOS_DIR / "s3_infraspinatus_diabetic.yaml", folder / "cases" / "local.yaml")
    shutil.copy(paths.SCHEMA_FILE, folder / "cases" / paths.SCHEMA_FILE.name)
    path = folder / "exams" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_exam_validates_and_names_three_shipped_cases():
    code, out, err = run_cli("validate", str(SHIPPED))
    assert (code, out, err) == (0, f"ok {SHIPPED}\n", "")
    loaded = load_exam(SHIPPED)
    assert len(loaded.cases) == 3
    assert all(f.parent == paths.SCENARIOS_DIR for f in loaded.case_files)


def test_validating_the_scenarios_folder_checks_the_exam_as_an_exam():
    code, out, err = run_cli("validate", str(paths.SCENARIOS_DIR))
    assert code == 0, err
    assert f"ok {SHIPPED}" in out.splitlines()


def test_a_good_exam_loads_ids_and_relative_paths_with_their_limits(tmp_path):
    loaded = load_exam(write_exam(tmp_path, GOOD))
    assert [c.id for c in loaded.cases] == ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic"]
    assert [loaded.exam.limit_s(i) for i in range(2)] == [120, 300]
    assert loaded.case_files[1].resolve() == (tmp_path / "cases" / "local.yaml").resolve()


def test_every_problem_is_reported_at_once_with_its_line_and_column(tmp_path):
    text = (GOOD.replace("id: unit-exam", "id: Unit Exam").replace("time_limit_s: 120", "time_limit_s: 5")
            .replace("show_at_end: pass_fail_only", "show_at_end: everything").replace("seed: 5", "seed: '5'"))
    path = write_exam(tmp_path, text)
    code, out, err = run_cli("validate", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}:3:5: id: expected lower-case letters, digits and _ (pattern ^[a-z0-9][a-z0-9_-]*$), got 'Unit Exam'",
        f"{path}:6:15: time_limit_s: must be >= 30, got 5",
        f"{path}:7:14: show_at_end: expected one of pass_fail_only, scores, full_debrief, got 'everything'",
        f"{path}:13:11: cases[0].seed: expected a whole number, got '5'",
    ]


def test_unknown_repeated_and_broken_cases_are_named_at_their_entries(tmp_path):
    broken = tmp_path / "cases" / "broken.yaml"
    text = GOOD + "  - case: s1_upper_trapezius_thin\n    seed: 7\n  - case: nosuch_case\n    seed: 8\n" \
                  "  - case: ../cases/broken.yaml\n    seed: 9\n"
    path = write_exam(tmp_path, text)
    broken.write_text("# yaml-language-server: $schema=./scenario.schema.json\nschema_version: 2\nid: x\n")
    with pytest.raises(CaseError) as caught:
        load_exam(path)
    lines = [str(d) for d in caught.value.diagnostics]
    assert lines[:3] == [
        f"{path}:17:11: cases[2].case: case 's1_upper_trapezius_thin' is already listed as case 1; list each case once",
        f"{path}:19:11: cases[3].case: no case 'nosuch_case': neither a case file relative to this exam nor a "
        "shipped case id",
        f"{path}:21:11: cases[4].case: case file {path.parent / '../cases/broken.yaml'} has "
        f"{len(lines) - 3} problem(s), listed below",
    ]
    assert all(line.startswith(f"{path.parent / '../cases/broken.yaml'}:") for line in lines[3:])
    assert any("missing required key 'title'" in line for line in lines[3:])


def test_a_total_rule_without_its_minimum_is_refused_at_the_pass_rule(tmp_path):
    path = write_exam(tmp_path, GOOD.replace("  min_mean_total: 70\n", ""))
    code, _, err = run_cli("validate", str(path))
    assert code == 1
    assert err.splitlines() == [f"{path}:9:3: pass_rule: a pass rule of kind 'total' needs min_mean_total "
                                "(the lowest passing mean, 0-100)"]


def test_a_missing_exam_modeline_says_which_line_to_add(tmp_path):
    path = write_exam(tmp_path, GOOD.split("\n", 1)[1])
    code, _, err = run_cli("validate", str(path))
    assert code == 1
    assert err.splitlines() == [f"{path}:1:1: missing schema modeline; add this as the first line so editors check "
                                "the exam while you type: # yaml-language-server: $schema=../exam.schema.json"]


def test_an_out_of_date_exam_schema_is_reported_with_the_command_that_repairs_it(tmp_path):
    path = write_exam(tmp_path, GOOD)
    stale = path.parent / EXAM_SCHEMA.name
    stale.write_text(json.dumps({"title": "old"}), encoding="utf-8")
    code, _, err = run_cli("validate", str(path))
    assert code == 1
    col = GOOD.index("./exam") + 1
    assert err.splitlines() == [f"{path}:1:{col}: the schema modeline names ./exam.schema.json ({stale}), which is out "
                                "of date for this version of tpi-sim, so editors check against old rules; "
                                f"fix: tpi-sim schema --exam --out {stale}"]
    assert run_cli("schema", "--exam", "--out", str(stale))[0] == 0
    assert run_cli("validate", str(path))[0] == 0


def test_the_shipped_exam_schema_is_what_schema_exam_prints():
    code, out, _ = run_cli("schema", "--exam")
    assert code == 0 and out == EXAM_SCHEMA.read_text(encoding="utf-8")
    schema = json.loads(out)
    assert schema["title"] == "TPI Sim exam"
    assert {"id", "title", "cases", "time_limit_s", "pass_rule", "help_allowed", "instructions",
            "show_at_end"} <= set(schema["properties"])


def test_a_time_limit_is_at_most_the_longest_session_a_replay_holds(tmp_path):
    from simulator.records.replay_file import MAX_SESSION_S

    over = write_exam(tmp_path, GOOD.replace("time_limit_s: 120", f"time_limit_s: {MAX_SESSION_S + 1}"))
    code, _, err = run_cli("validate", str(over))
    assert code == 1 and err.splitlines() == [f"{over}:6:15: time_limit_s: must be <= {MAX_SESSION_S}, "
                                              f"got {MAX_SESSION_S + 1}"]
    at = write_exam(tmp_path, GOOD.replace("time_limit_s: 120", f"time_limit_s: {MAX_SESSION_S}"), "at.yaml")
    assert run_cli("validate", str(at))[0] == 0
