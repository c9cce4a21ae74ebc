"""A scored attempt (assessment, exam) gives no head start: the probe starts off the skin, away from the
case's preset pose over the target, and no planned entry is drawn until the trainee chooses one."""

from __future__ import annotations

import math

import numpy as np
import pygame

from simulator.core import actions as A
from tests.ui.driving import click, key, start_procedure, wait

S1 = "s1_upper_trapezius_thin"


def view_pixels(app):
    rect = app.screen.view.palpation.visible
    return pygame.surfarray.array3d(app.window.subsurface(rect)).astype(int)


def probe_over_the_middle(app):
    region = app.screen.case.body_region
    app.screen.submit([A.Probe(x_mm=region.width_mm / 2, y_mm=region.height_mm / 2, heading_deg=0.0, pressure=0.2)])
    wait(app, 0.05)


def test_practice_starts_over_the_target_and_assessment_off_the_skin_far_from_it(make_app):
    practice = start_procedure(make_app(), S1, "practice")
    assessment = start_procedure(make_app(), S1, "assessment", "dr-start")
    preset = practice.case.body_region.default_probe
    assert practice.state.probe_on_skin and (practice.state.probe.x_mm, practice.state.probe.y_mm) == (preset.x_mm,
                                                                                                      preset.y_mm)
    assert not assessment.state.probe_on_skin
    active = next(tp for tp in assessment.case.trigger_points if tp.activity == "active")
    parked = assessment.state.probe
    assert math.dist((parked.x_mm, parked.y_mm), (active.x_mm, active.y_mm)) > 40
    key(assessment.app, pygame.K_l)  # placing the probe puts it where it rests, not over the answer
    wait(assessment.app, 0.05)
    assert assessment.state.probe_on_skin and (assessment.state.probe.x_mm, assessment.state.probe.y_mm) == (
        parked.x_mm, parked.y_mm)


def test_assessment_draws_no_planned_entry_until_the_trainee_chooses_one(make_app, artifacts):
    practice_app = make_app()  # (one window: each app is drawn and read before the next opens)
    start_procedure(practice_app, S1, "practice")
    key(practice_app, pygame.K_o)  # outlines off, as in assessment
    probe_over_the_middle(practice_app)
    practice = view_pixels(practice_app)
    plan = practice_app.screen.plan()
    view = practice_app.screen.view.palpation
    entry_px = tuple(round(v) for v in view.view.to_px(plan.x_mm, plan.y_mm))
    x, y = (v - o for v, o in zip(entry_px, view.visible.topleft))
    near = np.zeros(practice.shape[:2], dtype=bool)
    near[max(0, x - 30):x + 30, max(0, y - 30):y + 30] = True

    assessment_app = make_app()
    start_procedure(assessment_app, S1, "assessment", "dr-entry")
    probe_over_the_middle(assessment_app)
    assessment = view_pixels(assessment_app)
    pygame.image.save(assessment_app.window, str(artifacts / "assessment_no_planned_entry.png"))
    differs = np.abs(practice - assessment).sum(axis=2) > 30
    assert differs[near].sum() > 20 and differs[~near].sum() == 0  # only practice's entry mark differs

    pygame.key.set_mods(pygame.KMOD_SHIFT)  # Shift+click chooses the entry point
    click(assessment_app, entry_px)
    pygame.key.set_mods(0)
    wait(assessment_app, 0.05)
    assert assessment_app.screen.custom_entry is not None
    chosen = np.abs(view_pixels(assessment_app) - assessment).sum(axis=2) > 30
    assert chosen[near].sum() > 20  # now the chosen entry is drawn
