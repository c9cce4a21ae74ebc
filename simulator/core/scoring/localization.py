"""Localization: how close the trainee's best mark on the skin is to an active trigger point.

Uses the marks still on the skin at the end (every `SkinMarked` minus each `MarkErased`),
measures each one's distance on the skin to the nearest *active* point's centre, and keeps the
best. Full credit within `localization_full_mm`, falling linearly to zero at `localization_zero_mm`.
"""

from __future__ import annotations

import math

from simulator.core import events as ev
from simulator.core.scoring.base import Criterion, Outcome, decline_credit, ramp
from simulator.core.scoring.facts import finite, pretty


class Localization(Criterion):
    id = "localization"
    title = "Localization"

    def __init__(self, facts):
        super().__init__(facts)
        self.marks: list[tuple[float, float]] = []

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.SkinMarked):
            self.marks.append((finite(event.x_mm, math.inf), finite(event.y_mm, math.inf)))
        elif isinstance(event, ev.MarkErased) and self.marks:
            x, y = finite(event.x_mm, math.inf), finite(event.y_mm, math.inf)
            nearest = len(self.marks) - 1
            if math.isfinite(x) and math.isfinite(y):
                nearest = min(range(len(self.marks)), key=lambda i: math.dist(self.marks[i], (x, y)))
            self.marks.pop(nearest)

    def outcome(self) -> Outcome:
        full_mm, zero_mm = self.thresholds.localization_full_mm, self.thresholds.localization_zero_mm
        active = [p for p in self.case.trigger_points if p.activity == "active"]
        metrics = {"marks": len(self.marks), "mark_distance_mm": None, "mark_point_id": None}
        declined = decline_credit(self.facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        if not self.marks or not active:
            if not active:
                return Outcome(1.0, "This case has no active trigger point to mark: full credit.", metrics)
            return Outcome(
                0.0,
                "You left no mark on the skin: find the most tender spot in the taut band, check the patient "
                "recognises the pain, and mark it before scanning.",
                metrics,
            )
        best = min(
            ((math.dist(mark, (p.x_mm, p.y_mm)), p) for mark in self.marks for p in active),
            key=lambda pair: (pair[0], pair[1].id),
        )
        distance_mm, point = best
        fraction = ramp(distance_mm, full_mm, zero_mm)
        metrics.update(mark_distance_mm=distance_mm if math.isfinite(distance_mm) else None, mark_point_id=point.id)
        where = f"the active trigger point in the {pretty(point.muscle)}"
        lead = "Your mark" if len(self.marks) == 1 else f"Your best of {len(self.marks)} marks"
        if fraction >= 1.0:
            verdict = f"full credit (within {full_mm:g} mm)"
        elif fraction <= 0.0:
            verdict = f"no credit (credit stops at {zero_mm:g} mm)"
        else:
            verdict = f"{fraction:.0%} credit (full within {full_mm:g} mm, none beyond {zero_mm:g} mm)"
        shown = f"{distance_mm:.1f} mm" if math.isfinite(distance_mm) else "an unknown distance"
        return Outcome(fraction, f"{lead} was {shown} from {where}: {verdict}.", metrics)
