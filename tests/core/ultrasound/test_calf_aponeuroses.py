"""The calf case's aponeuroses on its ultrasound: the bright intermuscular aponeurosis between the
medial gastrocnemius and the soleus, and the soleus's own fainter intramuscular one below it."""

from __future__ import annotations

import numpy as np
import pytest

from simulator import paths
from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.scenario import load_case

CASE = paths.SCENARIOS_DIR / "s16_gastrocnemius_runner_apixaban.yaml"


@pytest.fixture(scope="module")
def calf():
    """The case's default view, its layers' tops under the probe (mm) and the display's grey per depth."""
    case = load_case(CASE)
    pose = case.body_region.default_probe
    probe = ProbePose(pose.x_mm, pose.y_mm, pose.heading_deg)
    us = case.ultrasound
    settings = ScanSettings(depth_cm=us.depth_cm, gain_db=us.gain_db, freq_mhz=us.freq_mhz, focus_cm=us.focus_cm or 0.0)
    engine = UltrasoundEngine(AnatomyModel(case), seed=3)
    frame = engine.frame(probe, settings)
    row_mm, col_mm = frame.geometry.mm_per_px
    centre = frame.image.shape[1] // 2
    half = int(1.5 / col_mm)  # 3 mm of columns under the probe's middle, where the layers are nearly flat
    grey = frame.image[:, centre - half: centre + half + 1].astype(float).mean(axis=1)
    tops = engine.anatomy.layer_tops_mm(probe.x_mm, probe.y_mm)
    return case, tops, grey, row_mm


def _layer(case, name):
    return next(k for k, layer in enumerate(case.anatomy.layers) if layer.name == name)


def _grey(grey, row_mm, lo_mm, hi_mm):
    return float(grey[int(lo_mm / row_mm): int(hi_mm / row_mm) + 1].mean())


def _band_contrast(grey, row_mm, centre_mm, half_mm, beside_mm=2.0, gap_mm=1.0):
    """Grey level of the brightest row within half_mm of centre_mm, less the mean of the muscle
    from gap_mm to gap_mm + beside_mm above and below it."""
    band = grey[int((centre_mm - half_mm) / row_mm): int((centre_mm + half_mm) / row_mm) + 1].max()
    above = _grey(grey, row_mm, centre_mm - gap_mm - beside_mm, centre_mm - gap_mm)
    below = _grey(grey, row_mm, centre_mm + gap_mm, centre_mm + gap_mm + beside_mm)
    return band - max(above, below)


def test_a_bright_intermuscular_aponeurosis_between_the_medial_gastrocnemius_and_the_soleus(calf):
    case, tops, grey, row_mm = calf
    k = _layer(case, "soleus") - 1  # the fascia layer just above the soleus
    assert case.anatomy.layers[k].tissue == "fascia"
    centre = (tops[k] + tops[k + 1]) / 2
    assert _band_contrast(grey, row_mm, centre, 1.0, gap_mm=1.5) > 40.0  # about 10 dB above the muscles


def test_the_soleus_shows_its_intramuscular_aponeurosis_where_the_case_puts_it(calf):
    case, tops, grey, row_mm = calf
    k = _layer(case, "soleus")
    share = case.anatomy.layers[k].aponeurosis.depth_fraction
    inside = tops[k] + share * (tops[k + 1] - tops[k])
    assert _band_contrast(grey, row_mm, inside, 0.6) > 20.0
    # elsewhere in the soleus no such band: a quarter of the way down is plain muscle
    plain = tops[k] + 0.25 * (tops[k + 1] - tops[k])
    assert _band_contrast(grey, row_mm, plain, 0.6) < 15.0
