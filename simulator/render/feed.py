"""The event feed: the newest lines at the bottom, the patient's words in quotes.

It scrolls back (the wheel over it): `scroll_back` entries at the bottom are left out, and the
title says how many newer ones are hidden, so the trainee knows the view is not the latest.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.cues import draw_tone_mark
from simulator.render.hud import format_clock
from simulator.render.text import panel, wrap

TONES = {"info": pal.TEXT_DIM, "ok": pal.OK, "warn": pal.WARN, "danger": pal.DANGER, "speech": pal.TEXT}


def draw_feed(surface: pygame.Surface, rect: pygame.Rect, fonts, lines: list[tuple[float, str, str]],
              scroll_back: int = 0) -> None:
    """`lines` are (t_s, text, tone), oldest first; as many as fit are drawn, newest last, after
    leaving out the newest `scroll_back` entries."""
    scroll_back = max(0, min(scroll_back, len(lines) - 1))
    title = f"Event feed  \u00b7  {scroll_back} newer below" if scroll_back else "Event feed"
    inner = panel(surface, rect, fonts, title)
    font = fonts.regular(13)
    clock_font = fonts.mono(12)
    mark_x = inner.x + clock_font.size("00:00")[0] + 9  # a tone's shape between the clock and the text
    text_x = mark_x + 9
    width = inner.right - text_x
    height = font.get_linesize()
    fit = max(0, inner.height // height)
    # Newest first, whole entries only: an entry that does not fit entirely is left out.
    rows: list[tuple[str | None, str, str]] = []
    for t_s, text, tone in reversed(lines[:len(lines) - scroll_back]):
        wrapped = wrap(font, f"\u201c{text}\u201d" if tone == "speech" else text, width)
        if len(rows) + len(wrapped) > fit:
            break
        entry = [(format_clock(t_s) if i == 0 else None, line, tone) for i, line in enumerate(wrapped)]
        rows = entry + rows
    y = inner.bottom - len(rows) * height
    for clock, line, tone in rows:
        colour = TONES.get(tone, pal.TEXT)
        if clock:
            surface.blit(clock_font.render(clock, True, pal.TEXT_FAINT), (inner.x, y + 1))
            draw_tone_mark(surface, tone, (mark_x, y + height // 2), 5, colour)
        surface.blit(font.render(line, True, colour), (text_x, y))
        y += height
