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

from simulator.core.ultrasound.interfaces import reflections, spread_lines

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
    attenuation_db_cm_mhz: np.ndarray
    impedance_mrayl: np.ndarray
    texture: np.ndarray  # TEXTURE_* per label
    wall: np.ndarray  # extra boundary echo of structures with a wall (vessels, nerves)
    air: np.ndarray  # bool: reflections from this label echo as A-lines (lung)


@dataclass(frozen=True, eq=False)
class PlaneMaps:
    """What the plane cuts, plus where its pixels sit on the world lattice."""

    labels: np.ndarray  # (H, W) uint8
    fibre_angle_deg: np.ndarray | None  # (H, W) 0 long axis .. 90 short axis
    reflectivity_gain: np.ndarray | None  # (H, W) extra amplitude factor (trigger points)
    table_rows: object  # slice or (H, W) int rows into the lattice tables
    speckle_cols: tuple  # (idx0, idx1, frac) from ScattererField.columns
    texture_cols: np.ndarray  # (W,) or (H, W)


@dataclass(frozen=True, eq=False)
class Synthesis:
    envelope: np.ndarray  # (H, W) float32 received envelope (before TGC)
    attenuation: np.ndarray  # (H, W) float32 two-way amplitude factor reaching each pixel
    pleura_row: np.ndarray  # (W,) int row of the air interface, -1 where none


def _gather(table: np.ndarray, rows, cols) -> np.ndarray:
    if np.ndim(cols) == 1:
        return np.take(table[rows], cols, axis=1)
    return table[rows, cols]


def texture_map(maps: PlaneMaps, lut: TissueLut, textures) -> np.ndarray:
    """Reflectivity multiplier from septa, fascicles and fat lobules (1 where plain)."""
    kind = lut.texture[maps.labels]
    out = np.ones(maps.labels.shape, dtype=np.float32)
    rows, cols = maps.table_rows, maps.texture_cols
    muscle = kind == TEXTURE_MUSCLE
    if muscle.any():
        angle = maps.fibre_angle_deg if maps.fibre_angle_deg is not None else np.zeros_like(out)
        c2 = np.cos(np.radians(angle, dtype=np.float32)) ** 2
        long_axis = _gather(textures.long_axis, rows, cols).astype(np.float32)
        short_axis = _gather(textures.short_axis, rows, cols).astype(np.float32)
        septa = c2 * long_axis + (1 - c2) * short_axis
        out = np.where(muscle, 1 + TEXTURE_GAIN[TEXTURE_MUSCLE] * septa, out)
    fat = kind == TEXTURE_FAT
    if fat.any():
        septa = _gather(textures.fat, rows, cols).astype(np.float32)
        out = np.where(fat, 0.6 + TEXTURE_GAIN[TEXTURE_FAT] * septa, out)
    nerve = kind == TEXTURE_NERVE
    if nerve.any():
        honeycomb = _gather(textures.nerve, rows, cols).astype(np.float32)
        out = np.where(nerve, 0.3 + 2.5 * honeycomb, out)
    return out


def synthesize(maps: PlaneMaps, lut: TissueLut, field, filtered: np.ndarray, textures, noise: np.ndarray,
               freq_mhz: float, row_mm: float, tgc_db: np.ndarray, aspect: float = 1.0) -> Synthesis:
    labels = maps.labels
    rho = lut.amplitude[labels] * texture_map(maps, lut, textures)
    if maps.reflectivity_gain is not None:
        rho *= maps.reflectivity_gain
    rho += np.float32(CLUTTER_AMPLITUDE)
    spec, loss_db, coeff = reflections(labels, lut.impedance_mrayl, lut.wall, aspect)

    # attenuation: two-way dB per pixel, accumulated down each scan line. A pixel's echo has
    # crossed half of its own thickness but not yet its own boundary's transmission loss.
    absorbed = lut.attenuation_db_cm_mhz[labels] * np.float32(2.0 * freq_mhz * row_mm / 10.0)
    cumulative = np.cumsum(loss_db + absorbed, axis=0, dtype=np.float32)
    cumulative -= loss_db
    cumulative -= np.float32(0.5) * absorbed
    attenuation = np.exp(cumulative * np.float32(-np.log(10) / 20))

    speckle = field.sample(filtered, maps.table_rows, *maps.speckle_cols)
    speckle *= rho
    speckle *= attenuation
    spec *= attenuation
    lines = spread_lines(spec, row_mm)
    speckle += lines
    speckle += noise
    envelope = np.abs(speckle)

    pleura_row = _air_rows(labels, lut, coeff)
    _add_a_lines(envelope, pleura_row, lines, tgc_db, row_mm)
    return Synthesis(envelope, attenuation, pleura_row)


def _air_rows(labels, lut: TissueLut, coeff) -> np.ndarray:
    """Row of the first boundary into air (lung) in each column, -1 where there is none."""
    air = lut.air[labels] & (coeff < -0.5)
    has = air.any(axis=0)
    rows = np.argmax(air, axis=0)
    return np.where(has, rows, -1)


def _add_a_lines(envelope, pleura_row, lines, tgc_db, row_mm: float, count: int = 6) -> None:
    """Copies of the pleural line at whole multiples of its depth, each about 6 dB fainter on screen.

    The copies are set so the display (after TGC) shows them at the pleura's brightness
    less A_LINE_DECAY per bounce, whatever the TGC: they are an artefact of the display chain.
    """
    cols = np.nonzero(pleura_row > 0)[0]
    if cols.size == 0:
        return
    height = envelope.shape[0]
    p = pleura_row[cols]
    base = lines[p, cols]
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
