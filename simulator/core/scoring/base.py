"""The shape every scoring criterion shares: fed events one by one, then asked for an outcome.

Modelled on PerkTutor's metrics: each criterion is a small class that sees the timestamped
event log in order (`feed`) and returns one figure with its explanation (`outcome`). The
figure is a fraction 0..1 of the criterion's weight; `score()` turns it into points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simulator.core import events as ev
from simulator.core.scoring.facts import Facts


@dataclass(frozen=True)
class Outcome:
    fraction: float  # 0..1 of the criterion's maximum
    evidence: str  # sentences a resident understands
    metrics: dict = field(default_factory=dict)  # figures that also go into result["metrics"]


class Criterion:
    """One scoring rule. Subclasses set `id`, override `feed` where they track events, and `outcome`."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.case = facts.case
        self.thresholds = facts.case.rubric.thresholds

    def feed(self, event: ev.Event) -> None:  # noqa: B027 - optional hook
        """See one event, in log order."""

    def outcome(self) -> Outcome:
        raise NotImplementedError


def ramp(value: float, full_at: float, zero_at: float) -> float:
    """1 at or before `full_at`, 0 at or beyond `zero_at`, linear between (either direction)."""
    if full_at == zero_at:
        return 1.0 if value == full_at else 0.0
    share = (value - zero_at) / (full_at - zero_at)
    return max(0.0, min(1.0, share))


def weighted(parts: list[tuple[float, float]]) -> float:
    """Combine (weight, fraction) items into one fraction."""
    total = sum(w for w, _ in parts)
    return sum(w * max(0.0, min(1.0, f)) for w, f in parts) / total if total else 0.0


def decline_credit(facts: Facts) -> Outcome | None:
    """For a criterion a decline leaves without a procedure: the decision's credit, said once.

    None when there was no decline (or the skin was punctured anyway). The full explanation of
    the decision is Judgement's; the other criteria point to it instead of repeating it.
    """
    found = facts.decline_match
    if found is None:
        return None
    credit = found[1]
    if credit >= 1:
        return Outcome(1.0, "Not applicable: you rightly decided not to inject (see Clinical judgement). Full credit.")
    if credit > 0:
        return Outcome(credit, f"Not applicable after your decision not to inject, which earns {credit:.0%} of this "
                               "criterion (see Clinical judgement).")
    return Outcome(0.0, "No procedure was done: you declined to inject a patient who needed treatment (see Clinical "
                        "judgement).")
