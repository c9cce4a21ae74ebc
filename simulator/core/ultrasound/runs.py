"""A plane's label map as runs: each image column is a few runs of rows with one tissue.

Everything that depends only on the tissue (echo level, texture gains, sparse-speckle
weights, attenuation) is worked out per run, a few thousand values instead of 262k
pixels, and expanded with np.repeat, which writes a column-major (W, H) block in one
cheap pass. Attenuation is a prefix sum down each column, so it is a prefix sum over the
runs: no cumulative sum over the image.
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

    def span(self, col0: int, col1: int) -> slice:
        """The runs of columns col0..col1 - 1 (a contiguous range, as runs are ordered by column)."""
        first = np.searchsorted(self.col, (col0, col1), side="left")
        return slice(int(first[0]), int(first[1]))

    def expand(self, per_run: np.ndarray, runs: slice | None = None) -> np.ndarray:
        """A per-run value as a contiguous column-major float32 block: (W, H), or the columns of `runs`."""
        height = self.shape[0]
        runs = runs if runs is not None else slice(0, self.start.size)
        values = np.repeat(per_run[runs].astype(np.float32, copy=False), self.length[runs])
        return values.reshape(-1, height)

    def expand_rows(self, per_run: np.ndarray, span: slice, rows: slice) -> np.ndarray:
        """Like expand over the columns of `span`, but only rows.start..rows.stop: (cols, rows) float32."""
        top = self.row[span]
        end = np.minimum(top + self.length[span], rows.stop)
        lengths = np.maximum(end - np.maximum(top, rows.start), 0)
        values = np.repeat(per_run[span].astype(np.float32, copy=False), lengths)
        return values.reshape(-1, rows.stop - rows.start)

    def box(self, which: np.ndarray):
        """(rows, cols) box around the selected runs, or None."""
        if not which.any():
            return None
        rows, cols, length = self.row[which], self.col[which], self.length[which]
        return slice(int(rows.min()), int((rows + length).max())), slice(int(cols.min()), int(cols.max()) + 1)

    def boxes(self, which: np.ndarray, gap_rows: int = 16) -> list[tuple[slice, slice]]:
        """(rows, cols) boxes around the selected runs, one per band of rows (two fat layers -> two thin boxes)."""
        if not which.any():
            return []
        height = self.shape[0]
        top, bottom, cols = self.row[which], self.row[which] + self.length[which], self.col[which]
        # rows covered by any selected run, gaps shorter than gap_rows bridged
        depth = np.cumsum(np.bincount(top, minlength=height + 1) - np.bincount(bottom, minlength=height + 1))
        covered = np.flatnonzero(depth[:height] > 0)
        breaks = np.flatnonzero(np.diff(covered) > gap_rows + 1)
        firsts = covered[np.concatenate([[0], breaks + 1])]
        lasts = covered[np.concatenate([breaks, [covered.size - 1]])]
        if firsts.size == 1:
            return [(slice(int(firsts[0]), int(lasts[0]) + 1), slice(int(cols.min()), int(cols.max()) + 1))]
        band = np.searchsorted(firsts, top, side="right") - 1
        lo = np.full(firsts.size, np.iinfo(np.int64).max)
        hi = np.full(firsts.size, -1)
        np.minimum.at(lo, band, cols)
        np.maximum.at(hi, band, cols)
        return [(slice(int(a), int(b) + 1), slice(int(c), int(d) + 1)) for a, b, c, d in zip(firsts, lasts, lo, hi)]


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
    """log amplitude factor at row r of run i: offset[i] + slope[i] * r, less own_loss[i] on its first row.

    (A pixel's echo has not crossed its own run's boundary, the rows below it have.)
    """

    offset: np.ndarray  # (n,) float32
    slope: np.ndarray  # (n,) float32
    own_loss: np.ndarray  # (n,) float32 log-amplitude of the run's boundary loss (<= 0 means none)
    at_start: np.ndarray  # (n,) float64 amplitude factor at each run's first row

    def fill(self, runs: Runs, span: slice, out: np.ndarray) -> np.ndarray:
        """Amplitude factors of the columns of `span` into out (cols, H), in place."""
        height = runs.shape[0]
        lengths = runs.length[span]
        out.ravel()[:] = np.repeat(self.offset[span], lengths)
        slope = np.repeat(self.slope[span], lengths).reshape(-1, height)
        slope *= np.arange(height, dtype=np.float32)
        out += slope
        lossy = np.flatnonzero(self.own_loss[span])
        if lossy.size:
            first = runs.start[span][lossy] - runs.start[span.start] if span.stop > span.start else lossy
            out.ravel()[first] -= self.own_loss[span][lossy]
        return np.exp(out, out=out)


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
    offset = ((before + loss - rate * runs.row) * k).astype(np.float32)
    return RunAttenuation(offset, (rate * k).astype(np.float32), (loss * k).astype(np.float32), np.exp(before * k))
