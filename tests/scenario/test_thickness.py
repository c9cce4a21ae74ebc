"""Layer thickness from control points: exact at each point, smooth between, bounded far away."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario.crosscheck import check_case
from simulator.scenario.schema import Case
from simulator.scenario.thickness import OVERSHOOT_FRACTION, ThicknessField, layer_field

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"

# A dome of trapezius-like thickness: thick in the middle, thinning to every side.
DOME_XY = [(20, 20), (100, 20), (20, 80), (100, 80), (60, 50), (60, 10)]
DOME_MM = [6.0, 5.0, 4.0, 7.0, 11.0, 8.0]


def test_exact_at_every_control_point():
    field = ThicknessField(DOME_XY, DOME_MM)
    xs, ys = zip(*DOME_XY)
    assert field(np.array(xs, float), np.array(ys, float)).tolist() == DOME_MM
    assert field(60.0, 50.0) == 11.0  # scalar in, 0-d out


def test_slope_at_a_control_point_where_neighbours_differ():
    # (60, 10) at 8 mm lies between the 11 mm centre and the 5-6 mm corners: the surface
    # keeps falling through it instead of flattening out as inverse-distance weighting did.
    field = ThicknessField(DOME_XY, DOME_MM)
    step = 0.5
    dy = (field(60.0, 10.0 + step) - field(60.0, 10.0 - step)) / (2 * step)
    assert dy > 0.02  # rising toward the thick centre, in mm per mm


def test_no_extremum_between_two_points_and_flat_across():
    field = ThicknessField([(10, 30), (90, 70)], [3.0, 8.0])
    t = np.linspace(0, 1, 81)
    along = field(10 + 80 * t, 30 + 40 * t)
    assert along[0] == 3.0 and along[-1] == 8.0
    assert (np.diff(along) > 0).all()
    # perpendicular to the line through its midpoint (50, 50): constant
    s = np.linspace(-20, 20, 9)
    assert np.allclose(field(50 - 40 * s / 89.4, 50 + 80 * s / 89.4), field(50.0, 50.0))


def test_collinear_points_follow_a_smooth_curve_along_their_line():
    # Three points on one line: a natural cubic spline along it (a plane fit would be singular).
    field = ThicknessField([(0, 0), (40, 40), (80, 80)], [2.0, 6.0, 4.0])
    assert field(40.0, 40.0) == 6.0
    assert field(0.0, 0.0) == 2.0 and field(80.0, 80.0) == 4.0
    # a point off the line takes the value of its projection onto it
    assert field(60.0, 20.0) == pytest.approx(float(field(40.0, 40.0)))


def test_one_point_or_equal_values_is_constant():
    assert ThicknessField([(5, 5)], [3.5]).is_constant
    field = ThicknessField([(5, 5), (50, 9), (20, 70)], [2.0, 2.0, 2.0])
    assert field.is_constant and field(100.0, -40.0) == 2.0


def test_duplicate_points_take_their_mean():
    field = ThicknessField([(10, 10), (10, 10), (70, 40)], [4.0, 6.0, 9.0])
    assert field(10.0, 10.0) == 5.0 and field(70.0, 40.0) == 9.0


def test_far_from_the_points_the_surface_stays_bounded_and_never_negative():
    field = ThicknessField(DOME_XY, DOME_MM)
    xs, ys = np.meshgrid(np.linspace(-300, 400, 141), np.linspace(-300, 400, 141))
    values = field(xs, ys)
    margin = OVERSHOOT_FRACTION * (max(DOME_MM) - min(DOME_MM))
    assert values.max() <= max(DOME_MM) + margin
    assert values.min() >= max(min(DOME_MM) - margin, 0.0)
    raw = field.raw_mm(xs, ys)
    assert raw.min() < 0  # the plain spline would have run below zero here


def test_zero_thickness_point_clamps_at_zero():
    field = ThicknessField([(0, 0), (50, 0), (0, 50), (50, 50)], [0.0, 4.0, 4.0, 6.0])
    assert field(0.0, 0.0) == 0.0
    assert field(np.linspace(-50, 0, 11), np.linspace(-50, 0, 11)).min() == 0.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 150), st.integers(0, 100), st.floats(0, 40, allow_nan=False)),
        min_size=1,
        max_size=9,
        unique_by=lambda p: (p[0], p[1]),
    )
)
def test_any_control_points_are_hit_and_bounded(points):
    xy = [(x, y) for x, y, _ in points]
    values = [v for _, _, v in points]
    field = ThicknessField(xy, values)
    xs = np.array([p[0] for p in xy], float)
    ys = np.array([p[1] for p in xy], float)
    assert field(xs, ys).tolist() == values
    grid = field(*np.meshgrid(np.arange(-20.0, 171, 10), np.arange(-20.0, 121, 10)))
    margin = OVERSHOOT_FRACTION * (max(values) - min(values))
    assert np.isfinite(grid).all()
    assert grid.min() >= max(min(values) - margin, 0.0) - 1e-9
    assert grid.max() <= max(values) + margin + 1e-9


def test_bad_control_points_are_refused_clearly():
    with pytest.raises(ValueError, match="at least one control point"):
        layer_field([])
    with pytest.raises(ValueError, match="one value per control point"):
        ThicknessField([(0, 0), (1, 1)], [1.0])
    assert layer_field(None) is None
    assert layer_field(2.5)(40.0, 40.0) == 2.5


def test_an_empty_control_point_list_is_a_case_finding():
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["anatomy"]["layers"][3]["thickness_mm"] = []
    findings = check_case(Case.model_validate(data), None)
    assert [f.path for f in findings] == [("anatomy", "layers", 3, "thickness_mm")]
    assert "at least one control point" in findings[0].message
