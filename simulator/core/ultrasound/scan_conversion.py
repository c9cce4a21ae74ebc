"""A curvilinear frame's scan conversion: the plane onto the fan grid, the fan grid into the sector image.

A sector is synthesised on its fan grid (column = beam line, row = range below the face) and
then shown through a per-geometry map of which fan cell each pixel shows (scan_geometry).
Only the envelope and the display image are needed for every pixel of every frame; the
other maps are scan-converted where and when something reads them: the labels over the box
round the arteries and trigger points (their blobs), the attenuation on first use (needle,
injectate), the labels of the whole image for colour Doppler. The compiled loops are in
scan_kernels.py.
"""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import LABEL
from simulator.core.ultrasound import scan_kernels
from simulator.core.ultrasound.runs import Runs, plane_runs, run_blobs
from simulator.core.ultrasound.scan_geometry import ImageGeometry, column_spans, sector_box, sector_map


class Deferred:
    """A map made on first use, then kept (read-only): a frame that does not read it does not pay for it."""

    __slots__ = ("_make", "_value")

    def __init__(self, make):
        self._make, self._value = make, None

    def __call__(self) -> np.ndarray:
        if self._make is not None:
            self._value, self._make = self._make(), None
            self._value.setflags(write=False)
        return self._value


def resolved(value):
    """The array of a Deferred map, or the array itself."""
    return value() if isinstance(value, Deferred) else value


class FanView:
    """A plane map as the fan grid samples it, read box by box (view[rows, cols] with slices): for a
    map read only in a small box. Fan cell (row, col) shows plane cell (row, plane_col[row, col])."""

    def __init__(self, plane_map: np.ndarray, plane_col: np.ndarray):
        self.plane_map, self.plane_col = plane_map, plane_col

    def __getitem__(self, box):
        rows, cols = box
        return self.plane_map[np.arange(rows.start, rows.stop)[:, None], self.plane_col[rows, cols]]


class SectorScan:
    """The scan conversion of one geometry: its pixel map and the tables the kernels read."""

    def __init__(self, geometry: ImageGeometry):
        self.geometry = geometry
        self.sector = sector = sector_map(geometry)
        height = geometry.shape[0]
        # column-major (W, H): pixel (row, col) shows cell (source_row, source_col) of the fan grid
        self.source_row_t = np.ascontiguousarray(sector.source_row.T, dtype=np.uint32)  # unsigned: no wraparound code
        # flat indices into column-major (W, H) maps (column x H + row): one load per map in the kernels
        self.index_t = np.ascontiguousarray(sector.source_col.T, dtype=np.uint32) * np.uint32(height) + self.source_row_t
        self.plane_col_t = np.ascontiguousarray(sector.plane_col.T, dtype=np.uint16)  # fan cell -> plane column
        self.spans = column_spans(sector.inside)

    def fan_maps(self, labels: np.ndarray, layer_index: np.ndarray, split_layers: bool):
        """(labels, layer index) of the plane on the fan grid, (H, W) views of column-major arrays; the
        layer index only with split_layers (it only splits runs), else None."""
        height, width = self.geometry.shape
        labels_t = np.empty((width, height), dtype=labels.dtype)
        layer_t = np.empty((width, height) if split_layers else (1, 1), dtype=layer_index.dtype)
        scan_kernels.gather_fan(self.plane_col_t, np.ascontiguousarray(labels.T), np.ascontiguousarray(layer_index.T),
                                split_layers, labels_t, layer_t)
        return labels_t.T, (layer_t.T if split_layers else None)

    def image(self, envelope_t: np.ndarray, offset_t: np.ndarray, grey_per_octave: float):
        """(envelope, display image) of the sector, column-major (W, H), from the fan grid's (W, H) envelope;
        offset_t: the grey level of an envelope of 1 at each pixel (its TGC); 0 outside the fan."""
        fan_bits = np.ascontiguousarray(envelope_t, dtype=np.float32).view(np.uint32).ravel()
        envelope_out = np.empty(self.index_t.shape, dtype=np.float32)
        image_out = np.empty(self.index_t.shape, dtype=np.uint8)
        scan_kernels.scan_convert(self.index_t, self.spans, fan_bits, offset_t, grey_per_octave,
                                  envelope_out.view(np.uint32), image_out)
        return envelope_out, image_out

    def bent(self, fan_map_t: np.ndarray) -> Deferred:
        """A column-major (W, H) fan-grid map as the (H, W) image shows it, made on first use."""
        fan_map = np.ascontiguousarray(fan_map_t).ravel()
        index_t = self.index_t

        def make():
            out = np.empty(index_t.shape, dtype=fan_map.dtype)
            scan_kernels.bend_box(index_t, fan_map, 0, 0, out)
            return out.T

        return Deferred(make)

    def plane_map(self, plane_map: np.ndarray) -> Deferred:
        """An (H, W) map of the rectangular plane as the image shows it (through the fan grid), on first use."""
        sector = self.sector
        rows = sector.source_row
        return Deferred(lambda: plane_map[rows, sector.plane_col[rows, sector.source_col]])

    def blobs(self, fan_runs: Runs, fan_labels_t: np.ndarray):
        """(arteries, trigger points) as blobs of the image (runs.run_blobs): scan conversion moves them too.

        The runs of the labels scan-converted only over the image box showing the fan cells that
        hold either tissue (scan_geometry.sector_box): the same blobs as over the whole image,
        moved by the box's corner, for a few hundred pixels instead of the whole image.
        """
        which = (fan_runs.label == LABEL["artery"]) | (fan_runs.label == LABEL["trigger_point"])
        fan_box = fan_runs.box(which)
        if fan_box is None:
            return [], []
        rows, cols = sector_box(self.geometry, *fan_box)
        labels_t = np.empty((cols.stop - cols.start, rows.stop - rows.start), dtype=fan_labels_t.dtype)
        scan_kernels.bend_box(self.index_t, np.ascontiguousarray(fan_labels_t).ravel(), cols.start, rows.start, labels_t)
        runs = plane_runs(labels_t)
        r0, c0 = rows.start, cols.start
        return tuple([((slice(r.start + r0, r.stop + r0), slice(c.start + c0, c.stop + c0)), mask)
                      for (r, c), mask in run_blobs(runs, LABEL[name])] for name in ("artery", "trigger_point"))
