"""Intramuscular aponeuroses (central tendons): a bright fibrous band inside a muscle layer.

A case gives a muscle layer an `aponeurosis` at a share of the layer's thickness; here it
becomes a band of fascia in the plane's label map, so the synthesis images it like any fascia
(specular edges, its own speckle, anisotropy with a tilt) and it follows the layer's rise
and fall under the probe instead of running parallel to the probe face.
"""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import LABEL


def aponeurosis_layers(case) -> list[tuple[int, float, float]]:
    """(layer index, depth share, thickness mm) of every layer with an aponeurosis."""
    return [(k, layer.aponeurosis.depth_fraction, layer.aponeurosis.thickness_mm)
            for k, layer in enumerate(case.anatomy.layers) if layer.aponeurosis is not None]


def paint_aponeuroses(labels: np.ndarray, layer_index: np.ndarray, tops_mm: np.ndarray, wanted,
                      row_mm: float) -> np.ndarray:
    """The label map with each wanted aponeurosis painted as fascia where the muscle shows.

    labels, layer_index: (H, W) of the plane (linear grid, row = depth). tops_mm: (W, L) depth of
    each layer's top under each column. Returns a new array; `labels` is not changed.
    """
    height, width = labels.shape
    out = labels.copy()
    cols = np.arange(width)
    muscle = LABEL["muscle"]
    for k, share, thickness_mm in wanted:
        top, bottom = tops_mm[:, k], tops_mm[:, k + 1]
        centre_mm = top + share * (bottom - top)
        band = max(1, int(round(thickness_mm / row_mm)))
        first = np.rint(centre_mm / row_mm - band / 2.0).astype(np.int64)
        rows = first[None, :] + np.arange(band)[:, None]  # (band, W)
        inside = (rows >= 0) & (rows < height)
        r, c = rows[inside], np.broadcast_to(cols, rows.shape)[inside]
        keep = (layer_index[r, c] == k) & (out[r, c] == muscle)  # vessels and trigger points stay on top
        out[r[keep], c[keep]] = LABEL["fascia"]
    return out
