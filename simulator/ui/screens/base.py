"""What every screen does: build its widgets for a window size, handle events, update, draw."""

from __future__ import annotations

import pygame


class Screen:
    """A screen owns its pygame_gui widgets and kills them when it closes or the window resizes."""

    name = "screen"

    def __init__(self, app):
        self.app = app
        self.widgets: list = []

    # widgets -------------------------------------------------------------
    def add(self, widget):
        self.widgets.append(widget)
        return widget

    def build(self, size: tuple[int, int]) -> None:
        """Create the widgets and compute the layout for this window size."""

    def kill_widgets(self) -> None:
        for widget in self.widgets:
            widget.kill()
        self.widgets = []

    def resize(self, size: tuple[int, int]) -> None:
        self.kill_widgets()
        self.build(size)

    def close(self) -> None:
        self.kill_widgets()

    def focus_order(self) -> list:
        """The widgets Tab moves through, in reading order (creation order, unless a screen says otherwise)."""
        return list(getattr(self.widgets, "all", self.widgets))

    # frame ------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        """`consumed` is True when a widget already used the event."""

    def update(self, dt_s: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        """Draw under the widgets."""

    def draw_overlay(self, surface: pygame.Surface) -> None:
        """Draw over the widgets (help overlay, speech bubbles)."""
