"""Envelope synthesis of one plane from tissue label maps, and log compression for display.

envelope = | tissue reflectivity x texture x filtered speckle + specular lines | x attenuation
           + A-line reverberation + receiver noise

Everything here depends only on the pose and the scanner settings, so the engine caches it
and draws the cheap moving parts (needle, injectate, twitch, pulsation, Doppler) on top.
The envelope is the received echo before time-gain compensation: comparisons at the same
depth (shadows, lumens, contrast) read it directly; `display` applies TGC, gain and the
dynamic range.

Speed: the synthesis works column-major, (W, H) arrays with one image column per row, on
the plane's runs (runs.py), and goes through the image in blocks of CHUNK_COLUMNS columns
so every whole-block pass stays in the CPU cache. Since rho (tissue x attenuation) is real
and positive, |speckle x rho| = |speckle| x rho: the complex sum is taken only where a
specular line or the receiver noise adds to the speckle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound.interfaces import Boundaries, reflections
from simulator.core.ultrasound.runs import Runs, plane_runs, run_attenuation

CLUTTER_AMPLITUDE = 0.032  # about -25 dB under muscle: anechoic regions are dark grey, not black
NOISE_AMPLITUDE = 6e-6  # receiver noise, about -100 dB under muscle: sets the penetration depth
TGC_DB_PER_CM_MHZ = 2.0  # automatic TGC: two-way compensation for 1 dB/cm/MHz
TGC_MAX_DB = 80.0
DISPLAY_TOP_DB = 40.0  # envelope level (dB) shown white at 0 dB gain
DYNAMIC_RANGE_DB = 72.0
A_LINE_DECAY = 0.5  # each reverberation between probe and pleura is about 6 dB fainter
TEXTURE_NONE, TEXTURE_MUSCLE, TEXTURE_FAT, TEXTURE_NERVE = 0, 1, 2, 3
TEXTURE_GAIN = {TEXTURE_MUSCLE: 3.0, TEXTURE_FAT: 6.0, TEXTURE_NERVE: 1.0}
NERVE_TEXTURE_SCALE = 2.5
FAINT_ECHO = 1e3 * NOISE_AMPLITUDE  # below this the receiver noise is added to the echo, coherently
LINE_LENGTH_MM = 0.3  # a specular echo rings down over about the pulse length
CHUNK_COLUMNS = 128  # columns per block: a block's temporaries stay in the CPU cache


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
    runs: Runs | None = None  # the runs of labels (and layer_index), if the caller has them already


@dataclass(frozen=True, eq=False)
class Synthesis:
    envelope: np.ndarray  # (H, W) float32 received envelope (before TGC), column-major view
    attenuation: np.ndarray  # (H, W) float32 two-way amplitude factor reaching each pixel, column-major view
    pleura_row: np.ndarray  # (W,) int row of the air interface, -1 where none
    image: np.ndarray | None = None  # (H, W) uint8 display, column-major view, when a gain was given
    runs: Runs | None = None


_COS2_BY_DEG = (np.cos(np.radians(np.arange(91))) ** 2).astype(np.float32)


def _fibre_cos2(maps: PlaneMaps, runs: Runs) -> np.ndarray:
    """cos^2 of each run's fibre angle to the plane (1 long axis .. 0 short axis)."""
    if maps.fibre_at is not None:
        angle = maps.fibre_at(runs.row, runs.col)
    elif maps.fibre_angle_deg is not None:
        angle = maps.fibre_angle_deg[runs.row, runs.col]
    else:
        return np.ones(runs.start.size, dtype=np.float32)
    return np.take(_COS2_BY_DEG, np.asarray(angle).astype(np.intp), mode="clip")


def texture_terms(maps: PlaneMaps, lut: TissueLut, textures, runs: Runs) -> list:
    """(table, per-run gain, boxes) of each texture in the plane; rho = A[label] + sum gain x table.

    Muscle mixes long-axis (pennate lines) and short-axis (dots) texture by the fibres'
    angle to the plane: t = S + cos^2(angle) * (L - S), so S and L - S each get a gain.
    """
    kind, amp = lut.texture, lut.amplitude
    muscle = (np.where(kind == TEXTURE_MUSCLE, TEXTURE_GAIN[TEXTURE_MUSCLE], 0.0) * amp)[runs.label]
    terms = []
    if muscle.any():
        terms += [(textures.short_axis, muscle), (textures.long_minus_short, muscle * _fibre_cos2(maps, runs))]
    for tissue_kind, table, scale in ((TEXTURE_FAT, textures.fat, TEXTURE_GAIN[TEXTURE_FAT]),
                                      (TEXTURE_NERVE, textures.nerve, NERVE_TEXTURE_SCALE)):
        terms.append((table, (np.where(kind == tissue_kind, scale, 0.0) * amp)[runs.label]))
    out = []
    for table, gain in terms:
        boxes = runs.boxes(gain != 0)
        if boxes:
            out.append((table, gain.astype(np.float32), boxes))
    return out


def _clip_box(box, col0: int, col1: int):
    """(rows, cols relative to col0) of a (rows, cols) box inside columns col0..col1, or None."""
    rows, cols = box
    lo, hi = max(cols.start, col0), min(cols.stop, col1)
    return None if lo >= hi else (rows, slice(lo - col0, hi - col0))


def synthesize(maps: PlaneMaps, lut: TissueLut, field, filtered: np.ndarray, textures, noise: np.ndarray,
               freq_mhz: float, row_mm: float, tgc_db: np.ndarray, aspect: float = 1.0,
               gain_db: float | None = None) -> Synthesis:
    """The envelope of one plane (and its display image when gain_db is given).

    Internally column-major: (W, H) arrays; `noise` is (W, H) too.
    """
    labels = maps.labels
    height, width = labels.shape
    labels_t = np.ascontiguousarray(labels.T)  # free when the slice is column-major already
    runs = maps.runs
    if runs is None:
        layer_t = np.ascontiguousarray(maps.layer_index.T) if maps.layer_index is not None else None
        runs = plane_runs(labels_t, layer_t)
    b_rows, b_cols = runs.row[runs.boundary], runs.col[runs.boundary]
    boundaries = reflections(labels_t, b_rows, b_cols, lut.impedance_mrayl, lut.wall, aspect)
    att_runs = run_attenuation(runs, boundaries.loss_db, lut.attenuation_db_cm_mhz, freq_mhz, row_mm)
    echoes = (boundaries.echo * att_runs.at_start[runs.boundary]).astype(np.float32)
    pleura_row, pleura_echo = _air_rows(labels, lut, boundaries, echoes, width)

    kind = lut.texture
    base = (np.where(kind == TEXTURE_FAT, 0.6, np.where(kind == TEXTURE_NERVE, 0.3, 1.0)) * lut.amplitude
            + CLUTTER_AMPLITUDE).astype(np.float32)[runs.label]
    terms = texture_terms(maps, lut, textures, runs)
    density = np.clip(lut.density, 0.0, 1.0)
    wanted = (density < 0.95) & (lut.amplitude > 0.1)  # sparse speckle: visible tissue with few scatterers
    sparse_boxes = runs.boxes(wanted[runs.label]) if wanted.any() else []
    d = np.where(wanted, density, 1.0)[runs.label]
    sparse_keep, sparse_add = np.sqrt(d).astype(np.float32), np.sqrt(1.0 - d).astype(np.float32)
    image_offset = None
    if gain_db is not None:
        image_offset = _display_offset(tgc_db, gain_db)[None, :]

    envelope = np.empty((width, height), dtype=np.float32)
    attenuation = np.empty((width, height), dtype=np.float32)
    image = np.empty((width, height), dtype=np.uint8) if gain_db is not None else None
    lines = _Lines(boundaries, echoes, height, max(1, int(round(LINE_LENGTH_MM / row_mm))))
    texture_col = maps.texture_col
    start0, start1, frac = maps.speckle_cols
    def block(c0: int) -> None:
        c1 = min(c0 + CHUNK_COLUMNS, width)
        span = runs.span(c0, c1)
        rho = runs.expand(base, span)
        for table, gain, boxes in terms:
            for box in boxes:
                local = _clip_box(box, c0, c1)
                if local is None:
                    continue
                rows, cols = local
                term = runs.expand_rows(gain, span, rows)[cols]
                term *= table[texture_col + c0 + cols.start: texture_col + c0 + cols.stop, rows]
                rho[cols, rows] += term
        if maps.reflectivity_gain is not None:
            (rows, cols), factor = maps.reflectivity_gain
            local = _clip_box((rows, cols), c0, c1)
            if local is not None:
                r, c = local
                region = rho[c, r]
                f = factor.T[c.start + c0 - cols.start: c.stop + c0 - cols.start]
                region -= np.float32(CLUTTER_AMPLITUDE)  # the trigger point scales the tissue echo, not the clutter
                region *= f
                region += np.float32(CLUTTER_AMPLITUDE)
        att = att_runs.fill(runs, span, attenuation[c0:c1])
        rho *= att

        speckle = field.sample(filtered, height, width, start0, start1, frac, (slice(0, height), slice(c0, c1)))
        for box in sparse_boxes:
            local = _clip_box(box, c0, c1)
            if local is None:
                continue
            rows, cols = local
            sparse = field.sample(field.filtered_sparse(), height, width, start0, start1, frac,
                                  (rows, slice(cols.start + c0, cols.stop + c0)))
            region = speckle[cols, rows]
            region *= runs.expand_rows(sparse_keep, span, rows)[cols]
            sparse *= runs.expand_rows(sparse_add, span, rows)[cols]
            region += sparse
        env = envelope[c0:c1]
        np.abs(speckle, out=env)
        env *= rho
        faint = np.flatnonzero(rho.max(axis=0) < np.float32(FAINT_ECHO))
        deep = int(faint[0]) if faint.size else height
        if deep < height:  # the echo has faded toward the receiver noise: add it coherently
            signal = speckle[:, deep:] * rho[:, deep:]
            signal += noise[c0:c1, deep:]
            np.abs(signal, out=env[:, deep:])
        lines.gather(speckle, rho, c0, c1, deep)
        if image is not None:
            _compress(env, image_offset, out=image[c0:c1])
    for c0 in range(0, width, CHUNK_COLUMNS):
        block(c0)
    touched = [lines.draw(envelope, noise)]
    touched.append(_add_a_lines(envelope.T, pleura_row, pleura_echo, tgc_db, row_mm))
    if image is not None:  # the few pixels the lines changed after their block was compressed
        flat = np.concatenate(touched)
        image.ravel()[flat] = _compress(envelope.ravel()[flat], image_offset[0, flat % height])
    return Synthesis(envelope.T, attenuation.T, pleura_row, image.T if image is not None else None, runs)


class _Lines:
    """Specular lines: each boundary's echo ringing down over `steps` rows, summed coherently with the speckle.

    The pixels they touch (flat column-major indices, sorted) are known before the blocks
    are made; each block hands over its speckle and rho there, and `draw` sums at the end.
    """

    def __init__(self, boundaries: Boundaries, echoes: np.ndarray, height: int, steps: int):
        rows, start = boundaries.rows, boundaries.cols * height + boundaries.rows
        flat, value = [], []
        for k in range(steps + 1):
            ok = rows + k < height
            flat.append(start[ok] + k)
            value.append(np.float32(1.0 - k / (steps + 1)) * echoes[ok])
        flat, value = np.concatenate(flat), np.concatenate(value)
        order = np.argsort(flat, kind="stable")
        flat, value = flat[order], value[order]
        first = np.flatnonzero(np.diff(flat, prepend=-1))
        self.flat = flat[first]
        self.line = np.add.reduceat(value, first) if first.size else value
        self.height = height
        self.speckle = np.zeros(self.flat.size, dtype=np.complex64)
        self.rho = np.zeros(self.flat.size, dtype=np.float32)
        self.noisy = np.zeros(self.flat.size, dtype=bool)

    def gather(self, speckle, rho, col0: int, col1: int, deep_row: int) -> None:
        lo, hi = np.searchsorted(self.flat, (col0 * self.height, col1 * self.height))
        local = self.flat[lo:hi] - col0 * self.height
        self.speckle[lo:hi] = speckle.ravel()[local]
        self.rho[lo:hi] = rho.ravel()[local]
        self.noisy[lo:hi] = local % self.height >= deep_row

    def draw(self, envelope, noise) -> np.ndarray:
        """Write |speckle x rho + line (+ noise)| at the line pixels; returns their flat indices."""
        signal = self.speckle * self.rho + self.line
        signal[self.noisy] += noise.ravel()[self.flat[self.noisy]]
        envelope.ravel()[self.flat] = np.abs(signal)
        return self.flat


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
    height = envelope.shape[0]
    touched = [np.zeros(0, dtype=np.int64)]
    if cols.size == 0:
        return touched[0]
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
            touched.append(c * height + r + j)  # flat index into the column-major (W, H) array
    return np.concatenate(touched)


def tgc_curve_db(depth_axis_mm: np.ndarray, freq_mhz: float) -> np.ndarray:
    """Automatic TGC per row (dB), capped so deep noise is not blown up."""
    return np.minimum(TGC_DB_PER_CM_MHZ * freq_mhz * depth_axis_mm / 10.0, TGC_MAX_DB).astype(np.float32)


def display(envelope: np.ndarray, tgc_db: np.ndarray, gain_db: float,
            dynamic_range_db: float = DYNAMIC_RANGE_DB, out: np.ndarray | None = None) -> np.ndarray:
    """Log compression to uint8: white at DISPLAY_TOP_DB - gain, black dynamic_range_db below.

    tgc_db is per row (H,) of an (H, W) envelope, or anything that broadcasts against it.
    """
    tgc = np.asarray(tgc_db, dtype=np.float32)
    offset = _display_offset(tgc[:, None] if tgc.ndim == 1 else tgc, gain_db, dynamic_range_db)
    return _compress(envelope, offset, dynamic_range_db, out)


def _display_offset(tgc_db, gain_db: float, dynamic_range_db: float = DYNAMIC_RANGE_DB) -> np.ndarray:
    """Grey level (before clipping) of an envelope of 1, wherever tgc_db applies."""
    scale = np.float32(255.0 / dynamic_range_db)
    offset = np.asarray(tgc_db, dtype=np.float32) + np.float32(gain_db - DISPLAY_TOP_DB + dynamic_range_db)
    return np.multiply(offset, scale, dtype=np.float32)


def _compress(envelope, offset, dynamic_range_db: float = DYNAMIC_RANGE_DB, out=None) -> np.ndarray:
    level = np.maximum(envelope, np.float32(1e-12))
    np.log10(level, out=level)
    level *= np.float32(20.0 * 255.0 / dynamic_range_db)
    level += offset
    np.clip(level, 0, 255, out=level)
    if out is None:
        return level.astype(np.uint8)
    np.copyto(out, level, casting="unsafe")
    return out
