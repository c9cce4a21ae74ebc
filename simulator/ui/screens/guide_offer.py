"""The picker's offer of the guided first case: first in the details panel, for a new user.

A new user (no guided-case progress yet) is told what it is and offered it; one who left
it half-way is offered to resume at their step; one who finished it can walk through again.
The button and G start it (App.start_guided).
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIButton

from simulator.render import palette as pal
from simulator.render.text import blit_wrapped

BOX_H = 96


def offer_words(progress) -> tuple[str, str]:
    """(the line above the button, the button's label) for saved progress (None: a new user)."""
    if progress is None:
        return ("New here? Do the guided first case: one injection, step by step, each control shown.",
                "Start the guided case   (G)")
    completed = progress[3]
    if completed:
        return "You have done the guided case. Walk through it again any time.", "Guided case again   (G)"
    return "Your guided case is waiting where you left it.", "Resume the guided case   (G)"


class GuideOffer:
    def __init__(self, manager, details: pygame.Rect, progress):
        self.rect = pygame.Rect(details.x + 8, details.y + 28, details.width - 16, BOX_H)
        self.line, label = offer_words(progress)
        self.new_user = progress is None
        self.button = UIButton(pygame.Rect(self.rect.x + 8, self.rect.bottom - 44, self.rect.width - 16, 36), label,
                               manager, object_id="@primary" if self.new_user else None)

    def draw(self, surface, fonts) -> int:
        """The box and its line; returns the y below it, where the case's details start."""
        pygame.draw.rect(surface, pal.PANEL_RAISED, self.rect, border_radius=6)
        pygame.draw.rect(surface, pal.WARN if self.new_user else pal.PANEL_BORDER, self.rect, 2 if self.new_user else 1,
                         border_radius=6)
        blit_wrapped(surface, fonts.regular(13), self.line, (self.rect.x + 10, self.rect.y + 8), self.rect.width - 20,
                     pal.TEXT, max_y=self.button.rect.y)
        return self.rect.bottom + 10
