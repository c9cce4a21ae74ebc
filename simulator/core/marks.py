"""Where a skin mark lies against the case's active trigger points: one answer for scoring and the views.

The localization criterion credits a mark by its distance to an *active* point (a latent point is
tender but is not the patient's pain, so a mark on one finds nothing), with full credit within the
rubric's `localization_full_mm`. The practice hint on the procedure screen asks the same question
of each mark, so it reads it from here rather than deciding "near" for itself. Pure: no pygame.
"""

from __future__ import annotations

import math

from simulator.scenario.schema import Case, TriggerPoint


def nearest_active_point(case: Case, x_mm: float, y_mm: float) -> tuple[TriggerPoint, float] | None:
    """(the active point nearest the skin point, its distance on the skin in mm), or None when the
    case has no active point. Ties go to the point listed first in the case."""
    active = [p for p in case.trigger_points if p.activity == "active"]
    if not active:
        return None
    distances = [math.hypot(p.x_mm - x_mm, p.y_mm - y_mm) for p in active]
    best = min(range(len(active)), key=lambda i: distances[i])
    return active[best], distances[best]


def mark_finds_a_point(case: Case, x_mm: float, y_mm: float) -> bool:
    """Would a mark here earn full mark credit for some active point (within `localization_full_mm`)?"""
    found = nearest_active_point(case, x_mm, y_mm)
    return found is not None and found[1] <= case.rubric.thresholds.localization_full_mm
