"""The app's one-line text field: pygame_gui's UITextEntryLine that leaves the key repeat alone.

Why: pygame_gui's text field switches the window's own key repeat on when it takes the focus
(pygame.key.set_repeat(500, 25)) and off when it loses it. That repeat runs on a timer thread
and kept queueing key presses while the app was stalled (key_repeat.py), so the app makes its
own repeats, frame by frame, Backspace and Delete in a text field included. This field keeps
whatever repeat the window had before the focus came or went. Every text field the app makes
is one of these.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextEntryLine


class TextField(UITextEntryLine):
    """A UITextEntryLine whose focus and unfocus do not change the window's key repeat."""

    def focus(self):
        repeat = pygame.key.get_repeat()
        super().focus()
        pygame.key.set_repeat(*repeat)

    def unfocus(self):
        repeat = pygame.key.get_repeat()
        super().unfocus()
        pygame.key.set_repeat(*repeat)
