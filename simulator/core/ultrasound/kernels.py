"""Compiled inner loops of the synthesis (numba): one pass over the image instead of ~30 numpy passes.

Column-major like the rest of the synthesis: arrays are (W, H), one image column per row,
walked run by run (runs.py), so everything per tissue is looked up once per run. The
attenuation inside a run is a per-run factor times a per-tissue power table, and the
display's log is the float's exponent plus a polynomial in its mantissa (under 0.001 grey
level off). Compiled once and cached on disk (cache=True). compose, the pass that makes every
pixel, lives in compose_kernel.py and is used as kernels.compose.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from simulator.core.ultrasound.compose_kernel import BLUR_BLOCK, compose  # noqa: F401 (the pass that makes every pixel)

B_LINE_GAIN = 4.0  # a B-line is about as bright as the pleural line (the lung's grey is 15 dB under it)
_MANTISSA = np.linspace(0.0, 1.0, 4097)
# log2(1 + m) on [0, 1) as a degree-5 polynomial: error 3e-5, under 0.001 grey level
LOG2_POLY = tuple(np.float32(c) for c in np.polyfit(_MANTISSA, np.log2(1.0 + _MANTISSA), 5))


@njit(cache=True, nogil=True, fastmath=True)
def deposit_lines(rows, cols, echo, steps, weights, lines_t):
    """Specular echoes into a zeroed column-major (W, H) map, spread sideways by the lateral PSF.

    Boundary b (first row below it rows[b], column cols[b]) rings down over steps + 1 rows
    and reaches columns cols[b] - K .. cols[b] + K with weights[rows[b], k + K] (each row's
    weights sum to 1, so a flat boundary keeps its echo and a point is as wide as the PSF).
    """
    width, height = lines_t.shape
    half = (weights.shape[1] - 1) // 2
    ramp = np.empty(steps + 1, dtype=np.float32)  # the ring-down, worked out once (a division per write was half the time)
    for s in range(steps + 1):
        ramp[s] = np.float32(1.0 - s / (steps + 1.0))
    for b in range(rows.size):
        r0, c, e = rows[b], cols[b], echo[b]
        if e == 0.0:  # no echo (tissues alike): nothing to add
            continue
        w_row = weights[min(r0, height - 1)]
        n = min(steps + 1, height - r0)
        for k in range(max(-half, -c), min(half, width - 1 - c) + 1):  # the columns inside the image
            w = w_row[k + half] * e
            if w == 0.0:
                continue
            out = lines_t[c + k]
            if n == 4:  # the usual ring-down (0.3 mm at 0.08 mm a row), unrolled
                out[r0] += ramp[0] * w
                out[r0 + 1] += ramp[1] * w
                out[r0 + 2] += ramp[2] * w
                out[r0 + 3] += ramp[3] * w
            else:
                for s in range(n):
                    out[r0 + s] += ramp[s] * w


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _grey(word, gain, offset):
    """Grey level from a float's bits; zero and subnormals (exponent 0) come out far below black."""
    bits = np.int32(word)
    exponent = np.float32(bits >> 23) - np.float32(127.0)
    m = np.float32(bits & 0x7FFFFF) * np.float32(1.0 / 8388608.0)
    c5, c4, c3, c2, c1, c0 = LOG2_POLY
    level = gain * (exponent + (((((c5 * m + c4) * m + c3) * m + c2) * m + c1) * m + c0)) + offset
    return np.uint8(np.int32(min(max(level, np.float32(0.0)), np.float32(255.0))))


@njit(cache=True, nogil=True, fastmath=True)
def compress(bits, row_offset, row_axis, gain, out):
    """uint8 grey level of a 2-D envelope: clip(gain * log2(envelope) + row_offset[row], 0, 255).

    `bits` is the envelope viewed as uint32 (the log comes from the float's bits);
    row_axis says which axis of the arrays is the image row.
    """
    n0, n1 = bits.shape
    for i in range(n0):
        b, o = bits[i], out[i]
        if row_axis == 0:
            offset = row_offset[i]
            for j in range(n1):
                o[j] = _grey(b[j], gain, offset)
        else:
            for j in range(n1):
                o[j] = _grey(b[j], gain, row_offset[j])


@njit(cache=True, nogil=True, fastmath=True)
def compress_map(bits, offset, gain, out):
    """Like compress, with a grey-level offset per pixel (a sector's TGC follows the bent depth)."""
    n0, n1 = bits.shape
    for i in range(n0):
        b, f, o = bits[i], offset[i], out[i]
        for j in range(n1):
            o[j] = _grey(b[j], gain, f[j])


@njit(cache=True, nogil=True, fastmath=True)
def compress_boxes(bits_t, tgc_t, add, scale, gain, out_t, boxes, inside, env_t):
    """compress on the union of boxes [row0, row1, col0, col1) of whole column-major (W, H) arrays,
    each pixel once however the boxes overlap (the moving parts' boxes often do).

    The grey-level offset is (tgc + add) x scale (float32, as synth.grey_offset): tgc_t is (1, H)
    per row of the image or (W, H) per pixel (a sector's). inside is an (H, W) bool mask, or
    (0, 0) for none: pixels outside it (a sector's fan) are shown black and their envelope zeroed.
    """
    n = boxes.shape[0]
    per_row = tgc_t.shape[0] == 1
    masked = inside.shape[0] > 0
    tops = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    first, last = out_t.shape[0], 0
    for i in range(n):
        first, last = min(first, boxes[i, 2]), max(last, boxes[i, 3])
    for c in range(first, last):
        m = 0  # the boxes over this column, sorted by their top row
        for i in range(n):
            if boxes[i, 2] <= c < boxes[i, 3] and boxes[i, 0] < boxes[i, 1]:
                k = m
                while k > 0 and tops[k - 1] > boxes[i, 0]:
                    tops[k], ends[k] = tops[k - 1], ends[k - 1]
                    k -= 1
                tops[k], ends[k] = boxes[i, 0], boxes[i, 1]
                m += 1
        b, o, t = bits_t[c], out_t[c], tgc_t[0 if per_row else c]
        k = 0
        while k < m:
            start, stop = tops[k], ends[k]
            k += 1
            while k < m and tops[k] <= stop:  # overlapping or touching: one span
                stop = max(stop, ends[k])
                k += 1
            for r in range(np.uint64(start), np.uint64(stop)):
                o[r] = _grey(b[r], gain, (t[r] + add) * scale)
            if masked:
                for r in range(start, stop):
                    if not inside[r, c]:
                        o[r] = 0
                        env_t[c, r] = 0.0


@njit(cache=True, nogil=True, fastmath=True)
def reverberate(env, pleura_row, strength, tgc_gain, above, below, decay, haze, count,
                lung, fade, table, first, second, w0, w1, b_line):
    """Reverberation between probe and pleura, in place on a column-major (W, H) envelope.

    The column down to the pleura (row p) reappears below it shifted by k (p + 1) rows,
    k = 1..count, fainter by decay**k: the pleural band itself (p - above .. p + below) as
    the A-lines, the rest of the chest wall as a faint haze (weight `haze`). Each copy is
    set in display terms: divided by the TGC it would get at its new depth. strength (0..1)
    per column scales the haze: no bright pleura (under a rib's shadow), no haze.
    Under the pleura the air also fills the image with speckled reverberation (`lung` per
    column, in display terms: the pleural echo as shown times the level under it), fading
    by exp(fade) per row; its speckle is the scatterer table's (complex pairs
    along the row axis, two elevation layers as in compose), so it slides with the lung.
    A B-line (b_line per column, 0..1) is a bright band from the pleura to the bottom of the
    image that does not fade and wipes out the A-lines where it runs.
    """
    width, height = env.shape
    for c in range(width):
        p = pleura_row[c]
        if p <= 0:
            continue
        period = p + 1
        top = min(p + below + 1, height)
        column = env[c]
        factor = np.float32(1.0)
        for k in range(1, count + 1):
            factor *= decay
            shift = k * period
            if shift >= height:
                break
            # source rows s (down to the pleural band's bottom) whose copy s + shift lands in the image below it;
            # the copies land below every source row, so the loops read no row they write
            first_s, stop_s = max(top - shift, 0), min(top, height - shift)
            band = min(max(p - above, first_s), stop_s)  # the rows above the band echo as the haze
            w = factor * haze * strength[c]
            for s in range(first_s, band):
                value = column[s] * w * tgc_gain[s] / tgc_gain[s + shift]
                column[s + shift] = max(column[s + shift], value)
            for s in range(band, stop_s):
                value = column[s] * factor * tgc_gain[s] / tgc_gain[s + shift]
                column[s + shift] = max(column[s + shift], value)
        level = lung[c]
        if level <= 0.0:
            continue
        a0, a1, f0, f1 = first[c], second[c], w0[c], w1[c]
        step = np.float32(math.exp(fade))
        b = b_line[c]
        bright = level * np.float32(B_LINE_GAIN) * b
        level = np.float32(level * math.exp(fade * (top - p)))
        for r in range(top, height):
            re = f0 * table[a0, r + r] + f1 * table[a1, r + r]
            im = f0 * table[a0, r + r + 1] + f1 * table[a1, r + r + 1]
            magnitude = math.sqrt(re * re + im * im)
            v = level * magnitude / tgc_gain[r]
            e = column[r]
            if b > 0.0:  # the B-line, a little grainy, over what it wipes out
                e = e * (np.float32(1.0) - b) + bright * (np.float32(0.6) + np.float32(0.4) * magnitude) / tgc_gain[r]
            column[r] = math.sqrt(e * e + v * v)
            level *= step
