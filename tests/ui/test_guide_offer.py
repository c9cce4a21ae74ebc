"""Who the picker offers the guided case to first: a new user, and no one else.

A new user (an empty user data folder and an attempt store with no attempt) sees the offer
above the case's details, with the keyboard focus on its button: Enter starts the guided
case. A user with a stored attempt, one who completed the guided case and one who said
"Not now" see the normal picker: no offer box, Enter starts the selected case, and G still
opens the guided case (the details panel's header says so). Each is checked on the window's
pixels and by the keys a user presses.
"""

import json

import numpy as np
import pygame

from simulator.core.coaching.tutorial import GUIDED_CASE_ID
from simulator.render import palette as pal
from tests.ui.driving import finish, key, start_procedure, wait
from tests.ui.layout_checks import widget_problems
from tests.ui.test_focus import ring_pixels, tab


def guide_file(tmp_path):
    return tmp_path / "data" / "guided.json"


def picker(make_app, tmp_path):
    app = make_app(guide_file=guide_file(tmp_path), seed=1)
    wait(app, 0.05)
    return app


def offer_box_pixels(app) -> int:
    """Pixels of the offer box's amber border down the left and right edges of the details panel's top."""
    d = app.screen.layout.details
    return sum(amber_pixels(app, pygame.Rect(x, d.y + 24, 4, 104)) for x in (d.x + 6, d.right - 10))


def amber_pixels(app, area: pygame.Rect) -> int:
    pixels = pygame.surfarray.array3d(app.window.subsurface(area)).astype(int)
    return int((np.abs(pixels - np.array(pal.WARN)) <= 3).all(axis=2).sum())


def store_an_attempt(make_app, tmp_path) -> None:
    """A practice case finished in the app (the app stores every practice attempt)."""
    app = make_app(guide_file=guide_file(tmp_path), seed=1)
    start_procedure(app, app.config.cases[1].id)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief" and not app.screen.saved.get("pending")


def test_a_new_user_sees_the_offer_first_with_the_focus_on_it(make_app, tmp_path, artifacts):
    app = picker(make_app, tmp_path)
    offer = app.screen.offer
    assert offer is not None and offer.button.text == "Start the guided case   (G)"
    assert offer_box_pixels(app) > 300
    assert app.focus.focused is offer.button and ring_pixels(app, offer.button) > 40
    pygame.image.save(app.window, str(artifacts / "picker_offer_new_user.png"))
    key(app, pygame.K_RETURN)  # Enter presses the focused offer
    wait(app, 0.1)
    assert app.screen.name == "tutorial" and app.screen.case.id == GUIDED_CASE_ID


def test_choosing_in_the_list_takes_the_focus_off_the_offer(make_app, tmp_path):
    app = picker(make_app, tmp_path)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    wait(app, 0.05)
    assert app.focus.focused is None and ring_pixels(app, app.screen.offer.button) == 0
    key(app, pygame.K_RETURN)
    wait(app, 0.1)
    assert app.screen.name == "procedure" and app.screen.case is app.config.cases[2]


def test_a_user_with_a_stored_attempt_sees_the_normal_picker_and_g_still_opens_the_guided_case(make_app, tmp_path,
                                                                                               artifacts):
    store_an_attempt(make_app, tmp_path)
    app = picker(make_app, tmp_path)
    assert app.screen.offer is None and offer_box_pixels(app) == 0 and app.focus.focused is None
    pygame.image.save(app.window, str(artifacts / "picker_no_offer_with_attempts.png"))
    key(app, pygame.K_RETURN)  # Enter: the selected case, not the guided one
    wait(app, 0.1)
    assert app.screen.name == "procedure" and app.screen.case is app.config.cases[0]
    again = picker(make_app, tmp_path)
    key(again, pygame.K_g)
    wait(again, 0.1)
    assert again.screen.name == "tutorial"


def test_not_now_puts_the_offer_away_for_good_and_g_still_opens_the_guided_case(make_app, tmp_path):
    app = picker(make_app, tmp_path)
    tab(app)  # from the offer's button to its "Not now"
    assert app.focus.focused is app.screen.offer.dismiss_button
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.offer is None and offer_box_pixels(app) == 0
    assert json.loads(guide_file(tmp_path).read_text())["dismissed"] is True
    again = picker(make_app, tmp_path)  # the next start of the trainer
    assert again.screen.offer is None and again.focus.focused is None
    key(again, pygame.K_g)
    wait(again, 0.1)
    assert again.screen.name == "tutorial" and again.screen.tutorial.index == 0


def test_a_user_who_completed_the_guided_case_is_not_offered_it_first(make_app, tmp_path):
    guide_file(tmp_path).parent.mkdir(parents=True)
    guide_file(tmp_path).write_text(json.dumps({"version": 1, "case": GUIDED_CASE_ID, "seed": 1, "step": "done",
                                                "completed": True, "actions": []}))
    app = picker(make_app, tmp_path)
    assert app.screen.offer is None and offer_box_pixels(app) == 0


def test_a_new_user_left_half_way_is_offered_to_resume_first(make_app, tmp_path):
    app = picker(make_app, tmp_path)
    key(app, pygame.K_g)
    wait(app, 0.1)
    key(app, pygame.K_ESCAPE)  # leave the guided case: its progress is kept
    wait(app, 0.1)
    assert app.screen.name == "picker"
    assert app.screen.offer.button.text == "Resume the guided case   (G)" and offer_box_pixels(app) > 300


def test_in_the_window_the_store_is_asked_in_the_background_and_the_offer_follows(make_app, tmp_path):
    app = make_app(guide_file=guide_file(tmp_path), seed=1)
    app.background = True  # as in the window's own loop: the picker must not wait for the store
    app.show_picker()
    screen = app.screen
    for _ in range(600):
        wait(app, 1 / 60)
        if screen.offer is not None:
            break
    assert screen.offer is not None and app.focus.focused is screen.offer.button


def test_the_offer_fits_the_smallest_window_with_nothing_cut(make_app, tmp_path, artifacts):
    app = make_app(guide_file=guide_file(tmp_path), seed=1, size=(1024, 640))
    wait(app, 0.05)
    offer = app.screen.offer
    assert offer is not None and offer.button.text.endswith("(G)") and offer.dismiss_button.text == "Not now"
    assert widget_problems(app) == []
    assert offer.dismiss_button.rect.right <= offer.rect.right and offer_box_pixels(app) > 300
    pygame.image.save(app.window, str(artifacts / "picker_offer_1024x640.png"))
