"""Critical errors: events that fail the attempt whatever the points.

Always critical: a pleural puncture (pneumothorax risk, domain.md §2.1 [41][44]), injecting an
agent the patient is allergic to (§4.8 [129][130]), a total dose over the substance's ceiling
(§4.1 [98], §4.2 [99]), and an intravascular injection (§4.1 LAST [102]; aspiration §5.2 [6][145]).
A case adds its own with `rubric.critical_events` (event type names, e.g. VesselPunctured).
Each error is listed once per kind and subject, at the time it first happened.
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.scoring.complication_rules import complication_errors
from simulator.core.scoring.facts import Facts, finite, pretty


def critical_errors(facts: Facts, events: list[ev.Event]) -> list[dict]:
    errors: dict[tuple[str, str], dict] = {}

    def add(kind: str, subject: str, t_s: float, message: str) -> None:
        errors.setdefault((kind, subject), {"type": kind, "t_s": finite(t_s), "message": message})

    extra = set(facts.case.rubric.critical_events)
    weight_kg = facts.case.patient.weight_kg
    running_mg: dict[str, float] = {}
    running_units: dict[str, float] = {}
    ceiling_mg, ceiling_units = facts.ceilings()
    for event in events:
        t_s = finite(event.t_s)
        if isinstance(event, ev.PleuraPunctured):
            add("pleura_puncture", "", t_s,
                f"The needle punctured the pleura at {finite(event.depth_mm):.0f} mm depth: risk of pneumothorax. "
                "Keep the tip in view and the path away from the pleural line.")
        elif isinstance(event, ev.AllergicReaction):
            add("allergen_injected", event.agent_id, t_s,
                f"The patient reacted to {event.agent_id}: they are allergic to {event.allergy}.")
        elif isinstance(event, ev.DoseCeilingExceeded):
            unit = getattr(event, "unit", "mg")
            add("dose_over_ceiling", event.substance, t_s,
                f"Total {event.substance} reached {finite(event.total_mg):.0f} {unit}, over the "
                f"{finite(event.ceiling_mg):.0f} {unit} ceiling for this patient.")
        elif isinstance(event, ev.Injected):
            agent = facts.agent(event.agent_id)
            allergy = facts.allergy_for(event.agent_id)
            if allergy:
                add("allergen_injected", event.agent_id, t_s,
                    f"You injected {agent.name if agent else event.agent_id} although the patient is allergic to {allergy}.")
            if event.intravascular:
                add("intravascular_injection", "", t_s,
                    f"You injected into a blood vessel ({pretty(event.tissue)}): aspirate before every injection "
                    "and watch the injectate spread.")
            if agent is not None and (agent.injectate or agent.components):
                volume_ml = max(0.0, finite(event.volume_ml))
                for comp in agent.components:
                    if comp.mg_per_ml is not None:
                        total = running_mg[comp.substance] = running_mg.get(comp.substance, 0.0) + comp.mg_per_ml * volume_ml
                        limit = ceiling_mg.get(comp.substance)
                        if limit is not None and total > limit + 1e-9:
                            add("dose_over_ceiling", comp.substance, t_s,
                                f"Total {comp.substance} reached {total:.0f} mg ({total / weight_kg:.1f} mg/kg), over the "
                                f"{limit:.0f} mg ceiling for {weight_kg:g} kg.")
                    if comp.units_per_ml is not None:
                        total = running_units[comp.substance] = running_units.get(comp.substance, 0.0) + comp.units_per_ml * volume_ml
                        limit = ceiling_units.get(comp.substance)
                        if limit is not None and total > limit + 1e-9:
                            add("dose_over_ceiling", comp.substance, t_s,
                                f"Total {comp.substance} reached {total:.0f} units, over the {limit:.0f} unit ceiling.")
        if event.type in extra:
            builtin = {"PleuraPunctured": "pleura_puncture", "AllergicReaction": "allergen_injected",
                       "DoseCeilingExceeded": "dose_over_ceiling"}.get(event.type)
            if builtin and any(k == builtin for k, _ in errors):
                continue
            name = getattr(event, "name", "") or ""
            add(event.type, name, t_s,
                f"{_describe(event)}: this case treats it as a critical error.")
    return sorted([*errors.values(), *complication_errors(facts, events)], key=lambda e: (e["t_s"], e["type"], e["message"]))


def _describe(event: ev.Event) -> str:
    words = {
        "VesselPunctured": "The needle punctured the {name}",
        "NerveContacted": "The needle touched the {name}",
        "BoneContacted": "The needle hit the {name}",
        "HaematomaFormed": "A haematoma formed ({name})",
        "Injected": "You injected",
        "SkinPunctured": "You punctured the skin",
    }
    template = words.get(event.type)
    if template:
        return template.format(name=pretty(getattr(event, "name", "") or "structure"))
    return f"{event.type} at {finite(event.t_s):.1f} s"
