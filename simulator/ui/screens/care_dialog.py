"""The Emergency and Aftercare panels: a grid of buttons, each one care step, each with a key.

Unlike the counsel dialog it stays open after a choice, because care is several steps in a
row (stop, lie flat, raise the legs, check the vital signs); the status line says what was
done last and what the patient said, since the speech bubble is hidden behind a dialog.
Esc or Close ends it.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel

from simulator.ui.care_items import CareItem
from simulator.ui.screens.modal import ModalDialog

ROW_H = 34
GAP = 6


class CareDialog(ModalDialog):
    size = (780, 370)

    def __init__(self, manager, window_size, title: str, hint: str, items: list[CareItem], columns: int = 3):
        self.title = title
        super().__init__(manager, window_size)
        self.items = items
        r, c = self.inner, self.container
        self.add(UILabel(pygame.Rect(r.x, r.y, r.width, 22), hint, manager, container=c, object_id="#dialog_hint"))
        rows = -(-len(items) // columns)
        button_w = (r.width - GAP * (columns - 1)) // columns
        row_h = min(ROW_H, (r.height - 30 - ROW_H - 10) // rows - GAP)
        self.buttons: dict = {}
        for i, item in enumerate(items):
            col, row = divmod(i, rows)
            rect = pygame.Rect(r.x + col * (button_w + GAP), r.y + 28 + row * (row_h + GAP), button_w, row_h)
            button = self.add(UIButton(rect, item.text, manager, container=c, object_id="@small"))
            self.buttons[button] = item
        y = r.bottom - ROW_H
        close_w = 96
        self.status = self.add(UILabel(pygame.Rect(r.x, y, r.width - close_w - 8, ROW_H), "", manager, container=c,
                                       object_id="#dialog_status"))
        self.close_button = self.add(UIButton(pygame.Rect(r.right - close_w, y, close_w, ROW_H), "Close", manager,
                                              container=c))

    def show(self, text: str) -> None:
        self.status.set_text(text)

    def update(self) -> None:
        pass

    def handle(self, event) -> tuple[str, CareItem | None] | None:
        """("care", item), ("close", None) or None."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.close_button:
                return "close", None
            if event.ui_element in self.buttons:
                return "care", self.buttons[event.ui_element]
        if event.type == pygame.KEYDOWN:
            item = next((i for i in self.items if i.key == event.key), None)
            if item is not None:
                return "care", item
        return None
