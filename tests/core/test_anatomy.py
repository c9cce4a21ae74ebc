"""The tissue model: what is where, distances to danger, and what a probe's plane cuts.

Expected values come from the fixture's YAML: skin 2, fat 4, fascia 1, upper trapezius
9..11 (a ramp from x=20 to x=100, two control points at y=40), fascia 1, supraspinatus 10, pleura 1, lung.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.core.anatomy import LABEL, TISSUE_LABELS, AnatomyModel, StructureDistance
from simulator.core.geometry import ProbePose
from simulator.scenario import load_case
from simulator.scenario.acoustics import DEFAULT_ACOUSTICS, TISSUES
from simulator.scenario.schema import Case

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"
RAW = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model() -> AnatomyModel:
    return AnatomyModel(load_case(FIXTURE))


def make_case(edit) -> Case:
    """The fixture with `edit(data)` applied to its YAML data, validated again."""
    data = copy.deepcopy(RAW)
    edit(data)
    return Case.model_validate(data)


def by_name(distances: list[StructureDistance], name: str) -> StructureDistance:
    return next(d for d in distances if d.name == name)


# ---------------------------------------------------------------- labels and layers


def test_label_table_matches_acoustics_tissues():
    assert TISSUE_LABELS == tuple(TISSUES)
    assert all(TISSUE_LABELS[LABEL[name]] == name for name in TISSUE_LABELS)


@pytest.mark.parametrize(
    ("depth_mm", "tissue"),
    [(1, "skin"), (4, "fat"), (6.5, "fascia"), (12, "muscle"), (24, "muscle"), (27.5, "pleura"), (35, "lung")],
)
def test_tissue_at_known_depths(model, depth_mm, tissue):
    # x=30, y=50 is away from the trigger points and tubes. Two control points make the
    # trapezius a ramp along x: 9 + (30 - 20) / 80 * 2 = 9.25 mm, so the pleura spans 27.25..28.25.
    assert model.tissue_at(30, 50, depth_mm) == tissue


def test_muscle_names_by_depth(model):
    assert model.muscle_at(30, 50, 12) == "upper_trapezius"
    assert model.muscle_at(30, 50, 24) == "supraspinatus"
    assert model.muscle_at(30, 50, 4) is None
    assert model.fibre_direction_deg_at(30, 50, 12) == 0.0
    assert model.fibre_direction_deg_at(30, 50, 4) is None


def test_labels_at_is_vectorised(model):
    depths = np.array([[1.0, 4.0], [12.0, 35.0]])
    labels = model.labels_at(30, 50, depths)
    assert labels.dtype == np.uint8 and labels.shape == (2, 2)
    assert [TISSUE_LABELS[i] for i in labels.ravel()] == ["skin", "fat", "muscle", "lung"]
    assert model.layer_index_at(30, 50, depths).tolist() == [[0, 1], [3, 7]]


def test_two_point_thickness_is_a_ramp_exact_at_control_points(model):
    muscle = 3
    assert model.layer_thickness_mm(20, 40)[muscle] == 9.0
    assert model.layer_thickness_mm(100, 40)[muscle] == 11.0
    assert model.layer_thickness_mm(60, 40)[muscle] == pytest.approx(10.0)  # halfway: the mean
    # Along the line joining the points: strictly rising, so no bump or terrace between them.
    along = model.layer_thickness_mm(np.arange(20.0, 100.5, 0.5), 40.0)[:, muscle]
    assert (np.diff(along) > 0).all()
    assert np.allclose(np.diff(along), 2.0 / 160, atol=1e-9)  # a straight ramp, 0.025 mm per mm
    # Across the line nothing changes; past the points the ramp bends softly, at most a quarter
    # of the 2 mm range beyond it (simulator.scenario.thickness.OVERSHOOT_FRACTION).
    assert model.layer_thickness_mm(60, 0)[muscle] == pytest.approx(10.0)
    xs, ys = np.meshgrid(np.linspace(-30, 150, 37), np.linspace(-10, 95, 23))
    thickness = model.layer_thickness_mm(xs, ys)[..., muscle]
    assert thickness.min() >= 8.5 and thickness.max() <= 11.5
    assert thickness.min() < 9.0 and thickness.max() > 11.0  # it carries on smoothly past the points


def test_thickness_has_a_slope_at_an_inner_control_point():
    # Inverse-distance weighting is flat at every control point (a terrace); the spline keeps
    # the trend through it: rising 9 -> 10 -> 12 mm, it rises at the middle point too, with no
    # kink (the slopes just before and just after it agree).
    def edit(data):
        data["anatomy"]["layers"][3]["thickness_mm"] = [
            {"x_mm": 20, "y_mm": 40, "thickness_mm": 9},
            {"x_mm": 60, "y_mm": 40, "thickness_mm": 10},
            {"x_mm": 100, "y_mm": 40, "thickness_mm": 12},
            {"x_mm": 60, "y_mm": 75, "thickness_mm": 10.5},
        ]

    model = AnatomyModel(make_case(edit))
    at = model.layer_thickness_mm(np.array([59.0, 60.0, 61.0]), 40.0)[:, 3]
    assert at[1] == 10.0
    before, after = at[1] - at[0], at[2] - at[1]
    assert before > 0.015 and after > 0.015  # about 3 mm over 80 mm; IDW gives ~0 here
    assert after == pytest.approx(before, rel=0.25)


def test_layer_tops_stack_thicknesses(model):
    tops = model.layer_tops_mm(np.array([20.0, 100.0]), np.array([40.0, 40.0]))
    assert tops.shape == (2, 8)
    assert tops[0].tolist() == [0, 2, 6, 7, 16, 17, 27, 28]
    assert tops[1].tolist() == [0, 2, 6, 7, 18, 19, 29, 30]
    assert np.isinf(model.layer_thickness_mm(20, 40)[-1])


def test_points_outside_the_region_clamp_to_its_edge(model):
    assert np.allclose(model.layer_tops_mm(-50, 40), model.layer_tops_mm(0, 40))
    assert np.allclose(model.layer_tops_mm(60, 500), model.layer_tops_mm(60, 80))


def test_off_grid_control_point_is_close_on_the_grid():
    point = (33.3, 17.7)

    def edit(data):
        data["anatomy"]["layers"][1]["thickness_mm"] = [
            {"x_mm": point[0], "y_mm": point[1], "thickness_mm": 5},
            {"x_mm": 90, "y_mm": 60, "thickness_mm": 15},
        ]

    model = AnatomyModel(make_case(edit))
    # Off the 1 mm grid the model interpolates the grid bilinearly: within 0.01 mm of the spline.
    assert model.layer_thickness_mm(*point)[1] == pytest.approx(5.0, abs=0.01)


# ---------------------------------------------------------------- tubes and distances


def test_vessel_axis_is_artery_with_negative_distance(model):
    assert model.tissue_at(60, 60, 19) == "artery"
    artery = by_name(model.distances(60, 60, 19), "transverse cervical artery")
    assert artery.kind == "artery" and artery.distance_mm == pytest.approx(-1.2)
    # 2 mm outside the wall, straight up: muscle again, distance +2.
    assert model.tissue_at(60, 60, 19 - 1.2 - 2) == "muscle"
    assert by_name(model.distances(60, 60, 15.8), "transverse cervical artery").distance_mm == pytest.approx(2.0)


def test_nerve_and_rib(model):
    assert model.tissue_at(60, 20, 18) == "nerve"
    assert model.tissue_at(60, 72, 32) == "bone"
    distances = model.distances(60, 72, 20)
    rib = by_name(distances, "2nd rib")
    assert rib.kind == "bone" and rib.distance_mm == pytest.approx(6.0)
    nerve = by_name(distances, "spinal accessory nerve")
    assert nerve.kind == "nerve" and nerve.distance_mm == pytest.approx(math.hypot(52, 2) - 1.0)


def test_pleura_distance(model):
    assert model.pleura_depth_mm(60, 40) == pytest.approx(28.0)
    assert model.pleura_depth_mm(20, 40) == pytest.approx(27.0)
    assert by_name(model.distances(60, 40, 20), "pleura").distance_mm == pytest.approx(8.0)
    pleura = by_name(model.distances(60, 40, 30), "pleura")
    assert pleura.kind == "pleura" and pleura.distance_mm == pytest.approx(-2.0)


def test_bone_layer_distance_and_no_pleura():
    def edit(data):
        layers = data["anatomy"]["layers"]
        data["anatomy"]["layers"] = layers[:4] + [{"tissue": "bone", "name": "occiput"}]

    model = AnatomyModel(make_case(edit))
    assert model.pleura_depth_mm(60, 40) is None
    bone = by_name(model.distances(60, 40, 10), "occiput")
    assert bone.kind == "bone" and bone.distance_mm == pytest.approx(7.0)  # top at 7 + 10
    assert model.tissue_at(60, 50, 30) == "bone"


# ---------------------------------------------------------------- trigger points


def test_trigger_point_inside_and_not_past_its_long_axis_end(model):
    # ut1: centre (60, 40, 12), 6 mm long along +x, so the ellipsoid ends at x = 63.
    assert model.trigger_point_at(60, 40, 12).id == "ut1"
    assert model.tissue_at(62.9, 40, 12) == "trigger_point"
    assert model.trigger_point_at(64, 40, 12) is None
    assert model.tissue_at(64, 40, 12) == "muscle"
    assert model.muscle_at(60, 40, 12) == "upper_trapezius"  # the point is part of its muscle


def test_rotated_trigger_point_follows_its_band():
    def edit(data):
        data["trigger_points"][0]["taut_band"]["direction_deg"] = 90

    model = AnatomyModel(make_case(edit))
    assert model.tissue_at(60, 42.9, 12) == "trigger_point"  # 3 mm semi-axis now along y
    assert model.tissue_at(62.5, 40, 12) == "muscle"  # 1.7 mm semi-axis along x


def test_trigger_point_only_inside_muscle():
    def edit(data):
        data["trigger_points"][0]["depth_mm"] = 8.0  # ellipsoid spans depth 6.3..9.7; muscle starts at 7

    model = AnatomyModel(make_case(edit))
    assert model.tissue_at(60, 40, 6.5) == "fascia"
    assert model.trigger_point_at(60, 40, 6.5) is None
    assert model.tissue_at(60, 40, 8) == "trigger_point"


# ---------------------------------------------------------------- compression, acoustics


def test_vein_flattens_under_pressure(model):
    # Vein centre (y=64, depth 20), radius 1.5: a point 1.2 mm above the centre is inside at rest.
    assert model.tissue_at(60, 64, 18.8) == "vein"
    assert model.tissue_at(60, 64, 18.8, probe_pressure=1.0) != "vein"
    assert model.tissue_at(60, 65.2, 20, probe_pressure=1.0) == "vein"  # width is unchanged
    # the artery does not compress
    assert model.tissue_at(60, 60, 19 - 1.0, probe_pressure=1.0) == "artery"


def test_vein_flattens_in_the_slice(model):
    def vein_pixels(pressure):
        plane = model.slice(ProbePose(60, 62, 90, pressure), 20, 30, (240, 160))
        rows, cols = np.nonzero(plane.labels == LABEL["vein"])
        return len(rows), np.ptp(rows) + 1, np.ptp(cols) + 1, (plane.labels == LABEL["artery"]).sum()

    area0, height0, width0, artery0 = vein_pixels(0.0)
    area1, height1, width1, artery1 = vein_pixels(1.0)
    assert area1 / area0 == pytest.approx(0.2, abs=0.05)  # ellipse area scales with the vertical radius
    assert height1 / height0 == pytest.approx(0.2, abs=0.06)
    assert abs(width1 - width0) <= 1
    assert artery1 == artery0


def test_acoustic_table_defaults_and_overrides():
    def edit(data):
        data["anatomy"]["acoustics"] = {"fat": {"attenuation_db_cm_mhz": 0.9}}

    table = AnatomyModel(make_case(edit)).acoustic_table()
    assert set(table) >= {"speed_m_s", "impedance_mrayl", "attenuation_db_cm_mhz", "scatter_density"}
    assert table["attenuation_db_cm_mhz"][LABEL["fat"]] == 0.9
    assert table["speed_m_s"][LABEL["fat"]] == DEFAULT_ACOUSTICS["fat"][0]
    assert table["attenuation_db_cm_mhz"][LABEL["muscle"]] == DEFAULT_ACOUSTICS["muscle"][2]
    assert all(len(values) == len(TISSUE_LABELS) for values in table.values())


# ---------------------------------------------------------------- slices


@pytest.mark.parametrize(
    "probe", [ProbePose(60, 40, 0, 0.2), ProbePose(60, 62, 90, 0.6), ProbePose(55, 45, 30, 0.3)]
)
def test_slice_agrees_with_point_queries(model, probe):
    plane = model.slice(probe, 40, 40, (160, 120))
    assert plane.labels.shape == (160, 120) and plane.labels.dtype == np.uint8
    x, y, d = plane.world_grid()
    sample = model.sample_points(x, y, d, probe_pressure=plane.probe.pressure)
    assert np.array_equal(plane.labels, sample.labels)
    assert np.array_equal(plane.layer_index, sample.layer_index)
    assert np.array_equal(plane.muscle_index, sample.muscle_index)
    assert np.array_equal(plane.trigger_point_index, sample.trigger_point_index)
    assert len(np.unique(plane.labels)) >= 6  # the plane really cuts through several structures


def _rich_case() -> Case:
    """Two varying layers, a winding vein, a muscle cylinder and an oblique trigger point."""

    def edit(data):
        layers = data["anatomy"]["layers"]
        layers[1]["thickness_mm"] = [
            {"x_mm": 10, "y_mm": 10, "thickness_mm": 3},
            {"x_mm": 70.5, "y_mm": 33.3, "thickness_mm": 6},
            {"x_mm": 110, "y_mm": 70, "thickness_mm": 4},
        ]
        data["anatomy"]["vessels"].append({
            "name": "winding vein", "kind": "vein", "radius_mm": 1.8,
            "path": [
                {"x_mm": 30, "y_mm": 30, "depth_mm": 10}, {"x_mm": 50, "y_mm": 45, "depth_mm": 16},
                {"x_mm": 65, "y_mm": 35, "depth_mm": 12}, {"x_mm": 90, "y_mm": 50, "depth_mm": 20},
            ],
        })
        data["anatomy"]["cylinders"].append({
            "name": "omohyoid", "tissue": "muscle", "radius_mm": 2.5,
            "start": {"x_mm": 40, "y_mm": 20, "depth_mm": 22}, "end": {"x_mm": 90, "y_mm": 60, "depth_mm": 24},
        })
        data["trigger_points"][0]["taut_band"]["direction_deg"] = 30
        data["trigger_points"][0]["size"] = {"length_mm": 10, "width_mm": 4, "height_mm": 4}

    return make_case(edit)


def test_slice_agrees_with_point_queries_on_a_rich_case():
    model = AnatomyModel(_rich_case())
    rng = np.random.default_rng(7)
    poses = [
        ProbePose(57.5, 40, 120, 0.5),  # across the winding vein's second segment
        ProbePose(65, 40, 38.66, 0.0),  # along the muscle cylinder
        ProbePose(60, 40, 30, 0.2),  # along the oblique trigger point
    ] + [ProbePose(rng.uniform(40, 80), rng.uniform(30, 50), rng.uniform(0, 360), rng.uniform(0, 1)) for _ in range(3)]
    seen = set()
    muscles = set()
    for probe in poses:
        plane = model.slice(probe, 50, 35, (90, 110))
        x, y, d = plane.world_grid()
        sample = model.sample_points(x, y, d, probe_pressure=plane.probe.pressure)
        assert np.array_equal(plane.labels, sample.labels)
        assert np.array_equal(plane.muscle_index, sample.muscle_index)
        assert np.array_equal(plane.trigger_point_index, sample.trigger_point_index)
        assert np.allclose(plane.fibre_angle_deg, sample.fibre_angle_to_plane_deg(plane.probe.heading_deg), atol=1e-3)
        seen |= {TISSUE_LABELS[i] for i in np.unique(plane.labels)}
        muscles |= {plane.muscle_names[i] for i in np.unique(plane.muscle_index) if i >= 0}
    assert model.muscle_at(65, 40, 23) == "omohyoid"
    assert model.tissue_at(57.5, 40, 14) == "vein"
    assert {"vein", "muscle", "fat", "trigger_point"} <= seen
    assert "omohyoid" in muscles


def test_a_slice_past_the_regions_edge_agrees_with_point_queries():
    """Columns beyond the region clamp their varying layers to its edge, in the plane as at a point."""
    model = AnatomyModel(_rich_case())
    for probe in (ProbePose(4, 3, 45, 0.1), ProbePose(115, 78, 200, 0.0), ProbePose(-10, 40, 90, 0.0)):
        plane = model.slice(probe, 60, 30, (70, 130))
        x, y, d = plane.world_grid()
        outside = (x < 0) | (x > model.layers.width_mm) | (y < 0) | (y > model.layers.height_mm)
        assert outside.any()
        sample = model.sample_points(x, y, d, probe_pressure=plane.probe.pressure)
        assert np.array_equal(plane.layer_index, sample.layer_index)
        assert np.array_equal(plane.labels, sample.labels)


def test_a_tapering_compressed_vein_in_the_slice_agrees_with_point_queries():
    """A vessel whose radius changes along its path, pressed by the probe: the plane's pixels inside it
    are the points inside it."""

    def edit(data):
        data["anatomy"]["vessels"].append({
            "name": "tapering vein", "kind": "vein", "radius_mm": 2.0,
            "path": [
                {"x_mm": 40, "y_mm": 30, "depth_mm": 12, "radius_mm": 3.0},
                {"x_mm": 60, "y_mm": 42, "depth_mm": 15, "radius_mm": 1.5},
                {"x_mm": 80, "y_mm": 50, "depth_mm": 14},
            ],
        })

    model = AnatomyModel(make_case(edit))
    assert any(t.radii_mm is not None for t in model.tubes)
    for probe in (ProbePose(50, 36, 120, 0.6), ProbePose(70, 46, 100, 0.0)):
        plane = model.slice(probe, 40, 30, (120, 100))
        x, y, d = plane.world_grid()
        sample = model.sample_points(x, y, d, probe_pressure=plane.probe.pressure)
        assert (plane.labels == LABEL["vein"]).sum() > 20
        assert np.array_equal(plane.labels, sample.labels)


def test_slice_cuts_the_structures_under_the_probe(model):
    across_vessels = model.slice(ProbePose(60, 62, 90, 0.0), 20, 40, (200, 100))
    found = {TISSUE_LABELS[i] for i in np.unique(across_vessels.labels)}
    assert {"artery", "vein", "muscle", "pleura", "lung"} <= found
    over_point = model.slice(ProbePose(60, 40, 0, 0.2), 40, 40, (200, 200))
    row, col = (int(round(v)) for v in over_point.px_of(0.0, 12.0))
    assert over_point.labels[row, col] == LABEL["trigger_point"]
    assert model.case.trigger_points[over_point.trigger_point_index[row, col]].id == "ut1"


@pytest.mark.parametrize("heading_deg", [0.0, 90.0])
def test_moving_the_probe_shifts_columns(model, heading_deg):
    # 40 mm over 80 columns: 1 mm along the axis is exactly 2 columns.
    first = ProbePose(58, 45, heading_deg, 0.3)
    ax, ay = first.axis
    moved = ProbePose(58 + ax, 45 + ay, heading_deg, 0.3)
    a = model.slice(first, 40, 40, (100, 80)).labels
    b = model.slice(moved, 40, 40, (100, 80)).labels
    assert np.array_equal(b[:, :-2], a[:, 2:])
    assert not np.array_equal(a, b)


def test_moving_an_oblique_probe_shifts_columns(model):
    first = ProbePose(60, 55, 30, 0.0)
    ax, ay = first.axis
    moved = ProbePose(60 + ax, 55 + ay, 30, 0.0)
    a = model.slice(first, 40, 40, (100, 80)).labels
    b = model.slice(moved, 40, 40, (100, 80)).labels
    # poses are rounded to 0.01 mm, so only a few boundary pixels may differ
    assert np.mean(b[:, :-2] != a[:, 2:]) < 0.005


def test_fibre_angle_relative_to_the_plane():
    def edit(data):
        data["anatomy"]["layers"][3]["fibre_direction_deg"] = 45

    model = AnatomyModel(make_case(edit))
    along = model.slice(ProbePose(40, 50, 45, 0.0), 30, 30, (60, 30))
    across = model.slice(ProbePose(40, 50, 135, 0.0), 30, 30, (60, 30))
    index = along.muscle_names.index("upper_trapezius")
    in_along, in_across = along.muscle_index == index, across.muscle_index == index
    assert in_along.any() and in_across.any()
    assert np.allclose(along.fibre_angle_deg[in_along], 0.0)
    assert np.allclose(across.fibre_angle_deg[in_across], 90.0)
    assert np.all(along.fibre_angle_deg[along.muscle_index < 0] == 0.0)


def test_slice_is_cached_and_read_only(model):
    probe = ProbePose(60, 40, 10, 0.2)
    first = model.slice(probe, 40, 40, (64, 64))
    assert model.slice(ProbePose(60.001, 40, 10, 0.2), 40, 40, (64, 64)) is first
    with pytest.raises(ValueError):
        first.labels[0, 0] = 0


def test_bad_input_gets_clear_errors(model):
    with pytest.raises(ValueError, match="positive width"):
        model.slice(ProbePose(60, 40), 0, 40, (10, 10))
    with pytest.raises(ValueError, match="shape"):
        model.slice(ProbePose(60, 40), 40, 40, (0, 10))
    with pytest.raises(ValueError, match="broadcastable"):
        model.labels_at(np.zeros(3), np.zeros(4), 5.0)
    with pytest.raises(ValueError, match="finite"):
        model.tissue_at(float("nan"), 0, 0)


def test_every_library_case_builds_and_its_slices_agree_with_point_queries():
    from simulator.scenario import load_library

    for case in load_library():
        model = AnatomyModel(case)
        for tp in case.trigger_points:
            found = model.trigger_point_at(tp.x_mm, tp.y_mm, tp.depth_mm)
            assert found is not None and found.id == tp.id, f"{case.id}: {tp.id} centre is not inside its muscle"
        home = case.body_region.default_probe
        for turn_deg in (0.0, 90.0):
            plane = model.slice(ProbePose(home.x_mm, home.y_mm, home.heading_deg + turn_deg, 0.4), 40, 45, (96, 80))
            x, y, d = plane.world_grid()
            assert np.array_equal(plane.labels, model.labels_at(x, y, d, probe_pressure=0.4)), case.id


def test_single_point_queries_agree_with_batches():
    """tissue_at & co. take a faster route for one point; it must give the batch answer."""
    model = AnatomyModel(_rich_case())
    rng = np.random.default_rng(3)
    # points near every tube's axis and every trigger point, plus some anywhere
    centres = [np.concatenate([t.starts, t.ends]) for t in model.tubes]
    centres.append(np.array([ell.centre_mm for ell in model.ellipsoids]))
    anchors = np.concatenate(centres)
    points = anchors[rng.integers(0, len(anchors), 300)] + rng.normal(0, 2.0, (300, 3))
    points = np.concatenate([points, rng.uniform((-20, -20, -2), (140, 100, 40), (100, 3))])
    tops = model.layer_tops_mm(points[:, 0], points[:, 1])
    for (x, y, _), expected in zip(points, tops):
        assert model.layers.point_tops_mm(x, y) == expected.tolist()  # exactly, not approximately
    for pressure in (0.0, 0.9):
        batch = model.sample_points(points[:, 0], points[:, 1], points[:, 2], probe_pressure=pressure)
        names = [TISSUE_LABELS[i] for i in batch.labels]
        assert len(set(names)) >= 8
        for i, (x, y, d) in enumerate(points):
            assert model.tissue_at(x, y, d, probe_pressure=pressure) == names[i]
            muscle = model.muscle_at(x, y, d, probe_pressure=pressure)
            expected = model.muscle_names[batch.muscle_index[i]] if batch.muscle_index[i] >= 0 else None
            assert muscle == expected
            if pressure == 0.0:
                tp = model.trigger_point_at(x, y, d)
                assert (tp.id if tp else None) == (
                    model.trigger_points[batch.trigger_point_index[i]].id if batch.trigger_point_index[i] >= 0 else None
                )
