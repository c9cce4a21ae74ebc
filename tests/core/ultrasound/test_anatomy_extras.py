"""Side-by-side muscles in one layer, bone plates with a shaped top, vessels whose radius changes.

Each is checked where the trainer meets it: the anatomy model (tissue, muscle, fibres,
distances the needle reads), the plane slice (agreeing with the points) and the B-mode image.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import muscle_only_case
from .helpers import cols_of, mean_db, rows_of

SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
MEDIAL_HALF = [{"x_mm": -50, "y_mm": -50}, {"x_mm": 60, "y_mm": -50}, {"x_mm": 60, "y_mm": 200},
               {"x_mm": -50, "y_mm": 200}]


def two_heads(septum_mm: float = 0.5):
    """The deep muscle split at x = 60 mm: medial head (fibres along y) left, the layer's muscle right."""
    layers = [
        {"tissue": "skin", "thickness_mm": 2},
        {"tissue": "fat", "thickness_mm": 4},
        {"tissue": "fascia", "thickness_mm": 1},
        {"tissue": "muscle", "name": "lateral_head", "fibre_direction_deg": 0, "regions": [
            {"name": "medial_head", "fibre_direction_deg": 90, "outline": MEDIAL_HALF, "septum_mm": septum_mm}]},
    ]
    return AnatomyModel(muscle_only_case(**{"anatomy.layers": layers}))


def scapula_plate():
    plate = {"name": "scapula", "thickness_mm": 3, "outline": MEDIAL_HALF,
             "top_mm": [{"x_mm": 20, "y_mm": 50, "depth_mm": 14}, {"x_mm": 60, "y_mm": 50, "depth_mm": 18}]}
    return AnatomyModel(muscle_only_case(**{"anatomy.plates": [plate]}))


# ---------------------------------------------------------------- side-by-side muscles


def test_each_side_of_the_outline_is_its_own_muscle_with_its_own_fibres():
    model = two_heads()
    assert model.muscle_at(40, 50, 20) == "medial_head"
    assert model.fibre_direction_deg_at(40, 50, 20) == 90
    assert model.muscle_at(80, 50, 20) == "lateral_head"
    assert model.fibre_direction_deg_at(80, 50, 20) == 0
    assert model.tissue_at(60.2, 50, 20) == "fascia"  # the septum on the outline
    assert model.muscle_at(60.2, 50, 20) is None
    assert model.tissue_at(60.2, 50, 5) == "fat"  # only inside its layer


def test_without_a_septum_the_muscles_meet_directly():
    model = two_heads(septum_mm=0)
    assert model.muscle_at(59.9, 50, 20) == "medial_head"
    assert model.muscle_at(60.1, 50, 20) == "lateral_head"


def test_the_plane_agrees_with_the_points():
    model = two_heads()
    plane = model.slice(ProbePose(60, 50, 0), 40, 40, (160, 160))
    x, y, d = plane.world_grid()
    sample = model.sample_points(x, y, d)
    assert np.array_equal(np.asarray(plane.labels), sample.labels)
    assert np.array_equal(np.asarray(plane.muscle_index), sample.muscle_index)
    assert np.allclose(np.asarray(plane.fibre_angle_deg), sample.fibre_angle_to_plane_deg(0.0))
    one = model.sample_points(58.0, 50.0, 20.0)  # a single point takes the same path as many
    assert model.muscle_names[int(one.muscle_index)] == "medial_head"


def test_the_boundary_shows_on_the_ultrasound_as_a_bright_septum():
    frame = UltrasoundEngine(two_heads(), seed=4).frame(ProbePose(60, 50, 0), SETTINGS)
    rows = rows_of(frame, 12.0, 30.0)
    septum = frame.envelope[rows, cols_of(frame, -0.2, 0.2)]
    beside = frame.envelope[rows, cols_of(frame, 4.0, 10.0)]
    assert mean_db(septum) - mean_db(beside) >= 3.0

    plain = UltrasoundEngine(two_heads(septum_mm=0), seed=4).frame(ProbePose(60, 50, 0), SETTINGS)
    no_septum = plain.envelope[rows, cols_of(plain, -0.3, 0.3)]
    assert abs(mean_db(no_septum) - mean_db(plain.envelope[rows, cols_of(plain, 4.0, 10.0)])) < 3.0


# ---------------------------------------------------------------- bone plates


def test_a_plate_is_bone_from_its_shaped_top_down_its_thickness():
    model = scapula_plate()
    assert model.tissue_at(20, 50, 14.5) == "bone"  # top 14 mm at x = 20
    assert model.tissue_at(20, 50, 13.5) == "muscle"
    assert model.tissue_at(20, 50, 17.5) == "muscle"  # below its 3 mm
    assert model.tissue_at(59.5, 50, 18.5) == "bone"  # top about 18 mm at the edge
    assert model.tissue_at(59.5, 50, 17.5) == "muscle"
    assert model.tissue_at(80, 50, 15) == "muscle"  # off its outline
    bone = [s for s in model.distances(20, 50, 10) if s.name == "scapula"]
    assert bone[0].kind == "bone" and bone[0].distance_mm == pytest.approx(4.0)
    assert [s for s in model.distances(80, 50, 10) if s.name == "scapula"] == []


def test_the_needle_stops_on_a_plate():
    from simulator.core.events import BoneContacted
    from simulator.core.needle import NeedleModel

    model = scapula_plate()
    needle = NeedleModel(model.case, model)
    track = needle.insert(20, 50, 90, 0, 25, 40)  # straight down where the top is 14 mm deep
    result = needle.advance(track, 30, 1.0)
    contact = [e for e in result.events if isinstance(e, BoneContacted)]
    assert contact and contact[0].name == "scapula"
    assert needle.tip_depth_mm(track) == pytest.approx(14.0, abs=0.6)

    off = NeedleModel(model.case, model)
    track = off.insert(80, 50, 90, 0, 25, 40)  # beside the plate: nothing to stop it
    assert not [e for e in off.advance(track, 30, 1.0).events if isinstance(e, BoneContacted)]


def test_a_plate_shows_a_bright_cortex_and_a_shadow_below():
    frame = UltrasoundEngine(scapula_plate(), seed=2).frame(ProbePose(60, 50, 0), SETTINGS)
    # the plate covers x < 60 (lateral < 0): its top is about 16 to 18 mm deep there
    shadow = frame.envelope[rows_of(frame, 24.0, 34.0), cols_of(frame, -12.0, -6.0)]
    beside = frame.envelope[rows_of(frame, 24.0, 34.0), cols_of(frame, 6.0, 12.0)]
    assert mean_db(beside) - mean_db(shadow) >= 20.0
    cortex_rows = rows_of(frame, 16.0, 18.0)
    assert frame.image[cortex_rows, cols_of(frame, -8.0, -7.0)].max() > frame.image[cortex_rows, cols_of(frame, 6, 12)].max()


# ---------------------------------------------------------------- vessels with a radius per point


def test_a_vessel_widens_and_narrows_along_its_path():
    artery = {"name": "tapering artery", "kind": "artery", "radius_mm": 1.0,
              "path": [{"x_mm": 20, "y_mm": 50, "depth_mm": 20, "radius_mm": 3.0}, {"x_mm": 100, "y_mm": 50, "depth_mm": 20}]}
    model = AnatomyModel(muscle_only_case(**{"anatomy.vessels": [artery]}))
    assert model.tissue_at(20, 50, 22.5) == "artery"  # 3 mm at the start
    assert model.tissue_at(100, 50, 21.5) == "muscle"  # 1 mm at the end
    assert model.tissue_at(60, 50, 21.8) == "artery"  # 2 mm half way
    assert model.tissue_at(60, 50, 22.2) == "muscle"
    wall = [s for s in model.distances(60, 50, 26) if s.name == "tapering artery"][0]
    assert wall.distance_mm == pytest.approx(4.0)
    plane = model.slice(ProbePose(60, 50, 90), 40, 40, (200, 200))  # across the vessel half way
    lumen_rows = np.flatnonzero((np.asarray(plane.labels) == LABEL["artery"]).any(axis=1))
    assert (lumen_rows.max() - lumen_rows.min() + 1) * 0.2 == pytest.approx(4.0, abs=0.4)


def test_doppler_flow_is_parabolic_across_the_local_radius_of_a_tapering_vessel():
    from simulator.core.ultrasound.doppler import vessel_flows

    artery = {"name": "tapering artery", "kind": "artery", "radius_mm": 1.0, "peak_velocity_cm_s": 40,
              "path": [{"x_mm": 0, "y_mm": 50, "depth_mm": 15, "radius_mm": 3.0}, {"x_mm": 120, "y_mm": 50, "depth_mm": 15}]}
    model = AnatomyModel(muscle_only_case(**{"anatomy.vessels": [artery]}))
    probe = ProbePose(110, 50, 90)  # across the narrow end: radius about 1.3 mm
    plane = model.slice(probe, 38, 40, (400, 400))
    flows = vessel_flows(model, probe, np.asarray(plane.labels), np.asarray(plane.lateral_axis_mm),
                         np.asarray(plane.depth_axis_mm)[:, None], None)
    speed = np.abs(flows.toward_cm_s)
    assert speed.size > 20
    assert speed.min() < 0.5 * speed.max()  # slow at the wall, fast in the middle, as the local radius says
