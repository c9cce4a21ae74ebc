"""Compiled inner loops of the synthesis (numba): one pass over the image instead of ~30 numpy passes.

Column-major like the rest of the synthesis: arrays are (W, H), one image column per row,
walked run by run (runs.py), so everything per tissue is looked up once per run. The
attenuation inside a run is a per-run factor times a per-tissue power table, and the
display's log is the float's exponent plus a polynomial in its mantissa (under 0.001 grey
level off). Compiled once and cached on disk (cache=True).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

B_LINE_GAIN = 4.0  # a B-line is about as bright as the pleural line (the lung's grey is 15 dB under it)
_MANTISSA = np.linspace(0.0, 1.0, 4097)
# log2(1 + m) on [0, 1) as a degree-5 polynomial: error 3e-5, under 0.001 grey level
LOG2_POLY = tuple(np.float32(c) for c in np.polyfit(_MANTISSA, np.log2(1.0 + _MANTISSA), 5))


@njit(cache=True, nogil=True, fastmath=True)
def compose(run_ptr, run_row, run_len, run_label, run_table, run_fascicles, base, g_short, g_long, g_fat, g_nerve,
            att_start, own_loss, att_powers, short_t, lms_t, fat_t, nerve_t, texture_cols, speckle_tables, layer0, layer1, w0, w1,
            tp_box, tp_factor_t, clutter, noise_t, lines_t, blur_t, spread, spread_cols, envelope_t, attenuation_t,
            rho_col, sharp_t, compound, compound_shift, table_columns):
    """Envelope and attenuation of every pixel, column by column (see synth.synthesize for the model).

    envelope = |speckle x rho + specular lines + noise|, rho = (tissue + texture) x attenuation.
    Column c reads table columns layer0[c] and layer1[c] (two elevation layers, weights w0[c],
    w1[c]) and texture column texture_cols[c] (speckle.ColumnMap). lms_t holds one long-axis
    fascicle table per pennation angle; run j reads lms_t[run_fascicles[j]] (its muscle's angle).
    Attenuation down a run is att_start[run] x att_powers[label, row - top]. Speckle tables
    (a tuple: the dense field and its blends with the sparse one) and the noise are complex64
    viewed as float32 pairs (re, im) along the row axis; `rho_col` is (H,) and `sharp_t` (W, H) float32
    scratch. The reflectivity (with its attenuation, so shadow and enhancement edges too) is
    blurred sideways by the lateral PSF (blur_t: (2K + 1, H) weights per row, each row's
    summing to 1) before it scales the speckle: edges are as soft as the speckle is coarse.
    Before that, shadows fill in from the side with depth (diffraction round an obstacle): where
    the attenuation averaged over spread[r] columns each side is higher than a pixel's own, the
    pixel is lifted to it, so a shadow's edges soften with depth and a thin object's shadow fades.
    Only columns spread_cols[0] .. spread_cols[1] (around the shadow-casting boundaries) need it.
    Row indices are unsigned (run_row, run_len are uint64): no negative-index handling, so the
    compiler vectorises the loops down each run. lines_t (W, H) holds the specular echoes
    (deposit_lines), added to the real part before the magnitude.
    With `compound` (speckle reduction) each pixel averages the intensities of two speckle
    patterns: its own table columns and those compound_shift columns further round the table
    (table_columns wide), which are independent of them, as spatial compounding averages the
    decorrelated speckle of beams steered apart. The mean intensity is kept.
    """
    width, height = envelope_t.shape
    r0, r1, c0, c1 = tp_box[0], tp_box[1], tp_box[2], tp_box[3]
    one = np.uint64(1)
    for c in range(width):
        att_col = attenuation_t[c]
        rho = sharp_t[c]
        tc = texture_cols[c]
        ts, tf, tn = short_t[tc], fat_t[tc], nerve_t[tc]
        for j in range(run_ptr[c], run_ptr[c + 1]):
            tl = lms_t[run_fascicles[j], tc]
            top = run_row[j]
            end = top + run_len[j]
            start, powers = np.float32(att_start[j]), att_powers[run_label[j]]
            bj, gs, gl, gf, gn = base[j], g_short[j], g_long[j], g_fat[j], g_nerve[j]
            if gf == 0.0 and gn == 0.0:
                for r in range(top, end):
                    a = start * powers[r - top]
                    att_col[r] = a
                    rho[r] = (bj + gs * ts[r] + gl * tl[r]) * a
            else:
                for r in range(top, end):
                    a = start * powers[r - top]
                    att_col[r] = a
                    rho[r] = (bj + gs * ts[r] + gl * tl[r] + gf * tf[r] + gn * tn[r]) * a
            first = np.float32(math.exp(-own_loss[j]))  # the first row has not crossed its own boundary
            att_col[top] *= first
            rho[top] *= first
            if c0 <= c < c1 and top < r1 and end > r0:  # a trigger point scales the tissue echo, not the clutter
                for r in range(max(top, r0), min(end, r1)):
                    f = tp_factor_t[c - c0, r - r0]
                    rho[r] = ((rho[r] / att_col[r] - clutter) * f + clutter) * att_col[r]
    # diffraction fill-in: prefix sums of the attenuation across columns (float64: shadows are ~1e-4 of the sum)
    first, last = spread_cols[0], spread_cols[1]
    if spread.max() > 0 and last > first:
        cum = np.empty((width, height), dtype=np.float64)
        for r in range(height):
            cum[0, r] = attenuation_t[0, r]
        for c in range(1, width):
            prev, cur, att_col = cum[c - 1], cum[c], attenuation_t[c]
            for r in range(height):
                cur[r] = prev[r] + att_col[r]
        # spread grows with depth: bands of rows with one h, found once; unsigned rows, so the
        # loops down a band have no negative-index handling and vectorise
        band_top = np.empty(height + 1, dtype=np.uint64)
        bands = 0
        for r in range(height):
            if r == 0 or spread[r] != spread[r - 1]:
                band_top[bands] = r
                bands += 1
        band_top[bands] = height
        for c in range(first, last):
            rho, att_col = sharp_t[c], attenuation_t[c]
            for b in range(bands):
                top, end = band_top[b], band_top[b + 1]
                h = spread[top]
                if h > 0:
                    lo, hi = c - h - 1, min(c + h, width - 1)
                    count = hi - max(lo, -1)
                    upper, lower = cum[hi], cum[max(lo, 0)]
                    below = 1.0 if lo >= 0 else 0.0  # no column left of the image: nothing to subtract
                    # the window's sum against the pixel's own attenuation x count (exact in float64:
                    # a float32 times a small integer): the division only where a pixel is lifted
                    n = np.float64(count)
                    for r in range(top, end):
                        own = np.float64(att_col[r])
                        total = upper[r] - lower[r] * below
                        lifted = total > own * n and own > 0
                        rho[r] *= np.float32(total / n / own) if lifted else np.float32(1.0)
    # per column: the lateral blur into the column scratch `rho_col`, then the speckle pass reading it
    # (the blurred column stays in cache instead of a whole (W, H) array written and read back).
    # The blur weights are symmetric (a Gaussian), so each pass adds two pairs of columns
    # (c - k, c + k) under one weight each: a quarter of the passes over rho of one tap at a time
    half = (blur_t.shape[0] - 1) // 2
    last = width - 1
    mean_of_two = np.float32(0.5)
    for c in range(width):
        centre, w_centre = sharp_t[c], blur_t[half]
        if half == 0:
            rho_col[:] = centre
        else:
            for r in range(height):
                rho_col[r] = w_centre[r] * centre[r]
            k = 1
            while k < half:
                wa, wb = blur_t[half + k], blur_t[half + k + 1]
                la, ra = sharp_t[max(c - k, 0)], sharp_t[min(c + k, last)]
                lb, rb = sharp_t[max(c - k - 1, 0)], sharp_t[min(c + k + 1, last)]
                for r in range(height):
                    rho_col[r] += wa[r] * (la[r] + ra[r]) + wb[r] * (lb[r] + rb[r])
                k += 2
            if k == half:
                wa, la, ra = blur_t[half + k], sharp_t[max(c - k, 0)], sharp_t[min(c + k, last)]
                for r in range(height):
                    rho_col[r] += wa[r] * (la[r] + ra[r])
        env, nz, lines = envelope_t[c], noise_t[c], lines_t[c]
        a0, a1, fw0, fw1 = layer0[c], layer1[c], w0[c], w1[c]
        b0, b1 = (a0 + compound_shift) % table_columns, (a1 + compound_shift) % table_columns
        for j in range(run_ptr[c], run_ptr[c + 1]):
            top = run_row[j]
            end = top + run_len[j]
            table = speckle_tables[run_table[j]]
            if compound:
                for r in range(top, end):
                    re = (fw0 * table[a0, r + r] + fw1 * table[a1, r + r]) * rho_col[r] + lines[r] + nz[r + r]
                    im = (fw0 * table[a0, r + r + one] + fw1 * table[a1, r + r + one]) * rho_col[r] + nz[r + r + one]
                    re2 = (fw0 * table[b0, r + r] + fw1 * table[b1, r + r]) * rho_col[r] + lines[r] + nz[r + r]
                    im2 = (fw0 * table[b0, r + r + one] + fw1 * table[b1, r + r + one]) * rho_col[r] + nz[r + r + one]
                    env[r] = math.sqrt((re * re + im * im + re2 * re2 + im2 * im2) * mean_of_two)
            else:
                for r in range(top, end):
                    re = (fw0 * table[a0, r + r] + fw1 * table[a1, r + r]) * rho_col[r] + lines[r] + nz[r + r]
                    im = (fw0 * table[a0, r + r + one] + fw1 * table[a1, r + r + one]) * rho_col[r] + nz[r + r + one]
                    env[r] = math.sqrt(re * re + im * im)


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
        factor = np.float32(1.0)
        for k in range(1, count + 1):
            factor *= decay
            shift = k * period
            if shift >= height:
                break
            for s in range(0, min(p + below + 1, height)):
                r = s + shift
                if r >= height:
                    break
                if r < top:
                    continue
                w = factor if s >= p - above else factor * haze * strength[c]
                value = env[c, s] * w * tgc_gain[s] / tgc_gain[r]
                if value > env[c, r]:
                    env[c, r] = value
        level = lung[c]
        if level <= 0.0:
            continue
        a0, a1, f0, f1 = first[c], second[c], w0[c], w1[c]
        step = np.float32(math.exp(fade))
        b = b_line[c]
        bright = level * np.float32(B_LINE_GAIN) * b
        level = np.float32(level * math.exp(fade * (top - p)))
        column = env[c]
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
