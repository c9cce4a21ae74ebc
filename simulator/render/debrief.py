"""Debrief panels: the score with each criterion's evidence, critical errors, the needle path
over an ultrasound frame, the skin marks beside the true points, and the teaching points."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import badge, blit_wrapped, panel


def draw_score(surface, rect, fonts, result: dict) -> None:
    inner = panel(surface, rect, fonts, "Score")
    total = float(result.get("total", 0.0))
    passed = bool(result.get("passed"))
    big = fonts.bold(34).render(f"{total:.0f}", True, pal.OK if passed else pal.DANGER)
    surface.blit(big, (inner.x, inner.y))
    x = inner.x + big.get_width() + 8
    surface.blit(fonts.regular(15).render(f"/ 100   pass mark {result.get('pass_mark', 0):g}", True, pal.TEXT_DIM),
                 (x, inner.y + 18))
    badge(surface, fonts, "PASS" if passed else "FAIL", (inner.right - 60, inner.y + 12), pal.OK if passed else pal.DANGER, 14)
    y = inner.y + big.get_height() + 10
    small = fonts.regular(12)
    for row in result.get("criteria", []):
        if y > inner.bottom - 30:
            break
        points, maximum = float(row.get("points", 0)), float(row.get("max", 0)) or 1.0
        title = fonts.bold(13).render(row.get("title", row.get("id", "")), True, pal.TEXT)
        surface.blit(title, (inner.x, y))
        score = fonts.mono(12).render(f"{points:.1f} / {maximum:g}", True, pal.TEXT_DIM)
        surface.blit(score, (inner.right - score.get_width(), y + 1))
        bar = pygame.Rect(inner.x + 190, y + 6, inner.width - 190 - 90, 6)
        pygame.draw.rect(surface, pal.BG, bar, border_radius=3)
        share = max(0.0, min(1.0, points / maximum))
        colour = pal.OK if share >= 0.8 else pal.WARN if share >= 0.4 else pal.DANGER
        if share > 0:
            pygame.draw.rect(surface, colour, (bar.x, bar.y, round(bar.width * share), bar.height), border_radius=3)
        y = blit_wrapped(surface, small, row.get("evidence", ""), (inner.x, y + 19), inner.width, pal.TEXT_DIM,
                         max_y=inner.bottom) + 6


def draw_critical(surface, rect, fonts, result: dict) -> None:
    inner = panel(surface, rect, fonts, "Critical errors")
    errors = result.get("critical_errors", [])
    if not errors:
        blit_wrapped(surface, fonts.regular(14), "None.", inner.topleft, inner.width, pal.OK)
        return
    y = inner.y
    for error in errors:
        text = f"{error.get('t_s', 0):.1f} s  {error.get('type', '')}: {error.get('message', '')}"
        y = blit_wrapped(surface, fonts.regular(13), text, (inner.x, y), inner.width, pal.DANGER, max_y=inner.bottom)


def draw_list(surface, rect, fonts, title: str, items: list[str], colour=pal.TEXT) -> None:
    inner = panel(surface, rect, fonts, title)
    y = inner.y
    for item in items:
        y = blit_wrapped(surface, fonts.regular(13), f"\u2022 {item}", (inner.x, y), inner.width, colour,
                         max_y=inner.bottom) + 4


def draw_needle_path(surface, view, probe, tips, fonts) -> None:
    """Tip positions (x, y, depth mm) projected onto the image plane, joined in time order."""
    points = []
    for x, y, d in tips:
        lateral, _, depth = probe.to_plane(x, y, d)
        points.append(view.to_px(float(lateral), float(depth)))
    clip = surface.get_clip()
    surface.set_clip(view.rect)
    if len(points) >= 2:
        pygame.draw.lines(surface, pal.WARN, False, points, 2)
    for p in points[-1:]:
        pygame.draw.circle(surface, pal.DANGER, p, 5, 2)
    surface.set_clip(clip)


def draw_true_points(surface, palpation_view, case, fonts) -> None:
    """The case's trigger points (revealed at the debrief): active filled red, latent hollow."""
    for tp in case.trigger_points:
        x, y = palpation_view.to_px(tp.x_mm, tp.y_mm)
        if tp.activity == "active":
            pygame.draw.circle(surface, pal.DANGER, (x, y), 7)
        else:
            pygame.draw.circle(surface, pal.TEXT_FAINT, (x, y), 7, 2)
        label = fonts.regular(11).render(tp.id, True, (40, 20, 20))
        surface.blit(label, (x + 9, y - 8))
