"""The palpation view: outlines show the muscle in practice (and switch off), nothing in assessment;
the finger reports words, and G switches the grip the next press uses."""

import numpy as np
import pygame

from simulator.core import events as E
from simulator.ui.context import start_off_skin
from tests.ui.driving import key, wait

CASE_ID = "s1_upper_trapezius_thin"


def _start(app, mode):
    case = next(c for c in app.config.cases if c.id == CASE_ID)
    app.start_case(case, mode, "dr-test" if mode == "assessment" else "")
    app.frame(1 / 60)
    return app.screen


def _view_pixels(app):
    rect = app.screen.view.palpation.visible
    return pygame.surfarray.array3d(app.window.subsurface(rect)).astype(int)


def test_outlines_show_in_practice_switch_off_and_never_show_in_assessment(make_app, artifacts):
    app = make_app()
    _start(app, "practice")
    with_outlines = _view_pixels(app)
    pygame.image.save(app.window, str(artifacts / "palpation_outlines_on.png"))
    key(app, pygame.K_o)
    app.frame(1 / 60)
    without = _view_pixels(app)
    pygame.image.save(app.window, str(artifacts / "palpation_outlines_off.png"))
    changed = (np.abs(with_outlines - without).sum(axis=2) > 30).sum()
    assert changed > 2000  # the muscle shapes and names went away
    key(app, pygame.K_o)
    app.frame(1 / 60)
    assert np.array_equal(_view_pixels(app), with_outlines)  # and came back

    key(app, pygame.K_o)  # outlines off again
    app.screen.submit(start_off_skin(app.screen.case))  # the probe where an assessment starts: off the skin
    app.frame(1 / 60)
    app.frame(1 / 60)
    without = _view_pixels(app)
    other = make_app()
    _start(other, "assessment")
    pygame.image.save(other.window, str(artifacts / "palpation_assessment.png"))
    assessment = _view_pixels(other)
    # the same as practice with outlines off, but for practice's planned entry (tests/ui/test_scored_start.py)
    plan = app.screen.plan()
    view = app.screen.view.palpation
    x, y = (round(v) - o for v, o in zip(view.view.to_px(plan.x_mm, plan.y_mm), view.visible.topleft))
    away = np.ones(assessment.shape[:2], dtype=bool)
    away[max(0, x - 40):max(0, x + 40), max(0, y - 40):max(0, y + 40)] = False
    assert np.array_equal(assessment[away], without[away])
    key(other, pygame.K_o)
    other.frame(1 / 60)
    assert np.array_equal(_view_pixels(other), assessment)  # and O cannot turn them on


def test_g_switches_to_a_pincer_grip_and_the_finger_reports_a_word(make_app, artifacts):
    app = make_app()
    screen = _start(app, "practice")
    tp = next(t for t in screen.case.trigger_points if t.activity == "active")
    finger = screen.view.palpation.view.to_px(tp.x_mm, tp.y_mm)
    key(app, pygame.K_g)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=finger, button=1))
    wait(app, 0.3)
    for dy in range(1, 8):  # a slow slide across the fibres (the band runs almost left to right)
        app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=(finger[0], finger[1] + dy), rel=(0, 1), buttons=(1, 0, 0)))
        wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / "palpation_pincer_stroke.png"))
    felt = [e for e in screen.session.events if isinstance(e, E.PalpationFelt)]
    assert felt and all(e.grip == "pincer" for e in felt)
    assert {e.feel for e in felt} <= {"soft", "firm", "ropy band", "nodule"}
    feedback = screen.session.state.palpation
    assert feedback.grip == "pincer" and feedback.feel in ("soft", "firm", "ropy band", "nodule")
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=finger, button=1))
    key(app, pygame.K_g)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=finger, button=1))
    wait(app, 0.1)
    last = [e for e in screen.session.events if isinstance(e, E.PalpationFelt)][-1]
    assert last.grip == "flat"

