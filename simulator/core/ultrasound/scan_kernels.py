"""Compiled loops of a curvilinear frame's scan conversion (numba): the plane onto the fan grid, the fan into the sector.

A sector is synthesised on its fan grid (column = beam line, row = range below the face) and
shown in the image through a per-geometry map of which fan cell each pixel shows
(scan_geometry.sector_map). Column-major like the synthesis: arrays are (W, H), one image
column per row. Only the envelope and the display image are made for every pixel; the
other maps (attenuation, labels) are bent only over the boxes where something reads them
(engine.py), so most frames gather one float per pixel. Compiled once and cached on disk.
"""

from __future__ import annotations

from numba import njit

from simulator.core.ultrasound.kernels import _grey


@njit(cache=True, nogil=True)
def gather_fan(plane_col_t, labels_t, layer_t, split, labels_out, layer_out):
    """The plane's labels (and, with `split`, its layer index) on the fan grid.

    Fan cell (j, i) (beam j, range row i) shows plane cell (plane_col_t[j, i], i): the same row,
    so a beam reads down a plane column and steps sideways every few rows (cache-friendly), and
    the table is a uint16 column per cell instead of a flat index. All maps are (W, H).
    """
    width, height = plane_col_t.shape
    for j in range(width):
        cols, lab = plane_col_t[j], labels_out[j]
        if split:
            lay = layer_out[j]
            for i in range(height):
                k = cols[i]
                lab[i] = labels_t[k, i]
                lay[i] = layer_t[k, i]
        else:
            for i in range(height):
                lab[i] = labels_t[cols[i], i]


@njit(cache=True, nogil=True, fastmath=True)
def scan_convert(index_t, spans, envelope_bits, offset_t, gain, envelope_out, image_out):
    """The sector's envelope and display image straight from the fan grid's envelope.

    Pixel (c, r) shows element index_t[c, r] (source column x H + source row, unsigned) of the
    flattened column-major fan envelope, given as its uint32 bits (`envelope_out` too: a copy of
    the bits). Inside the fan, rows spans[c, 0] .. spans[c, 1] of column c
    (scan_geometry.column_spans), the grey level is kernels.compress_map's with the per-pixel
    offset offset_t; outside, envelope and image are 0 (an envelope of 0 shows black). Each column
    is gathered, then compressed while it is still in cache: a loop of its own, so the
    compression vectorises as it does in compress_map.
    """
    width, height = index_t.shape
    for c in range(width):
        idx, offset, env, image = index_t[c], offset_t[c], envelope_out[c], image_out[c]
        first, stop = spans[c, 0], spans[c, 1]
        env[:first] = 0
        image[:first] = 0
        for r in range(first, stop):
            env[r] = envelope_bits[idx[r]]
        for r in range(first, stop):
            image[r] = _grey(env[r], gain, offset[r])
        env[stop:] = 0
        image[stop:] = 0


@njit(cache=True, nogil=True)
def bend_box(index_t, grid, c0, r0, out):
    """Scan-convert one fan-grid map over a box of the image: out[c, r] = grid[index_t[c0 + c, r0 + r]].

    grid is the flattened column-major (W, H) map, index_t as in scan_convert; out is
    (columns, rows) of the box. Every pixel of the box is filled, outside the fan too (it shows
    the nearest fan cell), as the whole-image scan conversion always did.
    """
    columns, rows = out.shape
    for c in range(columns):
        idx, o = index_t[c0 + c], out[c]
        for r in range(rows):
            o[r] = grid[idx[r0 + r]]
