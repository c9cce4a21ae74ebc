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
    flat = base_t.ravel()
    source = np.empty(row1 - row0, dtype=np.int64)
    for c in range(col0, col1):
        wc = col_window[c - col0]
        # the source pixels first (a loop the compiler vectorises), then the gather
        for i in range(row1 - row0):
            w = row_window[i] * wc
            sr = min(max(np.rint((row0 + i) - d_row * w), 0.0), height - 1.0)
            sc = min(max(np.rint(c - d_col * w), 0.0), width - 1.0)
            source[i] = np.int64(sc) * height + np.int64(sr)
        out = out_t[c, row0:row1]
        for i in range(row1 - row0):
            out[i] = flat[source[i]]


@njit(cache=True, nogil=True, error_model="numpy")  # no zero-division checks (scale, radius >= 1): vectorised
def pulse(out_t, base_t, row0, row1, col0, col1, r_c, c_c, radius, strain):
    """out[r, c] = base at the point (r_c, c_c) + ((r, c) - centre) / scale, rounded and clipped, with
    scale = 1 + strain x clip((2 radius - distance) / radius, 0, 1): an artery's box swells about its
    centre (dynamics.pulsate_arteries), in the float64 arithmetic of the numpy code it replaces."""
    width, height = base_t.shape
    flat = base_t.ravel()
    source = np.empty(row1 - row0, dtype=np.int64)
    for c in range(col0, col1):
        dc = c - c_c
        # the source pixels first (a loop the compiler vectorises), then the gather
        for i in range(row1 - row0):
            dr = (row0 + i) - r_c
            rho = np.sqrt(dr * dr + dc * dc)
            scale = 1.0 + strain * min(max((2.0 * radius - rho) / radius, 0.0), 1.0)
            sr = min(max(np.rint(r_c + dr / scale), 0.0), height - 1.0)
            sc = min(max(np.rint(c_c + dc / scale), 0.0), width - 1.0)
            source[i] = np.int64(sc) * height + np.int64(sr)
        out = out_t[c, row0:row1]  # a slice: indices from 0, no negative-index code
        for i in range(row1 - row0):
            out[i] = flat[source[i]]


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


@njit(cache=True, nogil=True)
def bolus_pool(env_t, att_t, lateral_axis_mm, probe_xy, axis, centre_mm, direction_cs, semi_mm, depth, depth_per_row,
               sector, row_mm, fluid, residual, excess_db_per_cm):
    """injectate.draw_bolus's pool: where it lies in the image, then `pool`; in the float64 arithmetic
    of the numpy code it replaces (ProbePose.to_plane and to_world, np.searchsorted).

    centre_mm: the bolus's (x, y, depth); direction_cs: (cos, sin) of the direction it elongates
    along; semi_mm: its semi-axes (along, across, depth). Returns (row0, col0, col1) of the columns
    the pool reaches and the first row it may change (col1 = col0 when it misses the image).
    """
    height, width = env_t.shape[1], env_t.shape[0]
    a, b, c = semi_mm
    ax, ay = axis
    reach = max(a, b)
    dx, dy = centre_mm[0] - probe_xy[0], centre_mm[1] - probe_xy[1]
    lat_c, elev_c = dx * ax + dy * ay, -dx * ay + dy * ax
    if abs(elev_c) > reach:
        return 0, 0, 0
    col0 = max(np.searchsorted(lateral_axis_mm, lat_c - reach) - 1, 0)
    col1 = min(np.searchsorted(lateral_axis_mm, lat_c + reach) + 1, width)
    # a pixel's image row is never below its depth row (a sector lifts the sides), so depth + c bounds it
    row0 = 0 if sector else max(int((centre_mm[2] - c) / row_mm) - 2, 0)
    row1 = min(int((centre_mm[2] + c) / row_mm) + 3, height)
    if col1 <= col0 or row0 >= row1:
        return 0, 0, 0
    cos_h, sin_h = direction_cs
    lateral_q = np.empty(col1 - col0)
    for j in range(col1 - col0):
        lateral = lateral_axis_mm[col0 + j]
        px, py = probe_xy[0] + lateral * ax, probe_xy[1] + lateral * ay
        dx, dy = px - centre_mm[0], py - centre_mm[1]
        u, v = dx * cos_h + dy * sin_h, -dx * sin_h + dy * cos_h
        u, v = u / a, v / b
        lateral_q[j] = u * u + v * v
    inside = pool(env_t, att_t, col0, col1, row0, row1, lateral_q, depth, depth_per_row, centre_mm[2], c, fluid, residual,
                  row_mm / 10.0, excess_db_per_cm)
    return (row0, col0, col1) if inside else (0, 0, 0)


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
    z2 = np.empty(row1 - row0)  # per row of the image: the depth part of the norm, worked out once
    if depth_per_row:
        for i in range(row1 - row0):
            z = (depth[0, row0 + i] - centre_depth) / c_semi
            z2[i] = z * z
    for c in range(col0, col1):
        if lateral_q[c - col0] >= 1.0:  # q only grows with depth: the pool misses this column
            continue
        path = np.float32(0.0)
        factor = np.float32(1.0)  # enhancement so far down this column: changes only inside the pool
        stale = False  # path grew since factor was last worked out
        env, att = env_t[c, row0:row1], att_t[c, row0:row1]  # slices: indices from 0, no negative-index code
        for i in range(row1 - row0):
            if not depth_per_row:
                z = (depth[row0 + i, c] - centre_depth) / c_semi
                z2[i] = z * z
            q = lateral_q[c - col0] + z2[i]
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
                env[i] = env[i] * keep + inside * (fluid * att[i])
            elif path > 0:
                if stale:
                    factor, stale = _enhancement(path, row_cm, gain), False
                env[i] *= factor
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


@njit(cache=True, nogil=True, inline="always")
def _specular(along_beam, peak, falloff):
    """needle._specular of a shaft whose direction has this component along the beam line."""
    t = math.asin(min(max(abs(along_beam), 0.0), 1.0)) * (180.0 / math.pi) / falloff
    return peak * math.exp(-(t * t))


@njit(cache=True, nogil=True)
def needle_points(entry_xy, direction, length_mm, count, probe_xy, axis, half_width_mm, image_depth_mm, radius_mm,
                  elevation, specular_of, echo, tip, decays, spacing_px, shade_weight, pixel_mm, pad, shape):
    """The needle's points as drawn (needle.draw_needle), in the float64 arithmetic of the numpy code
    they replace: NeedleGeometry.sample (count points, np.linspace), ProbePose.to_plane,
    geometry.beam_half_thickness_mm and in_beam, needle._specular, ImageGeometry.px_of.

    Of the `count` points along the shaft, those in the drawn slab: the elevation profile is a
    Gaussian across the plane (sigma a share of the slab's half-thickness), 0 beyond `reach`
    half-thicknesses. Each echoes echo x profile x (specular + diffuse floor) (the bevel's `tip`
    points more) and rings: copies `spacing_px` rows apart, of the specular part, decays[k] down.
    elevation: (thickness at focus, divergence, focus depth, sigma share, reach) of the beam;
    specular_of: (1 - diffuse floor, angle falloff in degrees, diffuse floor); tip: (points,
    boost, diffuse); pixel_mm: (row, column) size; pad: the PSF's (rows, columns) margin;
    radius_mm > 0: a curvilinear probe, whose beam lines fan out from its centre.

    Returns (tip in the beam as geometry.in_beam says, any point drawn, (row0, row1, col0, col1)
    of the echo's box, point rows, point columns (rounded), amplitudes (float32), and per column
    of the box the deepest shaft row (-1: none) and its largest profile x shade_weight).
    """
    thickness, divergence, focus, sigma, reach = elevation
    peak, falloff, floor = specular_of
    tip_points, tip_boost, tip_diffuse = tip
    dx_n, dy_n, dz_n = direction
    ax, ay = axis
    row_mm, col_mm = pixel_mm
    height, width = shape
    step = length_mm / (count - 1)
    lateral, depth, profile, specular = np.empty(count), np.empty(count), np.empty(count), np.empty(count)
    m = 0
    last_in = tip_visible = False
    spec = 0.0
    for i in range(count):
        along = length_mm if i == count - 1 else i * step  # np.linspace: the last point is the end exactly
        dx = (entry_xy[0] + dx_n * along) - probe_xy[0]
        dy = (entry_xy[1] + dy_n * along) - probe_xy[1]
        d = dz_n * along
        lat = dx * ax + dy * ay
        elev = -dx * ay + dy * ax
        half = 0.5 * thickness + 0.5 * divergence * abs(d - focus)
        in_view = abs(lat) <= half_width_mm and d >= 0 and d <= image_depth_mm
        tip_visible = abs(elev) <= half and in_view
        q = elev / (sigma * half)
        gain = math.exp(-0.5 * (q * q)) if abs(elev) <= reach * half else 0.0
        last_in = gain > 0 and in_view
        if not last_in:
            continue
        if radius_mm > 0:
            angle = math.atan2(lat, radius_mm + d)
            s, c = math.sin(angle), math.cos(angle)
            spec = _specular(s * ax * dx_n + s * ay * dy_n + c * dz_n, peak, falloff)
        elif m == 0:  # a linear probe's beam lines are parallel: one angle to them along the shaft
            spec = _specular(dz_n, peak, falloff)
        lateral[m], depth[m], profile[m], specular[m] = lat, d, gain, spec
        m += 1
    copies = decays.size + 1
    rows, cols = np.empty(m * copies), np.empty(m)
    amp = np.empty(m * copies, dtype=np.float32)
    first_tip = m - min(tip_points, m) if last_in else m
    for i in range(m):
        scale = echo * profile[i]
        a = scale * (specular[i] + floor)
        if i >= first_tip:
            a = a * tip_boost + scale * tip_diffuse
        amp[i] = np.float32(a)
        tail = scale * specular[i]
        for k in range(1, copies):
            amp[k * m + i] = np.float32(tail * decays[k - 1])
        y = depth[i]
        if radius_mm > 0:
            radius = radius_mm + depth[i]
            y = math.sqrt(max(radius * radius - lateral[i] * lateral[i], 0.0)) - radius_mm
        rows[i] = y / row_mm - 0.5
        cols[i] = (lateral[i] + half_width_mm) / col_mm - 0.5
        for k in range(1, copies):
            rows[k * m + i] = rows[i] + k * spacing_px
    bottom = np.full(0, -1, dtype=np.int64)
    strength = np.zeros(0)
    rows_px, cols_px = np.empty(m * copies, dtype=np.int64), np.empty(m * copies, dtype=np.int64)
    if m == 0:
        return tip_visible, False, (0, 0, 0, 0), rows_px, cols_px, amp, bottom, strength
    r0 = max(int(math.floor(rows.min())) - pad[0], 0)
    r1 = min(int(math.ceil(rows.max())) + pad[0] + 1, height)
    c0 = max(int(math.floor(cols.min())) - pad[1], 0)
    c1 = min(int(math.ceil(cols.max())) + pad[1] + 1, width)
    for j in range(m * copies):
        rows_px[j] = int(np.rint(rows[j]))
        cols_px[j] = int(np.rint(cols[j % m]))
    if c1 > c0:
        n = c1 - c0
        bottom, strength = np.full(n, -1, dtype=np.int64), np.zeros(n)
        for i in range(m):  # np.maximum.at twice, the shaft itself only (not its ringing)
            c = min(max(cols_px[i] - c0, 0), n - 1)
            bottom[c] = max(bottom[c], rows_px[i])
            strength[c] = max(strength[c], profile[i] * shade_weight)
    return tip_visible, True, (r0, r1, c0, c1), rows_px, cols_px, amp, bottom, strength


@njit(cache=True, nogil=True)
def needle_shade_and_echo(env_t, att_t, box, rows, cols, amp, row_kernel, col_kernel, scale, bottom, factor):
    """The needle's shadow, then its echo (needle.draw_needle), column-major (W, H) arrays.

    The shadow: env[start:, col0 + j] *= factor[j] (unless factor[j] >= 0.999) from two rows under
    the shaft's deepest point bottom[j]; a column the shaft misses (-1) takes the depth of the next
    covered column to its right, or of the last one. Returns the first row shaded (the height if
    none is). The echo: needle_echo. box is (row0, row1, col0, col1).
    """
    row0, row1, col0, col1 = box
    height = env_t.shape[1]
    n = bottom.size
    last = -1
    for j in range(n):
        if bottom[j] >= 0:
            last = j
    top = height
    if last >= 0:
        covered = last  # the next covered column at or right of j (the last one past it)
        for j in range(n - 1, -1, -1):
            if bottom[j] >= 0:
                covered = j
            start = min(max(bottom[covered] + 2, 0), height)
            top = min(top, start)
            f = factor[j]
            if f >= np.float32(0.999):
                continue
            column = env_t[col0 + j]
            for r in range(start, height):
                column[r] *= f
    needle_echo(env_t, att_t, row0, row1, col0, col1, rows, cols, amp, row_kernel, col_kernel, scale)
    return top


@njit(cache=True, nogil=True)
def needle_echo(env_t, att_t, row0, row1, col0, col1, rows, cols, amp, row_kernel, col_kernel, scale):
    """The needle's echo in a box (see needle.draw_needle), added incoherently to the envelope.

    Points (rows, cols, amp) are max-accumulated on a canvas, blurred by the separable PSF
    (like scipy.ndimage.gaussian_filter, float32 between the two axes, 'reflect' edges),
    scaled, attenuated, and summed as sqrt(envelope^2 + echo^2).
    """
    h, w = row1 - row0, col1 - col0
    canvas = np.zeros((w, h), dtype=np.float32)  # column-major like the envelope
    radius_r, radius_c = row_kernel.size // 2, col_kernel.size // 2
    # the rows [lo, hi) of each column the blur along the rows reaches (empty where no point fell): outside
    # them every term is 0, and skipping a sum's zero terms leaves it bit for bit the same
    lo, hi = np.full(w, h, dtype=np.int64), np.zeros(w, dtype=np.int64)
    for i in range(rows.size):
        r, c = rows[i], cols[i]
        if row0 <= r < row1 and col0 <= c < col1:
            r, c = r - row0, c - col0
            canvas[c, r] = max(canvas[c, r], amp[i])
            lo[c], hi[c] = min(lo[c], max(r - radius_r, 0)), max(hi[c], min(r + radius_r + 1, h))
    # along the rows (contiguous): each column padded by reflection, then a vectorisable tap loop
    padded = np.empty(h + 2 * radius_r, dtype=np.float32)
    along_rows = np.zeros((w, h), dtype=np.float32)
    for c in range(w):
        start, stop = lo[c], hi[c]
        for i in range(start, stop + 2 * radius_r):
            padded[i] = canvas[c, _reflect(i - radius_r, h)]
        out = along_rows[c, start:stop]  # slices: indices from 0, so no negative-index code in the loops
        for k in range(row_kernel.size):
            weight = np.float32(row_kernel[k])
            taps = padded[start + k:stop + k]
            for r in range(out.size):
                out[r] += weight * taps[r]
    # across the columns, then attenuate and add to the envelope incoherently
    echo = np.empty(h, dtype=np.float32)
    for c in range(w):
        echo[:] = 0.0
        for k in range(col_kernel.size):
            weight = np.float32(col_kernel[k])
            j = _reflect(c + k - radius_c, w)
            source, sink = along_rows[j, lo[j]:hi[j]], echo[lo[j]:hi[j]]
            for r in range(source.size):
                sink[r] += weight * source[r]
        env, att = env_t[col0 + c, row0:row1], att_t[col0 + c, row0:row1]
        for r in range(h):
            e = env[r]
            x = echo[r] * scale * att[r]
            env[r] = np.sqrt(e * e + x * x)
