"""Twitch: was a local twitch response elicited by the needle at each treated active point first?

Hong 1994 [1]: patients with no LTR during the procedure barely improved, so the injection
earns this criterion only when a needle LTR at that point came before the first injection
there. In dry needling the twitch *is* the treatment, so every treated point qualifies.
In a case that says not to inject, a twitch earns nothing (treating was the wrong call).
"""

from __future__ import annotations

from simulator.core.scoring.base import Criterion, Outcome, decline_credit
from simulator.core.scoring.facts import finite, pretty


class Twitch(Criterion):
    id = "twitch"
    title = "Local twitch response"

    def outcome(self) -> Outcome:
        facts = self.facts
        by_point: dict[str, int] = {}
        for twitch in facts.needle_twitches:
            if twitch.point_id:
                by_point[twitch.point_id] = by_point.get(twitch.point_id, 0) + 1
        metrics = {
            "twitches": len(facts.needle_twitches),
            "twitches_by_point": by_point,
            "snap_twitches": len(facts.snap_twitches),
            "twitches_before_injection": {},
        }
        declined = decline_credit(facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        if facts.do_not_inject:
            return Outcome(
                0.0,
                "No credit for twitches here: this patient should not have been needled "
                f"({(facts.case.agent_policy.do_not_inject_reason or 'see the case').rstrip('.')}).",
                metrics,
            )
        treated = facts.treated_active
        if not treated:
            if facts.needle_twitches:
                text = ("You elicited a twitch but treated no active trigger point; "
                        "the twitch only helps when the point is then treated.")
            else:
                text = ("No active trigger point was treated, so no twitch response was shown "
                        "(Hong 1994: without a twitch the injection barely helps).")
            return Outcome(0.0, text, metrics)
        good: list[str] = []
        missed: list[str] = []
        for pid in sorted(treated):
            first_treated_s = facts.treated_at[pid]
            before = [t for t in facts.needle_twitches if t.point_id == pid and finite(t.t_s) <= first_treated_s]
            (good if before else missed).append(pid)
            metrics["twitches_before_injection"][pid] = len(before)
        fraction = len(good) / len(treated)
        parts = []
        if good:
            counts = ", ".join(
                f"{metrics['twitches_before_injection'][pid]} at {self._name(pid)}" for pid in good
            )
            parts.append(f"You elicited twitches before treating ({counts})")
        if missed:
            names = ", ".join(self._name(pid) for pid in missed)
            parts.append(f"you injected {names} without a twitch first (Hong 1994: the LTR is what makes it work)")
        text = "; ".join(parts) + f": {len(good)} of {len(treated)} treated active points."
        return Outcome(fraction, text[0].upper() + text[1:], metrics)

    def _name(self, pid: str) -> str:
        point = self.facts.points[pid]
        return f"{pid} in the {pretty(point.muscle)}"
