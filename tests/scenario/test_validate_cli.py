"""`tpi-sim validate` and `tpi-sim schema` as an educator uses them."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

from simulator import paths
from simulator.cli import main
from simulator.commands.schema import schema_text
from simulator.scenario import CaseError, load_case, load_library
from simulator.scenario.schema import Case
from tests.case_files import write_case

HERE = Path(__file__).parent
VALID = HERE / "valid" / "minimal.yaml"
BROKEN = HERE / "broken"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_valid_file_prints_ok_and_exits_0():
    code, out, err = run_cli("validate", str(VALID))
    assert (code, out, err) == (0, f"ok {VALID}\n", "")


def test_broken_file_prints_one_line_per_problem_and_exits_1():
    path = BROKEN / "unknown_key_typo.yaml"
    code, out, err = run_cli("validate", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines == [
        f"{path}:12:3: patient.weight_kg: missing required key 'weight_kg' (Body weight in kg; dose ceilings are per kg.)",
        f"{path}:14:3: patient.wieght_kg: unknown key 'wieght_kg' (did you mean 'weight_kg'?)",
    ]


def test_folder_is_searched_recursively_and_agents_yaml_is_a_catalogue(tmp_path):
    (tmp_path / "nested").mkdir()
    write_case(tmp_path / "nested" / "case.yml", VALID.read_text(encoding="utf-8"))
    (tmp_path / "agents.yaml").write_text(paths.AGENTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli("validate", str(tmp_path))
    assert code == 0, err
    assert sorted(out.splitlines()) == [f"ok {tmp_path / 'agents.yaml'}", f"ok {tmp_path / 'nested' / 'case.yml'}"]


def test_broken_catalogue_is_reported_as_a_catalogue(tmp_path):
    (tmp_path / "agents.yaml").write_text("schema_version: 1\nagents: []\n", encoding="utf-8")
    code, out, err = run_cli("validate", str(tmp_path / "agents.yaml"))
    assert code == 1
    assert f"{tmp_path / 'agents.yaml'}:2:9: agents: needs at least 1 item, got 0" in err


def test_case_checked_against_the_catalogue_beside_it(tmp_path):
    (tmp_path / "agents.yaml").write_text(
        "schema_version: 1\nagents:\n  - {id: lidocaine_0_5, name: L, classes: [amide], evidence: e, sources: [1]}\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.yaml"
    case.write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli("validate", str(case))
    assert code == 1
    assert "agent_policy.not_recommended[0].agent: unknown agent 'procaine_0_5'" in err


def test_missing_path_and_empty_folder_exit_1(tmp_path):
    code, out, err = run_cli("validate", str(tmp_path / "nope.yaml"), str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'nope.yaml'}:1:1: no such file or folder" in err
    assert f"{tmp_path}:1:1: no case files (*.yaml, *.yml) in this folder" in err


def test_real_process_never_prints_a_traceback(tmp_path):
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\xff\xfe\x00junk")
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "validate", str(garbage), str(BROKEN / "alias_bomb.yaml")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.splitlines()) == 2


def test_schema_command_prints_the_committed_schema():
    code, out, _ = run_cli("schema")
    assert code == 0
    assert json.loads(out)["title"] == "TPI Sim case"
    committed = paths.SCHEMA_FILE.read_text(encoding="utf-8")
    assert out == committed, "scenarios/scenario.schema.json is stale: run `tpi-sim schema --out scenarios/scenario.schema.json`"


def test_schema_uses_yaml_key_names_and_rejects_unknown_keys():
    schema = json.loads(schema_text())
    allergy = schema["$defs"]["Allergy"]
    assert "class" in allergy["properties"] and "allergy_class" not in allergy["properties"]
    assert allergy["additionalProperties"] is False
    assert set(schema["required"]) == {name for name, f in Case.model_fields.items() if f.is_required()}


def test_load_library_sorted_by_id_and_duplicate_ids_reported(tmp_path):
    text = VALID.read_text(encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: broken-base", "id: alpha"), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text.replace("id: broken-base", "id: beta"), encoding="utf-8")
    assert [case.id for case in load_library(tmp_path)] == ["alpha", "beta"]
    (tmp_path / "c.yaml").write_text(text.replace("id: broken-base", "id: alpha"), encoding="utf-8")
    try:
        load_library(tmp_path)
    except CaseError as exc:
        assert [str(d) for d in exc.diagnostics] == [f"{tmp_path / 'c.yaml'}:3:5: id: case id 'alpha' is already used by {tmp_path / 'b.yaml'}"]
    else:
        raise AssertionError("a duplicate id must be reported")


def test_dates_stay_text_and_merge_keys_work(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace("history: Neck pain after desk work.", "history: 2024-03-01")
    text = text.replace("  default_probe: {x_mm: 60, y_mm: 40}", "  default_probe: {<<: *centre}")
    text = text.replace("    - {name: acromion, x_mm: 115, y_mm: 30}", "    - {name: acromion, x_mm: 115, y_mm: 30}\n    - &centre {name: centre, x_mm: 60, y_mm: 40}")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_case(path)
    except CaseError as exc:
        # `name` comes along with the merge: the probe has no such key.
        assert [d.message for d in exc.diagnostics] == ["unknown key 'name'; expected one of: x_mm, y_mm, heading_deg"]
    else:
        raise AssertionError("the merged `name` key must be rejected")
    text = text.replace("  default_probe: {<<: *centre}", "  default_probe: {<<: *centre, heading_deg: 90}")
    text = text.replace("&centre {name: centre, x_mm: 60, y_mm: 40}", "{name: centre, <<: &centre {x_mm: 60, y_mm: 40}}")
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    assert case.patient.history == "2024-03-01"
    probe = case.body_region.default_probe
    assert (probe.x_mm, probe.y_mm, probe.heading_deg) == (60, 40, 90)


def test_python_field_names_are_not_yaml_keys(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(VALID.read_text(encoding="utf-8").replace("class: ester", "allergy_class: ester"), encoding="utf-8")
    try:
        load_case(path)
    except CaseError as exc:
        assert [(d.line, d.key) for d in exc.diagnostics] == [(19, "patient.allergies[0].allergy_class")]
        assert "unknown key 'allergy_class'" in exc.diagnostics[0].message
    else:
        raise AssertionError("`allergy_class` is the Python name; the YAML key is `class`")


def test_a_hidden_line_break_is_named_at_the_line_an_editor_shows(tmp_path):
    case = tmp_path / "case.yaml"
    text = VALID.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + "\u2028\n"  # YAML would count this as a line of its own
    case.write_text("".join(lines), encoding="utf-8")
    code, out, err = run_cli("validate", str(case))
    assert code == 1
    assert f"{case}:5:{len(lines[4].rstrip(chr(10)))}: the character U+2028 (line separator) is a hidden line break" in err


def test_the_emergency_drugs_catalogue_is_checked_as_a_catalogue(tmp_path):
    good = paths.EMERGENCY_DRUGS_FILE
    code, out, err = run_cli("validate", str(good))
    assert code == 0 and out.strip() == f"ok {good}" and err == ""
    broken = tmp_path / "emergency_drugs.yaml"
    broken.write_text("schema_version: 1\ndrugs:\n  - {id: x, name: X, route: IM, unit: mg, treats: [last], "
                      "source: s}\n", encoding="utf-8")
    code, out, err = run_cli("validate", str(broken))
    assert code == 1 and f"{broken}:3:" in err and "give exactly one of dose or dose_per_kg" in err
