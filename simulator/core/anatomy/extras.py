"""Anatomy that is neither a whole layer nor a tube: side-by-side muscles and plates of bone.

Muscle regions: part of a muscle layer, under an outline on the skin, belongs to another
muscle (the medial and lateral heads of gastrocnemius lie side by side in one layer). The
region keeps the layer's depth; it changes the muscle and fibre direction, and a thin fascia
septum along the outline shows the boundary on the ultrasound, as the intermuscular septum does.

Plates: a sheet of bone under an outline, its top a smooth surface through control depths
(the thin-plate spline of layer thicknesses, scenario.thickness), e.g. the scapula's fossa.

Both are evaluated from (x, y) on the skin first, so a plane pays for them per image column,
and points and planes use the same arithmetic. Paint order (model docstring): layers, muscle
regions, trigger points, septa, plates, then tubes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.scenario.schema import Case
from simulator.scenario.thickness import ThicknessField


def polygon_inside(x, y, polygon_xy: np.ndarray) -> np.ndarray:
    """Even-odd test of points (any shape) against a closed polygon (V, 2)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    inside = np.zeros(np.broadcast(x, y).shape, dtype=bool)
    xs, ys = polygon_xy[:, 0], polygon_xy[:, 1]
    for i in range(len(polygon_xy)):
        x0, y0, x1, y1 = xs[i - 1], ys[i - 1], xs[i], ys[i]
        if y0 == y1:
            continue
        crosses = (y0 > y) != (y1 > y)
        x_at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (x < x_at)
    return inside


def polygon_edge_distance_mm(x, y, polygon_xy: np.ndarray) -> np.ndarray:
    """Distance on the skin from points (any shape) to the nearest edge of a closed polygon."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    best = np.full(np.broadcast(x, y).shape, np.inf)
    for i in range(len(polygon_xy)):
        (x0, y0), (x1, y1) = polygon_xy[i - 1], polygon_xy[i]
        vx, vy = x1 - x0, y1 - y0
        t = np.clip(((x - x0) * vx + (y - y0) * vy) / max(vx * vx + vy * vy, 1e-12), 0.0, 1.0)
        best = np.minimum(best, np.hypot(x - (x0 + t * vx), y - (y0 + t * vy)))
    return best


def _polygon(points) -> np.ndarray:
    return np.array([(p.x_mm, p.y_mm) for p in points], dtype=float)


@dataclass(frozen=True, eq=False)
class Region:
    """One muscle region of a layer: `muscle` indexes AnatomyModel.muscle_names."""

    name: str
    layer: int
    muscle: int
    fibre_direction_deg: float
    polygon: np.ndarray
    septum_half_mm: float


@dataclass(frozen=True, eq=False)
class PlateShape:
    """A plate of bone under a polygon, from its top surface down `thickness_mm`."""

    name: str
    polygon: np.ndarray
    top: ThicknessField | float
    thickness_mm: float

    def top_mm(self, x, y) -> np.ndarray:
        if isinstance(self.top, float):
            return np.full(np.broadcast(np.asarray(x), np.asarray(y)).shape, self.top)
        return np.asarray(self.top(np.asarray(x, dtype=float), np.asarray(y, dtype=float)), dtype=float)

    def signed_distance_mm(self, x: float, y: float, d: float) -> float | None:
        """Depth to the plate's top above it (positive), negative inside, None off its outline."""
        if not polygon_inside(x, y, self.polygon):
            return None
        top = float(self.top_mm(x, y))
        bottom = top + self.thickness_mm
        if d < top:
            return top - d
        if d <= bottom:
            return -min(d - top, bottom - d)
        return d - bottom


def _plate_top(plate) -> ThicknessField | float:
    if isinstance(plate.top_mm, (int, float)):
        return float(plate.top_mm)
    return ThicknessField([(p.x_mm, p.y_mm) for p in plate.top_mm], [p.depth_mm for p in plate.top_mm])


def regions_from_case(case: Case, muscle_id: dict[str, int]) -> tuple[Region, ...]:
    regions = []
    for index, layer in enumerate(case.anatomy.layers):
        for region in layer.regions:
            fibre = region.fibre_direction_deg if region.fibre_direction_deg is not None else layer.fibre_direction_deg
            regions.append(Region(region.name, index, muscle_id[region.name], float(fibre), _polygon(region.outline),
                                  region.septum_mm / 2))
    return tuple(regions)


def plates_from_case(case: Case) -> tuple[PlateShape, ...]:
    return tuple(PlateShape(p.name, _polygon(p.outline), _plate_top(p), float(p.thickness_mm))
                 for p in case.anatomy.plates)


class Extras:
    """The regions and plates of one case, applied to points or painted into a plane."""

    def __init__(self, regions: tuple[Region, ...], plates: tuple[PlateShape, ...], fascia_label: int,
                 bone_label: int):
        self.regions = regions
        self.plates = plates
        self.fascia_label = fascia_label
        self.bone_label = bone_label
        self.active = bool(regions or plates)

    def apply_points(self, x, y, d, layer_index, labels, muscle, fibre, tp_index) -> None:
        """Regions, septa and plates at flat points, in place (after trigger points, before tubes).

        A region's muscle goes under its trigger points (they keep their label); septa and plates
        replace them."""
        for region in self.regions:
            sel = np.flatnonzero(layer_index == region.layer)
            if not sel.size:
                continue
            px, py = x[sel], y[sel]
            inside = polygon_inside(px, py, region.polygon)
            muscle[sel[inside]] = region.muscle
            fibre[sel[inside]] = region.fibre_direction_deg
        for region in self.regions:
            if region.septum_half_mm <= 0:
                continue
            sel = np.flatnonzero(layer_index == region.layer)
            septum = sel[polygon_edge_distance_mm(x[sel], y[sel], region.polygon) <= region.septum_half_mm]
            labels[septum], muscle[septum], fibre[septum], tp_index[septum] = self.fascia_label, -1, np.nan, -1
        for plate in self.plates:
            inside = np.flatnonzero(polygon_inside(x, y, plate.polygon))
            if not inside.size:
                continue
            top = plate.top_mm(x[inside], y[inside])
            depth = d[inside]
            hit = inside[(depth >= top) & (depth < top + plate.thickness_mm)]
            labels[hit], muscle[hit], fibre[hit], tp_index[hit] = self.bone_label, -1, np.nan, -1

    def paint_plane(self, xs, ys, depths, heading_deg: float, labels, layer_index, tp_index, fold) -> list:
        """Paint a plane's maps (H, W) in place; returns PlaneSlice overrides (rows, cols, mask, muscle, angle).

        `xs`, `ys` are the columns' skin positions, `depths` the rows'; `fold(direction, heading)`
        is the slice's fibre-angle fold, so region angles match the layers' exactly.
        """
        overrides = []
        rows = slice(0, labels.shape[0])
        for region in self.regions:
            inside = polygon_inside(xs, ys, region.polygon)
            cols = _column_span(inside)
            if cols is None:
                continue
            mask = (layer_index[rows, cols] == region.layer) & inside[None, cols]
            overrides.append((rows, cols, mask, region.muscle, fold(region.fibre_direction_deg, heading_deg)))
        for region in self.regions:
            if region.septum_half_mm <= 0:
                continue
            near = polygon_edge_distance_mm(xs, ys, region.polygon) <= region.septum_half_mm
            cols = _column_span(near)
            if cols is None:
                continue
            mask = (layer_index[rows, cols] == region.layer) & near[None, cols]
            labels[rows, cols][mask] = self.fascia_label
            tp_index[rows, cols][mask] = -1
            overrides.append((rows, cols, mask, -1, 0.0))
        for plate in self.plates:
            inside = polygon_inside(xs, ys, plate.polygon)
            cols = _column_span(inside)
            if cols is None:
                continue
            top = plate.top_mm(xs[cols], ys[cols])[None, :]
            depth = depths[:, None]
            mask = inside[None, cols] & (depth >= top) & (depth < top + plate.thickness_mm)
            labels[rows, cols][mask] = self.bone_label
            tp_index[rows, cols][mask] = -1
            overrides.append((rows, cols, mask, -1, 0.0))
        return overrides


def _column_span(columns: np.ndarray) -> slice | None:
    hits = np.flatnonzero(columns)
    if not hits.size:
        return None
    return slice(int(hits[0]), int(hits[-1]) + 1)


def plate_distances(plates: tuple[PlateShape, ...], x: float, y: float, d: float) -> list[tuple[str, float]]:
    """(name, signed distance) of each plate whose outline is over (x, y)."""
    result = []
    for plate in plates:
        distance = plate.signed_distance_mm(x, y, d)
        if distance is not None and math.isfinite(distance):
            result.append((plate.name, distance))
    return result
