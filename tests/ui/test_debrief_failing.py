"""The debrief of a failed attempt: the capped total, the points earned before the cap, and each
failing item with its kind, drawn from the result (shipped novice replays, headless)."""

from pathlib import Path

import numpy as np
import pygame
import pytest

from simulator.core.scoring import shown_total
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.render import palette as pal
from simulator.render.debrief import capped_note
from tests.ui.driving import scroll_to_end, wait

REPLAYS = Path(__file__).resolve().parents[2] / "scenarios" / "replays"
OVERDOSE = REPLAYS / "s1_upper_trapezius_thin.novice-overdose.jsonl"  # good work, one failing item
PLEURA = REPLAYS / "s1_upper_trapezius_thin.novice-pleura.jsonl"  # three failing items, low points
EXPERT = REPLAYS / "s1_upper_trapezius_thin.expert.jsonl"


def debrief_of(make_app, library, replay, size=(1280, 800)):
    cases, catalogue = library
    header, timed = read_replay(replay)
    case = next(c for c in cases if c.id == header["case"])
    session = Session(case, catalogue, header["seed"])
    session.run(timed)
    app = make_app(size=size)
    app.show_debrief(case, session, timed, {}, "assessment")
    wait(app, 0.05)
    return app, app.screen.result


def colour_pixels(surface, rect, colour, tolerance=30) -> int:
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int((np.abs(px - np.array(colour)).sum(axis=2) < tolerance).sum())


@pytest.mark.parametrize("size", [(1024, 680), (1280, 800)])
def test_a_capped_fail_shows_the_capped_total_the_points_earned_and_the_failing_item(make_app, library, artifacts,
                                                                                       size):
    app, result = debrief_of(make_app, library, OVERDOSE, size)
    assert not result["passed"] and result["critical_errors"]
    assert result["uncapped_total"] >= result["pass_mark"] > result["total"]  # capped: the case this screen explains
    note = capped_note(result)
    assert note == (f"Points earned {shown_total(result['uncapped_total'])}, capped below the pass mark because of "
                     "a failing item (listed below).")
    screen = app.screen
    layout = screen.layout
    header = pygame.Rect(layout.score.x, layout.score.y, layout.score.width, screen.breakdown.viewport.y - layout.score.y)
    assert colour_pixels(app.window, header, pal.WARN) > 40  # the note is drawn, in the warning colour
    failing = screen.failing
    assert failing.content.get_height() > 30
    # The failing item's kind badge: a safety item is red; it sits inside the failing items panel.
    assert colour_pixels(app.window, failing.viewport, pal.DANGER) > 40
    pygame.image.save(app.window, str(artifacts / f"debrief_capped_{size[0]}x{size[1]}.png"))


def test_a_pass_shows_no_cap_note_and_no_failing_item(make_app, library):
    app, result = debrief_of(make_app, library, EXPERT)
    assert result["passed"] and not result["critical_errors"]
    assert capped_note(result) is None
    screen = app.screen
    layout = screen.layout
    header = pygame.Rect(layout.score.x, layout.score.y, layout.score.width, screen.breakdown.viewport.y - layout.score.y)
    assert colour_pixels(app.window, header, pal.WARN) == 0
    assert screen.failing.content.get_height() <= 1


def test_several_failing_items_scroll_and_each_kind_is_shown(make_app, library, artifacts):
    app, result = debrief_of(make_app, library, PLEURA, (1024, 680))
    kinds = {e["kind"] for e in result["critical_errors"]}
    assert kinds == {"safety", "competence"} and len(result["critical_errors"]) >= 2
    screen = app.screen
    assert colour_pixels(app.window, screen.failing.viewport, pal.DANGER) > 40  # the safety badge
    assert screen.failing.scrollable  # more items than the panel shows: it scrolls
    scroll_to_end(app, screen.failing)
    assert screen.failing.scroll_px == screen.failing.max_scroll_px
    assert colour_pixels(app.window, screen.failing.viewport, pal.WARN) > 40  # a competence badge, scrolled to
    pygame.image.save(app.window, str(artifacts / "debrief_failing_scrolled.png"))
