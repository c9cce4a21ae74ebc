"""Text helpers shared by the panels: word wrapping, panels with titles, key/value lines."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal


def wrap(font: pygame.font.Font, text: str, width_px: int) -> list[str]:
    """Greedy word wrap; a word longer than the line is put on its own line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        line = words[0]
        for word in words[1:]:
            trial = f"{line} {word}"
            if font.size(trial)[0] <= width_px:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


ELLIPSIS = "\u2026"


def fit_text(font: pygame.font.Font, text: str, width_px: int) -> str:
    """`text`, or as many of its words as fit `width_px` followed by an ellipsis."""
    if font.size(text)[0] <= width_px:
        return text
    words = text.rstrip(ELLIPSIS).split()
    while words:
        trial = " ".join(words).rstrip(",;:.") + ELLIPSIS
        if font.size(trial)[0] <= width_px:
            return trial
        words.pop()
    return ELLIPSIS


def blit_wrapped(surface: pygame.Surface, font: pygame.font.Font, text: str, pos: tuple[int, int],
                 width_px: int, colour=pal.TEXT, max_y: int | None = None, line_gap: int = 2) -> int:
    """Draw wrapped text from `pos`; returns the y below the last line drawn. When `max_y` cuts
    the text short, the last line shown ends with an ellipsis, so the cut is never silent."""
    x, y = pos
    height = font.get_linesize() + line_gap
    lines = wrap(font, text, width_px)
    if max_y is not None:
        room = max(0, (max_y - y) // height)
        if room < len(lines):
            lines = lines[:room]
            if lines:
                lines[-1] = fit_text(font, lines[-1].rstrip(",;:.") + ELLIPSIS, width_px)
    for line in lines:
        surface.blit(font.render(line, True, colour), (x, y))
        y += height
    return y


def panel(surface: pygame.Surface, rect: pygame.Rect, fonts, title: str | None = None,
          colour=pal.PANEL) -> pygame.Rect:
    """A rounded panel with an optional small-caps title; returns the content rectangle."""
    pygame.draw.rect(surface, colour, rect, border_radius=6)
    pygame.draw.rect(surface, pal.PANEL_BORDER, rect, width=1, border_radius=6)
    if not title:
        return rect.inflate(-20, -16)
    surface.blit(fonts.text(title.upper(), 12, pal.TEXT_DIM, "bold"), (rect.x + 10, rect.y + 7))
    return pygame.Rect(rect.x + 10, rect.y + 26, rect.width - 20, rect.height - 32)


def badge(surface: pygame.Surface, fonts, text: str, pos: tuple[int, int], colour, size: int = 12) -> pygame.Rect:
    """A small filled pill with dark text, e.g. a difficulty or mode tag."""
    label = fonts.text(text, size, pal.BG, "bold")
    rect = pygame.Rect(pos[0], pos[1], label.get_width() + 14, label.get_height() + 2)
    pygame.draw.rect(surface, colour, rect, border_radius=rect.height // 2)
    surface.blit(label, (rect.x + 7, rect.y + 1))
    return rect
