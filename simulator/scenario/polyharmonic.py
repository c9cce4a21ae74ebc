"""A polyharmonic spline (thin-plate in 2-D, cubic in 1-D) in plain numpy.

Why not scipy.interpolate.RBFInterpolator: importing scipy.interpolate costs about 0.3 s of
CPU, and every case load evaluates layer thicknesses, so it sat on the start-up path of every
launch. The thickness fields need only the exact-interpolation case (no smoothing, no nearest
neighbours) with a degree-1 polynomial, which is a few lines of linear algebra.

It builds the same linear system as RBFInterpolator's defaults (epsilon 1, smoothing 0): the
kernel matrix of phi(|y_i - y_j|) bordered by the monomials 1, x, y evaluated on the points
shifted to the centre of their bounding box and scaled to [-1, 1] per axis (an axis with no
spread is not scaled), solved by LU (LAPACK gesv, as scipy does). The values agree with
scipy's to rounding (a few 1e-13 mm: numpy and scipy link different LAPACK builds, so the last
bits of the coefficients can differ); tests compare the two directly.
"""

from __future__ import annotations

import numpy as np

KERNELS = ("thin_plate_spline", "cubic")
# Evaluation points per block, so a fine grid never builds one huge distance array.
CHUNK_ROWS = 16384


def _kernel(r: np.ndarray, kernel: str) -> np.ndarray:
    """phi(r): r^2 log r (0 at r = 0) for the thin-plate spline, r^3 for the cubic."""
    if kernel == "cubic":
        return r**3
    with np.errstate(divide="ignore", invalid="ignore"):
        values = r * r * np.log(r)
    return np.where(r == 0.0, 0.0, values)


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance between every row of a (m, d) and every row of b (n, d): (m, n)."""
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1))


class PolyharmonicSpline:
    """Exact interpolant phi-weighted sum plus a degree-1 polynomial through (points, values)."""

    def __init__(self, points: np.ndarray, values: np.ndarray, kernel: str = "thin_plate_spline"):
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS}, not {kernel!r}")
        points = np.asarray(points, dtype=float)
        values = np.asarray(values, dtype=float).reshape(-1)
        if points.ndim != 2 or len(points) != len(values):
            raise ValueError("a spline needs an (n, d) array of points and one value per point")
        count, dims = points.shape
        if count < dims + 1:
            raise ValueError(f"a degree-1 spline in {dims}-D needs at least {dims + 1} points")
        self.kernel = kernel
        self.points = points
        low, high = points.min(axis=0), points.max(axis=0)
        self._shift = (high + low) / 2
        scale = (high - low) / 2
        scale[scale == 0.0] = 1.0
        self._scale = scale

        size = count + dims + 1
        lhs = np.zeros((size, size))
        lhs[:count, :count] = _kernel(_distances(points, points), kernel)
        poly = self._monomials(points)
        lhs[:count, count:] = poly
        lhs[count:, :count] = poly.T
        rhs = np.zeros(size)
        rhs[:count] = values
        # Points that (nearly) coincide make the system singular. scipy's LU stops on an exact zero
        # pivot, but whether one turns up exactly depends on the LAPACK build's rounding; beyond this
        # condition number the solution is rounding noise anyway (the shipped surfaces stay below 1e11).
        if np.linalg.cond(lhs) > 1.0 / np.finfo(float).eps:
            raise np.linalg.LinAlgError("Singular matrix.")
        self._coefficients = np.linalg.solve(lhs, rhs)

    def _monomials(self, points: np.ndarray) -> np.ndarray:
        """Columns 1, x_1, ..., x_d on the shifted and scaled coordinates (scipy's order)."""
        scaled = (points - self._shift) / self._scale
        return np.column_stack([np.ones(len(points)), scaled])

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """The spline at each row of an (m, d) array of points: (m,) values."""
        points = np.asarray(points, dtype=float)
        result = np.empty(len(points))
        for start in range(0, len(points), CHUNK_ROWS):  # bounds the (rows, n, d) distance array
            chunk = points[start:start + CHUNK_ROWS]
            # One row [phi(|p - y_i|)..., 1, x, y] per point times the coefficients, as scipy sums it.
            row = np.concatenate([_kernel(_distances(chunk, self.points), self.kernel), self._monomials(chunk)], axis=1)
            result[start:start + CHUNK_ROWS] = row @ self._coefficients
        return result
