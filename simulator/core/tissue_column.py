"""The tissue column under one point of the skin: what a needle going straight down would meet.

Authors place ribs on the pleura, vessels in a fascial plane and trigger points inside their
muscle by depth; `tpi-sim inspect` prints this column so they can read those depths off the
model the trainer uses, instead of guessing them from validator messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.anatomy import AnatomyModel

STEP_MM = 0.1  # depth resolution of the crossings and closest approaches
BELOW_DEEPEST_TOP_MM = 20.0  # how far the column reaches past the top of the last layer


@dataclass(frozen=True)
class LayerSpan:
    """One layer of the case at this point; `bottom_mm` is infinite for the last layer."""

    number: int  # 1-based, in the order of `anatomy.layers`
    tissue: str
    name: str
    top_mm: float
    bottom_mm: float
    fibre_to_plane_deg: float | None  # muscle only, when a probe heading is given: 0 long axis .. 90 short axis

    @property
    def thickness_mm(self) -> float:
        return self.bottom_mm - self.top_mm


@dataclass(frozen=True)
class Crossing:
    """A structure the vertical line passes through, from `top_mm` to `bottom_mm` below the skin."""

    kind: str  # artery | vein | nerve | bone | muscle | fascia | trigger point
    name: str
    top_mm: float
    bottom_mm: float


@dataclass(frozen=True)
class Approach:
    """The closest a vessel or nerve wall comes to the column; negative means the column crosses it."""

    kind: str
    name: str
    distance_mm: float
    depth_mm: float


@dataclass(frozen=True)
class TissueColumn:
    x_mm: float
    y_mm: float
    heading_deg: float | None
    layers: tuple[LayerSpan, ...]
    crossings: tuple[Crossing, ...]
    pleura_depth_mm: float | None
    approaches: tuple[Approach, ...]  # vessels and nerves, nearest first


def _spans(inside: np.ndarray, depths_mm: np.ndarray) -> list[tuple[float, float]]:
    """(top, bottom) depth of each run of True in `inside`, to STEP_MM."""
    edges = np.diff(np.pad(inside.astype(np.int8), 1))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(float(depths_mm[s]), float(depths_mm[e])) for s, e in zip(starts, ends)]


def tissue_column(model: AnatomyModel, x_mm: float, y_mm: float, heading_deg: float | None = None) -> TissueColumn:
    """The column at (x_mm, y_mm): layers, structures crossed, pleura depth, nearest vessels and nerves."""
    case = model.case
    tops = [float(t) for t in np.asarray(model.layer_tops_mm(x_mm, y_mm)).reshape(-1)]
    reach_mm = max(tops) + BELOW_DEEPEST_TOP_MM
    depths = np.round(np.arange(0.0, reach_mm + STEP_MM / 2, STEP_MM), 3)
    sample = model.sample_points(np.full_like(depths, x_mm), np.full_like(depths, y_mm), depths)
    angles = sample.fibre_angle_to_plane_deg(heading_deg) if heading_deg is not None else None

    layers = []
    for i, layer in enumerate(case.anatomy.layers):
        top = tops[i]
        bottom = tops[i + 1] if i + 1 < len(tops) else math.inf
        angle = None
        middle = min(top + (bottom - top) / 2 if math.isfinite(bottom) else top + 1.0, reach_mm)
        at_middle = min(int(round(middle / STEP_MM)), len(depths) - 1)
        if angles is not None and layer.tissue == "muscle":
            angle = float(angles[at_middle])
        name = layer.name or ""
        if layer.regions:  # side-by-side muscles: the one under this point
            muscle = model.muscle_at(x_mm, y_mm, middle)
            name = muscle if muscle is not None else name
        layers.append(LayerSpan(i + 1, layer.tissue, name, top, bottom, angle))

    crossings: list[Crossing] = []
    approaches: list[Approach] = []
    tubes = len(model.tubes)  # distances() lists the tubes first, then the pleura and bone layers (listed above)
    per_depth = [model.distances(x_mm, y_mm, float(d))[:tubes] for d in depths]
    names = [(s.kind, s.name) for s in per_depth[0]]
    table = np.array([[s.distance_mm for s in row] for row in per_depth]).reshape(len(depths), tubes)
    for k, (kind, name) in enumerate(names):
        for top, bottom in _spans(table[:, k] < 0, depths):
            crossings.append(Crossing(kind, name, top, bottom))
        if kind in ("artery", "vein", "nerve"):
            nearest = int(np.argmin(table[:, k]))
            approaches.append(Approach(kind, name, float(table[nearest, k]), float(depths[nearest])))
    plates = {plate.name for plate in model.extras.plates}
    for name in sorted(plates):  # bone plates come after the tubes, the pleura and the bone layers
        inside = np.array([any(s.name == name and s.kind == "bone" and s.distance_mm <= 0
                               for s in model.distances(x_mm, y_mm, float(d))[tubes:]) for d in depths])
        for top, bottom in _spans(inside, depths):
            crossings.append(Crossing("bone plate", name, top, bottom))
    for k, tp in enumerate(model.trigger_points):
        for top, bottom in _spans(sample.trigger_point_index == k, depths):
            crossings.append(Crossing("trigger point", f"{tp.id} ({tp.muscle})", top, bottom))
    crossings.sort(key=lambda c: (c.top_mm, c.name))
    approaches.sort(key=lambda a: (a.distance_mm, a.name))
    return TissueColumn(float(x_mm), float(y_mm), heading_deg, tuple(layers), tuple(crossings),
                        model.pleura_depth_mm(x_mm, y_mm), tuple(approaches))
