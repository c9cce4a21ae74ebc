"""One session's palpation: the seeded variability on top of the model, and the events it gives.

Why random: clinical palpation agrees only moderately between examiners (pooled kappa about
0.45, Rathbone 2017; see docs/palpation.md), so a simulated patient must not answer like a lookup
table. Each session draws, from its own random stream, where each point is felt (a few mm
from where it is), and each new reading (finger down or moved) draws noise on pain and
firmness and the patient's answers: recognition, jump sign and referral are probabilities
that rise with the stimulus, so an active point is occasionally missed and a latent one
partly recognised. What the trainee may perceive (feel level, pain, words) is kept apart
from what only scoring and review may read (`truth`). docs/palpation.md lists the constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core import speech
from simulator.core.events import BandSnapped, PalpationFelt, PalpationTruth, SnapTruth
from simulator.core.palpation import model as M
from simulator.core.state import PalpationFeedback, Rejected
from simulator.scenario.schema import Case

FELT_OFFSET_SD_MM = 2.5  # per axis; authoring choice calibrated in docs/palpation.md
FELT_OFFSET_MAX_MM = 7.0  # "a few mm": offsets are scaled back to at most this radius
BAND_TENSION_RANGE = (0.4, 1.2)  # per session and band: tone varies between examinations (authoring choice)
PAIN_NOISE_SD = 0.75  # per reading, about +-1 on the 0-10 scale once rounded
FIRMNESS_NOISE_SD = 0.1
MAX_STROKE_MM = 20.0  # a jump further than this is a new press, not a slide
TRAIL_POINTS = 32  # finger positions kept to find where the current slide began
POINT_PAIN_MIN = 0.5  # below this expected pain no point is said to dominate (truth only)
# Graded answers: chance = ceiling x logistic((expected pain - mid) / slope). Authoring choices
# shaped on the Delphi consensus (recognition marks an active point) and Bron 2007 (referral
# and jump sign among the more reproducible findings); calibrated in docs/palpation.md.
RECOGNITION_CEILING = {"active": (0.8, 0.1), "latent": (0.04, 0.3)}  # (full, partial)
RECOGNITION_PAIN_MID, RECOGNITION_PAIN_SLOPE = 4.5, 0.7
RECOGNITION_MIN_PAIN = 3  # full recognition needs at least this reported pain
JUMP_SIGN_CEILING, JUMP_SIGN_PAIN_MID, JUMP_SIGN_PAIN_SLOPE = 0.9, 6.5, 0.6
REFERRAL_CEILING = {"active": 0.85, "latent": 0.5}
REFERRAL_PAIN_MID, REFERRAL_PAIN_SLOPE = 5.0, 0.7
REFERRAL_MIN_PAIN = 4  # referral needs at least this reported pain
GRIPS = ("flat", "pincer")
SNAP_CATCH_MIN = 0.1  # a flick this far from every band catches none (truth only)


@dataclass(frozen=True)
class Reading:
    """The chance part of one reading, drawn when the finger goes down or moves."""

    pain_z: float
    firmness_z: float
    recognition_u: float
    jump_u: float
    referral_u: float


class PalpationExam:
    """The palpation of one session: felt points drawn at the start, readings drawn per press."""

    def __init__(self, case: Case, anatomy, rng: np.random.Generator):
        self.case = case
        self.anatomy = anatomy
        self._rng = rng
        layers = case.anatomy.layers
        points = []
        for point in case.trigger_points:
            dx, dy = rng.standard_normal(2) * FELT_OFFSET_SD_MM
            tension = float(rng.uniform(*BAND_TENSION_RANGE))
            scale = min(1.0, FELT_OFFSET_MAX_MM / max(1e-9, math.hypot(dx, dy)))
            tops = anatomy.layer_tops_mm(point.x_mm, point.y_mm)
            host = [i for i, layer in enumerate(layers) if layer.tissue == "muscle" and layer.name == point.muscle]
            cover = float(tops[host[0]]) if host else max(0.0, point.depth_mm - point.size.height_mm / 2)
            points.append(M.FeltPoint(point, point.x_mm + dx * scale, point.y_mm + dy * scale, cover,
                                      point.muscle in M.PINCER_MUSCLES, tension))
        self.points: tuple[M.FeltPoint, ...] = tuple(points)
        self._reading: Reading | None = None
        self._reading_at: tuple[float, float] | None = None
        self._trail: list[tuple[float, float]] = []  # finger positions of the current press, newest last

    # ------------------------------------------------------------------ helpers
    def muscle_under(self, x_mm: float, y_mm: float) -> str | None:
        """The first muscle under the skin at (x, y) (at least 0.5 mm thick), from the layer model."""
        thickness = self.anatomy.layer_thickness_mm(x_mm, y_mm)
        for layer, mm in zip(self.case.anatomy.layers, thickness):
            if layer.tissue == "muscle" and float(mm) >= 0.5:
                return layer.name
        return None

    def check_grip(self, grip: str, x_mm: float, y_mm: float) -> None:
        if grip not in GRIPS:
            raise Rejected(f"grip must be one of {', '.join(GRIPS)}, got {grip!r}")
        if grip == "pincer":
            muscle = self.muscle_under(x_mm, y_mm)
            if muscle not in M.PINCER_MUSCLES:
                what = f"the {muscle.replace('_', ' ')}" if muscle else "this spot"
                raise Rejected(f"{what} cannot be lifted in a pincer grip; use a flat press")

    def _draw(self) -> Reading:
        z = self._rng.standard_normal(2)
        u = self._rng.random(3)
        return Reading(float(z[0]), float(z[1]), float(u[0]), float(u[1]), float(u[2]))

    # ------------------------------------------------------------------ press
    def _stroke_start(self, down: bool, here: tuple[float, float]) -> tuple[float, float]:
        """Where the slide that ends here began: a few mm back along the finger's path.

        A slow slide arrives as many small steps; the ridge is judged over the last
        `STROKE_FULL_MM` or more of the path, not over one step. A finger that has not moved
        (only the pressure changed), a new press, or a jump of more than `MAX_STROKE_MM` is static.
        """
        if not down or not self._trail or math.dist(self._trail[-1], here) > MAX_STROKE_MM:
            self._trail = [here]
            return here
        if self._trail[-1] == here:
            return here
        self._trail.append(here)
        for point in reversed(self._trail[:-1]):
            if math.dist(point, here) >= M.STROKE_FULL_MM:
                start = point
                break
        else:
            start = self._trail[0]
        self._trail = self._trail[-TRAIL_POINTS:]
        return start

    def press(self, x_mm: float, y_mm: float, pressure: float, grip: str, t_s: float,
              previous: PalpationFeedback | None) -> tuple[PalpationFeedback, PalpationFelt]:
        """A press or a slide from the last finger position: the feedback the UI shows and the event."""
        self.check_grip(grip, x_mm, y_mm)
        down = previous is not None and previous.finger_down
        start = self._stroke_start(down, (x_mm, y_mm))
        if not down or self._reading is None or self._reading_at != (x_mm, y_mm):
            self._reading, self._reading_at = self._draw(), (x_mm, y_mm)
        r = self._reading
        pincer = grip == "pincer"
        pains = [M.expected_pain(fp, x_mm, y_mm, pressure) for fp in self.points]
        best = max(range(len(pains)), key=lambda i: pains[i]) if pains else None
        expected = pains[best] if best is not None else 0.0
        firm = M.BASE_FIRMNESS + M.TONE_FIRMNESS * max((M.regional(fp, x_mm, y_mm) for fp in self.points), default=0)
        firm += max((M.expected_firmness(fp, start, (x_mm, y_mm), pressure, pincer) for fp in self.points), default=0)
        firm = min(1.0, max(0.0, firm + FIRMNESS_NOISE_SD * r.firmness_z))
        pain = int(min(10, max(0, round(expected + PAIN_NOISE_SD * min(1.0, expected) * r.pain_z))))
        recognition, jump, regions = "no", False, ()
        if best is not None and pain > 0:
            fp = self.points[best]
            recognition, jump, regions = self._answers(fp, expected, r)
            if recognition == "yes" and pain < RECOGNITION_MIN_PAIN:
                recognition = "partly"  # a press the patient rates as barely sore is at most "a bit like it"
            if pain < REFERRAL_MIN_PAIN:
                regions = ()  # nor does it spread anywhere
        line = speech.palpation(pain, jump, recognition, self.case.patient.chief_complaint.recognition_phrase, regions)
        held = previous.jump_sign_t_s if down else None
        # A patient answers a change, not every instant of a steady press.
        repeated = down and previous.speech == line
        feel = M.feel_level(firm)
        feedback = PalpationFeedback(
            x_mm=x_mm, y_mm=y_mm, pressure=pressure, grip=grip, pain=pain, feel=feel,
            jump_sign_t_s=t_s if jump else held, referred_regions=regions, recognition=recognition,
            speech=line, finger_down=True,
        )
        dominant = self.points[best] if best is not None and expected >= POINT_PAIN_MIN else None
        truth = PalpationTruth(
            point_id=dominant.point.id if dominant else None,
            distance_mm=math.dist((x_mm, y_mm), (dominant.point.x_mm, dominant.point.y_mm)) if dominant else None,
            pain_expected=expected, firmness=firm,
            crossed_band=any(M.crossed_band(fp, start, (x_mm, y_mm)) for fp in self.points),
        )
        event = PalpationFelt(
            t_s=t_s, x_mm=x_mm, y_mm=y_mm, pressure=pressure, grip=grip, feel=feel, pain=pain, jump_sign=jump,
            referred_regions=regions, recognition=recognition, speech=None if repeated else line, truth=truth,
        )
        return feedback, event

    def _answers(self, fp: M.FeltPoint, expected: float, r: Reading) -> tuple[str, bool, tuple[str, ...]]:
        """The patient's graded answers to a stimulus of `expected` pain at one point."""
        activity = fp.point.activity
        full, partial = RECOGNITION_CEILING[activity]
        rise = M.logistic((expected - RECOGNITION_PAIN_MID) / RECOGNITION_PAIN_SLOPE)
        recognition = "yes" if r.recognition_u < full * rise else "partly" if r.recognition_u < (full + partial) * rise else "no"
        jump = r.jump_u < JUMP_SIGN_CEILING * M.logistic((expected - JUMP_SIGN_PAIN_MID) / JUMP_SIGN_PAIN_SLOPE)
        regions: tuple[str, ...] = ()
        if r.referral_u < REFERRAL_CEILING[activity] * M.logistic((expected - REFERRAL_PAIN_MID) / REFERRAL_PAIN_SLOPE):
            regions = tuple(fp.point.referred_pain)
            if not regions and activity == "active":
                # An active point reproduces the complaint, so its zone is the complaint's (Fernández-de-las-Peñas 2018).
                regions = tuple(self.case.patient.chief_complaint.regions)
        return recognition, jump, regions

    # ------------------------------------------------------------------ snap
    def snap(self, x_mm: float, y_mm: float, direction_deg: float, t_s: float) -> tuple[BandSnapped, M.FeltPoint | None, float]:
        """A snapping palpation: the event, the band it caught (if any) and the chance of an LTR.

        The chance falls smoothly with the angle to the band, the distance from it and the tissue
        above it (palpation LTRs are unreliable, kappa -0.05 to 0.57, Lucas 2009).
        """
        best, best_chance, best_across = None, 0.0, 0.0
        for fp in self.points:
            catch, across = M.snap_catch(fp, x_mm, y_mm, direction_deg)
            if catch < SNAP_CATCH_MIN:
                continue
            chance = fp.point.twitch.snap_probability * catch * across * M.band_detectability(fp)
            if best is None or chance > best_chance:
                best, best_chance, best_across = fp, chance, across
        truth = SnapTruth(point_id=best.point.id if best else None, across_band=best is not None and best_across >= 0.5,
                          twitch_probability=best_chance if best else 0.0)
        event = BandSnapped(t_s=t_s, x_mm=x_mm, y_mm=y_mm, direction_deg=direction_deg, truth=truth)
        return event, best, best_chance if best else 0.0
