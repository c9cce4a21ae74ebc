"""The ribs of the chest-wall cases show the bat sign's proportions: the pleural line about 5 mm
under the rib line (docs/sources.md [276]: half a centimetre in adults).

A rib authored with its deep surface on the pleura (radius 4 mm) has its top 8 mm above the
pleural line, so the scan shows the pleura too far below the ribs; these tests would catch it.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.scenario import load_case
from simulator.scenario.loader import find_case_file

CASES = ("s2_levator_scapulae_warfarin", "s8_trapezius_rhomboid_cumulative_dose", "s17_rhomboid_thin_sulfite")
RIB_LINE_TO_PLEURA_MM = 5.0


def _case(case_id: str):
    return load_case(find_case_file(case_id))


def _ribs(case) -> list:
    return [c for c in case.anatomy.cylinders if c.tissue == "bone" and " rib" in f" {c.name}"]


def _pleura_under_top_mm(model: AnatomyModel, rib, n: int = 41) -> np.ndarray:
    """Pleura depth minus the depth of the rib's top, at n points from its start to its end."""
    t = np.linspace(0.0, 1.0, n)
    x = rib.start.x_mm + t * (rib.end.x_mm - rib.start.x_mm)
    y = rib.start.y_mm + t * (rib.end.y_mm - rib.start.y_mm)
    centre = rib.start.depth_mm + t * (rib.end.depth_mm - rib.start.depth_mm)
    pleura = np.array([model.pleura_depth_mm(a, b) for a, b in zip(x, y)])
    return pleura - (centre - rib.radius_mm)


@pytest.fixture(scope="module", params=CASES)
def case_and_model(request):
    case = _case(request.param)
    return case, AnatomyModel(case)


def test_every_chest_wall_case_has_ribs(case_and_model):
    case, _ = case_and_model
    assert len(_ribs(case)) >= 4, case.id
    assert all("rib" not in c.name for c in case.anatomy.cylinders if c not in _ribs(case))


def test_each_rib_end_has_its_top_5_mm_above_the_pleural_line(case_and_model):
    case, model = case_and_model
    for rib in _ribs(case):
        gaps = _pleura_under_top_mm(model, rib, n=2)
        assert (np.abs(gaps - RIB_LINE_TO_PLEURA_MM) <= 0.1).all(), (case.id, rib.name, gaps)


def test_along_each_rib_the_pleural_line_stays_about_5_mm_under_its_top(case_and_model):
    case, model = case_and_model
    for rib in _ribs(case):  # straight pieces over a curved pleura: measured 4.1 to 6.2 mm
        gaps = _pleura_under_top_mm(model, rib)
        assert 4.0 <= gaps.min() and gaps.max() <= 6.5, (case.id, rib.name, gaps.min(), gaps.max())


def test_a_rib_with_its_deep_surface_on_the_pleura_is_seen_8_mm_above_it():
    case = _case("s8_trapezius_rhomboid_cumulative_dose")
    model = AnatomyModel(case)
    rib = _ribs(case)[0]
    on_pleura = rib.model_copy(update={
        "start": rib.start.model_copy(update={"depth_mm": model.pleura_depth_mm(rib.start.x_mm, rib.start.y_mm) - rib.radius_mm}),
        "end": rib.end.model_copy(update={"depth_mm": model.pleura_depth_mm(rib.end.x_mm, rib.end.y_mm) - rib.radius_mm}),
    })
    gaps = _pleura_under_top_mm(model, on_pleura, n=2)
    assert gaps == pytest.approx([8.0, 8.0], abs=0.01)
    assert np.abs(gaps - RIB_LINE_TO_PLEURA_MM).max() > 0.1  # the end rule above rejects it


def test_the_s8_scan_across_the_ribs_shows_the_pleural_line_5_mm_under_the_rib_line():
    """Down the back across two ribs (the bat sign): on the screen the brightest echo in a column
    through a rib is its top cortex, between the ribs it is the pleural line; they lie 5 mm apart."""
    case = _case("s8_trapezius_rhomboid_cumulative_dose")
    model = AnatomyModel(case)
    probe = ProbePose(110, 74, 90)
    settings = ScanSettings(depth_cm=4.5, gain_db=case.ultrasound.gain_db, freq_mhz=case.ultrasound.freq_mhz,
                            focus_cm=2.5)
    frame = UltrasoundEngine(model, seed=1).frame(probe, settings)
    row_mm, col_mm = frame.geometry.mm_per_px
    labels = model.slice(probe, frame.geometry.width_mm, frame.geometry.depth_mm, frame.envelope.shape).labels
    bone_columns = np.flatnonzero((labels == LABEL["bone"]).any(axis=0))
    runs = np.split(bone_columns, np.flatnonzero(np.diff(bone_columns) > 1) + 1)
    assert len(runs) == 2, "two ribs in view"
    rib_column = int(np.median(runs[0]))
    gap_column = (runs[0][-1] + runs[1][0]) // 2
    rows = slice(int(15 / row_mm), int(32 / row_mm))

    def brightest_mm(column: int) -> float:
        profile = frame.image[rows, column - 2: column + 3].astype(float).mean(axis=1)
        return (rows.start + int(np.argmax(profile))) * row_mm

    rib_line_mm, pleural_line_mm = brightest_mm(rib_column), brightest_mm(gap_column)
    assert pleural_line_mm - rib_line_mm == pytest.approx(RIB_LINE_TO_PLEURA_MM, abs=1.0), (rib_line_mm, pleural_line_mm)
    assert col_mm * (runs[0][-1] - runs[0][0] + 1) == pytest.approx(8.0, abs=1.0)  # the shadow keeps the rib's width
