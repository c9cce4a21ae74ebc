"""The guided case's model: steps move on only when their check holds; progress round-trips."""

import json

import pytest

from simulator.core import actions as A
from simulator.core.coaching import Coach
from simulator.core.coaching.tutorial import GUIDED_CASE_ID, INSTRUCTIONS, Tutorial, read_progress
from simulator.core.coaching.steps import STEP_IDS
from simulator.core.session import Session


def test_every_step_has_its_own_instruction_and_the_guided_case_is_shipped(library):
    assert set(INSTRUCTIONS) == set(STEP_IDS)
    assert library["s1"].id == GUIDED_CASE_ID


def test_the_tutorial_waits_on_its_step_then_passes_steps_done_early(library, catalogue):
    case = library["s1"]
    session = Session(case, catalogue, 1)
    coach, tutorial = Coach(case), Tutorial(case, 1)
    for event in session.step([A.SkinPrep(), A.Consent(topics=())]):
        coach.feed(event)
    assert not tutorial.update(coach.facts, session.state) and tutorial.step.id == "find"
    tp = case.trigger_points[0]
    for _ in range(40):  # a held press on the spot
        for event in session.step([A.Palpate(x_mm=tp.x_mm, y_mm=tp.y_mm, pressure=0.8)]):
            coach.feed(event)
    assert tutorial.update(coach.facts, session.state) and tutorial.step.id == "mark"
    for event in session.step([A.Mark(x_mm=tp.x_mm, y_mm=tp.y_mm)]):
        coach.feed(event)
    tutorial.update(coach.facts, session.state)
    assert tutorial.step.id == "position"  # consent came first: passed at once


def test_progress_round_trips_through_json(library):
    tutorial = Tutorial(library["s1"], 7, index=3)
    timed = [(0.0, A.Consent(topics=("bleeding",))), (1.5, A.Mark(x_mm=1.0, y_mm=2.0))]
    data = json.loads(json.dumps(tutorial.to_dict(timed)))
    assert data["step"] == STEP_IDS[3]
    assert read_progress(data) == (GUIDED_CASE_ID, 7, timed, False)


@pytest.mark.parametrize("bad", [{}, {"version": 99}, [], {"version": 1, "case": "x", "seed": 1,
                                                              "actions": [[0, {"type": "teleport"}]]}])
def test_progress_that_is_not_progress_is_refused(bad):
    with pytest.raises((ValueError, KeyError)):
        read_progress(bad)
