"""`tpi-sim new`: the template validates as written, its expert replay runs and passes, and the
skeleton stays what the replay planner makes of the template."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from simulator import paths
from tests.cli_run import run_cli
from simulator.commands.new import TEMPLATES, TEMPLATES_DIR
from simulator.commands.schema import schema_text
from simulator.records import read_replay
from simulator.scenario import load_agents, load_case

TOOL = paths.PROJECT_ROOT / "tools" / "make_expert_replays.py"




@pytest.mark.parametrize("region", sorted(TEMPLATES))
def test_new_case_validates_and_its_expert_replay_passes(tmp_path, region):
    case = tmp_path / "My Rhomboid Case.yaml"
    code, out, err = run_cli("new", str(case), "--region", region)
    assert code == 0, err
    replay = tmp_path / "My Rhomboid Case.expert.jsonl"
    schema = tmp_path / "scenario.schema.json"
    assert out.splitlines()[:3] == [f"wrote {case}", f"wrote {replay}", f"wrote {schema}"]
    assert schema.read_text(encoding="utf-8") == schema_text()
    assert run_cli("validate", str(case)) == (0, f"ok {case}\n", "")
    assert load_case(case).id == "my-rhomboid-case"
    result_file = tmp_path / "result.json"
    code, printed, err = run_cli("replay", str(case), str(replay), "--out", str(result_file))
    assert code == 0, err
    assert "was recorded for case" not in err  # the skeleton names the new case
    result = json.loads(result_file.read_text())
    assert result["passed"] is True and result["critical_errors"] == []


def test_every_section_of_the_template_is_commented():
    text = (TEMPLATES_DIR / "neck.yaml").read_text(encoding="utf-8")
    top_level = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    for line in top_level:
        key = line.split(":")[0]
        if key in ("schema_version", "id", "difficulty", "references"):
            assert "#" in line, key
    commented = sum(1 for line in text.splitlines() if "#" in line)
    assert commented >= 40


def test_nothing_is_overwritten_and_odd_names_are_refused(tmp_path):
    case = tmp_path / "mine.yaml"
    case.write_text("keep me", encoding="utf-8")
    code, out, err = run_cli("new", str(case))
    assert code == 1 and out == ""
    assert err == f"tpi-sim new: error: {case} already exists; nothing was written\n"
    assert case.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "mine.expert.jsonl").exists()
    code, _, err = run_cli("new", str(tmp_path / "mine.txt"))
    assert code == 1 and "a case file name ends in .yaml" in err
    code, _, err = run_cli("new", str(tmp_path / "agents.yaml"))
    assert code == 1 and "is the name of an agents catalogue" in err
    code, _, err = run_cli("new", str(tmp_path / "no" / "case.yaml"))
    assert code == 1 and "no such folder" in err


def test_the_skeletons_are_what_the_replay_planner_makes_of_the_templates():
    spec = importlib.util.spec_from_file_location("make_expert_replays", TOOL)
    tool = importlib.util.module_from_spec(spec)
    sys.modules["make_expert_replays"] = tool
    try:
        spec.loader.exec_module(tool)
        catalogue = load_agents()
        for region in TEMPLATES:
            case = load_case(TEMPLATES_DIR / f"{region}.yaml", catalogue)
            header, timed = tool.expert(case, catalogue)
            shipped_header, shipped = read_replay(TEMPLATES_DIR / f"{region}.expert.jsonl")
            assert (shipped_header["case"], shipped) == (header["case"], timed), \
                "run python tools/make_expert_replays.py"
    finally:
        sys.modules.pop("make_expert_replays", None)
