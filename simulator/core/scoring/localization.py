"""Localization: did the trainee find the knot? Judged from what was treated and what was marked.

Two items (share of the criterion):
- **treated 60%**: where the injectate (or, when dry needling, the twitching needle) actually
  went, as the 3D distance from each injection tip to the active point's centre: full within
  `TREAT_FULL_MM`, none beyond `TREAT_ZERO_MM`, the best injection per active point, averaged
  over the active points (each active point is meant to be treated);
- **marked 40%**: the marks left on the skin (every `SkinMarked` minus each `MarkErased`). For
  each active point its nearest mark earns full credit within `localization_full_mm`, falling to
  none at `localization_zero_mm`, averaged over the active points; that is then multiplied by the
  share of marks that lie near some trigger point, so a mark is a finding the trainee commits to
  and a carpet of marks earns nothing.
An attempt that treats no active point also fails (critical.py), unless not injecting was right.
"""

from __future__ import annotations

import math

from simulator.core import events as ev
from simulator.core.scoring.base import Criterion, Outcome, decline_credit, ramp, weighted
from simulator.core.scoring.facts import finite, pretty

TREAT_FULL_MM, TREAT_ZERO_MM = 5.0, 15.0  # injection tip to the point's centre (the locus is ~2.5 mm)
TREATED_WEIGHT, MARKED_WEIGHT = 0.6, 0.4


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

    # ------------------------------------------------------------ items
    def treated_distances(self) -> dict[str, float]:
        """Per active point: the closest an injection tip (or a twitching needle) came to its centre, mm."""
        facts = self.facts
        best: dict[str, float] = {}
        for point in facts.case.trigger_points:
            if point.activity != "active":
                continue
            centre = (point.x_mm, point.y_mm, point.depth_mm)
            distances = [math.dist((finite(s.tip_x_mm, math.inf), finite(s.tip_y_mm, math.inf),
                                    finite(s.tip_depth_mm, math.inf)), centre) for s in facts.injections]
            if facts.dry_needling and any(t.point_id == point.id for t in facts.needle_twitches):
                distances.append(0.0)  # the needle was in its locus when it twitched
            best[point.id] = min(distances, default=math.inf)
        return best

    def mark_item(self) -> tuple[float, dict[str, float], int]:
        """(credit, nearest mark per active point in mm, marks near some trigger point)."""
        full_mm, zero_mm = self.thresholds.localization_full_mm, self.thresholds.localization_zero_mm
        points = self.case.trigger_points
        active = [p for p in points if p.activity == "active"]
        nearest = {p.id: min((math.dist(m, (p.x_mm, p.y_mm)) for m in self.marks), default=math.inf) for p in active}
        near = sum(1 for m in self.marks if any(math.dist(m, (p.x_mm, p.y_mm)) < zero_mm for p in points))
        if not self.marks or not active:
            return 0.0, nearest, near
        found = sum(ramp(d, full_mm, zero_mm) for d in nearest.values()) / len(active)
        return found * near / len(self.marks), nearest, near

    def outcome(self) -> Outcome:
        facts = self.facts
        full_mm, zero_mm = self.thresholds.localization_full_mm, self.thresholds.localization_zero_mm
        active = [p for p in self.case.trigger_points if p.activity == "active"]
        marked, nearest, near = self.mark_item()
        best_mark = min(nearest.items(), key=lambda kv: (kv[1], kv[0]), default=(None, math.inf))
        treated = self.treated_distances()
        metrics = {"marks": len(self.marks), "marks_near_a_point": near,
                   "mark_distance_mm": best_mark[1] if math.isfinite(best_mark[1]) else None,
                   "mark_point_id": best_mark[0] if math.isfinite(best_mark[1]) else None,
                   "treated_distance_mm": {k: (v if math.isfinite(v) else None) for k, v in treated.items()}}
        declined = decline_credit(facts)
        if declined:
            if marked > declined.fraction:  # the examination still showed where the knot is
                return Outcome(marked, self._marks_sentence(marked, nearest, near), metrics)
            return Outcome(declined.fraction, declined.evidence, metrics)
        if not active:
            return Outcome(1.0, "This case has no active trigger point to find: full credit.", metrics)
        sentences = [self._marks_sentence(marked, nearest, near)]
        if facts.do_not_inject:
            return Outcome(marked, " ".join(sentences), metrics)
        shares = [ramp(d, TREAT_FULL_MM, TREAT_ZERO_MM) for d in treated.values()]
        treat = sum(shares) / len(shares)
        for pid, d in sorted(treated.items()):
            where = f"{pid} in the {pretty(facts.points[pid].muscle)}"
            if not math.isfinite(d):
                sentences.append(f"Nothing was injected at the active point {where}.")
            else:
                lead = (f"Dry needling drew a twitch in the locus of {where}" if facts.dry_needling else
                        f"The closest injection was {d:.1f} mm from the centre of {where}")
                sentences.append(f"{lead} "
                                 f"({ramp(d, TREAT_FULL_MM, TREAT_ZERO_MM):.0%} credit: full within {TREAT_FULL_MM:g} mm, "
                                 f"none beyond {TREAT_ZERO_MM:g} mm).")
        fraction = weighted([(TREATED_WEIGHT, treat), (MARKED_WEIGHT, marked)])
        return Outcome(fraction, " ".join(sentences), metrics)

    def _marks_sentence(self, marked: float, nearest: dict[str, float], near: int) -> str:
        full_mm, zero_mm = self.thresholds.localization_full_mm, self.thresholds.localization_zero_mm
        if not self.marks:
            return ("You left no mark on the skin: find the most tender spot in the taut band, check the patient "
                    "recognises the pain, and mark it before scanning.")
        parts = [f"{d:.1f} mm from {pid}" if math.isfinite(d) else f"none near {pid}" for pid, d in sorted(nearest.items())]
        text = (f"Your nearest mark was {', '.join(parts)} (full credit within {full_mm:g} mm, none beyond {zero_mm:g} mm)")
        if near < len(self.marks):
            text += (f"; {len(self.marks) - near} of your {len(self.marks)} marks were near no trigger point, and marks "
                     "are findings you commit to, so they reduce the mark credit")
        return text + f": {marked:.0%} of the mark credit."
