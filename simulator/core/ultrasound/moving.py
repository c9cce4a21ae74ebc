"""Compiled loops (numba, cached) for the moving parts drawn on the cached base each frame.

They work on the column-major arrays the engine keeps: out_t / base_t are (W, H), so a
column's rows are contiguous. Each mirrors the numpy arithmetic of the function that calls
it (dynamics.py, injectate.py); they exist because a moving-parts frame has ~2 ms in all.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LN10 = math.log(10.0)


@njit(cache=True, nogil=True)
def shift_box(out_t, base_t, col0, col1, row0, row1, row_window, col_window, d_row, d_col):
    """out[r, c] = base[r - d_row * w, c - d_col * w] (rounded, clipped), w = row_window x col_window."""
    width, height = base_t.shape
    for c in range(col0, col1):
        wc = col_window[c - col0]
        for r in range(row0, row1):
            w = row_window[r - row0] * wc
            sr = min(max(int(np.rint(r - d_row * w)), 0), height - 1)
            sc = min(max(int(np.rint(c - d_col * w)), 0), width - 1)
            out_t[c, r] = base_t[sc, sr]


@njit(cache=True, nogil=True)
def slide_band(out_t, base_t, pleura_row, above, below, shift, factor):
    """Rows pleura_row - above .. pleura_row + below of each column with a pleura, copied from `shift`
    columns left times factor[c] (columns with factor 0 keep their own pixels)."""
    width, height = base_t.shape
    for c in range(width):
        p = pleura_row[c]
        f = factor[c]
        if p <= 0 or f <= 0.0:
            continue
        sc = min(max(c - shift, 0), width - 1)
        for r in range(max(p - above, 0), min(p + below, height)):
            out_t[c, r] = base_t[sc, r] * f


@njit(cache=True, nogil=True, inline="always")
def _enhancement(path, row_cm, gain):
    """Posterior enhancement below `path` pixels of fluid: 10^(path x row_cm x gain) as float32."""
    return np.float32(math.exp(path * row_cm * gain * LN10))


@njit(cache=True, nogil=True)
def pool(env_t, att_t, col0, col1, row0, row1, lateral_q, depth, depth_per_row, centre_depth, c_semi,
         fluid, residual, row_cm, excess_db_per_cm):
    """Hypoechoic pool and posterior enhancement in columns col0..col1 (see injectate.draw_bolus).

    Inside the pool the tissue's echo is kept at `residual` of its level (the fluid spreads
    between fibres and planes) plus a faint fluid haze.

    lateral_q[c - col0] is the in-plane part of the ellipsoid norm; depth is per row ((1, H))
    or per pixel ((H, W)). Returns whether any pixel is inside the pool.
    """
    width, height = env_t.shape
    any_inside = False
    gain = np.float32(excess_db_per_cm / 20.0)
    for c in range(col0, col1):
        if lateral_q[c - col0] >= 1.0:  # q only grows with depth: the pool misses this column
            continue
        path = np.float32(0.0)
        factor = np.float32(1.0)  # enhancement so far down this column: changes only inside the pool
        stale = False  # path grew since factor was last worked out
        for r in range(row0, row1):
            d = depth[0, r] if depth_per_row else depth[r, c]
            z = (d - centre_depth) / c_semi
            q = lateral_q[c - col0] + z * z
            inside = np.float32(min(max((1.0 - q) / 0.15, 0.0), 1.0))
            if inside > 0:
                path += inside
                # the fluid's own path brightens what lies below it, not the tissue left inside it; where
                # the pool is whole (inside 1) the enhancement's weight is 0: its exp waits till it is used
                stale = inside == np.float32(1.0)
                if not stale:
                    factor = _enhancement(path, row_cm, gain)
                keep = (np.float32(1.0) - inside * (np.float32(1.0) - residual)) * (
                    np.float32(1.0) + (factor - np.float32(1.0)) * (np.float32(1.0) - inside))
                env_t[c, r] = env_t[c, r] * keep + inside * (fluid * att_t[c, r])
            elif path > 0:
                if stale:
                    factor, stale = _enhancement(path, row_cm, gain), False
                env_t[c, r] *= factor
        if path > 0:
            any_inside = True
            if stale:
                factor = _enhancement(path, row_cm, gain)
            column = env_t[c]
            for r in range(np.uint64(row1), np.uint64(height)):  # unsigned: no wraparound code, vectorised
                column[r] *= factor
    return any_inside


@njit(cache=True, nogil=True, inline="always")
def _reflect(i, n):
    """scipy.ndimage 'reflect' boundary: d c b a | a b c d | d c b a."""
    while i < 0 or i >= n:
        i = -i - 1 if i < 0 else 2 * n - i - 1
    return i


@njit(cache=True, nogil=True)
def shaft_in_beam(x, y, z, probe_x, probe_y, ax, ay, direction, half_width_mm, image_depth_mm, radius_mm,
                  elevation, specular_of):
    """(lateral, depth, elevation profile, specular echo, whether the last point is in) of the shaft's
    points (x, y, z) that lie in the drawn slab (needle.draw_needle), in the float64 arithmetic of
    ProbePose.to_plane, geometry.beam_half_thickness_mm and needle._specular. The elevation profile
    is a Gaussian across the plane (sigma a share of the slab's half-thickness), 0 beyond `reach`
    half-thicknesses.

    elevation: (thickness at focus, divergence, focus depth, sigma share, reach) of the beam;
    specular_of: (1 - diffuse floor, angle falloff in degrees). radius_mm > 0: a curvilinear
    probe, whose beam lines fan out from its centre; 0: a linear one, straight down.
    """
    thickness, divergence, focus, sigma, reach = elevation
    peak, falloff = specular_of
    dx_n, dy_n, dz_n = direction
    n = x.size
    lateral, depth, profile, specular = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    m = 0
    last_in = False
    for i in range(n):
        dx, dy, d = x[i] - probe_x, y[i] - probe_y, z[i]
        lat = dx * ax + dy * ay
        elev = -dx * ay + dy * ax
        half = 0.5 * thickness + 0.5 * divergence * abs(d - focus)
        q = elev / (sigma * half)
        gain = math.exp(-0.5 * (q * q)) if abs(elev) <= reach * half else 0.0
        last_in = gain > 0 and abs(lat) <= half_width_mm and d >= 0 and d <= image_depth_mm
        if not last_in:
            continue
        if radius_mm > 0:
            angle = math.atan2(lat, radius_mm + d)
            s, c = math.sin(angle), math.cos(angle)
            along_beam = s * ax * dx_n + s * ay * dy_n + c * dz_n
        else:
            along_beam = dz_n
        off_normal_deg = math.asin(min(max(abs(along_beam), 0.0), 1.0)) * (180.0 / math.pi)
        t = off_normal_deg / falloff
        lateral[m], depth[m], profile[m], specular[m] = lat, d, gain, peak * math.exp(-(t * t))
        m += 1
    return lateral[:m], depth[:m], profile[:m], specular[:m], last_in


@njit(cache=True, nogil=True)
def deepest_per_column(cols, rows, weight, n):
    """(deepest row, largest weight) of the points in each of n columns (cols clipped to 0..n - 1; -1 and 0
    where a column has none): np.maximum.at twice, without its per-call cost."""
    bottom = np.full(n, -1, dtype=np.int64)
    strength = np.zeros(n, dtype=np.float64)
    for i in range(cols.size):
        c = min(max(cols[i], 0), n - 1)
        bottom[c] = max(bottom[c], rows[i])
        strength[c] = max(strength[c], weight[i])
    return bottom, strength


@njit(cache=True, nogil=True, fastmath=True)
def shade_columns(env_t, col0, start, factor):
    """env[start[j]:, col0 + j] *= factor[j] for each j (needle.draw_needle's shadow), column-major (W, H)."""
    height = env_t.shape[1]
    for j in range(start.size):
        f = factor[j]
        if f >= np.float32(0.999):
            continue
        column = env_t[col0 + j]
        for r in range(start[j], height):
            column[r] *= f


@njit(cache=True, nogil=True)
def needle_echo(env_t, att_t, row0, row1, col0, col1, rows, cols, amp, row_kernel, col_kernel, scale):
    """The needle's echo in a box (see needle.draw_needle), added incoherently to the envelope.

    Points (rows, cols, amp) are max-accumulated on a canvas, blurred by the separable PSF
    (like scipy.ndimage.gaussian_filter, float32 between the two axes, 'reflect' edges),
    scaled, attenuated, and summed as sqrt(envelope^2 + echo^2).
    """
    h, w = row1 - row0, col1 - col0
    canvas = np.zeros((w, h), dtype=np.float32)  # column-major like the envelope
    for i in range(rows.size):
        r, c = rows[i], cols[i]
        if row0 <= r < row1 and col0 <= c < col1:
            canvas[c - col0, r - row0] = max(canvas[c - col0, r - row0], amp[i])
    radius_r, radius_c = row_kernel.size // 2, col_kernel.size // 2
    # along the rows (contiguous): each column padded by reflection, then a vectorisable tap loop
    padded = np.empty(h + 2 * radius_r, dtype=np.float32)
    along_rows = np.zeros((w, h), dtype=np.float32)
    for c in range(w):
        for i in range(h + 2 * radius_r):
            padded[i] = canvas[c, _reflect(i - radius_r, h)]
        out = along_rows[c]
        for k in range(row_kernel.size):
            weight = np.float32(row_kernel[k])
            for r in range(h):
                out[r] += weight * padded[r + k]
    # across the columns, then attenuate and add to the envelope incoherently
    echo = np.empty(h, dtype=np.float32)
    for c in range(w):
        echo[:] = 0.0
        for k in range(col_kernel.size):
            weight = np.float32(col_kernel[k])
            source = along_rows[_reflect(c + k - radius_c, w)]
            for r in range(h):
                echo[r] += weight * source[r]
        env, att = env_t[col0 + c], att_t[col0 + c]
        for r in range(h):
            e = env[row0 + r]
            x = echo[r] * scale * att[row0 + r]
            env[row0 + r] = np.sqrt(e * e + x * x)
