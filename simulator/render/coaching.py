"""Drawing the practice coach: the live step checklist and the message banner on the image.

The decisions (which step is next, which message, how much of the answer) are made in
simulator.core.coaching; these functions only draw what they are given. Each checklist row
carries a symbol as well as a colour (done, now, to do), so it reads without colour too.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import panel, wrap

TONE_COLOURS = {"info": pal.INFO, "warn": pal.WARN, "danger": pal.DANGER}
ROW_H = 17


def draw_symbol(surface: pygame.Surface, kind: str, centre: tuple[int, int], colour) -> None:
    """A tick (done), a filled triangle (now) or an open circle (to do), drawn so no font glyph is needed."""
    x, y = centre
    if kind == "done":
        pygame.draw.lines(surface, colour, False, [(x - 5, y), (x - 1, y + 4), (x + 5, y - 4)], 2)
    elif kind == "now":
        pygame.draw.polygon(surface, colour, [(x - 4, y - 5), (x + 5, y), (x - 4, y + 5)])
    else:
        pygame.draw.circle(surface, colour, (x, y), 4, 1)


def draw_checklist(surface: pygame.Surface, rect: pygame.Rect, fonts, rows, hint_key: str = "T") -> None:
    """`rows`: (title, done) in the procedure's order. Shows the first open step with its neighbours:
    as many rows as fit, the open step kept in view, and 'n of m done' in the title."""
    done_count = sum(1 for _, done in rows if done)
    inner = panel(surface, rect, fonts, f"Steps  \u00b7  {done_count} of {len(rows)} done  \u00b7  {hint_key}: hint")
    fit = max(1, inner.height // ROW_H)
    current = next((i for i, (_, done) in enumerate(rows) if not done), len(rows))
    first = max(0, min(current - 1, len(rows) - fit))
    y = inner.y
    for i in range(first, min(len(rows), first + fit)):
        title, done = rows[i]
        if done:
            symbol, colour, kind = "done", pal.OK, "regular"
        elif i == current:
            symbol, colour, kind = "now", pal.ACCENT, "bold"
        else:
            symbol, colour, kind = "todo", pal.TEXT_DIM, "regular"
        draw_symbol(surface, symbol, (inner.x + 6, y + ROW_H // 2), colour)
        surface.blit(fonts.text(title, 13, pal.TEXT if i == current else colour, kind), (inner.x + 18, y))
        y += ROW_H


def draw_banner(surface: pygame.Surface, area: pygame.Rect, fonts, text: str, tone: str = "warn") -> pygame.Rect:
    """A coloured message box along the bottom of `area` (the ultrasound image), wrapped to fit."""
    font = fonts.bold(13)
    lines = wrap(font, text, area.width - 44)
    line_h = font.get_linesize()
    banner = pygame.Rect(0, 0, max(font.size(line)[0] for line in lines) + 24, len(lines) * line_h + 10)
    banner.midbottom = (area.centerx, area.bottom - 10)
    pygame.draw.rect(surface, TONE_COLOURS.get(tone, pal.WARN), banner, border_radius=6)
    for i, line in enumerate(lines):
        label = fonts.text(line, 13, pal.BG, "bold")
        surface.blit(label, (banner.centerx - label.get_width() // 2, banner.y + 5 + i * line_h))
    return banner
