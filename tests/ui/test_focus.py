"""Keyboard access to every widget: Tab and Shift+Tab move a visible focus ring, Enter presses
the focused button, Up/Down step a focused dropdown, the picker's mode and trainee field are
reached by Tab; and the dropdown fixes: a click on the chosen option closes the list, and the
list is as tall as its rows (no two cramped rows behind a scrollbar)."""

import numpy as np
import pygame

from simulator.render import palette as pal
from tests.ui.driving import click_element, key, list_row, start_procedure, type_text, wait


def ring_pixels(app, element) -> int:
    """Pixels of the focus colour in the band just left of the element (its neighbours sit above and below)."""
    band = pygame.Rect(element.rect.x - 6, element.rect.y, 6, element.rect.height)
    pixels = pygame.surfarray.array3d(app.window.subsurface(band)).astype(int)
    return int((np.abs(pixels - np.array(pal.FOCUS)) <= 20).all(axis=2).sum())


def tab(app, back=False):
    key(app, pygame.K_TAB, pygame.KMOD_SHIFT if back else 0)
    wait(app, 0.02)


def test_tab_moves_a_visible_ring_through_the_controls_and_back(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    consent, position = screen.widgets_list[0], screen.widgets_list[1]
    assert ring_pixels(app, consent) == 0
    tab(app)
    assert app.focus.focused is consent and ring_pixels(app, consent) > 40
    tab(app)
    assert app.focus.focused is position and ring_pixels(app, position) > 40 and ring_pixels(app, consent) == 0
    tab(app, back=True)
    assert app.focus.focused is consent
    key(app, pygame.K_ESCAPE)
    wait(app, 0.02)
    assert app.focus.focused is None and ring_pixels(app, consent) == 0


def test_enter_presses_the_focused_button(make_app):
    app = make_app()
    start_procedure(app, app.config.cases[0].id)
    tab(app)  # "Consent the patient..."
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.dialogs.kind == "consent"


def test_up_down_choose_in_a_focused_dropdown_and_the_choice_is_used(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    tab(app)
    tab(app)  # the position dropdown
    assert app.focus.focused is screen.widgets.position
    start = screen.choices.position
    key(app, pygame.K_DOWN)
    wait(app, 0.05)
    assert screen.choices.position != start
    assert screen.widgets.position.selected_option[0].lower().replace(" ", "_") == screen.choices.position
    assert screen.state.probe is not None  # the arrow went to the dropdown, not the probe
    key(app, pygame.K_UP)
    wait(app, 0.05)
    assert screen.choices.position == start


def test_the_picker_mode_and_trainee_field_by_keyboard(make_app):
    app = make_app()
    app.frame(1 / 60)
    picker = app.screen
    order = picker.focus_order()
    assert picker.assessment_button in order and picker.trainee_entry in order
    while app.focus.focused is not picker.assessment_button:
        tab(app)
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    tab(app)
    assert app.focus.focused is picker.trainee_entry
    type_text(app, "R7")
    assert picker.trainee_entry.get_text() == "R7"
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.name == "procedure" and app.screen.mode == "assessment" and app.screen.trainee == "R7"


def test_clicking_the_chosen_option_closes_the_dropdown_and_keeps_the_choice(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    dropdown = screen.widgets.position
    chosen = dropdown.selected_option[0]
    click_element(app, dropdown)
    assert dropdown.current_state is dropdown.menu_states["expanded"]
    click_element(app, list_row(app, dropdown.current_state.options_selection_list, chosen))
    wait(app, 0.05)
    assert dropdown.current_state is dropdown.menu_states["closed"]
    assert dropdown.selected_option[0] == chosen


def test_the_volume_list_shows_every_volume_without_a_scrollbar(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    dropdown = screen.widgets.volume
    click_element(app, dropdown)
    options = dropdown.current_state.options_selection_list
    assert options.scroll_bar is None
    rows = [item["button_element"] for item in options.item_list]
    assert all(row is not None and options.rect.contains(row.rect) for row in rows)
    assert len(rows) == len(dropdown.options_list)
