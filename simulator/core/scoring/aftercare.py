"""Aftercare: the end of the visit, after the last needle work and before finishing.

The items a case expects come from `core.aftercare.expected_aftercare(case)`: the case's own
list or, without one, the derived items (docs/physiology.md, "Aftercare"). The fraction is the
share of expected items given after the needle came out for the last time; an item given while
needling was still to come does not count (it belongs to the end of the visit), and the
evidence says so. Items beyond the expected ones cost nothing.
A visit with no needling (a correct decline) has nothing to follow up here: full credit.
"""

from __future__ import annotations

from simulator.core import events as ev
from simulator.core.aftercare import AFTERCARE, expected_aftercare
from simulator.core.scoring.base import Criterion, Outcome, decline_credit
from simulator.core.scoring.complication_rules import is_needling
from simulator.core.scoring.facts import finite


class Aftercare(Criterion):
    id = "aftercare"
    title = "Aftercare and follow-up"

    def __init__(self, facts):
        super().__init__(facts)
        self.given: list[tuple[float, str]] = []
        self.last_needling_t_s: float | None = None

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.AftercareGiven):
            self.given.append((finite(event.t_s), event.item))
        elif is_needling(event):
            self.last_needling_t_s = finite(event.t_s)

    def outcome(self) -> Outcome:
        expected = expected_aftercare(self.case)
        after = self.last_needling_t_s if self.last_needling_t_s is not None else -1.0
        counted = {item for t_s, item in self.given if t_s > after}
        early = sorted({item for t_s, item in self.given if t_s <= after} - counted)
        done = [item for item in expected if item in counted]
        missing = [item for item in expected if item not in counted]
        metrics = {"aftercare_given": len(done), "aftercare_expected": len(expected)}
        declined = decline_credit(self.facts)
        if declined:
            return Outcome(declined.fraction, declined.evidence, metrics)
        if not self.facts.punctured:
            return Outcome(0.0, "There was no procedure, so no aftercare to give.", metrics)
        sentences = [f"You gave {len(done)} of the {len(expected)} aftercare items this visit expects."]
        if missing:
            sentences.append("Still to do before the patient leaves: "
                             + "; ".join(f"{AFTERCARE[i][0].lower()} ({AFTERCARE[i][1]})" for i in missing) + ".")
        if early:
            sentences.append("Given before the needle work was over, so not counted: "
                             + ", ".join(AFTERCARE[i][0].lower() for i in early) + ".")
        return Outcome(len(done) / len(expected) if expected else 1.0, " ".join(sentences), metrics)
