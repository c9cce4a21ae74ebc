"""The front/back body map: where the patient usually hurts, and where this press sends the pain.

Region positions come from `simulator.scenario.body_map.BODY_MAP`, the same table the case
format validates against, so every region an educator can name can be shown. Figures are
drawn once per size (supersampled, then smoothed); the lit picture is rebuilt only when the
set of lit regions changes, so a frame costs one blit.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from simulator.render import palette as pal
from simulator.scenario.body_map import BODY_MAP

SS = 4  # supersampling factor for the static drawing
LABEL_H = 15  # FRONT / BACK captions above the figures
LEGEND_H = 16  # the legend row under the figures
OUTSIDE_GLOW = 0.4  # a lit region's glow beyond the silhouette, relative to inside it

# The silhouette in figure coordinates: x 0..1 of the width, y 0..1 of the height (height = 2 x width).
# It matches the region table: head 0..0.11, shoulders 0.15-0.2, hands at 0.5, feet at 0.97.
_HEAD = (0.5, 0.056, 0.105, 0.052)  # centre x, centre y, half-width (x units), half-height (y units)
_NECK = [(0.452, 0.09), (0.548, 0.09), (0.566, 0.152), (0.434, 0.152)]
_TORSO_LEFT = [(0.44, 0.142), (0.37, 0.152), (0.325, 0.166), (0.298, 0.19), (0.305, 0.225), (0.325, 0.27),
               (0.345, 0.33), (0.352, 0.39), (0.338, 0.45), (0.328, 0.505), (0.37, 0.53), (0.5, 0.54)]
_ARM = [((0.31, 0.19), 0.088), ((0.272, 0.33), 0.066), ((0.228, 0.462), 0.052)]  # (joint, width in x units)
_HAND = (0.21, 0.497, 0.036, 0.026)
_LEG = [((0.41, 0.5), 0.14), ((0.415, 0.72), 0.085), ((0.425, 0.935), 0.058)]
# Below each ankle: the foot's top seen from the front, the heel from behind (centre x, centre y,
# half-width, half-height), joined to the ankle so the ankle, foot and heel regions sit on the figure.
_FOOT = {"front": (0.418, 0.966, 0.042, 0.013), "back": (0.425, 0.962, 0.031, 0.015)}
_KNEE_CREASE = [(0.385, 0.717), (0.415, 0.724), (0.445, 0.717)]  # back of the knee, back view


def _mirror(points):
    return [(1 - x, y) for x, y in points]


def figure_size(box: pygame.Rect) -> tuple[int, int]:
    """(width, height) of one figure fitted to `box` with its caption and legend (height = 2 x width)."""
    fig_h = box.height - LABEL_H - LEGEND_H
    fig_w = min(fig_h // 2, int(box.width / 1.72))
    return fig_w, 2 * fig_w


def width_for_height(height_px: int) -> int:
    """How wide a body-map box of this height needs to be for full-height figures."""
    fig_w = (height_px - LABEL_H - LEGEND_H) // 2
    return math.ceil(fig_w * 1.72) + 4


class BodyMapRenderer:
    """Two figures (front, back) fitted side by side into `box`, a caption each, a legend below."""

    def __init__(self, fonts, box: pygame.Rect):
        self.fonts = fonts
        self.box = pygame.Rect(box)
        fig_w, fig_h = figure_size(self.box)
        # The figure occupies the middle two thirds of its box, so the two boxes can overlap.
        step = round(fig_w * 0.72)
        x0 = self.box.x + (self.box.width - fig_w - step) // 2
        y0 = self.box.y + LABEL_H + max(0, (self.box.height - LABEL_H - LEGEND_H - fig_h) // 2)
        self.figures = {"front": pygame.Rect(x0, y0, fig_w, fig_h),
                        "back": pygame.Rect(x0 + step, y0, fig_w, fig_h)}
        self._masks: dict[str, np.ndarray] = {}
        self._static = self._draw_static()
        self._lit_key: tuple | None = None
        self._lit: pygame.Surface | None = None
        self.rebuilds = 0  # how many times the lit picture was rebuilt (it should follow changes only)

    # ------------------------------------------------------------------ static drawing
    def _local(self, view: str) -> pygame.Rect:
        return self.figures[view].move(-self.box.x, -self.box.y)

    def _draw_static(self) -> pygame.Surface:
        surf = pygame.Surface(self.box.size, pygame.SRCALPHA)
        for view in ("front", "back"):
            rect = self._local(view)
            figure = self._figure(rect.size, view)
            self._masks[view] = pygame.surfarray.array_alpha(figure).T.astype(np.float32) / 255.0  # (h, w)
            surf.blit(figure, rect.topleft)
            caption = self.fonts.text(view.upper(), 12, pal.TEXT_FAINT, "bold")
            surf.blit(caption, (rect.centerx - caption.get_width() // 2, rect.y - LABEL_H + 1))
        # The patient's right and left, so the map reads the right way round: both outer sides are the
        # patient's right (front view mirrored, back view not), the shared middle is the left.
        front, back = self._local("front"), self._local("back")
        y = front.y + round(0.58 * front.height)
        for text, x in (("R", front.x + 0.1 * front.width), ("L", (front.right + back.x) / 2),
                        ("R", back.x + 0.9 * back.width)):
            side = self.fonts.text(text, 12, pal.TEXT_FAINT, "bold")
            surf.blit(side, (round(x) - side.get_width() // 2, y))
        self._draw_legend(surf)
        return surf

    def _figure(self, size: tuple[int, int], view: str) -> pygame.Surface:
        """One smooth silhouette with a lighter rim and a few faint landmarks, drawn large and scaled down."""
        w, h = size[0] * SS, size[1] * SS
        big = pygame.Surface((w, h), pygame.SRCALPHA)

        def pt(x, y):
            return round(x * w), round(y * h)

        def limb(joints):
            for (a, wa), (b, wb) in zip(joints, joints[1:]):
                (ax, ay), (bx, by) = pt(*a), pt(*b)
                length = math.hypot(bx - ax, by - ay) or 1.0
                nx, ny = -(by - ay) / length, (bx - ax) / length
                ra, rb = wa * w / 2, wb * w / 2
                pygame.draw.polygon(big, pal.FIGURE, [(ax + nx * ra, ay + ny * ra), (bx + nx * rb, by + ny * rb),
                                                      (bx - nx * rb, by - ny * rb), (ax - nx * ra, ay - ny * ra)])
                pygame.draw.circle(big, pal.FIGURE, (ax, ay), ra)
                pygame.draw.circle(big, pal.FIGURE, (bx, by), rb)

        def ellipse(cx, cy, rx, ry):
            pygame.draw.ellipse(big, pal.FIGURE, pygame.Rect(round((cx - rx) * w), round((cy - ry) * h),
                                                             round(2 * rx * w), round(2 * ry * h)))

        ellipse(*_HEAD)
        pygame.draw.polygon(big, pal.FIGURE, [pt(*p) for p in _NECK])
        torso = _TORSO_LEFT + _mirror(_TORSO_LEFT)[::-1]
        pygame.draw.polygon(big, pal.FIGURE, [pt(*p) for p in torso])
        for mirrored in (False, True):
            arm = [((1 - x if mirrored else x, y), wd) for (x, y), wd in _ARM]
            leg = [((1 - x if mirrored else x, y), wd) for (x, y), wd in _LEG]
            limb(arm)
            limb(leg)
            hx, hy, hrx, hry = _HAND
            ellipse(1 - hx if mirrored else hx, hy, hrx, hry)
            fx, fy, frx, fry = _FOOT[view]
            fx = 1 - fx if mirrored else fx
            (ax, ay), ankle_w = leg[-1]
            pygame.draw.polygon(big, pal.FIGURE, [pt(ax - ankle_w / 2, ay), pt(ax + ankle_w / 2, ay),
                                                  pt(fx + frx, fy), pt(fx - frx, fy)])
            ellipse(fx, fy, frx, fry)
        outline = pygame.mask.from_surface(big).outline(2)
        if len(outline) > 2:
            pygame.draw.lines(big, pal.FIGURE_EDGE, True, outline, SS + 1)
        detail = (*pal.FIGURE_EDGE, 150)
        if view == "back":
            pygame.draw.line(big, detail, pt(0.5, 0.16), pt(0.5, 0.48), SS)  # spine
            for mirrored in (False, True):  # shoulder blades
                blade = [(0.45, 0.19), (0.38, 0.19), (0.4, 0.27)]
                pygame.draw.lines(big, detail, False, [pt(1 - x if mirrored else x, y) for x, y in blade], SS)
                crease = [pt(1 - x if mirrored else x, y) for x, y in _KNEE_CREASE]
                pygame.draw.lines(big, detail, False, crease, SS)
        else:
            for mirrored in (False, True):  # collarbones
                bone = [(0.47, 0.162), (0.4, 0.158), (0.34, 0.17)]
                pygame.draw.lines(big, detail, False, [pt(1 - x if mirrored else x, y) for x, y in bone], SS)
        return pygame.transform.smoothscale(big, size)

    def _draw_legend(self, surf: pygame.Surface) -> None:
        """Ring: the usual complaint; warm glow: felt with this press."""
        y = self.box.height - LEGEND_H + 8
        size = 12  # the smallest text the UI draws
        gap = 10
        for items in ([("usual pain", "ring"), ("felt now", "glow")], [("usual", "ring"), ("now", "glow")]):
            widths = [14 + self.fonts.text(t, size, pal.TEXT_DIM).get_width() for t, _ in items]
            if sum(widths) + gap <= self.box.width:
                break  # otherwise the short words
        x = (self.box.width - sum(widths) - gap) // 2
        for (text, kind), width in zip(items, widths):
            if kind == "ring":
                pygame.draw.circle(surf, pal.COMPLAINT_MUTED, (x + 5, y), 5, 1)
            else:
                pygame.draw.circle(surf, (*pal.REFERRED, 90), (x + 5, y), 6)
                pygame.draw.circle(surf, pal.REFERRED_HOT, (x + 5, y), 3)
            label = self.fonts.text(text, size, pal.TEXT_DIM)
            surf.blit(label, (x + 13, y - label.get_height() // 2))
            x += width + gap

    # ------------------------------------------------------------------ lit regions
    def _region_px(self, name: str):
        region = BODY_MAP.get(name)
        if region is None:
            return None
        rect = self._local(region.view)
        return region.view, rect, region.x * rect.width, region.y * rect.height, region.radius * rect.width

    def _build_lit(self, referred, complaint) -> pygame.Surface:
        surf = self._static.copy()
        for view in ("front", "back"):
            rect = self._local(view)
            spots = [s for s in (self._region_px(n) for n in referred) if s is not None and s[0] == view]
            if not spots:
                continue
            h, w = rect.height, rect.width
            yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) + 0.5
            heat = np.zeros((h, w), np.float32)
            for _, _, x, y, r in spots:
                reach = max(6.0, 2.4 * r)
                d2 = ((xx - x) ** 2 + (yy - y) ** 2) / (reach * reach)
                heat = np.maximum(heat, np.clip(1.0 - d2, 0.0, 1.0) ** 1.6)
            inside = self._masks[view]
            heat *= OUTSIDE_GLOW + (1.0 - OUTSIDE_GLOW) * inside
            glow = pygame.Surface((w, h), pygame.SRCALPHA)
            hot = np.clip(heat * 1.25, 0.0, 1.0) ** 2  # the centre turns from orange to a pale hot core
            rgb = np.empty((w, h, 3), np.uint8)
            for i in range(3):
                rgb[..., i] = (pal.REFERRED[i] + (pal.REFERRED_HOT[i] - pal.REFERRED[i]) * hot).T
            pygame.surfarray.blit_array(glow, rgb)
            alpha = pygame.surfarray.pixels_alpha(glow)
            alpha[...] = np.clip(heat * 330.0, 0, 255).astype(np.uint8).T
            del alpha
            surf.blit(glow, rect.topleft)
        for name in complaint:
            spot = self._region_px(name)
            if spot is None:
                continue
            _, rect, x, y, r = spot
            pygame.draw.aacircle(surf, pal.COMPLAINT_MUTED, (rect.x + x, rect.y + y), max(4.0, 1.3 * r), 1)
        return surf

    def draw(self, surface: pygame.Surface, referred=(), complaint=()) -> None:
        """Light `referred` regions (the patient feels it now) and ring the usual `complaint`."""
        key = (tuple(referred), tuple(complaint))
        if key != self._lit_key or self._lit is None:
            self._lit = self._build_lit(*key)
            if pygame.display.get_surface() is not None:
                self._lit = self._lit.convert_alpha()
            self._lit_key = key
            self.rebuilds += 1
        surface.blit(self._lit, self.box.topleft)
