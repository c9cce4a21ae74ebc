"""Injected fluid: a hypoechoic pool at the tip that grows with volume (docs/sources.md [91][92]).

The pool is an ellipsoid of the injected volume whose shape depends on where it went:
between muscle fibres it elongates along them, in fat it stays round, in a fascial plane
it spreads thinly along the plane. The fluid spreads between fibres rather than replacing
them, so the tissue's speckle still shows through, POOL_RESIDUAL_DB down, and the rim is
soft. Fluid barely attenuates, so tissue below it is brighter (posterior enhancement).
"""

from __future__ import annotations

import math

import numpy as np

from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import moving
from simulator.core.ultrasound.synth import CLUTTER_AMPLITUDE

# semi-axis ratios (along the fibres / across them / in depth) before scaling to the volume
SHAPES = {
    "muscle": (1.8, 1.0, 0.55),
    "trigger_point": (1.8, 1.0, 0.55),
    "fat": (1.1, 1.1, 0.85),
    "fascia": (2.2, 2.2, 0.22),
}
ROUND = (1.0, 1.0, 1.0)
WATER_ATTENUATION_DB_CM_MHZ = 0.002
POOL_RESIDUAL_DB = -24.0  # the tissue's echo left inside the pool: hypoechoic, not black


def semi_axes_mm(volume_ml: float, tissue: str) -> tuple[float, float, float]:
    """Semi-axes whose ellipsoid holds the volume: (4/3) pi a b c = volume."""
    ratios = SHAPES.get(tissue, ROUND)
    radius = (3.0 * max(volume_ml, 0.0) * 1000.0 / (4.0 * math.pi)) ** (1.0 / 3.0)
    k = radius / (ratios[0] * ratios[1] * ratios[2]) ** (1.0 / 3.0)
    return ratios[0] * k, ratios[1] * k, ratios[2] * k


def draw_bolus(envelope: np.ndarray, attenuation: np.ndarray, bolus, direction_deg: float, probe: ProbePose,
               lateral_axis_mm: np.ndarray, depth_map_mm: np.ndarray, row_mm: float, freq_mhz: float,
               tissue_attenuation_db_cm_mhz: float, sector: bool = False):
    """Darken the pool and brighten below it, in place. Returns the changed (rows, cols) box or None.

    depth_map_mm is each pixel's depth below the skin: (H, 1) per row, or (H, W) for a sector
    (which bends it). Where the pool lies and its pixel loop are compiled (moving.bolus_pool).
    """
    a, b, c = semi_axes_mm(bolus.volume_ml, bolus.tissue)
    if a <= 0:
        return None
    height = envelope.shape[0]
    per_row = depth_map_mm.shape[1] == 1
    h = math.radians(direction_deg)
    # posterior enhancement: the fluid's path attenuates less than the tissue it replaced
    excess_db_per_cm = max(tissue_attenuation_db_cm_mhz - WATER_ATTENUATION_DB_CM_MHZ, 0.0) * 2.0 * freq_mhz
    r0, c0, c1 = moving.bolus_pool(
        envelope.T, attenuation.T, lateral_axis_mm, (float(probe.x_mm), float(probe.y_mm)), probe.axis,
        (float(bolus.x_mm), float(bolus.y_mm), float(bolus.depth_mm)), (math.cos(h), math.sin(h)), (a, b, c),
        depth_map_mm.T if per_row else depth_map_mm, per_row, bool(sector), float(row_mm),
        float(CLUTTER_AMPLITUDE * 0.3), float(10 ** (POOL_RESIDUAL_DB / 20)), float(excess_db_per_cm))
    return (slice(r0, height), slice(c0, c1)) if c1 > c0 else None
