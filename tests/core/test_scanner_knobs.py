"""The scanner knobs and the probe's heel-toe tilt as actions: events, state, rejections and the frame."""

import numpy as np

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.session import Session


def _rejections(events):
    return [e.reason for e in events if isinstance(e, E.ActionRejected)]


def test_tgc_steer_and_speckle_reduction_are_settings_that_the_event_records(case, catalogue):
    s = Session(case, catalogue, seed=3)
    events = s.step([A.Settings(tgc_far_db=6.0, doppler_steer_deg=-20.0, speckle_reduction=False)])
    changed = [e for e in events if isinstance(e, E.SettingsChanged)][0]
    assert (changed.tgc_near_db, changed.tgc_mid_db, changed.tgc_far_db) == (0.0, 0.0, 6.0)
    assert changed.doppler_steer_deg == -20.0 and changed.speckle_reduction is False
    assert s.state.settings.tgc_db == (0.0, 0.0, 6.0)
    s.step([A.Settings(tgc_near_db=-3.0)])  # one slider at a time keeps the others
    assert s.state.settings.tgc_db == (-3.0, 0.0, 6.0)


def test_out_of_range_knobs_are_rejected_and_change_nothing(case, catalogue):
    s = Session(case, catalogue, seed=3)
    assert _rejections(s.step([A.Settings(tgc_mid_db=25.0)])) == ["tgc_mid_db must be -20 to 20, got 25"]
    assert _rejections(s.step([A.Settings(doppler_steer_deg=10.0)])) == [
        "doppler_steer_deg must be -20, 0 or 20, got 10"]
    assert s.state.settings.tgc_db == (0.0, 0.0, 0.0) and s.state.settings.doppler_steer_deg == 20.0


def test_tilting_the_probe_changes_the_image_and_is_recorded(case, catalogue):
    s = Session(case, catalogue, seed=3)
    square = s.frame().envelope.copy()
    events = s.step([A.TiltProbe(tilt_deg=15.0)])
    assert [e.tilt_deg for e in events if isinstance(e, E.ProbeTilted)] == [15.0]
    assert s.state.probe_tilt_deg == 15.0
    tilted = s.frame().envelope
    assert tilted.mean() < 0.9 * square.mean()  # fascia and muscle fibres echo less off perpendicular
    s.step([A.TiltProbe(tilt_deg=0.0)])
    assert np.array_equal(s.frame().envelope, square)


def test_a_tilt_beyond_30_degrees_or_with_the_probe_lifted_is_rejected(case, catalogue):
    s = Session(case, catalogue, seed=3)
    assert _rejections(s.step([A.TiltProbe(tilt_deg=40.0)])) == ["tilt_deg must be -30 to 30, got 40"]
    s.step([A.LiftProbe()])
    assert _rejections(s.step([A.TiltProbe(tilt_deg=5.0)])) == ["the probe is not on the skin"]
    assert s.state.probe_tilt_deg == 0.0


def test_replay_lines_name_the_new_action_and_fields():
    assert A.action_from_dict({"type": "tilt_probe", "tilt_deg": -8}) == A.TiltProbe(tilt_deg=-8.0)
    settings = A.action_from_dict({"type": "settings", "tgc_mid_db": 4, "speckle_reduction": False})
    assert settings.tgc_mid_db == 4 and settings.speckle_reduction is False


def test_after_a_pleural_breach_the_probe_finds_the_lung_point_beside_it(case, catalogue):
    from simulator.core.ultrasound.engine import POCKET_RADIUS_MM

    s = Session(case, catalogue, seed=3)
    s.step([A.ChooseNeedle(gauge=25, length_mm=50), A.Insert(x_mm=60, y_mm=40, angle_deg=90, heading_deg=0)])
    events = s.step([A.Advance(mm=40)])
    assert any(isinstance(e, E.PleuraPunctured) for e in events)
    s.step([A.RemoveNeedle(), A.Probe(x_mm=60 - POCKET_RADIUS_MM, y_mm=40, heading_deg=0)])
    first = s.frame().image.copy()
    for _ in range(60):  # a second of breathing
        s.step()
    second = s.frame().image
    half = first.shape[1] // 2
    deep = slice(int(first.shape[0] * 0.8), None)  # the lung, under the pleura at about 20 mm
    assert (first[deep, : half - 40] != second[deep, : half - 40]).mean() > 0.2  # beyond the pocket: sliding
    assert np.array_equal(first[deep, half + 40:], second[deep, half + 40:])  # over the breach: still
