"""Palpating with the keyboard: a finger the arrows move, a key presses and K marks.

Why: palpation and marking were mouse-only, so a resident who cannot use a mouse (or a
pointing device at all) could not find or mark a trigger point. P puts the finger on the
drawing (the arrows then move it instead of the probe); holding Space presses (the press
firms up while held, as a held mouse button does); K marks under the finger and Backspace
erases the nearest mark, as with the mouse. P or Esc puts the finger away again.

Pure: it turns key events into the same Palpate / Release actions the mouse gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from simulator.core import actions as a

STEP_MM = 2.0  # one arrow press: about a fingertip's tenth
COARSE_STEP_MM = 10.0  # with Shift
PRESS_START = 0.3  # as the mouse: a press starts light and firms up with the hold
ARROWS = {pygame.K_LEFT: (-1, 0), pygame.K_RIGHT: (1, 0), pygame.K_UP: (0, -1), pygame.K_DOWN: (0, 1)}
TOGGLE_KEY = pygame.K_p
PRESS_KEY = pygame.K_SPACE


@dataclass
class KeyboardFinger:
    """Whether the finger is out, where it is (mm on the region) and whether Space holds it down."""

    region_mm: tuple[float, float]
    active: bool = False
    x_mm: float = 0.0
    y_mm: float = 0.0
    held: bool = False
    toggle_key = TOGGLE_KEY

    def show(self, at_mm: tuple[float, float] | None) -> None:
        """Put the finger on the drawing, where it last was or at the middle of the region."""
        self.active = True
        if at_mm is not None:
            self.x_mm, self.y_mm = at_mm
        elif (self.x_mm, self.y_mm) == (0.0, 0.0):
            self.x_mm, self.y_mm = self.region_mm[0] / 2, self.region_mm[1] / 2

    def key(self, event, pressure: float, grip: str | None) -> list | None:
        """The actions a key event asks of the finger, or None when the finger does not use the key."""
        if event.type == pygame.KEYUP:
            if self.active and event.key == PRESS_KEY and self.held:
                self.held = False
                return [a.Release()]
            return None
        if event.type != pygame.KEYDOWN:
            return None
        if event.key == TOGGLE_KEY or (self.active and event.key == pygame.K_ESCAPE):
            if not self.active:
                return None  # the screen shows the finger (it knows where the last one was)
            self.active = False
            if self.held:
                self.held = False
                return [a.Release()]
            return []
        if not self.active:
            return None
        if event.key in ARROWS:
            dx, dy = ARROWS[event.key]
            step = COARSE_STEP_MM if getattr(event, "mod", 0) & pygame.KMOD_SHIFT else STEP_MM
            w, h = self.region_mm
            self.x_mm = min(max(self.x_mm + dx * step, 0.0), w)
            self.y_mm = min(max(self.y_mm + dy * step, 0.0), h)
            return [a.Palpate(x_mm=self.x_mm, y_mm=self.y_mm, pressure=pressure, grip=grip)] if self.held else []
        if event.key == PRESS_KEY:
            if self.held:
                return []  # key repeat while held: the hold firms the press up, not the repeat
            self.held = True
            return [a.Palpate(x_mm=self.x_mm, y_mm=self.y_mm, pressure=PRESS_START, grip=grip)]
        return None
