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
from numba import njit

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
    ptr: np.ndarray  # (W + 1,) int64: column c's runs are [ptr[c], ptr[c + 1])

    def box(self, which: np.ndarray):
        """(rows, cols) box around the selected runs, or None."""
        if not which.any():
            return None
        rows, cols, length = self.row[which], self.col[which], self.length[which]
        return slice(int(rows.min()), int((rows + length).max())), slice(int(cols.min()), int(cols.max()) + 1)


def plane_runs(labels_t: np.ndarray, layer_t: np.ndarray | None = None) -> Runs:
    """Runs of a column-major (W, H) label map, split where the label (or the layer) changes.

    One compiled walk down each column, eight rows at a time (a column has a dozen changes in
    512 rows, so almost every 64-bit word is one label repeated), instead of a dozen numpy
    passes over the pixels.
    """
    width, height = labels_t.shape
    labels_t = np.ascontiguousarray(labels_t, dtype=np.uint8)
    split = layer_t is not None
    layer = np.ascontiguousarray(layer_t).view(np.uint8) if split else labels_t
    capacity = 16 * width
    while True:
        tops = np.empty(capacity, dtype=np.int64)
        cols = np.empty(capacity, dtype=np.int64)
        n = _run_tops(labels_t, layer, split, _words(labels_t), _words(layer), tops, cols)
        if n >= 0:
            break
        capacity *= 4  # more than 16 runs a column on average: rare, try again with room
    row, col = tops[:n], cols[:n]
    start, length, label, boundary, ptr = _run_fields(labels_t, row, col)
    return Runs(start, col, row, length, label, boundary, (height, width), ptr)


def _words(bytes_t: np.ndarray) -> np.ndarray:
    """The whole 64-bit words of each column of a contiguous (W, H) byte map: (W, H // 8)."""
    width, height = bytes_t.shape
    whole = height // 8 * 8
    if whole == height:
        return bytes_t.view(np.uint64)
    return np.ascontiguousarray(bytes_t[:, :whole]).view(np.uint64)


@njit(cache=True, nogil=True)
def _run_tops(labels_t, layer_t, split, label_words, layer_words, tops, cols):
    """First row and column of every run, column by column; their count, or -1 if they do not fit.

    Eight rows at a time: a word XOR itself shifted down a row (the row above each byte, the
    last byte of the word before for the first) is zero where no row differs from the one
    above; only its nonzero bytes are looked at.
    """
    width, height = labels_t.shape
    capacity = tops.size
    n_words = label_words.shape[1]
    n = 0
    for c in range(width):
        lab, lay, lw, yw = labels_t[c], layer_t[c], label_words[c], layer_words[c]
        if n == capacity:
            return -1
        tops[n] = 0
        cols[n] = c
        n += 1
        before, layer_before = np.uint64(lab[0]) << np.uint64(56), np.uint64(lay[0]) << np.uint64(56)
        for k in range(n_words):
            word = lw[k]
            change = word ^ ((word << np.uint64(8)) | (before >> np.uint64(56)))
            before = word
            if split:
                layer_word = yw[k]
                change |= layer_word ^ ((layer_word << np.uint64(8)) | (layer_before >> np.uint64(56)))
                layer_before = layer_word
            if change == 0:
                continue
            for j in range(8):
                if (change >> np.uint64(8 * j)) & np.uint64(0xFF):
                    if n == capacity:
                        return -1
                    tops[n] = 8 * k + j
                    cols[n] = c
                    n += 1
        for r in range(max(8 * n_words, 1), height):  # the rows after the last whole word
            if lab[r] != lab[r - 1] or (split and lay[r] != lay[r - 1]):
                if n == capacity:
                    return -1
                tops[n] = r
                cols[n] = c
                n += 1
    return n


@njit(cache=True, nogil=True)
def _run_fields(labels_t, row, col):
    """(start, length, label, boundary, ptr) of the runs starting at (row, col) (see Runs)."""
    width, height = labels_t.shape
    n = row.size
    ptr = np.empty(width + 1, dtype=np.int64)
    ptr[width] = n
    for i in range(n - 1, -1, -1):  # every column has a run at row 0: its first run
        if row[i] == 0:
            ptr[col[i]] = i
    start = np.empty(n, dtype=np.int64)
    length = np.empty(n, dtype=np.int64)
    label = np.empty(n, dtype=np.intp)
    boundary = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        c, top = col[i], row[i]
        start[i] = c * height + top
        end = row[i + 1] if i + 1 < n and col[i + 1] == c else height
        length[i] = end - top
        label[i] = labels_t[c, top]
        boundary[i] = top > 0 and labels_t[c, top] != labels_t[c, top - 1]
    return start, length, label, boundary, ptr


def run_blobs(runs: Runs, label_id: int):
    """Connected blobs (4-connected, like scipy.ndimage.label) of one tissue, from the runs alone.

    Returns [((rows, cols) box, (h, w) bool mask)] in the order of each blob's first pixel
    scanning the image row by row, as ndimage.label numbers them; no pass over the pixels.
    """
    boxes, member, order = _run_components(runs.col, runs.row, runs.length, runs.label, label_id)
    if boxes.shape[0] == 0:
        return []
    out = []
    for k in order:
        r0, r1, c0, c1 = (int(v) for v in boxes[k])
        mask = np.zeros((c1 - c0, r1 - r0), dtype=np.bool_)
        _paint(mask, member, k, runs.col, runs.row, runs.length, c0, r0)
        out.append(((slice(r0, r1), slice(c0, c1)), mask.T))
    return out


@njit(cache=True, nogil=True, inline="always")
def _root(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@njit(cache=True, nogil=True)
def _run_components(col, row, length, label, label_id):
    """Union-find over the runs of label_id: runs touch when they share a row in neighbouring
    columns or follow each other down a column. Returns each component's [r0, r1, c0, c1) box,
    each run's component (-1: another tissue) and the components in raster order of their first pixel."""
    n = col.size
    parent = np.arange(n)
    prev_lo, prev_hi = 0, 0  # this label's runs in the previous column: indices [prev_lo, prev_hi)
    i = 0
    while i < n:
        c = col[i]
        j = i
        while j < n and col[j] == c:
            j += 1
        # runs i..j-1 are column c; walk them against the previous column's with two pointers
        p = prev_lo
        last = -1
        for k in range(i, j):
            if label[k] != label_id:
                last = -1
                continue
            if last >= 0:  # directly below another run of the same tissue (a layer split)
                a, b = _root(parent, last), _root(parent, k)
                parent[max(a, b)] = min(a, b)
            last = k
            top, end = row[k], row[k] + length[k]
            while p < prev_hi and row[p] + length[p] <= top:
                p += 1
            q = p
            while q < prev_hi and row[q] < end:
                if label[q] == label_id:
                    a, b = _root(parent, q), _root(parent, k)
                    parent[max(a, b)] = min(a, b)
                q += 1
        prev_lo, prev_hi = i, j
        i = j
    member = np.full(n, -1, dtype=np.int64)
    count = 0
    index = np.full(n, -1, dtype=np.int64)
    for k in range(n):
        if label[k] == label_id:
            r = _root(parent, k)
            if index[r] < 0:
                index[r] = count
                count += 1
            member[k] = index[r]
    boxes = np.empty((count, 4), dtype=np.int64)
    first = np.empty((count, 2), dtype=np.int64)  # (row, col) of the first pixel row by row
    for m in range(count):
        boxes[m, 0], boxes[m, 1], boxes[m, 2], boxes[m, 3] = 1 << 62, -1, 1 << 62, -1
        first[m, 0], first[m, 1] = 1 << 62, 1 << 62
    for k in range(n):
        m = member[k]
        if m < 0:
            continue
        top, end, c = row[k], row[k] + length[k], col[k]
        boxes[m, 0] = min(boxes[m, 0], top)
        boxes[m, 1] = max(boxes[m, 1], end)
        boxes[m, 2] = min(boxes[m, 2], c)
        boxes[m, 3] = max(boxes[m, 3], c + 1)
        if top < first[m, 0] or (top == first[m, 0] and c < first[m, 1]):
            first[m, 0], first[m, 1] = top, c
    order = np.argsort(first[:, 0] * (1 << 31) + first[:, 1])
    return boxes, member, order


@njit(cache=True, nogil=True)
def _paint(mask_t, member, which, col, row, length, c0, r0):
    """Set the pixels of component `which` in a column-major (w, h) mask whose corner is (r0, c0)."""
    for k in range(member.size):
        if member[k] == which:
            column = mask_t[col[k] - c0]
            for r in range(row[k] - r0, row[k] + length[k] - r0):
                column[r] = True


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
    own_loss, at_start, through_start = _attenuate(runs.row, runs.length, runs.label, runs.boundary,
                                                   np.asarray(loss_db), per_row_db, DB_TO_LOG_AMPLITUDE)
    return RunAttenuation(own_loss, at_start, through_start, _powers(per_row_db, runs.shape[0]))


@njit(cache=True, nogil=True)
def _attenuate(row, length, label, boundary, loss_db, per_row_db, k):
    """(own_loss, at_start, through_start) of RunAttenuation in one pass over the runs.

    Everything above a run is a prefix sum over the whole plane (in run order) less its value at
    the column's first run, summed in that order (as numpy's cumsum did) so the factors come out
    the same to the bit.
    """
    n = row.size
    own_loss = np.empty(n)
    at_start = np.empty(n)
    through_start = np.empty(n)
    total = 0.0  # prefix sum of the increments over the plane
    column_first = 0.0
    b = 0
    for i in range(n):
        loss = 0.0
        if boundary[i]:
            loss = np.float64(loss_db[b])
            b += 1
        increment = per_row_db[label[i]] * length[i] + loss
        total += increment
        before = total - increment
        if row[i] == 0:
            column_first = before
        before -= column_first
        own_loss[i] = loss * k
        at_start[i] = math.exp(before * k)
        through_start[i] = math.exp((before + loss) * k)
    return own_loss, at_start, through_start


_LAST_POWERS: list = [None]  # (key, table): one element, read and replaced at once (threads)


def _powers(per_row_db: np.ndarray, height: int) -> np.ndarray:
    """(labels, H) float32 factor after k rows of each tissue; depends only on the settings, so the last
    table is kept (a new pose at the same settings reuses it)."""
    key = (per_row_db.tobytes(), height)
    cached = _LAST_POWERS[0]
    if cached is None or cached[0] != key:
        table = np.exp(np.outer(per_row_db * DB_TO_LOG_AMPLITUDE, np.arange(height))).astype(np.float32)
        table.setflags(write=False)
        cached = _LAST_POWERS[0] = (key, table)
    return cached[1]
