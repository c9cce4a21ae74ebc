"""`tpi-sim inspect`: the tissue column printed for a shipped case matches the case's own layers."""

from __future__ import annotations


import pytest

from simulator import paths
from tests.cli_run import run_cli
from simulator.scenario import load_case

CASE_FILE = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"




def _thickness_at(layer, x_mm: float, y_mm: float) -> float:
    """A layer's thickness at one of its control points (the spline passes through them exactly)."""
    if isinstance(layer.thickness_mm, (int, float)):
        return float(layer.thickness_mm)
    return next(p.thickness_mm for p in layer.thickness_mm if (p.x_mm, p.y_mm) == (x_mm, y_mm))


def _table(out: str) -> list[list[str]]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#  tissue"))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(line.split())
    return rows


def test_layers_tops_and_bottoms_match_the_case_at_a_control_point():
    case = load_case(CASE_FILE)
    x, y = case.trigger_points[0].x_mm, case.trigger_points[0].y_mm  # a control point of every layer here
    code, out, err = run_cli("inspect", str(CASE_FILE), "--at", f"{x:g},{y:g}")
    assert code == 0, err
    rows = _table(out)
    assert len(rows) == len(case.anatomy.layers)
    top = 0.0
    for row, layer in zip(rows, case.anatomy.layers):
        assert row[1] == layer.tissue and row[2] == (layer.name or "-")
        assert float(row[3]) == pytest.approx(top, abs=0.05)
        if layer.thickness_mm is None:
            assert row[4] == "bottom"
            break
        top += _thickness_at(layer, x, y)
        assert float(row[4]) == pytest.approx(top, abs=0.05)
    pleura = next(i for i, layer in enumerate(case.anatomy.layers) if layer.tissue == "pleura")
    expected_pleura = sum(_thickness_at(layer, x, y) for layer in case.anatomy.layers[:pleura])
    assert f"Pleura: {expected_pleura:.1f} mm below the skin" in out


def test_the_trigger_point_under_the_point_is_listed_around_its_depth():
    case = load_case(CASE_FILE)
    tp = case.trigger_points[0]
    code, out, _ = run_cli("inspect", "s1_upper_trapezius_thin", "--at", f"{tp.x_mm:g},{tp.y_mm:g}")
    line = next(line for line in out.splitlines() if f"trigger point {tp.id} ({tp.muscle})" in line)
    top, bottom = (float(v) for v in line.split()[-4:-1:2])
    assert top < tp.depth_mm < bottom


def test_a_vessel_under_the_point_is_crossed_at_its_depth_and_radius():
    case = load_case(CASE_FILE)
    artery = case.anatomy.vessels[0]
    p = artery.path[3]
    code, out, _ = run_cli("inspect", str(CASE_FILE), "--at", f"{p.x_mm:g},{p.y_mm:g}")
    crossed = next(line for line in out.splitlines() if line.strip().startswith(f"artery {artery.name}") and " to " in line)
    top, bottom = (float(v) for v in crossed.split()[-4:-1:2])
    assert top == pytest.approx(p.depth_mm - artery.radius_mm, abs=0.25)
    assert bottom == pytest.approx(p.depth_mm + artery.radius_mm, abs=0.25)
    nearest = out.split("nearest first")[1].splitlines()[1]
    assert nearest.strip().startswith(f"artery {artery.name}") and "crossed" in nearest


def test_heading_adds_each_muscles_fibre_angle_to_the_plane():
    case = load_case(CASE_FILE)
    tp = case.trigger_points[0]
    muscle = next(layer for layer in case.anatomy.layers if layer.name == tp.muscle)
    heading = muscle.fibre_direction_deg + 90  # short axis of that muscle
    code, out, _ = run_cli("inspect", str(CASE_FILE), "--at", f"{tp.x_mm:g},{tp.y_mm:g}", "--heading", f"{heading:g}")
    row = next(r for r in _table(out) if r[2] == tp.muscle)
    assert float(row[-1]) == pytest.approx(90, abs=0.5)
    assert f"probe heading {heading:g} deg" in out


def test_a_point_outside_the_region_and_a_malformed_point_are_refused():
    code, out, err = run_cli("inspect", str(CASE_FILE), "--at", "500,40")
    assert code == 2 and out == ""
    assert "--at 500,40 lies outside the body region (x 0 to 180 mm, y 0 to 100 mm)" in err
    code, _, err = run_cli("inspect", str(CASE_FILE), "--at", "95")
    assert code == 2 and "--at needs X,Y in mm" in err


def test_plane_saves_a_section_with_each_tissue_where_the_case_puts_it(tmp_path):
    import pygame

    from simulator.render.cross_section import MARGIN_LEFT_PX, MARGIN_TOP_PX, TISSUE_COLOURS

    case = load_case(CASE_FILE)
    tp = case.trigger_points[0]
    out = tmp_path / "plane.png"
    code, printed, err = run_cli("inspect", str(CASE_FILE), "--at", f"{tp.x_mm:g},{tp.y_mm:g}", "--heading", "10",
                                 "--plane", str(out))
    assert code == 0, err
    assert printed.endswith(f"wrote {out}\n")
    image = pygame.image.load(str(out))
    depth_mm = case.ultrasound.depth_cm * 10
    image_h = image.get_height() - MARGIN_TOP_PX - 12
    px_per_mm = image_h / depth_mm
    centre_x = MARGIN_LEFT_PX + int(round(max(depth_mm, 40.0) * px_per_mm)) // 2

    def colour_at(depth: float) -> tuple[int, int, int]:
        return tuple(image.get_at((centre_x, MARGIN_TOP_PX + int(depth * px_per_mm))))[:3]

    assert colour_at(tp.depth_mm) == TISSUE_COLOURS["trigger_point"]
    pleura_mm = float(printed.split("Pleura: ")[1].split(" mm")[0])
    assert colour_at(pleura_mm + 0.5) == TISSUE_COLOURS["pleura"]
    assert colour_at(pleura_mm + 3) == TISSUE_COLOURS["lung"]
    assert colour_at(0.5) == TISSUE_COLOURS["skin"]


def test_plane_that_cannot_be_written_is_an_error(tmp_path):
    code, _, err = run_cli("inspect", str(CASE_FILE), "--at", "95,40", "--plane", str(tmp_path / "no" / "x.png"))
    assert code == 2 and f"cannot write {tmp_path / 'no' / 'x.png'}" in err


EXTRAS_FILE = paths.PROJECT_ROOT / "tests" / "fixtures" / "extras_case.yaml"


@pytest.mark.parametrize("x_mm, muscle", [(50, "supraspinatus"), (80, "levator_part")])
def test_a_layer_with_regions_is_named_by_the_muscle_under_the_point(x_mm, muscle):
    code, out, err = run_cli("inspect", str(EXTRAS_FILE), "--at", f"{x_mm},60")
    assert code == 0, err
    assert _table(out)[5][2] == muscle  # the sixth layer: supraspinatus, with levator_part from x = 60 on


def test_a_bone_plate_under_the_point_is_listed_with_its_depths():
    code, out, err = run_cli("inspect", str(EXTRAS_FILE), "--at", "20,40")
    assert code == 0, err
    assert "  bone plate scapula  24.0 to 27.0 mm" in out  # top 22 mm at x 0, 26 at x 40; 3 mm thick
    code, out, err = run_cli("inspect", str(EXTRAS_FILE), "--at", "80,40")
    assert "bone plate" not in out
