"""`tpi-sim validate` follows the schema modeline: a schema that is missing or out of date is
reported with the command that repairs it, and a modeline the editor would ignore is refused."""

from __future__ import annotations

import json
import shutil

from simulator import paths
from tests.case_files import write_case
from tests.cli_run import run_cli

CASE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"


def test_a_case_moved_without_its_schema_is_reported_and_the_fix_works(tmp_path):
    moved = tmp_path / "case.yaml"
    shutil.copy(CASE, moved)
    code, out, err = run_cli("validate", str(moved))
    assert code == 1 and out == ""
    assert err.startswith(f"{moved}:1:33: the schema modeline names ./scenario.schema.json, which does not exist")
    fix = err.split("fix: ")[1].strip()
    assert fix == f"tpi-sim schema --out {tmp_path / 'scenario.schema.json'}"
    assert run_cli(*fix.split()[1:])[0] == 0
    assert run_cli("validate", str(moved)) == (0, f"ok {moved}\n", "")


def test_a_stale_schema_is_reported_and_the_fix_works(tmp_path):
    case = write_case(tmp_path / "case.yaml", CASE.read_text(encoding="utf-8"))
    schema = tmp_path / "scenario.schema.json"
    old = json.loads(schema.read_text(encoding="utf-8"))
    old["properties"].pop("teaching")  # a schema from before a field existed
    schema.write_text(json.dumps(old), encoding="utf-8")
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert f"names ./scenario.schema.json ({schema}), which is out of date for this version of tpi-sim" in err
    assert err.strip().endswith(f"fix: tpi-sim schema --out {schema}")
    run_cli("schema", "--out", str(schema))
    assert run_cli("validate", str(case))[0] == 0


def test_a_path_into_a_missing_folder_suggests_a_schema_beside_the_case(tmp_path):
    text = CASE.read_text(encoding="utf-8").replace("$schema=./scenario.schema.json", "$schema=../gone/scenario.schema.json")
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert (f"fix: tpi-sim schema --out {tmp_path / 'scenario.schema.json'}, and make the modeline "
            "`# yaml-language-server: $schema=./scenario.schema.json`") in err


def test_the_installed_schema_by_file_address_is_accepted(tmp_path):
    text = CASE.read_text(encoding="utf-8").replace(
        "$schema=./scenario.schema.json", f"$schema={paths.SCHEMA_FILE.resolve().as_uri()}")
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    assert run_cli("validate", str(case)) == (0, f"ok {case}\n", "")


def test_a_modeline_without_a_space_after_the_hash_is_refused(tmp_path):
    case = write_case(tmp_path / "case.yaml", CASE.read_text(encoding="utf-8"))
    case.write_text(case.read_text(encoding="utf-8").replace("# yaml-language-server:", "#yaml-language-server:", 1),
                    encoding="utf-8")
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert f"{case}:1:1: editors ignore a schema modeline without a space after `#`" in err
