"""Needle kinematics against the anatomy: tissue crossings, contacts, near misses and the locus.

A straight needle pivots on its skin entry. Every advance is checked along its whole path
in steps of at most 0.5 mm, so a fast advance cannot jump a vessel or the pleura. Bone
stops the needle. Entering a sensitive locus (a sphere of `twitch.locus_radius_mm` around a
trigger point's centre) starts Hong's fast-in, fast-out clock: a withdraw within about a
second is what elicits a local twitch response (docs/sources.md [13][14]); the Session draws it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from simulator.core import speech
from simulator.core.events import (
    BoneContacted,
    Event,
    FasciaCrossed,
    MuscleEntered,
    NearMiss,
    NerveContacted,
    PleuraPunctured,
    VesselPunctured,
)
from simulator.core.drug import reach_mm
from simulator.core.geometry import NeedleGeometry
from simulator.scenario.schema import Case, TriggerPoint

STEP_MM = 0.5  # path check resolution: nothing thinner than this can be skipped
NEAR_MISS_MM = 2.0  # a pass this close to a vessel, nerve or the pleura is recorded
REDIRECT_MAX_DEPTH_MM = 5.0  # redirect only with the tip pulled back near the skin (fanning, [145])
FAST_IN_OUT_WINDOW_S = 1.0  # advance into the locus, withdraw within about a second (Hong, [13][14])
VESSEL_KINDS = ("artery", "vein")
WATCHED_KINDS = ("artery", "vein", "nerve", "pleura")
LUNG_TISSUES = ("pleura", "lung")
NOT_MUSCLE = ("skin", "fat", "fascia", "bone", "pleura", "lung", "artery", "vein", "nerve")


@dataclass
class NeedleTrack:
    """The needle currently in the patient (mutable; the Session snapshots it)."""

    geometry: NeedleGeometry  # length_mm is the inserted length
    hub_length_mm: float  # the needle's full length: never accept burying it to the hub
    pass_number: int = 1
    tissue: str = "skin"
    muscle: str | None = None
    inside: set[tuple[str, str]] = field(default_factory=set)  # (kind, name) the tip is inside
    near_missed: set[tuple[str, str]] = field(default_factory=set)  # recorded this pass
    pleura_punctured_this_pass: bool = False
    in_locus: set[str] = field(default_factory=set)
    locus_entry_t_s: dict[str, float] = field(default_factory=dict)  # last time the tip moved within a locus
    last_advance_t_s: float | None = None  # when the needle last went forward (for fast in-out)


@dataclass(frozen=True)
class MoveResult:
    events: list[Event]
    moved_mm: float  # signed: what the tip actually travelled (bone stops an advance)


def locus_distance_mm(point: TriggerPoint, x_mm: float, y_mm: float, depth_mm: float) -> float:
    return math.dist((x_mm, y_mm, depth_mm), (point.x_mm, point.y_mm, point.depth_mm))


class NeedleModel:
    """Moves a NeedleTrack through one case's anatomy and reports what the tip meets."""

    def __init__(self, case: Case, anatomy):
        self.case = case
        self.anatomy = anatomy

    # ------------------------------------------------------------ insertion
    def insert(self, x_mm: float, y_mm: float, angle_deg: float, heading_deg: float, gauge: int,
               hub_length_mm: float) -> NeedleTrack:
        geometry = NeedleGeometry(x_mm, y_mm, angle_deg, heading_deg, 0.0, gauge)
        return NeedleTrack(geometry=geometry, hub_length_mm=hub_length_mm)

    def tip_depth_mm(self, track: NeedleTrack) -> float:
        return track.geometry.tip[2]

    # ------------------------------------------------------------ advance
    def advance(self, track: NeedleTrack, mm: float, t_s: float) -> MoveResult:
        """Push the needle `mm` deeper along its line, checking every 0.5 mm of the way."""
        start = track.geometry.length_mm
        steps = max(1, math.ceil(mm / STEP_MM))
        events: list[Event] = []
        track.last_advance_t_s = t_s
        for point_id in track.in_locus:
            # Already in the locus: a fast push from here counts like entering it (Hong's pistoning
            # within the locus), so a resident whose tip sits in the locus can still draw a twitch.
            track.locus_entry_t_s[point_id] = t_s
        closest: dict[tuple[str, str], float] = {}
        punctured: set[tuple[str, str]] = set()
        reached = start
        for i in range(1, steps + 1):
            along = start + mm * i / steps
            x, y, d = track.geometry.point_at(along)
            tissue = self.anatomy.tissue_at(x, y, d)
            structures = self.anatomy.distances(x, y, d)
            bone = [s for s in structures if s.kind == "bone" and s.distance_mm <= 0]
            if tissue == "bone" or bone:
                name = bone[0].name if bone else "bone"
                events.append(BoneContacted(t_s=t_s, name=name, speech=speech.bone_contact()))
                break
            reached = along
            for s in structures:
                key = (s.kind, s.name)
                if s.kind not in WATCHED_KINDS:
                    continue
                inside = s.distance_mm <= 0 or (s.kind == "pleura" and tissue in LUNG_TISSUES)
                if inside:
                    punctured.add(key)
                    if s.kind == "pleura":
                        continue
                    if key not in track.inside:
                        track.inside.add(key)
                        events.append(self._contact_event(s, t_s))
                else:
                    track.inside.discard(key)
                    if s.distance_mm <= NEAR_MISS_MM:
                        closest[key] = min(closest.get(key, math.inf), s.distance_mm)
            if tissue in LUNG_TISSUES and not track.pleura_punctured_this_pass:
                track.pleura_punctured_this_pass = True
                events.append(PleuraPunctured(t_s=t_s, depth_mm=d, speech=speech.pleura_puncture()))
            events.extend(self._tissue_change(track, tissue, x, y, d, t_s))
            self._update_loci(track, x, y, d, t_s)
        for key, distance in sorted(closest.items()):
            if key in punctured or key in track.near_missed:
                continue
            track.near_missed.add(key)
            events.append(NearMiss(t_s=t_s, kind=key[0], name=key[1], distance_mm=max(0.0, distance)))
        track.geometry = dataclasses.replace(track.geometry, length_mm=reached)
        return MoveResult(events, reached - start)

    def _contact_event(self, structure, t_s: float) -> Event:
        if structure.kind in VESSEL_KINDS:
            return VesselPunctured(t_s=t_s, name=structure.name, kind=structure.kind, speech=speech.vessel_puncture())
        territory = self._territory(structure.name)
        return NerveContacted(t_s=t_s, name=structure.name, territory=territory, speech=speech.paraesthesia(territory))

    def _territory(self, nerve_name: str) -> tuple[str, ...]:
        for nerve in self.case.anatomy.nerves:
            if nerve.name == nerve_name:
                return tuple(nerve.territory)
        return ()

    def _tissue_change(self, track: NeedleTrack, tissue: str, x: float, y: float, d: float, t_s: float) -> list[Event]:
        events: list[Event] = []
        if tissue != track.tissue and tissue == "fascia":
            events.append(FasciaCrossed(t_s=t_s, depth_mm=d))
        muscle = None if tissue in NOT_MUSCLE else self.anatomy.muscle_at(x, y, d)
        if muscle is not None and muscle != track.muscle:
            events.append(MuscleEntered(t_s=t_s, muscle=muscle))
        track.tissue = tissue
        track.muscle = muscle
        return events

    def _update_loci(self, track: NeedleTrack, x: float, y: float, d: float, t_s: float) -> None:
        for point in self.case.trigger_points:
            if locus_distance_mm(point, x, y, d) <= point.twitch.locus_radius_mm:
                track.in_locus.add(point.id)
                track.locus_entry_t_s[point.id] = t_s
            else:
                track.in_locus.discard(point.id)

    # ------------------------------------------------------------ withdraw and redirect
    def withdraw(self, track: NeedleTrack, mm: float, t_s: float) -> tuple[MoveResult, list[str], bool]:
        """Pull back (never past the skin).

        Returns the move, the points whose locus got a fast in-out, and whether this withdraw
        completed a fast in-out at all (forward within the last second), locus or not.
        """
        quick = track.last_advance_t_s is not None and t_s - track.last_advance_t_s <= FAST_IN_OUT_WINDOW_S
        track.last_advance_t_s = None
        start = track.geometry.length_mm
        reached = max(0.0, start - mm)
        track.geometry = dataclasses.replace(track.geometry, length_mm=reached)
        fast = sorted(
            point_id
            for point_id, entered in track.locus_entry_t_s.items()
            if t_s - entered <= FAST_IN_OUT_WINDOW_S
        )
        track.locus_entry_t_s.clear()
        self._settle(track, t_s)
        return MoveResult([], reached - start), fast, quick

    def redirect(self, track: NeedleTrack, angle_deg: float, heading_deg: float, t_s: float) -> list[Event]:
        """Swing the needle about its entry point; each redirect starts a new pass.

        The shaft now lies along a new line, so that line is traced from the skin like an
        advance (contacts, near misses, bone) and nothing can be jumped by swinging.
        """
        inserted = track.geometry.length_mm
        track.geometry = dataclasses.replace(track.geometry, angle_deg=angle_deg, heading_deg=heading_deg, length_mm=0.0)
        track.pass_number += 1
        track.near_missed.clear()
        track.pleura_punctured_this_pass = False
        track.locus_entry_t_s.clear()
        track.tissue, track.muscle, track.inside, track.in_locus = "skin", None, set(), set()
        if inserted <= 0:
            return []
        return self.advance(track, inserted, t_s).events

    def _settle(self, track: NeedleTrack, t_s: float) -> None:
        """Recompute what the tip is in after a move that makes no new contacts."""
        x, y, d = track.geometry.tip
        tissue = self.anatomy.tissue_at(x, y, d) if d > 0 else "skin"
        track.tissue = tissue
        track.muscle = None if tissue in NOT_MUSCLE else self.anatomy.muscle_at(x, y, d)
        structures = self.anatomy.distances(x, y, d)
        track.inside = {(s.kind, s.name) for s in structures if s.kind in WATCHED_KINDS and s.distance_mm <= 0}
        track.in_locus = {
            p.id for p in self.case.trigger_points if locus_distance_mm(p, x, y, d) <= p.twitch.locus_radius_mm
        }

    # ------------------------------------------------------------ queries
    def tip_in_vessel(self, track: NeedleTrack) -> tuple[str, str] | None:
        x, y, d = track.geometry.tip
        for s in self.anatomy.distances(x, y, d):
            if s.kind in VESSEL_KINDS and s.distance_mm <= 0:
                return s.kind, s.name
        return None

    def tip_tissue(self, track: NeedleTrack) -> str:
        x, y, d = track.geometry.tip
        return self.anatomy.tissue_at(x, y, d) if d > 0 else "skin"

    def point_in_reach(self, track: NeedleTrack, volume_ml: float, tissue: str) -> str | None:
        """The trigger point the injectate reaches: its centre within the bolus radius plus its half-size.

        Injectate in skin or fat stays above the fascia ([91][92]) and reaches no point;
        in muscle it must be the point's own muscle; in a fascial plane it spreads over it.
        """
        x, y, d = track.geometry.tip
        if tissue in ("skin", "fat", "artery", "vein"):
            return None
        muscle = self.anatomy.muscle_at(x, y, d) if tissue != "fascia" else None
        best, best_gap = None, math.inf
        for point in self.case.trigger_points:
            if muscle is not None and point.muscle != muscle:
                continue
            reach = reach_mm(volume_ml) + max(point.size.length_mm, point.size.width_mm, point.size.height_mm) / 2
            gap = locus_distance_mm(point, x, y, d) - reach
            if gap <= 0 and gap < best_gap:
                best, best_gap = point.id, gap
        return best
