"""A debrief opened for review (an exam's results, a stored attempt): its own buttons, its own way back.

The panels are the debrief's; only the button row differs, because a reviewed attempt cannot
be retried or followed by the next case. With `result`, the panels show that stored result
(what was saved and signed) rather than a new scoring of the session.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIButton

from simulator.render.debrief import render_list
from simulator.render.scroll import ScrollView
from simulator.ui.screens.debrief import DebriefScreen

BUTTON_W = 240


class ReviewDebriefScreen(DebriefScreen):
    name = "review_debrief"

    def __init__(self, app, case, session, mode: str, buttons: list[tuple[str, str]], on_command,
                 result: dict | None = None, notes: list[str] = ()):
        """`buttons`: (label, command) left to right, the last one primary; `on_command(name)` is
        called with the command of a button, or 'back' for any of the debrief's keys (Esc, R, N, P).
        `notes` head the teaching panel (which attempt this is, its rating)."""
        self.review_buttons, self.on_command, self.stored_result = buttons, on_command, result
        self.notes = list(notes)
        super().__init__(app, case, session, session.timed, {}, mode)

    def build(self, size) -> None:
        if self.stored_result is not None:
            self.result = self.stored_result
        super().build(size)
        for button in list(self.buttons):
            button.kill()
        self.widgets = [w for w in self.widgets if w not in self.buttons]
        b = self.layout.buttons
        self.buttons = {}
        count = len(self.review_buttons)
        for i, (label, command) in enumerate(self.review_buttons):
            rect = pygame.Rect(b.right - (count - i) * (BUTTON_W + 8) + 8, b.y, BUTTON_W, b.height)
            button = self.add(UIButton(rect, label, self.app.manager, object_id="@primary" if i == count - 1 else None))
            self.buttons[button] = command
        if self.notes:
            self.teaching_items[:0] = self.notes
            viewport = self.teaching.viewport
            self.teaching = ScrollView(render_list(self.app.fonts, self.teaching_items, viewport.width), viewport)

    def command(self, name: str) -> None:
        self.on_command(name if name in dict(self.review_buttons).values() else "back")
