"""Diffraction fill-in of a shadow for the specular echoes inside it (the pleural line under a rib).

kernels.compose lifts the tissue in a shadow to the attenuation averaged over spread[r] columns
each side, so a shadow's edges soften with depth. A boundary's specular echo is made before
that pass (its lines are deposited first), so without the same lift it would keep the shadow's
geometric edge: under a rib the pleural line, and the lung's reverberation that copies it,
would stop a fill-in's width further out than the tissue just above, a rectangular step in
the shadow at the pleural depth. The echo of a boundary is lifted by the fill-in of the row
just above it (the sound that reaches it), the same factor compose gives that pixel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _attenuation_at(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, cursor, col, row):
    """The two-way attenuation kernels.compose gives pixel (row, col); 0 if no run holds it.
    cursor[col] is the run the column's last look-up ended in: rows are looked up in rising
    order, so the walk down a column's runs only goes on from there."""
    end = run_ptr[col + 1]
    j = cursor[col]
    while j < end and run_row[j] + run_len[j] <= row:
        j += 1
    cursor[col] = j
    if j == end or run_row[j] > row:
        return np.float32(0.0)
    top = run_row[j]
    a = np.float32(att_start[j]) * powers[run_label[j], row - top]
    if row == top:  # the first row has not crossed its own boundary
        a *= np.float32(math.exp(-own_loss[j]))
    return a


@njit(cache=True, nogil=True)
def boundary_fill(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, rows, cols, spread,
                  tops):
    """(n,) float32 factor >= 1 per boundary (first row below it rows[b], column cols[b]): the mean
    attenuation of the row above it over spread[row] columns each side over its own, where that
    is higher (compose's fill-in at that pixel); 1 above tops[col] (interfaces.shadow_casters), out of any
    shadow.

    Boundaries are visited by row, then column, so along a flat interface (the pleura) the
    window's sum slides one column at a time: two look-ups a boundary instead of 2 h + 1."""
    width = run_ptr.size - 1
    out = np.ones(rows.size, dtype=np.float32)
    wanted = np.empty(rows.size, dtype=np.int64)
    n = 0
    for b in range(rows.size):
        if rows[b] - 1 >= tops[cols[b]]:
            wanted[n] = b
            n += 1
    wanted = wanted[:n]
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        keys[i] = rows[wanted[i]] * (width + 1) + cols[wanted[i]]
    cursor = run_ptr[:-1].copy()
    last_r, last_lo, last_hi, total = -1, 0, -1, 0.0
    for i in np.argsort(keys):
        b = wanted[i]
        c, r = cols[b], rows[b] - 1
        h = spread[r]
        if h <= 0:
            continue
        own = _attenuation_at(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, cursor, c, r)
        if own <= 0.0:
            continue
        lo, hi = max(c - h, 0), min(c + h, width - 1)
        if r == last_r and last_lo <= lo <= last_hi + 1 and hi >= last_hi:  # slide the last window on
            for cc in range(last_lo, lo):
                total -= _attenuation_at(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, cursor, cc, r)
            for cc in range(last_hi + 1, hi + 1):
                total += _attenuation_at(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, cursor, cc, r)
        else:
            total = 0.0
            for cc in range(lo, hi + 1):
                total += _attenuation_at(run_ptr, run_row, run_len, run_label, att_start, own_loss, powers, cursor, cc, r)
        last_r, last_lo, last_hi = r, lo, hi
        mean = total / (hi - lo + 1)
        if mean > own:
            out[b] = np.float32(mean / own)
    return out
