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

from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound.interfaces import Boundaries, add_lines, reflections

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

    labels: np.ndarray  # (H, W) uint8
    fibre_angle_deg: np.ndarray | None  # (H, W) 0 long axis .. 90 short axis (0 where no muscle)
    reflectivity_gain: tuple | None  # ((rows, cols) box, (h, w) factor) extra amplitude (trigger points)
    speckle_cols: tuple  # (start0, start1, frac) from ScattererField.columns
    texture_col: int  # first column of the texture window


@dataclass(frozen=True, eq=False)
class Synthesis:
    envelope: np.ndarray  # (H, W) float32 received envelope (before TGC)
    attenuation: np.ndarray  # (H, W) float32 two-way amplitude factor reaching each pixel
    pleura_row: np.ndarray  # (W,) int row of the air interface, -1 where none


_COS2_BY_DEG = (np.cos(np.radians(np.arange(91))) ** 2).astype(np.float32)


def reflectivity(maps: PlaneMaps, lut: TissueLut, textures, index: np.ndarray) -> np.ndarray:
    """Echo amplitude per pixel: tissue level x septa, fascicles and fat lobules.

    Muscle mixes long-axis (pennate lines) and short-axis (dots) texture by the fibres'
    angle to the plane: t = S + cos^2(angle) * (L - S); rho = A[label] + G[label] * t.
    """
    height, width = maps.labels.shape
    c0 = maps.texture_col
    window = (slice(0, height), slice(c0, c0 + width))
    kind = lut.texture
    amp = lut.amplitude
    base = np.where(kind == TEXTURE_FAT, 0.6, np.where(kind == TEXTURE_NERVE, 0.3, 1.0)) * amp
    gain = np.where(kind == TEXTURE_MUSCLE, TEXTURE_GAIN[TEXTURE_MUSCLE], 0.0) * amp
    rho = np.take(base.astype(np.float32), index, mode="clip")
    if gain.any():
        if maps.fibre_angle_deg is not None:
            c2 = np.take(_COS2_BY_DEG, maps.fibre_angle_deg.astype(np.intp), mode="clip")
            t = c2 * textures.long_minus_short[window]
            t += textures.short_axis[window]
        else:
            t = textures.long_axis[window].copy()
        t *= np.take(gain.astype(np.float32), index, mode="clip")
        rho += t
    for tissue_kind, table, scale in ((TEXTURE_FAT, textures.fat, TEXTURE_GAIN[TEXTURE_FAT]),
                                      (TEXTURE_NERVE, textures.nerve, 2.5)):
        is_kind = kind == tissue_kind
        if not is_kind.any():
            continue
        box = _box_of(is_kind[maps.labels[:, ::4]], step=4)  # a coarse look first; structures are > 4 px
        if box is None:
            continue
        rows, cols = box
        sub = maps.labels[rows, cols]
        sub_gain = np.take((np.where(is_kind, scale, 0.0) * amp).astype(np.float32), sub, mode="clip")
        rho[rows, cols] += sub_gain * table[rows, c0 + cols.start: c0 + cols.stop]
    return rho


def _box_of(mask: np.ndarray, step: int = 1):
    """Rows and columns around the True pixels of a mask sampled every `step` columns (one step of margin)."""
    rows = np.nonzero(mask.any(axis=1))[0]
    if rows.size == 0:
        return None
    cols = np.nonzero(mask[rows[0]: rows[-1] + 1].any(axis=0))[0]
    width = mask.shape[1] * step
    return slice(rows[0], rows[-1] + 1), slice(max(cols[0] * step - step, 0), min(cols[-1] * step + 2 * step, width))


def synthesize(maps: PlaneMaps, lut: TissueLut, field, filtered: np.ndarray, textures, noise: np.ndarray,
               freq_mhz: float, row_mm: float, tgc_db: np.ndarray, aspect: float = 1.0) -> Synthesis:
    labels = maps.labels
    height, width = labels.shape
    index = labels.astype(np.intp)
    rho = reflectivity(maps, lut, textures, index)
    if maps.reflectivity_gain is not None:
        (rows, cols), factor = maps.reflectivity_gain
        rho[rows, cols] *= factor
    rho += np.float32(CLUTTER_AMPLITUDE)
    boundaries = reflections(labels, lut.impedance_mrayl, lut.wall, aspect)
    attenuation = _attenuation(index, boundaries, lut, freq_mhz, row_mm)

    rho *= attenuation
    speckle = field.sample(filtered, height, width, *maps.speckle_cols)
    _mix_sparse(speckle, maps, lut, field)
    speckle *= rho
    echoes = add_lines(speckle, boundaries, attenuation, row_mm)
    # receiver noise only matters where the echoes have faded toward it
    faint = np.nonzero(rho.max(axis=1) < np.float32(1e3 * NOISE_AMPLITUDE))[0]
    start = int(faint[0]) if faint.size else height
    speckle[start:] += noise[start:]
    envelope = np.abs(speckle)

    pleura_row, pleura_echo = _air_rows(labels, lut, boundaries, echoes, width)
    _add_a_lines(envelope, pleura_row, pleura_echo, tgc_db, row_mm)
    return Synthesis(envelope, attenuation, pleura_row)


def _mix_sparse(speckle: np.ndarray, maps: PlaneMaps, lut: TissueLut, field) -> None:
    """Tissues with few scatterers (density < 1) blend in the sparse field: sqrt(d) dense + sqrt(1 - d) sparse.

    Only visible tissues are worth it (anechoic fluids have next to no echo anyway), and
    only inside the box that holds them.
    """
    density = np.clip(lut.density, 0.0, 1.0)
    wanted = (density < 0.95) & (lut.amplitude > 0.1)
    if not wanted.any():
        return
    box = _box_of(wanted[maps.labels[:, ::4]], step=4)
    if box is None:
        return
    rows, cols = box
    height, width = speckle.shape
    start0, start1, frac = maps.speckle_cols
    sparse = field.sample(field.filtered_sparse(), height, width, start0, start1, frac, box)
    d = np.where(wanted, density, 1.0)
    sub = maps.labels[rows, cols]
    region = speckle[rows, cols]
    region *= np.take(np.sqrt(d).astype(np.float32), sub, mode="clip")
    sparse *= np.take(np.sqrt(1.0 - d).astype(np.float32), sub, mode="clip")
    region += sparse


def _attenuation(index: np.ndarray, boundaries: Boundaries, lut: TissueLut, freq_mhz: float, row_mm: float):
    """Two-way amplitude factor reaching each pixel: absorption and boundary losses above it."""
    height, width = index.shape
    per_row_db = (lut.attenuation_db_cm_mhz * (2.0 * freq_mhz * row_mm / 10.0)).astype(np.float32)
    buf = np.empty((height, width), dtype=np.float32)
    buf[0] = 0.0
    np.take(per_row_db, index[:-1], out=buf[1:], mode="clip")  # exclusive: a pixel's echo has not crossed itself
    below = boundaries.rows + 1  # a boundary's loss applies to the rows under its first row
    ok = below < height
    buf[below[ok], boundaries.cols[ok]] += boundaries.loss_db[ok]
    np.cumsum(buf, axis=0, out=buf)
    buf *= np.float32(-np.log(10) / 20)
    return np.exp(buf, out=buf)


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
    """Log compression to uint8: white at DISPLAY_TOP_DB - gain, black dynamic_range_db below."""
    level = np.log10(np.maximum(envelope, np.float32(1e-12)))
    level *= np.float32(20.0)
    level += tgc_db[:, None] if np.ndim(tgc_db) == 1 else tgc_db
    level += np.float32(gain_db - DISPLAY_TOP_DB + dynamic_range_db)
    level *= np.float32(255.0 / dynamic_range_db)
    np.clip(level, 0, 255, out=level)
    if out is None:
        return level.astype(np.uint8)
    out[...] = level
    return out
