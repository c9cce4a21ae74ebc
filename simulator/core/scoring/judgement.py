"""Judgement: treating what needs treating and nothing else.

- Treating no active trigger point costs half (and fails the attempt, critical.py).
- Latent trigger points do not need injection (docs/sources.md [6]): each latent point
  injected costs half of this criterion.
- When the case says not to inject (`agent_policy.do_not_inject`, e.g. acute trauma [10]),
  the right performance is an InjectionDeclined without any skin puncture: full credit here
  (and on the criteria that then do not apply). No puncture but no recorded decision: half.
  Any skin puncture: nothing.
- Declining in a case that called for treatment earns nothing.
- Counselling: once the needle has gone in, the case's expected counselling topics
  (`agent_policy.expected_counselling`, matched against CounselGiven topics; a topic given as
  the start of the expected text counts) are required; missing ones cost up to half. When a
  steroid is given to a diabetic patient the evidence says so explicitly, because glucose
  rises on day 1-2 ([118][119]).
"""

from __future__ import annotations

from simulator.core.scoring.base import Criterion, Outcome
from simulator.core.scoring.facts import pretty, reason_key

LATENT_COST = 0.5
UNTREATED_COST = 0.5  # no active point treated (also a failing item, critical.py)
COUNSEL_SHARE = 0.5


topic_key = reason_key  # 'Glucose monitoring' and 'glucose_monitoring' are the same topic


def topic_matches(given_key: str, expected: str) -> bool:
    """A counselled topic matches an expected one when equal, or when it is the start of it."""
    want = topic_key(expected)
    return bool(given_key) and (given_key == want or (len(given_key) >= 6 and want.startswith(given_key)))


class Judgement(Criterion):
    id = "judgement"
    title = "Clinical judgement"

    def outcome(self) -> Outcome:
        facts = self.facts
        policy = self.case.agent_policy
        latent_injected = sorted({s.point_id for s in facts.injections
                                  if s.point_id in facts.points and facts.points[s.point_id].activity == "latent"})
        given = sorted({topic_key(c.topic) for c in facts.counselling})
        metrics = {"latent_injected": latent_injected, "declined": bool(facts.declines), "counselling": given}
        reason = (policy.do_not_inject_reason or "").rstrip(".")
        found = facts.decline_match
        if found is not None:
            return Outcome(found[1], self._decline_text(found), metrics)
        if policy.do_not_inject:
            if not facts.punctured:
                return Outcome(0.5, f"You did not inject, but you never recorded the decision to decline: {reason}.", metrics)
            return Outcome(0.0, f"This patient should not have been needled: {reason}.", metrics)
        if not facts.punctured and not facts.declines:
            return Outcome(0.5, "You neither treated the patient nor recorded a decision not to.", metrics)
        fraction = 1.0
        sentences = []
        if not facts.treated_active:
            shots = len(facts.injections)
            what = (f"You injected {shots} time{'s' if shots != 1 else ''}, but no injection reached an active trigger "
                    "point" if shots else "The needle went in but no active trigger point was treated")
            sentences.append(what + ": the procedure treated nothing that causes the complaint.")
            fraction -= UNTREATED_COST
        if latent_injected:
            fraction -= LATENT_COST * len(latent_injected)
            names = ", ".join(f"{pid} ({pretty(facts.points[pid].muscle)})" for pid in latent_injected)
            sentences.append(f"You injected latent trigger point{'s' if len(latent_injected) > 1 else ''} {names}, "
                             "which did not reproduce the patient's pain and did not need treatment.")
        elif facts.treated_active:
            sentences.append("You left the latent trigger points alone." if any(
                p.activity == "latent" for p in self.case.trigger_points) else "You treated only what needed treatment.")
        expected = list(policy.expected_counselling)
        if expected and facts.punctured:
            missing = [t for t in expected if not any(topic_matches(g, t) for g in given)]
            fraction -= COUNSEL_SHARE * len(missing) / len(expected)
            lead = ("A steroid was given to a diabetic patient (glucose rises on day 1-2). "
                    if self._steroid_to_diabetic() else "")
            if missing:
                sentences.append(f"{lead}You did not counsel on: " + "; ".join(m.rstrip(".") for m in missing) + ".")
            else:
                sentences.append(f"{lead}You covered all {len(expected)} expected counselling points.")
        metrics["steroid_to_diabetic"] = self._steroid_to_diabetic()
        return Outcome(max(0.0, fraction), " ".join(sentences), metrics)

    def _decline_text(self, found) -> str:
        listed, credit = found
        given = self.facts.declines[-1].reason.strip() or "no reason given"
        policy = self.case.agent_policy
        if listed is not None:
            lead = ("You rightly declined to inject" if credit >= 1 else
                    f"Declining was a defensible decision ({credit:.0%} of the credit)")
            note = f" {listed.explanation.rstrip('.')}." if listed.explanation else ""
            return f"{lead}: {listed.reason.rstrip('.')}.{note}"
        if policy.do_not_inject:
            return (f"Not injecting was right, but your reason (\"{given}\") is not the one this case turns on: "
                    f"{(policy.do_not_inject_reason or '').rstrip('.')}. Half credit.")
        return (f"You declined (\"{given}\"), but this patient had an active trigger point that needed treatment and "
                "nothing in the case makes injecting wrong.")

    def _steroid_to_diabetic(self) -> bool:
        if not self.case.patient.conditions.diabetes:
            return False
        for agent_id in {s.agent_id for s in self.facts.injections}:
            agent = self.facts.agent(agent_id)
            if agent and "steroid" in agent.classes:
                return True
        return False
