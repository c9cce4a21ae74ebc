"""Structural errors do not hide the cross-checks: a trigger point outside its muscle is reported
together with a wrong type elsewhere, at the author's own line, and nothing is invented."""

from __future__ import annotations

from simulator import paths
from tests.case_files import write_case
from tests.cli_run import run_cli

CASE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
TEXT = CASE.read_text(encoding="utf-8")


def _broken(tmp_path, *replacements: tuple[str, str]):
    text = TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write_case(tmp_path / "case.yaml", text)


def _line_of(path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def test_a_wrong_type_and_a_trigger_point_outside_its_muscle_are_reported_together(tmp_path):
    case = _broken(tmp_path, ("  weight_kg: 50  #", "  weight_kg: heavy  #"),
                   ("  depth_mm: 10.7  # centre", "  depth_mm: 30  # centre"))
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith(f"{case}:{_line_of(case, 'weight_kg: heavy')}:") and "patient.weight_kg" in line
               for line in lines)
    assert any(line.startswith(f"{case}:{_line_of(case, 'depth_mm: 30')}:")
               and "trigger_points[0].depth_mm: depth_mm 30 is outside muscle 'upper_trapezius'" in line
               for line in lines), err


def test_a_broken_trigger_point_leaves_the_next_one_checked_at_its_own_index(tmp_path):
    case = _broken(tmp_path, ("    tenderness: 8\n", "    tenderness: high\n"),
                   ("  depth_mm: 10.2  # muscle", "  depth_mm: 40  # muscle"))
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert "trigger_points[0].tenderness" in err
    assert "trigger_points[1].depth_mm: depth_mm 40 is outside muscle 'upper_trapezius'" in err
    assert "trigger_points[0].depth_mm" not in err


def test_an_unknown_agent_is_reported_beside_a_missing_patient_field(tmp_path):
    case = _broken(tmp_path, ("  height_cm: 167\n", "  height_cm: [167]\n"),
                   ("    - agent: traumeel\n", "    - agent: traumel\n"))
    code, _, err = run_cli("validate", str(case))
    assert "patient.height_cm" in err
    assert "agent_policy.not_recommended[1].agent: unknown agent 'traumel' (did you mean 'traumeel'?)" in err


def test_an_error_in_the_layers_reports_only_what_is_certain(tmp_path):
    case = _broken(tmp_path, ("      thickness_mm: 3.0  # UNSOURCED: thin", "      thickness_mm: thick  # UNSOURCED: thin"),
                   ("  depth_mm: 10.7  # centre", "  depth_mm: 30  # centre"))
    code, _, err = run_cli("validate", str(case))
    assert code == 1
    assert "anatomy.layers[1].thickness_mm" in err
    assert "outside muscle" not in err  # the depths depend on the broken layer: no guess is printed
