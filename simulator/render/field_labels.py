"""Placing names on an image where they hide the least: every free spot is scored at once.

The anatomy overlay names a dozen structures on a small ultrasound image. A name beside its
structure can land on a vessel, the pleura or a trigger point; trying a few fixed spots per
name, as the palpation view does (labels.py), leaves those collisions. Here the image is a grid
of cells with a cost (how much of the drawn structures a cell holds) and a set of cells no name
may cover (trigger points, vessel lumens, the needle's path and tip). For each name every
position on the grid is scored with summed-area tables: the structure it hides, plus how far
it sits from what it names, and the cheapest free one wins. The arithmetic is numpy only.
"""

from __future__ import annotations

import numpy as np

HIDE_WEIGHT = 6.0  # one hidden structure cell costs as much as moving the name this many cells away
ROW_WEIGHT = 0.5  # sitting above or below the structure's middle costs a little more than sideways


def summed(grid: np.ndarray) -> np.ndarray:
    """The summed-area table of a grid, with a zero row and column in front."""
    table = np.zeros((grid.shape[0] + 1, grid.shape[1] + 1), dtype=np.float64)
    table[1:, 1:] = grid.astype(np.float64).cumsum(0).cumsum(1)
    return table


def window_sums(table: np.ndarray, h: int, w: int) -> np.ndarray:
    """Sum of the grid under an h x w window at every top-left (row, col) where it fits."""
    return table[h:, w:] - table[:-h, w:] - table[h:, :-w] + table[:-h, :-w]


def rect_distance(rows: np.ndarray, cols: np.ndarray, h: int, w: int, anchor: tuple[int, int, int, int]) -> np.ndarray:
    """Gap in cells between an h x w window at (rows, cols) and the anchor box (top, left, bottom, right)."""
    top, left, bottom, right = anchor
    dx = np.maximum(0, np.maximum(left - (cols + w - 1), cols - right))
    dy = np.maximum(0, np.maximum(top - (rows + h - 1), rows - bottom))
    return np.hypot(dx, dy)


def best_spot(cost: np.ndarray, blocked: np.ndarray, size: tuple[int, int],
              anchor: tuple[int, int, int, int], centre_row: float) -> tuple[int, int] | None:
    """(row, col) of the cheapest free top-left cell for an h x w name, or None when no spot is free.

    `cost`: structure held per cell; `blocked`: cells no name may cover (True); `anchor`: the named
    structure's box in cells (top, left, bottom, right); the name prefers to sit level with `centre_row`."""
    h, w = size
    if h > cost.shape[0] or w > cost.shape[1]:
        return None
    hidden = window_sums(summed(cost), h, w)
    clash = window_sums(summed(blocked), h, w) > 0
    rows, cols = np.mgrid[0:hidden.shape[0], 0:hidden.shape[1]]
    score = HIDE_WEIGHT * hidden + rect_distance(rows, cols, h, w, anchor)
    score += ROW_WEIGHT * np.abs(rows + (h - 1) / 2 - centre_row)
    score[clash] = np.inf
    flat = int(np.argmin(score))
    if not np.isfinite(score.flat[flat]):
        return None
    return divmod(flat, score.shape[1])


def mark_polyline(grid: np.ndarray, points, reach: int) -> None:
    """Set the cells within `reach` cells of the polyline (points in cell coordinates) to True."""
    h, w = grid.shape
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        steps = max(1, int(np.ceil(max(abs(x1 - x0), abs(y1 - y0)))))
        for t in np.linspace(0.0, 1.0, steps + 1):
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            if -reach <= x < w + reach and -reach <= y < h + reach:
                mark_disc(grid, x, y, reach)


def mark_disc(grid: np.ndarray, x: float, y: float, reach: int) -> None:
    """Set the square of cells within `reach` of (x, y) to True (clipped to the grid)."""
    h, w = grid.shape
    r0, r1 = max(0, int(y) - reach), min(h, int(y) + reach + 1)
    c0, c1 = max(0, int(x) - reach), min(w, int(x) + reach + 1)
    if r0 < r1 and c0 < c1:
        grid[r0:r1, c0:c1] = True
