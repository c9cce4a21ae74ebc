"""The debrief's marks panel: the drawing fills the panel, the true points and the marks are drawn
where they are, and the legend names the points and states the distance the score credited
(the localization criterion's metrics, never a search of its own)."""

import itertools
import math

import numpy as np
import pygame
import pytest

from simulator.core import actions as A
from simulator.core.session import Session
from simulator.render import palette as pal
from simulator.render.debrief_marks import MarksPanel
from simulator.render.layout import DebriefLayout


def red_pixels(surface, centre, r=5) -> int:
    x, y = centre
    px = pygame.surfarray.array3d(surface.subsurface((x - r, y - r, 2 * r, 2 * r))).astype(int)
    return int((np.abs(px - np.array(pal.DANGER)).sum(axis=2) < 40).sum())


def marked_result(case, catalogue, marks) -> dict:
    """The scored result of an attempt that only marks the skin at `marks` and finishes."""
    timed = [(0.1 * (i + 1), A.Mark(x_mm=x, y_mm=y)) for i, (x, y) in enumerate(marks)] + [(5.0, A.Finish())]
    return Session(case, catalogue, 3).run(timed)


def legend_text(panel) -> str:
    return " ".join(t for _, _, t in panel.legend_rows)


@pytest.mark.parametrize("size", [(1024, 680), (1280, 800), (1600, 1000)])
def test_every_case_fills_the_panel_and_states_the_best_distance(library, fonts, size):
    cases, catalogue = library
    rect = DebriefLayout.for_size(size).marks
    for case in cases:
        active = [tp for tp in case.trigger_points if tp.activity == "active"]
        target = active[0]
        marks = [(target.x_mm + 6.0, target.y_mm + 8.0), (max(0.0, target.x_mm - 30.0), target.y_mm)]
        result = marked_result(case, catalogue, marks)
        panel = MarksPanel(case, marks, fonts, rect, result)
        box, visible = panel.box, panel.palpation.visible
        assert visible.width >= box.width - 8 and visible.height >= box.height - 8, f"{case.id}: {visible} in {box}"
        assert rect.contains(panel.legend) and not panel.legend.colliderect(visible)
        metrics = result["metrics"]
        text = legend_text(panel)
        assert f"{metrics['mark_distance_mm']:.1f} mm from {metrics['mark_point_id']}" in text, text
        for tp in case.trigger_points:
            assert tp.id in text
        surface = pygame.Surface(size)
        panel.draw(surface)
        for tp in active:
            centre = panel.palpation.view.to_px(tp.x_mm, tp.y_mm)
            assert visible.collidepoint(centre), f"{case.id}: {tp.id} off the drawing"
            assert red_pixels(surface, centre) >= 20
        assert panel.legend.bottom <= rect.bottom - 4  # the legend is not cut off


def test_no_mark_is_said_plainly(library, fonts):
    cases, catalogue = library
    panel = MarksPanel(cases[0], [], fonts, DebriefLayout.for_size((1280, 800)).marks,
                       marked_result(cases[0], catalogue, []))
    assert panel.legend_rows[0][2].startswith("No skin mark")


def test_a_mark_on_a_latent_point_is_not_the_credited_one(library, fonts):
    """A latent point is tender but not the patient's pain: the panel states what the score credited,
    the mark 8 mm from the active point, though another mark sits right on the latent point."""
    cases, catalogue = library
    case = next(c for c in cases if any(tp.activity == "latent" for tp in c.trigger_points))
    active = next(tp for tp in case.trigger_points if tp.activity == "active")
    latent = next(tp for tp in case.trigger_points if tp.activity == "latent")
    marks = [(latent.x_mm, latent.y_mm), (active.x_mm + 8.0, active.y_mm)]
    result = marked_result(case, catalogue, marks)
    panel = MarksPanel(case, marks, fonts, DebriefLayout.for_size((1280, 800)).marks, result)
    assert result["metrics"]["mark_point_id"] == active.id
    assert panel.best[0] == marks[1] and panel.best[1].id == active.id
    assert f"8.0 mm from {active.id}" in legend_text(panel)
    assert "near no trigger point" not in legend_text(panel)  # the latent mark is near a point, so not stray


def test_stray_marks_are_named_and_a_single_good_mark_is_not(library, fonts):
    cases, catalogue = library
    case = cases[0]
    active = next(tp for tp in case.trigger_points if tp.activity == "active")
    far = [(x, y) for x in (5.0, case.body_region.width_mm - 5) for y in (5.0, case.body_region.height_mm - 5)
           if all(math.hypot(tp.x_mm - x, tp.y_mm - y) > 40 for tp in case.trigger_points)]
    assert far, "the region has corners far from every point"
    rect = DebriefLayout.for_size((1280, 800)).marks
    carpet = [(active.x_mm, active.y_mm)] + far
    result = marked_result(case, catalogue, carpet)
    stray = len(carpet) - result["metrics"]["marks_near_a_point"]
    assert stray == len(far)
    assert f"{stray} of your marks near no trigger point" in legend_text(MarksPanel(case, carpet, fonts, rect, result))
    one = [(active.x_mm, active.y_mm)]
    text = legend_text(MarksPanel(case, one, fonts, rect, marked_result(case, catalogue, one)))
    assert "near no trigger point" not in text and f"0.0 mm from {active.id}" in text


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_landmark_names_keep_clear_of_the_scale_bar_and_of_each_other(library, fonts, size):
    """Seen at 1024x640: 'Root of scapular spine' ran into the 10 mm bar. Each name as drawn (its light
    backing reaches 3 px either side of the text) stays off the bar's backing and off every other name."""
    cases, catalogue = library
    rect = DebriefLayout.for_size(size).marks
    for case in cases:
        active = next(tp for tp in case.trigger_points if tp.activity == "active")
        marks = [(active.x_mm + 6.0, active.y_mm + 8.0)]
        panel = MarksPanel(case, marks, fonts, rect, marked_result(case, catalogue, marks))
        scale = panel.scale_rect()
        names = [(text, r.inflate(6, 0)) for text, r in panel.palpation.labels]
        assert panel.palpation.visible.contains(scale)
        for text, r in names:
            assert not r.colliderect(scale), f"{case.id} at {size}: {text!r} {r} touches the scale bar {scale}"
        for (a, ra), (b, rb) in itertools.combinations(names, 2):
            assert not ra.colliderect(rb), f"{case.id} at {size}: {a!r} {ra} overlaps {b!r} {rb}"
