"""Analytic shapes inside the layers: tubes (vessels, nerves, ribs) and trigger-point ellipsoids.

Every function takes broadcastable coordinate arrays, so a point query and a whole
image block run the same arithmetic and therefore give the same answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.scenario.schema import Case, TriggerPoint

# A compressible vein's vertical radius shrinks to (1 - this * pressure) of its resting value.
VEIN_COMPRESSION = 0.8


@dataclass(frozen=True, eq=False)
class Tube:
    """A solid tube of `radius_mm` around a polyline; `kind` is what `distances` reports."""

    name: str
    kind: str  # artery | vein | nerve | bone | fascia | muscle
    tissue: str  # label the tube's inside gets
    starts: np.ndarray  # (S, 3) x, y, depth of each segment start
    ends: np.ndarray  # (S, 3)
    radius_mm: float  # the largest radius (bounding boxes, Doppler's flow profile)
    compressible: bool = False
    fibre_direction_deg: float = math.nan  # muscle cylinders: the axis direction on the skin
    radii_mm: np.ndarray | None = None  # (S, 2) radius at each segment's start and end; None: radius_mm throughout

    @property
    def bbox_mm(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned box (lo, hi) around the resting tube; a compressed vein stays inside it."""
        points = np.concatenate([self.starts, self.ends])
        return points.min(axis=0) - self.radius_mm, points.max(axis=0) + self.radius_mm

    def depth_scale(self, pressure: float) -> float:
        """How much the vertical radius shrinks under probe pressure (1 = not at all)."""
        if not self.compressible:
            return 1.0
        return 1.0 - VEIN_COMPRESSION * min(max(float(pressure), 0.0), 1.0)

    def segment_bbox_mm(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned box around segment i of the resting tube."""
        a, b = self.starts[i], self.ends[i]
        return np.minimum(a, b) - self.radius_mm, np.maximum(a, b) + self.radius_mm

    def segment_distance2_mm2(self, i: int, x, y, d, pressure: float = 0.0) -> np.ndarray:
        return self._segment_distance2_t(i, x, y, d, pressure)[0]

    def _segment_distance2_t(self, i: int, x, y, d, pressure: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Squared distance from points to segment i of the centre line, broadcasting x, y, d.

        Under compression the depth axis is stretched by 1/scale, which turns the round
        cross-section into an ellipse of vertical radius radius * scale. Written with as few
        full-size operations as possible: |r - t v|^2 = |r|^2 - t (2 r.v - t |v|^2) (may dip
        a hair below 0 on the axis, which no comparison with a radius notices).
        """
        scale, sx, sy, sd, vx, vy, vd, vv = self.segment_axis(i, pressure)
        d = np.asarray(d, dtype=float)
        rx, ry = np.asarray(x, dtype=float) - sx, np.asarray(y, dtype=float) - sy
        rd = (d / scale if scale != 1.0 else d) - sd
        rr = (rx * rx + ry * ry) + rd * rd
        rv = (rx * vx + ry * vy) + rd * vd
        t = np.clip(rv / vv, 0.0, 1.0)
        return rr - t * (2.0 * rv - t * vv), t

    def segment_axis(self, i: int, pressure: float = 0.0) -> tuple[float, ...]:
        """(depth scale, start x, y, scaled depth, direction x, y, scaled depth, its squared length) of
        segment i: what _segment_distance2_t (and the slice's compiled copy of it) measure from."""
        scale = self.depth_scale(pressure)
        start, end = self.starts[i], self.ends[i]
        sx, sy, sd = start[0], start[1], start[2] / scale
        vx, vy, vd = end[0] - start[0], end[1] - start[1], (end[2] - start[2]) / scale
        vv = max(vx * vx + vy * vy + vd * vd, 1e-12)
        return scale, sx, sy, sd, vx, vy, vd, vv

    def segment_radius_mm(self, i: int, t):
        """Radius of segment i at fraction t along it: linear between its end points' radii."""
        if self.radii_mm is None:
            return self.radius_mm
        r0, r1 = self.radii_mm[i]
        return r0 + t * (r1 - r0)

    def segment_inside(self, i: int, x, y, d, pressure: float = 0.0) -> np.ndarray:
        if self.radii_mm is None:
            return self.segment_distance2_mm2(i, x, y, d, pressure) <= self.radius_mm * self.radius_mm
        d2, t = self._segment_distance2_t(i, x, y, d, pressure)
        radius = self.segment_radius_mm(i, t)
        return d2 <= radius * radius

    def axis_distance2_mm2(self, x, y, d, pressure: float = 0.0) -> np.ndarray:
        """Squared distance from points to the centre line: the minimum over its segments."""
        best = self.segment_distance2_mm2(0, x, y, d, pressure)
        for i in range(1, len(self.starts)):
            best = np.minimum(best, self.segment_distance2_mm2(i, x, y, d, pressure))
        return np.maximum(best, 0.0)

    def axis_distance_mm(self, x, y, d, pressure: float = 0.0) -> np.ndarray:
        """Distance from points to the centre line (see axis_distance2_mm2)."""
        return np.sqrt(self.axis_distance2_mm2(x, y, d, pressure))

    def surface_distance_mm(self, x, y, d, pressure: float = 0.0) -> np.ndarray:
        """Signed distance to the tube wall: negative inside (exact at rest, approximate when compressed or tapered)."""
        if self.radii_mm is None:
            return self.axis_distance_mm(x, y, d, pressure) - self.radius_mm
        best = None
        for i in range(len(self.starts)):
            d2, t = self._segment_distance2_t(i, x, y, d, pressure)
            value = np.sqrt(np.maximum(d2, 0.0)) - self.segment_radius_mm(i, t)
            best = value if best is None else np.minimum(best, value)
        return best

    def inside(self, x, y, d, pressure: float = 0.0) -> np.ndarray:
        """True inside the tube (inside any of its segments' capsules)."""
        hit = self.segment_inside(0, x, y, d, pressure)
        for i in range(1, len(self.starts)):
            hit = hit | self.segment_inside(i, x, y, d, pressure)
        return hit


def _polyline(path) -> tuple[np.ndarray, np.ndarray]:
    points = np.array([(p.x_mm, p.y_mm, p.depth_mm) for p in path], dtype=float)
    return points[:-1].copy(), points[1:].copy()


def tubes_from_case(case: Case) -> tuple[Tube, ...]:
    """Tubes in paint order: cylinders, then nerves, then veins, then arteries (later ones win)."""
    anatomy = case.anatomy
    cylinders = []
    for c in anatomy.cylinders:
        start = np.array([[c.start.x_mm, c.start.y_mm, c.start.depth_mm]])
        end = np.array([[c.end.x_mm, c.end.y_mm, c.end.depth_mm]])
        direction = math.degrees(math.atan2(c.end.y_mm - c.start.y_mm, c.end.x_mm - c.start.x_mm))
        fibre = direction if c.tissue == "muscle" else math.nan
        cylinders.append(Tube(c.name, c.tissue, c.tissue, start, end, c.radius_mm, False, fibre))
    nerves = [Tube(n.name, "nerve", "nerve", *_polyline(n.path), n.radius_mm) for n in anatomy.nerves]
    veins, arteries = [], []
    for v in anatomy.vessels:
        compressible = v.compressible if v.compressible is not None else v.kind == "vein"
        radii = [p.radius_mm if p.radius_mm is not None else v.radius_mm for p in v.path]
        tapered = any(r != v.radius_mm for r in radii)
        per_segment = np.column_stack([radii[:-1], radii[1:]]).astype(float) if tapered else None
        tube = Tube(v.name, v.kind, v.kind, *_polyline(v.path), max(radii), compressible, math.nan, per_segment)
        (veins if v.kind == "vein" else arteries).append(tube)
    return tuple(cylinders + nerves + veins + arteries)


@dataclass(frozen=True)
class Ellipsoid:
    """A trigger point: semi-axes half its size, long axis along the taut band, height along depth."""

    centre_mm: tuple[float, float, float]
    semi_axes_mm: tuple[float, float, float]  # along the band, across it, in depth
    direction_deg: float

    @classmethod
    def of(cls, tp: TriggerPoint) -> "Ellipsoid":
        size = tp.size
        return cls(
            (tp.x_mm, tp.y_mm, tp.depth_mm),
            (size.length_mm / 2, size.width_mm / 2, size.height_mm / 2),
            tp.taut_band.direction_deg,
        )

    def norm(self, x, y, d) -> np.ndarray:
        """(u/a)^2 + (v/b)^2 + (w/c)^2: at most 1 inside the ellipsoid."""
        cx, cy, cd = self.centre_mm
        a, b, c = self.semi_axes_mm
        h = math.radians(self.direction_deg)
        cos_h, sin_h = math.cos(h), math.sin(h)
        dx = np.asarray(x, dtype=float) - cx
        dy = np.asarray(y, dtype=float) - cy
        u = dx * cos_h + dy * sin_h
        v = dy * cos_h - dx * sin_h
        w = np.asarray(d, dtype=float) - cd
        return (u / a) ** 2 + (v / b) ** 2 + (w / c) ** 2

    @property
    def bbox_mm(self) -> tuple[np.ndarray, np.ndarray]:
        a, b, c = self.semi_axes_mm
        h = math.radians(self.direction_deg)
        half_x = math.hypot(a * math.cos(h), b * math.sin(h))
        half_y = math.hypot(a * math.sin(h), b * math.cos(h))
        centre = np.array(self.centre_mm)
        half = np.array([half_x, half_y, c])
        return centre - half, centre + half


class SegmentTable:
    """Every segment of every tube in one table, so one point is checked against all at once.

    The needle asks for distances at every half millimetre it moves; looping over tubes in
    Python would cost a millisecond a step. Same formula as Tube.segment_distance2_mm2.
    """

    def __init__(self, tubes: tuple[Tube, ...]):
        self.n_tubes = len(tubes)
        counts = [len(t.starts) for t in tubes]
        self.first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp) if tubes else np.zeros(0, np.intp)
        self.starts = np.concatenate([t.starts for t in tubes]) if tubes else np.zeros((0, 3))
        self.ends = np.concatenate([t.ends for t in tubes]) if tubes else np.zeros((0, 3))
        self.compressible = np.repeat([t.compressible for t in tubes], counts).astype(bool)
        self.radius_mm = np.array([t.radius_mm for t in tubes], dtype=float)
        self.tapered = any(t.radii_mm is not None for t in tubes)
        if self.tapered:  # per segment: radius at its start and its change along it
            radii = np.concatenate([t.radii_mm if t.radii_mm is not None else np.full((len(t.starts), 2), t.radius_mm)
                                    for t in tubes])
            self._r0, self._dr = radii[:, 0], radii[:, 1] - radii[:, 0]
        self._cached = None

    def _geometry(self, pressure: float):
        """Per-segment constants for one probe pressure (remembered for the last pressure used)."""
        squash = 1.0 - VEIN_COMPRESSION * min(max(float(pressure), 0.0), 1.0)
        if self._cached is not None and self._cached[0] == squash:
            return self._cached[1]
        scale = np.where(self.compressible, squash, 1.0)
        start, end = self.starts, self.ends
        vx, vy, vd = end[:, 0] - start[:, 0], end[:, 1] - start[:, 1], (end[:, 2] - start[:, 2]) / scale
        vv = np.maximum(vx * vx + vy * vy + vd * vd, 1e-12)
        geometry = (scale, start[:, 0].copy(), start[:, 1].copy(), start[:, 2] / scale, vx, vy, vd, vv)
        self._cached = (squash, geometry)
        return geometry

    def inside(self, x: float, y: float, d: float, pressure: float = 0.0) -> np.ndarray:
        """Whether one point is inside each tube, (n_tubes,) bool."""
        if not self.tapered:
            return self.tube_distance2_mm2(x, y, d, pressure) <= self.radius_mm**2
        d2, t = self._segment_d2_t(x, y, d, pressure)
        radius = self._r0 + t * self._dr
        return np.minimum.reduceat(d2 - radius * radius, self.first) <= 0.0

    def surface_distance_mm(self, x: float, y: float, d: float, pressure: float = 0.0) -> np.ndarray:
        """Signed distance from one point to each tube's wall (negative inside), (n_tubes,)."""
        if not self.tapered:
            return np.sqrt(np.maximum(self.tube_distance2_mm2(x, y, d, pressure), 0.0)) - self.radius_mm
        d2, t = self._segment_d2_t(x, y, d, pressure)
        return np.minimum.reduceat(np.sqrt(np.maximum(d2, 0.0)) - (self._r0 + t * self._dr), self.first)

    def tube_distance2_mm2(self, x: float, y: float, d: float, pressure: float = 0.0) -> np.ndarray:
        """Squared distance from one point to each tube's centre line, (n_tubes,)."""
        if self.n_tubes == 0:
            return np.zeros(0)
        return np.minimum.reduceat(self._segment_d2_t(x, y, d, pressure)[0], self.first)

    def _segment_d2_t(self, x: float, y: float, d: float, pressure: float = 0.0):
        """Squared distance to each segment's centre line and the fraction along it of the nearest point."""
        scale, sx, sy, sd, vx, vy, vd, vv = self._geometry(pressure)
        rx, ry = x - sx, y - sy
        rd = d / scale - sd  # d / 1.0 == d exactly, so uncompressed tubes match the per-segment form
        rr = (rx * rx + ry * ry) + rd * rd
        rv = (rx * vx + ry * vy) + rd * vd
        t = np.clip(rv / vv, 0.0, 1.0)
        return rr - t * (2.0 * rv - t * vv), t
