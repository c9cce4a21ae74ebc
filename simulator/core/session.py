"""The procedure engine: timed actions in, events and a drawable state out.

Spec (for educators and tests):

* `Session(case, catalogue, seed)` runs on a fixed tick of 1/60 s. `step(actions)` applies
  the actions at the current time, in order, then advances one tick. `run(timed)` replays
  `(t, action)` pairs and returns the result.
* Deterministic: one seed is split into named random streams (palpation, needle, patient,
  ultrasound, palpation_exam) with `np.random.SeedSequence(seed).spawn`, so equal inputs give
  equal events, frames and results, byte for byte.
* An action that makes no sense now (advancing with no needle in, injecting with no agent,
  a point outside the region, a NaN, anything after finish) becomes an `ActionRejected`
  event with the reason, and changes nothing else.
* Events carry the patient's line in `.speech` when the patient would notice them.
* docs/actions.md lists every action, its units and when it is rejected.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

import numpy as np

from simulator.core import actions as A
from simulator.core import events as E
from simulator.core import patient, speech
from simulator.core.aftercare import aftercare_given
from simulator.core.anatomy import AnatomyModel
from simulator.core.drug import Syringe
from simulator.core.geometry import GAUGE_OD_MM, PROBE_FOOTPRINT_MM, ProbePose, in_beam
from simulator.core.needle import REDIRECT_MAX_DEPTH_MM, NeedleModel, NeedleTrack
from simulator.core.palpation import PalpationExam
from simulator.core.physiology import Physiology
from simulator.core.preparation import CONSENT_TOPICS
from simulator.core.state import BolusState, Checklist, PalpationFeedback, Rejected, ScannerSettings, SessionState
from simulator.scenario.emergency import load_emergency_drugs
from simulator.scenario.schema import AgentCatalogue, Case

STREAMS = ("palpation", "needle", "patient", "ultrasound", "physiology", "palpation_exam")  # new ones at the end
POSITIONS = ("prone", "seated", "side_lying", "supine")
LTR_DURATION_S = 1.0  # an LTR lasts up to about 1 s (docs/sources.md [6])
LTR_FATIGUE = 0.7  # each LTR at a point is weaker than the last ([23]; the ratio is an authoring choice)
LTR_MIN_STRENGTH = 0.1  # below this the point stops twitching ("until LTRs stop appearing", [23])
SKIN_PUNCTURE_PAIN = 3  # authoring choice (UNSOURCED); 21-25G hurt alike ([143])
SKIN_PUNCTURE_PAIN_AFTER_WHEAL = 1
MAX_NEEDLE_LENGTH_MM = 200.0
DANGER_KINDS = ("pleura", "artery", "vein", "nerve")  # what a blind advance must not come near


class Session:
    """Session(case, catalogue, seed): the deterministic procedure engine (see module docstring)."""

    TICK_S = 1 / 60

    def __init__(self, case: Case, catalogue: AgentCatalogue, seed: int):
        self.case = case
        self.catalogue = catalogue
        self.seed = int(seed)
        self.anatomy = AnatomyModel(case)
        self._needle_model = NeedleModel(case, self.anatomy)
        self._engine = None
        self._handlers = {cls: getattr(self, f"_on_{cls.type}") for cls in A.ACTION_TYPES.values()}
        self.reset()

    # ------------------------------------------------------------ lifecycle
    def reset(self, seed: int | None = None) -> None:
        """Start again from the case's opening state (optionally with a new seed)."""
        if seed is not None:
            self.seed = int(seed)
        children = np.random.SeedSequence(self.seed).spawn(len(STREAMS))
        self._rng = {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}
        self.ultrasound_seed = int(children[STREAMS.index("ultrasound")].generate_state(1)[0])
        self._engine = None
        self._tick = 0
        self.events: list[E.Event] = []
        probe = self.case.body_region.default_probe
        self._probe = ProbePose(probe.x_mm, probe.y_mm, probe.heading_deg, 0.2)
        self._probe_on_skin = True
        us = self.case.ultrasound
        focus = us.focus_cm if us.focus_cm is not None else us.depth_cm / 2
        self._settings = ScannerSettings(us.depth_cm, us.gain_db, us.freq_mhz, focus, False)
        self._checklist = Checklist()
        self._wheal_pending = False
        self._track: NeedleTrack | None = None
        self._needled = False
        self._drug = Syringe()
        self._boluses: list[BolusState] = []
        self._marks: list[tuple[float, float]] = []
        self._palpation: PalpationFeedback | None = None
        self._exam = PalpationExam(self.case, self.anatomy, self._rng["palpation_exam"])
        self._twitch_counts: dict[str, int] = {}
        self._last_twitch: tuple[float, float] | None = None  # (t_s, strength)
        self._finished = False
        self._declined = False
        self._body = patient.PatientBody(self.case, self._rng["patient"])
        self._physiology = Physiology(self.case, self._rng["physiology"], load_emergency_drugs())
        self._last_speech: str | None = None

    @property
    def time_s(self) -> float:
        return self._tick * self.TICK_S

    def step(self, actions: Sequence[A.Action] = ()) -> list[E.Event]:
        """Apply `actions` now, in order, then advance one tick; returns the new events."""
        new: list[E.Event] = []
        for action in actions:
            new.extend(self._apply(action))
        self._tick += 1
        new.extend(self._due_events())
        self.events.extend(new)
        for event in new:
            if event.speech:
                self._last_speech = event.speech
        return new

    def run(self, timed: Iterable[tuple[float, A.Action]]) -> dict:
        """Replay (t, action) pairs: step ticks until each t, apply same-t actions together, finish."""
        pending: list[A.Action] = []
        pending_t = 0.0
        for t, action in timed:
            if pending and t != pending_t:
                self._step_at(pending_t, pending)
                pending = []
            pending_t = float(t)
            pending.append(action)
        if pending:
            self._step_at(pending_t, pending)
        if not self._finished:
            self.step([A.Finish()])
        return self.result()

    def _step_at(self, t_s: float, batch: list[A.Action]) -> None:
        """Advance to the tick of `t_s`, then apply `batch` there.

        Half a tick of tolerance: replay files store t rounded to 4 decimals, so an action
        taken at tick k (k/60 s) must land on tick k again, not on k + 1.

        A tick without actions only moves the clock and releases delayed symptoms whose time
        has come (`_due_events`), so a quiet stretch (no complication in progress) is jumped over: the clock moves straight
        to two ticks before the next due symptom or before `t_s`, and the last ticks are
        stepped one by one as before. An hour-long gap costs a few steps, not 216,000, and
        the events are identical to stepping every tick.
        """
        if not math.isfinite(t_s):
            raise ValueError(f"an action time must be a finite number of seconds, got {t_s!r}")
        stop_s = t_s - self.TICK_S / 2
        while self.time_s < stop_s:
            due_s = None if self._finished else self._body.pneumothorax_due_s
            until_s = stop_s if due_s is None else min(due_s, stop_s)
            quiet_tick = math.floor(until_s / self.TICK_S) - 2  # every tick before it has nothing due
            # A complication in progress moves on every tick (its stages and the monitor's log).
            if quiet_tick > self._tick and (self._finished or not self._physiology.active):
                self._tick = quiet_tick
            self.step()
        self.step(batch)

    # ------------------------------------------------------------ outputs
    @property
    def metrics(self) -> dict:
        probability, sore = self._body.soreness or (None, None)
        weight = self.case.patient.weight_kg
        return {
            "time_s": round(self.time_s, 4),
            "soreness_probability": probability,
            "soreness": sore,
            "dose": {s: {"total": round(v, 4), "unit": self._drug.units[s],
                         "per_kg": round(v / weight, 4)} for s, v in sorted(self._drug.totals.items())},
            "twitches": dict(sorted(self._twitch_counts.items())),
            "pneumothorax": self._body.pneumothorax,
            "vasovagal": "vasovagal" in self._physiology.courses,
            "complications": dict(self._physiology.stages()),
        }

    def result(self) -> dict:
        """The scored result (JSON-ready). Uses simulator.core.scoring when it is installed."""
        try:
            from simulator.core import scoring
        except ModuleNotFoundError as exc:
            if exc.name not in ("simulator.core.scoring",):
                raise
            scoring = None
        if scoring is None:
            return {
                "case": self.case.id,
                "seed": self.seed,
                "events": [E.event_to_dict(e) for e in self.events],
                "metrics": self.metrics,
            }
        result = dict(scoring.score(self.case, self.catalogue, list(self.events), seed=self.seed))
        result["metrics"] = {**self.metrics, **result.get("metrics", {})}
        return result

    def frame(self):
        """The ultrasound frame for the current state (the engine is created on first use).

        With the probe lifted the frame is black (no contact, no echoes) but keeps its geometry.
        """
        from simulator.core.ultrasound import Bolus, ScanSettings, UltrasoundEngine

        if self._engine is None:
            self._engine = UltrasoundEngine(self.anatomy, self.ultrasound_seed)
        s = self._settings
        settings = ScanSettings(depth_cm=s.depth_cm, gain_db=s.gain_db, freq_mhz=s.freq_mhz,
                                focus_cm=s.focus_cm, doppler=s.doppler)
        boluses = [Bolus(b.x_mm, b.y_mm, b.depth_mm, b.volume_ml, b.tissue) for b in self._boluses]
        frame = self._engine.frame(
            self._probe, settings, needle=self._track.geometry if self._track else None,
            boluses=boluses, twitch=self._twitch_amplitude(), time_s=self.time_s,
            pneumothorax=self._body.pneumothorax,
        )
        if not self._probe_on_skin:  # no contact, no echoes: a black screen with the same geometry
            frame = dataclasses.replace(frame, image=np.zeros_like(frame.image), envelope=np.zeros_like(frame.envelope),
                                        doppler=None, doppler_mask=None, tip_visible=False)
        return frame

    @property
    def state(self) -> SessionState:
        weight = self.case.patient.weight_kg
        totals = sorted(self._drug.totals.items())
        track = self._track
        return SessionState(
            time_s=self.time_s,
            probe=self._probe,
            probe_on_skin=self._probe_on_skin,
            settings=self._settings,
            needle=track.geometry if track else None,
            tip_visible=self._tip_visible(),
            tip_tissue=track.tissue if track else None,
            pass_number=track.pass_number if track else 0,
            boluses=tuple(self._boluses),
            marks=tuple(self._marks),
            palpation=self._palpation,
            twitch_amplitude=self._twitch_amplitude(),
            checklist=self._checklist,
            agent_id=self._drug.agent.id if self._drug.agent else None,
            syringe_ml=self._drug.syringe_ml,
            dose_mg=tuple(totals),
            dose_mg_per_kg=tuple((s, v / weight) for s, v in totals),
            finished=self._finished,
            declined=self._declined,
            pneumothorax=self._body.pneumothorax,
            vasovagal="vasovagal" in self._physiology.courses,
            last_speech=self._last_speech,
            soreness=self._body.soreness[1] if self._body.soreness else None,
            soreness_probability=self._body.soreness[0] if self._body.soreness else None,
            vitals=self._physiology.vitals(self.time_s),
            complications=self._physiology.stages(),
            posture=self._physiology.care.posture,
            oxygen=self._physiology.care.oxygen,
        )

    # ------------------------------------------------------------ dispatch and shared checks
    def _apply(self, action: A.Action) -> list[E.Event]:
        t = self.time_s
        handler = self._handlers.get(type(action))
        kind = getattr(action, "type", type(action).__name__)
        try:
            if handler is None:
                raise Rejected(f"{type(action).__name__} is not an action")
            self._check_numbers(action)
            action = self._normalised(action)
            if self._finished:
                raise Rejected("the session has finished")
            return handler(action, t)
        except Rejected as rejected:
            return [E.ActionRejected(t_s=t, action_type=kind, reason=rejected.reason)]

    @staticmethod
    def _check_numbers(action: A.Action) -> None:
        for f in dataclasses.fields(action):
            value = getattr(action, f.name)
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, (int, float)) and not math.isfinite(value):
                raise Rejected(f"{f.name} must be a finite number, got {value!r}")

    @staticmethod
    def _normalised(action: A.Action) -> A.Action:
        """The action as a replay file would give it (ints as floats where floats are meant)."""
        try:
            return A.action_from_dict(A.action_to_dict(action))
        except ValueError as exc:
            raise Rejected(str(exc)) from None

    def _check_in_region(self, x_mm: float, y_mm: float) -> None:
        region = self.case.body_region
        if not (0 <= x_mm <= region.width_mm and 0 <= y_mm <= region.height_mm):
            raise Rejected(
                f"({x_mm:g}, {y_mm:g}) mm is outside the region (0-{region.width_mm:g} x 0-{region.height_mm:g} mm)"
            )

    def _require_needle(self) -> NeedleTrack:
        if self._track is None:
            raise Rejected("no needle is in")
        return self._track

    @staticmethod
    def _check_angle(angle_deg: float) -> None:
        if not 0 < angle_deg <= 90:
            raise Rejected(f"angle_deg must be above 0 and at most 90 (to the skin), got {angle_deg:g}")

    # ------------------------------------------------------------ derived quantities
    def _tip_visible(self) -> bool:
        if self._track is None or not self._probe_on_skin:
            return False
        x, y, d = self._track.geometry.tip
        width = PROBE_FOOTPRINT_MM[self.case.ultrasound.probe]
        return bool(in_beam(self._probe, x, y, d, width, self._settings.depth_cm * 10))

    def _twitch_amplitude(self) -> float:
        if self._last_twitch is None:
            return 0.0
        t0, strength = self._last_twitch
        dt = self.time_s - t0
        if dt < 0 or dt >= LTR_DURATION_S:
            return 0.0
        return float(strength * (1.0 - dt / LTR_DURATION_S) ** 2)

    def _twitch(self, point_id: str, probability: float, rng_name: str, source: str, t: float) -> list[E.Event]:
        """One chance of an LTR at a point; repeated LTRs weaken and finally stop ([23])."""
        count = self._twitch_counts.get(point_id, 0)
        strength = LTR_FATIGUE ** count
        if strength < LTR_MIN_STRENGTH or not self._rng[rng_name].random() < probability:
            return []
        self._twitch_counts[point_id] = count + 1
        self._last_twitch = (t, strength)
        return [E.TwitchElicited(t_s=t, point_id=point_id, strength=strength, source=source,
                                 speech=speech.twitch(source))]

    def _due_events(self) -> list[E.Event]:
        if self._finished:
            return []
        due = self._body.due(self.time_s)
        return due + self._physiology.due(self.time_s, self._track is not None, due)

    # ------------------------------------------------------------ preparation
    def _on_consent(self, a: A.Consent, t: float):
        unknown = [topic for topic in a.topics if topic not in CONSENT_TOPICS]
        if unknown:
            raise Rejected(f"unknown consent topic {unknown[0]!r}; expected some of {', '.join(CONSENT_TOPICS)}")
        self._checklist = dataclasses.replace(self._checklist, consent=True)
        return [E.ConsentObtained(t_s=t, topics=tuple(dict.fromkeys(a.topics)), speech=speech.consent())]

    def _on_position(self, a: A.Position, t: float):
        if a.position not in POSITIONS:
            raise Rejected(f"unknown position {a.position!r}; expected one of {', '.join(POSITIONS)}")
        if self._track is not None:
            raise Rejected("remove the needle before moving the patient")
        recommended = a.position == self.case.patient.position
        self._checklist = dataclasses.replace(self._checklist, position=a.position, position_recommended=recommended)
        self._physiology.positioned(a.position)
        return [E.PatientPositioned(t_s=t, position=a.position, recommended=recommended,
                                    speech=speech.positioned(recommended))]

    def _on_skin_prep(self, a: A.SkinPrep, t: float):
        self._checklist = dataclasses.replace(self._checklist, skin_prep=True)
        return [E.SkinPrepared(t_s=t, speech=speech.skin_prep())]

    def _on_choose_needle(self, a: A.ChooseNeedle, t: float):
        if a.gauge not in GAUGE_OD_MM:
            raise Rejected(f"gauge {a.gauge} is not offered; choose one of {sorted(GAUGE_OD_MM)}")
        if not 0 < a.length_mm <= MAX_NEEDLE_LENGTH_MM:
            raise Rejected(f"length_mm must be above 0 and at most {MAX_NEEDLE_LENGTH_MM:g}, got {a.length_mm:g}")
        if self._track is not None:
            raise Rejected("remove the needle before changing it")
        self._checklist = dataclasses.replace(self._checklist, needle_gauge=a.gauge, needle_length_mm=a.length_mm)
        return [E.NeedleChosen(t_s=t, gauge=a.gauge, length_mm=a.length_mm)]

    def _on_skin_wheal(self, a: A.SkinWheal, t: float):
        if self._track is not None:
            raise Rejected("raise the skin wheal before inserting the needle")
        self._wheal_pending = True
        return [E.SkinWhealRaised(t_s=t, speech=speech.skin_wheal())]

    def _on_counsel(self, a: A.Counsel, t: float):
        if not a.topic.strip():
            raise Rejected("counsel needs a topic")
        return [E.CounselGiven(t_s=t, topic=a.topic, speech=speech.counsel(a.topic))]

    def _on_decline(self, a: A.Decline, t: float):
        if self._track is not None:
            raise Rejected("remove the needle before declining")
        self._declined = True
        return [E.InjectionDeclined(t_s=t, reason=a.reason)]

    def _on_finish(self, a: A.Finish, t: float):
        out = self._body.finish(self.catalogue, self._drug.injected_agents, self._needled, t)
        self._finished = True
        return out + [E.SessionFinished(t_s=t)]

    # ------------------------------------------------------------ palpation and marks
    def _on_palpate(self, a: A.Palpate, t: float):
        self._check_in_region(a.x_mm, a.y_mm)
        if not 0 <= a.pressure <= 1:
            raise Rejected(f"pressure must be between 0 and 1, got {a.pressure:g}")
        self._palpation, event = self._exam.press(a.x_mm, a.y_mm, a.pressure, a.grip or "flat", t, self._palpation)
        return [event]

    def _on_release(self, a: A.Release, t: float):
        if self._palpation is None or not self._palpation.finger_down:
            raise Rejected("no finger is pressing")
        self._palpation = dataclasses.replace(self._palpation, finger_down=False)
        return [E.PalpationReleased(t_s=t)]

    def _on_snap(self, a: A.Snap, t: float):
        self._check_in_region(a.x_mm, a.y_mm)
        snapped, band, chance = self._exam.snap(a.x_mm, a.y_mm, a.direction_deg, t)
        out: list[E.Event] = [snapped]
        if band is not None and chance > 0:
            # Palpation LTRs are unreliable (kappa -0.05 to 0.57, docs/sources.md [18]): the chance is graded.
            out.extend(self._twitch(band.point.id, chance, "palpation", "snap", t))
        return out

    def _on_mark(self, a: A.Mark, t: float):
        self._check_in_region(a.x_mm, a.y_mm)
        self._marks.append((a.x_mm, a.y_mm))
        return [E.SkinMarked(t_s=t, x_mm=a.x_mm, y_mm=a.y_mm)]

    def _on_erase_mark(self, a: A.EraseMark, t: float):
        if not self._marks:
            raise Rejected("there is no mark to erase")
        if (a.x_mm is None) != (a.y_mm is None):
            raise Rejected("give both x_mm and y_mm, or neither to erase the last mark")
        index = len(self._marks) - 1
        if a.x_mm is not None:
            index = min(range(len(self._marks)), key=lambda i: math.dist(self._marks[i], (a.x_mm, a.y_mm)))
        x, y = self._marks.pop(index)
        return [E.MarkErased(t_s=t, x_mm=x, y_mm=y)]

    # ------------------------------------------------------------ ultrasound
    def _on_probe(self, a: A.Probe, t: float):
        self._check_in_region(a.x_mm, a.y_mm)
        if not 0 <= a.pressure <= 1:
            raise Rejected(f"pressure must be between 0 and 1, got {a.pressure:g}")
        self._probe = ProbePose(a.x_mm, a.y_mm, a.heading_deg % 360.0, a.pressure)
        self._probe_on_skin = True
        return [E.ProbePlaced(t_s=t, x_mm=a.x_mm, y_mm=a.y_mm, heading_deg=self._probe.heading_deg,
                              pressure=a.pressure)]

    def _on_lift_probe(self, a: A.LiftProbe, t: float):
        if not self._probe_on_skin:
            raise Rejected("the probe is not on the skin")
        self._probe_on_skin = False
        return [E.ProbeLifted(t_s=t)]

    def _on_settings(self, a: A.Settings, t: float):
        us = self.case.ultrasound
        self._settings = s = self._settings.updated(
            a.depth_cm, a.gain_db, a.freq_mhz, a.focus_cm, a.doppler, (us.freq_mhz_min, us.freq_mhz_max))
        return [E.SettingsChanged(t_s=t, depth_cm=s.depth_cm, gain_db=s.gain_db, freq_mhz=s.freq_mhz,
                                  focus_cm=s.focus_cm, doppler=s.doppler)]

    # ------------------------------------------------------------ needle
    def _on_insert(self, a: A.Insert, t: float):
        if self._declined:
            raise Rejected("the injection was declined")
        if self._track is not None:
            raise Rejected("a needle is already in; remove it first")
        if not self._checklist.needle:
            raise Rejected("choose a needle first")
        self._check_in_region(a.x_mm, a.y_mm)
        self._check_angle(a.angle_deg)
        c = self._checklist
        self._track = self._needle_model.insert(a.x_mm, a.y_mm, a.angle_deg, a.heading_deg % 360.0,
                                                c.needle_gauge, c.needle_length_mm)
        self._needled = True
        self._drug.aspirated_here = False
        after_wheal, self._wheal_pending = self._wheal_pending, False
        pain = SKIN_PUNCTURE_PAIN_AFTER_WHEAL if after_wheal else SKIN_PUNCTURE_PAIN
        out: list[E.Event] = [E.SkinPunctured(
            t_s=t, x_mm=a.x_mm, y_mm=a.y_mm, angle_deg=a.angle_deg, heading_deg=a.heading_deg % 360.0,
            pain=pain, after_wheal=after_wheal, pleura_depth_mm=self.anatomy.pleura_depth_mm(a.x_mm, a.y_mm),
            speech=speech.skin_puncture(pain, after_wheal))]
        out.extend(self._physiology.needled("insert", t))
        return out

    def _moved(self, track: NeedleTrack, delta_mm: float, t: float) -> E.NeedleMoved:
        x, y, d = track.geometry.tip
        danger = min((s for s in self.anatomy.distances(x, y, d) if s.kind in DANGER_KINDS),
                     key=lambda s: (s.distance_mm, s.kind, s.name), default=None)
        return E.NeedleMoved(t_s=t, delta_mm=delta_mm, tip_x_mm=x, tip_y_mm=y, tip_depth_mm=d,
                             tip_visible=self._tip_visible(), tissue=track.tissue,
                             danger_kind=danger.kind if danger else None, danger_name=danger.name if danger else None,
                             danger_mm=max(0.0, danger.distance_mm) if danger else None)

    def _on_advance(self, a: A.Advance, t: float):
        track = self._require_needle()
        if a.mm <= 0:
            raise Rejected(f"mm must be above 0, got {a.mm:g}; use withdraw to pull back")
        if track.geometry.length_mm + a.mm >= track.hub_length_mm - 1e-9:
            # Never insert a needle up to the hub: it can break there (docs/sources.md [6][10][42]).
            raise Rejected(
                f"advancing {a.mm:g} mm would bury the {track.hub_length_mm:g} mm needle to the hub "
                f"({track.geometry.length_mm:.1f} mm in)")
        moved = self._needle_model.advance(track, a.mm, t)
        self._drug.aspirated_here = False
        out = self._body.needle_events(moved.events, t)
        out.append(self._moved(track, moved.moved_mm, t))
        return out + self._physiology.needled("advance", t)

    def _on_withdraw(self, a: A.Withdraw, t: float):
        track = self._require_needle()
        if a.mm <= 0:
            raise Rejected(f"mm must be above 0, got {a.mm:g}")
        moved, fast, quick = self._needle_model.withdraw(track, a.mm, t)
        self._drug.aspirated_here = False
        out: list[E.Event] = [self._moved(track, moved.moved_mm, t)]
        points = {p.id: p for p in self.case.trigger_points}
        twitches: list[E.Event] = []
        for point_id in fast:
            # Fast in, fast out through the sensitive locus (Hong, docs/sources.md [13][14]).
            twitches.extend(self._twitch(point_id, points[point_id].twitch.needle_probability, "needle", "needle", t))
        out.extend(twitches)
        if quick and not twitches:
            # The resident watched for a twitch and none came: say so, rather than nothing at all.
            out.append(E.TwitchNotSeen(t_s=t, locus_point_ids=tuple(fast)))
        return out

    def _on_redirect(self, a: A.Redirect, t: float):
        track = self._require_needle()
        self._check_angle(a.angle_deg)
        depth = track.geometry.tip[2]
        if depth > REDIRECT_MAX_DEPTH_MM:
            raise Rejected(f"pull the tip back to within {REDIRECT_MAX_DEPTH_MM:g} mm of the skin before "
                            f"redirecting (it is {depth:.1f} mm deep)")
        traced = self._needle_model.redirect(track, a.angle_deg, a.heading_deg % 360.0, t)
        self._drug.aspirated_here = False
        redirected = E.NeedleRedirected(t_s=t, angle_deg=a.angle_deg, heading_deg=a.heading_deg % 360.0,
                                        pass_number=track.pass_number)
        return [redirected] + self._body.needle_events(traced, t) + self._physiology.needled("redirect", t)

    def _on_remove_needle(self, a: A.RemoveNeedle, t: float):
        self._require_needle()
        self._track = None
        self._drug.aspirated_here = False
        return [E.NeedleRemoved(t_s=t)]

    # ------------------------------------------------------------ drug
    def _on_select_agent(self, a: A.SelectAgent, t: float):
        return self._drug.select(self.catalogue, a.agent_id, a.volume_ml, t)

    def _on_aspirate(self, a: A.Aspirate, t: float):
        track = self._require_needle()
        in_vessel = self._needle_model.tip_in_vessel(track) is not None
        return self._drug.aspirate(self._physiology.aspiration_shows_blood(in_vessel, self._checklist.needle_gauge), t)

    def _on_inject(self, a: A.Inject, t: float):
        track = self._require_needle()
        if self._declined:
            raise Rejected("the injection was declined")
        self._drug.check_injection(a.volume_ml)
        x, y, d = track.geometry.tip
        vessel = self._needle_model.tip_in_vessel(track)
        tissue = vessel[0] if vessel else self._needle_model.tip_tissue(track)
        events, bolus = self._drug.inject(
            self.case, a.volume_ml, (x, y, d), tissue, vessel is not None, self._needle_model.point_in_reach(track, a.volume_ml, tissue), t)
        if bolus is not None:
            self._boluses.append(bolus)
        return events + self._physiology.injected(events, self.catalogue, vessel, t)

    # ------------------------------------------------------------ the patient's care (simulator/core/physiology)
    def _on_stop(self, a: A.Stop, t: float):
        removed = self._track is not None
        self._track = None
        self._drug.aspirated_here = False
        return ([E.NeedleRemoved(t_s=t)] if removed else []) + self._physiology.stop(removed, t)

    def _on_call_help(self, a: A.CallHelp, t: float):
        return self._physiology.call_help(t)

    def _on_reposition(self, a: A.Reposition, t: float):
        if self._track is not None:
            raise Rejected("stop first: the needle is still in")
        return self._physiology.reposition(a.posture, t)

    def _on_give_oxygen(self, a: A.GiveOxygen, t: float):
        return self._physiology.oxygen(t)

    def _on_check_vitals(self, a: A.CheckVitals, t: float):
        return self._physiology.check_vitals(t)

    def _on_give_drug(self, a: A.GiveDrug, t: float):
        return self._physiology.give_drug(a.drug_id, a.amount, t)

    def _on_observe(self, a: A.Observe, t: float):
        if self._track is not None:
            raise Rejected("stop first: the needle is still in")
        return self._physiology.observe(a.duration_s, t)

    def _on_arrange(self, a: A.Arrange, t: float):
        return self._physiology.arrange(a.what, t)

    def _on_aftercare(self, a: A.Aftercare, t: float):
        if self._track is not None:
            raise Rejected("remove the needle first")
        return aftercare_given(a.item, t)
