"""The anatomy under the probe, drawn on the ultrasound image: tissues, outlines and names.

Practice only (and the debrief, after the attempt): it shows what the case says is in the
image plane, so a resident can match each band and dark circle on the scan to its anatomy.
It reuses the authors' cross-section (render/cross_section.py) for the colours and the
names; the plane is sliced at a quarter of the screen resolution and cached for the probe
pose, so it costs nothing while the probe is still.

The image is mapped linearly (lateral across, depth down), as a linear probe shows it; for a
curvilinear probe the overlay is the same plane on the sector's bounding box, right under
the centre of the face and only approximate towards the sector's edges.
"""

from __future__ import annotations

import numpy as np
import pygame

from simulator.core.geometry import NeedleGeometry
from simulator.render import palette as pal
from simulator.render.cross_section import colour_table, outlined, section_labels
from simulator.render.text import fit_text

SCALE = 3  # screen pixels per slice pixel
MIN_LABEL_ROWS = 6  # a layer at least this many slice pixels thick is named (about 2 mm on a 4 cm image)
BOUNDARY = (250, 250, 250)


class AnatomyOverlay:
    """`draw(surface, view, model, probe, width_mm, depth_mm)`; `alpha` 0-255 for the tissue colours."""

    def __init__(self, fonts, alpha: int = 60):
        self.fonts = fonts
        self.alpha = alpha
        self._key = None
        self._surface: pygame.Surface | None = None
        self._labels: list = []

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
        sx, sy = rect.width / w, rect.height / h
        self._labels = [(round(row * sy), round(left * sx), round(right * sx), text)
                        for row, left, right, text in section_labels(model, probe, section, MIN_LABEL_ROWS)]

    def draw(self, surface, view, model, probe, width_mm: float, depth_mm: float) -> None:
        key = (round(probe.x_mm, 2), round(probe.y_mm, 2), round(probe.heading_deg, 2), round(probe.pressure, 2),
               view.rect.size, round(width_mm, 2), round(depth_mm, 2))
        if key != self._key:
            self._build(view, model, probe, width_mm, depth_mm)
            self._key = key
        rect = view.rect
        surface.blit(self._surface, rect.topleft)
        clip = surface.get_clip()
        surface.set_clip(rect)
        placed: list[pygame.Rect] = []
        for row, left, right, text in self._labels:
            x, label = self._place(text.replace("_", " "), left, right, rect.width)
            where = label.get_rect(topleft=(rect.x + x, rect.y + row - label.get_height() // 2))
            for _ in range(3):  # names that would overlap move down a line, or are left out
                if where.collidelist(placed) < 0:
                    break
                where.y = placed[where.collidelist(placed)].bottom + 1
            if where.collidelist(placed) < 0:
                surface.blit(label, where)
                placed.append(where)
        surface.set_clip(clip)

    def _place(self, name: str, left_px: int, right_px: int, width_px: int) -> tuple[int, pygame.Surface]:
        """(x in the image, the label) for a structure spanning left_px..right_px: right of it, else left of
        it, else on the roomier side shortened with an ellipsis (a name is never cut by the image's edge)."""
        label = outlined(self.fonts, name, 12)
        right_room, left_room = width_px - (right_px + 4), left_px - 4
        if label.get_width() <= right_room:
            return right_px + 4, label
        if label.get_width() <= left_room:
            return left_room - label.get_width(), label
        room = max(right_room, left_room, min(width_px, 80))
        label = outlined(self.fonts, fit_text(self.fonts.bold(12), name, room - 2), 12)
        if right_room >= left_room and right_room >= label.get_width():
            return right_px + 4, label
        return max(0, min(left_room, width_px) - label.get_width()), label


def draw_planned_path(surface, view, probe, plan, needle=None) -> None:
    """The needle guide: the planned in-plane line from the entry (before insertion), or the shaft's
    line carried on beyond the tip (with the needle in), dashed, so the tip's way ahead is seen."""
    if needle is None:
        needle = NeedleGeometry(plan.x_mm, plan.y_mm, plan.angle_deg, plan.heading_deg, 0.0, 25)
    start, direction = needle.tip, needle.direction
    points = []
    for i in range(0, 121, 2):  # 120 mm of the line, every 2 mm
        x, y, d = (start[k] + i * direction[k] for k in range(3))
        lateral, _, depth = probe.to_plane(x, y, d)
        points.append(view.to_px(float(lateral), float(depth)))
    clip = surface.get_clip()
    surface.set_clip(view.rect)
    for i in range(0, len(points) - 1, 2):  # dashes of 2 mm
        pygame.draw.line(surface, pal.ACCENT, points[i], points[i + 1], 2)
    surface.set_clip(clip)
