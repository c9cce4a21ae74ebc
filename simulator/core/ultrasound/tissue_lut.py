"""Per-tissue acoustic properties (the lut, indexed by label id) and what the synthesis reads of them.

Everything here depends on the case's tissues and the probe's tilt, not on the pose: the
per-label gains are worked out once per lut and tilt and spread over a plane's runs in one
compiled pass (synth.synthesize reads them per run).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

CLUTTER_AMPLITUDE = 0.022  # about -29 dB under muscle: anechoic regions are near black, with a little haze
TEXTURE_NONE, TEXTURE_MUSCLE, TEXTURE_FAT, TEXTURE_NERVE = 0, 1, 2, 3
TEXTURE_GAIN = {TEXTURE_MUSCLE: 5.0, TEXTURE_FAT: 9.0, TEXTURE_NERVE: 1.0}
NERVE_TEXTURE_SCALE = 2.5


@dataclass(frozen=True, eq=False)
class TissueLut:
    """Per-label acoustic properties (arrays indexed by label id)."""

    amplitude: np.ndarray  # mean echo amplitude: scatter_amplitude * sqrt(scatter_density)
    density: np.ndarray  # scatter_density: below 1 the speckle gets clumpier (fewer scatterers per cell)
    attenuation_db_cm_mhz: np.ndarray
    impedance_mrayl: np.ndarray
    texture: np.ndarray  # TEXTURE_* per label
    wall: np.ndarray  # extra boundary echo of structures with a wall (vessels, nerves)
    air: np.ndarray  # bool: reflections from this label echo as A-lines (lung)
    anisotropy_deg: np.ndarray | None = None  # tilt (deg) at which this tissue's fibre echo falls to 1/e; 0 isotropic


def anisotropy(lut: TissueLut, tilt_deg: float) -> np.ndarray:
    """(labels,) echo factor of each tissue's fibres when the beam is tilted tilt_deg off
    perpendicular (heel-toe): exp(-(tilt / anisotropy_deg)^2), 1 for isotropic tissue."""
    n = lut.amplitude.size
    if lut.anisotropy_deg is None or tilt_deg == 0.0:
        return np.ones(n, dtype=np.float32)
    width = np.asarray(lut.anisotropy_deg, dtype=np.float32)
    safe = np.where(width > 0, width, 1.0)
    return np.where(width > 0, np.exp(-((tilt_deg / safe) ** 2)), 1.0).astype(np.float32)


@dataclass(frozen=True, eq=False)
class LabelGains:
    """What synthesize reads per label, for one lut and tilt (kept: they change with neither the pose nor the settings)."""

    fibre_echo: np.ndarray  # (labels,) float32 anisotropy()
    per_label: np.ndarray  # (4, labels) float32: base amplitude, muscle, fat and nerve texture gains


_LAST_GAINS: list = [None]  # ((lut, tilt_deg), LabelGains): one element, read and replaced at once (threads)


def label_gains(lut: TissueLut, tilt_deg: float) -> LabelGains:
    """The lut's gains at this tilt; the last answer is kept (a new pose at the same tilt reuses it)."""
    cached = _LAST_GAINS[0]
    if cached is not None and cached[0][0] is lut and cached[0][1] == tilt_deg:
        return cached[1]
    fibre_echo = anisotropy(lut, tilt_deg)
    kind, amp = lut.texture, lut.amplitude
    # untextured fibrous tissue (fascia) loses its whole echo with a tilt; textured tissue its fibres' share
    plain_fibre = np.where(kind == TEXTURE_NONE, fibre_echo, 1.0)
    base = (np.select([kind == TEXTURE_FAT, kind == TEXTURE_NERVE, kind == TEXTURE_MUSCLE], [0.5, 0.3, 0.75], 1.0) * amp
            * plain_fibre + CLUTTER_AMPLITUDE).astype(np.float32)
    muscle = (np.where(kind == TEXTURE_MUSCLE, TEXTURE_GAIN[TEXTURE_MUSCLE], 0.0) * amp * fibre_echo).astype(np.float32)
    fat = (np.where(kind == TEXTURE_FAT, TEXTURE_GAIN[TEXTURE_FAT], 0.0) * amp).astype(np.float32)
    nerve = (np.where(kind == TEXTURE_NERVE, NERVE_TEXTURE_SCALE, 0.0) * amp * fibre_echo).astype(np.float32)
    gains = LabelGains(fibre_echo, np.ascontiguousarray(np.stack([base, muscle, fat, nerve])))
    _LAST_GAINS[0] = ((lut, tilt_deg), gains)
    return gains


@njit(cache=True, nogil=True)
def run_gains(label, per_label):
    """(base, muscle, fat, nerve) per run from the (4, labels) table, and whether any run has a muscle gain."""
    n = label.size
    out = np.empty((4, n), dtype=np.float32)
    any_muscle = False
    for i in range(n):
        for k in range(4):
            out[k, i] = per_label[k, label[i]]
        any_muscle = any_muscle or out[1, i] != 0.0
    return out[0], out[1], out[2], out[3], any_muscle


@njit(cache=True, nogil=True)
def run_long_axis(muscle, angle_deg, cos2_by_deg):
    """muscle[i] x cos2_by_deg[angle_deg[i]] (float32; the angle truncated to whole degrees and clipped to
    the table, as np.take(mode="clip") of astype(intp) did)."""
    out = np.empty(muscle.size, dtype=np.float32)
    last = cos2_by_deg.size - 1
    for i in range(muscle.size):
        out[i] = muscle[i] * cos2_by_deg[min(max(np.intp(angle_deg[i]), 0), last)]
    return out
