"""What a layer's `thickness_mm` control points mean: one smooth surface through them.

The anatomy model (on its thickness grid), the case cross-checks and the library tests all
evaluate thickness with `ThicknessField`, so they agree on where every layer lies.

Why a thin-plate spline: it passes exactly through each control point and bends as little as
possible between them, so layer boundaries come out as smooth curves. Inverse-distance
weighting, used before, is flat at every control point and drew terraces and bumps.

Why a soft clamp: a smooth surface through a point where the thickness peaks must rise a
little past it on one side, and far outside the points a spline extrapolates roughly linearly
and can run away (a muscle thinning to nothing in a corner of the region). Values inside the
control range [lo, hi] are kept as they are; beyond it they bend smoothly (tanh, so value,
slope and curvature stay continuous) toward at most `OVERSHOOT_FRACTION` of the range past it,
and never below 0 mm. A hard clip to [lo, hi] would flatten the surface around the thickest
and thinnest points: the terraces all over again.

Fallbacks: one point (or all values equal) is a constant; points on one line (two points,
or more that are collinear) vary only along that line, as a natural cubic spline, which is
what a thin-plate spline becomes in one dimension (a straight ramp for two points).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simulator.scenario.polyharmonic import PolyharmonicSpline

# How far past the control range the surface may bend, as a fraction of that range.
OVERSHOOT_FRACTION = 0.25
# Points whose spread across their main line is below this fraction of the spread along it
# count as collinear (a plane fit through them would be ill-conditioned).
COLLINEAR_TOLERANCE = 1e-6


class ThicknessField:
    """Thickness of one layer anywhere on the skin, from its control points (mm)."""

    def __init__(self, control_xy_mm: Sequence[Sequence[float]], control_values_mm: Sequence[float]):
        xy = np.asarray(control_xy_mm, dtype=float).reshape(-1, 2)
        values = np.asarray(control_values_mm, dtype=float).reshape(-1)
        if len(values) == 0 or len(values) != len(xy):
            raise ValueError("a thickness field needs one value per control point and at least one point")
        if not (np.isfinite(xy).all() and np.isfinite(values).all()):
            raise ValueError("thickness control points must be finite numbers")
        if (values < 0).any():
            raise ValueError("thickness control values must be >= 0 mm")
        # Several values at one spot: use their mean (the point cannot take two values).
        xy, inverse = np.unique(xy, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        values = np.bincount(inverse, weights=values) / np.bincount(inverse)
        self.control_xy_mm = xy
        self.control_values_mm = values
        self.low_mm = float(values.min())
        self.high_mm = float(values.max())
        margin = OVERSHOOT_FRACTION * (self.high_mm - self.low_mm)
        self._margin_above_mm = margin
        self._margin_below_mm = min(margin, self.low_mm)  # never below 0 mm

        self._constant: float | None = None
        self._spline = None
        self._origin = xy.mean(axis=0)
        self._axis = None  # unit direction of the line for collinear points
        if len(values) == 1 or self.high_mm == self.low_mm:
            self._constant = self.high_mm
            return
        centred = xy - self._origin
        _, singular, rows = np.linalg.svd(centred, full_matrices=False)
        if len(values) < 3 or singular[1] <= COLLINEAR_TOLERANCE * singular[0]:
            self._axis = rows[0]
            along = centred @ self._axis
            self._spline = PolyharmonicSpline(along[:, None], values, kernel="cubic")
        else:
            self._spline = PolyharmonicSpline(centred, values, kernel="thin_plate_spline")

    @property
    def is_constant(self) -> bool:
        return self._constant is not None

    def raw_mm(self, x_mm, y_mm) -> np.ndarray:
        """The spline itself at (x, y), before the soft clamp (for tests and diagnostics)."""
        x, y = np.broadcast_arrays(np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float))
        if self._constant is not None:
            return np.full(x.shape, self._constant)
        points = np.column_stack([x.ravel() - self._origin[0], y.ravel() - self._origin[1]])
        if self._axis is not None:
            points = (points @ self._axis)[:, None]
        if len(points) == 0:
            return np.zeros(x.shape)
        return self._spline(points).reshape(x.shape)

    def __call__(self, x_mm, y_mm) -> np.ndarray:
        """Thickness at (x, y) in mm: exact at every control point, smooth, soft-clamped, >= 0."""
        raw = self.raw_mm(x_mm, y_mm)
        if self._constant is not None:
            return raw
        result = soft_clamp(raw, self.low_mm, self.high_mm, self._margin_below_mm, self._margin_above_mm)
        # The solve is exact only to rounding; at a control point give its value to the last bit.
        x, y = np.broadcast_arrays(np.asarray(x_mm, dtype=float), np.asarray(y_mm, dtype=float))
        for (cx, cy), value in zip(self.control_xy_mm, self.control_values_mm):
            result[(x == cx) & (y == cy)] = value
        return result


def soft_clamp(values: np.ndarray, low: float, high: float, margin_below: float, margin_above: float) -> np.ndarray:
    """Identity on [low, high]; beyond, approach low - margin_below / high + margin_above along tanh.

    tanh(u) = u - u^3/3 + ..., so value, slope and curvature match the identity at the bounds.
    A zero margin is a hard clip.
    """
    result = np.array(values, dtype=float, copy=True)
    with np.errstate(over="ignore"):  # a tiny margin overflows the ratio; tanh(inf) = 1 is right
        _bend(result, low, high, margin_below, margin_above)
    return np.maximum(result, 0.0, out=result)


def _bend(result: np.ndarray, low: float, high: float, margin_below: float, margin_above: float) -> None:
    above = result > high
    if above.any():
        if margin_above > 0:
            result[above] = high + margin_above * np.tanh((result[above] - high) / margin_above)
        else:
            result[above] = high
    below = result < low
    if below.any():
        if margin_below > 0:
            result[below] = low - margin_below * np.tanh((low - result[below]) / margin_below)
        else:
            result[below] = low


def layer_field(thickness) -> ThicknessField | None:
    """The field for a Layer's `thickness_mm` value: None for a missing (last-layer) thickness.

    A plain number becomes a constant field; a list of ThicknessPoint a spline through them.
    """
    if thickness is None:
        return None
    if isinstance(thickness, (int, float)):
        return ThicknessField([(0.0, 0.0)], [float(thickness)])
    if len(thickness) == 0:
        raise ValueError("thickness_mm needs at least one control point")
    return ThicknessField([(p.x_mm, p.y_mm) for p in thickness], [p.thickness_mm for p in thickness])
