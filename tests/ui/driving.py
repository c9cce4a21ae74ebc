"""Helpers that drive the app like a person: key presses, clicks, and wall time passing."""

from __future__ import annotations

import math

import pygame
import pygame_gui

from simulator.core import events as E


def key(app, k, mod=0, unicode=""):
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0))


def click(app, pos, button=1):
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def press_button(app, command):
    """Post the pygame_gui press of the procedure button bound to `command`."""
    element = next(e for e, c in app.screen.widgets.buttons.items() if c == command)
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=element, ui_object_id=""))


def give_consent(app, topics=None, press=None):
    """Consent through the dialog: F2, tick `topics` by their letters (default: every topic that
    applies to the case), Enter. Returns the dialog (closed by then). `press(k)` sends a key
    (default: straight to the app)."""
    from simulator.core.preparation import applicable_consent_topics

    press = press or (lambda k: key(app, k))
    press(pygame.K_F2)
    wait(app, 0.05)
    dialog = app.screen.dialogs.dialog
    wanted = applicable_consent_topics(app.screen.case) if topics is None else topics
    for topic in wanted:
        press(pygame.K_a + dialog.topics.index(topic))
    press(pygame.K_RETURN)
    wait(app, 0.05)
    return dialog


def start_procedure(app, case_id, mode="practice", trainee=""):
    """Open the procedure screen for the case with this id, as the picker's Start would; returns the screen."""
    case = next(c for c in app.config.cases if c.id == case_id)
    app.start_case(case, mode, trainee)
    wait(app, 0.05)
    return app.screen


def finish(app, press=None):
    """End, then Enter in the confirmation it opens: how a trainee finishes the procedure."""
    press = press or (lambda k: key(app, k))
    press(pygame.K_END)
    wait(app, 0.05)
    assert app.screen.dialogs.kind == "finish", "End should ask before it finishes"
    press(pygame.K_RETURN)


def prepare_and_puncture(app, advance_mm=1):
    """Position, skin prep and needle (F3-F5), insert, advance `advance_mm` 1 mm steps, remove."""
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)
    wait(app, 0.1)
    key(app, pygame.K_n)
    wait(app, 0.1)
    for _ in range(advance_mm):
        key(app, pygame.K_w)
        wait(app, 0.05)
    key(app, pygame.K_r)
    wait(app, 0.1)


def focus_trainee_field(app):
    """On the picker: Assessment, then a click in the trainee field (it takes the focus); returns the picker."""
    picker = app.screen
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=picker.assessment_button,
                                        ui_object_id=""))
    wait(app, 0.05)
    click(app, picker.trainee_entry.rect.center)
    assert picker.trainee_entry.is_focused
    return picker


def type_text(app, text):
    """Type into the focused text field, one TEXTINPUT event per character as SDL sends them."""
    for ch in text:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    wait(app, 0.05)  # the text line redraws over a few frames


def wait(app, seconds):
    for _ in range(max(1, round(seconds * 60))):
        app.frame(1 / 60)


def has(session, kind):
    return any(isinstance(e, kind) for e in session.events)


def aim_and_needle(app, case, press=None):
    """Plan an in-plane path to the active point, insert, advance near it and fan until a twitch."""
    press = press or (lambda k: key(app, k))
    screen = app.screen
    tp = next(t for t in case.trigger_points if t.activity == "active")
    plan = screen.plan()
    horizontal = math.hypot(tp.x_mm - plan.x_mm, tp.y_mm - plan.y_mm)
    target = math.degrees(math.atan2(tp.depth_mm, horizontal))
    steps = round((target - plan.angle_deg) / 2)
    for _ in range(abs(steps)):
        press(pygame.K_d if steps > 0 else pygame.K_a)
    wait(app, 0.05)
    press(pygame.K_n)
    wait(app, 0.1)
    reach = math.hypot(horizontal, tp.depth_mm) - 4
    while screen.state.needle is not None and screen.state.needle.length_mm < reach and not has(screen.session, E.TwitchElicited):
        press(pygame.K_w)
        wait(app, 0.05)
    for _ in range(8):
        if has(screen.session, E.TwitchElicited):
            break
        press(pygame.K_f)
        wait(app, 0.1)


def scroll_to_end(app, view):
    """Wheel down over a ScrollView until it stops moving."""
    for _ in range(200):
        before = view.scroll_px
        app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, pos=view.viewport.center))
        if view.scroll_px == before:
            break
    app.frame(1 / 60)


def viewport_shows_end(app, view, scrollbar_px=8) -> bool:
    """True when the window shows the last viewport-height of the view's content, pixel for pixel."""
    import numpy as np

    vp = view.viewport
    w, h = min(vp.width, view.content.get_width()) - scrollbar_px, min(vp.height, view.content.get_height())
    shown = pygame.surfarray.array3d(app.window.subsurface((vp.x, vp.y, w, h)))
    end = pygame.surfarray.array3d(view.content.subsurface((0, view.content.get_height() - h, w, h)))
    return bool(np.array_equal(shown, end))


def pump(app, rounds=3):
    """Deliver the events pygame_gui posted (button presses, list selections) as the window's loop would."""
    for _ in range(rounds):
        posted = [e for e in pygame.event.get() if e.type >= pygame.USEREVENT]
        if not posted:
            return
        for event in posted:
            app.handle_event(event)


def click_element(app, element):
    """Click the middle of a pygame_gui element and deliver what it posts."""
    click(app, element.rect.center)
    pump(app)
    app.frame(1 / 60)


def list_row(app, selection_list, text_part):
    """Scroll a pygame_gui selection list until the row containing `text_part` has a button; return it."""
    index = next(i for i, item in enumerate(selection_list.item_list) if text_part in item["text"])
    for _ in range(40):
        button = selection_list.item_list[index]["button_element"]
        if button is not None and selection_list.rect.contains(button.rect):
            return button
        bar = selection_list.scroll_bar
        bar.set_scroll_from_start_percentage(min(1.0, index / len(selection_list.item_list)))
        app.frame(1 / 60)
    raise AssertionError(f"row {text_part!r} never came into view")
