"""Agent: the right drug for this patient, the right volume per point, and a dose within its ceiling.

Agent choice carries only part of this criterion, because the needle matters more than the
drug (docs/sources.md [108][111]); choice is mainly a safety and patient-factor decision.
Items: choice 60% (preferred 1, acceptable 0.6, not listed 0.3, not recommended 0.2,
contraindicated for this patient 0 and a critical error; the worst agent given counts), volume
per point 20%, dose within the ceiling 20%.
"""

from __future__ import annotations

from simulator.core.scoring.base import Criterion, Outcome, decline_credit, weighted
from simulator.core.scoring.facts import exact, finite

CHOICE_CREDIT = {"preferred": 1.0, "acceptable": 0.6, "unlisted": 0.3, "not_recommended": 0.2, "contraindicated": 0.0}
CHOICE_LABEL = {"preferred": "a preferred choice", "acceptable": "acceptable", "unlisted": "not listed for this case",
                "not_recommended": "not recommended here", "contraindicated": "contraindicated for this patient"}
CHOICE_WEIGHT, VOLUME_WEIGHT, DOSE_WEIGHT = 0.6, 0.2, 0.2


class AgentChoice(Criterion):
    id = "agent"
    title = "Agent, volume and dose"

    def outcome(self) -> Outcome:
        facts = self.facts
        policy = self.case.agent_policy
        book = facts.dose_book
        mg, units = book.by_unit("mg"), book.by_unit("units")
        ceiling_mg = {s: v for s, v in book.ceilings.items() if book.units.get(s) == "mg"}
        weight_kg = self.case.patient.weight_kg
        volume_by_point: dict[str, float] = {}
        for shot in facts.injections:
            if shot.point_id:
                volume_by_point[shot.point_id] = volume_by_point.get(shot.point_id, 0.0) + max(0.0, finite(shot.volume_ml))
        metrics = {
            "agents": facts.agents_used,
            "dose_mg": mg,
            "dose_units": units,
            "mg_per_kg": {s: v / weight_kg for s, v in mg.items()},
            "ceiling_mg": ceiling_mg,
            "volume_ml_total": sum(max(0.0, finite(s.volume_ml)) for s in facts.injections),
            "volume_ml_by_point": volume_by_point,
            "injections": len(facts.injections),
        }
        declined = decline_credit(facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        used = facts.agents_used
        if not used:
            in_hand = facts.agent(facts.selections[-1].agent_id) if facts.selections else None
            if in_hand is not None and in_hand.injectate and facts.punctured:
                text = f"You drew up {in_hand.name} but never injected it, so no treatment was given."
            elif facts.punctured:
                text = "The needle went in but no trigger point was treated (no injection, no twitch)."
            else:
                text = "No agent was given and no point was needled, so there is no agent to assess."
            return Outcome(0.0, text, metrics)
        if policy.do_not_inject:
            return Outcome(
                0.0,
                f"No agent was right here: the case says not to inject ({(policy.do_not_inject_reason or '').rstrip('.')}).",
                metrics,
            )
        sentences = []
        # ---- choice: the worst agent given decides
        choice_fraction = 1.0
        for agent_id in used:
            verdict, reason = self._verdict(agent_id)
            name = facts.agent(agent_id).name if facts.agent(agent_id) else agent_id
            choice_fraction = min(choice_fraction, CHOICE_CREDIT[verdict])
            label = CHOICE_LABEL[verdict]
            sentences.append(f"{name} was {label}" + (f": {reason.rstrip('.')}." if reason else "."))
        # ---- volume per treated point
        vr = policy.volume_per_point
        if facts.dry_needling or not volume_by_point:
            volume_fraction = 1.0 if facts.dry_needling else 0.0
            if not facts.dry_needling:
                sentences.append("No injection landed at a trigger point, so the volume per point earns nothing.")
        else:
            shares = []
            for pid, vol in sorted(volume_by_point.items()):
                if vr.min_ml <= vol <= vr.max_ml:
                    shares.append(1.0)
                elif vol < vr.min_ml:
                    shares.append(vol / vr.min_ml if vr.min_ml else 1.0)
                else:
                    shares.append(vr.max_ml / vol)
            volume_fraction = sum(shares) / len(shares)
            vols = ", ".join(f"{v:.2g} mL at {p}" for p, v in sorted(volume_by_point.items()))
            ok = "within" if volume_fraction >= 1.0 else "outside"
            sentences.append(f"Volume {vols}: {ok} the {vr.min_ml:g}-{vr.max_ml:g} mL per point this case expects.")
        # ---- dose within ceiling
        over = sorted({c.substance for c in book.crossings})
        dose_fraction = 0.0 if over else 1.0
        if over:
            sentences.append(f"The total dose of {', '.join(over)} went over its ceiling for {weight_kg:g} kg.")
        elif mg or units:
            parts = [f"{s} {exact(v)} mg ({v / weight_kg:.2f} mg/kg, ceiling {exact(ceiling_mg[s])} mg)"
                     if s in ceiling_mg else f"{s} {exact(v)} mg" for s, v in sorted(mg.items())]
            parts += [f"{s} {exact(v)} units" + (f" (ceiling {exact(book.ceilings[s])} units)" if s in book.ceilings else "")
                      for s, v in sorted(units.items())]
            sentences.append("Total dose within the ceiling: " + "; ".join(parts) + ".")
        fraction = weighted([(CHOICE_WEIGHT, choice_fraction), (VOLUME_WEIGHT, volume_fraction), (DOSE_WEIGHT, dose_fraction)])
        return Outcome(fraction, " ".join(sentences), metrics)

    def _verdict(self, agent_id: str) -> tuple[str, str]:
        policy = self.case.agent_policy
        allergy = self.facts.allergy_for(agent_id)
        if allergy:
            return "contraindicated", f"the patient is allergic to {allergy}"
        for verdict, choices in (("contraindicated", policy.contraindicated), ("preferred", policy.preferred),
                                 ("acceptable", policy.acceptable), ("not_recommended", policy.not_recommended)):
            for choice in choices:
                if choice.agent == agent_id:
                    return verdict, choice.reason
        return "unlisted", ""
