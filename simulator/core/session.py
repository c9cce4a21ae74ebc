"""The procedure engine: timed actions in, events and a drawable state out.

Spec (for educators and tests):

* `Session(case, catalogue, seed)` runs on a fixed tick of 1/60 s. `step(actions)` applies
  the actions at the current time, in order, then advances one tick. `run(timed)` replays
  `(t, action)` pairs and returns the result.
* The Session records every action it was given, with the time it was applied at, in
  `timed`: that list is the attempt's replay (records.replay_file writes it), so the replay
  comes from the engine itself, never from whichever front end drove it.
* Deterministic: one seed is split into named random streams (palpation, needle, patient,
  ultrasound, physiology, palpation_exam) with `np.random.SeedSequence(seed).spawn`, so equal
  inputs give equal events, frames and results, byte for byte.
* The Session keeps the clock, the dispatch and the event log. What an action can change lives
  in one `World` (core/procedure/world.py); each action's handler is in the module of its phase
  (core/procedure/: preparation, examination, scanning, needling, injection, care).
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
from simulator.core.anatomy import AnatomyModel
from simulator.core.needle import NeedleModel
from simulator.core.procedure import HANDLERS, World
from simulator.core.state import Rejected, SessionState
from simulator.scenario.schema import AgentCatalogue, Case

STREAMS = ("palpation", "needle", "patient", "ultrasound", "physiology", "palpation_exam")  # new ones at the end


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
        self.timed: list[tuple[float, A.Action]] = []  # (t_s, action) in the order applied: the replay
        self._result: tuple[tuple[int, int], dict] | None = None
        self.world = World(self.case, self.catalogue, self.anatomy, self._needle_model, self._rng)
        self._last_speech: str | None = None

    @property
    def time_s(self) -> float:
        return self._tick * self.TICK_S

    def step(self, actions: Sequence[A.Action] = ()) -> list[E.Event]:
        """Apply `actions` now, in order, then advance one tick; returns the new events."""
        new: list[E.Event] = []
        t_s = self.time_s
        for action in actions:
            self.timed.append((t_s, action))
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
        if not self.world.finished:
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
            due_s = None if self.world.finished else self.world.physiology.pneumothorax_due_s
            until_s = stop_s if due_s is None else min(due_s, stop_s)
            quiet_tick = math.floor(until_s / self.TICK_S) - 2  # every tick before it has nothing due
            # A complication in progress moves on every tick (its stages and the monitor's log).
            if quiet_tick > self._tick and (self.world.finished or not self.world.physiology.active):
                self._tick = quiet_tick
            self.step()
        self.step(batch)

    # ------------------------------------------------------------ outputs
    @property
    def metrics(self) -> dict:
        probability, sore = self.world.body.soreness or (None, None)
        weight = self.case.patient.weight_kg
        return {
            "time_s": round(self.time_s, 4),
            "soreness_probability": probability,
            "soreness": sore,
            "dose": {s: {"total": round(v, 4), "unit": self.world.drug.units[s],
                         "per_kg": round(v / weight, 4)} for s, v in sorted(self.world.drug.totals.items())},
            "twitches": dict(sorted(self.world.twitch_counts.items())),
            "pneumothorax": self.world.body.pneumothorax,
            "vasovagal": "vasovagal" in self.world.physiology.courses,
            "complications": dict(self.world.physiology.stages()),
        }

    def result(self) -> dict:
        """The scored result (JSON-ready). Uses simulator.core.scoring when it is installed.

        Scored once per state: the debrief, the saved attempt and the report all get the same
        dict (treat it as read-only) until another tick or event changes what there is to score.
        """
        key = (len(self.events), self._tick)
        if self._result is None or self._result[0] != key:
            self._result = (key, self._score())
        return self._result[1]

    def _score(self) -> dict:
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
        from simulator.core.ultrasound import Bolus

        engine, settings = self._ultrasound()
        boluses = [Bolus(b.x_mm, b.y_mm, b.depth_mm, b.volume_ml, b.tissue) for b in self.world.boluses]
        frame = engine.frame(
            self.world.probe, settings, needle=self.world.track.geometry if self.world.track else None,
            boluses=boluses, twitch=self.world.twitch_amplitude(self.time_s), time_s=self.time_s,
            pneumothorax=self.world.body.pneumothorax, tilt_deg=self.world.probe_tilt_deg,
            pneumothorax_xy_mm=self.world.pneumothorax_xy_mm,
        )
        if not self.world.probe_on_skin:  # no contact, no echoes: a black screen with the same geometry
            frame = dataclasses.replace(frame, image=np.zeros_like(frame.image), envelope=np.zeros_like(frame.envelope),
                                        doppler=None, doppler_mask=None, tip_visible=False)
        return frame

    def _ultrasound(self):
        """(the engine, created on first use; the scanner settings now)."""
        from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

        if self._engine is None:
            self._engine = UltrasoundEngine(self.anatomy, self.ultrasound_seed)
        s = self.world.settings
        near, mid, far = s.tgc_db
        return self._engine, ScanSettings(depth_cm=s.depth_cm, gain_db=s.gain_db, freq_mhz=s.freq_mhz,
                                          focus_cm=s.focus_cm, doppler=s.doppler, tgc_near_db=near, tgc_mid_db=mid,
                                          tgc_far_db=far, doppler_steer_deg=s.doppler_steer_deg,
                                          speckle_reduction=s.speckle_reduction)

    @property
    def ultrasound_ready(self) -> bool:
        """Whether the engine (with its speckle and texture tables) exists, so a frame is quick to make."""
        return self._engine is not None

    def prepare_ultrasound(self) -> None:
        """Create the engine and render the image at the probe's pose and the settings now, so the first
        frame a trainee sees does not build the speckle and texture tables (the UI runs this in the
        background). Changes nothing a frame or the score depends on: the engine's caches never do."""
        engine, settings = self._ultrasound()
        engine.frame(self.world.probe, settings)

    @property
    def state(self) -> SessionState:
        weight = self.case.patient.weight_kg
        totals = sorted(self.world.drug.totals.items())
        track = self.world.track
        return SessionState(
            time_s=self.time_s,
            probe=self.world.probe,
            probe_on_skin=self.world.probe_on_skin,
            probe_tilt_deg=self.world.probe_tilt_deg,
            settings=self.world.settings,
            needle=track.geometry if track else None,
            tip_visible=self.world.tip_visible(),
            tip_tissue=track.tissue if track else None,
            pass_number=track.pass_number if track else 0,
            boluses=tuple(self.world.boluses),
            marks=tuple(self.world.marks),
            palpation=self.world.palpation,
            twitch_amplitude=self.world.twitch_amplitude(self.time_s),
            checklist=self.world.checklist,
            agent_id=self.world.drug.agent.id if self.world.drug.agent else None,
            syringe_ml=self.world.drug.syringe_ml,
            dose_mg=tuple(totals),
            dose_mg_per_kg=tuple((s, v / weight) for s, v in totals),
            finished=self.world.finished,
            declined=self.world.declined,
            pneumothorax=self.world.body.pneumothorax,
            vasovagal="vasovagal" in self.world.physiology.courses,
            last_speech=self._last_speech,
            soreness=self.world.body.soreness[1] if self.world.body.soreness else None,
            soreness_probability=self.world.body.soreness[0] if self.world.body.soreness else None,
            vitals=self.world.physiology.vitals(self.time_s),
            complications=self.world.physiology.stages(),
            posture=self.world.physiology.care.posture,
            oxygen=self.world.physiology.care.oxygen,
        )

    # ------------------------------------------------------------ dispatch and shared checks
    def _apply(self, action: A.Action) -> list[E.Event]:
        t = self.time_s
        handler = HANDLERS.get(type(action))
        kind = getattr(action, "type", type(action).__name__)
        try:
            if handler is None:
                raise Rejected(f"{type(action).__name__} is not an action")
            self._check_numbers(action)
            action = self._normalised(action)
            if self.world.finished:
                raise Rejected("the session has finished")
            return handler(self.world, action, t)
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

    def _due_events(self) -> list[E.Event]:
        w = self.world
        if w.finished:
            return []
        return w.physiology.due(self.time_s, w.track is not None)
