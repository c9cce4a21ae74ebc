"""Small shared pieces: the top bar, the feel and pressure gauges, the pain readout and the speech bubble."""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.text import badge, wrap


def format_clock(time_s: float) -> str:
    minutes, seconds = divmod(int(max(0.0, time_s)), 60)
    return f"{minutes:02d}:{seconds:02d}"


MUTED_LABEL = "SOUND OFF (M)"
MUTED_SHORT = "MUTED"


def draw_top_bar(surface: pygame.Surface, rect: pygame.Rect, fonts, title: str, subtitle: str = "",
                 mode: str | None = None, clock: str | None = None, reserve_px: int = 0,
                 muted: bool = False, clock_colour=pal.TEXT) -> pygame.Rect:
    """The bar across the top; returns the free space between the titles and the right-hand items.

    `muted` shows a "SOUND OFF (M)" pill, so a trainee who pressed M knows the alarms will be silent.

    With `reserve_px`, the subtitle is left out when it would leave less than that free (the
    procedure screen keeps room for its monitor)."""
    pygame.draw.rect(surface, pal.PANEL, rect)
    pygame.draw.line(surface, pal.PANEL_BORDER, rect.bottomleft, (rect.right, rect.bottom), 1)
    right = rect.right - 14
    if clock is not None:
        text = fonts.text(clock, 20, clock_colour, "mono")
        right -= text.get_width()
        surface.blit(text, (right, rect.centery - text.get_height() // 2))
        right -= 16
    if mode:
        colour = pal.WARN if mode in ("assessment", "exam") else pal.INFO
        right -= fonts.text(mode.upper(), 12, pal.BG, "bold").get_width() + 14
        badge(surface, fonts, mode.upper(), (right, rect.centery - 10), colour)
    if muted:
        titles_end = (rect.x + 42 + fonts.text("TPI Sim", 17, pal.ACCENT, "bold").get_width()
                      + fonts.text(title, 15, pal.TEXT, "bold").get_width() + 12)
        label = MUTED_LABEL
        if right - fonts.text(label, 12, pal.BG, "bold").get_width() - 24 - titles_end < reserve_px:
            label = MUTED_SHORT  # a narrow window: the short pill keeps the monitor clear of the title
        right -= fonts.text(label, 12, pal.BG, "bold").get_width() + 14 + 10
        badge(surface, fonts, label, (right, rect.centery - 10), pal.TEXT_DIM)
    x = rect.x + 14
    logo = fonts.text("TPI Sim", 17, pal.ACCENT, "bold")
    surface.blit(logo, (x, rect.centery - logo.get_height() // 2))
    x += logo.get_width() + 14
    pygame.draw.line(surface, pal.PANEL_BORDER, (x, rect.y + 10), (x, rect.bottom - 10), 1)
    x += 14
    head = fonts.text(title, 15, pal.TEXT, "bold")
    surface.blit(head, (x, rect.centery - head.get_height() // 2))
    x += head.get_width() + 12
    if subtitle:
        sub = fonts.text(subtitle, 13, pal.TEXT_DIM)
        if right - (x + sub.get_width() + 12) >= reserve_px:
            surface.blit(sub, (x, rect.centery - sub.get_height() // 2 + 1))
            x += sub.get_width() + 12
    return pygame.Rect(x, rect.y, max(0, right - x), rect.height)


def draw_notice(surface: pygame.Surface, fonts, text: str, rect: pygame.Rect, colour=pal.WARN) -> pygame.Rect:
    """A short message as a pill centred near the top of `rect` (e.g. "Time is up", "Rating saved")."""
    width = fonts.text(text, 15, pal.BG, "bold").get_width() + 14
    return badge(surface, fonts, text, (rect.centerx - width // 2, rect.y + 16), colour, size=15)


def draw_gauge(surface: pygame.Surface, rect: pygame.Rect, fonts, label: str, value: float,
               colour=pal.ACCENT, text: str | None = None) -> None:
    """A horizontal bar 0..1 with a label above it, and `text` at the right; when both do not fit
    side by side the label loses its leading words ('FINGER PRESSURE' -> 'PRESSURE')."""
    reading = fonts.text(text, 12, pal.TEXT, "mono") if text else None
    room_px = rect.width - (reading.get_width() + 8 if reading else 0)
    words = label.upper().split()
    while len(words) > 1 and fonts.text(" ".join(words), 12, pal.TEXT_FAINT, "bold").get_width() > room_px:
        words = words[1:]
    title = fonts.text(" ".join(words), 12, pal.TEXT_FAINT, "bold")
    surface.blit(title, (rect.x, rect.y))
    bar = pygame.Rect(rect.x, rect.y + 16, rect.width, max(8, rect.height - 16))
    pygame.draw.rect(surface, pal.BG, bar, border_radius=4)
    fill = bar.copy()
    fill.width = round(bar.width * max(0.0, min(1.0, value)))
    if fill.width > 0:
        pygame.draw.rect(surface, colour, fill, border_radius=4)
    pygame.draw.rect(surface, pal.PANEL_BORDER, bar, 1, border_radius=4)
    if reading is not None:
        surface.blit(reading, (rect.right - reading.get_width(), rect.y))


def speech_spot(size: tuple[int, int], anchor: tuple[int, int], bounds: pygame.Rect,
                avoid=()) -> pygame.Rect:
    """Where a bubble of `size` goes: just above the anchor, just below it, or at the top or the
    bottom of `bounds`, whichever covers least of `avoid` (landmark names, marks) and never the
    anchor itself (the finger); the first of those when they tie."""
    w, h = size
    x = min(max(bounds.x + 4, anchor[0] - w // 2), bounds.right - w - 4)
    finger = pygame.Rect(anchor[0] - 3, anchor[1] - 3, 7, 7)
    best, best_cover = None, None
    for y in (anchor[1] - h - 16, anchor[1] + 16, bounds.y + 4, bounds.bottom - h - 4):
        spot = pygame.Rect(x, y if y < anchor[1] else y - 12, w, h + 12)  # the body and its tail
        if not bounds.contains(spot) or spot.colliderect(finger):
            continue
        cover = sum(spot.clip(r).width * spot.clip(r).height for r in avoid)
        if best_cover is None or cover < best_cover:
            best, best_cover = pygame.Rect(x, y, w, h), cover
    return best or pygame.Rect(x, max(bounds.y + 4, anchor[1] - h - 16), w, h)


def draw_speech(surface: pygame.Surface, fonts, text: str, anchor: tuple[int, int], max_w: int,
                bounds: pygame.Rect, alpha: int = 255, avoid=()) -> pygame.Rect:
    """A speech bubble whose tail points at `anchor`, inside `bounds`, off what `avoid` lists;
    returns the rectangle it covers."""
    font = fonts.regular(14)
    lines = wrap(font, text, max_w - 20)
    w = max(font.size(line)[0] for line in lines) + 20
    h = len(lines) * font.get_linesize() + 14
    spot = speech_spot((w, h), anchor, bounds, avoid)
    x, y = spot.x, spot.y
    bubble = pygame.Surface((w, h + 12), pygame.SRCALPHA)
    body = pygame.Rect(0, 0, w, h) if y < anchor[1] else pygame.Rect(0, 12, w, h)
    pygame.draw.rect(bubble, (250, 250, 245, alpha), body, border_radius=10)
    tx = min(max(10, anchor[0] - x), w - 10)
    if y < anchor[1]:
        tail = [(tx - 7, h - 1), (tx + 7, h - 1), (tx, h + 11)]
    else:
        tail = [(tx - 7, 13), (tx + 7, 13), (tx, 1)]
    pygame.draw.polygon(bubble, (250, 250, 245, alpha), tail)
    for i, line in enumerate(lines):
        bubble.blit(font.render(line, True, (20, 24, 30)), (10, body.y + 7 + i * font.get_linesize()))
    return surface.blit(bubble, (x, y if y < anchor[1] else y - 12))
