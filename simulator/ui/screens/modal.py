"""A modal pygame_gui window centred on the screen: the frame the procedure's dialogs share.

It blocks clicks to the widgets behind it (pygame_gui's blocking window) and keeps a list of
its own widgets so tests can check none overlaps another and all stay inside the window.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIWindow

MARGIN_PX = 24  # space kept between the dialog and the window edge
PAD_PX = 14  # inner padding of the dialog's content
BUTTON_ROW_H = 34


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

    def add_button_row(self, secondary: str, primary: str, primary_w: int, primary_id: str,
                       status: bool = True) -> tuple:
        """The bottom row every dialog shares: an optional status line, then the secondary (Cancel or
        Close) and the primary button at the right. Returns (status label or None, secondary, primary)."""
        from pygame_gui.elements import UIButton, UILabel

        r, c, secondary_w = self.inner, self.container, 96
        y = r.bottom - BUTTON_ROW_H
        label = None
        if status:
            label = self.add(UILabel(pygame.Rect(r.x, y, r.width - primary_w - secondary_w - 16, BUTTON_ROW_H), "",
                                     self.manager, container=c, object_id="#dialog_status"))
        second = self.add(UIButton(pygame.Rect(r.right - primary_w - secondary_w - 8, y, secondary_w, BUTTON_ROW_H),
                                   secondary, self.manager, container=c))
        first = self.add(UIButton(pygame.Rect(r.right - primary_w, y, primary_w, BUTTON_ROW_H), primary, self.manager,
                                  container=c, object_id=primary_id))
        return label, second, first

    def keep(self) -> dict:
        """What the trainee has entered so far, for the same dialog rebuilt after a resize."""
        rows = getattr(self, "list", None)
        return {"selected": [i for i, item in enumerate(rows.item_list) if item["selected"]] if rows else []}

    def restore(self, kept: dict) -> None:
        """Put back what `keep` returned (rows selected by index; subclasses add their own fields)."""
        if hasattr(self, "list"):
            for index in kept.get("selected", []):
                if index < len(self.list.item_list):
                    set_row_selected(self.list, index, True)
        self.update()

    def update(self) -> None:  # noqa: B027 - optional hook
        """Called every frame while open: enable buttons from the current choices."""

    @property
    def alive(self) -> bool:
        return self.window.alive()

    def kill(self) -> None:
        if self.window.alive():
            self.window.kill()

    def owns(self, element) -> bool:
        return element is self.window or element in self.elements


def set_row_selected(selection_list, index: int, selected: bool) -> None:
    """Select or clear one row of a pygame_gui selection list as a click would (keyboard access)."""
    item = selection_list.item_list[index]
    item["selected"] = selected
    button = item["button_element"]
    if button is not None:
        button.select() if selected else button.unselect()


def scroll_row_into_view(selection_list, index: int) -> None:
    """Scroll the list so the row at `index` is visible (rows off screen have no button)."""
    bar = selection_list.scroll_bar
    if bar is None:
        return
    visible = selection_list.item_list_container.rect.height / max(1, selection_list.total_height_of_list)
    start = bar.start_percentage
    top = index * selection_list.list_item_height / max(1, selection_list.total_height_of_list)
    bottom = (index + 1) * selection_list.list_item_height / max(1, selection_list.total_height_of_list)
    if top < start:
        bar.set_scroll_from_start_percentage(top)
    elif bottom > start + visible:
        bar.set_scroll_from_start_percentage(min(1.0 - visible, bottom - visible))


def move_single_selection(selection_list, step: int) -> int:
    """Up/Down in a single-selection list: select the row `step` away (the first row when none is);
    returns the selected index."""
    items = selection_list.item_list
    current = next((i for i, item in enumerate(items) if item["selected"]), None)
    index = 0 if current is None else min(max(current + step, 0), len(items) - 1)
    if current is not None:
        set_row_selected(selection_list, current, False)
    set_row_selected(selection_list, index, True)
    scroll_row_into_view(selection_list, index)
    return index
