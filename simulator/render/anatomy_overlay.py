"""The anatomy under the probe, drawn on the ultrasound image: tissues, outlines and names.

Practice only (and the debrief, after the attempt): it shows what the case says is in the
image plane, so a resident can match each band and dark circle on the scan to its anatomy.
It reuses the authors' cross-section (render/cross_section.py) for the colours and the
names; the plane is sliced at a quarter of the screen resolution and cached for the probe
pose, so it costs nothing while the probe is still.

The image is mapped linearly (lateral across, depth down), as a linear probe shows it; for a
curvilinear probe the overlay is the same plane on the sector's bounding box, right under
the centre of the face and only approximate towards the sector's edges.

Names go where they hide the least of what is drawn (field_labels.py): never over a trigger
point, a vessel's lumen, the needle's tip or its planned path, and always inside the image; a
name that had to move away from its structure gets a leader line to it.
"""

from __future__ import annotations

import math

import numpy as np
import pygame
from scipy import ndimage

from simulator.core.geometry import NeedleGeometry
from simulator.render import palette as pal
from simulator.render.cross_section import TISSUE_LABELS, colour_table, outlined, section_labels
from simulator.render.field_labels import best_spot, mark_disc, mark_polyline
from simulator.render.labels import shortened

SCALE = 3  # screen pixels per slice pixel
MIN_LABEL_ROWS = 6  # a layer at least this many slice pixels thick is named (about 2 mm on a 4 cm image)
BOUNDARY = (250, 250, 250)
HIDDEN_TISSUES = ("artery", "vein", "nerve", "bone", "pleura", "trigger_point")  # a name should not cover these
LUMENS = ("artery", "vein")  # no name on a vessel's lumen or a trigger point (their whole boxes)
PATH_REACH_PX = 6  # names keep this clear of the planned path's line
TIP_REACH_PX = 18  # and of the needle tip (its tracker ring is 14 px)
LEADER_PX = 6  # a name further than this from its structure gets a leader line


class AnatomyOverlay:
    """`draw(surface, view, model, probe, width_mm, depth_mm, path_px)`; `alpha` 0-255 for the tissue colours.

    After a draw, `placed` holds (name as shown, screen rect) for every name on the image."""

    def __init__(self, fonts, alpha: int = 60):
        self.fonts = fonts
        self.alpha = alpha
        self._key = None
        self._place_key = None
        self._surface: pygame.Surface | None = None
        self._names: list[tuple[str, tuple[int, int, int, int], float]] = []  # (name, anchor cells, row)
        self._cost: np.ndarray | None = None
        self._blocked: np.ndarray | None = None
        self._cells = (1.0, 1.0)  # screen px per cell, across and down
        self.placed: list[tuple[str, pygame.Rect]] = []
        self._leaders: list[tuple[pygame.Rect, pygame.Rect]] = []
        self._shown: list[pygame.Surface] = []

    def _build(self, view, model, probe, width_mm: float, depth_mm: float) -> None:
        rect = view.rect
        w, h = max(8, rect.width // SCALE), max(8, rect.height // SCALE)
        section = model.slice(probe, width_mm, depth_mm, (h, w))
        labels = np.asarray(section.labels)
        rgb = colour_table()[labels]
        edges = np.zeros(labels.shape, dtype=bool)
        edges[1:, :] |= labels[1:, :] != labels[:-1, :]
        edges[:, 1:] |= labels[:, 1:] != labels[:, :-1]
        alpha = np.full(labels.shape, self.alpha, dtype=np.uint8)
        rgb[edges] = BOUNDARY
        alpha[edges] = 230
        small = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.surfarray.pixels3d(small)[...] = rgb.transpose(1, 0, 2)
        pygame.surfarray.pixels_alpha(small)[...] = alpha.T
        self._surface = pygame.transform.scale(small, rect.size)
        self._cells = (rect.width / w, rect.height / h)
        hidden = np.isin(labels, [TISSUE_LABELS.index(t) for t in HIDDEN_TISSUES])
        self._cost = (edges | hidden).astype(np.float64)
        self._blocked = self._fixed_blocks(labels, np.asarray(section.trigger_point_index))
        names = []
        for row, left, right, text in section_labels(model, probe, section, MIN_LABEL_ROWS):
            r = int(round(row))
            rank = 0 if text.startswith("trigger point") else (2 if left == right else 1)  # layers last
            names.append((rank, text.replace("_", " "), (r, int(left), r, int(right)), float(row)))
        self._names = [(text, anchor, row) for _, text, anchor, row in sorted(names, key=lambda n: n[0])]
        self._place_key = None

    @staticmethod
    def _fixed_blocks(labels: np.ndarray, tp_index: np.ndarray) -> np.ndarray:
        """Cells no name may cover: the box around each trigger point and each vessel's lumen, one cell wider."""
        blocked = np.zeros(labels.shape, dtype=bool)
        masks = [tp_index >= 0] + [labels == TISSUE_LABELS.index(tissue) for tissue in LUMENS]
        for mask in masks:
            components, _ = ndimage.label(mask)
            for found in ndimage.find_objects(components):
                if found is not None:
                    blocked[found] = True
        return ndimage.binary_dilation(blocked)

    def _place(self, rect: pygame.Rect, path_px) -> None:
        """Place every name: trigger points first, then the other structures, then the layers."""
        sx, sy = self._cells
        blocked = self._blocked.copy()
        if path_px:
            cells = [((x - rect.x) / sx, (y - rect.y) / sy) for x, y in path_px]
            mark_polyline(blocked, cells, math.ceil(PATH_REACH_PX / min(sx, sy)))
            mark_disc(blocked, *cells[0], math.ceil(TIP_REACH_PX / min(sx, sy)))
        self.placed, self._leaders, self._shown = [], [], []
        for text, (top, left, bottom, right), row in self._names:
            for version in shortened(text):
                label = outlined(self.fonts, version, 12)
                size = (math.ceil(label.get_height() / sy), math.ceil(label.get_width() / sx))
                spot = best_spot(self._cost, blocked, size, (top, left, bottom, right), row)
                if spot is None:
                    continue
                r, c = spot
                where = pygame.Rect(rect.x + int(c * sx), rect.y + int(r * sy), *label.get_size())
                blocked[max(0, r - 1):r + size[0] + 1, max(0, c - 1):c + size[1] + 1] = True  # names keep apart
                self.placed.append((version, where))
                self._shown.append(label)
                anchor = pygame.Rect(rect.x + int(left * sx), rect.y + int(top * sy),
                                     max(1, int((right - left + 1) * sx)), max(1, int((bottom - top + 1) * sy)))
                if left != right and _gap_px(where, anchor) > LEADER_PX:  # a layer's name sits in its band
                    self._leaders.append((where, anchor))
                break

    def draw(self, surface, view, model, probe, width_mm: float, depth_mm: float, path_px=None) -> None:
        """Draw the tissues and their names; `path_px`: the needle guide's points on screen, tip first
        (planned_path_px), which the names keep clear of."""
        key = (round(probe.x_mm, 2), round(probe.y_mm, 2), round(probe.heading_deg, 2), round(probe.pressure, 2),
               view.rect.size, round(width_mm, 2), round(depth_mm, 2))
        if key != self._key:
            self._build(view, model, probe, width_mm, depth_mm)
            self._key = key
        rect = view.rect
        place_key = (rect.topleft, tuple(path_px[:1] + path_px[-1:]) if path_px else None)
        if place_key != self._place_key:
            self._place(rect, path_px)
            self._place_key = place_key
        surface.blit(self._surface, rect.topleft)
        clip = surface.get_clip()
        surface.set_clip(rect)
        for label_rect, anchor in self._leaders:
            a, b = _nearest_points(label_rect, anchor)
            pygame.draw.line(surface, (10, 10, 10), a, b, 3)
            pygame.draw.line(surface, BOUNDARY, a, b, 1)
        for (_, where), label in zip(self.placed, self._shown):
            surface.blit(label, where)
        surface.set_clip(clip)


def _gap_px(a: pygame.Rect, b: pygame.Rect) -> float:
    dx = max(0, b.x - a.right, a.x - b.right)
    dy = max(0, b.y - a.bottom, a.y - b.bottom)
    return math.hypot(dx, dy)


def _nearest_points(label: pygame.Rect, anchor: pygame.Rect) -> tuple[tuple[int, int], tuple[int, int]]:
    """The leader line: from the label's edge nearest the structure to the structure's nearest point."""
    cx = min(max(anchor.centerx, label.left), label.right - 1)
    cy = min(max(anchor.centery, label.top), label.bottom - 1)
    ax = min(max(cx, anchor.left), anchor.right - 1)
    ay = min(max(cy, anchor.top), anchor.bottom - 1)
    return (cx, cy), (ax, ay)


def planned_path_px(view, probe, plan, needle=None) -> list[tuple[int, int]]:
    """The needle guide's points on screen, every 2 mm for 120 mm: the planned in-plane line from the
    entry (before insertion), or the shaft's line carried on beyond the tip (with the needle in)."""
    if needle is None:
        needle = NeedleGeometry(plan.x_mm, plan.y_mm, plan.angle_deg, plan.heading_deg, 0.0, 25)
    start, direction = needle.tip, needle.direction
    points = []
    for i in range(0, 121, 2):
        x, y, d = (start[k] + i * direction[k] for k in range(3))
        lateral, _, depth = probe.to_plane(x, y, d)
        points.append(view.to_px(float(lateral), float(depth)))
    return points


def draw_planned_path(surface, view, points) -> None:
    """The needle guide, dashed (2 mm dashes), so the tip's way ahead is seen."""
    clip = surface.get_clip()
    surface.set_clip(view.rect)
    for i in range(0, len(points) - 1, 2):
        pygame.draw.line(surface, pal.ACCENT, points[i], points[i + 1], 2)
    surface.set_clip(clip)
