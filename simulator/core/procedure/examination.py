"""Palpation and skin marks: what the finger feels and where the trainee marks the knot."""

from __future__ import annotations

import dataclasses
import math

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core.procedure.world import World
from simulator.core.state import Rejected


def on_palpate(w: World, a: A.Palpate, t: float):
    w.check_in_region(a.x_mm, a.y_mm)
    if not 0 <= a.pressure <= 1:
        raise Rejected(f"pressure must be between 0 and 1, got {a.pressure:g}")
    w.palpation, event = w.exam.press(a.x_mm, a.y_mm, a.pressure, a.grip or "flat", t, w.palpation)
    return [event]


def on_release(w: World, a: A.Release, t: float):
    if w.palpation is None or not w.palpation.finger_down:
        raise Rejected("no finger is pressing")
    w.palpation = dataclasses.replace(w.palpation, finger_down=False)
    return [E.PalpationReleased(t_s=t)]


def on_snap(w: World, a: A.Snap, t: float):
    w.check_in_region(a.x_mm, a.y_mm)
    snapped, band, chance = w.exam.snap(a.x_mm, a.y_mm, a.direction_deg, t)
    out: list[E.Event] = [snapped]
    if band is not None and chance > 0:
        # Palpation LTRs are unreliable (kappa -0.05 to 0.57, docs/sources.md [18]): the chance is graded.
        out.extend(w.twitch(band.point.id, chance, "palpation", "snap", t))
    return out


def on_mark(w: World, a: A.Mark, t: float):
    w.check_in_region(a.x_mm, a.y_mm)
    w.marks.append((a.x_mm, a.y_mm))
    return [E.SkinMarked(t_s=t, x_mm=a.x_mm, y_mm=a.y_mm)]


def on_erase_mark(w: World, a: A.EraseMark, t: float):
    if not w.marks:
        raise Rejected("there is no mark to erase")
    if (a.x_mm is None) != (a.y_mm is None):
        raise Rejected("give both x_mm and y_mm, or neither to erase the last mark")
    index = len(w.marks) - 1
    if a.x_mm is not None:
        index = min(range(len(w.marks)), key=lambda i: math.dist(w.marks[i], (a.x_mm, a.y_mm)))
    x, y = w.marks.pop(index)
    return [E.MarkErased(t_s=t, x_mm=x, y_mm=y)]



HANDLERS = {
    A.Palpate: on_palpate,
    A.Release: on_release,
    A.Snap: on_snap,
    A.Mark: on_mark,
    A.EraseMark: on_erase_mark,
}
