"""Shared fixtures: the fixture case, engines, and homogeneous slabs rendered by the synthesis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.ultrasound import UltrasoundEngine
from simulator.core.ultrasound.psf import axial_fwhm_mm, lateral_fwhm_mm
from simulator.core.ultrasound.speckle import TABLE_COLUMNS, ScattererField
from simulator.core.ultrasound.synth import PlaneMaps, synthesize, tgc_curve_db
from simulator.core.ultrasound.texture import TextureTables
from simulator.scenario import load_case
from simulator.scenario.schema import Case

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "simple_case.yaml"


@pytest.fixture(scope="session")
def case() -> Case:
    return load_case(FIXTURE)


@pytest.fixture(scope="session")
def engine(case) -> UltrasoundEngine:
    return UltrasoundEngine(AnatomyModel(case), seed=7)


def case_with(**changes) -> Case:
    """The fixture case with some top-level blocks replaced (dicts as in the YAML)."""
    data = yaml.safe_load(FIXTURE.read_text())
    for key, value in changes.items():
        node = data
        *parents, leaf = key.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return Case.model_validate(data)


def muscle_only_case(**extra) -> Case:
    """Skin, fat, fascia and a deep muscle to the bottom: no pleura, so depth comparisons see tissue."""
    layers = [
        {"tissue": "skin", "thickness_mm": 2},
        {"tissue": "fat", "thickness_mm": 4},
        {"tissue": "fascia", "thickness_mm": 1},
        {"tissue": "muscle", "name": "upper_trapezius", "fibre_direction_deg": 0},
    ]
    return case_with(**{"anatomy.layers": layers, "anatomy.vessels": [], "anatomy.nerves": [],
                        "anatomy.cylinders": [], **extra})


class Slab:
    """One tissue everywhere, rendered straight through the synthesis (no anatomy involved)."""

    def __init__(self, engine: UltrasoundEngine, tissue="muscle", freq_mhz=10.0, depth_mm=40.0,
                 width_mm=38.0, shape=(512, 512), focus_mm=None, texture=False, attenuation=None, seed=3,
                 compound=False):
        height, width = shape
        self.row_mm, self.col_mm = depth_mm / height, width_mm / width
        self.focus_mm = depth_mm / 2 if focus_mm is None else focus_mm
        self.freq_mhz = freq_mhz
        lut = engine.lut
        if not texture:
            lut = type(lut)(**{**lut.__dict__, "texture": np.zeros_like(lut.texture)})
        if attenuation is not None:
            att = lut.attenuation_db_cm_mhz.copy()
            att[LABEL[tissue]] = attenuation
            lut = type(lut)(**{**lut.__dict__, "attenuation_db_cm_mhz": att})
        field = ScattererField(np.random.default_rng(seed), height + 16, width, keep_rows=height)
        depth_axis = (np.arange(field.rows) + 0.5) * self.row_mm
        lateral_px = lateral_fwhm_mm(freq_mhz, self.focus_mm, depth_axis) / self.col_mm
        filtered = field.filtered(axial_fwhm_mm(freq_mhz) / self.row_mm, lateral_px)
        textures = TextureTables(np.random.default_rng(seed), field.rows, TABLE_COLUMNS, self.row_mm,
                                 self.col_mm, pad=width, keep_rows=height)
        labels = np.full(shape, LABEL[tissue], dtype=np.uint8)
        cols = field.columns(0, 0.0, 0.0)
        maps = PlaneMaps(labels, np.zeros(shape, np.float32), None, cols, cols[0])
        self.depth_mm = (np.arange(height) + 0.5) * self.row_mm
        noise = np.zeros((width, height), dtype=np.complex64)  # column-major, like the synthesis
        self.synthesis = synthesize(maps, lut, field, filtered, textures, noise, freq_mhz, self.row_mm,
                                    tgc_curve_db(self.depth_mm, freq_mhz), compound=compound)
        self.envelope = self.synthesis.envelope

    def rows_near(self, depth_mm: float, half_mm: float) -> slice:
        return slice(int((depth_mm - half_mm) / self.row_mm), int((depth_mm + half_mm) / self.row_mm))


def fwhm_of_autocovariance(signal_2d: np.ndarray, axis: int) -> float:
    """FWHM in samples of the mean autocovariance along one axis (linear interpolation)."""
    x = signal_2d - signal_2d.mean(axis=axis, keepdims=True)
    n = x.shape[axis]
    spectrum = np.fft.fft(x, n=2 * n, axis=axis)
    acov = np.fft.ifft(np.abs(spectrum) ** 2, axis=axis).real
    acov = acov.mean(axis=1 - axis)[: n // 2]
    acov /= acov[0]
    below = np.nonzero(acov < 0.5)[0][0]
    a, b = acov[below - 1], acov[below]
    return 2.0 * ((below - 1) + (a - 0.5) / (a - b))
