"""The pleural line as the display shows it: what the A-lines, the lung's reverberation and its
sliding copy (synth._add_a_lines, dynamics.slide_pleura) are set from.

The reverberation is an artefact of the display chain, so it is set from the pleural echo
after TGC, blurred across columns like the tissue beside it. A few compiled passes over the
columns (they were a dozen numpy calls a frame).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_LAST_TGC_GAIN: list = [None]  # (tgc_db bytes, its amplitude factors): they change with the settings only


def tgc_gain(tgc_db) -> np.ndarray:
    """(H,) float32 amplitude factor of the TGC per row: 10^(tgc / 20)."""
    tgc = np.asarray(tgc_db, dtype=np.float32)
    key = tgc.tobytes()
    cached = _LAST_TGC_GAIN[0]  # one element, read and replaced at once: safe with the warm-up's thread
    if cached is None or cached[0] != key:
        cached = _LAST_TGC_GAIN[0] = (key, np.power(np.float32(10), tgc / np.float32(20)))
    return cached[1]


def blurred_pleura(pleura_row: np.ndarray, pleura_echo: np.ndarray, gain: np.ndarray, blur: np.ndarray) -> np.ndarray:
    """(W,) the pleural echo as displayed (pleura_echo x the TGC's gain at its row), blurred across
    columns by the lateral weights (blur: (H, 2K + 1)) of the median pleural row, as compose blurs the
    reflectivity there (the edge columns repeated beyond the image)."""
    half = (blur.shape[1] - 1) // 2
    padded, middle_row = _shown_padded(pleura_row, pleura_echo, gain, half)
    if half == 0:
        return padded
    return np.correlate(padded, blur[middle_row], mode="valid").astype(np.float32)


@njit(cache=True, nogil=True)
def _shown_padded(pleura_row, pleura_echo, gain, half):
    """The pleural echo as displayed (0 where there is no pleura) with `half` copies of its edge
    values each side, and the median pleural row."""
    width = pleura_row.size
    padded = np.empty(width + 2 * half, dtype=np.float32)
    rows = np.empty(width, dtype=np.int64)
    n = 0
    for c in range(width):
        r = pleura_row[c]
        if r > 0:
            padded[half + c] = pleura_echo[c] * gain[r]
            rows[n] = r
            n += 1
        else:
            padded[half + c] = pleura_echo[c] * gain[max(r, 0)] * np.float32(0.0)
    for k in range(half):
        padded[k] = padded[half]
        padded[half + width + k] = padded[half + width - 1]
    return padded, int(np.median(rows[:n]))


@njit(cache=True, nogil=True)
def pleura_levels(blurred, pleura_row, lung_db_factor):
    """(shown, strength, lung) of the blurred pleural echo: itself where there is a pleura (0 elsewhere),
    its square relative to the brightest (the A-lines' strength) and the lung's reverberation level."""
    width = pleura_row.size
    shown = np.empty(width, dtype=np.float32)
    top = -np.inf
    for c in range(width):
        shown[c] = blurred[c] * np.float32(1.0 if pleura_row[c] > 0 else 0.0)
        top = max(top, shown[c])
    scale = np.float32(max(np.float64(top), 1e-12))
    strength = np.empty(width, dtype=np.float32)
    lung = np.empty(width, dtype=np.float32)
    for c in range(width):
        s = min(max(shown[c] / scale, np.float32(0.0)), np.float32(1.0))
        strength[c] = s * s
        lung[c] = shown[c] * lung_db_factor
    return shown, strength, lung
