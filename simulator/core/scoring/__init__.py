"""Scoring: a pure function of the case and the event log, giving a versioned JSON-ready result.

    result = score(case, catalogue, events, seed=7)

Eight criteria, each a small class fed the event log in order (see base.Criterion):
localization, twitch, agent, safety, technique, judgement, complications, aftercare. Their weights come from
`case.rubric.weights`, normalised so the maximum total is 100; their thresholds from
`case.rubric.thresholds`. Critical errors (critical.py) fail the attempt whatever the points.
The attempt passes when total >= `case.rubric.pass_mark` and there is no critical error (a
failing item, critical.py). With one, the total shown is capped one point below the pass mark,
so a failed attempt never shows a passing number; the uncapped sum stays in `uncapped_total` for
feedback. Totals are never rounded up: criteria adding to 99.8 show 99.8, and `shown_total`
(what the debrief prints) rounds down to a whole number.

Determinism: floats are rounded and lists ordered, so identical inputs give byte-identical
`json.dumps(result, sort_keys=True)`. docs/scoring.md is the reader's guide to every rule.
"""

from __future__ import annotations

import math
from typing import Iterable

from simulator.core import events as ev
from simulator.core.scoring.aftercare import Aftercare
from simulator.core.scoring.agent import AgentChoice
from simulator.core.scoring.base import Criterion, Outcome
from simulator.core.scoring.complications import Complications
from simulator.core.scoring.critical import critical_errors
from simulator.core.scoring.facts import Facts
from simulator.core.scoring.judgement import Judgement
from simulator.core.scoring.localization import Localization
from simulator.core.scoring.safety import Safety
from simulator.core.scoring.technique import Technique
from simulator.core.scoring.twitch import Twitch
from simulator.scenario.schema import AgentCatalogue, Case

RESULT_VERSION = 2  # 2: failing items capped, uncapped_total, kind on each critical error, global_rating
CRITERIA: tuple[type[Criterion], ...] = (Localization, Twitch, AgentChoice, Safety, Technique, Judgement, Complications,
                                         Aftercare)
FLOAT_DIGITS = 3

__all__ = ["CRITERIA", "RESULT_VERSION", "Criterion", "Outcome", "canonical", "score", "shown_total"]
CAP_BELOW_PASS_MARK = 1.0  # a failed attempt shows at most pass_mark - 1


def shown_total(total: float) -> int:
    """The total as a whole number for display: rounded down, so 99.8 never shows as 100."""
    return int(math.floor(total + 1e-9))


def cap_for_failure(total: float, pass_mark: float) -> float:
    """A total that cannot be read as a pass: at most one point below the pass mark (never below 0)."""
    return min(total, max(0.0, pass_mark - CAP_BELOW_PASS_MARK))


def canonical(value):
    """JSON-ready copy: floats rounded (non-finite -> None), tuples -> lists, keys as text."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(value, FLOAT_DIGITS)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return str(value)


def _down(value: float) -> float:
    """Rounded down to 0.01 (a hair of float error allowed), so a score is never rounded up."""
    return math.floor(value * 100 + 1e-6) / 100


def max_points(case: Case) -> dict[str, float]:
    """Each criterion's maximum points: the case's weights scaled so they add up to 100."""
    weights = case.rubric.weights.model_dump()
    total = sum(weights.values())
    return {cls.id: 100.0 * weights[cls.id] / total for cls in CRITERIA}


def score(case: Case, catalogue: AgentCatalogue, events: Iterable[ev.Event], *, seed: int | None = None) -> dict:
    """Score one attempt. Never raises on an odd event log; the total stays within 0-100."""
    log = list(events)
    facts = Facts.collect(case, catalogue, log)
    criteria = [cls(facts) for cls in CRITERIA]
    for event in log:
        for criterion in criteria:
            criterion.feed(event)
    maxima = max_points(case)
    rows = []
    metrics: dict = {}
    earned = 0.0
    for criterion in criteria:
        outcome = criterion.outcome()
        fraction = max(0.0, min(1.0, outcome.fraction if math.isfinite(outcome.fraction) else 0.0))
        top = round(maxima[criterion.id], 2)
        earned += fraction * maxima[criterion.id]
        rows.append({
            "id": criterion.id,
            "title": criterion.title,
            # full credit shows the row's maximum; anything less is rounded down, never up
            "points": top if fraction >= 1.0 else min(top, _down(fraction * maxima[criterion.id])),
            "max": top,
            "evidence": outcome.evidence,
        })
        metrics.update(outcome.metrics)
    errors = critical_errors(facts, log)
    uncapped = _down(max(0.0, min(100.0, earned)))
    total = cap_for_failure(uncapped, case.rubric.pass_mark) if errors else uncapped
    passed = total >= case.rubric.pass_mark and not errors
    metrics["duration_s"] = facts.end_t_s
    metrics["finished"] = any(isinstance(e, ev.SessionFinished) for e in log)
    return canonical({
        "result_version": RESULT_VERSION,
        "case_id": case.id,
        "case_title": case.title,
        "seed": seed,
        "total": total,
        "uncapped_total": uncapped,
        "pass_mark": case.rubric.pass_mark,
        "global_rating": None,  # an examiner's OSATS-style global rating, entered with an exam's review
        "passed": passed,
        "criteria": rows,
        "critical_errors": errors,
        "metrics": metrics,
        "events": [ev.event_to_dict(e) for e in log],
    })
