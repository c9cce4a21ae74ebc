"""Shared geometry of the world frame: the probe's image plane, the beam, and the needle.

The ultrasound engine draws with these and the procedure engine judges tip visibility
with them, so "the tip is in the beam" means the same thing on screen and in the score.

Frame: x_mm right and y_mm down the palpation view, depth_mm below the skin.
Image plane coordinates: `lateral_mm` along the probe's long axis (0 under the probe
centre, positive toward the heading), `elevation_mm` across it (signed distance from
the plane), `depth_mm` down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Beam elevation thickness: about 2 mm at the elevation focus (docs/sources.md [87]).
BEAM_THICKNESS_AT_FOCUS_MM = 2.0
# Fixed elevation lens focus of a linear musculoskeletal probe; the beam widens away from it.
ELEVATION_FOCUS_MM = 20.0
# How fast the beam widens away from the elevation focus (mm of thickness per mm of depth).
BEAM_DIVERGENCE = 0.06
PROBE_FOOTPRINT_MM = {"linear": 38.0, "curvilinear": 60.0}


@dataclass(frozen=True)
class ProbePose:
    """Where the probe sits on the skin; pressure 0 (resting) .. 1 (firm) compresses veins."""

    x_mm: float
    y_mm: float
    heading_deg: float = 0.0
    pressure: float = 0.2

    @property
    def axis(self) -> tuple[float, float]:
        """Unit vector of the probe's long axis on the skin."""
        h = math.radians(self.heading_deg)
        return math.cos(h), math.sin(h)

    def to_plane(self, x_mm, y_mm, depth_mm):
        """World -> (lateral_mm, elevation_mm, depth_mm); works on scalars and arrays."""
        ax, ay = self.axis
        dx = np.asarray(x_mm, dtype=float) - self.x_mm
        dy = np.asarray(y_mm, dtype=float) - self.y_mm
        lateral = dx * ax + dy * ay
        elevation = -dx * ay + dy * ax
        return lateral, elevation, np.asarray(depth_mm, dtype=float)

    def to_world(self, lateral_mm, depth_mm, elevation_mm=0.0):
        """(lateral, depth[, elevation]) on the image plane -> world (x_mm, y_mm, depth_mm)."""
        ax, ay = self.axis
        lateral = np.asarray(lateral_mm, dtype=float)
        elevation = np.asarray(elevation_mm, dtype=float)
        x = self.x_mm + lateral * ax - elevation * ay
        y = self.y_mm + lateral * ay + elevation * ax
        return x, y, np.asarray(depth_mm, dtype=float)


def beam_half_thickness_mm(depth_mm):
    """Half the elevation thickness of the beam at a depth: narrowest at the lens focus."""
    depth = np.asarray(depth_mm, dtype=float)
    return 0.5 * BEAM_THICKNESS_AT_FOCUS_MM + 0.5 * BEAM_DIVERGENCE * np.abs(depth - ELEVATION_FOCUS_MM)


def in_beam(probe: ProbePose, x_mm, y_mm, depth_mm, image_width_mm: float, image_depth_mm: float):
    """True where a point lies inside the imaged slab: within the beam thickness and the field of view."""
    lateral, elevation, depth = probe.to_plane(x_mm, y_mm, depth_mm)
    return (
        (np.abs(elevation) <= beam_half_thickness_mm(depth))
        & (np.abs(lateral) <= image_width_mm / 2)
        & (depth >= 0)
        & (depth <= image_depth_mm)
    )


@dataclass(frozen=True)
class NeedleGeometry:
    """A straight needle: skin entry, angle to the skin, heading on the skin, inserted length.

    angle_deg is measured from the skin surface (0 = flat, 90 = straight down); heading_deg
    is the direction the needle travels on the skin, degrees from +x.
    """

    entry_x_mm: float
    entry_y_mm: float
    angle_deg: float
    heading_deg: float
    length_mm: float = 0.0
    gauge: int = 25

    @property
    def direction(self) -> tuple[float, float, float]:
        a, h = math.radians(self.angle_deg), math.radians(self.heading_deg)
        return math.cos(a) * math.cos(h), math.cos(a) * math.sin(h), math.sin(a)

    def point_at(self, along_mm: float) -> tuple[float, float, float]:
        dx, dy, dz = self.direction
        return self.entry_x_mm + dx * along_mm, self.entry_y_mm + dy * along_mm, dz * along_mm

    @property
    def tip(self) -> tuple[float, float, float]:
        return self.point_at(self.length_mm)

    @property
    def outer_diameter_mm(self) -> float:
        """Outer diameter from the Stubs gauge table for the gauges used in TPI."""
        return GAUGE_OD_MM.get(self.gauge, 0.5)

    def sample(self, step_mm: float = 0.25) -> np.ndarray:
        """Points along the inserted shaft, (N, 3) in x, y, depth, from entry to tip."""
        n = max(2, int(math.ceil(self.length_mm / step_mm)) + 1)
        along = np.linspace(0.0, self.length_mm, n)
        dx, dy, dz = self.direction
        return np.stack([self.entry_x_mm + dx * along, self.entry_y_mm + dy * along, dz * along], axis=1)


# Stubs needle gauge -> outer diameter in mm (ISO 9626 nominal values).
GAUGE_OD_MM: dict[int, float] = {18: 1.27, 20: 0.91, 21: 0.82, 22: 0.72, 23: 0.64, 25: 0.51, 27: 0.41, 30: 0.31}
