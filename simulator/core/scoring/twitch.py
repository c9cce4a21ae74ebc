"""Twitch: was a local twitch response elicited by the needle at each treated active point first?

Hong 1994 [1]: patients with no LTR during the procedure barely improved, so the injection
earns this criterion only when a needle LTR at that point came before the first injection
there. In dry needling the twitch *is* the treatment, so every treated point qualifies.
In a case that says not to inject, a twitch earns nothing (treating was the wrong call).

The twitch is drawn at random (an LTR is not certain even from a good pass), so the criterion
rewards the technique, not the draw: a point treated after at least `CORRECT_PASSES_FOR_CREDIT`
fast in-outs through its sensitive locus earns full credit even when no twitch came, and fewer
such passes earn their share. A seed therefore cannot fail a trainee who needled the locus
correctly (docs/scoring.md, "Seeds").
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.scoring.base import Criterion, Outcome, decline_credit
from simulator.core.scoring.facts import finite, pretty

CORRECT_PASSES_FOR_CREDIT = 3  # fast in-outs through the locus that earn the twitch without one


class Twitch(Criterion):
    id = "twitch"
    title = "Local twitch response"

    def __init__(self, facts):
        super().__init__(facts)
        self.unrewarded: list[tuple[float, str]] = []  # (t_s, point id) fast in-outs through a locus, no twitch

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.TwitchNotSeen):
            self.unrewarded += [(finite(event.t_s), pid) for pid in event.locus_point_ids]

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
            if not facts.punctured:
                return Outcome(0.0, "No twitch to assess: no needle was used.", metrics)
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
        by_technique: dict[str, int] = {}
        missed: list[str] = []
        shares: list[float] = []
        for pid in sorted(treated):
            first_treated_s = facts.treated_at[pid]
            before = [t for t in facts.needle_twitches if t.point_id == pid and finite(t.t_s) <= first_treated_s]
            tries = sum(1 for t_s, p in self.unrewarded if p == pid and t_s <= first_treated_s)
            metrics["twitches_before_injection"][pid] = len(before)
            if before:
                good.append(pid)
                shares.append(1.0)
            elif tries:
                by_technique[pid] = tries
                shares.append(min(1.0, tries / CORRECT_PASSES_FOR_CREDIT))
            else:
                missed.append(pid)
                shares.append(0.0)
        metrics["locus_passes_without_twitch"] = by_technique
        fraction = sum(shares) / len(shares)
        parts = []
        if good:
            counts = ", ".join(
                f"{metrics['twitches_before_injection'][pid]} at {self._name(pid)}" for pid in good
            )
            parts.append(f"You elicited twitches before treating ({counts})")
        for pid, tries in sorted(by_technique.items()):
            full = tries >= CORRECT_PASSES_FOR_CREDIT
            parts.append(f"at {self._name(pid)} {tries} fast in-out{'s' if tries != 1 else ''} went through the "
                         f"sensitive locus but no twitch came: {'full' if full else 'partial'} credit for the "
                         f"technique ({CORRECT_PASSES_FOR_CREDIT} such passes earn it all)")
        if missed:
            names = ", ".join(self._name(pid) for pid in missed)
            parts.append(f"you treated {names} without seeking a twitch first (Hong 1994: the LTR is what makes it work)")
        text = "; ".join(parts) + f": {len(good)} of {len(treated)} treated active points twitched."
        return Outcome(fraction, text[0].upper() + text[1:], metrics)

    def _name(self, pid: str) -> str:
        point = self.facts.points[pid]
        return f"{pid} in the {pretty(point.muscle)}"
