"""The numpy thin-plate spline gives scipy's RBFInterpolator values on every shipped surface.

The thickness fields used scipy.interpolate.RBFInterpolator until its import cost moved off the
start-up path; layer depths (and so images, verdicts and scores) must not move with it. The
reference here is scipy itself, fitted the way thickness.py fitted it before.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.interpolate import RBFInterpolator

from simulator.paths import AGENTS_FILE, SCENARIOS_DIR
from simulator.scenario import load_agents, load_case
from simulator.scenario.polyharmonic import CHUNK_ROWS, PolyharmonicSpline
from simulator.scenario.thickness import COLLINEAR_TOLERANCE, ThicknessField

CASE_FILES = sorted(p for p in SCENARIOS_DIR.glob("*.yaml") if p.name != AGENTS_FILE.name)
TOLERANCE_MM = 1e-9


def shipped_surfaces(path):
    """(label, control xy, control values, region width, height) of every spline surface in a case."""
    case = load_case(path, load_agents())
    region = case.body_region
    for layer in case.anatomy.layers:
        if isinstance(layer.thickness_mm, list):
            yield (f"layer {layer.name}", [(p.x_mm, p.y_mm) for p in layer.thickness_mm],
                   [p.thickness_mm for p in layer.thickness_mm], region.width_mm, region.height_mm)
    for plate in case.anatomy.plates:
        if isinstance(plate.top_mm, list):
            yield (f"plate {plate.name}", [(p.x_mm, p.y_mm) for p in plate.top_mm],
                   [p.depth_mm for p in plate.top_mm], region.width_mm, region.height_mm)


def scipy_raw_mm(field: ThicknessField, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """What thickness.py computed with RBFInterpolator: thin-plate in 2-D, cubic along a line."""
    xy, values = field.control_xy_mm, field.control_values_mm
    origin = xy.mean(axis=0)
    centred = xy - origin
    points = np.column_stack([x - origin[0], y - origin[1]])
    _, singular, rows = np.linalg.svd(centred, full_matrices=False)
    if len(values) < 3 or singular[1] <= COLLINEAR_TOLERANCE * singular[0]:
        spline = RBFInterpolator((centred @ rows[0])[:, None], values, kernel="cubic", degree=1)
        return spline((points @ rows[0])[:, None])
    return RBFInterpolator(centred, values, kernel="thin_plate_spline", degree=1)(points)


def test_the_library_has_spline_surfaces_to_compare():
    surfaces = [s for path in CASE_FILES for s in shipped_surfaces(path)]
    assert len(surfaces) >= len(CASE_FILES)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_shipped_surface_matches_scipy(path):
    for label, xy, values, width_mm, height_mm in shipped_surfaces(path):
        field = ThicknessField(xy, values)
        if field.is_constant:
            continue
        # The region and one region size around it (where control points and outlines may lie).
        gx, gy = np.meshgrid(np.linspace(-width_mm, 2 * width_mm, 61), np.linspace(-height_mm, 2 * height_mm, 61))
        x = np.concatenate([gx.ravel(), field.control_xy_mm[:, 0]])
        y = np.concatenate([gy.ravel(), field.control_xy_mm[:, 1]])
        ours = field.raw_mm(x, y)
        theirs = scipy_raw_mm(field, x, y)
        worst = float(np.abs(ours - theirs).max())
        assert worst <= TOLERANCE_MM, f"{path.stem} {label}: differs from scipy by {worst:.3g} mm"


def test_collinear_points_match_scipys_cubic():
    field = ThicknessField([(0, 0), (10, 5), (30, 15), (50, 25)], [3.0, 5.0, 4.0, 8.0])
    x, y = np.linspace(-20, 70, 37), np.linspace(-10, 35, 37)
    assert np.abs(field.raw_mm(x, y) - scipy_raw_mm(field, x, y)).max() <= TOLERANCE_MM


def test_long_inputs_are_evaluated_in_blocks_with_the_same_values():
    rng = np.random.default_rng(7)
    points, values = rng.uniform(0, 100, (9, 2)), rng.uniform(2, 12, 9)
    spline = PolyharmonicSpline(points, values)
    queries = rng.uniform(-50, 150, (CHUNK_ROWS + 5, 2))
    reference = RBFInterpolator(points, values, kernel="thin_plate_spline", degree=1)(queries)
    assert np.abs(spline(queries) - reference).max() <= TOLERANCE_MM


def test_too_few_points_or_an_unknown_kernel_are_refused():
    with pytest.raises(ValueError, match="at least 3 points"):
        PolyharmonicSpline(np.array([[0.0, 0.0], [1.0, 1.0]]), [1.0, 2.0])
    with pytest.raises(ValueError, match="kernel must be one of"):
        PolyharmonicSpline(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]), [1.0, 2.0, 3.0], kernel="gaussian")


def test_loading_a_case_does_not_import_scipy_interpolate():
    code = (
        "import sys\n"
        "from simulator.paths import SCENARIOS_DIR\n"
        "from simulator.scenario import load_agents, load_case\n"
        "from simulator.scenario.crosscheck import check_case\n"
        "from simulator.core.anatomy.model import AnatomyModel\n"
        "catalogue = load_agents()\n"
        "case = load_case(SCENARIOS_DIR / 's1_upper_trapezius_thin.yaml', catalogue)\n"
        "check_case(case, catalogue)\n"
        "AnatomyModel(case)\n"
        "print('scipy.interpolate' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("apart_mm, singular", [(1e-12, True), (1e-6, False)])
def test_points_that_coincide_are_refused_as_a_singular_system(apart_mm, singular):
    xy = [(0.0, 0.0), (apart_mm, 0.0), (0.0, apart_mm), (5.0, 5.0), (9.0, 1.0)]
    if singular:
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            ThicknessField(xy, [1.0, 2.0, 3.0, 4.0, 5.0])
    else:  # close but apart: scipy solves it, and so do we, through every point
        field = ThicknessField(xy, [1.0, 2.0, 3.0, 4.0, 5.0])
        assert field(np.array([9.0]), np.array([1.0])).tolist() == [5.0]
