"""Keyboard focus: a Tab order over a screen's widgets, a visible ring, and keys for what has focus.

Why: every control must be reachable without a mouse. Tab and Shift+Tab move the focus
through the screen's buttons, dropdowns and text fields in reading order; the focused one
wears a ring that is easy to see (amber, 3 px, 3:1 or more against every panel). Enter or
Space presses a focused button; Up and Down step a focused dropdown through its options
(no need to open it); a focused text field takes the typing; Esc drops the focus.

The focus goes to the app as the same pygame_gui events a click would make, so the screens
handle one path for both.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UITextEntryLine

from simulator.render import palette as pal
from simulator.ui.dropdowns import step_dropdown

RING_PX = 3
RING_GAP_PX = 2
FOCUSABLE = (UIButton, UIDropDownMenu, UITextEntryLine)
ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


class FocusRing:
    """Which widget of the current screen has the keyboard focus (None: none has)."""

    def __init__(self):
        self.focused = None

    @staticmethod
    def order(elements) -> list:
        """The focusable widgets that can be used now, in the order given (the screen's reading order)."""
        return [e for e in elements if isinstance(e, FOCUSABLE) and e.alive() and e.visible and e.is_enabled]

    def move(self, elements, step: int, manager) -> None:
        order = self.order(elements)
        if not order:
            self.focused = None
            return
        if self.focused in order:
            index = (order.index(self.focused) + step) % len(order)
        else:
            index = 0 if step > 0 else len(order) - 1
        self.focused = order[index]
        # A text field takes the typing while it has the focus; anything else leaves it.
        manager.set_focus_set(self.focused if isinstance(self.focused, UITextEntryLine) else None)

    def handle(self, event, elements, manager) -> tuple[bool, list]:
        """(used, events to deliver): Tab moves; keys act on the focused widget."""
        if event.type != pygame.KEYDOWN:
            return False, []
        if event.key == pygame.K_TAB and not event.mod & pygame.KMOD_CTRL:
            self.move(elements, -1 if event.mod & pygame.KMOD_SHIFT else 1, manager)
            return True, []
        focused = self.focused
        if focused is None or focused not in self.order(elements):
            self.focused = None
            return False, []
        if event.key == pygame.K_ESCAPE:
            self.focused = None
            manager.set_focus_set(None)
            return True, []
        if isinstance(focused, UIButton) and event.key in ACTIVATE_KEYS:
            return True, [pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=focused,
                                             ui_object_id=focused.most_specific_combined_id, mouse_button=1)]
        if isinstance(focused, UIDropDownMenu) and event.key in (pygame.K_UP, pygame.K_DOWN):
            changed = step_dropdown(focused, -1 if event.key == pygame.K_UP else 1)
            return True, [changed] if changed is not None else []
        return False, []

    def draw(self, surface: pygame.Surface) -> None:
        focused = self.focused
        if focused is None or not focused.alive() or not focused.visible:
            return
        ring = focused.rect.inflate(2 * (RING_GAP_PX + RING_PX), 2 * (RING_GAP_PX + RING_PX))
        pygame.draw.rect(surface, pal.FOCUS, ring, RING_PX, border_radius=7)
