"""Physiology: the patient's vital signs and complications during one session, and the care given.

The Session owns one `Physiology` and calls it from thin hooks: when the needle moves or an
injection is made (`needled`, `injected`), every tick (`due`), and for each care action
(stop, call for help, reposition, oxygen, check the vital signs, an emergency drug, observe,
arrange imaging or transfer). It answers with events. All its chance draws come from the
Session's own "physiology" stream, so adding it changed no other stream's draws.

The patient's clock is the session's clock plus the time the trainee spent observing
(`observe` runs the course forward at once rather than making the trainee wait).
"""

from __future__ import annotations

import math

import numpy as np

from simulator.core import events as E
from simulator.core import speech
from simulator.core.physiology.anaphylaxis import Anaphylaxis
from simulator.core.physiology.course import RESOLVED, Care, Course
from simulator.core.physiology.last import ARTERIAL_BRAIN_MG, POTENCY, Last, dose_stage, to_brain
from simulator.core.physiology.pneumothorax import Pneumothorax, onset_delay_s
from simulator.core.physiology.vasovagal import DRAW_STEPS, Vasovagal, vasovagal_probability
from simulator.core.physiology.vitals import Vitals, baseline_deviation_sum, vitals_from
from simulator.core.state import Rejected
from simulator.scenario.emergency import EmergencyCatalogue
from simulator.scenario.schema import AgentCatalogue, Case

VITALS_LOG_S = 5.0  # while a complication is active the monitor's reading is logged this often
OBSERVE_STEP_S = 1.0
OBSERVE_MAX_S = 7200.0  # ASRA: at least 2 h after a limited CNS event (4-6 h after a cardiovascular one)
POSTURES = ("supine", "legs_raised", "left_lateral", "seated")
ARRANGEMENTS = ("lung_ultrasound", "chest_xray", "transfer")
NEEDLING = {"insert": "skin_puncture", "inject": "injection", "advance": None, "redirect": None}
# Aspiration can miss an intravascular tip: a seizure followed a negative aspiration and test
# dose in an ultrasound-guided block (Medicine 2019, PMC6890314). How often is not sourced:
# the chances below are authoring choices (finer needles draw blood back less readily).
ASPIRATION_MISS_FINE = 0.10  # 25G and finer
ASPIRATION_MISS = 0.02
FINE_GAUGE = 25
SEVERITY = {"early": "mild", "seizure": "moderate", "cardiovascular": "severe"}  # SystemicToxicity.severity


class Physiology:
    def __init__(self, case: Case, rng: np.random.Generator, drugs: EmergencyCatalogue):
        self.case = case
        self.rng = rng
        self.drugs = drugs
        self.care = Care()
        self.courses: dict[str, Course] = {}
        self.skipped_s = 0.0
        self.drawn: set[str] = set()
        self.logged_s: float | None = None
        self.circulating_mg_per_kg = 0.0  # lidocaine-equivalent, reached the circulation
        self.bupivacaine = False
        self.pleura_breaches = 0
        self.pneumothorax_due_clock_s: float | None = None  # a delayed onset, on the patient's clock

    # ------------------------------------------------------------ reading
    def clock(self, t_s: float) -> float:
        return t_s + self.skipped_s

    def vitals(self, t_s: float) -> Vitals:
        clock = self.clock(t_s)
        deviations = [c.deviation(clock, self.care) for c in self.courses.values() if c.active or c.stage == RESOLVED]
        return vitals_from(self.case.patient.heart_rate_bpm, baseline_deviation_sum(deviations))

    def stages(self) -> tuple[tuple[str, str], ...]:
        """(kind, stage) of every complication so far, in the order they began."""
        return tuple((kind, c.stage) for kind, c in self.courses.items())

    @property
    def pneumothorax_due_s(self) -> float | None:
        """Session time of a pending pneumothorax onset (observing brings it nearer), or None."""
        return None if self.pneumothorax_due_clock_s is None else self.pneumothorax_due_clock_s - self.skipped_s

    @property
    def active(self) -> bool:
        return any(c.active for c in self.courses.values())

    def _record(self, t_s: float, checked: bool = False) -> E.VitalsRecorded:
        v = self.vitals(t_s)
        self.logged_s = t_s
        return E.VitalsRecorded(t_s=t_s, heart_rate_bpm=v.heart_rate_bpm, systolic_mmhg=v.systolic_mmhg,
                                diastolic_mmhg=v.diastolic_mmhg, resp_rate_per_min=v.resp_rate_per_min,
                                spo2_pct=v.spo2_pct, consciousness=v.consciousness, checked=checked)

    def _changed(self, course: Course, stages: list[str], t_s: float) -> list[E.Event]:
        return [E.ComplicationChanged(t_s=t_s, kind=course.kind, stage=s, speech=course.SPEECH.get(s)) for s in stages]

    def _start(self, course: Course, t_s: float, speech: str | None) -> list[E.Event]:
        self.courses[course.kind] = course
        return [E.ComplicationChanged(t_s=t_s, kind=course.kind, stage=course.stage, speech=speech),
                self._record(t_s)]

    # ------------------------------------------------------------ hooks from the Session
    def positioned(self, position: str) -> None:
        self.care.posture = position

    def needled(self, step: str, t_s: float) -> list[E.Event]:
        """The needle went in, moved on or injected: courses that needling worsens, and the faint draw."""
        clock = self.clock(t_s)
        self.care.needle_in = True
        out: list[E.Event] = []
        for course in list(self.courses.values()):
            if course.active:
                out.extend(self._changed(course, course.needled(clock, self.care), t_s))
        draw = NEEDLING.get(step)
        if draw in DRAW_STEPS and draw not in self.drawn and "vasovagal" not in self.courses:
            self.drawn.add(draw)
            if self.rng.random() < vasovagal_probability(self.case, self.care.posture):
                out.append(E.VasovagalEpisode(t_s=t_s, speech=speech.vasovagal()))
                out.extend(self._start(Vasovagal("prodrome", clock), t_s, None))
        return out

    def aspiration_shows_blood(self, in_vessel: bool, gauge: int | None) -> bool:
        """Whether blood comes back: never outside a vessel; inside one, usually (a draw only then)."""
        if not in_vessel:
            return False
        miss = ASPIRATION_MISS_FINE if (gauge or 0) >= FINE_GAUGE else ASPIRATION_MISS
        return not self.rng.random() < miss

    def injected(self, events: list[E.Event], catalogue: AgentCatalogue, vessel: tuple[str, str] | None,
                 t_s: float) -> list[E.Event]:
        """After an injection: anaphylaxis after an allergen, LAST from what reached the circulation."""
        out = self.needled("inject", t_s)
        clock = self.clock(t_s)
        for event in events:
            if isinstance(event, E.AllergicReaction) and "anaphylaxis" not in self.courses:
                out.extend(self._start(Anaphylaxis("onset", clock), t_s, None))
            if isinstance(event, E.Injected) and event.intravascular:
                out.extend(self._circulating(catalogue, event, vessel, t_s))
        return out

    def _circulating(self, catalogue, shot: E.Injected, vessel, t_s: float) -> list[E.Event]:
        agent = catalogue.get(shot.agent_id)
        if agent is None or not agent.local_anaesthetic:
            return []
        equivalent_mg = 0.0
        for comp in agent.components:
            if comp.mg_per_ml is not None and comp.agent_class in ("amide", "ester"):
                equivalent_mg += comp.mg_per_ml * shot.volume_ml * POTENCY.get(comp.substance, 1.0)
                self.bupivacaine = self.bupivacaine or comp.substance == "bupivacaine"
        self.circulating_mg_per_kg += equivalent_mg / self.case.patient.weight_kg
        stage = dose_stage(self.circulating_mg_per_kg, self.bupivacaine)
        if to_brain(vessel) and equivalent_mg >= ARTERIAL_BRAIN_MG:
            stage = "seizure" if stage in (None, "early") else stage  # straight to the brain: a fit at once
            immediate = True
        else:
            immediate = False
        if stage is None:
            return []
        clock = self.clock(t_s)
        dose_mg = round(self.circulating_mg_per_kg * self.case.patient.weight_kg, 4)
        course = self.courses.get("last")
        if course is None:
            course = Last("seizure" if immediate else ("cardiovascular" if stage == "cardiovascular" and self.bupivacaine
                                                       else "early"), clock)
            course.peak = stage
            out = [E.SystemicToxicity(t_s=t_s, severity=SEVERITY[course.stage], dose_mg=dose_mg,
                                      speech=course.SPEECH[course.stage])]
            return out + self._start(course, t_s, None)
        changed = course.raise_peak(stage, clock, self.care)
        return self._changed(course, changed, t_s)

    def due(self, t_s: float, needle_in: bool) -> list[E.Event]:
        """Every tick: a delayed pneumothorax whose time has come, then courses move on with time
        and care; the monitor logs while something is active."""
        self.care.needle_in = needle_in
        out: list[E.Event] = self._pneumothorax_if_due(t_s)
        out.extend(self._advance(t_s, self.clock(t_s)))
        if self.active and (self.logged_s is None or t_s - self.logged_s >= VITALS_LOG_S - 1e-9):
            out.append(self._record(t_s))
        return out

    def _advance(self, t_s: float, clock: float) -> list[E.Event]:
        out: list[E.Event] = []
        for course in list(self.courses.values()):
            if course.active:
                changed = course.advance(clock, self.care)
                if changed:
                    out.extend(self._changed(course, changed, t_s))
                    out.append(self._record(t_s))
        return out

    def pleura_punctured(self, gauge: int, t_s: float) -> list[E.Event]:
        """A pleural breach: draw the onset (physiology/pneumothorax.py); an immediate one shows now,
        and a repeated breach can bring a pending one forward."""
        self.pleura_breaches += 1
        if "pneumothorax" in self.courses:
            return []
        due = self.clock(t_s) + onset_delay_s(self.rng, gauge, self.pleura_breaches)
        if self.pneumothorax_due_clock_s is None or due < self.pneumothorax_due_clock_s:
            self.pneumothorax_due_clock_s = due
        return self._pneumothorax_if_due(t_s)

    def _pneumothorax_if_due(self, t_s: float) -> list[E.Event]:
        if self.pneumothorax_due_clock_s is None or self.clock(t_s) < self.pneumothorax_due_clock_s:
            return []
        self.pneumothorax_due_clock_s = None
        return [E.PneumothoraxSymptoms(t_s=t_s, speech=speech.pneumothorax_symptoms())] + self._start(
            Pneumothorax("symptomatic", self.clock(t_s)), t_s, None)

    def pending_at_finish(self, t_s: float) -> list[E.Event]:
        """At the end of the visit a pending onset is told now (its course is not run)."""
        if self.pneumothorax_due_clock_s is None:
            return []
        self.pneumothorax_due_clock_s = None
        return [E.PneumothoraxSymptoms(t_s=t_s, speech=speech.pneumothorax_symptoms())]

    # ------------------------------------------------------------ care actions
    def stop(self, needle_removed: bool, t_s: float) -> list[E.Event]:
        self.care.needle_in = False
        return [E.ProcedureStopped(t_s=t_s, needle_removed=needle_removed)]

    def call_help(self, t_s: float) -> list[E.Event]:
        self.care.help_called = True
        return [E.HelpCalled(t_s=t_s, speech=None)]

    def reposition(self, posture: str, t_s: float) -> list[E.Event]:
        if posture not in POSTURES:
            raise Rejected(f"unknown posture {posture!r}; expected one of {', '.join(POSTURES)}")
        self.care.posture = posture
        return [E.PatientRepositioned(t_s=t_s, posture=posture)]

    def oxygen(self, t_s: float) -> list[E.Event]:
        if self.care.oxygen:
            raise Rejected("oxygen is already running")
        self.care.oxygen = True
        return [E.OxygenGiven(t_s=t_s)]

    def check_vitals(self, t_s: float) -> list[E.Event]:
        return [self._record(t_s, checked=True)]

    def give_drug(self, drug_id: str, amount: float, t_s: float) -> list[E.Event]:
        drug = self.drugs.get(drug_id)
        if drug is None:
            raise Rejected(f"unknown emergency drug {drug_id!r}; the catalogue has: "
                           + ", ".join(d.id for d in self.drugs.drugs))
        if not 0 < amount <= 1000:
            raise Rejected(f"amount must be above 0 and at most 1000 {drug.unit}, got {amount:g}")
        weight_kg = self.case.patient.weight_kg
        self.care.drugs.append((drug.id, amount, self.clock(t_s)))
        self.care.drug_ok[drug.id] = drug.dose_is_right(amount, weight_kg)
        return [E.EmergencyDrugGiven(t_s=t_s, drug_id=drug.id, amount=amount, unit=drug.unit, route=drug.route,
                                     amount_per_kg=amount / weight_kg)]

    def observe(self, duration_s: float, t_s: float) -> list[E.Event]:
        if not 0 < duration_s <= OBSERVE_MAX_S:
            raise Rejected(f"duration_s must be above 0 and at most {OBSERVE_MAX_S:g}, got {duration_s:g}")
        out: list[E.Event] = [E.Observed(t_s=t_s, duration_s=duration_s)]
        steps = max(1, math.ceil(duration_s / OBSERVE_STEP_S))
        start = self.skipped_s
        for i in range(1, steps + 1):
            self.skipped_s = start + min(duration_s, i * OBSERVE_STEP_S)
            out.extend(self._pneumothorax_if_due(t_s))
            out.extend(self._advance(t_s, self.clock(t_s)))
        out.append(self._record(t_s))
        return out

    def arrange(self, what: str, t_s: float) -> list[E.Event]:
        if what not in ARRANGEMENTS:
            raise Rejected(f"unknown arrangement {what!r}; expected one of {', '.join(ARRANGEMENTS)}")
        return [E.CareArranged(t_s=t_s, what=what)]
