"""The compiled pass that makes every pixel of a plane (numba): kernels.compose, re-exported there.

Column-major like the rest of the synthesis: arrays are (W, H), one image column per row, walked
run by run (runs.py), so everything per tissue is looked up once per run. Three steps: the
reflectivity and attenuation of every pixel, the shadows' fill-in from their sides, then per
block of columns the lateral blur of the reflectivity and the speckle it scales. The passes read
~15 MB a frame (speckle tables, noise, textures): memory, not arithmetic, sets their pace.
Compiled once and cached on disk (cache=True).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

BLUR_BLOCK = 4  # compose blurs this many columns in one pass (_blur_block)


@njit(cache=True, nogil=True, fastmath=True)
def compose(run_ptr, run_row, run_len, run_label, run_table, run_fascicles, base, g_short, g_long, g_fat, g_nerve,
            att_start, own_loss, att_powers, short_t, lms_t, fat_t, nerve_t, texture_cols, speckle_tables, layer0, layer1, w0, w1,
            tp_box, tp_factor_t, clutter, noise_t, lines_t, blur_t, spread, spread_cols, envelope_t, attenuation_t,
            rho_cols, sharp_t, compound, compound_shift, table_columns):
    """Envelope and attenuation of every pixel, column by column (see synth.synthesize for the model).

    envelope = |speckle x rho + specular lines + noise|, rho = (tissue + texture) x attenuation.
    Column c reads table columns layer0[c] and layer1[c] (two elevation layers, weights w0[c],
    w1[c]) and texture column texture_cols[c] (speckle.ColumnMap). lms_t holds one long-axis
    fascicle table per pennation angle; run j reads lms_t[run_fascicles[j]] (its muscle's angle).
    Attenuation down a run is att_start[run] x att_powers[label, row - top]. Speckle tables
    (a tuple: the dense field and its blends with the sparse one) and the noise are complex64
    viewed as float32 pairs (re, im) along the row axis; `rho_cols` is (BLUR_BLOCK, H) and `sharp_t` (W, H)
    float32 scratch. The reflectivity (with its attenuation, so shadow and enhancement edges too) is
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
    _fill_in(attenuation_t, sharp_t, spread, spread_cols[0], spread_cols[1])
    # per block of BLUR_BLOCK columns: the lateral blur into the scratch `rho_cols`, then the speckle
    # pass reading it (the blurred columns stay in cache instead of a whole (W, H) array written and
    # read back). A block shares the loads of its weights and of the columns its taps overlap on.
    mean_of_two = np.float32(0.5)
    left = 0
    while left < width:
        if left + BLUR_BLOCK <= width:
            _blur_block(blur_t, sharp_t, left, rho_cols)
            count = BLUR_BLOCK
        else:  # the last columns of an image not a whole number of blocks wide
            _blur_column(blur_t, sharp_t, left, rho_cols[0])
            count = 1
        left += count
        for q in range(count):
            c = left - count + q
            rho_col = rho_cols[q]
            env, nz, lines = envelope_t[c], noise_t[c], lines_t[c]
            a0, a1, fw0, fw1 = layer0[c], layer1[c], w0[c], w1[c]
            b0, b1 = (a0 + compound_shift) % table_columns, (a1 + compound_shift) % table_columns
            j, stop = run_ptr[c], run_ptr[c + 1]
            while j < stop:
                t = run_table[j]
                top = run_row[j]
                end = top + run_len[j]
                j += 1
                while j < stop and run_table[j] == t:  # neighbouring runs reading one table: one stretch
                    end = run_row[j] + run_len[j]
                    j += 1
                table = speckle_tables[t]
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
def _fill_in(attenuation_t, sharp_t, spread, first, last):
    """Diffraction fill-in of shadows (compose) in place on the reflectivity sharp_t, columns first .. last.

    The window's sum of each row is carried from column to column (float64: shadows are ~1e-4 of
    the sum): the column entering the window added, the one leaving it taken off, in the loop that
    lifts the pixels, instead of prefix sums of every column written out and read back.
    """
    width, height = attenuation_t.shape
    if spread.max() <= 0 or last <= first:
        return
    # spread grows with depth: bands of rows with one h, found once; unsigned rows, so the
    # loops down a band have no negative-index handling and vectorise
    band_top = np.empty(height + 1, dtype=np.uint64)
    bands = 0
    for r in range(height):
        if r == 0 or spread[r] != spread[r - 1]:
            band_top[bands] = r
            bands += 1
    band_top[bands] = height
    window = np.zeros(height, dtype=np.float64)  # per row: the attenuation summed over the window's columns
    for b in range(bands):  # the windows of column `first`: columns first - h .. first + h inside the image
        top, end = band_top[b], band_top[b + 1]
        h = spread[top]
        for i in range(max(first - h, 0), min(first + h, width - 1) + 1):
            att_col = attenuation_t[i]
            for r in range(top, end):
                window[r] += att_col[r]
    for c in range(first, last):
        rho, att_col = sharp_t[c], attenuation_t[c]
        for b in range(bands):
            top, end = band_top[b], band_top[b + 1]
            h = spread[top]
            if h > 0:
                n = np.float64(min(c + h, width - 1) - max(c - h - 1, -1))  # the window's columns
                entering, leaving = attenuation_t[min(c + h + 1, width - 1)], attenuation_t[max(c - h, 0)]
                add = 1.0 if c + h + 1 <= width - 1 else 0.0  # past the image's edge nothing enters ...
                take = 1.0 if c - h >= 0 else 0.0  # ... or leaves
                # the window's sum against the pixel's own attenuation x count (exact in float64:
                # a float32 times a small integer): the division only where a pixel is lifted
                for r in range(top, end):
                    own = np.float64(att_col[r])
                    total = window[r]
                    lifted = total > own * n and own > 0
                    rho[r] *= np.float32(total / n / own) if lifted else np.float32(1.0)
                    window[r] = total + (add * entering[r] - take * leaving[r])


@njit(cache=True, nogil=True, fastmath=True)
def _blur_column(blur_t, sharp_t, c, out):
    """The lateral blur (compose) of column c into out (H,). The weights are symmetric (a Gaussian),
    so each pass adds two pairs of columns (c - k, c + k) under one weight each."""
    width, height = sharp_t.shape
    half = (blur_t.shape[0] - 1) // 2
    last = width - 1
    centre, w_centre = sharp_t[c], blur_t[half]
    for r in range(height):
        out[r] = w_centre[r] * centre[r]
    k = 1
    while k < half:
        wa, wb = blur_t[half + k], blur_t[half + k + 1]
        la, ra = sharp_t[max(c - k, 0)], sharp_t[min(c + k, last)]
        lb, rb = sharp_t[max(c - k - 1, 0)], sharp_t[min(c + k + 1, last)]
        for r in range(height):
            out[r] += wa[r] * (la[r] + ra[r]) + wb[r] * (lb[r] + rb[r])
        k += 2
    if k == half:
        wa, la, ra = blur_t[half + k], sharp_t[max(c - k, 0)], sharp_t[min(c + k, last)]
        for r in range(height):
            out[r] += wa[r] * (la[r] + ra[r])


@njit(cache=True, nogil=True, fastmath=True)
def _blur_block(blur_t, sharp_t, c, out):
    """_blur_column of the four columns c .. c + 3 into out[0 .. 3], each with the same sums in the
    same order: a pass loads its two weights and the ten columns the four outputs' taps read once
    (28 loads of four separate passes become 16)."""
    width, height = sharp_t.shape
    half = (blur_t.shape[0] - 1) // 2
    last = width - 1
    o0, o1, o2, o3 = out[0], out[1], out[2], out[3]
    s0, s1, s2, s3, w_centre = sharp_t[c], sharp_t[c + 1], sharp_t[c + 2], sharp_t[c + 3], blur_t[half]
    for r in range(height):
        w = w_centre[r]
        o0[r] = w * s0[r]
        o1[r] = w * s1[r]
        o2[r] = w * s2[r]
        o3[r] = w * s3[r]
    k = 1
    while k <= half:
        # left columns c - k - 1 .. c - k + 3 and right ones c + k .. c + k + 4, clamped to the image
        l0, l1, l2 = sharp_t[max(c - k - 1, 0)], sharp_t[max(c - k, 0)], sharp_t[max(c - k + 1, 0)]
        l3, l4 = sharp_t[max(c - k + 2, 0)], sharp_t[max(c - k + 3, 0)]
        r0, r1, r2 = sharp_t[min(c + k, last)], sharp_t[min(c + k + 1, last)], sharp_t[min(c + k + 2, last)]
        r3, r4 = sharp_t[min(c + k + 3, last)], sharp_t[min(c + k + 4, last)]
        wa = blur_t[half + k]
        if k < half:
            wb = blur_t[half + k + 1]
            for r in range(height):
                a, b = wa[r], wb[r]
                o0[r] += a * (l1[r] + r0[r]) + b * (l0[r] + r1[r])
                o1[r] += a * (l2[r] + r1[r]) + b * (l1[r] + r2[r])
                o2[r] += a * (l3[r] + r2[r]) + b * (l2[r] + r3[r])
                o3[r] += a * (l4[r] + r3[r]) + b * (l3[r] + r4[r])
        else:
            for r in range(height):
                a = wa[r]
                o0[r] += a * (l1[r] + r0[r])
                o1[r] += a * (l2[r] + r1[r])
                o2[r] += a * (l3[r] + r2[r])
                o3[r] += a * (l4[r] + r3[r])
        k += 2
