"""The state every procedure handler shares, and the checks they share.

The Session keeps the clock, the dispatch and the event log; everything an action can change
lives here, in one place, so the handler modules (preparation, examination, scanning,
needling, injection, care) depend on this module and never on the Session. A handler either
returns the events its action caused or raises `Rejected` before changing anything.
"""

from __future__ import annotations

import numpy as np

from simulator.core import events as E
from simulator.core import patient, speech
from simulator.core.anatomy import AnatomyModel
from simulator.core.drug import Syringe
from simulator.core.geometry import PROBE_FOOTPRINT_MM, ProbePose, in_beam
from simulator.core.needle import NeedleModel, NeedleTrack
from simulator.core.palpation import PalpationExam
from simulator.core.physiology import Physiology
from simulator.core.state import BolusState, Checklist, PalpationFeedback, Rejected, ScannerSettings
from simulator.scenario.emergency import load_emergency_drugs
from simulator.scenario.schema import AgentCatalogue, Case

POSITIONS = ("prone", "seated", "side_lying", "supine")
LTR_DURATION_S = 1.0  # an LTR lasts up to about 1 s (docs/sources.md [6])
LTR_FATIGUE = 0.7  # each LTR at a point is weaker than the last ([23]; the ratio is an authoring choice)
LTR_MIN_STRENGTH = 0.1  # below this the point stops twitching ("until LTRs stop appearing", [23])
SKIN_PUNCTURE_PAIN = 3  # authoring choice (UNSOURCED); 21-25G hurt alike ([143])
SKIN_PUNCTURE_PAIN_AFTER_WHEAL = 1
MAX_NEEDLE_LENGTH_MM = 200.0
DANGER_KINDS = ("pleura", "artery", "vein", "nerve")  # what a blind advance must not come near


class World:
    """One session's mutable state: patient, probe, needle, syringe, marks, palpation, phase."""

    def __init__(self, case: Case, catalogue: AgentCatalogue, anatomy: AnatomyModel, needle_model: NeedleModel,
                 rng: dict[str, np.random.Generator]):
        self.case, self.catalogue, self.anatomy, self.needle_model, self.rng = case, catalogue, anatomy, needle_model, rng
        probe = case.body_region.default_probe
        self.probe = ProbePose(probe.x_mm, probe.y_mm, probe.heading_deg, 0.2)
        self.probe_on_skin = True
        self.probe_tilt_deg = 0.0
        self.pneumothorax_xy_mm: tuple[float, float] | None = None  # where the pleura was first breached
        us = case.ultrasound
        focus = us.focus_cm if us.focus_cm is not None else us.depth_cm / 2
        self.settings = ScannerSettings(us.depth_cm, us.gain_db, us.freq_mhz, focus, False)
        self.checklist = Checklist()
        self.wheal_pending = False
        self.track: NeedleTrack | None = None
        self.needled = False
        self.drug = Syringe()
        self.boluses: list[BolusState] = []
        self.marks: list[tuple[float, float]] = []
        self.palpation: PalpationFeedback | None = None
        self.exam = PalpationExam(case, anatomy, rng["palpation_exam"])
        self.twitch_counts: dict[str, int] = {}
        self.last_twitch: tuple[float, float] | None = None  # (t_s, strength)
        self.finished = False
        self.declined = False
        self.body = patient.PatientBody(case, rng["patient"])
        self.physiology = Physiology(case, rng["physiology"], load_emergency_drugs())

    # ------------------------------------------------------------ shared checks
    def check_in_region(self, x_mm: float, y_mm: float) -> None:
        region = self.case.body_region
        if not (0 <= x_mm <= region.width_mm and 0 <= y_mm <= region.height_mm):
            raise Rejected(
                f"({x_mm:g}, {y_mm:g}) mm is outside the region (0-{region.width_mm:g} x 0-{region.height_mm:g} mm)"
            )

    def require_needle(self) -> NeedleTrack:
        if self.track is None:
            raise Rejected("no needle is in")
        return self.track

    @staticmethod
    def check_angle(angle_deg: float) -> None:
        if not 0 < angle_deg <= 90:
            raise Rejected(f"angle_deg must be above 0 and at most 90 (to the skin), got {angle_deg:g}")

    # ------------------------------------------------------------ derived quantities
    def tip_visible(self) -> bool:
        if self.track is None or not self.probe_on_skin:
            return False
        x, y, d = self.track.geometry.tip
        width = PROBE_FOOTPRINT_MM[self.case.ultrasound.probe]
        return bool(in_beam(self.probe, x, y, d, width, self.settings.depth_cm * 10))

    def twitch_amplitude(self, time_s: float) -> float:
        """How strongly the muscle is twitching now (the last LTR fading over about a second)."""
        if self.last_twitch is None:
            return 0.0
        t0, strength = self.last_twitch
        dt = time_s - t0
        if dt < 0 or dt >= LTR_DURATION_S:
            return 0.0
        return float(strength * (1.0 - dt / LTR_DURATION_S) ** 2)

    def twitch(self, point_id: str, probability: float, rng_name: str, source: str, t: float) -> list[E.Event]:
        """One chance of an LTR at a point; repeated LTRs weaken and finally stop ([23])."""
        count = self.twitch_counts.get(point_id, 0)
        strength = LTR_FATIGUE ** count
        if strength < LTR_MIN_STRENGTH or not self.rng[rng_name].random() < probability:
            return []
        self.twitch_counts[point_id] = count + 1
        self.last_twitch = (t, strength)
        return [E.TwitchElicited(t_s=t, point_id=point_id, strength=strength, source=source,
                                 speech=speech.twitch(source))]

    def moved(self, track: NeedleTrack, delta_mm: float, t: float) -> E.NeedleMoved:
        """The NeedleMoved event for the tip as it is now, with the closest danger structure."""
        x, y, d = track.geometry.tip
        danger = min((s for s in self.anatomy.distances(x, y, d) if s.kind in DANGER_KINDS),
                     key=lambda s: (s.distance_mm, s.kind, s.name), default=None)
        return E.NeedleMoved(t_s=t, delta_mm=delta_mm, tip_x_mm=x, tip_y_mm=y, tip_depth_mm=d,
                             tip_visible=self.tip_visible(), tissue=track.tissue,
                             danger_kind=danger.kind if danger else None, danger_name=danger.name if danger else None,
                             danger_mm=max(0.0, danger.distance_mm) if danger else None)
