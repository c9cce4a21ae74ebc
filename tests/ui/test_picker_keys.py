"""The picker's keys: F1 and ? open its help, Enter in the trainee field starts the case, and M
shows a visible mute pill on every screen's top bar."""

import numpy as np
import pygame

from tests.ui.driving import focus_trainee_field, key, type_text, wait


def pixels(surface, rect=None):
    return pygame.surfarray.array3d(surface.subsurface(rect) if rect else surface).astype(int)


def shot(app):
    app.frame(1 / 60)
    return pixels(app.window)


def test_f1_opens_the_picker_help_and_esc_closes_it(make_app, artifacts):
    app = make_app(size=(1280, 800))
    before = shot(app)
    key(app, pygame.K_F1)
    shown = shot(app)
    pygame.image.save(app.window, str(artifacts / "picker_help.png"))
    assert app.screen.help_visible
    assert shown.mean() < before.mean() - 5  # the screen is dimmed under the help box
    key(app, pygame.K_DOWN)  # keys do not reach the list while the help shows
    assert app.screen.case_list.selected == 0
    key(app, pygame.K_ESCAPE)
    assert not app.screen.help_visible
    assert np.array_equal(shot(app), before)


def test_question_mark_toggles_the_help_but_types_into_the_trainee_field(make_app):
    app = make_app(size=(1280, 800))
    picker = app.screen
    key(app, pygame.K_SLASH, mod=pygame.KMOD_SHIFT, unicode="?")
    assert picker.help_visible
    key(app, pygame.K_SLASH, mod=pygame.KMOD_SHIFT, unicode="?")
    assert not picker.help_visible
    focus_trainee_field(app)
    key(app, pygame.K_SLASH, mod=pygame.KMOD_SHIFT, unicode="?")
    assert not picker.help_visible


def test_enter_in_the_trainee_field_starts_the_case_in_assessment(make_app):
    app = make_app(size=(1280, 800))
    picker = app.screen
    focus_trainee_field(app)
    type_text(app, "r2 kim")
    assert app.screen is picker  # typing alone does not start
    key(app, pygame.K_RETURN)
    assert app.screen.name == "procedure"
    assert app.screen.mode == "assessment"
    assert app.screen.trainee == "r2 kim"


def pill_pixels(app) -> int:
    """Pixels of the top bar in the mute pill's fill colour."""
    from simulator.render import palette as pal

    app.frame(1 / 60)
    bar = pixels(app.window, app.screen.layout.top_bar)
    return int((np.abs(bar - np.array(pal.TEXT_DIM)).sum(axis=2) == 0).sum())


def test_m_shows_a_mute_pill_on_the_picker_and_the_procedure_top_bars(make_app, artifacts):
    app = make_app(size=(1280, 800))
    unmuted = pill_pixels(app)
    key(app, pygame.K_m)
    assert app.sound.muted
    assert pill_pixels(app) > unmuted + 1000  # a filled pill, not just dim text
    pygame.image.save(app.window, str(artifacts / "picker_muted.png"))
    key(app, pygame.K_m)
    assert pill_pixels(app) == unmuted  # gone again with the sound back on
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    unmuted = pill_pixels(app)
    key(app, pygame.K_m)
    assert pill_pixels(app) > unmuted + 1000
    pygame.image.save(app.window, str(artifacts / "procedure_muted.png"))


def test_the_trainee_label_stays_whole_above_the_focus_ring(make_app):
    from simulator.render import palette as pal

    app = make_app(size=(1280, 800))
    for _ in range(3):  # Shift+Tab from nothing: Start, My attempts, the trainee field
        key(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    entry = app.screen.trainee_entry
    assert app.focus.focused is entry
    ring_top = entry.rect.y - 5
    shown = shot(app)

    def label_pixels(top, bottom):  # the label's faint text colour, over the field's width
        band = shown[entry.rect.x:entry.rect.x + 80, top:bottom]
        return int((np.abs(band - np.array(pal.TEXT_FAINT)) <= 40).all(axis=2).sum())

    assert label_pixels(ring_top - 24, ring_top - 3) > 40  # the label is there
    assert label_pixels(ring_top - 3, ring_top + 3) == 0  # and the ring cuts through none of it
