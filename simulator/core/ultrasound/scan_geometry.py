"""Image geometry: which plane point each pixel shows, and the scale the UI draws.

Linear probe: a rectangle, pixel centres at lateral = -W/2 + (col + 0.5) * W/cols and
depth = (row + 0.5) * D/rows (the same convention as anatomy.PlaneSlice).
Curvilinear probe: a sector from a convex face of radius CURVED_RADIUS_MM; the skin follows
the face, so a pixel at radius r from the apex shows tissue r - R below the skin, at the
lateral position of the pixel. Pixels outside the sector are not imaged. The sector is
synthesised along its beam lines (a "fan" grid: one column per beam angle, one row per range
below the face) and scan-converted, so shadows, enhancement and tails fan out from the apex.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from simulator.core.geometry import PROBE_FOOTPRINT_MM

CURVED_RADIUS_MM = 50.0


@dataclass(frozen=True)
class ImageGeometry:
    """Scale of a frame, as data the UI draws (depth ticks, focus marker)."""

    kind: str  # "linear" | "curvilinear"
    width_mm: float
    depth_mm: float
    shape: tuple[int, int]
    focus_mm: float
    radius_mm: float = 0.0  # curvilinear: radius of the probe face
    half_angle_deg: float = 0.0  # curvilinear: half the sector angle
    depth_ticks_cm: tuple[int, ...] = field(default=())

    @property
    def mm_per_px(self) -> tuple[float, float]:
        """(row, column) pixel size in mm."""
        return self.depth_mm / self.shape[0], self.width_mm / self.shape[1]

    def px_of(self, lateral_mm, depth_mm):
        """Plane point (lateral, depth below the skin) -> fractional (row, col); integers are pixel centres."""
        lateral = np.asarray(lateral_mm, dtype=float)
        depth = np.asarray(depth_mm, dtype=float)
        row_mm, col_mm = self.mm_per_px
        if self.kind == "curvilinear":
            radius = self.radius_mm + depth
            y = np.sqrt(np.maximum(radius**2 - lateral**2, 0.0)) - self.radius_mm
        else:
            y = depth
        return y / row_mm - 0.5, (lateral + self.width_mm / 2) / col_mm - 0.5

    def tick_rows(self) -> list[tuple[int, float]]:
        """(depth in cm, row) of each depth tick on the centre line."""
        return [(cm, float(self.px_of(0.0, cm * 10.0)[0])) for cm in self.depth_ticks_cm]


def make_geometry(kind: str, depth_mm: float, focus_mm: float, shape: tuple[int, int]) -> ImageGeometry:
    ticks = tuple(range(0, int(math.floor(depth_mm / 10.0 + 1e-9)) + 1))
    if kind == "curvilinear":
        half_angle = PROBE_FOOTPRINT_MM["curvilinear"] / 2 / CURVED_RADIUS_MM
        width = 2 * (CURVED_RADIUS_MM + depth_mm) * math.sin(half_angle)
        return ImageGeometry(kind, width, depth_mm, shape, focus_mm, CURVED_RADIUS_MM, math.degrees(half_angle), ticks)
    return ImageGeometry("linear", PROBE_FOOTPRINT_MM["linear"], depth_mm, shape, focus_mm, 0.0, 0.0, ticks)


@dataclass(frozen=True, eq=False)
class SectorMap:
    """For a curvilinear image: where each pixel samples a rectangular slice, and the sector mask."""

    source_row: np.ndarray  # (H, W) int row of the fan grid (range below the face) each pixel shows
    source_col: np.ndarray  # (H, W) int column of the fan grid (beam line) each pixel shows
    plane_col: np.ndarray  # (H, W) int column of the rectangular plane slice each fan-grid cell samples
    beam_lateral_mm: np.ndarray  # (W,) where each beam line leaves the face, along the probe
    inside: np.ndarray  # (H, W) bool inside the imaged sector
    depth_mm: np.ndarray  # (H, W) depth below the skin of each pixel
    slice_depth_mm: float  # depth the rectangular slice must cover


def sector_map(geometry: ImageGeometry) -> SectorMap:
    height, width = geometry.shape
    row_mm, col_mm = geometry.mm_per_px
    y = ((np.arange(height) + 0.5) * row_mm)[:, None]
    x = (-geometry.width_mm / 2 + (np.arange(width) + 0.5) * col_mm)[None, :]
    radius = np.sqrt(x * x + (y + geometry.radius_mm) ** 2)
    angle = np.degrees(np.arctan2(x, y + geometry.radius_mm))
    depth = radius - geometry.radius_mm
    inside = (depth >= 0) & (depth <= geometry.depth_mm) & (np.abs(angle) <= geometry.half_angle_deg)
    slice_depth = float(depth[inside].max()) if inside.any() else geometry.depth_mm
    source = np.clip(np.floor(depth / row_mm).astype(np.int64), 0, height - 1)
    half = math.radians(geometry.half_angle_deg)
    source_col = np.clip(np.floor((np.radians(angle) + half) / (2 * half) * width), 0, width - 1).astype(np.int64)
    # the fan grid: beam j at angle theta_j, range rho_i below the face, sampling the plane at its lateral position
    theta = -half + (np.arange(width) + 0.5) * (2 * half / width)
    rho = ((np.arange(height) + 0.5) * row_mm)[:, None]
    lateral = (geometry.radius_mm + rho) * np.sin(theta)[None, :]
    plane_col = np.clip(np.rint((lateral + geometry.width_mm / 2) / col_mm - 0.5), 0, width - 1).astype(np.int64)
    beam_lateral = geometry.radius_mm * np.sin(theta)
    return SectorMap(source, source_col, plane_col, beam_lateral, inside, depth.astype(np.float32), slice_depth)


def column_spans(inside: np.ndarray) -> np.ndarray:
    """(W, 2) uint64 [first, stop) rows of the sector in each image column of the (H, W) mask.

    Down a column below the apex the depth grows and the beam angle shrinks, so the fan is one
    run of rows per column: the scan conversion (scan_kernels.scan_convert) fills that run and zeroes the rest
    instead of reading a mask per pixel. A mask that is not one run per column raises ValueError.
    """
    inside = np.asarray(inside, dtype=bool)
    height = inside.shape[0]
    hit = inside.any(axis=0)
    first = np.where(hit, inside.argmax(axis=0), 0)
    stop = np.where(hit, height - inside[::-1].argmax(axis=0), 0)
    rows = np.arange(height)[:, None]
    if not np.array_equal((rows >= first) & (rows < stop), inside):
        raise ValueError("the sector mask is not one run of rows per column")
    return np.stack([first, stop], axis=1).astype(np.uint64)


def sector_box(geometry: ImageGeometry, fan_rows: slice, fan_cols: slice, margin_px: int = 2) -> tuple[slice, slice]:
    """(rows, cols) box of a curvilinear image holding every pixel that shows a fan-grid cell of
    rows fan_rows and beams fan_cols (as sector_map maps them).

    Those cells are a ring sector (ranges x beam angles), so their pixels lie in the bounding box
    of its corners and, when it spans the centre line, of its deepest point; margin_px more each
    way covers the rounding of pixel centres to cells. A box touching the edge of the fan grid is
    also shown outside the sector (a pixel there shows the nearest beam or range): the whole image.
    Lets the engine bend a map only where something is, not over the whole image.
    """
    height, width = geometry.shape
    if fan_rows.start <= 0 or fan_cols.start <= 0 or fan_rows.stop >= height or fan_cols.stop >= width:
        return slice(0, height), slice(0, width)
    row_mm, col_mm = geometry.mm_per_px
    half = math.radians(geometry.half_angle_deg)
    a0, a1 = (j * (2 * half / width) - half for j in (fan_cols.start, fan_cols.stop))  # beam angles
    near, far = (geometry.radius_mm + i * row_mm for i in (fan_rows.start, fan_rows.stop))  # radii from the apex
    xs = [r * math.sin(a) for r in (near, far) for a in (a0, a1)]
    ys = [r * math.cos(a) - geometry.radius_mm for r in (near, far) for a in (a0, a1)]  # below the face's top
    y_max = far - geometry.radius_mm if a0 <= 0.0 <= a1 else max(ys)
    c_lo, c_hi = ((x + geometry.width_mm / 2) / col_mm - 0.5 for x in (min(xs), max(xs)))
    r_lo, r_hi = (y / row_mm - 0.5 for y in (min(ys), y_max))
    r0, r1 = max(math.floor(r_lo) - margin_px, 0), min(math.ceil(r_hi) + margin_px + 1, height)
    c0, c1 = max(math.floor(c_lo) - margin_px, 0), min(math.ceil(c_hi) + margin_px + 1, width)
    return slice(r0, r1), slice(c0, c1)
