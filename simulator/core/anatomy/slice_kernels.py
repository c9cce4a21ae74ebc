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
def paint_inside(result, rows, cols, row0, col0, mask, value):
    """result[i] = value where pixel (rows[i], cols[i]) falls in `mask`, whose corner is (row0, col0)."""
    height, width = mask.shape
    for i in range(rows.size):
        r, c = rows[i] - row0, cols[i] - col0
        if 0 <= r < height and 0 <= c < width and mask[r, c]:
            result[i] = value
