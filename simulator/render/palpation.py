"""The palpation view: the body region's drawing, landmarks, marks, fingertip, probe and needle.

The static part (skin, bones, landmarks, and the muscle outlines in practice mode) is
drawn once per size into a cached Surface; each frame adds only the moving parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from simulator.core.geometry import PROBE_FOOTPRINT_MM, NeedleGeometry, ProbePose
from simulator.core.palpation import FINGER_RADIUS_MM
from simulator.render import palette as pal
from simulator.render.labels import around_centre, around_point, place, point_in_polygon
from simulator.render.skin_shading import belly_layer, shade_skin
from simulator.render.transform import MmView
from simulator.scenario.assets import asset_file

LABEL_PX = 12
LABEL_KEEP_OUT_MM = 15.0  # no muscle name within this of a trigger point (the name would point at it)


def _drawing(case) -> pygame.Surface | None:
    """The case's drawing, if the loader checked one (scenario.assets); a PNG that still fails to
    decode is left out rather than stopping the trainer."""
    path = asset_file(case)
    if path is None:
        return None
    try:
        return pygame.image.load(str(path)).convert_alpha()
    except (pygame.error, OSError):
        return None


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

    def __init__(self, case, fonts, box: pygame.Rect, show_muscles: bool,
                 window_mm: tuple[float, float, float, float] | None = None, keep_clear=None):
        """`window_mm` (x, y, width, height) zooms onto part of the region, which then fills `box`;
        `keep_clear(renderer)` returns screen rectangles no name may cover (e.g. a scale bar drawn over the view)."""
        self.case = case
        self.fonts = fonts
        region = case.body_region
        if window_mm is None:
            self.view = MmView.fit(box, region.width_mm, region.height_mm, margin_px=6)
            self.visible = self.view.rect
            self.clip = self.visible.inflate(8, 8)
        else:
            wx, wy, ww, wh = window_mm
            fitted = MmView.fit(box, ww, wh, margin_px=2)
            self.view = MmView(fitted.left - wx * fitted.px_per_mm, fitted.top - wy * fitted.px_per_mm,
                               fitted.px_per_mm, region.width_mm, region.height_mm)
            self.visible = fitted.rect.clip(self.view.rect)
            self.clip = self.visible
        self.probe_kind = case.ultrasound.probe
        self.labels: list[tuple[str, pygame.Rect]] = []  # placed label text and screen rect
        self._keep_clear = list(keep_clear(self)) if keep_clear is not None else []
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
        image = _drawing(self.case)
        if image is not None:
            surf.blit(pygame.transform.smoothscale(image, rect.size), (0, 0))
        elif not skins:
            pygame.draw.rect(surf, pal.SKIN, surf.get_rect(), border_radius=10)
        skin_pts = [shifted(self._polygon(outline)) for outline in skins]
        for pts in skin_pts:
            pygame.draw.polygon(surf, pal.SKIN, pts)
        if image is None:
            shade_skin(surf, skin_pts, self.case.id)
        for pts in skin_pts:
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
                layer = belly_layer(rect.size, pts, pal.MUSCLE_HINT)  # a rounded belly, not a flat patch
                pygame.draw.polygon(layer, (*pal.MUSCLE_HINT, 190), pts, width=2)
                surf.blit(layer, (0, 0))
                muscles.append((outline.name.replace("_", " "), pts))
        self._draw_labels(surf, muscles, offset)
        return surf

    def _draw_labels(self, surf: pygame.Surface, muscles, offset) -> None:
        """Landmark dots and names, then muscle names (practice), placed so that none overlap."""
        font = self.fonts.regular(LABEL_PX)
        bounds = self.visible.move(offset).inflate(-4, -4)  # labels stay where they can be seen
        dots = []
        for landmark in self.case.body_region.landmarks:
            x, y = self.view.to_px(landmark.x_mm, landmark.y_mm)
            x, y = x + offset[0], y + offset[1]
            if not bounds.collidepoint(x, y):
                continue
            pygame.draw.circle(surf, pal.LANDMARK, (x, y), 4)
            pygame.draw.circle(surf, pal.BONE, (x, y), 2)
            dots.append((landmark.name, x, y))
        taken = [pygame.Rect(x - 5, y - 5, 10, 10) for _, x, y in dots]
        taken += [r.move(offset).inflate(6, 2) for r in self._keep_clear]  # a name's backing reaches 3 px past it
        placed = []
        for name, x, y in dots:
            spot = place(name, font.size, lambda w, h, x=x, y=y: around_point(x, y, w, h), bounds, taken)
            if spot:
                placed.append((*spot, pal.LANDMARK, (*pal.BONE, 170)))
        # A muscle's name never sits on a trigger point: the outline shows the muscle, not the answer.
        keep_out = [self._keep_out(tp, offset) for tp in self.case.trigger_points]
        taken.extend(keep_out)
        for name, pts in muscles:
            cx = round(sum(p[0] for p in pts) / len(pts))
            cy = round(sum(p[1] for p in pts) / len(pts))
            spot = place(name, font.size, lambda w, h, cx=cx, cy=cy: around_centre(cx, cy, w, h, 90), bounds, taken,
                         accept=lambda r, pts=pts: point_in_polygon(*r.center, pts))
            if spot:
                placed.append((*spot, (110, 24, 24), (255, 236, 226, 140)))
        for r in keep_out:
            taken.remove(r)
        self.labels = []
        for text, r, colour, backing in placed:
            pill = pygame.Surface(r.inflate(6, 0).size, pygame.SRCALPHA)
            pygame.draw.rect(pill, backing, pill.get_rect(), border_radius=4)
            surf.blit(pill, (r.x - 3, r.y))
            surf.blit(font.render(text, True, colour), r.topleft)
            self.labels.append((text, r.move(-offset[0], -offset[1])))

    def place_point_labels(self, points, taken: list[pygame.Rect], clearance_px: int = 11) -> list[tuple[str, pygame.Rect]]:
        """(text, screen rect) for each (text, x_px, y_px) point's name, beside it and clear of the landmark
        names, of `taken` (the points' own symbols) and of each other; a name with no free spot is left out."""
        font = self.fonts.bold(LABEL_PX)
        occupied = [pygame.Rect(r) for _, r in self.labels] + list(taken)
        placed = []
        for text, x, y in points:
            spot = place(text, font.size, lambda w, h, x=x, y=y: around_point(x, y, w, h, clearance_px),
                         self.visible.inflate(-2, -2), occupied)
            if spot:
                placed.append(spot)
        return placed

    def _keep_out(self, tp, offset) -> pygame.Rect:
        """The square around a trigger point that no muscle name may cover."""
        x, y = self.view.to_px(tp.x_mm, tp.y_mm)
        r = round(LABEL_KEEP_OUT_MM * self.view.px_per_mm)
        return pygame.Rect(x + offset[0] - r, y + offset[1] - r, 2 * r, 2 * r)

    # ------------------------------------------------------------------ per frame
    def draw(self, surface: pygame.Surface, *, marks=(), finger: Fingertip | None = None,
             probe: ProbePose | None = None, needle: NeedleGeometry | None = None,
             planned_entry: tuple[float, float, float] | None = None, jump_s: float = 0.0) -> None:
        """Draw the view. `jump_s` > 0 shakes the drawing (the jump sign, for a short time)."""
        dx = round(4 * math.sin(jump_s * 60)) if jump_s > 0 else 0
        rect = self.view.rect
        clip = surface.get_clip()
        surface.set_clip(self.clip)
        surface.blit(self._static, (rect.x + dx, rect.y))
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
        draw_mark(surface, (x, y))
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
        """The shaft's shadow on the skin (entry to the tip's skin projection) and the entry point."""
        ex, ey = self.view.to_px(needle.entry_x_mm, needle.entry_y_mm)
        tx, ty, _ = needle.tip
        px, py = self.view.to_px(tx, ty)
        pygame.draw.line(surface, pal.LANDMARK, (ex, ey), (px, py), 4)
        pygame.draw.line(surface, pal.NEEDLE, (ex, ey), (px, py), 2)
        pygame.draw.circle(surface, pal.LANDMARK, (px, py), 3)
        draw_entry(surface, (ex, ey))

    def _draw_planned(self, surface, planned: tuple[float, float, float]) -> None:
        x_mm, y_mm, heading_deg = planned
        draw_planned_entry(surface, self.view.to_px(x_mm, y_mm), heading_deg, self.view.px_per_mm)

    def finger_radius_px(self) -> int:
        """The fingertip pad as the palpation model sizes it, at this drawing's scale."""
        return max(6, round(FINGER_RADIUS_MM * self.view.px_per_mm))

    def _draw_finger(self, surface, finger: Fingertip) -> None:
        draw_fingertip(surface, self.view.to_px(finger.x_mm, finger.y_mm), self.finger_radius_px(),
                       finger.pressure if finger.pressing else 0.0, finger.pressing)


# ---------------------------------------------------------------------- symbols (drawing and legend)
def draw_mark(surface, centre, size: int = 6) -> None:
    x, y = centre
    pygame.draw.line(surface, pal.MARK, (x - size, y - size), (x + size, y + size), 3)
    pygame.draw.line(surface, pal.MARK, (x - size, y + size), (x + size, y - size), 3)


def draw_entry(surface, centre) -> None:
    """Where the needle went through the skin: a red dot with a white rim, readable on skin and probe."""
    pygame.draw.circle(surface, pal.NEEDLE, centre, 6)
    pygame.draw.circle(surface, pal.DANGER, centre, 4)


def draw_planned_entry(surface, centre, heading_deg: float, px_per_mm: float) -> None:
    """The entry the needle will use: a dashed red ring and an arrow along the planned heading."""
    x, y = centre
    for i in range(8):
        a0 = i * math.pi / 4
        pygame.draw.arc(surface, pal.DANGER, (x - 7, y - 7, 14, 14), a0, a0 + math.pi / 8, 2)
    h = math.radians(heading_deg)
    reach = max(14.0, 10 * px_per_mm)
    end = (x + reach * math.cos(h), y + reach * math.sin(h))
    start = (x + 9 * math.cos(h), y + 9 * math.sin(h))
    pygame.draw.line(surface, pal.DANGER, start, end, 2)
    for side in (-1, 1):
        a = h + math.pi + side * 0.5
        pygame.draw.line(surface, pal.DANGER, end, (end[0] + 6 * math.cos(a), end[1] + 6 * math.sin(a)), 2)


def draw_probe_symbol(surface, rect: pygame.Rect) -> None:
    layer = pygame.Surface(rect.size, pygame.SRCALPHA)
    layer.fill((*pal.PROBE, 70))
    surface.blit(layer, rect.topleft)
    pygame.draw.rect(surface, pal.PROBE, rect, 2)
    pygame.draw.circle(surface, pal.PROBE, (rect.right, rect.centery), 3)


def draw_fingertip(surface, centre, radius: int, pressure: float, pressing: bool) -> None:
    """A translucent pad the size of the fingertip; while pressing, a blue ring grows with the pressure."""
    x, y = centre
    ring = radius + 3 + round(10 * pressure) if pressing else radius
    half = ring + 3
    layer = pygame.Surface((2 * half, 2 * half), pygame.SRCALPHA)
    c = (half, half)
    pygame.draw.circle(layer, (*pal.FINGER, 120 if pressing else 70), c, radius)
    pygame.draw.circle(layer, (*pal.LANDMARK, 210), c, radius, 1)
    if pressing:
        pygame.draw.circle(layer, (*pal.INFO, 140 + round(110 * pressure)), c, ring, 2 + round(pressure))
    pygame.draw.circle(layer, (*pal.LANDMARK, 230), c, 2)
    surface.blit(layer, (x - half, y - half))


LEGEND = [("mark", "skin mark"), ("probe", "probe footprint"), ("planned", "planned entry"),
          ("entry", "needle entry"), ("finger", "fingertip")]
MEDIUM = ["mark", "probe", "planned entry", "needle entry", "finger"]
SHORT = ["mark", "probe", "plan", "entry", "finger"]


def draw_legend(surface, rect: pygame.Rect, fonts) -> None:
    """One row naming each symbol of the palpation view; short names when the row is narrow."""
    size = 12
    icon_w = {"mark": 14, "probe": 20, "planned": 26, "entry": 14, "finger": 16}
    for names in ([text for _, text in LEGEND], MEDIUM, SHORT):
        labels = [fonts.text(text, size, pal.TEXT_DIM) for text in names]
        gap = 12
        total = sum(icon_w[k] + 4 + label.get_width() for (k, _), label in zip(LEGEND, labels))
        total += gap * (len(labels) - 1)
        if total <= rect.width:
            break
    x = rect.x + max(0, (rect.width - total) // 2)
    cy = rect.centery
    for (kind, _), label in zip(LEGEND, labels):
        icon = pygame.Rect(x, cy - 7, icon_w[kind], 14)
        if kind == "mark":
            pygame.draw.circle(surface, pal.SKIN, icon.center, 7)  # marks are drawn on skin
            draw_mark(surface, icon.center, 4)
        elif kind == "probe":
            draw_probe_symbol(surface, pygame.Rect(icon.x, cy - 3, icon.width - 3, 7))
        elif kind == "planned":
            draw_planned_entry(surface, (icon.x + 7, cy), 0.0, 0.0)
        elif kind == "entry":
            draw_entry(surface, icon.center)
        else:
            pygame.draw.circle(surface, pal.FINGER, icon.center, 4)  # the pad and its pressure ring, small
            pygame.draw.circle(surface, pal.INFO, icon.center, 7, 2)
        surface.blit(label, (icon.right + 4, cy - label.get_height() // 2))
        x = icon.right + 4 + label.get_width() + gap
