"""Envelope synthesis of one plane from tissue label maps, and log compression for display.

envelope = | tissue reflectivity x texture x filtered speckle + specular lines | x attenuation
           + A-line reverberation + receiver noise

Everything here depends only on the pose and the scanner settings, so the engine caches it
and draws the cheap moving parts (needle, injectate, twitch, pulsation, Doppler) on top.
The envelope is the received echo before time-gain compensation: comparisons at the same
depth (shadows, lumens, contrast) read it directly; `display` applies TGC, gain and the
dynamic range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound.interfaces import Boundaries, reflections

CLUTTER_AMPLITUDE = 0.032  # about -25 dB under muscle: anechoic regions are dark grey, not black
NOISE_AMPLITUDE = 6e-6  # receiver noise, about -100 dB under muscle: sets the penetration depth
TGC_DB_PER_CM_MHZ = 2.0  # automatic TGC: two-way compensation for 1 dB/cm/MHz
TGC_MAX_DB = 80.0
DISPLAY_TOP_DB = 40.0  # envelope level (dB) shown white at 0 dB gain
DYNAMIC_RANGE_DB = 72.0
A_LINE_DECAY = 0.5  # each reverberation between probe and pleura is about 6 dB fainter
TEXTURE_NONE, TEXTURE_MUSCLE, TEXTURE_FAT, TEXTURE_NERVE = 0, 1, 2, 3
TEXTURE_GAIN = {TEXTURE_MUSCLE: 3.0, TEXTURE_FAT: 6.0, TEXTURE_NERVE: 1.0}


@dataclass(frozen=True, eq=False)
class TissueLut:
    """Per-label acoustic properties (arrays indexed by label id)."""

    amplitude: np.ndarray  # mean echo amplitude: scatter_amplitude * sqrt(scatter_density)
    density: np.ndarray  # scatter_density: below 1 the speckle gets clumpier (fewer scatterers per cell)
    attenuation_db_cm_mhz: np.ndarray
    impedance_mrayl: np.ndarray
    texture: np.ndarray  # TEXTURE_* per label
    wall: np.ndarray  # extra boundary echo of structures with a wall (vessels, nerves)
    air: np.ndarray  # bool: reflections from this label echo as A-lines (lung)


@dataclass(frozen=True, eq=False)
class PlaneMaps:
    """What the plane cuts, plus where its pixels sit on the world lattice."""

    labels: np.ndarray  # (H, W) uint8 (column-major is fastest: labels.T is then a free view)
    fibre_angle_deg: np.ndarray | None  # (H, W) 0 long axis .. 90 short axis (0 where no muscle), or None
    reflectivity_gain: tuple | None  # ((rows, cols) box, (h, w) factor) extra amplitude (trigger points)
    speckle_cols: tuple  # (start0, start1, frac) from ScattererField.columns
    texture_col: int  # first column of the texture window
    layer_index: np.ndarray | None = None  # (H, W) int8: runs split where the layer changes, not only the label
    fibre_at: object = None  # callable (rows, cols) -> fibre angle, instead of the fibre_angle_deg map


@dataclass(frozen=True, eq=False)
class Synthesis:
    envelope: np.ndarray  # (H, W) float32 received envelope (before TGC), column-major view
    attenuation: np.ndarray  # (H, W) float32 two-way amplitude factor reaching each pixel, column-major view
    pleura_row: np.ndarray  # (W,) int row of the air interface, -1 where none


_COS2_BY_DEG = (np.cos(np.radians(np.arange(91))) ** 2).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Runs:
    """Each image column as runs of rows with one label (and layer): the plane's 1-D structure.

    Everything that depends only on the tissue (echo level, texture gains, attenuation) is
    worked out per run and expanded with np.repeat, which writes a column-major (W, H) image
    in one cheap pass. Runs are ordered by column, then row; `start` is the flat index col * H + row.
    """

    start: np.ndarray  # (n,) int64 flat column-major index of each run's first pixel
    col: np.ndarray
    row: np.ndarray
    length: np.ndarray
    label: np.ndarray  # (n,) intp
    boundary: np.ndarray  # (n,) bool: the run starts below a label change (a reflecting interface)
    shape: tuple  # (H, W)

    def expand(self, per_run: np.ndarray) -> np.ndarray:
        """A per-run value as a contiguous (W, H) float32 image."""
        height, width = self.shape
        return np.repeat(per_run.astype(np.float32), self.length).reshape(width, height)

    def box(self, which: np.ndarray):
        """(rows, cols) box around the selected runs, or None."""
        if not which.any():
            return None
        rows, cols, length = self.row[which], self.col[which], self.length[which]
        return slice(int(rows.min()), int((rows + length).max())), slice(int(cols.min()), int(cols.max()) + 1)


def plane_runs(labels_t: np.ndarray, layer_t: np.ndarray | None = None) -> Runs:
    """Runs of a column-major (W, H) label map, split where the label (or the layer) changes."""
    width, height = labels_t.shape
    change = labels_t[:, 1:] != labels_t[:, :-1]
    if layer_t is not None:
        change |= layer_t[:, 1:] != layer_t[:, :-1]
    flat = np.flatnonzero(change)  # index into (W, H - 1)
    cols = flat // (height - 1)
    starts = np.concatenate([np.arange(width, dtype=np.int64) * height, flat + cols + 1])
    starts.sort()
    col = starts // height
    row = starts - col * height
    length = np.diff(starts, append=width * height)
    label = labels_t.ravel()[starts].astype(np.intp)
    boundary = row > 0
    boundary[1:] &= label[1:] != label[:-1]
    return Runs(starts, col, row, length, label, boundary, (height, width))


def _fibre_cos2(maps: PlaneMaps, runs: Runs) -> np.ndarray:
    """cos^2 of each run's fibre angle to the plane (1 long axis .. 0 short axis)."""
    if maps.fibre_at is not None:
        angle = maps.fibre_at(runs.row, runs.col)
    elif maps.fibre_angle_deg is not None:
        angle = maps.fibre_angle_deg[runs.row, runs.col]
    else:
        return np.ones(runs.start.size, dtype=np.float32)
    return np.take(_COS2_BY_DEG, np.asarray(angle).astype(np.intp), mode="clip")


def reflectivity(maps: PlaneMaps, lut: TissueLut, textures, runs: Runs) -> np.ndarray:
    """Echo amplitude per pixel, column-major (W, H): tissue level x septa, fascicles and fat lobules.

    Muscle mixes long-axis (pennate lines) and short-axis (dots) texture by the fibres'
    angle to the plane: t = S + cos^2(angle) * (L - S); rho = A[label] + G[label] * t.
    """
    height, width = runs.shape
    c0 = maps.texture_col
    kind = lut.texture
    amp = lut.amplitude
    base = np.where(kind == TEXTURE_FAT, 0.6, np.where(kind == TEXTURE_NERVE, 0.3, 1.0)) * amp
    gain = np.where(kind == TEXTURE_MUSCLE, TEXTURE_GAIN[TEXTURE_MUSCLE], 0.0) * amp
    rho = runs.expand(base[runs.label])
    muscle_gain = gain[runs.label]
    terms = []
    if muscle_gain.any():
        terms += [(textures.short_axis, muscle_gain), (textures.long_minus_short, muscle_gain * _fibre_cos2(maps, runs))]
    for tissue_kind, table, scale in ((TEXTURE_FAT, textures.fat, TEXTURE_GAIN[TEXTURE_FAT]),
                                      (TEXTURE_NERVE, textures.nerve, 2.5)):
        terms.append((table, (np.where(kind == tissue_kind, scale, 0.0) * amp)[runs.label]))
    for table, per_run in terms:
        box = runs.box(per_run != 0)
        if box is None:
            continue
        rows, cols = box
        term = runs.expand(per_run)[cols, rows]
        term *= table[c0 + cols.start: c0 + cols.stop, rows]
        rho[cols, rows] += term
    return rho


def synthesize(maps: PlaneMaps, lut: TissueLut, field, filtered: np.ndarray, textures, noise: np.ndarray,
               freq_mhz: float, row_mm: float, tgc_db: np.ndarray, aspect: float = 1.0) -> Synthesis:
    """The envelope of one plane. Internally column-major: (W, H) arrays, one image column per row."""
    labels = maps.labels
    height, width = labels.shape
    labels_t = np.ascontiguousarray(labels.T)  # free when the slice is column-major already
    layer_t = np.ascontiguousarray(maps.layer_index.T) if maps.layer_index is not None else None
    runs = plane_runs(labels_t, layer_t)
    rho = reflectivity(maps, lut, textures, runs)
    if maps.reflectivity_gain is not None:
        (rows, cols), factor = maps.reflectivity_gain
        rho[cols, rows] *= factor.T
    rho += np.float32(CLUTTER_AMPLITUDE)
    b_rows, b_cols = runs.row[runs.boundary], runs.col[runs.boundary]
    boundaries = reflections(labels_t, b_rows, b_cols, lut.impedance_mrayl, lut.wall, aspect)
    attenuation = _attenuation(runs, boundaries, lut, freq_mhz, row_mm)
    rho *= attenuation

    # speckle x rho is |speckle| x rho (rho is real and positive); only where a specular line or
    # the receiver noise adds to it does the sum have to be taken on the complex signal
    speckle = field.sample(filtered, height, width, *maps.speckle_cols)
    _mix_sparse(speckle, maps, lut, field, runs)
    envelope = np.abs(speckle)
    envelope *= rho
    faint = np.nonzero(rho.max(axis=0) < np.float32(1e3 * NOISE_AMPLITUDE))[0]
    start = int(faint[0]) if faint.size else height
    if start < height:
        deep = speckle[:, start:] * rho[:, start:]
        deep += noise[:, start:]
        np.abs(deep, out=envelope[:, start:])
    echoes = _add_lines(envelope, speckle, rho, noise, start, boundaries, attenuation, row_mm)

    env_view, att_view = envelope.T, attenuation.T
    pleura_row, pleura_echo = _air_rows(labels, lut, boundaries, echoes, width)
    _add_a_lines(env_view, pleura_row, pleura_echo, tgc_db, row_mm)
    return Synthesis(env_view, att_view, pleura_row)


def _add_lines(envelope, speckle, rho, noise, noise_start: int, boundaries: Boundaries, attenuation,
               row_mm: float, length_mm: float = 0.3) -> np.ndarray:
    """Each boundary's echo, ringing down over about the pulse length, summed coherently with the speckle.

    All arrays are column-major (W, H). Returns the attenuated echo at each boundary.
    """
    rows, cols = boundaries.rows, boundaries.cols
    if rows.size == 0:
        return np.zeros(0, dtype=np.float32)
    width, height = envelope.shape
    echo = boundaries.echo * attenuation[cols, rows]
    steps = max(1, int(round(length_mm / row_mm)))
    k = np.arange(steps + 1)
    r = rows[None, :] + k[:, None]
    ok = r < height
    flat = (cols[None, :] * height + r)[ok]
    value = (np.float32(1.0) - (k / (steps + 1)).astype(np.float32))[:, None] * echo[None, :]
    unique, inverse = np.unique(flat, return_inverse=True)
    line = np.bincount(inverse, weights=value[ok], minlength=unique.size)
    signal = speckle.ravel()[unique] * rho.ravel()[unique] + line
    if noise_start < height:
        noisy = unique % height >= noise_start
        signal[noisy] += noise.ravel()[unique[noisy]]
    envelope.ravel()[unique] = np.abs(signal)
    return echo


def _mix_sparse(speckle: np.ndarray, maps: PlaneMaps, lut: TissueLut, field, runs: Runs) -> None:
    """Tissues with few scatterers (density < 1) blend in the sparse field: sqrt(d) dense + sqrt(1 - d) sparse.

    Only visible tissues are worth it (anechoic fluids have next to no echo anyway), and
    only inside the box that holds them.
    """
    density = np.clip(lut.density, 0.0, 1.0)
    wanted = (density < 0.95) & (lut.amplitude > 0.1)
    if not wanted.any():
        return
    per_run = wanted[runs.label]
    box = runs.box(per_run)
    if box is None:
        return
    rows, cols = box
    height, width = runs.shape
    start0, start1, frac = maps.speckle_cols
    sparse = field.sample(field.filtered_sparse(), height, width, start0, start1, frac, box)
    d = np.where(wanted, density, 1.0)[runs.label]
    region = speckle[cols, rows]
    region *= runs.expand(np.sqrt(d))[cols, rows]
    sparse *= runs.expand(np.sqrt(1.0 - d))[cols, rows]
    region += sparse


def _attenuation(runs: Runs, boundaries: Boundaries, lut: TissueLut, freq_mhz: float, row_mm: float):
    """Two-way amplitude factor reaching each pixel: absorption and boundary losses above it.

    Per run: the loss in dB grows linearly down the run, plus the run's boundary loss below
    its first row (a pixel's echo has not crossed its own boundary). The sum over the runs
    above is a prefix sum over a few thousand runs, not over the image. Column-major (W, H).
    """
    height, width = runs.shape
    per_row_db = lut.attenuation_db_cm_mhz.astype(np.float64) * (2.0 * freq_mhz * row_mm / 10.0)
    rate = per_row_db[runs.label]
    loss = np.zeros(runs.start.size)
    loss[runs.boundary] = boundaries.loss_db
    increment = rate * runs.length + loss
    before = np.cumsum(increment) - increment  # everything above each run, over the whole plane
    column_first = np.flatnonzero(runs.row == 0)
    before -= before[column_first][runs.col]  # ... within its own column
    k = -math.log(10) / 20
    db = runs.expand((before + loss - rate * runs.row) * k)  # value at row r: offset + slope * r
    slope = runs.expand(rate * k)
    slope *= np.arange(height, dtype=np.float32)
    db += slope
    lossy = np.flatnonzero(loss)
    db.ravel()[runs.start[lossy]] -= (loss[lossy] * k).astype(np.float32)  # not through its own boundary yet
    return np.exp(db, out=db)


def _air_rows(labels, lut: TissueLut, boundaries: Boundaries, echoes: np.ndarray, width: int):
    """(row of the first boundary into air (lung) per column or -1, its attenuated echo)."""
    never = np.iinfo(np.int64).max
    out = np.full(width, never, dtype=np.int64)
    echo = np.zeros(width, dtype=np.float32)
    rows, cols = boundaries.rows, boundaries.cols
    air = lut.air[labels[rows, cols]] & (boundaries.coeff < -0.5) if rows.size else np.zeros(0, bool)
    if air.any():
        np.minimum.at(out, cols[air], rows[air].astype(np.int64))
        first = air & (rows == out[cols])
        echo[cols[first]] = echoes[first]
    out[out == never] = -1
    return out, echo


def _add_a_lines(envelope, pleura_row, pleura_echo, tgc_db, row_mm: float, count: int = 6) -> None:
    """Copies of the pleural line at whole multiples of its depth, each about 6 dB fainter on screen.

    The copies are set so the display (after TGC) shows them at the pleura's brightness
    less A_LINE_DECAY per bounce, whatever the TGC: they are an artefact of the display chain.
    """
    cols = np.nonzero(pleura_row > 0)[0]
    if cols.size == 0:
        return
    height = envelope.shape[0]
    p = pleura_row[cols]
    base = pleura_echo[cols]
    thick = max(1, int(round(0.3 / row_mm)))
    tgc_gain = np.power(np.float32(10), tgc_db / np.float32(20))
    for k in range(2, count + 1):
        rows = k * (p + 1) - 1
        ok = rows < height - thick
        if not ok.any():
            break
        r, c = rows[ok], cols[ok]
        amp = base[ok] * (A_LINE_DECAY ** (k - 1)) * tgc_gain[p[ok]] / tgc_gain[r]
        for j in range(thick + 1):
            envelope[r + j, c] = np.maximum(envelope[r + j, c], (1.0 - j / (thick + 1)) * amp)


def tgc_curve_db(depth_axis_mm: np.ndarray, freq_mhz: float) -> np.ndarray:
    """Automatic TGC per row (dB), capped so deep noise is not blown up."""
    return np.minimum(TGC_DB_PER_CM_MHZ * freq_mhz * depth_axis_mm / 10.0, TGC_MAX_DB).astype(np.float32)


def display(envelope: np.ndarray, tgc_db: np.ndarray, gain_db: float,
            dynamic_range_db: float = DYNAMIC_RANGE_DB, out: np.ndarray | None = None) -> np.ndarray:
    """Log compression to uint8: white at DISPLAY_TOP_DB - gain, black dynamic_range_db below.

    tgc_db is per row (H,) of an (H, W) envelope, or anything that broadcasts against it.
    """
    scale = np.float32(255.0 / dynamic_range_db)
    tgc = np.asarray(tgc_db, dtype=np.float32)
    offset = (tgc[:, None] if tgc.ndim == 1 else tgc) + np.float32(gain_db - DISPLAY_TOP_DB + dynamic_range_db)
    level = np.maximum(envelope, np.float32(1e-12))
    np.log10(level, out=level)
    level *= np.float32(20.0) * scale
    level += offset * scale if offset.size < level.size else np.multiply(offset, scale, dtype=np.float32)
    np.clip(level, 0, 255, out=level)
    if out is None:
        return level.astype(np.uint8)
    out[...] = level
    return out
