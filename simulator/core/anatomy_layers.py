"""The layer stack under the skin: which layer a depth falls in, anywhere on the region.

Thickness is constant or blended from control points by inverse-distance weighting. The
blend is evaluated once on a grid over the region and interpolated bilinearly afterwards,
so a query costs the same however many control points an author wrote. Points outside the
region clamp to its edge. The last layer has no bottom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulator.scenario.schema import Layer

IDW_POWER = 2.0
# Keep the thickness grid to about this many nodes, whatever the size of the region.
MAX_GRID_NODES = 250_000


def idw_mm(x_mm, y_mm, control_xy_mm, control_values, power: float = IDW_POWER) -> np.ndarray:
    """Inverse-distance-weighted blend of control values at points (x, y); exact at a control point.

    Every result is a convex combination of the control values, so it lies between them.
    """
    x = np.asarray(x_mm, dtype=float)
    y = np.asarray(y_mm, dtype=float)
    x, y = np.broadcast_arrays(x, y)
    cxy = np.asarray(control_xy_mm, dtype=float).reshape(-1, 2)
    values = np.asarray(control_values, dtype=float).reshape(-1)
    if len(values) != len(cxy) or len(values) == 0:
        raise ValueError("idw_mm needs one value per control point and at least one point")
    flat_x, flat_y = x.reshape(-1, 1), y.reshape(-1, 1)
    d2 = (flat_x - cxy[:, 0]) ** 2 + (flat_y - cxy[:, 1]) ** 2  # (N, K)
    at_point = d2 == 0.0
    with np.errstate(divide="ignore"):
        weights = d2 ** (-power / 2.0)
    weights[at_point] = 0.0
    total = weights.sum(axis=1)
    safe_total = np.where(total > 0, total, 1.0)
    result = (weights @ values) / safe_total
    hit = at_point.any(axis=1)
    if hit.any():
        exact = at_point[hit].astype(float)
        result[hit] = (exact @ values) / exact.sum(axis=1)
    return result.reshape(x.shape)


class LayerStack:
    """Layer tops and layer lookup for one case's list of layers over a width x height region."""

    def __init__(self, layers: Sequence[Layer], width_mm: float, height_mm: float, spacing_mm: float = 1.0):
        if len(layers) < 1:
            raise ValueError("a layer stack needs at least one layer")
        if len(layers) > 120:
            raise ValueError(f"too many layers ({len(layers)}); at most 120 are supported")
        if not (width_mm > 0 and height_mm > 0):
            raise ValueError("the region needs a positive width and height")
        self.layers = tuple(layers)
        self.n_layers = len(layers)
        self.width_mm = float(width_mm)
        self.height_mm = float(height_mm)
        spacing = max(float(spacing_mm), math.sqrt(width_mm * height_mm / MAX_GRID_NODES))
        self.spacing_mm = spacing
        self._nx = max(2, int(math.ceil(width_mm / spacing)) + 1)
        self._ny = max(2, int(math.ceil(height_mm / spacing)) + 1)

        # Constant layers fold into base tops; varying ones add their grid to every layer below.
        constant = np.zeros(self.n_layers)
        varying: list[int] = []
        grids: list[np.ndarray] = []
        gx = np.arange(self._nx) * spacing
        gy = np.arange(self._ny) * spacing
        grid_x, grid_y = np.meshgrid(gx, gy)
        for index, layer in enumerate(self.layers[:-1]):
            thickness = layer.thickness_mm
            if isinstance(thickness, (int, float)):
                constant[index] = float(thickness)
            elif thickness is not None:
                cxy = [(p.x_mm, p.y_mm) for p in thickness]
                values = [p.thickness_mm for p in thickness]
                if len(set(values)) == 1:
                    constant[index] = values[0]
                else:
                    varying.append(index)
                    grids.append(idw_mm(grid_x, grid_y, cxy, values))
        self.base_tops_mm = np.concatenate([[0.0], np.cumsum(constant[:-1])])
        self._varying = tuple(varying)
        # (ny, nx, nv) thickness of each varying layer; (nv, L) adds layer j to every top below it.
        self._grids = np.stack(grids, axis=-1) if grids else np.zeros((self._ny, self._nx, 0))
        below = np.zeros((len(varying), self.n_layers))
        for row, j in enumerate(varying):
            below[row, j + 1:] = 1.0
        self._below = below

    @property
    def is_flat(self) -> bool:
        """True when every layer has a constant thickness (tops do not depend on x, y)."""
        return not self._varying

    def _varying_thickness(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bilinear interpolation of the varying layers' grids: (N,) points -> (N, nv)."""
        s = self.spacing_mm
        fx = np.clip(x, 0.0, self.width_mm) / s
        fy = np.clip(y, 0.0, self.height_mm) / s
        ix = np.minimum(np.floor(fx).astype(np.intp), self._nx - 2)
        iy = np.minimum(np.floor(fy).astype(np.intp), self._ny - 2)
        tx = (fx - ix)[:, None]
        ty = (fy - iy)[:, None]
        g = self._grids
        top = g[iy, ix] * (1.0 - tx) + g[iy, ix + 1] * tx
        bottom = g[iy + 1, ix] * (1.0 - tx) + g[iy + 1, ix + 1] * tx
        return top * (1.0 - ty) + bottom * ty

    def tops_mm(self, x_mm, y_mm) -> np.ndarray:
        """Depth of each layer's top at (x, y): shape (..., n_layers); the first is always 0."""
        x, y = np.broadcast_arrays(np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float))
        shape = x.shape
        if self.is_flat:
            return np.broadcast_to(self.base_tops_mm, shape + (self.n_layers,)).copy()
        thickness = self._varying_thickness(x.reshape(-1), y.reshape(-1))
        tops = self.base_tops_mm + thickness @ self._below
        return tops.reshape(shape + (self.n_layers,))

    def thickness_mm(self, x_mm, y_mm) -> np.ndarray:
        """Thickness of each layer at (x, y): shape (..., n_layers); the last layer is infinite."""
        tops = self.tops_mm(x_mm, y_mm)
        bottoms = np.concatenate([tops[..., 1:], np.full(tops.shape[:-1] + (1,), np.inf)], axis=-1)
        return bottoms - tops

    def index_at(self, x_mm, y_mm, depth_mm) -> np.ndarray:
        """Index of the layer each point's depth falls in (int8); above the skin counts as skin."""
        x, y, d = np.broadcast_arrays(
            np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float), np.asarray(depth_mm, dtype=float)
        )
        tops = self.tops_mm(x, y)
        index = np.zeros(d.shape, dtype=np.int8)
        for k in range(1, self.n_layers):
            index += d >= tops[..., k]
        return index

    def column_index(self, tops_mm: np.ndarray, row_depths_mm: np.ndarray) -> np.ndarray:
        """Layer index image (H, W) for W columns with tops (W, L) sampled at sorted row depths (H,).

        Same comparisons as `index_at` (depth >= top), done by finding each top's first row.
        """
        height, width = len(row_depths_mm), tops_mm.shape[0]
        first_rows = np.searchsorted(row_depths_mm, tops_mm[:, 1:].T, side="left")  # (L-1, W)
        delta = np.zeros((height + 1, width), dtype=np.int8)
        cols = np.broadcast_to(np.arange(width), first_rows.shape)
        np.add.at(delta, (first_rows.ravel(), cols.ravel()), 1)
        return np.cumsum(delta[:height], axis=0, dtype=np.int8)
