"""F1 (or ?) on the screens that have no help of their own: the debrief and the replay viewer.

Why in the app: those screens only need their key table shown over a dimmed screen; the app
opens it for any screen that lists `help_groups`, and while it is open it takes every key and
click (Esc, F1, ? or a click closes it), so nothing behind it is pressed by accident.
"""

from __future__ import annotations

import pygame

from simulator.render.help import draw_help


class ScreenHelp:
    def __init__(self):
        self.visible = False

    def handle(self, event, groups) -> bool:
        """True when the event opened, closed or was swallowed by the help."""
        if not groups:
            return False
        opens = event.type == pygame.KEYDOWN and (event.key == pygame.K_F1 or getattr(event, "unicode", "") == "?")
        if opens:
            self.visible = not self.visible
            return True
        if not self.visible:
            return False
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE) or event.type == pygame.MOUSEBUTTONDOWN:
            self.visible = False
        return event.type in (pygame.KEYDOWN, pygame.KEYUP, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                              pygame.MOUSEWHEEL, pygame.TEXTINPUT)

    def draw(self, surface, fonts, groups, title: str) -> None:
        if self.visible and groups:
            draw_help(surface, fonts, groups, title)
