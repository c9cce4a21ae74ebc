"""Tissue texture on the same world lattice as the speckle: septa, fascicles, fat lobules.

Each pattern is smooth random noise shaped by an anisotropic filter and thresholded into
thin bright streaks (docs/sources.md [75][76]):
- muscle, long axis: oblique parallel lines at the pennation angle (the "feather" look);
- muscle, short axis: scattered bright dots and short lines ("starry night");
- fat: bright septa running roughly parallel to the skin;
- nerve: dark fascicles inside a bright epineurium ("honeycomb").
The engine mixes long- and short-axis texture by the fibres' angle to the image plane.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft as sfft

from simulator.core.ultrasound.speckle import column_major

PENNATION_DEG = 12.0  # default angle of fibres to the skin in long axis (schema default)


def _shaped_noise(rng, shape, row_mm, col_mm, along_mm, across_mm, angle_deg) -> np.ndarray:
    """White noise filtered by an oriented Gaussian (correlation lengths along/across), unit std."""
    return _shaped(rng.standard_normal(shape, dtype=np.float32), row_mm, col_mm, along_mm, across_mm, angle_deg)


def _shaped(noise, row_mm, col_mm, along_mm, across_mm, angle_deg) -> np.ndarray:
    """`noise` filtered by an oriented Gaussian; one noise can be shaped at several angles."""
    shape = noise.shape
    fz = sfft.fftfreq(shape[0], d=row_mm)[:, None]
    fx = sfft.fftfreq(shape[1], d=col_mm)[None, :]
    a = math.radians(angle_deg)
    # direction along the streak in (x = lateral, z = depth) is (cos a, sin a)
    f_along = fx * math.cos(a) + fz * math.sin(a)
    f_across = -fx * math.sin(a) + fz * math.cos(a)
    transfer = np.exp(-2.0 * math.pi**2 * ((f_along * along_mm) ** 2 + (f_across * across_mm) ** 2))
    out = sfft.ifft2(sfft.fft2(noise, workers=2) * transfer.astype(np.float32), workers=2).real.astype(np.float32)
    out /= max(float(out.std()), 1e-6)
    return out


def _streaks(field: np.ndarray, threshold: float) -> np.ndarray:
    """Keep only the crests above a threshold: sparse bright structures, 0..~1."""
    out = np.clip(field - threshold, 0.0, None)
    peak = float(np.percentile(out[out > 0], 95)) if np.any(out > 0) else 1.0
    return np.clip(out / peak, 0.0, 1.5).astype(np.float32)


class TextureTables:
    """Texture patterns for one lattice pitch; gathered with the same indices as the speckle.

    Column-major like the speckle tables: (columns + pad, keep_rows). The long-axis fascicles
    come once per pennation angle (muscles of one case differ), all shaped from one noise so a
    case with one angle draws the same random numbers as before: `long_minus_short` is
    (angles, columns + pad, keep_rows), indexed by the run's muscle (kernels.compose).
    """

    def __init__(self, rng: np.random.Generator, rows: int, columns: int, row_mm: float, col_mm: float,
                 pennations_deg=(PENNATION_DEG,), pad: int = 512, keep_rows: int | None = None):
        keep = rows if keep_rows is None else min(int(keep_rows), rows)
        shape = (rows, columns)
        self.row_mm, self.col_mm = row_mm, col_mm
        self.pennations_deg = tuple(float(a) for a in np.atleast_1d(pennations_deg))
        fascicle_noise = rng.standard_normal(shape, dtype=np.float32)
        long_axis = [_streaks(_shaped(fascicle_noise, row_mm, col_mm, 3.5, 0.09, angle), 0.8)
                     for angle in self.pennations_deg]
        self.short_axis = _streaks(_shaped_noise(rng, shape, row_mm, col_mm, 0.25, 0.12, 0.0), 1.3)
        wavy = _shaped_noise(rng, shape, row_mm, col_mm, 5.0, 0.12, 4.0)
        self.fat = _streaks(wavy, 1.5)
        # honeycomb: sum of three cosines 120 deg apart
        z = (np.arange(rows) * row_mm)[:, None]
        x = (np.arange(columns) * col_mm)[None, :]
        k = 2.0 * math.pi / 0.5  # fascicles about 0.5 mm across
        hexagon = sum(np.cos(k * (x * math.cos(t) + z * math.sin(t))) for t in (0.0, 2.1, 4.2))
        self.nerve = np.clip((1.2 - hexagon) / 2.5, 0.1, 1.0).astype(np.float32)
        # windows of `pad` columns are plain slices, like the speckle table
        self.short_axis, self.fat, self.nerve = (
            column_major(t, pad, keep) for t in (self.short_axis, self.fat, self.nerve))
        # the short-axis table is read as S + c2 * (L - S): keep L - S ready, one per angle
        self.long_minus_short = np.stack([column_major(t, pad, keep) - self.short_axis for t in long_axis])
