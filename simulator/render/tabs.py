"""Tab headers along the top of a panel (the left panel's Palpation | Case card)."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal


def tab_rects(strip: pygame.Rect, fonts, labels: list[str]) -> list[pygame.Rect]:
    """One rectangle per tab, sized to its label, left to right."""
    font = fonts.bold(13)
    rects, x = [], strip.x
    for label in labels:
        w = font.size(label)[0] + 32
        rects.append(pygame.Rect(x, strip.y, w, strip.height))
        x += w + 4
    return rects


def draw_tabs(surface: pygame.Surface, strip: pygame.Rect, fonts, labels: list[str], active: int,
              hint: str = "", dots: dict[int, tuple[int, int, int]] | None = None) -> list[pygame.Rect]:
    """Draw the headers (the active one raised and underlined); `dots` marks tabs needing a look."""
    font = fonts.bold(13)
    rects = tab_rects(strip, fonts, labels)
    pygame.draw.line(surface, pal.PANEL_BORDER, (strip.x, strip.bottom - 1), (strip.right, strip.bottom - 1), 1)
    for i, (label, rect) in enumerate(zip(labels, rects)):
        if i == active:
            pygame.draw.rect(surface, pal.PANEL_RAISED, rect, border_top_left_radius=5, border_top_right_radius=5)
            pygame.draw.line(surface, pal.ACCENT, (rect.x + 2, rect.bottom - 2), (rect.right - 3, rect.bottom - 2), 3)
        text = font.render(label, True, pal.TEXT if i == active else pal.TEXT_DIM)
        surface.blit(text, text.get_rect(center=(rect.centerx, rect.centery - 1)))
        if dots and i in dots:
            pygame.draw.circle(surface, dots[i], (rect.right - 7, rect.y + 10), 4)
    if hint:
        text = fonts.regular(12).render(hint, True, pal.TEXT_FAINT)
        surface.blit(text, (strip.right - text.get_width(), strip.centery - text.get_height() // 2))
    return rects
