"""Envelope synthesis of one plane from tissue label maps, and log compression for display.

envelope = | (tissue reflectivity + texture) x attenuation x filtered speckle + specular lines
             + receiver noise | + A-line reverberation

Everything here depends only on the pose and the scanner settings, so the engine caches it
and draws the cheap moving parts (needle, injectate, twitch, pulsation, Doppler) on top.
The envelope is the received echo before time-gain compensation: comparisons at the same
depth (shadows, lumens, contrast) read it directly; `display` applies TGC, gain and the
dynamic range.

Speed: the synthesis works column-major, (W, H) arrays with one image column per row, on
the plane's runs (runs.py): everything per tissue is computed per run here, and one compiled
pass (kernels.compose) makes every pixel. Tissue with few scatterers reads a precomputed
blend of the dense and sparse speckle tables, so it costs no more than dense tissue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound import kernels
from simulator.core.ultrasound.diffraction import boundary_fill
from simulator.core.ultrasound.interfaces import lines_and_pleura, reflections, shadow_casters, shadow_spread
from simulator.core.ultrasound.pleura import blurred_pleura, pleura_levels
from simulator.core.ultrasound.pleura import tgc_gain as pleura_tgc_gain
from simulator.core.ultrasound.runs import Runs, plane_runs, run_attenuation
from simulator.core.ultrasound.speckle import TABLE_COLUMNS, ColumnMap
from simulator.core.ultrasound.tissue_lut import (  # noqa: F401  (the TEXTURE_* kinds are imported from here too)
    CLUTTER_AMPLITUDE, TEXTURE_FAT, TEXTURE_MUSCLE, TEXTURE_NERVE, TissueLut, label_gains, run_gains, run_long_axis,
)

NOISE_AMPLITUDE = 6e-6  # receiver noise, about -100 dB under muscle: sets the penetration depth
TGC_DB_PER_CM_MHZ = 2.0  # automatic TGC: two-way compensation for 1 dB/cm/MHz
TGC_MAX_DB = 88.0  # lifts the receiver noise (NOISE_AMPLITUDE) to about grey 15 at most: deep noise stays dark
DISPLAY_TOP_DB = 40.0  # envelope level (dB) shown white at 0 dB gain
DYNAMIC_RANGE_DB = 60.0  # a typical MSK preset: dark background, bright septa and fascia
GREY_PER_OCTAVE = np.float32(20.0 * 255.0 / DYNAMIC_RANGE_DB * math.log10(2.0))  # display slope in log2
A_LINE_DECAY = 0.5  # each reverberation between probe and pleura is about 6 dB fainter
PLEURA_BAND_MM = 1.0  # the bright pleural band above the air that the A-lines copy
REVERB_HAZE = 0.05  # the rest of the chest wall reverberates too, about 26 dB under the A-lines
LUNG_REVERB_DB = -15.0  # speckled reverberation just under the pleural line, relative to the line as shown
LUNG_FADE_DB_PER_MM = 0.8  # ... fading with depth under the pleura (the A-lines fade per bounce instead)
LINE_LENGTH_MM = 0.3  # a specular echo rings down over about the pulse length
# echoes and edges are blurred sideways by this share of the lateral PSF: the speckle that the
# reflectivity then scales is PSF-wide already, so together a point images as wide as the PSF
EDGE_BLUR = 0.6
TINY_WEIGHT = 1e-30  # blur weights below this are zero: they only make subnormal products (slow, invisible)


@dataclass(frozen=True, eq=False)
class PlaneMaps:
    """What the plane cuts, plus where its pixels sit on the world lattice."""

    labels: np.ndarray  # (H, W) uint8 (column-major is fastest: labels.T is then a free view)
    fibre_angle_deg: np.ndarray | None  # (H, W) 0 long axis .. 90 short axis (0 where no muscle), or None
    reflectivity_gain: tuple | None  # ((rows, cols) box, (h, w) factor) extra amplitude (trigger points)
    speckle_cols: object  # speckle.ColumnMap, or (start0, start1, frac) of a plain window (ScattererField.columns)
    texture_col: int  # first column of the texture window (with the tuple form)
    layer_index: np.ndarray | None = None  # (H, W) int8: runs split where the layer changes, not only the label
    fibre_at: object = None  # callable (rows, cols) -> fibre angle, instead of the fibre_angle_deg map
    runs: Runs | None = None  # the runs of labels (and layer_index), if the caller has them already
    fascicles_at: object = None  # callable (rows, cols) -> which long-axis texture (pennation) a pixel reads; None: 0


@dataclass(frozen=True, eq=False)
class Synthesis:
    envelope: np.ndarray  # (H, W) float32 received envelope (before TGC), column-major view
    attenuation: np.ndarray  # (H, W) float32 two-way amplitude factor reaching each pixel, column-major view
    pleura_row: np.ndarray  # (W,) int row of the air interface, -1 where none
    image: np.ndarray | None = None  # (H, W) uint8 display, column-major view, when a gain was given
    runs: Runs | None = None
    pleura_level: np.ndarray | None = None  # (W,) float32 the pleural echo as shown (0 where none, dark in a shadow)


_COS2_BY_DEG = (np.cos(np.radians(np.arange(91))) ** 2).astype(np.float32)


def _long_axis(muscle: np.ndarray, maps: PlaneMaps, runs: Runs) -> np.ndarray:
    """Each run's long-axis (fascicle) texture gain: its muscle gain x cos^2 of its fibre angle to the
    plane (1 long axis .. 0 short axis)."""
    if maps.fibre_at is not None:
        angle = maps.fibre_at(runs.row, runs.col)
    elif maps.fibre_angle_deg is not None:
        angle = maps.fibre_angle_deg[runs.row, runs.col]
    else:
        return muscle.copy()
    return run_long_axis(muscle, np.ascontiguousarray(angle).reshape(-1), _COS2_BY_DEG)


def _fascicle_tables(maps: PlaneMaps, runs: Runs, textures) -> np.ndarray:
    """Which long-axis table (pennation angle) each run reads: its own muscle's, so stacked or
    side-by-side muscles show fascicles at their own angles."""
    if maps.fascicles_at is None or textures.long_minus_short.shape[0] == 1:
        return np.zeros(runs.start.size, dtype=np.intp)
    index = np.asarray(maps.fascicles_at(runs.row, runs.col), dtype=np.intp)
    return np.clip(index, 0, textures.long_minus_short.shape[0] - 1)


def synthesize(maps: PlaneMaps, lut: TissueLut, field, filtered: np.ndarray, textures, noise: np.ndarray,
               freq_mhz: float, row_mm: float, tgc_db: np.ndarray, aspect: float = 1.0,
               gain_db: float | None = None, b_lines: np.ndarray | None = None, tilt_deg: float = 0.0,
               compound: bool = False) -> Synthesis:
    """The envelope of one plane (and its display image when gain_db is given).

    b_lines: (W,) 0..1 per column, where B-lines run under the pleura (None: none).
    tilt_deg: the probe's heel-toe tilt: boundaries are seen by the tilted beam and fibrous
    tissue (lut.anisotropy_deg) echoes less (anisotropy). compound: speckle reduction, the
    intensities of two decorrelated speckle patterns averaged (as spatial compounding does).

    Internally column-major: (W, H) arrays; `noise` is (W, H) too. The per-tissue work is
    done per run here; kernels.compose makes every pixel in one compiled pass.
    """
    labels = maps.labels
    height, width = labels.shape
    labels_t = np.ascontiguousarray(labels.T)  # free when the slice is column-major already
    runs = maps.runs
    if runs is None:
        layer_t = np.ascontiguousarray(maps.layer_index.T) if maps.layer_index is not None else None
        runs = plane_runs(labels_t, layer_t)
    boundary_run = np.flatnonzero(runs.boundary)
    b_rows, b_cols = runs.row[boundary_run], runs.col[boundary_run]
    gains = label_gains(lut, tilt_deg)
    boundaries = reflections(labels_t, b_rows, b_cols, lut.impedance_mrayl, lut.wall, aspect, tilt_deg, gains.fibre_echo)
    att = run_attenuation(runs, boundaries.loss_db, lut.attenuation_db_cm_mhz, freq_mhz, row_mm)
    run_ptr = runs.ptr
    spread = shadow_spread(height, row_mm, row_mm / aspect)
    spread_cols, tops = shadow_casters(boundaries, labels_t, lut.attenuation_db_cm_mhz, lut.air, spread)
    # echoes in a shadow fill in from its sides like the tissue above them (diffraction.py)
    echoes = (boundaries.echo * att.at_start[boundary_run]
              * boundary_fill(run_ptr, runs.row, runs.length, runs.label, att.through_start, att.own_loss,
                              att.powers, b_rows, b_cols, spread, tops)).astype(np.float32)
    pleura_row, pleura_echo, line_rows, line_cols, line_echoes = lines_and_pleura(
        boundaries, echoes, labels_t, lut.attenuation_db_cm_mhz, lut.air, row_mm)

    base, muscle, fat, nerve, any_muscle = run_gains(runs.label, gains.per_label)
    long_axis = _long_axis(muscle, maps, runs) if any_muscle else muscle
    # tissue with few scatterers (density < 1, visible) reads a dense/sparse speckle blend of its own
    density = np.clip(lut.density, 0.0, 1.0)
    wanted = (density < 0.95) & (lut.amplitude > 0.1)
    tables, table_of_label = [filtered], np.zeros(len(density), dtype=np.int64)
    for label in np.flatnonzero(wanted):
        tables.append(field.blended(float(density[label])))
        table_of_label[label] = len(tables) - 1
    tables = tuple(t.view(np.float32) for t in tables)

    tp_box, tp_factor = np.zeros(4, dtype=np.int64), np.zeros((1, 1), dtype=np.float32)
    if maps.reflectivity_gain is not None:
        (rows, cols), factor = maps.reflectivity_gain
        tp_box = np.array([rows.start, rows.stop, cols.start, cols.stop], dtype=np.int64)
        tp_factor = np.ascontiguousarray(factor.T, dtype=np.float32)
    columns = maps.speckle_cols
    if not isinstance(columns, ColumnMap):  # (start0, start1, frac) of a plain window
        columns = ColumnMap.window(*columns, int(maps.texture_col), width)
    steps = max(1, int(round(LINE_LENGTH_MM / row_mm)))
    lines = np.zeros((width, height), dtype=np.float32)
    blur = _lateral_weights(field.lateral_fwhm_px, height, EDGE_BLUR)
    kernels.deposit_lines(line_rows, line_cols, line_echoes, steps, blur, lines)

    envelope = np.empty((width, height), dtype=np.float32)
    attenuation = np.empty((width, height), dtype=np.float32)
    kernels.compose(run_ptr, runs.row.astype(np.uint64), runs.length.astype(np.uint64),
                    runs.label, table_of_label[runs.label], _fascicle_tables(maps, runs, textures), base, muscle,
                    long_axis, fat, nerve, att.through_start, att.own_loss,
                    att.powers, textures.short_axis, textures.long_minus_short, textures.fat, textures.nerve,
                    columns.texture, tables, columns.first, columns.second, columns.w0, columns.w1, tp_box, tp_factor,
                    float(CLUTTER_AMPLITUDE), np.ascontiguousarray(noise).view(np.float32), lines,
                    np.ascontiguousarray(blur.T), spread, spread_cols,
                    envelope, attenuation, np.empty((kernels.BLUR_BLOCK, height), dtype=np.float32),
                    np.empty((width, height), dtype=np.float32), bool(compound), np.uint64(TABLE_COLUMNS // 2),
                    np.uint64(TABLE_COLUMNS))
    pleura_level = _add_a_lines(envelope.T, pleura_row, pleura_echo, tgc_db, row_mm, tables[0], columns, blur,
                 np.zeros(width, np.float32) if b_lines is None else np.asarray(b_lines, dtype=np.float32))
    image = None
    if gain_db is not None:
        image = display(envelope, tgc_db[None, :], gain_db).T
    return Synthesis(envelope.T, attenuation.T, pleura_row, image, runs, pleura_level)


# ((fwhm_px array, height, share), weights): they change only with the PSF. One element, read and
# replaced at once, so a frame in the warm-up's thread never pairs a key with another answer.
_LAST_WEIGHTS: list = [None]


def _lateral_weights(fwhm_px: np.ndarray | None, height: int, share: float) -> np.ndarray:
    """(H, 2K + 1) Gaussian weights per row, FWHM share x the lateral PSF (fwhm_px[row]) that blurs
    the speckle. None: no spread. The last answer is kept (the field keeps its PSF array until the
    setting changes), so a new pose does not rebuild it."""
    if fwhm_px is None:
        return np.ones((height, 1), dtype=np.float32)
    cached = _LAST_WEIGHTS[0]
    if cached is not None and cached[0][0] is fwhm_px and cached[0][1:] == (height, share):
        return cached[1]
    weights = _gaussian_rows(fwhm_px, height, share)
    _LAST_WEIGHTS[0] = ((fwhm_px, height, share), weights)
    return weights


def _gaussian_rows(fwhm_px: np.ndarray, height: int, share: float) -> np.ndarray:
    fwhm = np.resize(np.asarray(fwhm_px, dtype=np.float32)[:height], height) * np.float32(share)
    sigma = np.maximum(fwhm / np.float32(2.0 * math.sqrt(2.0 * math.log(2.0))), np.float32(0.3))
    half = int(math.ceil(2.5 * float(sigma.max())))
    k = np.arange(-half, half + 1, dtype=np.float32)
    weights = np.exp(-0.5 * (k[None, :] / sigma[:, None]) ** 2)
    weights = (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)
    # the far taps of a narrow row are ~1e-40: products with them are subnormal floats, which the CPU
    # handles ~100x slower (the blur in kernels.compose took twice as long); they add nothing visible
    weights[weights < TINY_WEIGHT] = 0.0
    return weights


def _add_a_lines(envelope, pleura_row, pleura_echo, tgc_db, row_mm: float, table: np.ndarray, columns: ColumnMap,
                 blur: np.ndarray, b_lines: np.ndarray, count: int = 6) -> np.ndarray:
    """Reverberation below the pleura: A-lines (copies of the pleural band at whole multiples of
    its depth, each about 6 dB fainter on screen) over a faint haze that mirrors the chest wall,
    and the speckled grey of the aerated lung (LUNG_REVERB_DB under the pleural line, fading by
    LUNG_FADE_DB_PER_MM), so the pleura never looks like a bone cortex over a black shadow; and
    the case's B-lines, where b_lines (per column) says they run. The lung's level follows the
    pleural echo across columns blurred by the lateral PSF at the pleura (blur: compose's (H, 2K + 1)
    weights), so beside a rib its edge is as soft as the tissue's just above.

    The copies are set so the display (after TGC) shows them at the source's brightness less
    A_LINE_DECAY per bounce, whatever the TGC: they are an artefact of the display chain.
    envelope is the (H, W) view of a column-major array; table the speckle table as float32 pairs.
    Returns the pleural echo as shown per column (blurred; 0 where there is no pleura).
    """
    if not (pleura_row > 0).any():
        return np.zeros(pleura_row.size, dtype=np.float32)
    tgc_gain = pleura_tgc_gain(tgc_db)
    above = max(1, int(round(PLEURA_BAND_MM / row_mm)))
    below = max(1, int(round(0.3 / row_mm)))
    shown, strength, lung = pleura_levels(blurred_pleura(pleura_row, pleura_echo, tgc_gain, blur), pleura_row,
                                          np.float32(10 ** (LUNG_REVERB_DB / 20)))  # the pleura's echo as displayed
    kernels.reverberate(envelope.T, pleura_row.astype(np.int64), strength, tgc_gain, above, below, np.float32(A_LINE_DECAY),
                        np.float32(REVERB_HAZE), count, lung,
                        np.float32(-LUNG_FADE_DB_PER_MM * row_mm * math.log(10) / 20), table, columns.first, columns.second, columns.w0,
                        columns.w1, b_lines)
    return shown


def tgc_curve_db(depth_axis_mm: np.ndarray, freq_mhz: float, db_per_cm_mhz: float = TGC_DB_PER_CM_MHZ) -> np.ndarray:
    """Automatic TGC per row (dB) of db_per_cm_mhz (two-way), capped so deep noise is not blown up."""
    return np.minimum(db_per_cm_mhz * freq_mhz * np.asarray(depth_axis_mm) / 10.0, TGC_MAX_DB).astype(np.float32)


def display(envelope: np.ndarray, tgc_db: np.ndarray, gain_db: float,
            dynamic_range_db: float = DYNAMIC_RANGE_DB, out: np.ndarray | None = None) -> np.ndarray:
    """Log compression to uint8: white at DISPLAY_TOP_DB - gain, black dynamic_range_db below.

    tgc_db is per row: (H,) or (H, 1) for an (H, W) envelope, (1, H) for a column-major
    (W, H) one; or a whole (H, W) map (a sector's TGC follows the bent depth).
    """
    envelope = np.asarray(envelope, dtype=np.float32)
    if out is None:
        out = np.empty_like(envelope, dtype=np.uint8)
    gain = np.float32(20.0 * 255.0 / dynamic_range_db * math.log10(2.0))
    tgc = np.asarray(tgc_db, dtype=np.float32)
    offset = _display_offset(tgc, gain_db, dynamic_range_db)
    bits = envelope.view(np.uint32)
    transpose = bits.strides[0] < bits.strides[1]  # column-major: walk the contiguous axis innermost
    if offset.ndim == 2 and min(offset.shape) > 1:  # a grey-level offset per pixel
        offset = np.broadcast_to(offset, bits.shape)
        if transpose:
            kernels.compress_map(bits.T, offset.T, gain, out.T)
        else:
            kernels.compress_map(bits, offset, gain, out)
        return out
    row_axis = 1 if offset.ndim == 2 and offset.shape[0] == 1 else 0
    if transpose:
        kernels.compress(bits.T, offset.reshape(-1), 1 - row_axis, gain, out.T)
    else:
        kernels.compress(bits, offset.reshape(-1), row_axis, gain, out)
    return out


def display_boxes(envelope: np.ndarray, tgc_db: np.ndarray, gain_db: float, image: np.ndarray, boxes,
                  inside: np.ndarray | None = None) -> None:
    """display(envelope, ...) into image over the union of the (rows, cols) boxes, each pixel once,
    for whole column-major (H, W) envelope and image; tgc_db is (H,) per row or an (H, W) column-major
    map. inside (a sector's fan, (H, W) bool): pixels outside it turn black and their envelope 0."""
    if not boxes:
        return
    height, width = envelope.shape
    spans = np.array([(*rows.indices(height)[:2], *cols.indices(width)[:2]) for rows, cols in boxes], dtype=np.int64)
    tgc = np.asarray(tgc_db, dtype=np.float32)
    tgc_t = tgc[None, :] if tgc.ndim == 1 else tgc.T
    kernels.compress_boxes(envelope.T.view(np.uint32), tgc_t, np.float32(gain_db - DISPLAY_TOP_DB + DYNAMIC_RANGE_DB),
                           np.float32(255.0 / DYNAMIC_RANGE_DB), GREY_PER_OCTAVE, image.T, spans,
                           np.zeros((0, 0), dtype=np.bool_) if inside is None else inside, envelope.T)


def grey_offset(tgc_db, gain_db: float, dynamic_range_db: float = DYNAMIC_RANGE_DB) -> np.ndarray:
    """Grey level (before clipping) of an envelope of 1 where tgc_db applies (float32)."""
    return _display_offset(tgc_db, gain_db, dynamic_range_db)


def _display_offset(tgc_db, gain_db: float, dynamic_range_db: float = DYNAMIC_RANGE_DB) -> np.ndarray:
    """Grey level (before clipping) of an envelope of 1, wherever tgc_db applies."""
    scale = np.float32(255.0 / dynamic_range_db)
    offset = np.asarray(tgc_db, dtype=np.float32) + np.float32(gain_db - DISPLAY_TOP_DB + dynamic_range_db)
    return np.multiply(offset, scale, dtype=np.float32)
