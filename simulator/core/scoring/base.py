"""The shapes every scoring rule shares: fed events one by one, then asked for the verdict.

Modelled on PerkTutor's metrics: each criterion is a small class that sees the timestamped
event log in order (`feed`) and returns one figure with its explanation (`outcome`). The
figure is a fraction 0..1 of the criterion's weight; `score()` turns it into points. A failing
item (critical.py, complication_rules.py) is a CriticalRule fed the same way, which returns the
errors it found (`errors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simulator.core import events as ev
from simulator.core.scoring.facts import Facts, finite


@dataclass(frozen=True)
class Outcome:
    fraction: float  # 0..1 of the criterion's maximum
    evidence: str  # sentences a resident understands
    metrics: dict = field(default_factory=dict)  # figures that also go into result["metrics"]


class Rule:
    """What every scoring rule has: an `id`, the attempt's facts and case, and `feed`, which sees
    each event of the log in order (a rule that needs only the facts leaves it alone)."""

    id: ClassVar[str] = ""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.case = facts.case

    def feed(self, event: ev.Event) -> None:  # noqa: B027 - optional hook
        """See one event, in log order."""


class Criterion(Rule):
    """One scored criterion. Subclasses set `id` and `title`, override `feed` where they track events,
    and `outcome`."""

    title: ClassVar[str] = ""

    def __init__(self, facts: Facts):
        super().__init__(facts)
        self.thresholds = facts.case.rubric.thresholds

    def outcome(self) -> Outcome:
        raise NotImplementedError


class CriticalRule(Rule):
    """One failing item. Subclasses set `id` (the error's `type`), `kind`, and override `feed` or `check`."""

    kind: ClassVar[str] = "safety"

    def __init__(self, facts: Facts):
        super().__init__(facts)
        self._found: dict[str, dict] = {}

    def flag(self, subject: str, t_s: float, message: str) -> None:
        self._found.setdefault(subject, {"type": self.id, "kind": self.kind, "t_s": finite(t_s), "message": message})

    def check(self) -> None:  # noqa: B027 - optional hook
        """Decide from the whole log (after every event was fed)."""

    def errors(self) -> list[dict]:
        self.check()
        return list(self._found.values())


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
