"""Technique: the tip in view while advancing, few passes at every point, the right needle, a
quick route to the target, a short needle path, and a steady probe while the needle is in.

A **pass** is a skin puncture, or a redirection followed by advancing along the new track (a
withdraw-and-readvance in a new direction). Changing the angle at the skin before advancing is
aiming, not a pass; pistoning in and out along the same track (Hong's fast in-out) is one pass.
Each pass is charged to the trigger point its deepest tip position was nearest, and the
**worst** point decides the item, because one point needled eleven times is what an examiner
remembers, not the average over the others.

Items (share of the criterion):
- tip visible 40%: share of the advancing distance (NeedleMoved, delta > 0) with the tip in the
  beam, full at `tip_visible_fraction`, linear to 0; under half is also a failing item
  (critical.py). Advancing blind within `danger_margin_mm` of the pleura, a vessel or a nerve is
  named in the evidence;
- passes 20%: passes at the worst point, full up to `max_passes`, zero at twice that;
- needle 10%: gauge and length suit the target and the patient (core/preparation.py);
- time to target 10%: first needle twitch or injection at a trigger point, full up to
  `target_time_s`, zero at twice that;
- path length 5%: needle travel beyond the straight in-and-out route, full up to 150 mm extra per
  treated point, zero at 450 mm (an authoring choice, not a published figure);
- probe steadiness 15%: probe travel while the needle is in, full up to 10 mm, zero at 40 mm;
  no probe on the skin during needling earns nothing (an authoring choice).
"""

from __future__ import annotations

import math

from simulator.core import events as ev
from simulator.core.preparation import needle_problems
from simulator.core.scoring.base import Criterion, Outcome, decline_credit, ramp, weighted
from simulator.core.scoring.facts import finite, pretty

PATH_EXTRA_FULL_MM, PATH_EXTRA_ZERO_MM = 150.0, 450.0  # per treated point, beyond the straight route
PROBE_FULL_MM, PROBE_ZERO_MM = 10.0, 40.0
MM_PER_DEG = 0.25  # turning the probe by 4 degrees counts like sliding it 1 mm
READVANCE_MM = 1.0  # advancing at least this far after a redirection makes it a new pass
ITEM_WEIGHTS = {"tip": 0.4, "passes": 0.2, "needle": 0.1, "time": 0.1, "path": 0.05, "probe": 0.15}


class Technique(Criterion):
    id = "technique"
    title = "Needle technique"

    def __init__(self, facts):
        super().__init__(facts)
        self.advanced_mm = 0.0
        self.advanced_visible_mm = 0.0
        self.path_mm = 0.0
        self.needle_in = False
        # A session starts with the probe resting on the skin at the case's default pose.
        start = facts.case.body_region.default_probe
        self.probe: tuple[float, float, float] | None = (start.x_mm, start.y_mm, start.heading_deg)
        self.probe_on_during_needle = False
        self.probe_moves = 0
        self.probe_travel_mm = 0.0
        self.target_t_s: float | None = None
        self.needle: tuple[int, float] | None = None
        self.pleura_depth_mm: float | None = None
        # passes: each track is [counted, advanced_mm, deepest tip (x, y, d)]
        self.tracks: list[list] = []
        self.redirect_pending = False
        self.blind_near: dict[str, float] = {}  # structure -> closest blind advance (mm)

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.NeedleChosen):
            self.needle = (event.gauge, finite(event.length_mm))
        elif isinstance(event, ev.SkinPunctured):
            self.needle_in = True
            self.probe_on_during_needle |= self.probe is not None
            self.tracks.append([True, 0.0, None])
            self.redirect_pending = False
            if event.pleura_depth_mm is not None:
                depth = finite(event.pleura_depth_mm, math.inf)
                self.pleura_depth_mm = min(self.pleura_depth_mm or math.inf, depth)
        elif isinstance(event, ev.NeedleRemoved):
            self.needle_in = False
        elif isinstance(event, ev.NeedleMoved):
            self._moved(event)
        elif isinstance(event, ev.NeedleRedirected):
            # A new pass only if the last track was used; an angle change at the skin is aiming.
            if self.tracks and self.tracks[-1][1] >= READVANCE_MM:
                self.redirect_pending = True
        elif isinstance(event, ev.ProbePlaced):
            pose = (finite(event.x_mm), finite(event.y_mm), finite(event.heading_deg))
            if self.needle_in:
                self.probe_on_during_needle = True
                self.probe_moves += 1
                if self.probe is not None:
                    turn = abs((pose[2] - self.probe[2] + 180.0) % 360.0 - 180.0)
                    self.probe_travel_mm += math.dist(pose[:2], self.probe[:2]) + MM_PER_DEG * turn
            self.probe = pose
        elif isinstance(event, ev.ProbeLifted):
            self.probe = None
        if self.target_t_s is None:
            hit_point = (isinstance(event, ev.TwitchElicited) and event.source == "needle" and event.point_id) or (
                isinstance(event, ev.Injected) and event.point_id
            )
            if hit_point:
                self.target_t_s = finite(event.t_s)

    def _moved(self, event: ev.NeedleMoved) -> None:
        delta = finite(event.delta_mm)
        self.path_mm += abs(delta)
        if delta <= 0:
            return
        self.advanced_mm += delta
        if event.tip_visible:
            self.advanced_visible_mm += delta
        elif event.danger_mm is not None and finite(event.danger_mm, math.inf) <= self.thresholds_margin:
            name = pretty(event.danger_name or event.danger_kind or "structure")
            self.blind_near[name] = min(self.blind_near.get(name, math.inf), finite(event.danger_mm))
        if self.redirect_pending and self.tracks:
            self.tracks.append([True, 0.0, None])
            self.redirect_pending = False
        if self.tracks:
            track = self.tracks[-1]
            track[1] += delta
            tip = (finite(event.tip_x_mm), finite(event.tip_y_mm), finite(event.tip_depth_mm))
            if track[2] is None or tip[2] >= track[2][2]:
                track[2] = tip

    @property
    def thresholds_margin(self) -> float:
        return self.case.rubric.danger_margin_mm

    def passes_by_point(self) -> dict[str, int]:
        """Passes charged to the trigger point nearest each track's deepest tip position."""
        counts: dict[str, int] = {}
        points = self.case.trigger_points
        for _, _, tip in self.tracks:
            if tip is None or not points:
                key = "(no advance)"
            else:
                key = min(points, key=lambda p: (math.dist(tip, (p.x_mm, p.y_mm, p.depth_mm)), p.id)).id
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _straight_route_mm(self) -> float:
        """Twice the distance from the nearest skin entry to each treated point's centre."""
        entries = [(finite(p.x_mm), finite(p.y_mm)) for p in self.facts.punctures]
        total = 0.0
        for pid in self.facts.treated_at:
            point = self.facts.points[pid]
            if entries:
                total += 2 * min(math.hypot(math.dist(e, (point.x_mm, point.y_mm)), point.depth_mm) for e in entries)
        return total

    def outcome(self) -> Outcome:
        facts, th = self.facts, self.thresholds
        by_point = self.passes_by_point()
        passes = len(self.tracks)
        worst = max(by_point.values(), default=0)
        visible = self.advanced_visible_mm / self.advanced_mm if self.advanced_mm > 0 else None
        problems = needle_problems(self.case, *self.needle, self.pleura_depth_mm) if self.needle else []
        metrics = {
            "passes": passes,
            "passes_by_point": by_point,
            "passes_worst_point": worst,
            "tip_visible_fraction": visible,
            "advanced_mm": self.advanced_mm,
            "blind_near_danger": dict(sorted(self.blind_near.items())),
            "needle_problems": problems,
            "time_to_target_s": self.target_t_s,
            "path_length_mm": self.path_mm,
            "probe_moves": self.probe_moves,
            "probe_travel_mm": self.probe_travel_mm,
        }
        declined = decline_credit(facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        if not facts.punctured:
            return Outcome(0.0, "No needle was placed, so there was no technique to assess.", metrics)
        treated = max(1, len(facts.treated_at))
        items = {
            "tip": ramp(visible or 0.0, th.tip_visible_fraction, 0.0) if th.tip_visible_fraction > 0 else 1.0,
            "passes": ramp(worst, th.max_passes, 2 * th.max_passes),
            "needle": max(0.0, 1.0 - 0.5 * len(problems)),
            "time": ramp(self.target_t_s, th.target_time_s, 2 * th.target_time_s) if self.target_t_s is not None else 0.0,
            "path": ramp((self.path_mm - self._straight_route_mm()) / treated, PATH_EXTRA_FULL_MM, PATH_EXTRA_ZERO_MM),
            "probe": ramp(self.probe_travel_mm, PROBE_FULL_MM, PROBE_ZERO_MM) if self.probe_on_during_needle else 0.0,
        }
        sentences = []
        if visible is None:
            sentences.append("The needle was never advanced.")
        else:
            sentences.append(f"The tip was in view for {visible:.0%} of the advancing (aim for "
                             f"{th.tip_visible_fraction:.0%} or more).")
        for name, mm in sorted(self.blind_near.items()):
            sentences.append(f"You advanced with the tip out of view {mm:.1f} mm from the {name}.")
        worst_id = max(by_point, key=lambda k: (by_point[k], k)) if by_point else None
        where = f" at {worst_id}" if worst_id and worst_id in facts.points else ""
        sentences.append(f"{passes} needle pass{'es' if passes != 1 else ''} in all, at most {worst}{where} "
                         f"(full credit up to {th.max_passes} at any one point; aiming at the skin and pistoning "
                         "along one track are not new passes).")
        if problems:
            sentences.append("Needle choice: " + "; ".join(problems) + ".")
        elif self.needle:
            sentences.append(f"The {self.needle[0]}G {self.needle[1]:g} mm needle suited the target.")
        if self.target_t_s is None:
            sentences.append("The needle never reached a trigger point.")
        else:
            sentences.append(f"You reached the target after {self.target_t_s:.0f} s (full credit within {th.target_time_s:g} s).")
        sentences.append(f"Needle path {self.path_mm:.0f} mm (the straight route in and out is "
                         f"{self._straight_route_mm():.0f} mm).")
        if not self.probe_on_during_needle:
            sentences.append("The probe was not on the skin while you needled: keep the needle under ultrasound.")
        else:
            sentences.append(f"The probe moved {self.probe_travel_mm:.0f} mm while the needle was in "
                             f"({'steady' if items['probe'] >= 1 else 'try to hold it still'}).")
        fraction = weighted([(ITEM_WEIGHTS[k], v) for k, v in items.items()])
        return Outcome(fraction, " ".join(sentences), metrics)
