"""Compiled loops of the anatomy slice (numba, cached on disk).

Kept apart from slice.py so that loading a case (which builds its AnatomyModel) does not
import numba: only cutting the first slice does.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def block_table(x, y, ax, ay, lo, hi, width_mm, depth_mm, height, width):
    """Per world box (lo, hi: (N, 3)) [r0, r1, c0, c1]: the rows and columns of the image whose pixel
    centres the plane through (x, y) along (ax, ay) shows inside it, one pixel of margin."""
    out = np.zeros((lo.shape[0], 4), dtype=np.int64)
    for i in range(lo.shape[0]):
        tx0, tx1 = _interval(x, ax, lo[i, 0], hi[i, 0])
        ty0, ty1 = _interval(y, ay, lo[i, 1], hi[i, 1])
        c0, c1 = _index_range(max(tx0, ty0), min(tx1, ty1), -width_mm / 2, width_mm / width, width)
        r0, r1 = _index_range(lo[i, 2], hi[i, 2], 0.0, depth_mm / height, height)
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = r0, r1, c0, c1
    return out


@njit(cache=True, nogil=True)
def _interval(origin, step, lo, hi):
    """Values of t where lo <= origin + t * step <= hi."""
    if abs(step) < 1e-12:
        return (-math.inf, math.inf) if lo <= origin <= hi else (math.inf, -math.inf)
    a, b = (lo - origin) / step, (hi - origin) / step
    return (a, b) if a <= b else (b, a)


@njit(cache=True, nogil=True)
def _index_range(lo, hi, start, step, n):
    """Half-open index range [i0, i1) of centres start + (i + 0.5) * step within [lo, hi], one pixel of margin."""
    if not hi >= lo:
        return 0, 0
    first = math.floor((lo - start) / step - 0.5) if math.isfinite(lo) else 0
    last = math.ceil((hi - start) / step - 0.5) if math.isfinite(hi) else n - 1
    return max(first, 0), min(last + 1, n)


@njit(cache=True, nogil=True)
def fill_columns(counts, layer_labels, height):
    """(W, H) layer index, label and trigger point (-1) maps from the rows each layer fills per column."""
    width, n_layers = counts.shape
    layer_t = np.empty((width, height), dtype=np.int8)
    labels_t = np.empty((width, height), dtype=np.uint8)
    tp_t = np.full((width, height), -1, dtype=np.int8)
    for c in range(width):
        r = 0
        layers, labels = layer_t[c], labels_t[c]
        for k in range(n_layers):
            n = counts[c, k]
            if n > 0:
                layers[r:r + n] = k
                labels[r:r + n] = layer_labels[k]
                r += n
    return layer_t, labels_t, tp_t


@njit(cache=True, nogil=True)
def layer_values(per_layer, layer_t, rows, cols):
    """(per_layer[layer] at pixels (rows[i], cols[i]) of a (W, H) layer map, True), in one pass; (_, False)
    as soon as a pixel lies outside the map (the caller then indexes with numpy)."""
    width, height = layer_t.shape
    out = np.empty(rows.size, dtype=per_layer.dtype)
    for i in range(rows.size):
        r, c = rows[i], cols[i]
        if not (0 <= r < height and 0 <= c < width):
            return out, False
        out[i] = per_layer[layer_t[c, r]]
    return out, True


@njit(cache=True, nogil=True)
def paint_inside(result, rows, cols, row0, col0, mask, value):
    """result[i] = value where pixel (rows[i], cols[i]) falls in `mask`, whose corner is (row0, col0)."""
    height, width = mask.shape
    for i in range(rows.size):
        r, c = rows[i] - row0, cols[i] - col0
        if 0 <= r < height and 0 <= c < width and mask[r, c]:
            result[i] = value


@njit(cache=True, nogil=True)
def column_counts(xs, ys, width_mm, height_mm, spacing_mm, nx, ny, base_tops, grid_of_layer, grids, depths):
    """(W, L) rows each layer fills in each column: LayerStack.tops_mm then column_runs in one pass, with
    the same float64 operations in the same order, so the counts are the same to the row.

    grid_of_layer[k]: the row of grids (flat (ny * nx) thickness grids) of layer k, -1 where constant.
    """
    width, n_layers, height = xs.size, base_tops.size, depths.size
    size = grids.shape[1]
    counts = np.empty((width, n_layers), dtype=np.int64)
    for c in range(width):
        fx = min(max(xs[c], 0.0), width_mm) / spacing_mm
        fy = min(max(ys[c], 0.0), height_mm) / spacing_mm
        ix = min(math.floor(fx), np.float64(nx - 2))
        iy = min(math.floor(fy), np.float64(ny - 2))
        tx, ty = fx - ix, fy - iy
        i00 = np.intp(iy * nx + ix)
        i10 = i00 + nx
        above, have_above = 0.0, False
        previous = 0
        for k in range(n_layers):
            top = base_tops[k] + above if have_above else base_tops[k]
            first = _first_at_or_below(depths, top) if k > 0 else 0
            if k > 0:
                counts[c, k - 1] = first - previous
            previous = first
            g = grid_of_layer[k]
            if g >= 0:
                grid = grids[g]
                t = (grid[min(max(i00, 0), size - 1)] * (1.0 - tx) + grid[min(max(i00 + 1, 0), size - 1)] * tx)
                b = (grid[min(max(i10, 0), size - 1)] * (1.0 - tx) + grid[min(max(i10 + 1, 0), size - 1)] * tx)
                thickness = t * (1.0 - ty) + b * ty
                above = above + thickness if have_above else thickness
                have_above = True
        counts[c, n_layers - 1] = height - previous
    return counts


@njit(cache=True, nogil=True, inline="always")
def _first_at_or_below(depths, top):
    """np.searchsorted(depths, top, side="left"): the first row whose depth is >= top (NaN sorts last)."""
    lo, hi = 0, depths.size
    while lo < hi:
        mid = (lo + hi) >> 1
        d = depths[mid]
        if d < top or (top != top and d == d):
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def segment_hits(xs, ys, depths, r0, r1, c0, c1, axis, r_start, r_end, tapered, labels_t, tp_t, label):
    """(r1 - r0, c1 - c0) bool: the block's pixels inside a tube segment, with Tube._segment_distance2_t's
    float64 arithmetic (axis: Tube.segment_axis) and radius (tapered: r_start + t (r_end - r_start),
    else r_start), so a slice and a point query agree exactly. Also whether any pixel is inside.
    Those pixels are painted: label in the (W, H) labels_t, no trigger point (-1) in tp_t."""
    scale, sx, sy, sd, vx, vy, vd, vv = axis
    hit = np.zeros((r1 - r0, c1 - c0), dtype=np.bool_)
    found = False
    for j in range(c1 - c0):
        rx, ry = xs[c0 + j] - sx, ys[c0 + j] - sy
        for i in range(r1 - r0):
            d = depths[r0 + i]
            rd = (d / scale if scale != 1.0 else d) - sd
            rr = (rx * rx + ry * ry) + rd * rd
            rv = (rx * vx + ry * vy) + rd * vd
            t = min(max(rv / vv, 0.0), 1.0)
            d2 = rr - t * (2.0 * rv - t * vv)
            radius = r_start + t * (r_end - r_start) if tapered else r_start
            if d2 <= radius * radius:
                hit[i, j] = True
                found = True
                labels_t[c0 + j, r0 + i] = label
                tp_t[c0 + j, r0 + i] = -1
    return hit, found


@njit(cache=True, nogil=True)
def ellipsoid_hits(xs, ys, depths, r0, r1, c0, c1, centre, semi_axes, cos_h, sin_h, hosts, layer_t, labels_t, tp_t,
                   label, index):
    """Paint the block's pixels inside a trigger point's ellipsoid (Ellipsoid.norm <= 1, the same float64
    arithmetic) whose layer may host it (hosts[layer], layer_t (W, H)): label in labels_t, index in tp_t."""
    cx, cy, cd = centre
    a, b, c = semi_axes
    for j in range(c1 - c0):
        dx, dy = xs[c0 + j] - cx, ys[c0 + j] - cy
        u = dx * cos_h + dy * sin_h
        v = dy * cos_h - dx * sin_h
        uu, vv = (u / a) * (u / a), (v / b) * (v / b)
        for i in range(r1 - r0):
            w = (depths[r0 + i] - cd) / c
            if (uu + vv) + w * w <= 1.0 and hosts[layer_t[c0 + j, r0 + i]]:
                labels_t[c0 + j, r0 + i] = label
                tp_t[c0 + j, r0 + i] = index
