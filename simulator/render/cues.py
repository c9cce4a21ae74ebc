"""Status marks that carry their meaning in shape as well as colour.

Why: green, amber and red alone are lost to about one man in twelve (protanopia, deuteranopia),
so every status cue also has a shape: a tick for done / fine, a triangle with a bar for a
warning, a cross in a diamond for harm, an empty ring for not yet done. The feed, the
checklist, the replay timeline and the debrief's score bars all draw these.
"""

from __future__ import annotations

import pygame

from simulator.render import palette as pal

TONE_MARKS = {"ok": "tick", "warn": "triangle", "danger": "cross"}  # feed / timeline tones -> shape


def draw_mark(surface: pygame.Surface, shape: str, centre: tuple[int, int], radius_px: int, colour) -> None:
    """One mark: 'tick', 'caution' (a filled disc with '!'), 'triangle', 'cross' or 'ring', about 2*radius wide."""
    cx, cy = centre
    r = radius_px
    ink = pal.BG
    line = max(2, r // 3)
    if shape == "ring":
        pygame.draw.circle(surface, colour, centre, r, max(1, r // 4))
    elif shape == "tick":
        pygame.draw.circle(surface, colour, centre, r)
        pygame.draw.lines(surface, ink, False, [(cx - r * 0.5, cy), (cx - r * 0.1, cy + r * 0.45),
                                                (cx + r * 0.55, cy - r * 0.45)], line)
    elif shape == "caution":
        pygame.draw.circle(surface, colour, centre, r)
        pygame.draw.line(surface, ink, (cx, cy - r * 0.6), (cx, cy + r * 0.15), line)
        pygame.draw.circle(surface, ink, (cx, round(cy + r * 0.5)), max(1, line // 2 + 1))
    elif shape == "triangle":
        pygame.draw.polygon(surface, colour, [(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)])
        pygame.draw.line(surface, ink, (cx, cy - r * 0.35), (cx, cy + r * 0.2), max(1, line - 1))
        pygame.draw.circle(surface, ink, (cx, round(cy + r * 0.52)), max(1, line // 2))
    elif shape == "cross":
        pygame.draw.polygon(surface, colour, [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])
        d = r * 0.38
        pygame.draw.line(surface, ink, (cx - d, cy - d), (cx + d, cy + d), max(1, line - 1))
        pygame.draw.line(surface, ink, (cx - d, cy + d), (cx + d, cy - d), max(1, line - 1))
    else:
        raise ValueError(f"unknown mark shape {shape!r}")


def draw_tone_mark(surface: pygame.Surface, tone: str, centre: tuple[int, int], radius_px: int,
                   colour) -> bool:
    """The mark of a feed / timeline tone (ok, warn, danger); False (nothing drawn) for a neutral tone."""
    shape = TONE_MARKS.get(tone)
    if shape is None:
        return False
    draw_mark(surface, shape, centre, radius_px, colour)
    return True


def share_tone(share: float) -> str:
    """A score bar's tone from the share of its points earned: ok from 80 %, warn from 40 %, else danger."""
    return "ok" if share >= 0.8 else "warn" if share >= 0.4 else "danger"


def checklist_mark(done: bool, recommended: bool = True) -> tuple[str, tuple[int, int, int]]:
    """A checklist row's mark: an empty ring (to do), a tick (done), or '!' (done, but not as recommended)."""
    if not done:
        return "ring", pal.TEXT_FAINT
    return ("tick", pal.OK) if recommended else ("caution", pal.WARN)
