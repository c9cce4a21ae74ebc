"""Failing items: each a small rule fed the event log, like a criterion, that can fail the attempt.

Two kinds, both listed in `result["critical_errors"]` and both failing the attempt whatever the
points (the total is then capped below the pass mark, see `scoring.score`):

* **safety**: harm or a breach of the procedure's preconditions — a pleural puncture
  (pneumothorax), injecting an allergen, a dose over the ceiling for this patient, an
  intravascular injection, puncturing the skin before consent or before skin preparation,
  giving an agent the case lists as contraindicated for this patient, or needling a patient the
  case says not to needle.
* **competence**: the procedure did not do its job — no active trigger point treated (unless
  not injecting was the right call), the needle in before any palpation (the knot was never
  looked for by feel), more marks left on the skin than the findings they stand for (a carpet
  of marks is no localization), or the needle tip out of view for most of the advancing in an
  ultrasound-guided procedure (not in a palpation-guided case, whose `tip_visible_fraction` is 0).

Managing the patient's complications (complication_rules.py) adds more safety items: needling on
through a vasovagal reaction, anaphylaxis or LAST, and leaving one of them untreated.

Every item is a base.CriticalRule: fed the events in order, then asked for its errors.

A case adds its own with `rubric.critical_events` (event type names, e.g. VesselPunctured) and
`rubric.critical_rules` (e.g. blind_advance_near_pleura). docs/scoring.md gives each rule's
source. Each error is listed once per rule and subject, at the time it first happened.
"""

from __future__ import annotations

from typing import ClassVar

from simulator.core import events as ev
from simulator.core.scoring.base import CriticalRule
from simulator.core.scoring.complication_rules import COMPLICATION_RULES
from simulator.core.scoring.facts import Facts, exact, finite, pretty

MIN_TIP_VISIBLE_FRACTION = 0.5  # below this share of the advancing in view, the needle was not guided
MAX_MARKS_PER_POINT = 3  # marks left on the skin per trigger point in the case before they stop being findings


class PleuraPuncture(CriticalRule):
    id = "pleura_puncture"

    def feed(self, event):
        if isinstance(event, ev.PleuraPunctured):
            self.flag("", event.t_s, f"The needle punctured the pleura at {finite(event.depth_mm):.0f} mm depth: risk of "
                      "pneumothorax. Keep the tip in view and the path away from the pleural line.")


class AllergenInjected(CriticalRule):
    id = "allergen_injected"

    def feed(self, event):
        if isinstance(event, ev.AllergicReaction):
            self.flag(event.agent_id, event.t_s, f"The patient reacted to {self._name(event.agent_id)}: they are "
                      f"allergic to {event.allergy}.")
        elif isinstance(event, ev.Injected):
            allergy = self.facts.allergy_for(event.agent_id)
            if allergy:
                self.flag(event.agent_id, event.t_s, f"You injected {self._name(event.agent_id)} although the patient "
                          f"is allergic to {allergy}.")

    def _name(self, agent_id: str) -> str:
        agent = self.facts.agent(agent_id)
        return agent.name if agent else agent_id


class DoseOverCeiling(CriticalRule):
    id = "dose_over_ceiling"

    def check(self):
        weight_kg = self.case.patient.weight_kg
        for c in self.facts.dose_book.crossings:
            per_kg = f" ({c.total / weight_kg:.1f} mg/kg)" if c.unit == "mg" else ""
            self.flag(c.substance, c.t_s, f"Total {c.substance} reached {exact(c.total)} {c.unit}{per_kg}, over the "
                      f"{exact(c.ceiling)} {c.unit} ceiling for this {weight_kg:g} kg patient.")


class IntravascularInjection(CriticalRule):
    id = "intravascular_injection"

    def feed(self, event):
        if isinstance(event, ev.Injected) and event.intravascular:
            self.flag("", event.t_s, f"You injected into a blood vessel ({pretty(event.tissue)}): aspirate before every "
                      "injection and watch the injectate spread.")


class _BeforePuncture(CriticalRule):
    """The skin was punctured before a step that must come first."""

    step_event: ClassVar[type[ev.Event]]
    message: ClassVar[str]

    def __init__(self, facts):
        super().__init__(facts)
        self.done = False

    def feed(self, event):
        if isinstance(event, self.step_event):
            self.done = True
        elif isinstance(event, ev.SkinPunctured) and not self.done:
            self.flag("", event.t_s, self.message)


class PunctureBeforeConsent(_BeforePuncture):
    id = "puncture_before_consent"
    step_event = ev.ConsentObtained
    message = ("The skin was punctured before consent was obtained. Consent (risks, benefits, alternatives) comes "
               "before any needle; disclosing risks afterwards is not consent.")


class PunctureBeforeSkinPrep(_BeforePuncture):
    id = "puncture_before_skin_prep"
    step_event = ev.SkinPrepared
    message = "The skin was punctured before it was prepared with antiseptic: a breach of asepsis (infection risk)."


class ContraindicatedAgent(CriticalRule):
    id = "contraindicated_agent"

    def check(self):
        policy = self.case.agent_policy
        listed = {c.agent: c.reason for c in policy.contraindicated}
        for agent_id in self.facts.agents_used:
            if agent_id in listed:
                agent = self.facts.agent(agent_id)
                self.flag(agent_id, self.facts.first_given_t_s(agent_id),
                          f"You gave {agent.name if agent else agent_id}, contraindicated for this patient: "
                          f"{listed[agent_id].rstrip('.')}.")


class NeedledAgainstAdvice(CriticalRule):
    id = "needled_when_not_to"

    def check(self):
        if self.facts.do_not_inject and self.facts.punctured:
            reason = (self.case.agent_policy.do_not_inject_reason or "see the case").rstrip(".")
            self.flag("", self.facts.first_puncture_t_s or 0.0, f"This patient should not have been needled: {reason}.")


class NoActivePointTreated(CriticalRule):
    id = "no_active_point_treated"
    kind = "competence"

    def check(self):
        facts = self.facts
        if facts.do_not_inject or facts.decline_accepted or not facts.active_ids or facts.treated_active:
            return
        if facts.declines and not facts.punctured:
            text = ("You declined to inject, but not for a reason this case accepts, and the active trigger point "
                    "went untreated.")
        elif facts.treated_at:
            text = "Only latent trigger points were treated; the active point that causes the complaint was not."
        elif facts.punctured:
            text = ("The needle never treated an active trigger point: no injection landed in one and no twitch was "
                    "elicited there.")
        else:
            text = "No active trigger point was treated and no decision not to treat was recorded."
        self.flag("", facts.end_t_s, text)


class NotExamined(CriticalRule):
    id = "needled_without_palpation"
    kind = "competence"

    def __init__(self, facts):
        super().__init__(facts)
        self.palpated = False

    def feed(self, event):
        if isinstance(event, (ev.PalpationFelt, ev.BandSnapped)):
            self.palpated = True
        elif isinstance(event, ev.SkinPunctured) and not self.palpated and self.facts.active_ids:
            self.flag("", event.t_s, "The needle went in before you had palpated the patient: locating the knot by "
                      "feel (taut band, spot tenderness, recognised pain) comes first.")


class MarksNotCommitted(CriticalRule):
    id = "marks_not_committed"
    kind = "competence"

    def __init__(self, facts):
        super().__init__(facts)
        self.marks = 0

    def feed(self, event):
        if isinstance(event, ev.SkinMarked):
            self.marks += 1
        elif isinstance(event, ev.MarkErased):
            self.marks = max(0, self.marks - 1)

    def check(self):
        allowed = MAX_MARKS_PER_POINT * max(1, len(self.case.trigger_points))
        if self.marks > allowed:
            self.flag("", self.facts.end_t_s, f"{self.marks} marks were left on the skin for a case with "
                      f"{len(self.case.trigger_points)} trigger point(s): a mark is a finding you commit to, so marking "
                      "everywhere locates nothing (erase the ones you rule out).")


class TipOutOfView(CriticalRule):
    id = "tip_out_of_view"
    kind = "competence"

    def __init__(self, facts):
        super().__init__(facts)
        self.advanced_mm = self.visible_mm = 0.0

    def feed(self, event):
        if isinstance(event, ev.NeedleMoved) and finite(event.delta_mm) > 0:
            self.advanced_mm += finite(event.delta_mm)
            self.visible_mm += finite(event.delta_mm) if event.tip_visible else 0.0

    def check(self):
        if self.case.rubric.thresholds.tip_visible_fraction <= 0:
            return  # a palpation-guided (landmark) case: no scanner, nothing to keep in view
        if self.advanced_mm > 0 and self.visible_mm / self.advanced_mm < MIN_TIP_VISIBLE_FRACTION:
            share = self.visible_mm / self.advanced_mm
            self.flag("", self.facts.end_t_s, f"The tip was in view for only {share:.0%} of the advancing: an "
                      f"ultrasound-guided needle must be seen (at least {MIN_TIP_VISIBLE_FRACTION:.0%} to pass).")


class _BlindAdvanceNear(CriticalRule):
    """Opt-in (rubric.critical_rules): advancing with the tip out of view close to a danger structure."""

    kinds: ClassVar[tuple[str, ...]]

    def feed(self, event):
        if (isinstance(event, ev.NeedleMoved) and finite(event.delta_mm) > 0 and not event.tip_visible
                and event.danger_kind in self.kinds and event.danger_mm is not None
                and finite(event.danger_mm, 1e9) <= self.case.rubric.danger_margin_mm):
            self.flag(event.danger_kind, event.t_s, f"You advanced with the tip out of view {finite(event.danger_mm):.1f} "
                      f"mm from the {pretty(event.danger_name or event.danger_kind)}: find the tip before going on.")


class BlindAdvanceNearPleura(_BlindAdvanceNear):
    id = "blind_advance_near_pleura"
    kinds = ("pleura",)


class BlindAdvanceNearVessel(_BlindAdvanceNear):
    id = "blind_advance_near_vessel"
    kinds = ("artery", "vein")


class CaseCriticalEvent(CriticalRule):
    """Events the case itself treats as critical (`rubric.critical_events`)."""

    id = "case_event"
    WORDS = {
        "VesselPunctured": "The needle punctured the {name}",
        "NerveContacted": "The needle touched the {name}",
        "BoneContacted": "The needle hit the {name}",
        "HaematomaFormed": "A haematoma formed ({name})",
        "Injected": "You injected",
        "SkinPunctured": "You punctured the skin",
    }
    ALREADY = {"PleuraPunctured": PleuraPuncture, "AllergicReaction": AllergenInjected,
               "DoseCeilingExceeded": DoseOverCeiling}

    def feed(self, event):
        if event.type not in self.case.rubric.critical_events or event.type in self.ALREADY:
            return
        name = getattr(event, "name", "") or ""
        template = self.WORDS.get(event.type)
        said = template.format(name=pretty(name or "structure")) if template else f"{event.type} at {finite(event.t_s):.1f} s"
        self._found.setdefault(f"{event.type}:{name}", {"type": event.type, "kind": self.kind, "t_s": finite(event.t_s),
                                                         "message": f"{said}: this case treats it as a critical error."})


ALWAYS: tuple[type[CriticalRule], ...] = (
    PleuraPuncture, AllergenInjected, DoseOverCeiling, IntravascularInjection, PunctureBeforeConsent,
    PunctureBeforeSkinPrep, ContraindicatedAgent, NeedledAgainstAdvice, NoActivePointTreated, NotExamined,
    MarksNotCommitted, TipOutOfView, CaseCriticalEvent, *COMPLICATION_RULES,
)
OPT_IN: dict[str, type[CriticalRule]] = {rule.id: rule for rule in (BlindAdvanceNearPleura, BlindAdvanceNearVessel)}


def critical_errors(facts: Facts, events: list[ev.Event]) -> list[dict]:
    """Every failing item of the attempt, in time order."""
    rules = [rule(facts) for rule in ALWAYS] + [OPT_IN[name](facts) for name in facts.case.rubric.critical_rules]
    for event in events:
        for rule in rules:
            rule.feed(event)
    found = [error for rule in rules for error in rule.errors()]
    return sorted(found, key=lambda e: (e["t_s"], e["type"], e["message"]))
