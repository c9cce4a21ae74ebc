"""What the trainee has done so far, folded from the Session's events and state.

Coaching, the live checklist and the guided case all ask the same questions ("has the
tender spot been found?", "was there an aspiration since the needle last moved?"), so the
answers are kept in one place. `Facts` reads each event once (`feed`), and the state is
read fresh at each question, so the checks cost nothing per frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.core import events as E
from simulator.core.geometry import PROBE_FOOTPRINT_MM, in_beam

NEAR_TARGET_MM = 6.0  # the tip this close to the active point's centre: ready for the fast in-out
NEEDLE_MOVES = (E.SkinPunctured, E.NeedleMoved, E.NeedleRedirected, E.NeedleRemoved)


@dataclass
class Facts:
    """Everything a step check needs; `feed` every event in order."""

    case: object
    palpated: bool = False
    tender_found: bool = False  # a press the patient recognised, or that made them jump
    inserted: bool = False
    twitch: bool = False
    aspirated_here: bool = False  # an aspiration since the needle last moved
    injected: bool = False
    injected_without_aspiration: int = 0
    aftercare: set = field(default_factory=set)  # aftercare items given
    events_seen: int = 0
    last_rejection: str | None = None
    kinds: set = field(default_factory=set)  # the event types seen

    def feed(self, event) -> None:
        self.events_seen += 1
        self.kinds.add(type(event).__name__)
        if isinstance(event, E.PalpationFelt):
            self.palpated = True
            if event.recognition == "yes" or event.jump_sign:
                self.tender_found = True
        elif isinstance(event, E.SkinPunctured):
            self.inserted = True
        elif isinstance(event, E.TwitchElicited) and event.source == "needle":
            self.twitch = True
        elif isinstance(event, E.Aspirated):
            self.aspirated_here = True
        elif isinstance(event, E.Injected):
            if not self.aspirated_here:
                self.injected_without_aspiration += 1
            self.injected = True
        elif isinstance(event, E.AftercareGiven):
            self.aftercare.add(event.item)
        elif isinstance(event, E.ActionRejected):
            self.last_rejection = event.reason
        if isinstance(event, NEEDLE_MOVES):
            self.aspirated_here = False

    # ------------------------------------------------------------ questions about the state
    @property
    def target(self):
        """The point the case wants treated: its first active trigger point (else its first)."""
        points = self.case.trigger_points
        return next((p for p in points if p.activity == "active"), points[0] if points else None)

    @property
    def image_width_mm(self) -> float:
        return PROBE_FOOTPRINT_MM.get(self.case.ultrasound.probe, 38.0)

    def target_in_view(self, state) -> bool:
        """The probe is on the skin and its image plane cuts the target point."""
        tp = self.target
        if tp is None or not state.probe_on_skin:
            return False
        return bool(in_beam(state.probe, tp.x_mm, tp.y_mm, tp.depth_mm, self.image_width_mm,
                            state.settings.depth_cm * 10))

    def tip_to_target_mm(self, state) -> float | None:
        tp = self.target
        if tp is None or state.needle is None:
            return None
        return math.dist(state.needle.tip, (tp.x_mm, tp.y_mm, tp.depth_mm))

    def near_target(self, state) -> bool:
        gap = self.tip_to_target_mm(state)
        return gap is not None and gap <= NEAR_TARGET_MM

    def tip_in_locus(self, state) -> str | None:
        """The trigger point whose sensitive locus holds the tip now, if any (coaching may know it)."""
        if state.needle is None:
            return None
        for tp in self.case.trigger_points:
            if math.dist(state.needle.tip, (tp.x_mm, tp.y_mm, tp.depth_mm)) <= tp.twitch.locus_radius_mm:
                return tp.id
        return None
