"""Debrief panels: the score with each criterion's evidence, the failing items, the needle path
over an ultrasound frame, and the teaching points (the marks panel is in debrief_marks.py).

Every number comes from the result: the total through `shown_total` (rounded down, so a
near-miss never reads as a pass), and, when a failing item capped it, the points earned
before the cap, so the trainee sees both what the work was worth and why it failed."""

from __future__ import annotations

import pygame

from simulator.core.scoring import shown_total
from simulator.core.scoring.facts import exact
from simulator.render import palette as pal
from simulator.render.cues import draw_tone_mark, share_tone
from simulator.render.text import badge, blit_wrapped, panel


def draw_score_header(surface, rect, fonts, result: dict) -> pygame.Rect:
    """The panel, total and pass/fail; returns the viewport left for the criteria breakdown."""
    inner = panel(surface, rect, fonts, "Score")
    total = float(result.get("total", 0.0))
    passed = bool(result.get("passed"))
    big = fonts.bold(34).render(str(shown_total(total)), True, pal.OK if passed else pal.DANGER)
    surface.blit(big, (inner.x, inner.y))
    x = inner.x + big.get_width() + 8
    surface.blit(fonts.regular(15).render(f"/ 100   pass mark {result.get('pass_mark', 0):g}", True, pal.TEXT_DIM),
                 (x, inner.y + 18))
    badge(surface, fonts, "PASS" if passed else "FAIL", (inner.right - 60, inner.y + 12), pal.OK if passed else pal.DANGER, 14)
    top = inner.y + big.get_height() + 8
    note = capped_note(result)
    if note:
        top = blit_wrapped(surface, fonts.regular(13), note, (inner.x, top - 6), inner.width, pal.WARN) + 8
    pygame.draw.line(surface, pal.PANEL_BORDER, (inner.x, top - 4), (inner.right, top - 4), 1)
    return pygame.Rect(inner.x, top, inner.width + 6, inner.bottom - top)


def capped_note(result: dict) -> str | None:
    """The sentence under a total a failing item capped ("points earned N, capped ..."), else None."""
    uncapped = result.get("uncapped_total")
    total = float(result.get("total", 0.0))
    if uncapped is None or not result.get("critical_errors") or shown_total(float(uncapped)) == shown_total(total):
        return None
    return (f"Points earned {shown_total(float(uncapped))}, capped below the pass mark because of a failing item "
            "(listed below).")


def render_breakdown(fonts, result: dict, width_px: int) -> pygame.Surface:
    """Every criterion with its bar and full evidence, as one tall Surface (it scrolls)."""
    surface = pygame.Surface((width_px, 3000))
    surface.fill(pal.PANEL)
    w = width_px - 12  # room for the scrollbar
    small = fonts.regular(12)
    y = 4
    for row in result.get("criteria", []):
        points, maximum = float(row.get("points", 0)), float(row.get("max", 0)) or 1.0
        title = fonts.bold(13).render(row.get("title", row.get("id", "")), True, pal.TEXT)
        surface.blit(title, (0, y))
        score = fonts.mono(12).render(f"{exact(points)} / {exact(maximum)}", True, pal.TEXT_DIM)
        surface.blit(score, (w - score.get_width(), y + 1))
        bar_x = max(title.get_width() + 12, 190)
        bar = pygame.Rect(bar_x, y + 6, max(20, w - bar_x - score.get_width() - 30), 6)
        pygame.draw.rect(surface, pal.BG, bar, border_radius=3)
        pygame.draw.rect(surface, pal.PANEL_BORDER, bar, 1, border_radius=3)  # the empty track stays visible
        share = max(0.0, min(1.0, points / maximum))
        tone = share_tone(share)
        colour = {"ok": pal.OK, "warn": pal.WARN, "danger": pal.DANGER}[tone]
        if share > 0:
            pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * share), bar.height), border_radius=3)
        draw_tone_mark(surface, tone, (bar.right + 10, bar.centery), 6, colour)
        y = blit_wrapped(surface, small, row.get("evidence", ""), (0, y + 19), w, pal.TEXT_DIM) + 8
    return surface.subsurface((0, 0, width_px, min(3000, y))).copy()


def failing_item_title(error: dict) -> str:
    """A failing item's name for people: 'pleura_puncture' -> 'Pleura puncture'."""
    return str(error.get("type", "")).replace("_", " ").capitalize()


def render_failing_items(fonts, result: dict, width_px: int) -> pygame.Surface:
    """Each failing item (time, kind, name, what happened) as one Surface; it scrolls when taller."""
    surface = pygame.Surface((width_px, 3000))
    surface.fill(pal.PANEL)
    w = width_px - 12  # room for the scrollbar
    y = 0
    for error in result.get("critical_errors", []):
        kind = str(error.get("kind", "safety"))
        tag = badge(surface, fonts, kind.upper(), (0, y + 1), pal.DANGER if kind == "safety" else pal.WARN, 12)
        head = f"{failing_item_title(error)}  at {float(error.get('t_s') or 0.0):.1f} s"
        surface.blit(fonts.text(head, 13, pal.TEXT, "bold"), (tag.right + 8, y))
        y = blit_wrapped(surface, fonts.regular(13), str(error.get("message", "")), (0, y + 20), w, pal.TEXT_DIM) + 8
    return surface.subsurface((0, 0, width_px, max(1, min(3000, y)))).copy()


def draw_critical(surface, rect, fonts, result: dict) -> pygame.Rect:
    """The panel; "None." when nothing failed. Returns the viewport for `render_failing_items`."""
    errors = result.get("critical_errors", [])
    title = f"Failing items ({len(errors)})" if errors else "Failing items"
    inner = panel(surface, rect, fonts, title)
    if not errors:
        blit_wrapped(surface, fonts.regular(14), "None.", inner.topleft, inner.width, pal.OK)
    return pygame.Rect(inner.x, inner.y, inner.width + 6, inner.height)


def render_list(fonts, items: list[str], width_px: int, colour=pal.TEXT) -> pygame.Surface:
    """Bulleted items as one Surface `width_px` wide and as tall as they are (it scrolls when taller)."""
    surface = pygame.Surface((width_px, 3000))
    surface.fill(pal.PANEL)
    y = 0
    for item in items:
        y = blit_wrapped(surface, fonts.regular(13), f"\u2022 {item}", (0, y), width_px - 12, colour) + 4
    return surface.subsurface((0, 0, width_px, max(1, min(3000, y)))).copy()


def needle_path_px(view, probe, tips) -> list[tuple[int, int]]:
    """Tip positions (x, y, depth mm) projected onto the image plane, in time order, on screen."""
    points = []
    for x, y, d in tips:
        lateral, _, depth = probe.to_plane(x, y, d)
        points.append(view.to_px(float(lateral), float(depth)))
    return points


def draw_needle_path(surface, view, probe, tips, fonts) -> None:
    """Tip positions (x, y, depth mm) projected onto the image plane, joined in time order."""
    points = needle_path_px(view, probe, tips)
    clip = surface.get_clip()
    surface.set_clip(view.rect)
    if len(points) >= 2:
        pygame.draw.lines(surface, pal.WARN, False, points, 2)
    for p in points[-1:]:
        pygame.draw.circle(surface, pal.DANGER, p, 5, 2)
    surface.set_clip(clip)
