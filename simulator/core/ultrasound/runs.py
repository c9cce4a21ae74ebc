"""A plane's label map as runs: each image column is a few runs of rows with one tissue.

Everything that depends only on the tissue (echo level, texture gains, speckle table,
attenuation) is worked out per run, a few thousand values instead of 262k pixels, and the
compiled pass (kernels.compose) walks the runs. Attenuation is a prefix sum down each
column, so it is a prefix sum over the runs: no cumulative sum over the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DB_TO_LOG_AMPLITUDE = -math.log(10) / 20  # exp(db * this) is the amplitude factor of a loss of db


@dataclass(frozen=True, eq=False)
class Runs:
    """Runs ordered by column, then row; `start` is the flat column-major index col * H + row."""

    start: np.ndarray  # (n,) int64
    col: np.ndarray
    row: np.ndarray
    length: np.ndarray
    label: np.ndarray  # (n,) intp
    boundary: np.ndarray  # (n,) bool: the run starts below a label change (a reflecting interface)
    shape: tuple  # (H, W)

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


@dataclass(frozen=True, eq=False)
class RunAttenuation:
    """Amplitude factor at row r of run i: through_start[i] x powers[label[i], r - row[i]], except on the
    run's first row, which has not crossed the run's own boundary yet (at_start[i]).
    """

    own_loss: np.ndarray  # (n,) float64 log-amplitude of the run's boundary loss (0: none)
    at_start: np.ndarray  # (n,) float64 amplitude factor at each run's first row
    through_start: np.ndarray  # (n,) float64 the same once through the run's boundary (the rows below it)
    powers: np.ndarray  # (labels, H) float32 factor after k rows of each tissue: the run's factor = through x powers


def run_attenuation(runs: Runs, loss_db: np.ndarray, attenuation_db_cm_mhz: np.ndarray, freq_mhz: float,
                    row_mm: float) -> RunAttenuation:
    """Two-way absorption down each column plus the transmission loss of every boundary above.

    loss_db is the two-way loss of each boundary run (runs.boundary), in order.
    """
    per_row_db = attenuation_db_cm_mhz.astype(np.float64) * (2.0 * freq_mhz * row_mm / 10.0)
    rate = per_row_db[runs.label]
    loss = np.zeros(runs.start.size)
    loss[runs.boundary] = loss_db
    increment = rate * runs.length + loss
    before = np.cumsum(increment) - increment  # everything above each run, over the whole plane
    before -= before[np.flatnonzero(runs.row == 0)][runs.col]  # ... within its own column
    k = DB_TO_LOG_AMPLITUDE
    powers = np.exp(np.outer(per_row_db * k, np.arange(runs.shape[0]))).astype(np.float32)
    return RunAttenuation(loss * k, np.exp(before * k), np.exp((before + loss) * k), powers)
