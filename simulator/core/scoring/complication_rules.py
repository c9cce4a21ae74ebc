"""Critical errors in the management of complications (docs/scoring.md, "Complications").

- Needling or injecting on through a vasovagal reaction (prodrome, faint or recovery), or at
  all after anaphylaxis or local anaesthetic systemic toxicity began: stop means stop
  (Malave & Vrooman 2022; ASRA LAST checklist 2020; Resuscitation Council UK 2021).
- Leaving a life-threatening complication untreated: anaphylaxis without IM adrenaline, LAST
  that reached a seizure or cardiovascular signs without lipid emulsion, a symptomatic
  pneumothorax with no imaging or transfer arranged.

Each is a failing item like critical.py's (base.CriticalRule: fed the log, then asked for its
errors), all of the safety kind; critical.py lists them with its own (COMPLICATION_RULES).
`courses` and `is_needling` also serve the Complications criterion (complications.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simulator.core import events as ev
from simulator.core.scoring.base import CriticalRule
from simulator.core.scoring.facts import finite
from simulator.scenario.emergency import load_emergency_drugs

NEEDLING = (ev.SkinPunctured, ev.NeedleRedirected, ev.Injected)
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


class _ComplicationRule(CriticalRule):
    """A failing item about one complication (`complication`, a ComplicationChanged kind): its
    course as the log tells it, None until it began."""

    complication: ClassVar[str]

    def __init__(self, facts):
        super().__init__(facts)
        self.course: Course | None = None

    def follows(self, event: ev.Event) -> bool:
        """True for a stage of this complication (added to its course); False for any other event."""
        if not isinstance(event, ev.ComplicationChanged) or event.kind != self.complication:
            return False
        if self.course is None:
            self.course = Course(event.kind, finite(event.t_s))
        self.course.stages.append((finite(event.t_s), event.stage))
        return True


# ------------------------------------------------------------------ needling on through a complication
class _NeedledThrough(_ComplicationRule):
    """Needling while the complication is under way (`under_way` says in which stages it is)."""

    def feed(self, event):
        if self.follows(event):
            return
        if is_needling(event) and self.course is not None and self.under_way(self.course.stages[-1][1]):
            self.flag("", event.t_s, self.message(finite(event.t_s), self.course.onset_t_s))

    def under_way(self, stage: str) -> bool:
        """Whether needling in this stage (the latest the complication reached) is an error."""
        raise NotImplementedError

    def message(self, t_s: float, onset_t_s: float) -> str:
        raise NotImplementedError


class NeedledThroughVasovagal(_NeedledThrough):
    """Needling on through the prodrome, the faint or the recovery; once she has recovered it may resume."""

    id = "needled_through_vasovagal"
    complication = "vasovagal"

    def under_way(self, stage):
        return stage in VASOVAGAL_ACTIVE

    def message(self, t_s, onset_t_s):
        return (f"You went on needling at {t_s:.1f} s while the patient was fainting (the reaction began at "
                f"{onset_t_s:.1f} s): stop, lie her flat with the legs raised, and carry on only when she has "
                "recovered.")


class _NeedledAfter(_NeedledThrough):
    """Any needling at all once the complication began, whatever its stage since: stop means stop."""

    def under_way(self, stage):
        return True

    def message(self, t_s, onset_t_s):
        return (f"You went on needling at {t_s:.1f} s after {NAMES[self.complication]} began at {onset_t_s:.1f} s: "
                "stop the procedure and treat the patient.")


class NeedledThroughAnaphylaxis(_NeedledAfter):
    id = "needled_through_anaphylaxis"
    complication = "anaphylaxis"


class NeedledThroughLast(_NeedledAfter):
    id = "needled_through_last"
    complication = "last"


# ------------------------------------------------------------------ leaving a complication untreated
class _Untreated(_ComplicationRule):
    """The complication reached the point where treatment is due (`due_t_s`) and nothing in the
    whole log `treats` it; the error is dated when treatment became due."""

    message: ClassVar[str]

    def __init__(self, facts):
        super().__init__(facts)
        self.treated = False

    def feed(self, event):
        if not self.follows(event) and self.treats(event):
            self.treated = True

    def treats(self, event: ev.Event) -> bool:
        raise NotImplementedError

    def due_t_s(self, course: Course) -> float | None:
        """When treatment became due: at the onset, unless a subclass waits for a stage."""
        return course.onset_t_s

    def check(self):
        due = self.due_t_s(self.course) if self.course is not None else None
        if due is not None and not self.treated:
            self.flag("", due, self.message)


class _UntreatedWithoutDrug(_Untreated):
    """Treated only by the emergency drug `drug_id` at the right dose for this patient."""

    drug_id: ClassVar[str]

    def treats(self, event):
        if not isinstance(event, ev.EmergencyDrugGiven) or event.drug_id != self.drug_id:
            return False
        drug = load_emergency_drugs().get(event.drug_id)
        # a wrong dose is not the treatment
        return drug is not None and drug.dose_is_right(event.amount, self.case.patient.weight_kg)


class AnaphylaxisUntreated(_UntreatedWithoutDrug):
    id = "anaphylaxis_untreated"
    complication = "anaphylaxis"
    drug_id = "adrenaline_im"
    message = ("Anaphylaxis was never treated with IM adrenaline (0.5 mg into the anterolateral thigh), the first-line "
               "treatment.")


class LastUntreated(_UntreatedWithoutDrug):
    id = "last_untreated"
    complication = "last"
    drug_id = "lipid_emulsion_20"
    message = ("Local anaesthetic toxicity reached a seizure or cardiovascular signs and no 20% lipid emulsion was given "
               "(1.5 mL/kg over 2-3 min, then 0.25 mL/kg/min).")

    def due_t_s(self, course):
        return course.reached("seizure", "cardiovascular")  # milder toxicity is managed without lipid


class PneumothoraxUnmanaged(_Untreated):
    id = "pneumothorax_unmanaged"
    complication = "pneumothorax"
    message = "The patient had symptoms of a pneumothorax and no lung ultrasound, chest X-ray or transfer was arranged."

    def treats(self, event):
        return isinstance(event, ev.CareArranged)


COMPLICATION_RULES: tuple[type[CriticalRule], ...] = (
    NeedledThroughVasovagal, NeedledThroughAnaphylaxis, NeedledThroughLast, AnaphylaxisUntreated, LastUntreated,
    PneumothoraxUnmanaged,
)
