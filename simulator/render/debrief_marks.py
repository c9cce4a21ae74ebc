"""The debrief's 'Your marks and the trigger points' panel: the body region zoomed onto the
points and the marks so it fills the panel, the true points revealed with their ids, a line
from the best mark to its active point, and a legend with that distance.

Which mark counts and how far it was are the localization criterion's to decide: the panel
draws the result's metrics (`mark_point_id`, `mark_distance_mm`, `marks_near_a_point`) and
does not search the marks itself, so it can never disagree with the score beside it."""

from __future__ import annotations

import math

import pygame

from simulator.render import palette as pal
from simulator.render.palpation import PalpationRenderer, draw_mark
from simulator.render.text import panel, wrap

PAD_MM = 40.0  # context kept around the points and marks
MIN_WINDOW_MM = 100.0  # never zoom closer than this: landmarks stay in view
ROW_H = 18
POINT_R = 7
LATENT = (60, 60, 72)


def focus_window_mm(case, marks, aspect: float) -> tuple[float, float, float, float]:
    """(x, y, w, h) mm of the region around every trigger point and mark, at the panel's aspect."""
    region = case.body_region
    xs = [tp.x_mm for tp in case.trigger_points] + [x for x, _ in marks]
    ys = [tp.y_mm for tp in case.trigger_points] + [y for _, y in marks]
    if not xs:
        return 0.0, 0.0, region.width_mm, region.height_mm
    w = max(max(xs) - min(xs) + 2 * PAD_MM, MIN_WINDOW_MM)
    h = max(max(ys) - min(ys) + 2 * PAD_MM, MIN_WINDOW_MM)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    if w > region.width_mm or h > region.height_mm:  # as much as the region allows, keeping the aspect
        scale = min(region.width_mm / w, region.height_mm / h)
        w, h = w * scale, h * scale
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = min(max(cx - w / 2, 0.0), region.width_mm - w)
    y = min(max(cy - h / 2, 0.0), region.height_mm - h)
    return x, y, w, h


def best_mark(case, marks, metrics: dict):
    """(mark, active point, distance mm) for the mark the score credited, or None when it credited none.

    The result names the point and the distance; the mark drawn is the one lying at that distance."""
    point_id, distance = metrics.get("mark_point_id"), metrics.get("mark_distance_mm")
    tp = next((p for p in case.trigger_points if p.id == point_id), None)
    if tp is None or distance is None or not marks:
        return None
    mark = min(marks, key=lambda m: abs(math.hypot(tp.x_mm - m[0], tp.y_mm - m[1]) - distance))
    return mark, tp, distance


def draw_point(surface, centre, active: bool) -> None:
    if active:
        pygame.draw.circle(surface, pal.ON_SKIN_EDGE, centre, POINT_R + 2)  # a dark rim: red alone is faint on skin
        pygame.draw.circle(surface, pal.DANGER, centre, POINT_R)
    else:
        pygame.draw.circle(surface, LATENT, centre, POINT_R, 2)


class MarksPanel:
    """Built once per debrief and window size; draws into the same rectangle every frame."""

    def __init__(self, case, marks, fonts, rect: pygame.Rect, result: dict):
        self.case, self.marks, self.fonts, self.rect = case, list(marks), fonts, pygame.Rect(rect)
        self.metrics = result.get("metrics", {})
        self.best = best_mark(case, self.marks, self.metrics)
        inner = pygame.Rect(rect.x + 10, rect.y + 28, rect.width - 20, rect.height - 36)
        self.legend_rows = self._legend_lines(inner.width)
        legend_h = len(self.legend_rows) * ROW_H + 8
        self.box = pygame.Rect(inner.x, inner.y, inner.width, inner.height - legend_h)
        self.legend = pygame.Rect(inner.x, self.box.bottom + 8, inner.width, legend_h - 8)
        window = focus_window_mm(case, self.marks, self.box.width / max(1, self.box.height))
        self.palpation = PalpationRenderer(case, fonts, self.box, show_muscles=False, window_mm=window,
                                           keep_clear=lambda r: [self.scale_rect(r)])

    # ------------------------------------------------------------------ legend text
    def _legend_lines(self, width: int) -> list[tuple[bool, str, str]]:
        """(first line of its row, symbol, text) lines: marks with the best distance, then the active and the latent ids."""
        font = self.fonts.regular(12)
        best = self.best
        full_mm = self.case.rubric.thresholds.localization_full_mm
        if not self.marks:
            rows = [("mark", "No skin mark was made")]
        elif best is None:
            rows = [("mark", f"Your marks ({len(self.marks)}); this case has no active point")]
        else:
            _, tp, d = best
            count = "Your mark" if len(self.marks) == 1 else f"Your {len(self.marks)} marks; best"
            rows = [("mark", f"{count}: {d:.1f} mm from {tp.id} (full credit within {full_mm:g} mm)")]
            near = self.metrics.get("marks_near_a_point")
            if near is not None and near < len(self.marks):
                rows.append(("stray", f"{len(self.marks) - near} of your marks near no trigger point reduce the credit"))
        for activity, symbol in (("active", "active"), ("latent", "latent")):
            ids = [tp.id for tp in self.case.trigger_points if tp.activity == activity]
            if ids:
                rows.append((symbol, f"{activity.capitalize()} point{'s' if len(ids) > 1 else ''}: {', '.join(ids)}"))
        out = []
        for symbol, text in rows:  # long rows wrap; only the first line of a row carries the symbol
            for i, line in enumerate(wrap(font, text, width - 24)):
                out.append((i == 0, symbol, line))
        return out

    # ------------------------------------------------------------------ drawing
    def draw(self, surface) -> None:
        title = "Your marks and the trigger points"
        if self.fonts.text(title.upper(), 12, pal.TEXT_DIM, "bold").get_width() > self.rect.width - 24:
            title = "Marks and trigger points"
        panel(surface, self.rect, self.fonts, title)
        view = self.palpation.view
        self.palpation.draw(surface)
        clip = surface.get_clip()
        surface.set_clip(self.palpation.visible)
        if self.best is not None:
            (mx, my), tp, d = self.best
            a, b = view.to_px(mx, my), view.to_px(tp.x_mm, tp.y_mm)
            self._dashed(surface, a, b)
        self._draw_points(surface)
        for x, y in self.marks:  # on top: a mark right on a point stays visible
            draw_mark(surface, view.to_px(x, y))
        self._draw_scale(surface)
        surface.set_clip(clip)
        self._draw_legend(surface)

    def scale_rect(self, palpation: PalpationRenderer | None = None) -> pygame.Rect:
        """Where the 10 mm bar and its backing go: the drawing's lower right corner (names keep clear of it)."""
        palpation = palpation or self.palpation
        length = round(10 * palpation.view.px_per_mm)
        label = self.fonts.text("10 mm", 12, pal.LANDMARK, "bold")
        backing = pygame.Rect(0, 0, max(length, label.get_width()) + 12, label.get_height() + 12)
        backing.bottomright = (palpation.visible.right - 6, palpation.visible.bottom - 6)
        return backing

    def _draw_scale(self, surface) -> None:
        """A 10 mm bar in the drawing's lower right corner, to judge distances by eye."""
        length = round(10 * self.palpation.view.px_per_mm)
        label = self.fonts.text("10 mm", 12, pal.LANDMARK, "bold")
        backing = self.scale_rect()
        layer = pygame.Surface(backing.size, pygame.SRCALPHA)
        pygame.draw.rect(layer, (*pal.BONE, 190), layer.get_rect(), border_radius=4)
        surface.blit(layer, backing.topleft)
        y = backing.bottom - 6
        x0 = backing.centerx - length // 2
        pygame.draw.line(surface, pal.LANDMARK, (x0, y), (x0 + length, y), 2)
        for x in (x0, x0 + length):
            pygame.draw.line(surface, pal.LANDMARK, (x, y - 4), (x, y), 2)
        surface.blit(label, (backing.centerx - label.get_width() // 2, backing.y + 2))

    @staticmethod
    def _dashed(surface, a, b, dash_px: int = 5) -> None:
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        for i in range(0, int(length), 2 * dash_px):
            t0, t1 = i / length, min(1.0, (i + dash_px) / length)
            p0 = (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0)
            p1 = (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)
            pygame.draw.line(surface, pal.MARK, p0, p1, 2)

    def _draw_points(self, surface) -> None:
        view = self.palpation.view
        spots = [(tp, view.to_px(tp.x_mm, tp.y_mm)) for tp in self.case.trigger_points]
        taken = [self.scale_rect()] + [pygame.Rect(x - 9, y - 9, 18, 18) for _, (x, y) in spots]
        taken += [pygame.Rect(x - 8, y - 8, 16, 16) for x, y in (view.to_px(*m) for m in self.marks)]
        for tp, centre in spots:
            draw_point(surface, centre, tp.activity == "active")
        activity = {tp.id: tp.activity for tp in self.case.trigger_points}
        for text, r in self.palpation.place_point_labels([(tp.id, x, y) for tp, (x, y) in spots], taken):
            pygame.draw.rect(surface, (250, 246, 240), r.inflate(6, 0), border_radius=4)
            colour = (120, 24, 24) if activity.get(text) == "active" else (40, 40, 50)
            surface.blit(self.fonts.text(text, 12, colour, "bold"), r)

    def _draw_legend(self, surface) -> None:
        x, y = self.legend.x, self.legend.y
        good = self.best is not None and self.best[2] <= self.case.rubric.thresholds.localization_full_mm
        for first, symbol, text in self.legend_rows:
            cy = y + ROW_H // 2
            if first and symbol != "stray":  # the stray-marks note continues the marks row
                pygame.draw.circle(surface, pal.BONE, (x + 8, cy), POINT_R + 2)  # the drawing's light backing
                if symbol == "mark":
                    draw_mark(surface, (x + 8, cy), 4)
                else:
                    draw_point(surface, (x + 8, cy), symbol == "active")
            colour = (pal.OK if good else pal.WARN) if symbol == "mark" and self.best is not None else pal.TEXT_DIM
            colour = pal.WARN if symbol == "stray" else colour
            surface.blit(self.fonts.text(text, 12, colour), (x + 24, cy - 8))
            y += ROW_H
