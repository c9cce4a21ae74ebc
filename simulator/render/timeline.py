"""The replay timeline: progress fill, position handle, one tick per event coloured by kind.

The track and the ticks are drawn once (the event list of a replay does not change); each
frame adds the fill, the handle and the time.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal
from simulator.render.cues import draw_tone_mark

TONE_COLOURS = {"info": pal.INFO, "ok": pal.OK, "warn": pal.WARN, "danger": pal.DANGER, "speech": pal.TEXT_DIM}
TRACK_H_PX = 8
TIME_W_PX = 118  # the "mm:ss.s / mm:ss.s" readout on the right


def format_time(t_s: float) -> str:
    minutes, seconds = divmod(max(0.0, t_s), 60.0)
    return f"{int(minutes):02d}:{seconds:04.1f}"


class Timeline:
    """A seek bar over `rect` for a replay of `duration_s`; `ticks` are (t_s, tone)."""

    def __init__(self, rect: pygame.Rect, duration_s: float, ticks, fonts):
        self.rect = pygame.Rect(rect)
        self.duration_s = max(0.1, float(duration_s))
        self.fonts = fonts
        # The readout's width is measured (a fixed guess clipped it at the panel edge).
        self.time_w = max(TIME_W_PX, fonts.mono(12).size("00:00.0 / 00:00.0")[0] + 16)
        self.track = pygame.Rect(self.rect.x + 10, self.rect.centery - TRACK_H_PX // 2,
                                 self.rect.width - 20 - self.time_w, TRACK_H_PX)
        self.ticks = list(ticks)
        self._static = self._draw_static()

    def x_of(self, t_s: float) -> int:
        share = max(0.0, min(1.0, t_s / self.duration_s))
        return round(self.track.x + share * self.track.width)

    def t_at(self, x_px: float) -> float:
        share = (x_px - self.track.x) / max(1, self.track.width)
        return max(0.0, min(1.0, share)) * self.duration_s

    def hit(self, pos) -> bool:
        return self.rect.inflate(0, 6).collidepoint(pos) and pos[0] <= self.track.right + 8

    def _draw_static(self) -> pygame.Surface:
        surf = pygame.Surface(self.rect.size)
        surf.fill(pal.BG)
        local = self.rect.move(-self.rect.x, -self.rect.y)
        pygame.draw.rect(surf, pal.PANEL, local, border_radius=6)
        pygame.draw.rect(surf, pal.PANEL_BORDER, local, 1, border_radius=6)
        track = self.track.move(-self.rect.x, -self.rect.y)
        pygame.draw.rect(surf, pal.PANEL_RAISED, track, border_radius=4)
        pygame.draw.rect(surf, pal.PANEL_BORDER, track, 1, border_radius=4)
        # Every 10 s a faint graduation under the track.
        step_s = 10.0 if self.duration_s <= 120 else 30.0
        t = step_s
        while t < self.duration_s:
            x = self.x_of(t) - self.rect.x
            pygame.draw.line(surf, pal.GRID, (x, track.bottom + 2), (x, track.bottom + 5), 1)
            t += step_s
        # Harm on top: draw the quieter kinds first.
        order = {"info": 0, "speech": 0, "ok": 1, "warn": 2, "danger": 3}
        for t_s, tone in sorted(self.ticks, key=lambda tick: order.get(tick[1], 0)):
            x = self.x_of(t_s) - self.rect.x
            colour = TONE_COLOURS.get(tone, pal.TEXT_DIM)
            tall = 4 if tone in ("warn", "danger") else 2
            pygame.draw.line(surf, colour, (x, track.y - tall), (x, track.bottom + tall - 1), 2)
            draw_tone_mark(surf, tone, (x, track.y - tall - 5), 4, colour)  # the shape says it without colour
        return surf

    def draw(self, surface: pygame.Surface, position_s: float) -> None:
        surface.blit(self._static, self.rect.topleft)
        x = self.x_of(position_s)
        if x > self.track.x + 1:
            fill = pygame.Rect(self.track.x, self.track.y + 2, x - self.track.x, self.track.height - 4)
            pygame.draw.rect(surface, pal.ACCENT_DIM, fill, border_radius=2)
        pygame.draw.line(surface, pal.TEXT, (x, self.rect.y + 5), (x, self.rect.bottom - 6), 1)
        pygame.draw.circle(surface, pal.ACCENT, (x, self.track.centery), 7)
        pygame.draw.circle(surface, pal.TEXT, (x, self.track.centery), 7, 2)
        text = self.fonts.mono(12).render(f"{format_time(position_s)} / {format_time(self.duration_s)}", True,
                                          pal.TEXT)
        surface.blit(text, (self.rect.right - 8 - text.get_width(), self.rect.centery - text.get_height() // 2))


def draw_play_state(surface: pygame.Surface, rect: pygame.Rect, fonts, playing: bool, ended: bool,
                    speed: float) -> None:
    """A play / pause icon and the word for it, with the speed, in `rect`."""
    colour = pal.OK if playing else pal.WARN
    cx, cy = rect.x + 10, rect.centery
    if playing:
        pygame.draw.polygon(surface, colour, [(cx - 5, cy - 7), (cx - 5, cy + 7), (cx + 7, cy)])
    else:
        pygame.draw.rect(surface, colour, (cx - 6, cy - 7, 4, 14))
        pygame.draw.rect(surface, colour, (cx + 2, cy - 7, 4, 14))
    word = "ENDED" if ended else "PLAYING" if playing else "PAUSED"
    label = fonts.text(f"{word}  {speed:g}\u00d7", 13, colour, "bold")
    if 24 + label.get_width() > rect.width:  # narrow bar: the icon says the state, the text the speed
        label = fonts.text(f"{speed:g}\u00d7", 13, colour, "bold")
    surface.blit(label, (rect.x + 24, cy - label.get_height() // 2))
