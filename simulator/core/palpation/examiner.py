"""A scripted examiner who uses the finger well: the expert replays, the calibration and tests use it.

It perceives only what a trainee perceives (pain, feel level, the patient's words), never an
event's `truth`, and it knows only what a trainee knows: where to start (the textbook spot,
or anywhere on the muscle) and which way the fibres run. It climbs the tenderness with firm
presses, strokes across the fibres around the most tender spot to feel for the ridge, and
marks the middle of the best answers. The same search is described in docs/palpation.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from simulator.core import actions as A
from simulator.core import events as E

FIRM_PRESS = 0.8  # the examiner's usual firm press
DEEP_PRESS = 1.0  # used when firm presses find too little (a deep muscle)
DEEP_SWITCH_PAIN = 2  # below this best pain after the first ring, press deeper
CONFIRM_MARGIN = 1.0  # a rise this small is pressed again before the examiner moves
CLIMB_STEPS_MM = (6.0, 3.0)  # hill-climbing step sizes, coarse then fine
MAX_CLIMB_MOVES = 12
FINE_ALONG_MM = (-3.0, -1.5, 0.0, 1.5, 3.0)  # stroke lines across the fibres, along the band
STROKE_HALF_MM = 4.0  # each stroke runs from 4 mm on one side of the line to 4 mm on the other
STROKE_STEP_MM = 1.0
FEEL_RANK = {"soft": 0, "firm": 1, "ropy band": 2, "nodule": 3}
RECOGNITION_BONUS = {"yes": 1.0, "partly": 0.5, "no": 0.0}


@dataclass
class Search:
    """The actions the search took (in order) and where it decided to mark."""

    actions: list[A.Action]
    mark_mm: tuple[float, float]


def search(step: Callable[[list[A.Action]], list[E.Event]], start_mm: tuple[float, float],
           fibre_direction_deg: float, region_mm: tuple[float, float]) -> Search:
    """Search from `start_mm` with `step` (a Session's step); returns the actions and the mark.

    `step` takes a list of actions and returns the events they caused, as Session.step does.
    """
    taken: list[A.Action] = []
    width, height = region_mm
    h = math.radians(fibre_direction_deg)
    along_v, across_v = (math.cos(h), math.sin(h)), (-math.sin(h), math.cos(h))

    def at(origin, along_mm, across_mm):
        x = origin[0] + along_mm * along_v[0] + across_mm * across_v[0]
        y = origin[1] + along_mm * along_v[1] + across_mm * across_v[1]
        return min(width, max(0.0, x)), min(height, max(0.0, y))

    def act(actions) -> list[E.Event]:
        taken.extend(actions)
        return step(actions)

    def felt(events) -> E.PalpationFelt | None:
        return next((e for e in events if isinstance(e, E.PalpationFelt)), None)

    def score(event: E.PalpationFelt | None) -> float:
        return -1.0 if event is None else event.pain + RECOGNITION_BONUS.get(event.recognition, 0.0)

    pressure = FIRM_PRESS

    def press(where) -> float:
        value = score(felt(act([A.Palpate(x_mm=round(where[0], 2), y_mm=round(where[1], 2), pressure=pressure)])))
        act([A.Release()])
        return value

    here = start_mm
    best = press(here)
    visited = {(round(here[0], 1), round(here[1], 1))}
    for step_mm in CLIMB_STEPS_MM:
        for _ in range(MAX_CLIMB_MOVES):
            ring = [at(here, da * step_mm, dc * step_mm) for da, dc in ((1, 0), (-1, 0), (0, 1), (0, -1))]
            fresh = [p for p in ring if (round(p[0], 1), round(p[1], 1)) not in visited]
            scores = [press(p) for p in fresh]
            if pressure < DEEP_PRESS and max(scores + [best]) < DEEP_SWITCH_PAIN:
                pressure = DEEP_PRESS  # nothing much under a firm press: press deeper and start again here
                best = press(here)
                visited = {(round(here[0], 1), round(here[1], 1))}
                continue
            if not fresh:
                break
            top = max(range(len(fresh)), key=lambda i: scores[i])
            if scores[top] < best:
                break
            if scores[top] - best <= CONFIRM_MARGIN:  # a small rise may be noise: press both again
                again_top, again_here = press(fresh[top]), press(here)
                if scores[top] + again_top < best + again_here:
                    break
            # Equal answers are followed too (a plateau of low-grade soreness); never back to a tried spot.
            here, best = fresh[top], scores[top]
            visited.add((round(here[0], 1), round(here[1], 1)))
    # Stroke across the fibres on a few lines around the most tender spot.
    answers: list[tuple[float, int, tuple[float, float]]] = []
    steps = round(2 * STROKE_HALF_MM / STROKE_STEP_MM)
    for along in FINE_ALONG_MM:
        for i in range(steps + 1):
            where = at(here, along, -STROKE_HALF_MM + i * STROKE_STEP_MM)
            event = felt(act([A.Palpate(x_mm=round(where[0], 2), y_mm=round(where[1], 2), pressure=pressure)]))
            if event is not None and i > 0:  # the first touch of a stroke is only a static press
                answers.append((score(event), FEEL_RANK.get(event.feel, 0), where))
        act([A.Release()])
    if not answers:
        return Search(taken, here)
    top = max((s, f) for s, f, _ in answers)
    chosen = [w for s, f, w in answers if (s, f) == top]
    if len(chosen) < 3:  # too few ties: use every answer within a point of the best pain
        chosen = [w for s, f, w in answers if s >= top[0] - 1.0]
    mark = (sum(w[0] for w in chosen) / len(chosen), sum(w[1] for w in chosen) / len(chosen))
    return Search(taken, mark)
