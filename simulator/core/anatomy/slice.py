"""What the vertical plane under a probe cuts through the anatomy, as (H, W) maps.

Pixel (row, col) samples its centre: lateral = -width/2 + (col + 0.5) * width/W and
depth = (row + 0.5) * depth/H. Layers are found once per column and turned into rows;
tubes and ellipsoids are evaluated only inside the block of pixels their bounding box
covers, with the same arithmetic as AnatomyModel.sample_points, so both agree exactly.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from simulator.core.anatomy.layers import LayerStack
from simulator.core.anatomy.shapes import Ellipsoid, Tube
from simulator.core.geometry import ProbePose


class SliceSource(Protocol):
    """What a slice reads from the anatomy model (AnatomyModel provides it).

    Named here, instead of importing the model, so this module depends only on the layer and
    shape modules below it and the model can import it without a circle.
    """

    layers: LayerStack
    n_layers: int
    layer_labels: np.ndarray  # per-layer uint8 label ids
    layer_muscle_index: np.ndarray  # per-layer int8 muscle index
    layer_fibre_direction_deg: np.ndarray  # per-layer float32, NaN where not muscle
    muscle_names: tuple[str, ...]
    ellipsoids: Sequence[Ellipsoid]
    trigger_point_hosts: Sequence[np.ndarray]  # per trigger point: bool per layer it may sit in
    trigger_point_label: int
    tubes: Sequence[Tube]
    tube_labels: Sequence[int]
    tube_muscle_index: Sequence[int]
    segment_boxes: Sequence[Sequence[tuple]]  # per tube, per segment: (lo, hi) world box


@dataclass(frozen=True, eq=False)
class PlaneSlice:
    """Label maps of one image plane. Arrays are read-only (they are shared through the cache).

    The (H, W) maps are column-major (Fortran-ordered): a column of the image is contiguous
    and `labels.T` is a free C-contiguous (W, H) view, which the ultrasound synthesis reads.

    `muscle_index` and `fibre_angle_deg` are built on first use, so a caller that needs only
    the labels does not pay for them.
    """

    probe: ProbePose  # the (rounded) pose the slice was computed for
    width_mm: float
    depth_mm: float
    lateral_axis_mm: np.ndarray  # (W,) lateral position of each column centre
    depth_axis_mm: np.ndarray  # (H,) depth of each row centre
    labels: np.ndarray  # (H, W) uint8 label ids
    layer_index: np.ndarray  # (H, W) int8 layer the depth falls in, ignoring tubes
    trigger_point_index: np.ndarray  # (H, W) int8 into case.trigger_points, -1 where none
    muscle_names: tuple[str, ...]
    _layer_muscle: np.ndarray = field(repr=False)  # per-layer muscle index
    _layer_angle: np.ndarray = field(repr=False)  # per-layer fibre angle to this plane
    _overrides: tuple = field(repr=False)  # (rows, cols, mask, muscle index, angle) per painted tube

    @cached_property
    def muscle_index(self) -> np.ndarray:
        """(H, W) int8 index into muscle_names, -1 where the pixel is not muscle."""
        result = np.take(self._layer_muscle, self.layer_index)
        for rows, cols, mask, muscle, _ in self._overrides:
            result[rows, cols][mask] = muscle
        result.setflags(write=False)
        return result

    def fibre_angle_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Fibre angle to the plane at a few pixels (float32), without building the whole map."""
        return self._at(rows, cols, self._layer_angle, 4)

    def muscle_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Muscle index (into muscle_names, -1 where none) at a few pixels, without the whole map."""
        return self._at(rows, cols, self._layer_muscle, 3)

    def _at(self, rows, cols, per_layer: np.ndarray, field_index: int) -> np.ndarray:
        """A per-layer value at a few pixels, with the painted overrides' value (field_index) on top."""
        from simulator.core.anatomy.slice_kernels import layer_values, paint_inside  # numba: loaded with the slice

        rows, cols = np.asarray(rows), np.asarray(cols)
        flat_rows, flat_cols = rows.reshape(-1), cols.reshape(-1)
        inside = False
        if rows.shape == cols.shape and rows.dtype.kind == cols.dtype.kind == "i":  # one compiled pass
            result, inside = layer_values(per_layer, self.layer_index.T, flat_rows, flat_cols)
            result = result.reshape(rows.shape)
        if not inside:  # numpy's fancy index: broadcasting, negative indices, its errors
            result = np.take(per_layer, self.layer_index[rows, cols])
        flat = result.reshape(-1)
        for override in self._overrides:  # one compiled loop each: a dozen numpy passes cost more
            o_rows, o_cols, mask = override[:3]
            paint_inside(flat, flat_rows, flat_cols, o_rows.start, o_cols.start, mask, override[field_index])
        return result

    @cached_property
    def fibre_angle_deg(self) -> np.ndarray:
        """(H, W) float32 fibre angle to the plane: 0 long axis .. 90 short axis; 0 where not muscle."""
        result = np.take(self._layer_angle, self.layer_index)
        for rows, cols, mask, _, angle in self._overrides:
            result[rows, cols][mask] = angle
        result.setflags(write=False)
        return result

    @property
    def shape(self) -> tuple[int, int]:
        return self.labels.shape

    @property
    def mm_per_px(self) -> tuple[float, float]:
        """(row, column) pixel size in mm."""
        height, width = self.labels.shape
        return self.depth_mm / height, self.width_mm / width

    def px_of(self, lateral_mm, depth_mm):
        """Plane coordinates -> fractional (row, col) where integer values are pixel centres."""
        row_mm, col_mm = self.mm_per_px
        row = np.asarray(depth_mm, dtype=float) / row_mm - 0.5
        col = (np.asarray(lateral_mm, dtype=float) + self.width_mm / 2) / col_mm - 0.5
        return row, col

    def world(self, row, col):
        """World (x_mm, y_mm, depth_mm) of pixel centres at integer (row, col) arrays."""
        lateral = self.lateral_axis_mm[np.asarray(col)]
        depth = self.depth_axis_mm[np.asarray(row)]
        return self.probe.to_world(lateral, depth)

    def world_grid(self):
        """World (x, y, depth) of every pixel centre, each (H, W)."""
        x, y, _ = self.probe.to_world(self.lateral_axis_mm, 0.0)
        height, width = self.labels.shape
        d = np.broadcast_to(self.depth_axis_mm[:, None], (height, width))
        return np.broadcast_to(x, (height, width)), np.broadcast_to(y, (height, width)), d


def rounded_pose(probe: ProbePose) -> ProbePose:
    """The pose a slice is computed for: 0.01 mm, 0.01 deg and 0.01 pressure steps."""
    heading = round(float(probe.heading_deg) % 360.0, 2) % 360.0
    pressure = min(max(round(float(probe.pressure), 2), 0.0), 1.0)
    return ProbePose(round(float(probe.x_mm), 2), round(float(probe.y_mm), 2), heading, pressure)


def _blocks(probe: ProbePose, lo: np.ndarray, hi: np.ndarray, width_mm: float, depth_mm: float, shape) -> list:
    """Rows and columns of the image that can touch each of many axis-aligned world boxes (lo, hi: (N, 3)),
    in one compiled call: per box [r0, r1, c0, c1], with r1 <= r0 or c1 <= c0 where it misses the image."""
    from simulator.core.anatomy.slice_kernels import block_table

    ax, ay = probe.axis
    height, width = shape
    return block_table(float(probe.x_mm), float(probe.y_mm), float(ax), float(ay), lo, hi, float(width_mm),
                        float(depth_mm), int(height), int(width)).tolist()


def compute_slice(model: SliceSource, probe: ProbePose, width_mm: float, depth_mm: float, shape) -> PlaneSlice:
    """Build the maps for one pose (see the module docstring for the pixel convention)."""
    from simulator.core.anatomy.slice_kernels import (  # numba: loaded when a slice is first cut
        ellipsoid_hits, fill_columns, segment_hits,
    )

    height, width = shape
    lateral = -width_mm / 2 + (np.arange(width) + 0.5) * (width_mm / width)
    depths = (np.arange(height) + 0.5) * (depth_mm / height)
    xs, ys, _ = probe.to_world(lateral, 0.0)

    runs = model.layers.plane_counts(xs, ys, depths)  # (W, L): each column's layers are runs of rows
    # built column by column: the maps are column-major (H, W) views, `.T` of each is contiguous
    layer_t, labels_t, tp_t = fill_columns(runs, model.layer_labels, height)
    layer_index, labels, tp_index = layer_t.T, labels_t.T, tp_t.T

    lo, hi, owner = _box_table(model)  # every ellipsoid's and tube segment's world box: one compiled test
    blocks = _blocks(probe, lo, hi, width_mm, depth_mm, shape)
    n_ellipsoids = len(model.ellipsoids)
    for k, ellipsoid in enumerate(model.ellipsoids):
        r0, r1, c0, c1 = blocks[k]
        if r1 <= r0 or c1 <= c0:
            continue
        h = math.radians(ellipsoid.direction_deg)
        ellipsoid_hits(xs, ys, depths, r0, r1, c0, c1, ellipsoid.centre_mm, ellipsoid.semi_axes_mm, math.cos(h), math.sin(h),
                       model.trigger_point_hosts[k], layer_t, labels_t, tp_t, model.trigger_point_label, k)

    extras = getattr(model, "extras", None)  # muscle regions, septa and bone plates (anatomy.extras)
    overrides = extras.paint_plane(xs, ys, depths, probe.heading_deg, labels, layer_index, tp_index, _fold_one_deg) \
        if extras is not None and extras.active else []
    angles: dict[int, float] = {}
    for j, (k, i) in enumerate(owner):  # segment by segment: a winding vessel stays cheap
        r0, r1, c0, c1 = blocks[n_ellipsoids + j]
        if r1 <= r0 or c1 <= c0:
            continue
        tube = model.tubes[k]
        rows, cols = slice(r0, r1), slice(c0, c1)
        radii = (tube.radius_mm, tube.radius_mm) if tube.radii_mm is None else tuple(float(r) for r in tube.radii_mm[i])
        hit, found = segment_hits(xs, ys, depths, r0, r1, c0, c1, tube.segment_axis(i, probe.pressure), *radii,
                                  tube.radii_mm is not None, labels_t, tp_t, model.tube_labels[k])
        if not found:
            continue
        if k not in angles:
            angles[k] = _fold_one_deg(tube.fibre_direction_deg, probe.heading_deg)
        overrides.append((rows, cols, hit, model.tube_muscle_index[k], angles[k]))

    for array in (lateral, depths, labels, layer_index, tp_index):
        array.setflags(write=False)
    return PlaneSlice(
        probe, width_mm, depth_mm, lateral, depths, labels, layer_index, tp_index, model.muscle_names,
        model.layer_muscle_index, _layer_angles(model.layer_fibre_direction_deg, probe.heading_deg), tuple(overrides),
    )


_BOX_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _box_table(model: SliceSource):
    """(lo, hi) (N, 3) world boxes of the ellipsoids then every tube segment, and (tube, segment) of the
    latter, kept per model (its shapes never change)."""
    cached = _BOX_TABLES.get(model)
    if cached is None:
        boxes = [e.bbox_mm for e in model.ellipsoids]
        owner = []
        for k, segments in enumerate(model.segment_boxes):
            for i, box in enumerate(segments):
                boxes.append(box)
                owner.append((k, i))
        lo = np.array([np.asarray(b[0], dtype=float) for b in boxes]).reshape(-1, 3)
        hi = np.array([np.asarray(b[1], dtype=float) for b in boxes]).reshape(-1, 3)
        cached = _BOX_TABLES[model] = (lo, hi, tuple(owner))
    return cached


_LAST_ANGLES: list = [None]  # (per-layer directions, heading, their angles to that plane): replaced at once


def _layer_angles(direction_deg: np.ndarray, heading_deg: float) -> np.ndarray:
    """fold_fibre_angle_deg of the layers' directions, read-only; the last answer is kept (a probe
    sliding without turning asks the same question slice after slice)."""
    cached = _LAST_ANGLES[0]
    if cached is None or cached[0] is not direction_deg or cached[1] != heading_deg:
        angles = fold_fibre_angle_deg(direction_deg, heading_deg)
        angles.setflags(write=False)
        cached = _LAST_ANGLES[0] = (direction_deg, heading_deg, angles)
    return cached[2]


def _fold_one_deg(direction_deg, heading_deg: float) -> float:
    """fold_fibre_angle_deg of one direction, in the same float32 arithmetic without building arrays."""
    if direction_deg is None or not math.isfinite(direction_deg):
        return 0.0
    diff = np.float32(direction_deg) - np.float32(heading_deg)
    return float(abs((diff + np.float32(90.0)) % np.float32(180.0) - np.float32(90.0)))


def fold_fibre_angle_deg(direction_deg, heading_deg: float) -> np.ndarray:
    """Angle between fibre directions and a plane heading folded into 0..90; NaN (no muscle) -> 0."""
    diff = np.asarray(direction_deg, dtype=np.float32) - np.float32(heading_deg)
    folded = np.abs((diff + 90.0) % 180.0 - 90.0)
    return np.nan_to_num(folded, nan=0.0).astype(np.float32)
