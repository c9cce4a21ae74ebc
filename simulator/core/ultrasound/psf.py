"""Point spread function of the scanner: axial pulse length and lateral beam width per depth.

The baseband (I/Q) PSF is a real Gaussian: axially the two-way pulse, laterally about
wavelength x f-number at the transmit focus, widening away from it. Kernels are sampled
in space (compact, normalised to unit energy) so a PSF narrower than a pixel does not ring.
"""

from __future__ import annotations

import math

import numpy as np

SOUND_SPEED_MM_PER_US = 1.54  # conventional soft-tissue assumption, docs/sources.md [97]
FRACTIONAL_BANDWIDTH = 0.6  # -6 dB bandwidth / centre frequency of a broadband linear probe
ACTIVE_APERTURE_MM = 12.0  # transmit aperture; f-number = focus / aperture, kept in a usable range
F_NUMBER_RANGE = (1.5, 4.0)
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


def wavelength_mm(freq_mhz: float) -> float:
    return SOUND_SPEED_MM_PER_US / freq_mhz


def axial_fwhm_mm(freq_mhz: float, bandwidth: float = FRACTIONAL_BANDWIDTH) -> float:
    """Range resolution of a Gaussian pulse: c * (time-bandwidth product 0.883) / (2 * bandwidth)."""
    return 0.883 * wavelength_mm(freq_mhz) / (2.0 * bandwidth)


def f_number(focus_mm: float) -> float:
    lo, hi = F_NUMBER_RANGE
    return min(max(focus_mm / ACTIVE_APERTURE_MM, lo), hi)


def lateral_fwhm_mm(freq_mhz: float, focus_mm: float, depth_mm) -> np.ndarray:
    """Beam width: lambda * F# at the focus, widening like a Gaussian beam away from it.

    The Rayleigh range is floored at half the focal depth because a real scanner focuses
    dynamically on receive, so the beam widens less than a single fixed focus would.
    """
    fnum = f_number(focus_mm)
    waist = wavelength_mm(freq_mhz) * fnum
    rayleigh_mm = max(3.5 * wavelength_mm(freq_mhz) * fnum**2, 0.5 * focus_mm, 2.0)
    depth = np.asarray(depth_mm, dtype=float)
    return waist * np.sqrt(1.0 + ((depth - focus_mm) / rayleigh_mm) ** 2)


def gaussian_kernel(fwhm_px: float) -> np.ndarray:
    """Compact spatial kernel (+-3 sigma, at least 3 taps) with unit energy (sum of squares 1)."""
    sigma = max(fwhm_px, 1e-3) / FWHM_PER_SIGMA
    half = max(1, int(math.ceil(3.0 * sigma)))
    x = np.arange(-half, half + 1, dtype=float)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / np.sqrt(np.sum(k * k))


def circular_transfer(kernel: np.ndarray, n: int) -> np.ndarray:
    """DFT of a centred compact kernel wrapped onto n samples (circular convolution)."""
    padded = np.zeros(n, dtype=float)
    half = len(kernel) // 2
    idx = (np.arange(len(kernel)) - half) % n
    np.add.at(padded, idx, kernel)
    return np.fft.fft(padded)


def lateral_transfer_rows(fwhm_px_per_row: np.ndarray, n: int) -> np.ndarray:
    """(rows, n) complex64 transfer functions, one per row's lateral kernel.

    Rows with (almost) the same width share one kernel so this stays cheap.
    """
    rounded = np.round(np.asarray(fwhm_px_per_row, dtype=float), 2)
    out = np.empty((len(rounded), n), dtype=np.complex64)
    cache: dict[float, np.ndarray] = {}
    for i, w in enumerate(rounded):
        if w not in cache:
            cache[w] = circular_transfer(gaussian_kernel(w), n).astype(np.complex64)
        out[i] = cache[w]
    return out
