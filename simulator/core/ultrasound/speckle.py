"""Speckle from scatterers frozen in tissue coordinates.

The scatterers live on a lattice anchored in the world: rows are depth steps of one image
row (from the skin), columns are steps of one image column along the probe's axis,
measured from the world origin. A plane's pixels therefore read the same scatterers
whenever they look at the same tissue: the same pose gives the same frame, and sliding
the probe along its axis slides the speckle with the tissue instead of boiling it.

Because that lattice is the pixel grid, the PSF convolution is done once per scanner
setting on the whole periodic table (circularly, with compact spatial kernels) and a
frame only gathers the already-filtered speckle: speckle x tissue, as the cache needs.
Filtered tables are stored column-major, (lattice column, depth row), and cut to the image
height, so the window a frame reads is one contiguous block (see synth.py on the layout).
Across the plane (elevation) the field changes every ELEVATION_CELL_MM; two neighbouring
elevation layers are blended so a sideways slide decorrelates the speckle gradually.
Rotation: the lattice is laid along a reference heading (every REFERENCE_BIN_DEG); a plane
turned a little from it cuts the lattice obliquely, so each image column has its own
lattice column and elevation. A small rotation therefore keeps the speckle at the centre
and decorrelates it toward the sides, as real scatterers would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.fft as sfft
from numba import njit

from simulator.core.ultrasound.psf import gaussian_kernel, circular_transfer, lateral_transfer_rows

TABLE_COLUMNS = 2048  # lattice columns; the field repeats every 2048 columns (about 150 mm)
ELEVATION_CELL_MM = 1.0  # speckle decorrelates over about one beam thickness across the plane
HEADING_BIN_DEG = 1.0  # `columns`: a new, independent field per degree of probe rotation
REFERENCE_BIN_DEG = 10.0  # `plane_columns`: one field per 10 degrees, rotations inside it move the scatterers
SPARSE_FRACTION = 0.03  # share of lattice cells holding a scatterer in the sparsest tissue


def column_offset(seed_key: int, elevation_cell: int, heading_bin: int) -> int:
    """Pseudo-random start column of one (elevation cell, heading) layer of the field (a splitmix64 hash)."""
    mask = 0xFFFFFFFFFFFFFFFF
    z = ((seed_key * 1_000_003 + elevation_cell * 7919 + heading_bin * 104_729) & 0xFFFFFFFFFFFF)
    z = (z + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return (z ^ (z >> 31)) % TABLE_COLUMNS


def column_major(table: np.ndarray, pad: int, keep_rows: int) -> np.ndarray:
    """(rows, columns) table -> periodically padded (columns + pad, keep_rows), contiguous per column."""
    return np.ascontiguousarray(np.concatenate([table, table[:, :pad]], axis=1)[:keep_rows].T)


@dataclass(frozen=True, eq=False)
class ColumnMap:
    """Where each image column reads the tables: two elevation layers blended w0 / w1, and the texture."""

    first: np.ndarray  # (W,) uint64 table column of the nearer elevation layer
    second: np.ndarray  # (W,) uint64 ... of the next one
    w0: np.ndarray  # (W,) float32 weights, unit mean intensity
    w1: np.ndarray
    texture: np.ndarray  # (W,) uint64 texture table column

    @staticmethod
    def window(start0: int, start1: int, frac: float, texture_col: int, width: int) -> "ColumnMap":
        """The map of a plain window (from `columns`): consecutive table columns, one weight."""
        norm = 1.0 / math.hypot(1.0 - frac, frac)
        w0, w1 = (1.0, 0.0) if frac < 1e-3 else ((1.0 - frac) * norm, frac * norm)
        cols = np.arange(width, dtype=np.uint64)
        return ColumnMap(cols + np.uint64(start0), cols + np.uint64(start1), np.full(width, w0, np.float32),
                         np.full(width, w1, np.float32), cols + np.uint64(texture_col))


class ScattererField:
    """Complex Gaussian scatterers on the world lattice, filtered per PSF on demand.

    A frame reads, per image column, table columns given by `plane_columns` (or a window of
    consecutive ones from `columns`; the tables are padded periodically by `width` columns so
    a window never wraps). The filtered tables are column-major and keep the first `keep_rows`
    rows (the image height; the extra rows only keep the circular axial filter from wrapping
    the bottom onto the top).
    """

    def __init__(self, rng: np.random.Generator, rows: int, width: int = 512, keep_rows: int | None = None,
                 table_rng: np.random.Generator | None = None):
        """`rng` gives the field its seed_key (where each layer starts in the tables); the scatterers come
        from `table_rng` when given (drawn when first needed: a cached filtered table needs none), else
        from `rng` right away."""
        self.rows = rows
        self.width = width
        self.keep_rows = rows if keep_rows is None else min(int(keep_rows), rows)
        self.seed_key = int(rng.integers(0, 2**31))
        self._table_rng = table_rng
        self._cells: tuple[np.ndarray, np.ndarray] | None = None
        if table_rng is None:
            self._cells = self._draw_cells(rng)
        self._filtered_key: tuple | None = None
        self._filtered: np.ndarray | None = None
        self._sparse: np.ndarray | None = None
        self._blends: dict[float, np.ndarray] = {}

    def filtered(self, axial_fwhm_px: float, lateral_fwhm_px_per_row: np.ndarray) -> np.ndarray:
        """The field convolved with the PSF: unit mean intensity, speckle size = PSF size."""
        lateral = np.asarray(lateral_fwhm_px_per_row, dtype=float)
        lateral = np.concatenate([lateral, np.full(self.rows - len(lateral), lateral[-1])])[: self.rows]
        key = (round(axial_fwhm_px, 3), tuple(np.round(lateral[:: max(1, self.rows // 64)], 3)))
        if key != self._filtered_key:
            self._filtered = self._sparse = None  # free the old ones first: memory stays bounded
            self._blends = {}
            self._filtered = self._filter_table("dense", axial_fwhm_px, lateral)
            self._filtered_key = key
            self._psf = (axial_fwhm_px, lateral)
        return self._filtered

    @property
    def lateral_fwhm_px(self) -> np.ndarray | None:
        """Per row, the lateral PSF (amplitude FWHM, pixels) of the last `filtered` table."""
        return getattr(self, "_psf", (None, None))[1]

    @property
    def filtered_table(self) -> np.ndarray:
        """The table made by the last call to `filtered`."""
        return self._filtered

    def blended(self, density: float) -> np.ndarray:
        """sqrt(d) filtered + sqrt(1 - d) filtered_sparse: speckle of a tissue with scatter density d (< 1).

        The blend is linear, so it commutes with the elevation blend in `sample`: a frame reads
        it like the dense table. Kept per density until the PSF changes.
        """
        key = round(float(density), 4)
        if key not in self._blends:
            d = min(max(key, 0.0), 1.0)
            blend = self.filtered_sparse() * np.float32(math.sqrt(1.0 - d))
            blend += self._filtered * np.float32(math.sqrt(d))
            self._blends[key] = blend
        return self._blends[key]

    def filtered_sparse(self) -> np.ndarray:
        """Like `filtered`, from scatterers in only SPARSE_FRACTION of the cells (same mean intensity).

        Tissue with few scatterers per resolution cell gives clumpier, non-Rayleigh speckle.
        Call after `filtered` (it uses the same PSF).
        """
        if self._sparse is None:
            self._sparse = self._filter_table("sparse", *self._psf)
        return self._sparse

    def _draw_cells(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(complex scatterers, which cells a sparse tissue keeps) of the whole table."""
        shape = (self.rows, TABLE_COLUMNS)
        raw = rng.standard_normal(shape, dtype=np.float32) + 1j * rng.standard_normal(shape, dtype=np.float32)
        raw = (raw / np.float32(math.sqrt(2.0))).astype(np.complex64)
        # where the few scatterers of a sparse tissue (fat) sit: a fixed share of lattice cells
        return raw, rng.random(shape, dtype=np.float32) < SPARSE_FRACTION

    def _filter_table(self, kind: str, axial_fwhm_px: float, lateral: np.ndarray) -> np.ndarray:
        """The "dense" scatterers (every cell) or the "sparse" ones filtered by a PSF (table_cache keeps them on disk)."""
        if self._cells is None:
            self._cells = self._draw_cells(self._table_rng)
        raw, sparse_cells = self._cells
        if kind == "sparse":
            raw = (raw * sparse_cells * np.float32(1.0 / math.sqrt(SPARSE_FRACTION))).astype(np.complex64)
        return self._filter(raw, axial_fwhm_px, lateral)

    def _filter(self, raw: np.ndarray, axial_fwhm_px: float, lateral: np.ndarray) -> np.ndarray:
        spectrum = sfft.fft(raw, axis=1, workers=2)
        spectrum *= lateral_transfer_rows(lateral, TABLE_COLUMNS)
        axial = circular_transfer(gaussian_kernel(axial_fwhm_px), self.rows).astype(np.complex64)
        spectrum = sfft.fft(spectrum, axis=0, workers=2)
        spectrum *= axial[:, None]
        filtered = sfft.ifft2(spectrum, workers=2).astype(np.complex64)
        return column_major(filtered, self.width, self.keep_rows)

    def columns(self, first_lattice_col: int, elevation_mm: float, heading_deg: float):
        """Start columns in the table of the two elevation layers around the plane, and the blend weight."""
        heading_bin = int(round((heading_deg % 360.0) / HEADING_BIN_DEG))
        cell = elevation_mm / ELEVATION_CELL_MM
        v0 = math.floor(cell)
        frac = cell - v0
        start0 = (int(first_lattice_col) + column_offset(self.seed_key, v0, heading_bin)) % TABLE_COLUMNS
        start1 = (int(first_lattice_col) + column_offset(self.seed_key, v0 + 1, heading_bin)) % TABLE_COLUMNS
        return start0, start1, frac

    def plane_columns(self, x_mm: float, y_mm: float, heading_deg: float, lateral_axis_mm: np.ndarray,
                      col_mm: float) -> "ColumnMap":
        """Per image column: the two table columns (elevation layers) it reads, their weights, its texture column."""
        reference = round(heading_deg / REFERENCE_BIN_DEG)
        ref_rad, rad = math.radians(reference * REFERENCE_BIN_DEG), math.radians(heading_deg)
        # along the lattice: the centre's position plus the column's own offset (the cos of the small
        # turn is left out, so consecutive columns always read consecutive lattice columns: no seams)
        along0 = x_mm * math.cos(ref_rad) + y_mm * math.sin(ref_rad)
        lateral = np.ascontiguousarray(lateral_axis_mm, dtype=np.float64)
        trig = (math.cos(rad), math.sin(rad), math.cos(ref_rad), math.sin(ref_rad))
        first_cell, last_cell = _cell_range(x_mm, y_mm, lateral, *trig, ELEVATION_CELL_MM)
        bin_key = int(reference) % int(round(360.0 / REFERENCE_BIN_DEG))
        cells = range(first_cell, last_cell + 2)  # a few elevation cells across the image, and the next one
        offsets = np.array([column_offset(self.seed_key, v, bin_key) for v in cells], dtype=np.int64)
        texture = column_offset(self.seed_key, math.floor(-1e6), bin_key)  # septa persist across the plane
        return ColumnMap(*_column_map(x_mm, y_mm, lateral, *trig, ELEVATION_CELL_MM, along0, col_mm, first_cell, offsets,
                                      texture, TABLE_COLUMNS))


@njit(cache=True, nogil=True)
def _cells(x_mm, y_mm, lateral, cos_h, sin_h, cos_ref, sin_ref, cell_mm, i):
    """Elevation cell position (in cells) of image column i: its world point on the skin across the reference."""
    px = x_mm + lateral[i] * cos_h
    py = y_mm + lateral[i] * sin_h
    return (-px * sin_ref + py * cos_ref) / cell_mm


@njit(cache=True, nogil=True)
def _cell_range(x_mm, y_mm, lateral, cos_h, sin_h, cos_ref, sin_ref, cell_mm):
    """(first, last) elevation cell the image's columns fall in."""
    first, last = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    for i in range(lateral.size):
        v = np.int64(math.floor(_cells(x_mm, y_mm, lateral, cos_h, sin_h, cos_ref, sin_ref, cell_mm, i)))
        first, last = min(first, v), max(last, v)
    return first, last


@njit(cache=True, nogil=True)
def _column_map(x_mm, y_mm, lateral, cos_h, sin_h, cos_ref, sin_ref, cell_mm, along0, col_mm, first_cell, offsets,
                texture, columns):
    """plane_columns' per-column arrays in one pass, in float64 as numpy did: (first, second, w0, w1, texture);
    offsets[v - first_cell] is the start column of elevation cell v."""
    width = lateral.size
    first = np.empty(width, dtype=np.uint64)
    second = np.empty(width, dtype=np.uint64)
    w0 = np.empty(width, dtype=np.float32)
    w1 = np.empty(width, dtype=np.float32)
    tex = np.empty(width, dtype=np.uint64)
    for i in range(width):
        cell = _cells(x_mm, y_mm, lateral, cos_h, sin_h, cos_ref, sin_ref, cell_mm, i)
        lattice = np.int64(math.floor((along0 + lateral[i]) / col_mm))
        v0 = np.int64(math.floor(cell))
        frac = cell - v0
        a, b = 1.0 - frac, frac
        norm = 1.0 / math.sqrt(a * a + b * b)
        w0[i] = np.float32(1.0 if frac < 1e-3 else a * norm)
        w1[i] = np.float32(0.0 if frac < 1e-3 else b * norm)
        first[i] = np.uint64((lattice + offsets[v0 - first_cell]) % columns)
        second[i] = np.uint64((lattice + offsets[v0 + 1 - first_cell]) % columns)
        tex[i] = np.uint64((lattice + texture) % columns)
    return first, second, w0, w1, tex
