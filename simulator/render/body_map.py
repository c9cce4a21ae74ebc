"""The small front/back body map that lights up where the patient feels the pain.

Region positions come from `simulator.scenario.body_map.BODY_MAP`, the same table the case
format validates against, so every region an educator can name can be shown.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.scenario.body_map import BODY_MAP

# Figure parts in figure coordinates: x 0..1 of the width, y 0..1 of the height (height = 2 x width).
_LIMBS = [
    [(0.30, 0.165), (0.25, 0.33), (0.20, 0.49)],  # arm
    [(0.42, 0.50), (0.41, 0.74), (0.41, 0.96)],  # leg
]
_TORSO = [(0.30, 0.15), (0.70, 0.15), (0.66, 0.40), (0.69, 0.52), (0.31, 0.52), (0.34, 0.40)]


class BodyMapRenderer:
    """Two figures (front, back) fitted side by side into `box`."""

    def __init__(self, fonts, box: pygame.Rect):
        self.fonts = fonts
        self.box = box
        label_h = 16
        fig_h = box.height - label_h
        fig_w = min(fig_h // 2, (box.width - 10) // 2)
        fig_h = fig_w * 2
        gap = max(10, (box.width - 2 * fig_w) // 3)
        x0 = box.x + (box.width - 2 * fig_w - gap) // 2
        self.figures = {
            "front": pygame.Rect(x0, box.y + label_h, fig_w, fig_h),
            "back": pygame.Rect(x0 + fig_w + gap, box.y + label_h, fig_w, fig_h),
        }
        self._static = pygame.Surface(box.size, pygame.SRCALPHA)
        for view, rect in self.figures.items():
            self._draw_figure(rect.move(-box.x, -box.y))
            label = fonts.bold(10).render(view.upper(), True, pal.TEXT_FAINT)
            self._static.blit(label, (rect.centerx - box.x - label.get_width() // 2, 0))

    def _draw_figure(self, rect: pygame.Rect) -> None:
        surf = self._static

        def pt(x, y):
            return rect.x + x * rect.width, rect.y + y * rect.height

        limb_w = max(3, round(rect.width * 0.11))
        for limb in _LIMBS:
            for mirror in (False, True):
                pts = [pt(1 - x if mirror else x, y) for x, y in limb]
                pygame.draw.lines(surf, pal.FIGURE, False, pts, limb_w)
                for p in pts:
                    pygame.draw.circle(surf, pal.FIGURE, p, limb_w // 2)
        pygame.draw.polygon(surf, pal.FIGURE, [pt(x, y) for x, y in _TORSO])
        neck = pygame.Rect(0, 0, rect.width * 0.14, rect.height * 0.05)
        neck.midtop = (round(pt(0.5, 0.095)[0]), round(pt(0.5, 0.095)[1]))
        pygame.draw.rect(surf, pal.FIGURE, neck)
        head = pygame.Rect(0, 0, rect.width * 0.2, rect.height * 0.105)
        head.center = (round(pt(0.5, 0.055)[0]), round(pt(0.5, 0.055)[1]))
        pygame.draw.ellipse(surf, pal.FIGURE, head)

    def draw(self, surface: pygame.Surface, referred=(), complaint=()) -> None:
        """Light `referred` regions (the patient feels it now) and outline the usual `complaint`."""
        surface.blit(self._static, self.box.topleft)
        for name in complaint:
            self._spot(surface, name, pal.COMPLAINT, filled=False)
        for name in referred:
            self._spot(surface, name, pal.REFERRED, filled=True)

    def _spot(self, surface, name: str, colour, filled: bool) -> None:
        region = BODY_MAP.get(name)
        if region is None:
            return
        rect = self.figures[region.view]
        x = rect.x + region.x * rect.width
        y = rect.y + region.y * rect.height
        r = max(3, round(region.radius * rect.width))
        if filled:
            glow = pygame.Surface((4 * r, 4 * r), pygame.SRCALPHA)
            pygame.draw.circle(glow, (*colour, 70), (2 * r, 2 * r), 2 * r)
            pygame.draw.circle(glow, (*colour, 220), (2 * r, 2 * r), r)
            surface.blit(glow, (x - 2 * r, y - 2 * r))
        else:
            pygame.draw.circle(surface, colour, (x, y), r, 1)
