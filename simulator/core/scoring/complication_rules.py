"""Critical errors in the management of complications (docs/scoring.md, "Complications").

- Needling or injecting on through a vasovagal reaction (prodrome, faint or recovery), or at
  all after anaphylaxis or local anaesthetic systemic toxicity began: stop means stop
  (Malave & Vrooman 2022; ASRA LAST checklist 2020; Resuscitation Council UK 2021).
- Leaving a life-threatening complication untreated: anaphylaxis without IM adrenaline, LAST
  that reached a seizure or cardiovascular signs without lipid emulsion, a symptomatic
  pneumothorax with no imaging or transfer arranged.

`complication_errors(facts, events)` returns dicts shaped like critical.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.core import events as ev
from simulator.core.scoring.facts import Facts, finite
from simulator.scenario.emergency import load_emergency_drugs

NEEDLING = (ev.SkinPunctured, ev.NeedleRedirected, ev.Injected)
STOP_EVERYTHING = ("anaphylaxis", "last")  # no more needling after these began
VASOVAGAL_ACTIVE = ("prodrome", "syncope", "recovering")
NAMES = {"vasovagal": "the vasovagal reaction", "last": "local anaesthetic systemic toxicity",
         "anaphylaxis": "anaphylaxis", "pneumothorax": "the pneumothorax", "haematoma": "the haematoma"}


def is_needling(event: ev.Event) -> bool:
    """The needle went in, further in, turned, or something was injected."""
    return isinstance(event, NEEDLING) or (isinstance(event, ev.NeedleMoved) and event.delta_mm > 0)


@dataclass
class Course:
    """One complication as the log tells it: when it began and each stage it reached."""

    kind: str
    onset_t_s: float
    stages: list[tuple[float, str]] = field(default_factory=list)

    def reached(self, *names: str) -> float | None:
        return next((t for t, s in self.stages if s in names), None)


def courses(events: list[ev.Event]) -> dict[str, Course]:
    """Every complication in the log, by kind, in order of onset."""
    out: dict[str, Course] = {}
    for event in events:
        if isinstance(event, ev.ComplicationChanged):
            course = out.setdefault(event.kind, Course(event.kind, finite(event.t_s)))
            course.stages.append((finite(event.t_s), event.stage))
    return out


def complication_errors(facts: Facts, events: list[ev.Event]) -> list[dict]:
    errors: dict[str, dict] = {}

    def add(kind: str, t_s: float, message: str) -> None:
        errors.setdefault(kind, {"type": kind, "t_s": finite(t_s), "message": message})

    stage: dict[str, str] = {}
    began: dict[str, float] = {}
    drugs: set[str] = set()  # given at the right dose
    catalogue = load_emergency_drugs()
    arranged = False
    for event in events:
        t_s = finite(event.t_s)
        if isinstance(event, ev.ComplicationChanged):
            stage[event.kind] = event.stage
            began.setdefault(event.kind, t_s)
        elif isinstance(event, ev.EmergencyDrugGiven):
            drug = catalogue.get(event.drug_id)
            if drug is not None and drug.dose_is_right(event.amount, facts.case.patient.weight_kg):
                drugs.add(event.drug_id)  # a wrong dose is not the treatment
        elif isinstance(event, ev.CareArranged):
            arranged = True
        elif is_needling(event):
            if stage.get("vasovagal") in VASOVAGAL_ACTIVE:
                add("needled_through_vasovagal", t_s,
                    f"You went on needling at {t_s:.1f} s while the patient was fainting (the reaction began at "
                    f"{began['vasovagal']:.1f} s): stop, lie her flat with the legs raised, and carry on only when "
                    "she has recovered.")
            for kind in STOP_EVERYTHING:
                if kind in stage:
                    add(f"needled_through_{kind}", t_s,
                        f"You went on needling at {t_s:.1f} s after {NAMES[kind]} began at {began[kind]:.1f} s: "
                        "stop the procedure and treat the patient.")
    found = courses(events)
    if "anaphylaxis" in found and "adrenaline_im" not in drugs:
        add("anaphylaxis_untreated", found["anaphylaxis"].onset_t_s,
            "Anaphylaxis was never treated with IM adrenaline (0.5 mg into the anterolateral thigh), the first-line "
            "treatment.")
    last = found.get("last")
    if last is not None and last.reached("seizure", "cardiovascular") is not None and "lipid_emulsion_20" not in drugs:
        add("last_untreated", last.reached("seizure", "cardiovascular"),
            "Local anaesthetic toxicity reached a seizure or cardiovascular signs and no 20% lipid emulsion was given "
            "(1.5 mL/kg over 2-3 min, then 0.25 mL/kg/min).")
    if "pneumothorax" in found and not arranged:
        add("pneumothorax_unmanaged", found["pneumothorax"].onset_t_s,
            "The patient had symptoms of a pneumothorax and no lung ultrasound, chest X-ray or transfer was arranged.")
    return sorted(errors.values(), key=lambda e: (e["t_s"], e["type"]))
