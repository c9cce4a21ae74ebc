"""Technique: few needle passes, the tip in view while advancing, a quick route to the target,
a short needle path, and a steady probe while the needle is in.

Items (share of the criterion):
- tip visible 35%: share of the advancing distance (NeedleMoved, delta > 0) with the tip in the
  beam, full at `tip_visible_fraction`, linear to 0 (domain.md §3.3 [86][89]);
- passes 20%: skin punctures plus redirections per treated point, full up to `max_passes`,
  zero at twice that;
- time to target 20%: first needle twitch or injection at a trigger point, from the start,
  full up to `target_time_s`, zero at twice that;
- path length 10%: total needle travel beyond the straight in-and-out route (twice the distance
  from the nearest skin entry to each treated point's centre): full up to 150 mm extra per
  treated point, zero at 450 mm extra (an authoring choice, not a published figure);
- probe steadiness 15%: probe travel while the needle is in, full up to 10 mm, zero at 40 mm;
  no probe on the skin during needling earns nothing (an authoring choice).
"""

from __future__ import annotations

import math

from simulator.core import events as ev
from simulator.core.scoring.base import Criterion, Outcome, decline_credit, ramp, weighted
from simulator.core.scoring.facts import finite

PATH_EXTRA_FULL_MM, PATH_EXTRA_ZERO_MM = 150.0, 450.0  # per treated point, beyond the straight route
PROBE_FULL_MM, PROBE_ZERO_MM = 10.0, 40.0
MM_PER_DEG = 0.25  # turning the probe by 4 degrees counts like sliding it 1 mm
ITEM_WEIGHTS = {"tip": 0.35, "passes": 0.2, "time": 0.2, "path": 0.1, "probe": 0.15}


class Technique(Criterion):
    id = "technique"
    title = "Needle technique"

    def __init__(self, facts):
        super().__init__(facts)
        self.advanced_mm = 0.0
        self.advanced_visible_mm = 0.0
        self.path_mm = 0.0
        self.redirections = 0
        self.needle_in = False
        # A session starts with the probe resting on the skin at the case's default pose.
        start = facts.case.body_region.default_probe
        self.probe: tuple[float, float, float] | None = (start.x_mm, start.y_mm, start.heading_deg)
        self.probe_on_during_needle = False
        self.probe_moves = 0
        self.probe_travel_mm = 0.0
        self.target_t_s: float | None = None

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.SkinPunctured):
            self.needle_in = True
            self.probe_on_during_needle |= self.probe is not None
        elif isinstance(event, ev.NeedleRemoved):
            self.needle_in = False
        elif isinstance(event, ev.NeedleMoved):
            delta = finite(event.delta_mm)
            self.path_mm += abs(delta)
            if delta > 0:
                self.advanced_mm += delta
                if event.tip_visible:
                    self.advanced_visible_mm += delta
        elif isinstance(event, ev.NeedleRedirected):
            self.redirections += 1
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
        passes = len(facts.punctures) + self.redirections
        treated = max(1, len(facts.treated_at))
        visible = self.advanced_visible_mm / self.advanced_mm if self.advanced_mm > 0 else None
        metrics = {
            "passes": passes,
            "passes_per_point": passes / treated,
            "tip_visible_fraction": visible,
            "advanced_mm": self.advanced_mm,
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
        items = {
            "tip": ramp(visible or 0.0, th.tip_visible_fraction, 0.0) if th.tip_visible_fraction > 0 else 1.0,
            "passes": ramp(passes / treated, th.max_passes, 2 * th.max_passes),
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
        sentences.append(f"{passes} needle pass{'es' if passes != 1 else ''} for {len(facts.treated_at)} treated "
                         f"point{'s' if len(facts.treated_at) != 1 else ''} (full credit up to {th.max_passes} per point).")
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
