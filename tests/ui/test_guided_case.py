"""The guided first case and the practice coach in the window, driven by pygame events (headless).

The real-window run (tests/ui/test_real_window_guided.py) completes it with real X input;
these check the parts one at a time: the picker's offer, a step that waits for its check,
the highlighted control, leaving and resuming, and no coaching in assessment mode.
"""

import json

import pygame

from simulator.core.preparation import applicable_consent_topics
from simulator.render import palette as pal
from simulator.ui.screens.consent_dialog import consent_order
from tests.ui.driving import key, press_button, start_procedure, wait


def guided_app(make_app, tmp_path):
    return make_app(guide_file=tmp_path / "data" / "guided.json", seed=1)


def step_id(app):
    step = app.screen.tutorial.step
    return step.id if step is not None else "done"


def find_and_mark(app):
    screen = app.screen
    tp = screen.case.trigger_points[0]
    pos = screen.view.palpation.view.to_px(tp.x_mm, tp.y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    wait(app, 1.5)  # the press firms up while held
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    wait(app, 0.1)
    assert step_id(app) == "mark"
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=3))
    wait(app, 0.1)


def consent(app):
    key(app, pygame.K_F2)
    wait(app, 0.05)
    order = consent_order(app.screen.case)
    for topic in applicable_consent_topics(app.screen.case):
        key(app, pygame.K_a + order.index(topic))
    key(app, pygame.K_RETURN)
    wait(app, 0.1)


def warn_pixels_on_border(surface, rect, width=8):
    """How many pixels in the band just outside `rect` are the highlight's colour."""
    outer = rect.inflate(2 * width, 2 * width).clip(surface.get_rect())
    return sum(1 for x in range(outer.x, outer.right) for y in range(outer.y, outer.bottom)
               if not rect.collidepoint(x, y) and surface.get_at((x, y))[:3] == pal.WARN)


def test_a_new_user_is_offered_the_guided_case_first(make_app, tmp_path):
    app = guided_app(make_app, tmp_path)
    offer = app.screen.offer
    assert offer.new_user and offer.button.text == "Start the guided case   (G)"
    assert offer.rect.y < app.screen.practice_button.rect.y  # above the case's own details and Start
    key(app, pygame.K_g)
    wait(app, 0.1)
    assert app.screen.name == "tutorial" and step_id(app) == "find"


def test_no_offer_without_a_place_to_keep_progress(make_app):
    app = make_app()  # guide_file None, as in tests that drive the picker
    assert app.screen.offer is None
    key(app, pygame.K_g)
    assert app.screen.name == "picker"


def test_a_step_waits_for_its_check_and_a_step_done_early_passes_at_once(make_app, tmp_path):
    app = guided_app(make_app, tmp_path)
    key(app, pygame.K_g)
    wait(app, 0.1)
    key(app, pygame.K_F4)  # skin prep before palpation: done, but not this step
    wait(app, 0.1)
    assert step_id(app) == "find"
    find_and_mark(app)
    assert step_id(app) == "consent"
    consent(app)
    key(app, pygame.K_F3)
    wait(app, 0.1)
    assert step_id(app) == "needle"  # position done now, skin prep done before: both passed


def test_the_current_steps_control_is_highlighted(make_app, tmp_path, artifacts):
    app = guided_app(make_app, tmp_path)
    key(app, pygame.K_g)
    wait(app, 0.1)
    find_and_mark(app)
    wait(app, 0.2)
    button = next(b for b, c in app.screen.widgets.buttons.items() if c == "consent")
    assert app.screen.highlight_rect() == button.rect
    assert warn_pixels_on_border(app.window, button.rect) > 200
    other = next(b for b, c in app.screen.widgets.buttons.items() if c == "skin_prep")
    assert warn_pixels_on_border(app.window, other.rect) < 40
    pygame.image.save(app.window, str(artifacts / "guided_headless_consent.png"))


def test_leaving_and_resuming_returns_to_the_same_step_and_patient(make_app, tmp_path):
    app = guided_app(make_app, tmp_path)
    key(app, pygame.K_g)
    wait(app, 0.1)
    find_and_mark(app)
    consent(app)
    marks = app.screen.state.marks
    key(app, pygame.K_ESCAPE)
    wait(app, 0.1)
    assert app.screen.name == "picker"
    saved = json.loads((tmp_path / "data" / "guided.json").read_text())
    assert saved["step"] == "position" and not saved["completed"]
    assert app.screen.offer.button.text == "Resume the guided case   (G)"
    key(app, pygame.K_g)
    wait(app, 0.1)
    assert app.screen.name == "tutorial" and step_id(app) == "position"
    assert app.screen.state.checklist.consent and app.screen.state.marks == marks
    resumed = [[round(t, 6), a] for t, a in json.loads((tmp_path / "data" / "guided.json").read_text())["actions"]]
    assert resumed == saved["actions"]  # the replayed actions are this attempt's replay again, once each


def test_help_and_escape_in_a_dialog_do_not_leave_the_guided_case(make_app, tmp_path):
    app = guided_app(make_app, tmp_path)
    key(app, pygame.K_g)
    wait(app, 0.1)
    key(app, pygame.K_F2)
    wait(app, 0.05)
    key(app, pygame.K_ESCAPE)  # closes the consent dialog only
    wait(app, 0.05)
    assert app.screen.name == "tutorial"


def test_assessment_has_no_coach_no_checklist_and_no_banner(make_app):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin", mode="assessment", trainee="t1")
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)  # preparing without consent: practice would say so
    wait(app, 0.2)
    assert screen.coach is None and screen.view.steps_rect is None and screen.warning is None


def test_practice_says_no_consent_on_the_image_and_shows_the_checklist(make_app, artifacts):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    press_button(app, "skin_prep")
    wait(app, 0.2)
    assert screen.warning[1] == "No consent yet" and screen.warning[2] == "danger"
    image = screen.view.ultrasound.image_view.rect
    band = image.inflate(0, -image.height + 60).move(0, image.height // 2 - 30)
    assert sum(1 for x in range(band.x, band.right, 2) for y in range(band.y, band.bottom, 2)
               if app.window.get_at((x, y))[:3] == pal.DANGER) > 300  # the banner, in red
    assert screen.view.steps_rect is not None
    key(app, pygame.K_t)  # the hint key: more on the same trouble
    wait(app, 0.05)
    assert screen.warning[1].startswith("No consent yet: stop and consent")
    pygame.image.save(app.window, str(artifacts / "coach_no_consent.png"))


def test_an_unreadable_progress_file_starts_the_guided_case_afresh(make_app, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "guided.json").write_text("{not json")
    app = guided_app(make_app, tmp_path)
    assert app.screen.offer.new_user
    key(app, pygame.K_g)
    wait(app, 0.1)
    assert step_id(app) == "find" and json.loads((tmp_path / "data" / "guided.json").read_text())["version"] == 1


def test_no_instruction_card_hides_the_scan_at_any_size(make_app, tmp_path, artifacts):
    """Seen at 1024x640: the card of the needling steps covered the top third of the image, where the
    needle enters and the trigger point lies. The image now starts under the tallest card of the case."""
    from simulator.core.coaching.tutorial import Tutorial

    for size in ((1024, 640), (1920, 1080)):
        app = make_app(guide_file=tmp_path / f"guided_{size[0]}.json", seed=1, size=size)
        app.start_guided()
        wait(app, 0.3)
        screen = app.screen
        image = screen.view.ultrasound.image_view.rect
        assert image.height >= 180, f"the image shrank to {image.size} at {size}"
        for index in range(len(screen.tutorial.steps) + 1):
            screen.tutorial = Tutorial(screen.case, index=index)
            app.frame(1 / 60)
            assert screen.card_drawn.height > 40, "no card drawn"
            assert not screen.card_drawn.colliderect(image), f"step {index}'s card {screen.card_drawn} covers the image {image}"
            assert screen.layout.ultrasound.contains(screen.card_drawn)
        pygame.image.save(app.window, str(artifacts / f"guided_card_{size[0]}x{size[1]}.png"))
