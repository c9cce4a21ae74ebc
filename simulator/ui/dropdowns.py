"""Dropdowns that behave: stepped from the keyboard, and closed by a click on the chosen option.

Why: pygame_gui's dropdown can only be changed by opening it with the mouse, and a click on
the option that is already chosen deselects the row and leaves the list open (the trainee
had to click elsewhere to close it). Both are fixed here, outside the screens, so every
dropdown of every screen gets them.
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UIDropDownMenu


def option_text(option) -> str:
    return option[0] if isinstance(option, tuple) else option


def step_dropdown(dropdown: UIDropDownMenu, step: int) -> pygame.event.Event | None:
    """Select the option `step` places on (closed dropdown); the change event, or None at either end."""
    options = dropdown.options_list
    texts = [option_text(o) for o in options]
    index = texts.index(option_text(dropdown.selected_option))
    target = min(max(index + step, 0), len(options) - 1)
    if target == index:
        return None
    chosen = options[target] if isinstance(options[target], tuple) else (options[target], options[target])
    dropdown.selected_option = chosen
    closed = dropdown.menu_states["closed"]
    closed.selected_option = chosen
    if dropdown.current_state is closed and closed.selected_option_button is not None:
        closed.selected_option_button.set_text(chosen[0])
    return pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, text=chosen[0], selected_option_id=chosen[1],
                              ui_element=dropdown, ui_object_id=dropdown.most_specific_combined_id)


def close_on_reselect(event, elements) -> bool:
    """A click on the option already chosen: close its dropdown, keeping the choice. True when it did."""
    if event.type != pygame_gui.UI_SELECTION_LIST_DROPPED_SELECTION:
        return False
    for dropdown in elements:
        if not isinstance(dropdown, UIDropDownMenu):
            continue
        expanded = dropdown.menu_states["expanded"]
        if dropdown.current_state is expanded and expanded.options_selection_list is event.ui_element:
            expanded.should_transition = True  # back to closed at the next update, with selected_option unchanged
            return True
    return False
