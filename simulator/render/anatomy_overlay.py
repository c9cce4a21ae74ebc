"""The anatomy under the probe, drawn on the ultrasound image: tissues, outlines and names.

Practice only (and the debrief, after the attempt): it shows what the case says is in the
image plane, so a resident can match each band and dark circle on the scan to its anatomy.
It reuses the authors' cross-section (render/cross_section.py) for the colours and the
names; the plane is sliced at a quarter of the screen resolution and cached for the probe
pose, so it costs nothing while the probe is still.

The image is mapped linearly (lateral across, depth down), as a linear probe shows it; for a
curvilinear probe the overlay is the same plane on the sector's bounding box, right under
the centre of the face and only approximate towards the sector's edges.

Names go where they hide the least of what is drawn (section_names.py): never over a trigger
point, a vessel's lumen, the needle's tip or its planned path, and always inside the image; a
name that had to move away from its structure gets a leader line to it.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from simulator.core.geometry import NeedleGeometry
from simulator.render import palette as pal
from simulator.render.cross_section import colour_table, section_labels
from simulator.render.field_labels import mark_disc, mark_polyline
from simulator.render.section_names import draw_names, from_section_labels, name_fields, place_names

SCALE = 3  # screen pixels per slice pixel
MIN_LABEL_ROWS = 6  # a layer at least this many slice pixels thick is named (about 2 mm on a 4 cm image)
BOUNDARY = (250, 250, 250)
PATH_REACH_PX = 6  # names keep this clear of the planned path's line
TIP_REACH_PX = 18  # and of the needle tip (its tracker ring is 14 px)


class AnatomyOverlay:
    """`draw(surface, view, model, probe, width_mm, depth_mm, path_px)`; `alpha` 0-255 for the tissue colours.

    After a draw, `placed` holds (name as shown, screen rect) for every name on the image."""

    def __init__(self, fonts, alpha: int = 60):
        self.fonts = fonts
        self.alpha = alpha
        self._key = None
        self._place_key = None
        self._surface: pygame.Surface | None = None
        self._names: list = []
        self._cost: np.ndarray | None = None
        self._blocked: np.ndarray | None = None
        self._cells = (1.0, 1.0)  # screen px per cell, across and down
        self._placed: list = []

    @property
    def placed(self) -> list[tuple[str, pygame.Rect]]:
        return [(name.text, name.rect) for name in self._placed]

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
        self._cost, self._blocked = name_fields(labels, np.asarray(section.trigger_point_index))
        self._names = from_section_labels(section_labels(model, probe, section, MIN_LABEL_ROWS))
        self._place_key = None

    def _place(self, rect: pygame.Rect, path_px) -> None:
        """Place every name, keeping clear of the needle guide's line and the tip at its start."""
        sx, sy = self._cells
        blocked = self._blocked.copy()
        if path_px:
            cells = [((x - rect.x) / sx, (y - rect.y) / sy) for x, y in path_px]
            mark_polyline(blocked, cells, math.ceil(PATH_REACH_PX / min(sx, sy)))
            mark_disc(blocked, *cells[0], math.ceil(TIP_REACH_PX / min(sx, sy)))
        self._placed = place_names(self.fonts, self._names, self._cost, blocked, rect.topleft, self._cells)

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
        draw_names(surface, self._placed)
        surface.set_clip(clip)


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
