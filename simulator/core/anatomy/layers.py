"""The layer stack under the skin: which layer a depth falls in, anywhere on the region.

Thickness is constant or a smooth surface through control points (a thin-plate spline,
`simulator.scenario.thickness`, the one definition the case checks use too). The surface is
evaluated once on a grid over the region and interpolated bilinearly afterwards, so a query
costs the same however many control points an author wrote. Points outside the
region clamp to its edge. The last layer has no bottom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulator.scenario.schema import Layer
from simulator.scenario.thickness import layer_field

# Keep the thickness grid to about this many nodes, whatever the size of the region.
MAX_GRID_NODES = 250_000


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
            field = layer_field(layer.thickness_mm)
            if field is None:
                continue
            if field.is_constant:
                constant[index] = float(field(0.0, 0.0))
            else:
                varying.append(index)
                grids.append(field(grid_x, grid_y))
        self.base_tops_mm = np.concatenate([[0.0], np.cumsum(constant[:-1])])
        self._varying = tuple(varying)
        # Flattened (ny * nx) thickness grid of each varying layer, for np.take.
        self._grids = tuple(np.ascontiguousarray(g).ravel() for g in grids)
        self._grid_lists = tuple(g.tolist() for g in self._grids)  # Python floats for point queries
        self._base_list = self.base_tops_mm.tolist()
        # the same grids for the compiled plane (slice_kernels.column_counts): grid row per layer, -1 constant
        self._grid_of_layer = np.full(self.n_layers, -1, dtype=np.int64)
        self._grid_of_layer[list(varying)] = np.arange(len(varying))
        self._grid_table = np.stack(self._grids) if grids else np.zeros((0, 1))

    @property
    def is_flat(self) -> bool:
        """True when every layer has a constant thickness (tops do not depend on x, y)."""
        return not self._varying

    def _varying_thickness(self, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """Bilinear interpolation of each varying layer's grid at flat points (N,)."""
        s, nx = self.spacing_mm, self._nx
        fx = np.clip(x, 0.0, self.width_mm) / s
        fy = np.clip(y, 0.0, self.height_mm) / s
        ix = np.minimum(np.floor(fx), nx - 2)
        iy = np.minimum(np.floor(fy), self._ny - 2)
        tx, ty = fx - ix, fy - iy
        i00 = (iy * nx + ix).astype(np.intp)  # NaN input gives junk indices; mode="clip" keeps them legal
        i10 = i00 + nx
        result = []
        for grid in self._grids:
            top = grid.take(i00, mode="clip") * (1.0 - tx) + grid.take(i00 + 1, mode="clip") * tx
            bottom = grid.take(i10, mode="clip") * (1.0 - tx) + grid.take(i10 + 1, mode="clip") * tx
            result.append(top * (1.0 - ty) + bottom * ty)
        return result

    def _tops(self, x: np.ndarray, y: np.ndarray):
        """Yield each layer's top at flat points: a float where it is constant, else an (N,) array.

        tops_mm and index_at both use this, so a plane and a point query compare equal numbers.
        """
        thickness = dict(zip(self._varying, self._varying_thickness(x, y))) if self._varying else {}
        above = None  # summed thickness of the varying layers above the current one
        for k in range(self.n_layers):
            yield float(self.base_tops_mm[k]) if above is None else self.base_tops_mm[k] + above
            if k in thickness:
                above = thickness[k] if above is None else above + thickness[k]

    def point_tops_mm(self, x: float, y: float) -> list[float]:
        """Layer tops at one point in plain Python floats: the same operations, in the same order,
        as `_varying_thickness` and `_tops`, so the numbers are identical (IEEE doubles) but
        without numpy's per-call overhead (the needle asks at every half millimetre)."""
        s, nx = self.spacing_mm, self._nx
        fx = min(max(x, 0.0), self.width_mm) / s
        fy = min(max(y, 0.0), self.height_mm) / s
        ix = min(float(math.floor(fx)), float(nx - 2))
        iy = min(float(math.floor(fy)), float(self._ny - 2))
        tx, ty = fx - ix, fy - iy
        i00 = int(iy * nx + ix)
        i10 = i00 + nx
        thickness = {}
        for j, grid in zip(self._varying, self._grid_lists):
            top = grid[i00] * (1.0 - tx) + grid[i00 + 1] * tx
            bottom = grid[i10] * (1.0 - tx) + grid[i10 + 1] * tx
            thickness[j] = top * (1.0 - ty) + bottom * ty
        tops, above = [], None
        for k, base in enumerate(self._base_list):
            tops.append(base if above is None else base + above)
            if k in thickness:
                above = thickness[k] if above is None else above + thickness[k]
        return tops

    def point_index(self, x: float, y: float, depth: float) -> int:
        """index_at for one point (finite floats)."""
        return sum(1 for top in self.point_tops_mm(x, y)[1:] if depth >= top)

    def tops_mm(self, x_mm, y_mm) -> np.ndarray:
        """Depth of each layer's top at (x, y): shape (..., n_layers); the first is always 0."""
        x, y = np.broadcast_arrays(np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float))
        result = np.empty((x.size, self.n_layers))
        for k, top in enumerate(self._tops(x.ravel(), y.ravel())):
            result[:, k] = top
        return result.reshape(x.shape + (self.n_layers,))

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
        flat_d = d.ravel()
        index = np.zeros(flat_d.shape, dtype=np.int8)
        tops = self._tops(x.ravel(), y.ravel())
        next(tops)  # the skin's top: 0
        for top in tops:
            index += flat_d >= top
        return index.reshape(d.shape)

    def plane_counts(self, x_mm: np.ndarray, y_mm: np.ndarray, row_depths_mm: np.ndarray) -> np.ndarray:
        """column_runs(tops_mm(x_mm, y_mm), row_depths_mm) for W finite points, as (W, L) counts, in one
        compiled pass (a slice asks for every frame: the numpy passes cost more than the arithmetic)."""
        from simulator.core.anatomy.slice_kernels import column_counts  # numba: only once slices are cut

        return column_counts(np.ascontiguousarray(x_mm, dtype=float), np.ascontiguousarray(y_mm, dtype=float),
                             self.width_mm, self.height_mm, self.spacing_mm, self._nx, self._ny, self.base_tops_mm,
                             self._grid_of_layer, self._grid_table, np.ascontiguousarray(row_depths_mm, dtype=float))

    def column_runs(self, tops_mm: np.ndarray, row_depths_mm: np.ndarray) -> np.ndarray:
        """Rows each layer fills in W columns with tops (W, L), at sorted row depths (H,): (W * L,) counts.

        Same comparison as `index_at` (depth >= top): each top becomes the first row at or
        below it, and a layer fills the rows up to the next layer's first row. np.repeat of any
        per-layer table with these counts gives a column-major (W, H) image of it.
        """
        first_rows = np.searchsorted(row_depths_mm, tops_mm, side="left")  # (W, L), non-decreasing along L
        ends = np.empty_like(first_rows)
        ends[:, :-1] = first_rows[:, 1:]
        ends[:, -1] = len(row_depths_mm)
        first_rows[:, 0] = 0
        return (ends - first_rows).ravel()
