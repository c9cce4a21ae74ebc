"""A modal pygame_gui window centred on the screen: the frame the procedure's dialogs share.

It blocks clicks to the widgets behind it (pygame_gui's blocking window) and keeps a list of
its own widgets so tests can check none overlaps another and all stay inside the window.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIWindow

MARGIN_PX = 24  # space kept between the dialog and the window edge
PAD_PX = 14  # inner padding of the dialog's content


def dialog_rect(window_size: tuple[int, int], want_w: int, want_h: int) -> pygame.Rect:
    """The dialog's outer rectangle: as asked, shrunk to fit the window, centred."""
    w = min(want_w, window_size[0] - 2 * MARGIN_PX)
    h = min(want_h, window_size[1] - 2 * MARGIN_PX)
    rect = pygame.Rect(0, 0, w, h)
    rect.center = (window_size[0] // 2, window_size[1] // 2)
    return rect


class ModalDialog:
    """Base for a dialog: subclasses build their widgets into `self.container` in `build()`."""

    title = "Dialog"
    size = (560, 420)

    def __init__(self, manager, window_size: tuple[int, int]):
        self.manager = manager
        self.window = UIWindow(dialog_rect(window_size, *self.size), manager, window_display_title=self.title,
                               object_id="#modal_dialog", resizable=False, draggable=False)
        self.window.set_blocking(True)
        self.container = self.window.get_container()
        self.inner = pygame.Rect(PAD_PX, PAD_PX - 4, self.container.get_rect().width - 2 * PAD_PX,
                                 self.container.get_rect().height - 2 * PAD_PX + 4)
        self.elements: list = []

    def add(self, element):
        self.elements.append(element)
        return element

    @property
    def alive(self) -> bool:
        return self.window.alive()

    def kill(self) -> None:
        if self.window.alive():
            self.window.kill()

    def owns(self, element) -> bool:
        return element is self.window or element in self.elements
