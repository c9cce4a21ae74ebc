"""Complications: recognising and managing each complication that happened, and drugs given well.

For every complication in the log the criterion checks the steps a clinician takes, each due
within a time of the onset (docs/scoring.md lists them): on time earns the step in full,
late earns half, never earns nothing. The criterion's fraction is the mean over the
complications. Each emergency drug given without an indication at that moment, at a wrong
dose for this patient (lipid emulsion by weight), or beyond its total limit costs
DRUG_COST. With no complication and no drug given, full credit: nothing needed managing.

A haematoma (`HaematomaFormed`, the patient's local answer to a vessel puncture, not a
physiology course) counts as a complication too: its management is pressure on the site (the
`pressure` aftercare item), due within a minute of the bleed.

Sources: docs/physiology.md. The deadlines are authoring choices.
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.physiology.course import LYING
from simulator.core.scoring.base import Criterion, Outcome
from simulator.core.scoring.complication_rules import NAMES, courses, is_needling
from simulator.core.scoring.facts import finite
from simulator.scenario.emergency import load_emergency_drugs

LATE_SHARE = 0.5  # a step done after its deadline
DRUG_COST = 0.25  # share of the criterion lost per drug given wrongly

# kind -> [(step id, what it means, deadline after onset in s)]
STEPS: dict[str, list[tuple[str, str, float]]] = {
    "vasovagal": [("stop", "stop needling", 15), ("lie_flat", "lie the patient flat", 30),
                  ("legs_raised", "raise the legs", 60), ("check_vitals", "check the vital signs", 60)],
    "last": [("stop", "stop injecting", 15), ("call_help", "call for help", 30), ("oxygen", "give oxygen", 60),
             ("lipid", "give 20% lipid emulsion, 1.5 mL/kg (100 mL over 70 kg)", 90),
             ("check_vitals", "check the vital signs", 60)],
    "anaphylaxis": [("stop", "stop injecting", 15), ("call_help", "call for help", 30),
                    ("adrenaline", "give IM adrenaline 0.5 mg", 60), ("lie_flat", "lie the patient flat", 60),
                    ("oxygen", "give oxygen", 120), ("check_vitals", "check the vital signs", 60)],
    "pneumothorax": [("check_vitals", "check the vital signs", 60), ("oxygen", "give oxygen", 120),
                     ("imaging", "arrange lung ultrasound or a chest X-ray, or transfer", 300)],
    "haematoma": [("pressure", "take the needle out and hold pressure on the site", 60)],
}
SEIZURE_STEP = ("benzodiazepine", "give a benzodiazepine for the seizure", 60)


class Complications(Criterion):
    id = "complications"
    title = "Complications"

    def __init__(self, facts):
        super().__init__(facts)
        self.done: dict[str, list[float]] = {}  # step id -> times done
        self.needle_in = False
        self.needle_in_at: dict[str, bool] = {}  # kind -> needle in at onset
        self.posture: str | None = None
        self.lying_at: dict[str, bool] = {}  # kind -> the patient was already lying down at onset
        self.needled_after: dict[str, float] = {}  # kind -> first needling after onset
        self.onset: dict[str, float] = {}
        self.drug_problems: list[str] = []
        self.drugs = load_emergency_drugs()
        self.stage: dict[str, str] = {}
        self.given: dict[str, float] = {}  # drug id -> amount so far
        self.events: list[ev.Event] = []

    def _began(self, kind: str, t_s: float) -> None:
        if kind not in self.onset:
            self.onset[kind] = t_s
            self.needle_in_at[kind] = self.needle_in
            self.lying_at[kind] = self.posture in LYING

    def _did(self, step: str, t_s: float) -> None:
        self.done.setdefault(step, []).append(t_s)

    def feed(self, event: ev.Event) -> None:
        self.events.append(event)
        t_s = finite(event.t_s)
        if isinstance(event, ev.ComplicationChanged):
            self._began(event.kind, t_s)
            self.stage[event.kind] = event.stage
        elif isinstance(event, ev.HaematomaFormed):
            self._began("haematoma", t_s)
        elif isinstance(event, ev.AftercareGiven) and event.item == "pressure":
            self._did("pressure", t_s)
        elif isinstance(event, ev.SkinPunctured):
            self.needle_in = True
        elif isinstance(event, (ev.NeedleRemoved, ev.ProcedureStopped)):
            self.needle_in = False
            self._did("stop", t_s)
        elif isinstance(event, ev.HelpCalled):
            self._did("call_help", t_s)
        elif isinstance(event, ev.OxygenGiven):
            self._did("oxygen", t_s)
        elif isinstance(event, ev.VitalsRecorded) and event.checked:
            self._did("check_vitals", t_s)
        elif isinstance(event, ev.PatientPositioned):
            self.posture = event.position
        elif isinstance(event, ev.PatientRepositioned):
            self.posture = event.posture
            if event.posture in LYING:
                self._did("lie_flat", t_s)
            if event.posture == "legs_raised":
                self._did("legs_raised", t_s)
        elif isinstance(event, ev.CareArranged):
            self._did("imaging", t_s)
        elif isinstance(event, ev.EmergencyDrugGiven):
            self._drug(event, t_s)
        if is_needling(event):
            for kind in self.onset:
                self.needled_after.setdefault(kind, t_s)

    def _drug(self, event: ev.EmergencyDrugGiven, t_s: float) -> None:
        step = {"adrenaline_im": "adrenaline", "lipid_emulsion_20": "lipid", "midazolam_iv": "benzodiazepine"}
        drug = self.drugs.get(event.drug_id)
        if drug is None:
            return
        weight_kg = self.case.patient.weight_kg
        active = [(k, s) for k, s in self.stage.items() if s != "resolved"]
        if not any(drug.indicated_for(k, s) for k, s in active):
            self.drug_problems.append(f"{drug.name} at {t_s:.1f} s had no indication at that moment")
        elif not drug.dose_is_right(event.amount, weight_kg):
            self.drug_problems.append(
                f"{event.amount:g} {drug.unit} of {drug.id.replace('_', ' ')} at {t_s:.1f} s was the wrong dose: "
                f"{drug.right_dose(weight_kg):.3g} {drug.unit} for {weight_kg:g} kg")
        else:
            if event.drug_id in step:
                self._did(step[event.drug_id], t_s)
        self.given[drug.id] = self.given.get(drug.id, 0.0) + event.amount
        limit = drug.total_limit(weight_kg)
        if limit is not None and self.given[drug.id] > limit + 1e-9:
            self.drug_problems.append(f"{drug.id.replace('_', ' ')} reached {self.given[drug.id]:g} {drug.unit}, "
                                      f"over the {limit:.3g} {drug.unit} limit")

    def _steps(self, kind: str) -> list[tuple[str, str, float]]:
        steps = list(STEPS.get(kind, []))
        found = self._courses.get(kind)
        if kind == "last" and found is not None:
            if found.reached("seizure", "cardiovascular") is None:
                steps = [s for s in steps if s[0] != "lipid"]  # early signs only: lipid is not required
            if found.reached("seizure") is not None:
                steps.append(SEIZURE_STEP)
        return steps

    def _credit(self, kind: str, step: str, deadline_s: float) -> tuple[float, float | None]:
        onset = self.onset[kind]
        if step == "stop" and not self.needle_in_at[kind] and kind not in self.needled_after:
            return 1.0, onset  # the needle was out and stayed out
        if step == "lie_flat" and self.lying_at[kind]:
            return 1.0, onset  # she was lying down already
        times = [t for t in self.done.get(step, []) if t >= onset - 1e-9]
        if not times:
            return 0.0, None
        return (1.0 if times[0] - onset <= deadline_s else LATE_SHARE), times[0]

    def outcome(self) -> Outcome:
        self._courses = courses(self.events)
        fractions: list[float] = []
        sentences: list[str] = []
        for kind in self.onset:
            credits, missing, late = [], [], []
            for step, words, deadline in self._steps(kind):
                credit, when = self._credit(kind, step, deadline)
                credits.append(credit)
                if when is None:
                    missing.append(words)
                elif credit < 1:
                    late.append(f"{words} ({when - self.onset[kind]:.0f} s after the onset; due within {deadline:.0f} s)")
            fraction = sum(credits) / len(credits) if credits else 1.0
            fractions.append(fraction)
            line = f"{NAMES.get(kind, kind).capitalize()} began at {self.onset[kind]:.1f} s."
            if not missing and not late:
                line += " You managed it with every step on time."
            if late:
                line += " Late: " + "; ".join(late) + "."
            if missing:
                line += " You should have: " + "; ".join(missing) + "."
            sentences.append(line)
        fraction = sum(fractions) / len(fractions) if fractions else 1.0
        if not fractions:
            sentences.append("No complication occurred, so there was nothing to manage.")
        if self.drug_problems:
            sentences.append("Emergency drugs: " + "; ".join(self.drug_problems) + ".")
        fraction = max(0.0, fraction - DRUG_COST * len(self.drug_problems))
        metrics = {"complications": len(self.onset), "emergency_drug_problems": len(self.drug_problems)}
        return Outcome(fraction, " ".join(sentences), metrics)
