"""The palpation view: the body region's drawing, landmarks, marks, fingertip, probe and needle.

The static part (skin, bones, landmarks, and the muscle outlines in practice mode) is
drawn once per size into a cached Surface; each frame adds only the moving parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from simulator.core.geometry import PROBE_FOOTPRINT_MM, NeedleGeometry, ProbePose
from simulator.paths import ASSETS_DIR
from simulator.render import palette as pal
from simulator.render.labels import around_centre, around_point, place, point_in_polygon
from simulator.render.transform import MmView

LABEL_PX = 12


@dataclass(frozen=True)
class MarkHint:
    """A skin mark; `near` is the practice-mode hint (None in assessment: nothing revealed)."""

    x_mm: float
    y_mm: float
    near: bool | None = None


@dataclass(frozen=True)
class Fingertip:
    x_mm: float
    y_mm: float
    pressure: float  # 0..1
    pressing: bool


class PalpationRenderer:
    """Draws one case's body region into a panel; rebuild it when the panel size changes."""

    def __init__(self, case, fonts, box: pygame.Rect, show_muscles: bool):
        self.case = case
        self.fonts = fonts
        region = case.body_region
        self.view = MmView.fit(box, region.width_mm, region.height_mm, margin_px=6)
        self.probe_kind = case.ultrasound.probe
        self.labels: list[tuple[str, pygame.Rect]] = []  # placed label text and screen rect
        self._static = self._draw_static(show_muscles)
        if pygame.display.get_surface() is not None:
            self._static = self._static.convert_alpha()  # display format: faster blits

    # ------------------------------------------------------------------ static drawing
    def _polygon(self, outline) -> list[tuple[int, int]]:
        return [self.view.to_px(p.x_mm, p.y_mm) for p in outline.points]

    def _draw_static(self, show_muscles: bool) -> pygame.Surface:
        rect = self.view.rect
        surf = pygame.Surface(rect.size, pygame.SRCALPHA)
        offset = (-rect.x, -rect.y)

        def shifted(points):
            return [(x + offset[0], y + offset[1]) for x, y in points]

        outlines = self.case.body_region.drawing.outlines
        skins = [o for o in outlines if o.kind == "skin"]
        asset = self.case.body_region.drawing.asset
        image_path = ASSETS_DIR / asset if asset else None
        if image_path is not None and image_path.is_file():
            image = pygame.image.load(str(image_path)).convert_alpha()
            surf.blit(pygame.transform.smoothscale(image, rect.size), (0, 0))
        elif not skins:
            pygame.draw.rect(surf, pal.SKIN, surf.get_rect(), border_radius=10)
        for outline in skins:
            pts = shifted(self._polygon(outline))
            pygame.draw.polygon(surf, pal.SKIN, pts)
            pygame.draw.polygon(surf, pal.SKIN_EDGE, pts, width=2)
        muscles = []
        for outline in outlines:
            if outline.kind == "bone":
                pts = shifted(self._polygon(outline))
                layer = pygame.Surface(rect.size, pygame.SRCALPHA)
                pygame.draw.polygon(layer, (*pal.BONE, 90), pts)
                surf.blit(layer, (0, 0))
                pygame.draw.polygon(surf, (*pal.SKIN_EDGE, 200), pts, width=1)
            elif outline.kind == "muscle" and show_muscles:
                pts = shifted(self._polygon(outline))
                layer = pygame.Surface(rect.size, pygame.SRCALPHA)
                pygame.draw.polygon(layer, (*pal.MUSCLE_HINT, 45), pts)
                pygame.draw.polygon(layer, (*pal.MUSCLE_HINT, 190), pts, width=2)
                surf.blit(layer, (0, 0))
                muscles.append((outline.name.replace("_", " "), pts))
        self._draw_labels(surf, muscles, offset)
        return surf

    def _draw_labels(self, surf: pygame.Surface, muscles, offset) -> None:
        """Landmark dots and names, then muscle names (practice), placed so that none overlap."""
        font = self.fonts.regular(LABEL_PX)
        bounds = surf.get_rect().inflate(-4, -4)
        dots = []
        for landmark in self.case.body_region.landmarks:
            x, y = self.view.to_px(landmark.x_mm, landmark.y_mm)
            x, y = x + offset[0], y + offset[1]
            pygame.draw.circle(surf, pal.LANDMARK, (x, y), 4)
            pygame.draw.circle(surf, pal.BONE, (x, y), 2)
            dots.append((landmark.name, x, y))
        taken = [pygame.Rect(x - 5, y - 5, 10, 10) for _, x, y in dots]
        placed = []
        for name, x, y in dots:
            spot = place(name, font.size, lambda w, h, x=x, y=y: around_point(x, y, w, h), bounds, taken)
            if spot:
                placed.append((*spot, pal.LANDMARK, (*pal.BONE, 170)))
        for name, pts in muscles:
            cx = round(sum(p[0] for p in pts) / len(pts))
            cy = round(sum(p[1] for p in pts) / len(pts))
            spot = place(name, font.size, lambda w, h, cx=cx, cy=cy: around_centre(cx, cy, w, h, 90), bounds, taken,
                         accept=lambda r, pts=pts: point_in_polygon(*r.center, pts))
            if spot:
                placed.append((*spot, (110, 24, 24), (255, 236, 226, 140)))
        self.labels = []
        for text, r, colour, backing in placed:
            pill = pygame.Surface(r.inflate(6, 0).size, pygame.SRCALPHA)
            pygame.draw.rect(pill, backing, pill.get_rect(), border_radius=4)
            surf.blit(pill, (r.x - 3, r.y))
            surf.blit(font.render(text, True, colour), r.topleft)
            self.labels.append((text, r.move(-offset[0], -offset[1])))

    # ------------------------------------------------------------------ per frame
    def draw(self, surface: pygame.Surface, *, marks=(), finger: Fingertip | None = None,
             probe: ProbePose | None = None, needle: NeedleGeometry | None = None,
             planned_entry: tuple[float, float, float] | None = None, jump_s: float = 0.0) -> None:
        """Draw the view. `jump_s` > 0 shakes the drawing (the jump sign, for a short time)."""
        dx = round(4 * math.sin(jump_s * 60)) if jump_s > 0 else 0
        rect = self.view.rect
        surface.blit(self._static, (rect.x + dx, rect.y))
        clip = surface.get_clip()
        surface.set_clip(rect.inflate(8, 8))
        for mark in marks:
            self._draw_mark(surface, mark)
        if probe is not None:
            self._draw_probe(surface, probe)
        if needle is not None:
            self._draw_needle(surface, needle)
        elif planned_entry is not None:
            self._draw_planned(surface, planned_entry)
        if finger is not None:
            self._draw_finger(surface, finger)
        surface.set_clip(clip)

    def _draw_mark(self, surface, mark: MarkHint) -> None:
        x, y = self.view.to_px(mark.x_mm, mark.y_mm)
        pygame.draw.line(surface, pal.MARK, (x - 6, y - 6), (x + 6, y + 6), 3)
        pygame.draw.line(surface, pal.MARK, (x - 6, y + 6), (x + 6, y - 6), 3)
        if mark.near is not None:
            colour = pal.OK if mark.near else pal.WARN
            pygame.draw.circle(surface, colour, (x, y), 10, 2)

    def _draw_probe(self, surface, probe: ProbePose) -> None:
        length_mm = PROBE_FOOTPRINT_MM.get(self.probe_kind, 38.0)
        ax, ay = probe.axis
        half_l, half_w = length_mm / 2, 4.0
        corners = []
        for sl, sw in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            x = probe.x_mm + sl * half_l * ax - sw * half_w * ay
            y = probe.y_mm + sl * half_l * ay + sw * half_w * ax
            corners.append(self.view.to_px(x, y))
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        layer_rect = pygame.Rect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
        layer = pygame.Surface(layer_rect.size, pygame.SRCALPHA)  # only the probe's bounding box
        local = [(x - layer_rect.x, y - layer_rect.y) for x, y in corners]
        pygame.draw.polygon(layer, (*pal.PROBE, 70), local)
        surface.blit(layer, layer_rect.topleft)
        pygame.draw.polygon(surface, pal.PROBE, corners, 2)
        # The orientation marker sits at the +heading end, as on a real probe.
        mx, my = self.view.to_px(probe.x_mm + half_l * ax, probe.y_mm + half_l * ay)
        pygame.draw.circle(surface, pal.PROBE, (mx, my), 4)

    def _draw_needle(self, surface, needle: NeedleGeometry) -> None:
        ex, ey = self.view.to_px(needle.entry_x_mm, needle.entry_y_mm)
        tx, ty, _ = needle.tip
        px, py = self.view.to_px(tx, ty)
        pygame.draw.line(surface, pal.NEEDLE, (ex, ey), (px, py), 2)
        pygame.draw.circle(surface, pal.DANGER, (ex, ey), 4)

    def _draw_planned(self, surface, planned: tuple[float, float, float]) -> None:
        x_mm, y_mm, heading_deg = planned
        x, y = self.view.to_px(x_mm, y_mm)
        h = math.radians(heading_deg)
        end = self.view.to_px(x_mm + 8 * math.cos(h), y_mm + 8 * math.sin(h))
        pygame.draw.circle(surface, pal.DANGER, (x, y), 5, 2)
        pygame.draw.line(surface, pal.DANGER, (x, y), end, 1)

    def _draw_finger(self, surface, finger: Fingertip) -> None:
        x, y = self.view.to_px(finger.x_mm, finger.y_mm)
        radius = 9 + round(4 * finger.pressure) if finger.pressing else 9
        layer = pygame.Surface((radius * 2 + 4, radius * 2 + 4), pygame.SRCALPHA)
        alpha = 110 + round(100 * finger.pressure) if finger.pressing else 70
        pygame.draw.circle(layer, (*pal.FINGER, alpha), (radius + 2, radius + 2), radius)
        pygame.draw.circle(layer, (60, 60, 60, 200), (radius + 2, radius + 2), radius, 1)
        surface.blit(layer, (x - radius - 2, y - radius - 2))
